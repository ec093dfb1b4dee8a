import pytest
from conftest import build_scheme_yaml

from kpiledger.check.schemes import check_scheme
from kpiledger.diagnostics.codes import CODES


def check(text: str) -> list[tuple[str, tuple]]:
    scheme, diags = build_scheme_yaml(text)
    assert scheme is not None
    found = diags + check_scheme(scheme)
    for x in found:
        assert x.code in CODES and "{" not in x.message("en") and x.file == "schemes/t.yaml"
    return [(x.code, x.path) for x in found]


def one_item(item: str, extra: str = "") -> str:
    return f"id: s\ntitle: S\nitems:\n  - {item}\n{extra}"


DOC4_REPLY = """
id: cs-agent
title: 客服部客服绩效考核表
items:
  - id: conversion
    title: 询单转化率
    input: ratio
    zero_denominator: skip
    weight: 95
    bands:
      - {when: "X ≥ 75%", points: 100}
      - {when: "75% > X ≥ 65%", points: 80}
      - {when: "65%>X≥50%", points: 60}
      - {when: "X<50%", points: 0}
  - id: reply
    title: 旺旺回复率
    input: ratio
    zero_denominator: skip
    weight: 5
    bands:
      - {when: "Z ≥ 99%", points: 100}
      - {when: "99% > Z ≥ 97%", points: 800}
      - {when: "97% > Z ≥ 95%", points: 60}
      - {when: "Z < 95%", points: 0}
"""


def test_document_4_printed_800_is_caught_at_its_points_line():
    assert check(DOC4_REPLY) == [("KPI405", ("items", 1, "bands", 1, "points"))]


def test_document_4_corrected_is_clean():
    assert check(DOC4_REPLY.replace("points: 800", "points: 80")) == []


def test_lower_is_better_bands_cover_the_line():
    text = one_item("""{id: t, title: 响应, input: number, weight: 100, bands: [
      {when: "T ≤ 30", points: 100}, {when: "30 < T ≤ 45", points: 80},
      {when: "45 < T ≤ 55", points: 60}, {when: "T > 55", points: 0}]}""")
    assert check(text) == []


def test_gap_between_bands():
    text = one_item("""{id: t, title: T, input: number, weight: 100, bands: [
      {when: "T ≤ 30", points: 100}, {when: "T > 45", points: 0}]}""")
    assert check(text) == [("KPI403", ("items", 0, "bands"))]


def test_gap_at_a_single_point():
    text = one_item("""{id: t, title: T, input: number, weight: 100, bands: [
      {when: "T < 30", points: 100}, {when: "T > 30", points: 0}]}""")
    found = check(text)
    assert found == [("KPI403", ("items", 0, "bands"))]


def test_overlap_points_at_the_later_band():
    text = one_item("""{id: t, title: T, input: number, weight: 100, bands: [
      {when: "T ≤ 30", points: 100}, {when: "T ≥ 30", points: 0}]}""")
    assert check(text) == [("KPI404", ("items", 0, "bands", 1, "when"))]


def test_a_percentage_may_fall_below_zero_so_bands_must_cover_it():
    # a rate of change (document 5's 劳动生产效率提高%) can be negative
    text = one_item("""{id: p, title: P, input: percent, weight: 100, bands: [
      {when: "X ≥ 50%", points: 100}, {when: "50% > X ≥ 0%", points: 0}]}""")
    assert [code for code, _ in check(text)] == ["KPI403"]
    covered = one_item("""{id: p, title: P, input: percent, weight: 100, bands: [
      {when: "X ≥ 50%", points: 100}, {when: "X < 50%", points: 0}]}""")
    assert check(covered) == []


def test_band_below_zero_for_a_ratio_is_unreachable():
    text = one_item("""{id: r, title: R, input: ratio, zero_denominator: 0, weight: 100, bands: [
      {when: "X ≥ 50%", points: 100}, {when: "X < 50%", points: 0},
      {when: "X < 0%", points: 0}]}""")
    assert ("KPI406", ("items", 0, "bands", 2, "when")) in check(text)


def test_contradictory_band_is_unreachable():
    text = one_item("""{id: t, title: T, input: number, weight: 100, bands: [
      {when: "T ≥ 0", points: 100}, {when: "T < 0", points: 0}, {when: "5 < T < 3", points: 0}]}""")
    assert check(text) == [("KPI406", ("items", 0, "bands", 2, "when"))]


def test_counts_are_whole_numbers():
    text = one_item("""{id: c, title: 事故, input: count, weight: 100, bands: [
      {when: "N = 0", points: 100}, {when: "1 ≤ N ≤ 2", points: 60},
      {when: "N ≥ 3", points: 0}]}""")
    assert check(text) == []
    text = one_item("""{id: c, title: 事故, input: count, weight: 100, bands: [
      {when: "N = 0", points: 100}, {when: "0.2 < N < 0.8", points: 60},
      {when: "N ≥ 1", points: 0}]}""")
    assert check(text) == [("KPI406", ("items", 0, "bands", 1, "when"))]


