"""Exactness and formulas that fail while they run (issue 13).

Every expected number is computed by hand from 文档14《客服部绩效考核标准》（1.3） and the
example scheme ledger/schemes/gs-bonus.yaml, the arithmetic written next to it:
  工作量绩效 = 300 − (60 × 天数 − 加权工作量) × 1
  QC 系数    = 1 − (70% − QC) × 5 when QC < 70%; 1 + (QC − 80%) × 5 when QC > 80%
               (the document prints the second sign backwards; the scheme reads it as a bonus)
  基础绩效奖金 = 工作量绩效 × QC 系数, exact; 组员绩效奖金 = that + 贡献度 + 其他, in 0–500
QC values here are not multiples of 0.2 %, so the factor has three decimals and rounding it to
two before multiplying (the old behaviour) gives a different amount.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import kpi
from site_ledger import build_site, write_config
from test_golden import REPO, make_ledger, rec, result, score

S = "gs-bonus"


def sheet(who: str, days: int, phone: int, qc: str, contribution: int = 0) -> tuple[str, str]:
    return rec("2026-03", S, "cs-gs", who, "superior", "E1300", {
        "work_days": str(days), "phone": str(phone), "chat": "0", "email": "0", "forum": "0",
        "qc": qc, "contribution": str(contribution), "other": "0"})


def test_doc14_qc_factor_is_not_rounded_before_it_multiplies(tmp_path: Path) -> None:
    out = score(make_ledger(tmp_path, [S], [
        sheet("E1301", 20, 1189, "83.3%"),
        sheet("E1302", 20, 1189, "66.7%", 50),
        sheet("E1303", 20, 1200, "81.1%"),
    ]))
    # E1301: 300 − (1200 − 1189) = 289; QC 83.3% → 1 + 3.3% × 5 = 1.165;
    #        289 × 1.165 = 336.685 → 336.69 (rounding 1.165 to 1.17 first gave 338.13)
    r = result(out, "2026-03", S, "E1301")
    assert r["total"] == "336.69"
    assert r["money"] == {"workload_pay": "289.00", "qc_factor": "1.17",
                          "base_bonus_pay": "336.69", "bonus": "336.69"}
    # the derivation shows which published amounts were rounded, and their exact values
    assert r["money_exact"] == {"base_bonus_pay": "336.685", "bonus": "336.685",
                                "qc_factor": "1.165"}
    # E1302: 289; QC 66.7% → 1 − 3.3% × 5 = 0.835; 289 × 0.835 = 241.315; + 50 = 291.315
    #        → 291.32 (with 0.84 first: 242.76 + 50 = 292.76)
    r = result(out, "2026-03", S, "E1302")
    assert r["total"] == "291.32"
    assert r["money"]["qc_factor"] == "0.84"
    assert (r["money"]["base_bonus_pay"], r["money"]["bonus"]) == ("241.32", "291.32")
    # E1303: 300 − (1200 − 1200) = 300; QC 81.1% → 1 + 1.1% × 5 = 1.055; 300 × 1.055 = 316.5
    r = result(out, "2026-03", S, "E1303")
    assert r["total"] == "316.50"
    assert r["money"] == {"workload_pay": "300.00", "qc_factor": "1.06",
                          "base_bonus_pay": "316.50", "bonus": "316.50"}
    assert r["money_exact"] == {"qc_factor": "1.055"}


def _failing_ledger(tmp_path: Path) -> Path:
    """gs-bonus with two more amounts: a daily rate (÷ days, zero for E1301) and a root of
    (QC − 90%) (negative for everyone here); and a total that divides by the days."""
    people = [sheet("E1301", 0, 0, "75%"), sheet("E1302", 20, 1200, "75%")]
    root = make_ledger(tmp_path, [S], people)
    path = root / "schemes" / f"{S}.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("ranking:\n", """  - id: per_day
    title: 日均奖金
    formula: bonus / work_days_value
  - id: root
    title: 开方
    formula: (qc_value - 0.9) ** 0.5
ranking:
""")
    text = text.replace("    + contribution_value + other_value, 0, 500)",
                        "    + contribution_value + other_value, 0, 500) * work_days_value"
                        " / work_days_value")
    path.write_text(text, encoding="utf-8")
    return root


def test_formula_failures_are_reported_everywhere(tmp_path: Path) -> None:
    root = _failing_ledger(tmp_path)
    text = (root / "schemes" / f"{S}.yaml").read_text(encoding="utf-8").splitlines()
    root_line = next(n for n, line in enumerate(text, 1) if "(qc_value - 0.9) ** 0.5" in line)
    total = next(n for n, line in enumerate(text, 1) if line.strip().startswith("formula: >-"))

    proc = kpi("score", "--ledger", str(root), "--format", "json", cwd=REPO,
               cache=tmp_path / "cache")
    assert proc.returncode == 1, proc.stderr  # never exit 0 with an amount silently missing
    out = json.loads(proc.stdout)
    e1301 = result(out, "2026-03", S, "E1301")
    # 0 / 0 in the total: no total, and the reason; money follows the total, so none either
    assert e1301["total"] is None and e1301["status"] == "incomplete" and e1301["money"] == {}
    [failure] = e1301["failures"]
    assert (failure["target"], failure["code"], failure["kind"]) == ("total", "KPI503", "invalid")
    assert "work_days_value = 0" in failure["values"]  # the value that made it fail is named
    e1302 = result(out, "2026-03", S, "E1302")
    # 300 × 1 (QC 75% is between 70% and 80%) = 300 per month, ÷ 20 days = 15 per day
    assert e1302["total"] == "300.00" and e1302["money"]["per_day"] == "15.00"
    assert "root" not in e1302["money"]
    assert e1302["failures"] == [{"target": "root", "code": "KPI504", "kind": "invalid",
                                  "values": "qc_value = 0.75"}]
    assert "KPI503" in proc.stderr and "KPI504" in proc.stderr

    table = kpi("score", "--ledger", str(root), cwd=REPO, cache=tmp_path / "cache").stdout
    assert "未算出的原因" in table and "开方：无效运算" in table and "总分：无效运算" in table

    check = kpi("check", "--ledger", str(root), "--format", "json", cwd=REPO,
                cache=tmp_path / "cache")
    assert check.returncode == 1
    found = {(x["code"], x["line"]) for x in json.loads(check.stdout)}
    assert ("KPI503", total) in found  # at the total formula
    assert ("KPI504", root_line) in found  # at `formula: (qc_value - 0.9) ** 0.5`


def test_formula_failures_show_on_the_person_page(tmp_path: Path) -> None:
    _failing_ledger(tmp_path)
    built = build_site(write_config(tmp_path))
    assert built.returncode == 0, built.stderr
    pages = list((tmp_path / "public").rglob("E1302/index.html"))
    assert pages, "no person page for E1302"
    html = pages[0].read_text(encoding="utf-8")
    assert "未算出" in html and "KPI504" in html and "无效运算" in html
    assert "qc_value = 0.75" in html
