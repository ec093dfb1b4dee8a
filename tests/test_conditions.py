from decimal import Decimal

import pytest

from kpiledger.model.conditions import ConditionError, parse_condition, rule_text

D = Decimal


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("X ≥ 75%", (D("0.75"), True, None, False)),
        ("75% > X ≥ 65%", (D("0.65"), True, D("0.75"), False)),
        ("65%>X≥50%", (D("0.5"), True, D("0.65"), False)),
        ("X<50%", (None, False, D("0.5"), False)),
        ("30 < T ≤ 45", (D(30), False, D(45), True)),
        ("T ≤ 30", (None, False, D(30), True)),
        ("T > 55", (D(55), False, None, False)),
        ("Y ≥ 1.12", (D("1.12"), True, None, False)),
        ("X = 0", (D(0), True, D(0), True)),
        ("85%≤F<92%", (D("0.85"), True, D("0.92"), False)),
        ("X >= 3", (D(3), True, None, False)),
        ("X <= 3", (None, False, D(3), True)),
        ("X＞＝3", (D(3), True, None, False)),
        ("X ＜ 3", (None, False, D(3), False)),
        ("75% ≤ X", (D("0.75"), True, None, False)),
        ("转化率 ≥ ７５％", (D("0.75"), True, None, False)),
        ("1.12>Y≥1.08", (D("1.08"), True, D("1.12"), False)),
    ],
)
def test_parse(text, bounds):
    assert parse_condition(text).bounds == bounds


@pytest.mark.parametrize(
    "text", ["", "X ≥", "X ≥ 75% extra", "5 < X > 3", "X = 3 = 4", "X ≥ abc", "75%", "X ≠ 3",
             "50% < X = 60%"],
)
def test_parse_errors(text):
    with pytest.raises(ConditionError):
        parse_condition(text)


def test_percent_flags_and_text():
    c = parse_condition("65%>X≥50%")
    assert c.percent and not c.plain_number
    assert c.text == "65% > X ≥ 50%"
    assert c.variable == "X"
    assert rule_text(parse_condition("75% > X ≥ 65%"), D(80)) == "75% > X ≥ 65% → 80分"


def test_contains_boundaries_as_written():
    c = parse_condition("30 < T ≤ 45")
    assert not c.contains(D(30))
    assert c.contains(D("30.01"))
    assert c.contains(D(45))
    assert not c.contains(D("45.01"))
