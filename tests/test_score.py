import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import scheme_from_yaml

from kpiledger.model import Calendar, Ledger, Org, Person, Record, Unit
from kpiledger.publish.results import results_to_csv, results_to_json, results_to_table
from kpiledger.publish.results_stream import document_parts
from kpiledger.score.ledger import score_assessee, score_ledger

D = Decimal
ROOT = Path(__file__).resolve().parent.parent


ORG = Org(
    company="示例",
    hr=("E0001",),
    units={
        "cs": Unit("cs", "客服部", None),
        "t1": Unit("t1", "一组", "cs"),
        "t2": Unit("t2", "二组", "cs"),
    },
    people={f"E{n}": Person(f"E{n}", f"员工{n}", "t1" if n < 50 else "t2") for n in range(1, 100)},
)


def ledger(s, records: list[tuple[str, str, dict[str, Any]]], period: str = "2026-03") -> Ledger:
    """records: (assessee, role, items)."""
    return Ledger(
        root=".",
        org=ORG,
        calendar=Calendar("Asia/Shanghai", {}),
        schemes={s.id: s},
        records=tuple(
            Record(file=f"{period}/{a}.{role}.yaml", period=period, scheme=s.id,
                   unit=ORG.people[a].unit, assessee=a, role=role, author="E0001", items=items)
            for a, role, items in records
        ),
    )


def one(s, items: dict[str, Any], role: str = "superior"):
    return score_ledger(ledger(s, [("E1", role, items)])).results[0]


BANDS = scheme_from_yaml("""
id: cs-agent
title: 客服
items:
  - {id: conversion, title: 询单转化率, input: ratio, zero_denominator: skip, weight: 40, bands: [
      {when: "X ≥ 75%", points: 100}, {when: "75% > X ≥ 65%", points: 80},
      {when: "65%>X≥50%", points: 60}, {when: "X<50%", points: 0}]}
  - {id: reply, title: 旺旺回复率, input: ratio, zero_denominator: 0, weight: 30, bands: [
      {when: "Z ≥ 99%", points: 100}, {when: "99% > Z ≥ 97%", points: 80},
      {when: "97% > Z ≥ 95%", points: 60}, {when: "Z < 95%", points: 0}]}
  - {id: response, title: 旺旺响应率, input: number, weight: 30, bands: [
      {when: "T ≤ 30", points: 100}, {when: "30 < T ≤ 45", points: 80},
      {when: "45 < T ≤ 55", points: 60}, {when: "T > 55", points: 0}]}
""")


def points_of(result, item_id):
    return next(i for i in result.items if i.id == item_id).points


def bands_case(num=150, den=200, t=30, z=(990, 1000)):
    return {"conversion": {"numerator": num, "denominator": den},
            "reply": {"numerator": z[0], "denominator": z[1]}, "response": t}


@pytest.mark.parametrize(("num", "points"), [(150, 100), (149, 80), (130, 80), (129, 60),
                                               (100, 60), (99, 0)])
def test_ratio_boundaries(num, points):
    assert points_of(one(BANDS, bands_case(num=num)), "conversion") == D(points)


def test_z_99_percent_meets_band():
    assert points_of(one(BANDS, bands_case(z=(990, 1000))), "reply") == D(100)
    assert points_of(one(BANDS, bands_case(z=(989, 1000))), "reply") == D(80)


@pytest.mark.parametrize(("t", "points"), [(30, 100), (30.01, 80), (45, 80), (55, 60),
                                             (55.5, 0), (56, 0)])
def test_lower_is_better_boundaries(t, points):
    assert points_of(one(BANDS, bands_case(t=t)), "response") == D(points)


def test_rule_text_and_contribution():
    r = one(BANDS, bands_case(num=149))
    conv = r.items[0]
    assert conv.rule == "X = 74.5%：75% > X ≥ 65% → 80分"
    assert conv.value == "0.745"
    assert conv.contribution == D(32)
    assert r.total == D("92.00") and r.status == "complete"


