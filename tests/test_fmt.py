"""`kpi fmt`: canonical layout, comments kept, idempotent, --check for CI, bad files untouched."""

from __future__ import annotations

from pathlib import Path

from authoring_helpers import copy_ledger, snapshot
from conftest import kpi

from kpiledger.authoring.fmt import format_text
from kpiledger.load.yaml_loader import load

MESSY = """# yaml-language-server: $schema=../../../schemas/record.schema.json
# 头部注释
scheme: cs-agent
period: 2026-06
items:
    conversion:
        numerator: 160
        denominator: 270   # 行尾注释
    # payment 之前的注释
    payment: {numerator: 155, denominator: 186}
    unit_price: {numerator: 122.56, denominator: 114.95}
    reply_rate: {numerator: 290, denominator: 302}
    response_time: 46
    refund_rate: {numerator: 5, denominator: 155}
    work: 5
    attitude: 3
    attendance:
    -   kind: late
        count: 1
        reason: 6月8日迟到
    suggestions: 0    # 没有
unit: cs-team-1
assessee: E1104
author: E1100
role: superior
source_unit:
notes:
    attendance: 'quoted 说明'
"""
MESSY_PATH = "2026-06/cs-team-1/E1104.yaml"


def test_example_ledger_is_already_canonical(tmp_path: Path) -> None:
    copy_ledger(tmp_path, july=False)
    done = kpi("fmt", "--check", "ledger", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_fmt_orders_keys_keeps_comments_and_is_idempotent(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    out = format_text(MESSY, MESSY_PATH, ledger)
    assert [line.split(":")[0] for line in out.splitlines() if line[:1].isalpha()] == [
        "period", "scheme", "unit", "assessee", "role", "author", "source_unit", "items", "notes"]
    for comment in ("# 头部注释", "# 行尾注释", "# payment 之前的注释", "# 没有"):
        assert comment in out
    assert "  conversion: {numerator: 160, denominator: 270}" in out
    assert "    - {kind: late, count: 1, reason: 6月8日迟到}" in out
    assert "source_unit: null" in out and "'quoted 说明'" in out
    assert load(out.encode(), "x")[0] == load(MESSY.encode(), "x")[0]  # same content
    assert format_text(out, MESSY_PATH, ledger) == out


def test_fmt_check_exits_1_on_a_messy_file_and_0_after_fmt(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    (ledger / MESSY_PATH).write_text(MESSY, encoding="utf-8")
    before = snapshot(ledger)
    check = kpi("fmt", "--check", cwd=tmp_path)
    assert check.returncode == 1
    assert check.stdout.strip() == f"ledger/{MESSY_PATH}"
    assert snapshot(ledger) == before  # --check never writes
    done = kpi("fmt", f"ledger/{MESSY_PATH}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    formatted = (ledger / MESSY_PATH).read_bytes()
    assert kpi("fmt", "--check", cwd=tmp_path).returncode == 0
    assert kpi("fmt", cwd=tmp_path).returncode == 0
    assert (ledger / MESSY_PATH).read_bytes() == formatted
    assert kpi("check", f"ledger/{MESSY_PATH}", cwd=tmp_path).returncode == 0


def test_fmt_adds_a_missing_schema_line(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    path = ledger / MESSY_PATH
    path.write_text(MESSY.split("\n", 1)[1], encoding="utf-8")
    assert kpi("fmt", str(path), cwd=tmp_path).returncode == 0
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../../schemas/record.schema.json\n# 头部注释\n")


def test_fmt_never_touches_a_file_that_fails_to_load(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    path = ledger / MESSY_PATH
    broken = "period: 2026-06\nperiod: 2026-07\nitems: {a: [1, 2}\n"
    path.write_text(broken, encoding="utf-8")
    done = kpi("fmt", cwd=tmp_path)
    assert done.returncode == 1
    assert f"ledger/{MESSY_PATH}:" in done.stderr
    assert "KPI10" in done.stderr  # the checker's own code and place
    assert path.read_text(encoding="utf-8") == broken
    check = kpi("fmt", "--check", cwd=tmp_path)
    assert check.returncode == 1 and path.read_text(encoding="utf-8") == broken


def test_a_document_built_in_memory_formats_as_its_text_would() -> None:
    """`kpi import` formats the record it builds without parsing its own output back: the
    text is the same as formatting the dumped text, for every record of the example ledger
    (their skeletons hold the model's enum members, written as plain text)."""
    from kpiledger.authoring.fmt import format_doc, format_text
    from kpiledger.authoring.new import skeleton_doc
    from kpiledger.authoring.yamlio import dump_rt, flow
    from kpiledger.check.ledger import open_ledger

    root = Path(__file__).resolve().parents[1] / "ledger"
    ledger = open_ledger(root, use_cache=False).ledger
    for r in ledger.records:
        doc = skeleton_doc(ledger, ledger.calendar.periods[r.period], ledger.schemes[r.scheme],
                           r.assessee, r.unit, r.role, r.author, r.source_unit, {})
        for item_id, value in r.items.items():
            doc["items"][item_id] = flow(value)
        assert format_doc(doc, r.file, root) == format_text(dump_rt(doc), r.file, root), r.file
        assert f"role: {r.role}\n" in format_doc(doc, r.file, root)
