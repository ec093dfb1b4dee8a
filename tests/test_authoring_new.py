"""`kpi new`: skeleton records, never overwriting, and how `kpi check` reads them."""

from __future__ import annotations

from pathlib import Path

from authoring_helpers import copy_ledger
from conftest import kpi

from kpiledger.authoring.describe import comment_lines
from kpiledger.authoring.yamlio import MARKER
from kpiledger.check.ledger import open_ledger
from kpiledger.load.yaml_loader import load


def test_skeleton_for_cs_agent_lists_every_item_with_its_bands(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    done = kpi("new", "2026-07", "--unit", "cs-team-1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = ledger / "2026-07/cs-team-1/E1101.yaml"
    assert "ledger/2026-07/cs-team-1/E1101.yaml" in done.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith(MARKER + "../../../schemas/record.schema.json\n")
    doc, problems = load(text.encode(), "x.yaml")
    assert problems == []
    assert doc["author"] == "E1100" and doc["role"] == "superior" and doc["unit"] == "cs-team-1"
    scheme = open_ledger(ledger).ledger.schemes["cs-agent"]
    assert list(doc["items"]) == [i.id for i in scheme.items]
    for item in scheme.items:
        for line in comment_lines(item, "superior"):
            assert f"  # {line}\n" in text, line
    assert "# 分档：X ≥ 75% → 100 分；75% > X ≥ 65% → 80 分" in text
    assert "询单转化率(X) = 最终付款人数/询单人数" in text
    assert doc["items"]["conversion"] == {"numerator": None, "denominator": None}
    assert doc["items"]["work"] is None
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "E1101.yaml", "E1102.yaml", "E1103.yaml", "E1104.yaml"]


def test_new_never_overwrites(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    path = ledger / "2026-07/cs-team-1/E1101.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("# mine\n", encoding="utf-8")
    done = kpi("new", "2026-07", "E1101", "E1102", "--ledger", "ledger", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == "# mine\n"
    assert "KPI602" in done.stderr and "E1101.yaml" in done.stderr
    assert (ledger / "2026-07/cs-team-1/E1102.yaml").exists()
    # existing records of an open period are left alone too
    before = (ledger / "2026-06/cs-team-1/E1101.yaml").read_bytes()
    again = kpi("new", "2026-06", "--unit", "cs-team-1", cwd=tmp_path)
    assert again.returncode == 0
    assert again.stderr.count("KPI602") == 4
    assert (ledger / "2026-06/cs-team-1/E1101.yaml").read_bytes() == before


def test_skeleton_fails_check_naming_each_empty_item(tmp_path: Path) -> None:
    copy_ledger(tmp_path)
    assert kpi("new", "2026-07", "E1101", cwd=tmp_path).returncode == 0
    done = kpi("check", "ledger/2026-07/cs-team-1/E1101.yaml", cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert all(": KPI601 " in line for line in lines), lines
    assert any("指标“询单转化率”（conversion）的分子尚未填写" in line for line in lines)
    assert any("指标“工作任务”（work）尚未填写" in line for line in lines)
    en = kpi("check", "--lang", "en", "ledger/2026-07/cs-team-1/E1101.yaml", cwd=tmp_path)
    assert "item 'Payment rate' (payment) (denominator) has no value yet" in en.stdout


def test_filled_skeleton_passes_check(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    assert kpi("new", "2026-07", "E1101", cwd=tmp_path).returncode == 0
    path = ledger / "2026-07/cs-team-1/E1101.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("{numerator: null, denominator: null}", "{numerator: 9, denominator: 10}")
    text = text.replace("attendance: null", "attendance: []").replace(": null\n", ": 3\n")
    path.write_text(text.replace("source_unit: 3", "source_unit: null"), encoding="utf-8")
    done = kpi("check", "ledger/2026-07/cs-team-1/E1101.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stdout


def test_closed_or_unknown_period_writes_nothing(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    closed = kpi("new", "2026-03", cwd=tmp_path)
    assert closed.returncode == 1 and "KPI309" in closed.stderr
    unknown = kpi("new", "2030-01", cwd=tmp_path)
    assert unknown.returncode == 1 and "KPI340" in unknown.stderr
    assert "考核期 2030-01 不在日历中：运行 kpi period open 2030-01" in unknown.stderr
    assert not (ledger / "2030-01").exists()


def test_carried_over_item_is_marked(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    (ledger / "2026-03/workshop/E2112.data-perf-committee.yaml").unlink()
    periods = ledger / "periods.yaml"
    text = periods.read_text(encoding="utf-8")
    head, _, tail = text.partition("  - id: 2026-03\n")
    periods.write_text(head + "  - id: 2026-03\n" + tail.replace("status: closed", "status: open",
                                                                  1), encoding="utf-8")
    done = kpi("new", "2026-03", "E2112", "--role", "data", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (ledger / "2026-03/workshop/E2112.data-perf-committee.yaml").read_text(encoding="utf-8")
    assert "延续考核：自 2026-02 起不合格" in text
    assert "source_unit: perf-committee" in text
    assert "drawing: null" in text