def test_zero_denominator_skip_renormalises():
    r = one(BANDS, bands_case(num=0, den=0, t=30, z=(97, 100)))
    conv = r.items[0]
    assert conv.points is None and conv.contribution is None
    # 30 + 30 weights now count for 100: 80 × 50% + 100 × 50% = 90
    assert r.total == D("90.00")
    assert r.items[1].weight == D(50)


def test_zero_denominator_points():
    r = one(BANDS, bands_case(z=(0, 0)))
    assert points_of(r, "reply") == D(0)


def test_missing_item_makes_result_incomplete():
    r = one(BANDS, {"response": 30})
    assert r.status == "incomplete" and r.total is None and r.rank is None


PAY = scheme_from_yaml("""
id: pay
title: 绩效工资
params: {perf_pay_total: 750}
items:
  - {id: score, title: 得分, input: points, direct: true, weight: 100}
grades: [{grade: 合格, min: 35}, {grade: 不合格, min: 0}]
money:
  - {id: perf_pay, title: 绩效工资, formula: perf_pay_total * total / 100, min: 0}
  - {id: salary, title: 工资, formula: 800 + 200 + 200 + perf_pay + 50}
""")


def test_document_4_pay():
    r = one(PAY, {"score": 50})
    assert r.total == D("50.00")
    assert r.money == {"perf_pay": D("375.00"), "salary": D("1625.00")}
    assert r.grade == "合格"
    assert one(PAY, {"score": 34.99}).grade == "不合格"


def test_ties_share_the_place():
    led = ledger(PAY, [("E1", "superior", {"score": 90}), ("E2", "superior", {"score": 90}),
                       ("E3", "superior", {"score": 80}), ("E4", "superior", {"score": 95}),
                       ("E60", "superior", {"score": 10})])
    res = score_ledger(led).results
    assert [(r.assessee, r.rank, r.of) for r in res] == [
        ("E4", 1, 4), ("E1", 2, 4), ("E2", 2, 4), ("E3", 4, 4), ("E60", 1, 1)]
    led = ledger(PAY, [("E1", "superior", {"score": 90}), ("E2", "superior", {"score": 90}),
                       ("E3", "superior", {"score": 80})])
    assert [r.rank for r in score_ledger(led).results] == [1, 1, 3]


def test_ties_use_the_published_total():
    led = ledger(PAY, [("E1", "superior", {"score": 89.996}), ("E2", "superior", {"score": 90})])
    assert [r.rank for r in score_ledger(led).results] == [1, 1]


def test_document_8_composite():
    s = scheme_from_yaml("""
id: dept
title: 部门绩效考核表
items:
  - {id: duties, title: 部门职责, input: points, direct: true}
  - {id: plan, title: 部门计划, input: points, direct: true}
  - {id: survey, title: 客户评价, input: points, direct: true}
  - {id: key, title: 重关指标, input: points, direct: true}
total: {formula: "(duties * 30% + plan * 30% + survey * 20%) * key / 100"}
""")
    r = one(s, {"duties": 100, "plan": 96, "survey": 100, "key": 100})
    assert r.total == D("78.80")


QC = scheme_from_yaml("""
id: gs
title: GS组员绩效
params: {base_bonus: 300, workload_target: 300}
items:
  - {id: workload, title: 实际工作量, input: number}
  - {id: qc, title: QC质量, input: percent}
  - {id: contribution, title: 贡献度, input: points, direct: true, max: 200}
total: {formula: contribution}
money:
  - id: workload_pay
    title: 工作量绩效
    formula: base_bonus - (workload_target - workload) * 1
  - id: qc_factor
    title: QC质量加/减成比例
    # 文档14 印作 1 + (80% − QC) × 5；按其意图（高于目标加成）实现为 1 + (QC − 80%) × 5
    formula: "1 - (70% - qc) * 5 if qc < 70% else (1 + (qc - 80%) * 5 if qc > 80% else 1)"
  - {id: bonus, title: 绩效奖金, formula: workload_pay * qc_factor + contribution, min: 0, max: 500}
""")


