"""What `kpi check` refuses so that no later command gets a number it cannot keep exactly or a
date, time zone or due time that does not exist (issue 13). Each case was accepted before and
then silently changed or crashed score, build and review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import kpi
from test_golden import LEDGER, REPO

from kpiledger.check.dates import record_dates


def _ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    (root / "schemes").mkdir(parents=True)
    for name in ("org.yaml", "periods.yaml", "schemes/gs-bonus.yaml", "schemes/cs-skills.yaml"):
        (root / name).write_bytes((LEDGER / name).read_bytes())
    shutil.copytree(LEDGER / "org", root / "org")
    (root / "2026-03" / "cs-gs").mkdir(parents=True)
    (root / "2026-03" / "cs-gs" / "E1301.yaml").write_bytes(
        (LEDGER / "2026-03" / "cs-gs" / "E1301.yaml").read_bytes()
    )
    return root


def _codes(root: Path, tmp_path: Path) -> set[tuple[str, str, int]]:
    proc = kpi("check", "--ledger", str(root), "--format", "json", "--no-cache", cwd=REPO,
               cache=tmp_path / "cache")
    return {(x["code"], x["file"], x["line"]) for x in json.loads(proc.stdout)}


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` by `new` in the file; the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


REC = "2026-03/cs-gs/E1301.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    [
        (REC, "phone: 820", "phone: 99999999999999999999", "KPI206"),  # > 10^12
        (REC, "other: 0", "other: 9.0000000000000000001", "KPI114"),  # would become 9
        (REC, "other: 0", "other: 1e-400", "KPI114"),  # would become 0
        (REC, "other: 0", "other: -1e300", "KPI206"),
        (REC, "other: 0", "other: 1e309", "KPI206"),  # infinity
        ("schemes/gs-bonus.yaml", "base_bonus: {value: 300", "base_bonus: {value: 1e300", "KPI206"),
        (REC, "notes:", "signatures: {assessor: 2026-02-30}\nnotes:", "KPI318"),
        ("periods.yaml", "timezone: Asia/Shanghai", "timezone: Mars/Olympus", "KPI322"),
        # a period writing its own due time (the others take theirs from the pattern)
        ("periods.yaml", "  - id: 2026-03\n    status: closed\n",
         "  - id: 2026-03\n    status: closed\n    due: 2026-04-05 25:61\n", "KPI323"),
    ],
)
def test_check_refuses(tmp_path: Path, file: str, old: str, new: str, code: str) -> None:
    root = _ledger(tmp_path)
    line = _edit(root / file, old, new)
    found = _codes(root, tmp_path)
    assert any(c == code and f.endswith(file) and n >= line for c, f, n in found), found


def test_occurrence_and_correction_dates_must_exist() -> None:
    """An occurrence dated 2026-13-45 and a correction dated 2026-02-31, as the checker reads
    a record document (check_loaded calls record_dates for every record)."""
    doc = {
        "items": {"late": [{"kind": "late", "count": 1, "date": "2026-13-45"},
                           {"kind": "late", "count": 1, "date": "2026-03-02"}]},
        "correction": {"reason": "x", "approved_by": "E0001", "date": "2026-02-31"},
        "signatures": {"assessee": "2026-03-01", "reviewer": None},
    }
    found = {(x.code, x.path) for x in record_dates(doc, "r.yaml")}
    assert found == {("KPI318", ("items", "late", 0, "date")),
                     ("KPI318", ("correction", "date"))}
