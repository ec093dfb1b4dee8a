"""Band and veto conditions written the way the source documents write them.

"X ≥ 75%", "75% > X ≥ 65%", "65%>X≥50%", "30 < T ≤ 45", "T > 55", "Y ≥ 1.12", "X = 0": one
variable (any letter or word), numbers with or without a percent sign, a single comparison on
either side of the variable or a chain of two pointing the same way. Full-width forms
(＞＜＝％, full-width digits) are folded first, because that is how Chinese documents are typed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from kpiledger.numbers import NumberError, parse_percent, plain, to_decimal


def within(
    value: Decimal,
    low: Decimal | None,
    low_inclusive: bool,
    high: Decimal | None,
    high_inclusive: bool,
) -> bool:
    """Whether `value` lies between the bounds, each inclusive or not (None: unbounded)."""
    if low is not None and (value < low or (value == low and not low_inclusive)):
        return False
    return not (high is not None and (value > high or (value == high and not high_inclusive)))


class ConditionError(ValueError):
    """The condition text cannot be understood; the message says why."""


@dataclass(frozen=True)
class Condition:
    """An interval of the variable; None bounds are unbounded."""

    low: Decimal | None
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool
    variable: str
    percent: bool  # some bound was written with "%"
    plain_number: bool  # some bound was written without "%"
    text: str  # normalised text, e.g. "75% > X ≥ 65%"

    @property
    def bounds(self) -> tuple[Decimal | None, bool, Decimal | None, bool]:
        return (self.low, self.low_inclusive, self.high, self.high_inclusive)

    def contains(self, value: Decimal) -> bool:
        return within(value, *self.bounds)


# Operators, longest first so ">=" is not read as ">" then "=".
_OPS = {">=": "≥", "<=": "≤", "==": "=", "≥": "≥", "≤": "≤", "≧": "≥", "≦": "≤", "⩾": "≥",
        "⩽": "≤", ">": ">", "<": "<", "=": "="}
_TOKEN = re.compile(
    r"\s*(?:"
    r"(?P<num>[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*%?)"
    r"|(?P<op>>=|<=|==|[≥≤≧≦⩾⩽<>=])"
    r"|(?P<var>[^\W\d]\w*)"
    r")"
)
_FLIP = {"<": ">", "≤": "≥", ">": "<", "≥": "≤", "=": "="}
MAX_LENGTH = 200


def _tokens(text: str) -> list[tuple[str, str]]:
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ConditionError(f"cannot read “{text[pos:].strip()}”")
        kind = m.lastgroup or ""
        value = m.group(kind)
        out.append((kind, _OPS[value] if kind == "op" else value.replace(" ", "")))
        pos = m.end()
    return out


def _number(text: str) -> Decimal:
    try:
        return parse_percent(text) if text.endswith("%") else to_decimal(text)
    except NumberError as e:
        raise ConditionError(str(e)) from None


def _fold(text: str) -> str:
    # NFKC turns ＞＜＝％ and full-width digits into ASCII; ≥ ≤ are left alone.
    return unicodedata.normalize("NFKC", text)


def parse_condition(text: str) -> Condition:
    """Parse a condition; raises ConditionError with a plain reason."""
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("empty condition")
    if len(text) > MAX_LENGTH:
        raise ConditionError("condition too long")
    toks = _tokens(_fold(text))
    kinds = [k for k, _ in toks]
    # Orient every comparison as "variable OP number" (an interval side).
    if kinds == ["var", "op", "num"]:
        var, sides = toks[0][1], [(toks[1][1], toks[2][1])]
    elif kinds == ["num", "op", "var"]:
        var, sides = toks[2][1], [(_FLIP[toks[1][1]], toks[0][1])]
    elif kinds == ["num", "op", "var", "op", "num"]:
        var = toks[2][1]
        first, second = _FLIP[toks[1][1]], toks[3][1]
        if "=" in (first, second):
            raise ConditionError("“=” cannot be part of a chain")
        if (first in "<≤") == (second in "<≤"):
            raise ConditionError("a chain must point one way, as in 75% > X ≥ 65%")
        sides = [(first, toks[0][1]), (second, toks[4][1])]
    else:
        raise ConditionError(
            "expected a comparison such as “X ≥ 75%”, “75% > X ≥ 65%” or “30 < T ≤ 45”"
        )
    low: Decimal | None = None
    high: Decimal | None = None
    low_inc = high_inc = False
    for op, num in sides:
        value = _number(num)
        if op in ">≥=":
            low, low_inc = value, op != ">"
        if op in "<≤=":
            high, high_inc = value, op != "<"
    nums = [v for k, v in toks if k == "num"]
    return Condition(
        low=low,
        low_inclusive=low_inc,
        high=high,
        high_inclusive=high_inc,
        variable=var,
        percent=any(n.endswith("%") for n in nums),
        plain_number=any(not n.endswith("%") for n in nums),
        text=" ".join(v for _, v in toks),
    )


def rule_text(condition: Condition | str, points: Decimal, unit: str = "分") -> str:
    """The readable form of a band that was applied: "75% > X ≥ 65% → 80分"."""
    text = condition.text if isinstance(condition, Condition) else str(condition)
    return f"{text} → {plain(points)}{unit}"