@pytest.mark.parametrize(
    ("qc", "factor", "bonus"),
    [("60%", "0.50", "150.00"), ("85%", "1.25", "375.00"), ("75%", "1.00", "300.00"),
     ("100%", "2.00", "500.00"), ("40%", "-0.50", "0.00")],
)
def test_document_14_qc_factor(qc, factor, bonus):
    r = one(QC, {"workload": 300, "qc": qc, "contribution": 0})
    assert r.money["qc_factor"] == D(factor)
    assert r.money["bonus"] == D(bonus)


def test_item_ids_and_values_in_money():
    r = one(QC, {"workload": 280, "qc": "75%", "contribution": 50})
    assert r.money["workload_pay"] == D("280.00")
    assert r.money["bonus"] == D("330.00")


def test_deductions_escalate_and_bonus():
    s = scheme_from_yaml("""
id: att
title: 考勤
items:
  - {id: att, title: 考勤, input: occurrences, max: 90, deductions: {full: 90, per: {late: 2,
     leave_day: 1, breach: {min: 1, max: 3}}, escalate: {at: 3, factor: 2}}}
  - {id: base, title: 基础, input: points, direct: true, max: 10}
  - {id: ideas, title: 建议, input: count, bonus: {every: 5, points: 1, cap: 2}}
total: {max: 100}
""")
    r = one(s, {"att": [{"kind": "late", "count": 2}, {"kind": "late", "count": 1},
                        {"kind": "leave_day", "count": 2}, {"kind": "breach", "count": 1,
                                                           "points": 3}],
                "base": 10, "ideas": 17})
    att = r.items[0]
    # late: 3 times → 3 × 2 × 2 = 12; leave 2; breach 3 → 90 − 17 = 73
    assert att.points == D(73)
    assert "×2" in att.rule
    assert r.items[2].points == D(2)  # ⌊17/5⌋ = 3, capped at 2
    assert r.total == D("85.00")
    r = one(s, {"att": [], "base": 10, "ideas": 30})
    assert r.total == D("100.00")  # 90 + 10 + 2 clamped by total.max


def test_veto_forces_the_total():
    s = scheme_from_yaml("""
id: safety
title: 安全
items:
  - {id: output, title: 产量, input: percent, weight: 100, linear: {target: 100%}}
  - {id: accidents, title: 重大事故, input: count, veto: {when: "N > 0", total: 0}}
""")
    assert one(s, {"output": "90%", "accidents": 0}).total == D("90.00")
    r = one(s, {"output": "90%", "accidents": 1})
    assert r.total == D("0.00")


MULTI = """
id: multi
title: 多主体
assessors: {{self: 20, superior: 50, group: 30}}
missing_assessor: {policy}
items:
  - {{id: skill, title: 专业技能, input: points, direct: true, weight: 100,
     by: [self, superior, group]}}
"""


@pytest.mark.parametrize(
    ("policy", "roles", "total"),
    [("renormalise", ("self", "superior", "group"), "87.00"),  # (2000 + 4300 + 2400) / 100
     ("renormalise", ("self", "superior"), "90.00"),  # (2000 + 4300) / 70
     ("zero", ("self", "superior"), "63.00"),
     ("incomplete", ("self", "superior"), None)],
)
def test_several_assessors(policy, roles, total):
    s = scheme_from_yaml(MULTI.format(policy=policy))
    given = {"self": 100, "superior": 86, "group": 80}
    led = ledger(s, [("E1", role, {"skill": given[role]}) for role in roles])
    r = score_ledger(led).results[0]
    assert r.total == (D(total) if total else None)


