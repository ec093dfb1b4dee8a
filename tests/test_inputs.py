from decimal import Decimal

import pytest
from conftest import scheme_from_yaml

from kpiledger.model.inputs import Occurrence, ZeroDenominator, measure

D = Decimal

SCHEME = """
id: s
items:
  - {id: n, title: N, input: number}
  - {id: p, title: P, input: percent}
  - {id: r, title: R, input: ratio, zero_denominator: skip}
  - {id: c, title: C, input: count}
  - {id: a, title: A, input: average}
  - {id: l, title: L, input: level, levels: [{level: 优, points: 10}, {level: 良, points: 8}]}
  - {id: ok, title: OK, input: pass}
  - {id: o, title: O, input: occurrences, max: 10,
     deductions: {full: 10, per: {late: 2, breach: {min: 1, max: 3}}}}
  - {id: pts, title: PTS, input: points, max: 10}
"""
SCHEME_ITEMS = {i.id: i for i in scheme_from_yaml(SCHEME, "s.yaml").items}


def m(item: str, raw):
    return measure(SCHEME_ITEMS[item], raw)


@pytest.mark.parametrize(
    ("item", "raw", "value"),
    [
        ("n", 1.1, D("1.1")),
        ("p", "92.5%", D("0.925")),
        ("r", {"numerator": 150, "denominator": 200}, D("0.75")),
        ("r", {"numerator": 990, "denominator": 1000}, D("0.99")),
        ("c", 3, D(3)),
        ("a", [90, 80, 85.5, 86.5], D("85.5")),
        ("l", "优", "优"),
        ("ok", False, False),
        ("pts", 7.5, D("7.5")),
    ],
)
def test_good_values(item, raw, value):
    assert m(item, raw) == (value, [])


def test_zero_denominator_is_a_value_not_an_error():
    assert m("r", {"numerator": 0, "denominator": 0}) == (ZeroDenominator(D(0)), [])


@pytest.mark.parametrize(
    ("item", "raw", "code", "subpath"),
    [
        ("n", "12", "KPI307", ()),
        ("n", True, "KPI307", ()),
        ("p", 92, "KPI307", ()),
        ("p", 0.92, "KPI307", ()),
        ("r", {"numerator": -1, "denominator": 3}, "KPI308", ("numerator",)),
        ("r", {"numerator": 1}, "KPI307", ()),
        ("r", "150/200", "KPI307", ()),
        ("c", 2.5, "KPI307", ()),
        ("c", -1, "KPI308", ()),
        ("a", [], "KPI307", ()),
        ("a", [1, "x"], "KPI307", (1,)),
        ("l", "中", "KPI301", ()),
        ("ok", "合格", "KPI307", ()),
        ("o", [{"kind": "sleep", "count": 1}], "KPI301", (0, "kind")),
        ("o", [{"kind": "late", "count": 1.5}], "KPI307", (0, "count")),
        ("o", [{"kind": "breach", "count": 1, "points": 5}], "KPI308", (0, "points")),
        ("o", [{"kind": "breach", "count": 1}], "KPI307", (0,)),
        ("pts", 11, "KPI308", ()),
        ("pts", -1, "KPI308", ()),
    ],
)
def test_problems(item, raw, code, subpath):
    value, problems = m(item, raw)
    assert value is None
    assert problems[0][0] == code and problems[0][2] == subpath
    assert code == "KPI301" or problems[0][1]["item"] == item


def test_occurrences():
    value, problems = m("o", [{"kind": "late", "count": 2, "reason": "3月5日"},
                              {"kind": "breach", "count": 1, "points": 2}])
    assert problems == []
    assert value == [Occurrence("late", D(2), None, "3月5日"), Occurrence("breach", D(1), D(2))]
    assert m("o", None) == ([], [])


def test_a_falling_rate_is_a_negative_percentage() -> None:
    # document 5: 劳动生产效率 is an improvement over the last period, which can be negative
    measured, problems = m("p", "-2%")
    assert problems == [] and measured == Decimal("-0.02")
