"""A correction of a closed period changes who was last, and with it the rule events —
document 4's "three consecutive last places → eliminated" — through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from conftest import kpi

LEDGER = Path(__file__).resolve().parent.parent / "ledger"
ORIGINAL = "2026-04/cs-team-1/E1104.yaml"  # April 2026 is closed; E1104 scored 50 (last of 4)


def score(root: Path, cache: Path) -> dict:
    done = kpi("score", "--ledger", str(root), "--format", "json", cwd=root.parent, cache=cache)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def check(root: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    return kpi("check", str(root), cwd=root.parent, cache=cache)


def events(results: dict) -> set[tuple[str, str, str]]:
    return {(e["period"], e["assessee"], e["rule"]) for e in results["events"]}


def test_a_correction_changes_who_was_last(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    shutil.copytree(LEDGER, root)
    before = score(root, tmp_path / "c1")
    # E1104 was last in April, May and June: eliminated in June (the example's plan)
    assert ("2026-06", "E1104", "three-last") in events(before)

    original = (root / ORIGINAL).read_text(encoding="utf-8")
    corrected = (
        original.replace(
            "conversion: {numerator: 194, denominator: 359}",
            "conversion: {numerator: 150, denominator: 200}",
        )
        .replace(
            "payment: {numerator: 159, denominator: 216}",
            "payment: {numerator: 200, denominator: 216}",
        )
        .replace("  work: 4\n", "  work: 10\n")
        .replace("  attitude: 2\n", "  attitude: 5\n")
    )
    corrected += (
        "correction:\n  reason: 转化与支付数据取自错误的店铺报表\n"
        "  approved_by: E0001\n  date: 2026-05-20\n"
    )
    (root / ORIGINAL).with_name("E1104.correction-1.yaml").write_text(corrected, encoding="utf-8")
    assert check(root, tmp_path / "c2").returncode == 0  # a correction may amend a closed period

    after = score(root, tmp_path / "c3")
    april = {
        r["assessee"]: r
        for r in after["results"]
        if r["period"] == "2026-04" and r["scheme"] == "cs-agent" and r["group"] == "cs-team-1"
    }
    # By hand, from document 4's bands: 150/200 = 75% → 100 × 35% = 35; 200/216 = 92.6% → 100 ×
    # 20% = 20; 98.52/99.79 = 0.987 < 1.06 → 0; 363/380 = 95.5% → 60 × 5% = 3; T = 54 → 60 × 5%
    # = 3; work 10; attitude 5; attendance 10 − 2×2 − 1 = 5; suggestions 0 → 0. Total 81.
    assert april["E1104"]["total"] == "81.00"
    # 98 (E1102) first; 81 and 81 (E1101, E1104) share second; 79 (E1103) is now last
    assert (
        april["E1102"]["rank"],
        april["E1101"]["rank"],
        april["E1104"]["rank"],
        april["E1103"]["rank"],
    ) == (1, 2, 2, 4)
    assert ("2026-06", "E1104", "three-last") not in events(after)
    # still last in May and June: one more last place in July would eliminate
    assert any(
        w["assessee"] == "E1104" and w["rule"] == "three-last" and w["period"] == "2026-07"
        for w in after["warnings"]
    )
    assert (root / ORIGINAL).read_text(encoding="utf-8") == original  # the original stays
