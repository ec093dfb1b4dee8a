"""Golden tests: one hand-worked case per source document, scored by the real command line.

Every expected number below was computed BY HAND from the rules printed in the source documents
(by number and title in docs/sources.md) and the example schemes in ledger/schemes/; the
arithmetic is written next to each number. Nothing here calls the engine to obtain an expected
value. Each test builds a small ledger in tmp_path (org.yaml and periods.yaml copied from the
example ledger, the one scheme under test copied from ledger/schemes/, hand-written records) and
runs `python -m kpiledger score --ledger <root> --format json`.

Contract (docs/ledger-format.md, schemas/results.schema.json): `results` entries carry period,
scheme, assessee, total (decimal text such as "87.00", rounded half up to the scheme's
precision), grade, rank, of, money {id: "375.00"} and items [{id, points, contribution, …}];
`events` entries carry period, assessee, scheme, rule, outcome, amount and periods.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import kpi, record_head, write_files

from kpiledger.load.layout import record_path

REPO = Path(__file__).resolve().parents[1]
LEDGER = REPO / "ledger"
HEADER = "# yaml-language-server: $schema=../../../schemas/record.schema.json\n"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


def make_ledger(tmp_path: Path, schemes: list[str], records: list[tuple[str, str]]) -> Path:
    """A ledger in tmp_path: the example org and calendar, the given schemes, these records."""
    root = tmp_path / "ledger"
    (root / "schemes").mkdir(parents=True)
    shutil.copy(LEDGER / "org.yaml", root / "org.yaml")
    shutil.copytree(LEDGER / "org", root / "org")  # the units' files
    shutil.copy(LEDGER / "periods.yaml", root / "periods.yaml")
    for scheme in schemes:
        shutil.copy(LEDGER / "schemes" / f"{scheme}.yaml", root / "schemes" / f"{scheme}.yaml")
    return write_files(root, dict(records))


def rec(
    period: str,
    scheme: str,
    unit: str,
    assessee: str,
    role: str,
    author: str,
    items: dict[str, str],
    source_unit: str | None = None,
) -> tuple[str, str]:
    """One record file (relative path, text). Item values are YAML flow text."""
    lines = [
        HEADER.rstrip("\n"),
        *record_head(period, scheme, unit, assessee, role, author, source_unit),
        "items:",
        *(f"  {key}: {value}" for key, value in items.items()),
    ]
    return record_path(period, unit, assessee, role, source_unit), "\n".join(lines) + "\n"


def score(root: Path) -> dict:
    proc = kpi("score", "--ledger", str(root), "--format", "json", cwd=REPO,
               cache=root.parent / ".kpi-cache")
    assert proc.returncode == 0, (
        f"kpi score failed ({proc.returncode}):\n{proc.stderr}\n{proc.stdout}"
    )
    return json.loads(proc.stdout)


def result(out: dict, period: str, scheme: str, assessee: str) -> dict:
    found = [
        r
        for r in out["results"]
        if r["period"] == period and r["scheme"] == scheme and r["assessee"] == assessee
    ]
    assert len(found) == 1, f"expected one result for {period} {scheme} {assessee}, got {found}"
    return found[0]


def item(res: dict, item_id: str) -> dict:
    found = [i for i in res["items"] if i["id"] == item_id]
    assert len(found) == 1, f"no item {item_id} in {res['assessee']}"
    return found[0]


def dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def check(
    res: dict,
    total: str,
    grade: str | None = None,
    rank: int | None = None,
    of: int | None = None,
    money: dict[str, str] | None = None,
    points: dict[str, str | None] | None = None,
    contributions: dict[str, str] | None = None,
) -> None:
    assert res["total"] == total, (res["assessee"], res["total"], total)
    assert res["grade"] == grade, (res["assessee"], res["grade"], grade)
    if rank is not None:
        assert res["rank"] == rank, (res["assessee"], res["rank"], rank)
    if of is not None:
        assert res["of"] == of, (res["assessee"], res["of"], of)
    for money_id, amount in (money or {}).items():
        assert res["money"][money_id] == amount, (res["assessee"], money_id, res["money"], amount)
    for item_id, pts in (points or {}).items():
        got = item(res, item_id)["points"]
        assert dec(got) == dec(pts), (res["assessee"], item_id, got, pts)
    for item_id, contribution in (contributions or {}).items():
        got = item(res, item_id)["contribution"]
        assert dec(got) == Decimal(contribution), (res["assessee"], item_id, got, contribution)


def events(out: dict, scheme: str, rule: str | None = None) -> set[tuple[str, str, str]]:
    return {
        (e["period"], e["assessee"], e["rule"])
        for e in out["events"]
        if e["scheme"] == scheme and (rule is None or e["rule"] == rule)
    }


def event(out: dict, period: str, assessee: str, rule: str) -> dict:
    found = [
        e
        for e in out["events"]
        if e["period"] == period and e["assessee"] == assessee and e["rule"] == rule
    ]
    assert len(found) == 1, f"expected one {rule} event for {assessee} in {period}: {out['events']}"
    return found[0]


# --------------------------------------------------------------------------------------------
# 文档4 客服部客服绩效考核表 (scheme cs-agent)
# --------------------------------------------------------------------------------------------


def doc4(period, unit, who, conv, pay, price, reply, t, work, attitude, attendance, sugg,
         refund="{numerator: 1, denominator: 100}"):
    author = "E1100" if unit == "cs-team-1" else "E1200"
    return rec(period, "cs-agent", unit, who, "superior", author, {
        "conversion": conv, "payment": pay, "unit_price": price, "reply_rate": reply,
        "response_time": str(t), "refund_rate": refund, "work": str(work),
        "attitude": str(attitude), "attendance": attendance, "suggestions": str(sugg),
    })


def test_doc4_team_month_boundaries_tie_and_worked_example(tmp_path: Path) -> None:
    records = [
        # E1101 张晓燕 — boundaries: 150/200 = 75% meets X ≥ 75%; 990/1000 = 99% meets Z ≥ 99%;
        # 88/100 = 88% is 85% ≤ F < 92% → 80; 112/100 = 1.12 meets Y ≥ 1.12;
        #   T = 45 is 30 < T ≤ 45 → 80.
        doc4("2026-03", "cs-team-1", "E1101",
             "{numerator: 150, denominator: 200}", "{numerator: 88, denominator: 100}",
             "{numerator: 112, denominator: 100}", "{numerator: 990, denominator: 1000}",
             45, 9, 5, "[{kind: late, count: 1, reason: 3月5日迟到}]", 5),
        # E1102 王磊 — the document's worked example: total 50 → 750 × 50% = 375.
        # 130/200 = 65% (75% > X ≥ 65%) → 80; 72/100 = 72% (72% ≤ F < 85%) → 60; 105/100 = 1.05 → 0;
        # 96/100 = 96% (97% > Z ≥ 95%) → 60; T = 56 (T > 55) → 0.
        doc4("2026-03", "cs-team-1", "E1102",
             "{numerator: 130, denominator: 200}", "{numerator: 72, denominator: 100}",
             "{numerator: 105, denominator: 100}", "{numerator: 96, denominator: 100}",
             56, 1, 0, "[{kind: late, count: 1}, {kind: leave_day, count: 2}]", 0),
        # E1103 李娜 — under 35. 49/100 = 49% → 0; 70/100 = 70% → 0;
        # 106/100 = 1.06 (1.08 > Y ≥ 1.06) → 60; 97/100 = 97% (99% > Z ≥ 97%) → 80
        # (the document prints 800); T = 55 (45 < T ≤ 55) → 60.
        doc4("2026-03", "cs-team-1", "E1103",
             "{numerator: 49, denominator: 100}", "{numerator: 70, denominator: 100}",
             "{numerator: 106, denominator: 100}", "{numerator: 97, denominator: 100}",
             55, 5, 2, "[{kind: late, count: 3}]", 1),
        # E1104 刘洋 — ties E1101 at 93. 140/200 = 70% → 80; 92/100 = 92% meets F ≥ 92% → 100;
        # 110/100 = 1.10 (1.12 > Y ≥ 1.08) → 80; 98/100 = 98% → 80; T = 30 meets T ≤ 30 → 100.
        doc4("2026-03", "cs-team-1", "E1104",
             "{numerator: 140, denominator: 200}", "{numerator: 92, denominator: 100}",
             "{numerator: 110, denominator: 100}", "{numerator: 98, denominator: 100}",
             30, 10, 5, "[]", 15),
    ]
    out = score(make_ledger(tmp_path, ["cs-agent"], records))

    # E1101: 35·100/100 + 20·80/100 + 10·100/100 + 5·100/100 + 5·80/100 + 9 + 5 + (10 − 2·1) +
    #   ⌊5/5⌋·1
    #      = 35 + 16 + 10 + 5 + 4 + 9 + 5 + 8 + 1 = 93.00
    # pay 750 × 93 / 100 = 697.50; salary 800 + 200 + 200 + 697.50 + 0 (not 全勤) = 1897.50
    check(
        result(out, "2026-03", "cs-agent", "E1101"), "93.00", grade="合格", rank=1, of=4,
        money={"perf_pay": "697.50", "salary": "1897.50"},
        points={"conversion": "100", "payment": "80", "unit_price": "100", "reply_rate": "100",
                "response_time": "80", "refund_rate": None, "work": "9", "attitude": "5",
                "attendance": "8", "suggestions": "1"},
        contributions={"conversion": "35", "payment": "16", "unit_price": "10", "reply_rate": "5",
                       "response_time": "4", "work": "9", "attitude": "5", "attendance": "8"},
    )
    # E1104: 35·80/100 + 20·100/100 + 10·80/100 + 5·80/100 + 5·100/100 + 10 + 5 + 10 + ⌊15/5⌋·1
    #      = 28 + 20 + 8 + 4 + 5 + 10 + 5 + 10 + 3 = 93.00 — ties E1101: both rank 1
    # pay 750 × 93% = 697.50; salary 1200 + 697.50 + 50 (全勤: attendance 10) = 1947.50
    check(
        result(out, "2026-03", "cs-agent", "E1104"), "93.00", grade="合格", rank=1, of=4,
        money={"perf_pay": "697.50", "salary": "1947.50"},
        points={"payment": "100", "response_time": "100", "attendance": "10", "suggestions": "3"},
    )
    # E1102: 35·80/100 + 20·60/100 + 10·0/100 + 5·60/100 + 5·0/100 + 1 + 0 + (10 − 2·1 − 1·2) + 0
    #      = 28 + 12 + 0 + 3 + 0 + 1 + 0 + 6 + 0 = 50.00 → rank 3 (after the tie at 1)
    # 文档4: 如50分 750*50%=375; salary 800 + 200 + 200 + 375 = 1575.00
    check(
        result(out, "2026-03", "cs-agent", "E1102"), "50.00", grade="合格", rank=3, of=4,
        money={"perf_pay": "375.00", "salary": "1575.00"},
        points={"conversion": "80", "payment": "60", "unit_price": "0", "reply_rate": "60",
                "response_time": "0", "attendance": "6", "suggestions": "0"},
    )
    # E1103: 0 + 0 + 10·60/100 + 5·80/100 + 5·60/100 + 5 + 2 + (10 − 2·3) + ⌊1/5⌋
    #      = 0 + 0 + 6 + 4 + 3 + 5 + 2 + 4 + 0 = 24.00 → below 35: 不合格, last (rank 4)
    # pay 750 × 24% = 180.00; salary 1200 + 180 = 1380.00
    check(
        result(out, "2026-03", "cs-agent", "E1103"), "24.00", grade="不合格", rank=4, of=4,
        money={"perf_pay": "180.00", "salary": "1380.00"},
        points={"unit_price": "60", "reply_rate": "80", "response_time": "60", "attendance": "4"},
    )


def _doc4_level(period, who, level):
    """Three hand-made sheets for the rule test (team cs-team-2)."""
    if level == "high":  # 35 + 20 + 10 + 5 + 5 + 10 + 5 + 10 = 100
        return doc4(period, "cs-team-2", who, "{numerator: 160, denominator: 200}",
                    "{numerator: 95, denominator: 100}", "{numerator: 115, denominator: 100}",
                    "{numerator: 100, denominator: 100}", 20, 10, 5, "[]", 0)
    # mid: 35·80% + 20·80% + 10·80% + 5·80% + 5·80% + 8 + 4 + 10 = 28+16+8+4+4+8+4+10 = 82
    if level == "mid":
        return doc4(period, "cs-team-2", who, "{numerator: 140, denominator: 200}",
                    "{numerator: 90, denominator: 100}", "{numerator: 110, denominator: 100}",
                    "{numerator: 98, denominator: 100}", 40, 8, 4, "[]", 0)
    if level == "low":  # 0 + 0 + 0 + 0 + 0 + 3 + 2 + (10 − 2) = 13 (< 35)
        return doc4(period, "cs-team-2", who, "{numerator: 90, denominator: 200}",
                    "{numerator: 70, denominator: 100}", "{numerator: 100, denominator: 100}",
                    "{numerator: 90, denominator: 100}", 60, 3, 2, "[{kind: late, count: 1}]", 0)
    # low40: 35·80% + 0 + 0 + 0 + 0 + 5 + 2 + (10 − 2·2 − 1) = 28 + 5 + 2 + 5 = 40 (≥ 35)
    if level == "low40":
        return doc4(period, "cs-team-2", who, "{numerator: 130, denominator: 200}",
                    "{numerator: 70, denominator: 100}", "{numerator: 100, denominator: 100}",
                    "{numerator: 90, denominator: 100}", 60, 5, 2,
                    "[{kind: late, count: 2}, {kind: leave_day, count: 1}]", 0)
    raise AssertionError(level)


def test_doc4_cross_period_rules(tmp_path: Path) -> None:
    # cs-team-2 (E1201, E1202, E1203), ranked within the team:
    #            E1201      E1202      E1203
    # 2026-01    100 (1st)   13 (last)  82
    # 2026-02    100 (1st)   82         13 (last, < 35)
    # 2026-03    100 (1st)   82         13 (last, < 35)
    # 2026-04     82        100 (1st)   40 (last, not < 35)
    # → 连续三次名列第一: E1201 at 2026-03 (01, 02, 03)
    # → 连续两次低于35分: E1203 at 2026-03 (02, 03); E1202's single 13 in 01 does not count
    # → 连续三次倒数第一: E1203 at 2026-04 (02, 03, 04)
    plan = {
        "2026-01": {"E1201": "high", "E1202": "low", "E1203": "mid"},
        "2026-02": {"E1201": "high", "E1202": "mid", "E1203": "low"},
        "2026-03": {"E1201": "high", "E1202": "mid", "E1203": "low"},
        "2026-04": {"E1201": "mid", "E1202": "high", "E1203": "low40"},
    }
    records = [_doc4_level(p, who, lvl) for p, row in plan.items() for who, lvl in row.items()]
    out = score(make_ledger(tmp_path, ["cs-agent"], records))

    check(result(out, "2026-01", "cs-agent", "E1202"), "13.00", grade="不合格", rank=3, of=3)
    check(result(out, "2026-01", "cs-agent", "E1203"), "82.00", grade="合格", rank=2, of=3)
    check(result(out, "2026-04", "cs-agent", "E1203"), "40.00", grade="合格", rank=3, of=3,
          money={"perf_pay": "300.00"})  # 750 × 40% = 300

    assert events(out, "cs-agent") == {
        ("2026-03", "E1201", "three-first"),
        ("2026-03", "E1203", "two-below-35"),
        ("2026-04", "E1203", "three-last"),
    }
    first = event(out, "2026-03", "E1201", "three-first")
    assert first["periods"] == ["2026-01", "2026-02", "2026-03"]
    assert event(out, "2026-03", "E1203", "two-below-35")["periods"] == ["2026-02", "2026-03"]
    last = event(out, "2026-04", "E1203", "three-last")
    assert last["periods"] == ["2026-02", "2026-03", "2026-04"]
    assert event(out, "2026-03", "E1203", "two-below-35")["outcome"] == "淘汰"
    assert event(out, "2026-04", "E1203", "three-last")["outcome"] == "淘汰"
    assert event(out, "2026-03", "E1201", "three-first")["outcome"] == "额外奖金"


def test_doc4_printed_typo_800_is_rejected(tmp_path: Path) -> None:
    # The document prints 800 for the 99% > Z ≥ 97% band of 旺旺回复率;
    # a weighted item scores 0–100, so the checker must refuse the fixture that keeps the misprint.
    root = make_ledger(tmp_path, [], [])
    fixture = REPO / "tests" / "fixtures" / "doc4_typo_scheme.yaml"
    shutil.copy(fixture, root / "schemes" / "cs-agent.yaml")
    proc = kpi("check", str(root), cwd=REPO, cache=tmp_path / ".kpi-cache")
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "800" in proc.stdout + proc.stderr


# --------------------------------------------------------------------------------------------
# 文档1 关于各部门2月份关键绩效考核指标的通知 (scheme kpi-notice-2014-02)
# --------------------------------------------------------------------------------------------


def test_doc1_drawing_pass_fail_carry_over_and_plan_deductions(tmp_path: Path) -> None:
    s = "kpi-notice-2014-02"
    records = [
        rec("2026-02", s, "tech", "E2201", "superior", "E0011", {
            "annual_plan": "[{kind: critical_path_omission, count: 1},"
                           " {kind: late_day, count: 2}]"}),
        rec("2026-02", s, "tech", "E2201", "data", "E0020", {"drawing": "true"},
            source_unit="perf-committee"),
        rec("2026-02", s, "workshop", "E2112", "superior", "E2101", {
            "annual_plan": "[{kind: interface_omission, count: 1}]"}),
        rec("2026-02", s, "workshop", "E2112", "data", "E0020", {"drawing": "false"},
            source_unit="perf-committee"),
        rec("2026-02", s, "tech", "E2202", "superior", "E2201", {
            "annual_plan": "[{kind: late_day, count: 25}]"}),
        rec("2026-02", s, "tech", "E2202", "data", "E0020", {"drawing": "true"},
            source_unit="perf-committee"),
    ]
    out = score(make_ledger(tmp_path, [s], records))
    # E2201: 识图 合格 → 100; plan 100 − 15·1 − 5·2 = 75
    #        total 50·100/100 + 50·75/100 = 50 + 37.5 = 87.50 (≥ 60 合格)
    check(result(out, "2026-02", s, "E2201"), "87.50", grade="合格", rank=1, of=3,
          points={"drawing": "100", "annual_plan": "75"},
          contributions={"drawing": "50", "annual_plan": "37.5"})
    # E2202: plan 100 − 5·25 = −25 → floored at 0; total 50 + 50·0/100 = 50.00
    check(result(out, "2026-02", s, "E2202"), "50.00", grade="不合格", rank=2, of=3,
          points={"annual_plan": "0"})
    # E2112: 识图 不合格 (absent on 2月18日/20日) → 0; plan 100 − 10·1 = 90
    #        total 50·0/100 + 50·90/100 = 45.00 (< 60 不合格)
    check(result(out, "2026-02", s, "E2112"), "45.00", grade="不合格", rank=3, of=3,
          points={"drawing": "0", "annual_plan": "90"})
    # 本次本项考核不合格者……将延续至次月考核，直至合格为止
    assert events(out, s, "drawing-carry-over") == {("2026-02", "E2112", "drawing-carry-over")}


# --------------------------------------------------------------------------------------------
# 文档2 客服部门绩效考核标准 (scheme cs-skills)
# --------------------------------------------------------------------------------------------


def test_doc2_skill_checklist(tmp_path: Path) -> None:
    levels = {
        "typing": "未达标", "multi_customer": "达标", "wangwang": "达标", "online_banking": "达标",
        "alipay": "达标", "backend": "达标", "logistics": "达标", "listings": "达标",
        "product_knowledge": "达标", "greeting": "基本达标", "needs": "达标",
    }
    out = score(make_ledger(tmp_path, ["cs-skills"], [
        rec("2026-Q1", "cs-skills", "cs-team-1", "E1101", "superior", "E1100", levels)]))
    # typing 8·0/100 = 0; eight items at 达标 8·100/100 = 8 each → 64; greeting 14·60/100 = 8.4;
    # needs 14·100/100 = 14 → 0 + 64 + 8.4 + 14 = 86.40 → 良好 (75 ≤ 86.40 < 90)
    check(result(out, "2026-Q1", "cs-skills", "E1101"), "86.40", grade="良好", rank=1, of=1,
          points={"typing": "0", "greeting": "60", "needs": "100"},
          contributions={"typing": "0", "greeting": "8.4", "backend": "8"})


# --------------------------------------------------------------------------------------------
# 文档5 生产车间主任 / 班组长 量表, 生产管理部 / 工艺管理部 KPI
# --------------------------------------------------------------------------------------------


def test_doc5_workshop_director(tmp_path: Path) -> None:
    out = score(make_ledger(tmp_path, ["workshop-director"], [
        rec("2026-Q1", "workshop-director", "workshop", "E2101", "superior", "E2001", {
            "plan_on_time": "100%", "productivity": "4%", "delivery": "95%", "sampling_pass": "98%",
            "scheduling": "81%", "labour_hours": "95%", "material_use": "76%", "site_5s": "4",
            "safety": "1", "major_accident": "0", "skill_growth": "12%",
            "process_compliance": "90%"})]))
    # plan 100%/100% → 100 → 15; productivity 4%/5% → 80 → 10·0.8 = 8; delivery 95%/95% → 10;
    # sampling 98%/98% → 10; scheduling 81%/90% → 90 → 9; labour 95%/95% → 10;
    # material 76%/95% → 80 → 8; 5S 4 items (3 < X ≤ 5) → 60 → 5·0.6 = 3; safety 1 (X ≤ 1) → 10;
    # skill 12%/10% → 120 capped 100 → 5; process 90%/100% → 90 → 4.5
    # total 15 + 8 + 10 + 10 + 9 + 10 + 8 + 3 + 10 + 5 + 4.5 = 92.50
    check(result(out, "2026-Q1", "workshop-director", "E2101"), "92.50", rank=1, of=1,
          points={"productivity": "80", "scheduling": "90", "site_5s": "60", "skill_growth": "100",
                  "process_compliance": "90", "major_accident": None},
          contributions={"plan_on_time": "15", "site_5s": "3", "process_compliance": "4.5"})


def test_doc5_team_leaders_with_veto(tmp_path: Path) -> None:
    s = "team-leader"
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-Q1", s, "workshop", "E2111", "superior", "E2101", {
            "plan_on_time": "100%", "productivity": "5.5%", "first_pass": "98%", "rework": "2%",
            "labour_hours": "95%", "safety": "0", "major_accident": "0"}),
        rec("2026-Q1", s, "workshop", "E2112", "superior", "E2101", {
            "plan_on_time": "97%", "productivity": "3%", "first_pass": "93.1%", "rework": "2.5%",
            "labour_hours": "76%", "safety": "1", "major_accident": "0"}),
        rec("2026-Q1", s, "workshop", "E2113", "superior", "E2101", {
            "plan_on_time": "100%", "productivity": "5%", "first_pass": "99%", "rework": "1%",
            "labour_hours": "96%", "safety": "0", "major_accident": "1"}),
    ]))
    # E2111: 20 + (5.5%/5% → 110 → cap 100) 20 + 20 + (R = 2% meets R ≤ 2%) 10 + 15 + 15 = 100.00
    check(result(out, "2026-Q1", s, "E2111"), "100.00", rank=1, of=3,
          points={"productivity": "100", "rework": "100"})
    # E2112: 97% → 97 → 20·0.97 = 19.4; 3%/5% → 60 → 12; 93.1%/98% → 95 → 19;
    #        2.5% (2% < R ≤ 3%) → 80 → 8; 76%/95% → 80 → 12; 1 accident (X ≤ 1) → 15
    #        total 19.4 + 12 + 19 + 8 + 12 + 15 = 85.40
    check(result(out, "2026-Q1", s, "E2112"), "85.40", rank=2, of=3,
          points={"plan_on_time": "97", "productivity": "60", "first_pass": "95", "rework": "80",
                  "labour_hours": "80"})
    # E2113: every item at full marks, but one 重大生产安全事故 → veto: total 0.00
    check(result(out, "2026-Q1", s, "E2113"), "0.00", rank=3, of=3)


def test_doc5_production_department_from_data_owners(tmp_path: Path) -> None:
    s = "prod-dept"
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-Q1", s, "prod", "prod", "data", "E2001", {
            "plan_rate": "{numerator: 4750, denominator: 5000}", "safety_accidents": "1"},
            source_unit="prod"),
        rec("2026-Q1", s, "prod", "prod", "data", "E0302", {
            "internal_profit": "{numerator: 330, denominator: 300}", "cost_reduction": "1.5%"},
            source_unit="finance"),
        rec("2026-Q1", s, "prod", "prod", "data", "E0402", {
            "productivity": "4%", "sampling_pass": "{numerator: 294, denominator: 300}"},
            source_unit="quality"),
        rec("2026-Q1", s, "prod", "prod", "data", "E0501", {
            "delivery": "{numerator: 456, denominator: 480}"}, source_unit="sales"),
    ]))
    # plan 4750/5000 = 95% → 95 → 20·0.95 = 19; profit 330/300 = 110% → cap 100 → 15;
    # productivity 4%/5% → 80 → 8; delivery 456/480 = 95% (target 95%) → 100 → 15;
    # sampling 294/300 = 98% (target 98%) → 100 → 15; cost 1.5%/3% → 50 → 5;
    # safety 1 accident → 60 → 9
    # total 19 + 15 + 8 + 15 + 15 + 5 + 9 = 86.00
    check(result(out, "2026-Q1", s, "prod"), "86.00", rank=1, of=1,
          points={"plan_rate": "95", "internal_profit": "100", "cost_reduction": "50",
                  "safety_accidents": "60"},
          contributions={"plan_rate": "19", "safety_accidents": "9"})


def test_doc5_process_department_zero_denominator(tmp_path: Path) -> None:
    s = "tech-dept"
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-Q1", s, "tech", "tech", "data", "E2201", {
            "design_on_time": "{numerator: 0, denominator: 0}",
            "trial_on_time": "{numerator: 9, denominator: 10}", "standard_hours": "4%"},
            source_unit="tech"),
        rec("2026-Q1", s, "tech", "tech", "data", "E0401", {
            "document_errors": "{numerator: 2, denominator: 100}"}, source_unit="quality"),
        rec("2026-Q1", s, "tech", "tech", "data", "E0301", {
            "document_loss": "0", "improvement_saving": "3%",
            "budget": "{numerator: 42, denominator: 40}"}, source_unit="finance"),
    ]))
    # design 0/0 → zero_denominator 100 → 20; trial 9/10 = 90% → 90 → 15·0.9 = 13.5;
    # errors 2/100 = 2% (1% < E ≤ 3%) → 80 → 12; loss 0 (L = 0) → 100 → 15;
    # standard hours 4%/5% → 80 → 8; saving 3%/3% → 100 → 10;
    #   budget 42/40 = 105% (101% < B ≤ 105%) → 60 → 9
    # total 20 + 13.5 + 12 + 15 + 8 + 10 + 9 = 87.50
    check(result(out, "2026-Q1", s, "tech"), "87.50", rank=1, of=1,
          points={"design_on_time": "100", "document_errors": "80", "budget": "60"})


# --------------------------------------------------------------------------------------------
# 文档6 客服部 / 呼叫中心 关键绩效考核指标
# --------------------------------------------------------------------------------------------


def test_doc6_customer_service_department(tmp_path: Path) -> None:
    s = "cs-dept"
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-03", s, "cs", "cs", "data", "E1002", {
            "feedback_timely": "{numerator: 190, denominator: 200}",
            "info_timely": "{numerator: 80, denominator: 80}",
            "revisit_rate": "{numerator: 900, denominator: 1000}",
            "resolve_speed": "{numerator: 1800, denominator: 50}",
            "resolve_satisfaction": "{numerator: 38, denominator: 40}",
            "key_account_loss": "1", "key_account_visits": "15",
            "satisfaction": "[90, 80, 100, 90]", "cooperation": "[81, 81]"}, source_unit="cs"),
    ]))
    # feedback 190/200 = 95% → 95 → 15·0.95 = 14.25; info 100% → 10; revisit 90% → 90 → 9;
    # speed 1800/50 = 36 h (24 < H ≤ 48) → 80 → 8; satisfaction-of-resolution 38/40 = 95%/95% → 15;
    # 1 key account lost → 60 → 6; visits 15/20 → 75 → 5·0.75 = 3.75;
    # survey mean (90+80+100+90)/4 = 90 → 90/90 → 15; cooperation mean 81 → 81/90 = 90 → 9
    # total 14.25 + 10 + 9 + 8 + 15 + 6 + 3.75 + 15 + 9 = 90.00
    check(result(out, "2026-03", s, "cs"), "90.00", rank=1, of=1,
          points={"feedback_timely": "95", "resolve_speed": "80", "key_account_visits": "75",
                  "satisfaction": "100", "cooperation": "90"},
          contributions={"feedback_timely": "14.25", "key_account_visits": "3.75"})


def test_doc6_call_centre_with_finance_data(tmp_path: Path) -> None:
    s = "call-centre"
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-03", s, "call-centre", "call-centre", "data", "E1401", {
            "plan_completion": "{numerator: 9500, denominator: 10000}",
            "survey_completion": "{numerator: 0, denominator: 0}",
            "process_improvement": "{numerator: 1, denominator: 2}",
            "satisfaction": "[85, 95, 90]",
            "transfer_rate": "{numerator: 1000, denominator: 10000}", "calls": "12000",
            "abandon_rate": "{numerator: 500, denominator: 10000}"}, source_unit="call-centre"),
        rec("2026-03", s, "call-centre", "call-centre", "data", "E0302", {
            "budget_control": "{numerator: 105000, denominator: 100000}"}, source_unit="finance"),
    ]))
    # plan 95% → 95 → 19; budget 105% (100% < C ≤ 105%) → 80 → 12; survey 0/0 → 100 → 10;
    # process 1/2 → 50 → 5; satisfaction mean 90 → 100 → 20; transfer 10% (R ≤ 10%) → 100 → 10;
    # calls: input only; abandon 5% (3% < A ≤ 5%) → 80 → 12
    # total 19 + 12 + 10 + 5 + 20 + 10 + 12 = 88.00
    check(result(out, "2026-03", s, "call-centre"), "88.00", rank=1, of=1,
          points={"budget_control": "80", "survey_completion": "100", "transfer_rate": "100",
                  "abandon_rate": "80", "calls": None})


# --------------------------------------------------------------------------------------------
# 文档7 客户服务人员绩效考核方案 (scheme branch-cs): self 20 / superior 50 / group 30
# --------------------------------------------------------------------------------------------


def test_doc7_three_assessors(tmp_path: Path) -> None:
    s = "branch-cs"
    unit = "branch-east-cs"
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-03", s, unit, "E3101", "self", "E3101", {
            "skill": "[{kind: spot_check_fail, count: 1}]", "report_quality": "[]"}),
        rec("2026-03", s, unit, "E3101", "superior", "E3100", {
            "skill": "[{kind: spot_check_fail, count: 2}]",
            "complaint": "{numerator: 3, denominator: 1000}",
            "callback_rate": "{numerator: 12540, denominator: 13200}",
            "callback_truth": "0", "satisfaction": "100%",
            "report_timely": "[{kind: late_report, count: 1}]",
            "report_quality": "[{kind: quality_issue, count: 1}]"}),
        rec("2026-03", s, unit, "E3101", "group", "E1002", {
            "skill": "[{kind: spot_check_fail, count: 3}]", "report_timely": "[]",
            "report_quality": "[]"}),
        # E3102: the group has not submitted → missing_assessor renormalise
        rec("2026-03", s, unit, "E3102", "self", "E3102", {
            "skill": "[]", "report_quality": "[]"}),
        rec("2026-03", s, unit, "E3102", "superior", "E3100", {
            "skill": "[{kind: spot_check_fail, count: 7}]",
            "complaint": "{numerator: 0, denominator: 900}",
            "callback_rate": "{numerator: 12540, denominator: 13200}",
            "callback_truth": "4", "satisfaction": "74%",
            "report_timely": "[{kind: late_report, count: 6}]",
            "report_quality": "[{kind: data_untrue, count: 1}, {kind: quality_issue, count: 1}]"}),
    ]))
    # E3101
    #   skill: self 30 − 2·1 = 28, superior 30 − 2·2 = 26, group 30 − 2·3 = 24
    #          (20·28 + 50·26 + 30·24) / 100 = (560 + 1300 + 720) / 100 = 25.80
    #   complaint 3/1000 = 0.3% (0% < X ≤ 0.4%, 扣2分) → 18
    #   callback 12540 / (200 × 3 × 22 = 13200) = 95% (95% ≤ X < 100%, 扣1分) → 9
    #   truth 0 → 10; satisfaction 100% → 10
    #   report_timely: superior 10 − 2 = 8, group 10 → (50·8 + 30·10) / 80 = 700/80 = 8.75
    #   report_quality: self 10, superior 10 − 2 = 8, group 10 → (200 + 400 + 300) / 100 = 9
    #   total 25.80 + 18 + 9 + 10 + 10 + 8.75 + 9 = 90.55
    check(result(out, "2026-03", s, "E3101"), "90.55", rank=1, of=2,
          points={"skill": "25.8", "complaint": "18", "callback_rate": "9", "report_timely": "8.75",
                  "report_quality": "9"})
    # E3102 (no group record; weights renormalised over the roles that submitted)
    #   skill: self 30, superior 30 − 2·7 = 16 → (20·30 + 50·16) / 70 = 1400/70 = 20
    #   complaint 0/900 = 0% → 20; callback 95% → 9; truth 4 (3 ≤ N ≤ 5, 扣3分) → 7
    #   satisfaction 74% (S < 75%, 扣5分) → 5
    #   report_timely: superior only, 10 − 2·6 = −2 → floor 0 → 0
    #   report_quality: self 10, superior 10 − 5 − 2 = 3 → (200 + 150) / 70 = 5
    #   total 20 + 20 + 9 + 7 + 5 + 0 + 5 = 66.00
    check(result(out, "2026-03", s, "E3102"), "66.00", rank=2, of=2,
          points={"skill": "20", "complaint": "20", "callback_truth": "7", "satisfaction": "5",
                  "report_timely": "0", "report_quality": "5"})


def test_doc7_three_months_top_three_with_tie(tmp_path: Path) -> None:
    s = "branch-cs"

    def sheet(period, who, fails):
        unit = "branch-east-cs" if who.startswith("E31") else "branch-south-cs"
        author = "E3100" if unit == "branch-east-cs" else "E3200"
        skill = "[]" if fails == 0 else f"[{{kind: spot_check_fail, count: {fails}}}]"
        # superior only: 30 − 2·fails + 20 + 10 + 10 + 10 + 10 + 10 = 100 − 2·fails
        return rec(period, s, unit, who, "superior", author, {
            "skill": skill, "complaint": "{numerator: 0, denominator: 100}",
            "callback_rate": "{numerator: 13200, denominator: 13200}", "callback_truth": "0",
            "satisfaction": "100%", "report_timely": "[]", "report_quality": "[]"})

    fails = {  # totals 100 − 2·fails, ranked over the whole scheme (all branches)
        "2026-03": {"E3101": 0, "E3102": 1, "E3103": 2, "E3201": 5},  # 100 98 96 90 → 1 2 3 4
        "2026-04": {"E3101": 1, "E3102": 0, "E3103": 3, "E3201": 4},  # 98 100 94 92 → 2 1 3 4
        "2026-05": {"E3101": 0, "E3102": 0, "E3103": 1, "E3201": 3},  # 100 100 98 94 → 1 1 3 4
    }
    out = score(make_ledger(tmp_path, [s], [
        sheet(p, who, n) for p, row in fails.items() for who, n in row.items()]))
    check(result(out, "2026-05", s, "E3101"), "100.00", rank=1, of=4)
    check(result(out, "2026-05", s, "E3102"), "100.00", rank=1, of=4)
    check(result(out, "2026-05", s, "E3103"), "98.00", rank=3, of=4)
    check(result(out, "2026-03", s, "E3201"), "90.00", rank=4, of=4)
    # 连续3个月综合排名前三名，分别奖励500元、300元、200元，名次并列的同时奖励:
    # E3101, E3102, E3103 were in the top three in 03, 04 and 05; the award follows the place in the
    # third month: E3101 and E3102 tied 1st → 500 each,
    #   E3103 3rd → 200. E3201 never in the top three.
    assert events(out, s, "top3-three-months") == {
        ("2026-05", "E3101", "top3-three-months"),
        ("2026-05", "E3102", "top3-three-months"),
        ("2026-05", "E3103", "top3-three-months"),
    }
    assert dec(event(out, "2026-05", "E3101", "top3-three-months")["amount"]) == Decimal("500")
    assert dec(event(out, "2026-05", "E3102", "top3-three-months")["amount"]) == Decimal("500")
    assert dec(event(out, "2026-05", "E3103", "top3-three-months")["amount"]) == Decimal("200")
    # 月考核评比综合排名后三名 → 整改方案:
    # March has four distinct places, the bottom three are places 2, 3, 4
    assert {e for e in events(out, s, "bottom3-improvement") if e[0] == "2026-03"} == {
        ("2026-03", "E3102", "bottom3-improvement"),
        ("2026-03", "E3103", "bottom3-improvement"),
        ("2026-03", "E3201", "bottom3-improvement"),
    }


# --------------------------------------------------------------------------------------------
# 文档8 部门绩效考核表 (scheme dept-user-service)
# --------------------------------------------------------------------------------------------


def test_doc8_composite_formula(tmp_path: Path) -> None:
    s = "dept-user-service"
    duties = ["d1_support", "d1_install", "d1_critical", "d1_urgent", "d1_general", "d2_quality",
              "d3_training", "d4_standard", "d4_update"]
    # the document's own 自评分 row: 部门职责 100, 部门计划 96, 客户评价 100 (重关指标 100 assumed)
    printed = {**dict.fromkeys(duties, "100"), "plan": "96", "survey": "100", "key": "100"}
    audited = {"d1_support": "100", "d1_install": "80", "d1_critical": "100", "d1_urgent": "90",
               "d1_general": "100", "d2_quality": "100", "d3_training": "90", "d4_standard": "100",
               "d4_update": "80", "plan": "90", "survey": "95", "key": "90"}
    out = score(make_ledger(tmp_path, [s], [
        rec("2026-Q1", s, "user-service", "user-service", "self", "E1501", printed),
        rec("2026-Q1", s, "user-service", "user-service", "superior", "E0011", audited),
        rec("2026-Q2", s, "user-service", "user-service", "superior", "E0011", printed),
    ]))
    # Q1 (self weight 0: only the audited score counts)
    #   部门职责 = ∑(评分×权重) = 100·10% + 80·5% + 100·10% + 90·10% + 100·5% + 100·20% + 90·20%
    #            + 100·10% + 80·10% = 10 + 4 + 10 + 9 + 5 + 20 + 18 + 10 + 8 = 94
    #   总分 = (94·30% + 90·30% + 95·20%) × 90/100 = (28.2 + 27 + 19) × 0.9 = 74.2 × 0.9 = 66.78
    #   manager part 66.78 × 80% = 53.424 → 53.42; staff part 66.78 × 20% = 13.356 → 13.36
    check(result(out, "2026-Q1", s, "user-service"), "66.78", rank=1, of=1,
          money={"manager_part": "53.42", "staff_part": "13.36"})
    # Q2 with the document's printed row as the audited score:
    #   (100·30% + 96·30% + 100·20%) × 100/100 = 30 + 28.8 + 20 = 78.80
    check(result(out, "2026-Q2", s, "user-service"), "78.80", rank=1, of=1,
          money={"manager_part": "63.04", "staff_part": "15.76"})  # 78.80·0.8, 78.80·0.2


# --------------------------------------------------------------------------------------------
# 文档9 产品部门绩效考核表 (scheme product-staff)
# --------------------------------------------------------------------------------------------


def test_doc9_rubric_levels(tmp_path: Path) -> None:
    s = "product-staff"
    ids = ["documents", "research", "optimisation", "portfolio", "lifecycle"]

    def sheet(who, role, levels):
        author = who if role == "self" else "E1601"
        values = dict(zip(ids, levels.split(), strict=True))
        return rec("2026-03", s, "product", who, role, author, values)

    out = score(make_ledger(tmp_path, [s], [
        sheet("E1611", "self", "10 10 10 10 10"),
        sheet("E1611", "superior", "8 8 6 10 4"),
        sheet("E1612", "self", "8 8 8 8 8"),
        sheet("E1612", "superior", "10 10 8 8 10"),
        sheet("E1613", "superior", "6 4 0 6 8"),
    ]))
    # self weight 0 → the supervisor's column counts; total = (sum of five items) × 100 / 50
    # E1612: (10 + 10 + 8 + 8 + 10) × 2 = 46 × 2 = 92.00 → 优秀
    check(result(out, "2026-03", s, "E1612"), "92.00", grade="优秀", rank=1, of=3)
    # E1611: (8 + 8 + 6 + 10 + 4) × 2 = 36 × 2 = 72.00 → 合格 (60 ≤ 72 < 75); self 10s do not count
    check(result(out, "2026-03", s, "E1611"), "72.00", grade="合格", rank=2, of=3,
          points={"documents": "8", "optimisation": "6", "lifecycle": "4"})
    # E1613: (6 + 4 + 0 + 6 + 8) × 2 = 24 × 2 = 48.00 → 待改进
    check(result(out, "2026-03", s, "E1613"), "48.00", grade="待改进", rank=3, of=3,
          points={"optimisation": "0"})


# --------------------------------------------------------------------------------------------
# 文档11/12 信息化绩效考核 A/B/C/D (scheme it-dept)
# --------------------------------------------------------------------------------------------


def test_doc11_12_graded_criteria(tmp_path: Path) -> None:
    s = "it-dept"
    ids = ["organisation", "infrastructure", "funding", "disclosure", "application", "network",
           "innovation"]  # weights 15, 20, 10, 10, 20, 15, 10; A 100, B 80, C 60, D 40
    heads = {"hr": "E0001", "finance": "E0301", "sales": "E0501", "materials": "E0701"}

    def sheet(unit, role, grades):
        author = heads[unit] if role == "self" else "E0601"
        return rec("2025", s, unit, unit, role, author, dict(zip(ids, grades.split(), strict=True)))

    out = score(make_ledger(tmp_path, [s], [
        sheet("hr", "self", "A A A A A A A"),
        sheet("hr", "superior", "A B B A A B B"),
        sheet("finance", "superior", "A A A A A A A"),
        sheet("sales", "superior", "B C B C B C D"),
        sheet("materials", "self", "B A B B A B C"),
        sheet("materials", "superior", "D D C C C D D"),
    ]))
    # finance: all A → 100.00 → 优秀
    check(result(out, "2025", s, "finance"), "100.00", grade="优秀", rank=1, of=4)
    # hr: 15·100% + 20·80% + 10·80% + 10·100% + 20·100% + 15·80% + 10·80%
    #   = 15 + 16 + 8 + 10 + 20 + 12 + 8 = 89.00 → 达标 (60 ≤ 89 < 90);
    #   its self-assessment (all A) has weight 0
    check(result(out, "2025", s, "hr"), "89.00", grade="达标", rank=2, of=4,
          points={"infrastructure": "80"}, contributions={"infrastructure": "16"})
    # sales: 15·80% + 20·60% + 10·80% + 10·60% + 20·80% + 15·60% + 10·40%
    #   = 12 + 12 + 8 + 6 + 16 + 9 + 4 = 67.00 → 达标
    check(result(out, "2025", s, "sales"), "67.00", grade="达标", rank=3, of=4)
    # materials: 15·40% + 20·40% + 10·60% + 10·60% + 20·60% + 15·40% + 10·40%
    #   = 6 + 8 + 6 + 6 + 12 + 6 + 4 = 48.00 → 未达标 → 督促整改
    check(result(out, "2025", s, "materials"), "48.00", grade="未达标", rank=4, of=4)
    assert events(out, s) == {("2025", "materials", "not-met")}


# --------------------------------------------------------------------------------------------
# 文档13 信息化系统运行及考核管理办法 (scheme it-ops)
# --------------------------------------------------------------------------------------------


def test_doc13_deductions_with_doubling(tmp_path: Path) -> None:
    s = "it-ops"

    def sheet(unit, occurrences):
        return rec("2026-03", s, unit, unit, "data", "E0602", {"operation": occurrences},
                   source_unit="it-center")

    out = score(make_ledger(tmp_path, [s], [
        sheet("prod", "[{kind: entry_error, count: 4}, {kind: month_end_delay, count: 1}]"),
        sheet("sales", "[{kind: command_breach, count: 1, points: 3},"
                       " {kind: cooperation_breach, count: 1, points: 2}]"),
        sheet("finance", "[]"),
        sheet("materials", "[{kind: entry_error, count: 2},"
                           " {kind: flow_impact, count: 1, points: 2},"
                           " {kind: flow_impact, count: 1, points: 1},"
                           " {kind: flow_impact, count: 1, points: 3},"
                           " {kind: work_stopped, count: 1}]"),
    ]))
    # finance: nothing → 100.00
    check(result(out, "2026-03", s, "finance"), "100.00", rank=1, of=4)
    # prod: 4 wrong entries × 0.1 = 0.4, four times (≥ 3) → doubled 0.8; month-end 1 day late → 3
    #       100 − 0.8 − 3 = 96.20
    check(result(out, "2026-03", s, "prod"), "96.20", rank=2, of=4, points={"operation": "96.2"})
    # sales: 3 + 2 (each kind once, no doubling) → 100 − 5 = 95.00
    check(result(out, "2026-03", s, "sales"), "95.00", rank=3, of=4)
    # materials: 2 wrong entries × 0.1 = 0.2 (twice: not doubled); flow_impact three times
    #            (2 + 1 + 3 = 6, ≥ 3 → doubled 12); work stopped once → 3
    #            100 − 0.2 − 12 − 3 = 84.80
    check(result(out, "2026-03", s, "materials"), "84.80", rank=4, of=4)


def test_doc13_escalation_counts_repeats_not_days(tmp_path: Path) -> None:
    """"每延误1天扣责任单位3分" measures one problem in days; "同类问题…重复出现三次以上的，
    加倍考核" counts repeats of a problem. Three days late is one problem, not three."""
    s = "it-ops"

    def sheet(period, unit, occurrences):
        return rec(period, s, unit, unit, "data", "E0602", {"operation": occurrences},
                   source_unit="it-center")

    out = score(make_ledger(tmp_path, [s], [
        sheet("2026-03", "prod", "[{kind: month_end_delay, count: 3}]"),
        sheet("2026-03", "sales", "[{kind: command_breach, count: 1, points: 1},"
                                  " {kind: command_breach, count: 1, points: 2},"
                                  " {kind: command_breach, count: 1, points: 3}]"),
        sheet("2026-03", "finance", "[{kind: entry_error, count: 3}]"),
        # two in February, one in March: counted per month, so March's one is not doubled
        sheet("2026-02", "materials", "[{kind: work_stopped, count: 2}]"),
        sheet("2026-03", "materials", "[{kind: work_stopped, count: 1}]"),
    ]))
    # prod: month-end finished three days late (on the 13th): 3 days × 3 = 9, one problem
    #       measured in days → NOT doubled (doubling would give 18 → 82.00); 100 − 9 = 91.00
    check(result(out, "2026-03", s, "prod"), "91.00", points={"operation": "91"})
    # sales: three separate breaches of one kind (1 + 2 + 3 = 6), "三次以上" includes three
    #        → doubled 12; 100 − 12 = 88.00
    check(result(out, "2026-03", s, "sales"), "88.00", points={"operation": "88"})
    # finance: exactly three wrong entries: 3 × 0.1 = 0.3, three times → doubled 0.6;
    #          100 − 0.6 = 99.40
    check(result(out, "2026-03", s, "finance"), "99.40")
    # materials, March: work stopped once this month → 3, not doubled (February's two are
    #                   another month); 100 − 3 = 97.00.  February: twice → 2 × 3 = 6 → 94.00
    check(result(out, "2026-03", s, "materials"), "97.00")
    check(result(out, "2026-02", s, "materials"), "94.00")
    prod = item(result(out, "2026-03", s, "prod"), "operation")
    assert "3天 9" in json.dumps(prod, ensure_ascii=False)  # the derivation says days
    assert "×2" not in json.dumps(prod, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# 文档14 客服部绩效考核标准 (1.3) GS组员 (scheme gs-bonus)
# --------------------------------------------------------------------------------------------


def test_doc14_gs_bonus(tmp_path: Path) -> None:
    s = "gs-bonus"

    def sheet(who, days, phone, chat, email, forum, qc, contribution, other):
        return rec("2026-03", s, "cs-gs", who, "superior", "E1300", {
            "work_days": str(days), "phone": str(phone), "chat": str(chat), "email": str(email),
            "forum": str(forum), "qc": qc, "contribution": str(contribution), "other": str(other)})

    out = score(make_ledger(tmp_path, [s], [
        sheet("E1301", 21, 800, 300, 100, 120, "86%", 100, 0),
        sheet("E1302", 22, 760, 300, 90, 100, "80%", 50, 0),
        sheet("E1303", 20, 700, 240, 80, 40, "65%", 0, -20),
    ]))
    # E1301: workload 800·1 + 300·1 + 100·1.5 + 120·0.5 = 800 + 300 + 150 + 60 = 1310;
    #        target 60 × 21 = 1260; 工作量绩效 300 − (1260 − 1310)·1 = 350;
    #        QC 86% > 80% → 1 + (86% − 80%)·5 = 1.30; 基础绩效奖金 350 × 1.30 = 455;
    #        455 + 100 + 0 = 555 → capped at 500
    check(result(out, "2026-03", s, "E1301"), "500.00", rank=1, of=3,
          money={"workload_pay": "350.00", "qc_factor": "1.30", "base_bonus_pay": "455.00",
                 "bonus": "500.00"})
    # E1302: workload 760 + 300 + 135 + 50 = 1245; target 60 × 22 = 1320; 300 − 75 = 225;
    #        QC exactly 80% → neither below 70% nor above 80% → 1; 225 × 1 + 50 + 0 = 275.00
    check(result(out, "2026-03", s, "E1302"), "275.00", rank=2, of=3,
          money={"workload_pay": "225.00", "qc_factor": "1.00", "base_bonus_pay": "225.00",
                 "bonus": "275.00"})
    # E1303: workload 700 + 240 + 120 + 20 = 1080; target 60 × 20 = 1200; 300 − 120 = 180;
    #        QC 65% < 70% → 1 − (70% − 65%)·5 = 0.75; 180 × 0.75 = 135; 135 + 0 − 20 = 115.00
    check(result(out, "2026-03", s, "E1303"), "115.00", rank=3, of=3,
          money={"workload_pay": "180.00", "qc_factor": "0.75", "base_bonus_pay": "135.00",
                 "bonus": "115.00"})


# --------------------------------------------------------------------------------------------
# the example ledger itself: the document-4 plan written down in ledger/README.md
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> dict:
    return score(LEDGER)


def test_example_ledger_doc4_plan(example: dict) -> None:
    out = example
    # totals worked by hand from the records (see ledger/README.md for the full table)
    # 2026-04 E1104 刘洋: 35·60% + 20·60% + 0 + 5·60% + 5·60% + 4 + 2 + (10 − 2·2 − 1) =
    #   21 + 12 + 3 + 3 + 4 + 2 + 5 = 50
    check(result(out, "2026-04", "cs-agent", "E1104"), "50.00", grade="合格", rank=4, of=4,
          money={"perf_pay": "375.00"})
    # 2026-01 E1101 张晓燕 (boundary record: 150/200, 990/1000, T = 30):
    # 35 + 20 + 10·80% + 5 + 5 + 9 + 5 + 10 + ⌊6/5⌋ = 35 + 20 + 8 + 5 + 5 + 9 + 5 + 10 + 1 = 98
    check(result(out, "2026-01", "cs-agent", "E1101"), "98.00", grade="合格", rank=1, of=4,
          points={"conversion": "100", "reply_rate": "100", "response_time": "100"})
    # 2026-05 cs-team-1: E1102 and E1103 both 80 → share 2nd place
    assert result(out, "2026-05", "cs-agent", "E1102")["rank"] == 2
    assert result(out, "2026-05", "cs-agent", "E1103")["rank"] == 2
    assert events(out, "cs-agent") == {
        ("2026-03", "E1101", "three-first"),   # 1st in cs-team-1 in 01, 02, 03
        ("2026-06", "E1104", "three-last"),    # last in cs-team-1 in 04, 05, 06
        ("2026-06", "E1203", "two-below-35"),  # 25 in 05 and 24 in 06 (26 in 02 was a single dip)
    }
    assert events(out, "branch-cs", "top3-three-months") == {
        ("2026-05", "E3101", "top3-three-months"),
        ("2026-05", "E3201", "top3-three-months"),
        ("2026-05", "E3102", "top3-three-months"),
    }


@pytest.mark.parametrize("scheme", sorted(p.stem for p in (LEDGER / "schemes").glob("*.yaml")))
def test_every_example_scheme_has_results(example: dict, scheme: str) -> None:
    # every scheme in the example ledger has at least one period of records that scores
    assert any(r["scheme"] == scheme and r["total"] is not None for r in example["results"]), scheme