def test_several_assessors_rule_names_the_roles_in_chinese():
    s = scheme_from_yaml(MULTI.format(policy="zero"))
    led = ledger(s, [("E1", role, {"skill": v}) for role, v in (("self", 100), ("superior", 86))])
    rule = score_ledger(led).results[0].items[0].rule
    # (20 × 100 + 50 × 86 + 30 × 0) / 100 = 63
    assert rule == "(本人 100 × 20 + 上级 86 × 50 + 考核小组 0（未提交） × 30) / 100 = 63.00"
    s = scheme_from_yaml(MULTI.format(policy="incomplete"))
    led = ledger(s, [("E1", "self", {"skill": 100})])
    assert score_ledger(led).results[0].items[0].rule == "上级、考核小组 未提交"


def test_json_matches_schema_and_is_deterministic():
    schema = json.loads((ROOT / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
    led = ledger(QC, [("E1", "superior", {"workload": 300, "qc": "85%", "contribution": 0}),
                      ("E2", "superior", {"workload": 310, "qc": "60%", "contribution": 100})])
    text = results_to_json(score_ledger(led))
    jsonschema.validate(json.loads(text), schema)
    assert text == results_to_json(score_ledger(led))
    # `kpi score --format json` writes it one entry at a time: the same text
    assert "".join(document_parts(score_ledger(led))) == text
    empty = score_ledger(ledger(QC, []))
    assert "".join(document_parts(empty)) == results_to_json(empty)
    assert '"results": []' in results_to_json(empty)
    led_bands = ledger(BANDS, [("E1", "superior", bands_case(num=0, den=0)),
                               ("E2", "superior", {"response": 30})])
    jsonschema.validate(json.loads(results_to_json(score_ledger(led_bands))), schema)


def test_table_and_csv():
    res = score_ledger(ledger(PAY, [("E1", "superior", {"score": 50})]))
    zh = results_to_table(res)
    assert zh.splitlines()[0].split()[:7] == ["考核期", "方案", "被考核人", "姓名", "部门",
                                              "排名组", "总分"]
    assert "绩效工资" in zh and "375.00" in zh
    assert "Total" in results_to_table(res, "en")
    row = results_to_csv(res).splitlines()[1]
    assert row.startswith("2026-03,pay,E1,员工1,t1,t1,50.00,合格,1,1")


def test_the_english_table_names_grades_and_amounts_in_english():
    english = scheme_from_yaml("""
id: pay
title: 绩效工资
items:
  - {id: score, title: 得分, input: points, direct: true, weight: 100}
grades: [{grade: 合格, grade_en: Pass, min: 35}, {grade: 不合格, min: 0}]
money:
  - {id: perf_pay, title: 绩效工资, title_en: Performance pay, formula: 7.5 * total}
""")
    led = ledger(english, [("E1", "superior", {"score": 50}), ("E2", "superior", {"score": 20})])
    res = score_ledger(led)
    table = results_to_table(res, "en", schemes={"pay": english})
    header, _, first, second = table.splitlines()[:4]
    assert "Performance pay" in header and "绩效工资" not in header
    assert " Pass " in first and "375.00" in first
    assert " 不合格 " in second  # a grade without an English name keeps its own
    assert " 合格 " in results_to_table(res, "zh", schemes={"pay": english})


# Scoring remembers equal inputs within a run; sharing must never change a result ----------

MIXED = scheme_from_yaml("""
id: mixed
title: 混合
items:
  - {id: reply, title: 回复率, input: ratio, zero_denominator: skip, weight: 50, bands: [
      {when: "Z ≥ 99%", points: 100}, {when: "Z < 99%", points: 60}]}
  - {id: response, title: 响应, input: number, weight: 50, bands: [
      {when: "T ≤ 30", points: 100}, {when: "T > 30", points: 0}]}
  - {id: att, title: 考勤, input: occurrences, max: 10, deductions: {full: 10, per: {late: 2}}}
""")


def _alone(led: Ledger) -> list[Any]:
    """Each assessee scored on its own, with nothing remembered from anyone else."""
    return [score_assessee(MIXED, [r], ORG) for r in led.records]


def test_equal_inputs_share_a_result_but_never_change_it():
    late = [{"kind": "late", "count": 1, "reason": "地铁故障"}]
    also_late = [{"kind": "late", "count": 1, "reason": "暴雨", "date": "2026-03-02"}]
    cases = [
        {"reply": {"numerator": 99, "denominator": 100}, "response": 30, "att": late},
        {"reply": {"numerator": 99, "denominator": 100}, "response": 30, "att": also_late},
        {"reply": {"numerator": 99.0, "denominator": 100}, "response": 30.0, "att": None},
        {"reply": {"numerator": 0, "denominator": 0}, "response": 0.0, "att": []},
        {"reply": {"numerator": 0, "denominator": 0}, "response": -0.0, "att": []},
        {"reply": {"numerator": 1, "denominator": 2}, "response": True, "att": [{"kind": "x"}]},
        {"reply": {"numerator": 1, "denominator": 2}, "response": 1},
    ]
    led = ledger(MIXED, [(f"E{n + 1}", "superior", items) for n, items in enumerate(cases)])
    together = {r.assessee: r for r in score_ledger(led).results}
    for alone in _alone(led):
        shared = together[alone.assessee]
        assert shared.items == alone.items and shared.total == alone.total
    # the same points, but each person's own reasons are shown
    assert together["E1"].items[2].inputs == {"superior": late}
    assert together["E2"].items[2].inputs == {"superior": also_late}
    assert together["E1"].items[2].rule == together["E2"].items[2].rule == "10 − late 1次 2 = 8"
    # -0.0 and 0.0 are equal numbers but are written differently
    assert together["E4"].items[1].value == "0" and together["E5"].items[1].value == "-0"
    # 1, 1.0 and true are not the same input: true is no number at all
    assert together["E7"].items[1].points == D(100) and together["E6"].items[1].points is None


def test_example_ledger_scores_the_same_together_and_alone():
    from kpiledger.check.ledger import open_ledger

    led = open_ledger(ROOT / "ledger", use_cache=False).ledger
    together = {(r.period, r.scheme, r.assessee): r for r in score_ledger(led).results}
    for key, result in together.items():
        records = [r for r in led.records if (r.period, r.scheme, r.assessee) == key]
        alone = score_assessee(led.schemes[key[1]], records, led.org)
        assert alone._replace(rank=result.rank, of=result.of) == result


def test_deduction_rule_names_the_kinds():
    s = scheme_from_yaml("""
id: att
title: 考勤
items:
  - {id: att, title: 考勤, input: occurrences, max: 10,
     deductions: {full: 10, per: {late: 2, leave_day: 1}, names: {late: 迟到}}}
""")
    r = one(s, {"att": [{"kind": "late", "count": 2}, {"kind": "leave_day", "count": 3}]})
    # 10 − 2×2 − 3×1 = 3; a kind without a name keeps its id
    assert r.items[0].rule == "10 − 迟到 2次 4 − leave_day 3次 3 = 3"
    assert r.items[0].points == D(3)


@pytest.mark.parametrize(
    ("text", "total", "money"),
    [
        # an item named like a param: formulas see the item's points (40), not the param (5)
        ("params: {q: 5}\nitems: [{id: q, title: Q, input: points, direct: true, max: 100}]\n"
         "total: {formula: q}\nmoney: [{id: pay, title: P, formula: q * 2}]",
         "40.00", {"pay": D("80.00")}),
        # a money amount named like an item: a formula before it sees the item's points
        ("items: [{id: pay, title: Q, input: points, direct: true, max: 100}]\n"
         "money: [{id: tip, title: T, formula: pay * 2}, {id: pay, title: P, "
         "formula: total * 10}]",
         "40.00", {"tip": D("80.00"), "pay": D("400.00")}),
    ],
)
def test_formulas_see_items_before_params_and_money(text, total, money):
    s = scheme_from_yaml("id: clash\ntitle: 同名\n" + text)
    r = one(s, {s.items[0].id: 40})
    assert r.total == D(total) and r.money == money
