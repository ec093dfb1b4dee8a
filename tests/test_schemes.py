from decimal import Decimal

from conftest import build_scheme_yaml

D = Decimal


DOC4 = """
id: cs-agent
title: 客服部客服绩效考核表
params: {perf_pay_total: 750, qc_target: 80%}
items:
  - id: conversion
    title: 询单转化率
    input: ratio
    zero_denominator: skip
    weight: 35
    bands:
      - {when: "X ≥ 75%", points: 100}
      - {when: "75% > X ≥ 65%", points: 80}
      - {when: "65%>X≥50%", points: 60}
      - {when: "X<50%", points: 0}
  - id: attendance
    title: 考勤
    input: occurrences
    max: 10
    deductions: {full: 10, per: {late: 2, leave_day: 1, breach: {min: 1, max: 3}},
                 escalate: {at: 3, factor: 2}}
  - id: growth
    title: 增长
    input: percent
    weight: 55
    linear: {target: 10%}
    veto: {when: "X < 0%", total: 0}
grades: [{grade: 优秀, min: 90}, {grade: 合格, min: 60}]
money: [{id: pay, title: 绩效工资, formula: perf_pay_total * total / 100, min: 0}]
total: {max: 100}
"""


def test_build_document_4():
    scheme, diags = build_scheme_yaml(DOC4)
    assert diags == []
    assert scheme is not None
    assert scheme.params == {"perf_pay_total": D(750), "qc_target": D("0.8")}
    conv = scheme.items[0]
    assert conv.zero_denominator == "skip"
    assert conv.weight == D(35)
    assert [b.points for b in conv.bands] == [D(100), D(80), D(60), D(0)]
    assert conv.bands[1].low == D("0.65") and conv.bands[1].high == D("0.75")
    assert conv.bands[1].path == ("items", 0, "bands", 1)
    att = scheme.items[1]
    assert att.spec["per"] == {"late": D(2), "leave_day": D(1), "breach": (D(1), D(3))}
    assert att.spec["escalate"] == {"at": D(3), "factor": D(2)}
    growth = scheme.items[2]
    assert growth.spec["target"] == D("0.1") and growth.spec["cap"] == D(100)
    assert growth.veto is not None and growth.veto.total == D(0)
    assert scheme.assessors == {"superior": D(100)}
    assert scheme.total_max == D(100)
    assert scheme.money[0].path == ("money", 0)


def test_bad_condition_is_reported_at_when():
    scheme, diags = build_scheme_yaml("""
id: s
items:
  - {id: a, title: A, input: number, weight: 100,
     bands: [{when: "X >> 3", points: 100}, {when: "X < 3", points: 0}]}
""")
    assert scheme is not None
    assert [(x.code, x.path) for x in diags] == [("KPI401", ("items", 0, "bands", 0, "when"))]
    assert len(scheme.items[0].bands) == 1


def test_odd_input_never_crashes():
    for text in ["id: 3", "[1, 2]", "id: s\nitems: 5", "id: s\nitems: [3, {id: a}]",
                 "id: s\nitems: [{id: a, weight: abc, bands: [{when: 3, points: x}]}]",
                 "id: s\nassessors: {self: '20%'}\nprecision: true\ngrades: [{grade: A}]",
                 "id: s\nrules: [{id: r, amounts: {x: 3}}]\nmoney: [{id: m}]"]:
        scheme, _diags = build_scheme_yaml(text, "s.yaml")
        assert scheme is None or scheme.id == "s"


def test_numbers_must_be_numbers():
    _, diags = build_scheme_yaml("id: s\nitems: [{id: a, title: A, input: number, weight: '35'}]")
    assert [(x.code, x.path) for x in diags] == [("KPI415", ("items", 0, "weight"))]


def test_deduction_kind_names():
    s, diags = build_scheme_yaml("""
id: att
title: 考勤
items:
  - {id: att, title: 考勤, input: occurrences, max: 10,
     deductions: {full: 10, per: {late: 2, leave_day: 1}, names: {late: 迟到, absent: 旷工}}}
""")
    assert s is not None and s.items[0].spec["names"] == {"late": "迟到", "absent": "旷工"}
    # a name for a kind `per` does not have is a mistake, shown at that key
    assert [(x.code, x.path) for x in diags] == [
        ("KPI424", ("items", 0, "deductions", "names", "absent"))
    ]