def test_percent_input_needs_percent_bounds():
    text = one_item("""{id: p, title: P, input: percent, weight: 100, bands: [
      {when: "X ≥ 92", points: 100}, {when: "X < 92%", points: 0}]}""")
    assert ("KPI416", ("items", 0, "bands", 0, "when")) in check(text)


def test_ratio_needs_zero_denominator():
    text = one_item("""{id: r, title: R, input: ratio, weight: 100, bands: [
      {when: "X ≥ 0", points: 100}]}""")
    assert check(text) == [("KPI409", ("items", 0))]


def test_method_must_fit_input():
    text = one_item("""{id: p, title: P, input: level, weight: 100, bands: [
      {when: "X ≥ 0", points: 100}]}""")
    assert ("KPI410", ("items", 0, "bands")) in check(text)


def test_weights_must_make_100():
    text = """
id: s
title: S
items:
  - {id: a, title: A, input: points, direct: true, weight: 60}
  - {id: b, title: B, input: points, direct: true, max: 30}
  - {id: c, title: C, input: count, bonus: {every: 5, points: 1}}
"""
    assert check(text) == [("KPI402", ("items",))]
    assert check(text + "total: {formula: a + b}\n") == []


def test_formulas_parse_and_name_known_things():
    text = """
id: s
title: S
params: {base: 750}
items:
  - {id: duties, title: D, input: points, direct: true}
  - {id: key-score, title: K, input: points, direct: true}
  - {id: f, title: F, input: number, formula: "X * rate", max: 0}
total: {formula: "duties * 30% * key_score / 100 + nope"}
money:
  - {id: later, title: L, formula: "pay + 1"}
  - {id: pay, title: P, formula: "base * total / 100 + duties_value"}
  - {id: bad, title: B, formula: "base.__class__"}
  - {id: pay, title: again, formula: "1"}
"""
    found = check(text)
    assert ("KPI408", ("items", 2, "formula")) in found  # rate is not a param
    assert ("KPI408", ("total", "formula")) in found  # nope
    assert ("KPI414", ("money", 0, "formula")) in found  # pay comes later
    assert ("KPI407", ("money", 2, "formula")) in found
    assert ("KPI413", ("money", 3)) in found
    assert not any(p == ("money", 1, "formula") for _, p in found)


def test_grades_descending_and_roles_and_duplicates():
    text = """
id: s
title: S
assessors: {self: 20, superior: 80}
items:
  - {id: a, title: A, input: points, direct: true, weight: 50, by: [self, group]}
  - {id: a, title: A2, input: points, direct: true, weight: 50}
grades: [{grade: 优秀, min: 90}, {grade: 良好, min: 95}]
"""
    found = check(text)
    assert ("KPI412", ("items", 0, "by")) in found
    assert ("KPI413", ("items", 1)) in found
    assert ("KPI411", ("grades", 1, "min")) in found


@pytest.mark.parametrize(
    ("item", "code", "path"),
    [
        ("{id: l, title: L, input: percent, weight: 100, linear: {target: 95%, cap: 120}}",
         "KPI405", ("items", 0, "linear", "cap")),
        ("{id: l, title: L, input: level, max: 10, levels: [{level: A, points: 12}]}",
         "KPI405", ("items", 0, "levels", 0, "points")),
        ("{id: d, title: D, input: occurrences, max: 10, "
         "deductions: {full: 10, per: {x: {min: 3, max: 1}}}}",
         "KPI419", ("items", 0, "deductions", "per", "x")),
        ("{id: b, title: B, input: count, weight: 100, bonus: {every: 0, points: 1}}",
         "KPI419", ("items", 0, "bonus", "every")),
        ("{id: x, title: X, input: number, weight: 50, max: 50, direct: true}",
         "KPI421", ("items", 0)),
        ("{id: x, title: X, input: points, weight: 100, direct: true, by: data}",
         "KPI420", ("items", 0, "by")),
    ],
)
def test_item_settings(item, code, path):
    assert (code, path) in check(one_item(item))


def test_rule_names_a_pass_item():
    text = one_item("{id: a, title: A, input: points, direct: true, weight: 100}",
                    "rules: [{id: r, title: R, when: {item_failed: a}, consecutive: 1, "
                    "outcome: x}]\n")
    assert check(text) == [("KPI422", ("rules", 0, "when", "item_failed"))]


def test_a_formula_name_means_one_thing():
    text = """
id: s
title: S
params: {q: 5, total: 1}
items:
  - {id: q, title: Q, input: points, direct: true, max: 50}
  - {id: q-value, title: Q2, input: points, direct: true, max: 50}
money:
  - {id: q, title: P, formula: total * 2}
"""
    found = check(text)
    # the param q, the item q-value (q_value, also q's value) and the money q each clash
    assert found == [
        ("KPI425", ("items", 1)),
        ("KPI425", ("params", "q")),
        ("KPI425", ("params", "total")),
        ("KPI425", ("money", 0)),
    ]
