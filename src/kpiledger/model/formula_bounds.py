"""May a formula fail while it runs? A static answer on the parsed formula, by intervals.

`kpi check` must report every total and money formula that fails for someone (KPI503/504),
and finding them by scoring costs seconds on a big ledger. Most formulas (`750 × total /
100`, a sum of items) cannot fail whatever the records hold, and proving that needs only the
formula and what each name may be: `Bound` says the interval a name's value lies in and
whether every assessee has it. `result_bound` walks the tree the way the evaluator does and
gives the interval of the result, or None when the formula may fail for some input:

- a division whose divisor's interval holds 0 (a non-zero constant or param is fine);
- `**` (the exponent and the base may be anything the evaluator refuses);
- a function that can raise: `round_half_up` with digits that are not a constant 0–10,
  `clamp` whose low may be above its high;
- a name that may have no value (an input-only item not every assessee has, a skipped item);
- a yes/no (a comparison, `not`, `and`/`or` of them) where a number is needed;
- any value whose bound passes `LIMIT` (1e15, the evaluator's ceiling on a result; checked
  on every step, so the Decimal context's exponent limit is never near).

The answer errs only one way: "may fail" for a formula that in fact never does costs a
scoring run, never a missed failure.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from kpiledger.model.formula import FUNCTIONS, LIMIT, Formula

INF = math.inf
_LIMIT = float(LIMIT) * (1 - 1e-9)  # floats round; a hair of room keeps the answer safe
_BOOL = "bool"


@dataclass(frozen=True, slots=True)
class Bound:
    """The values a name may take for some assessee: low ≤ value ≤ high (±inf: unbounded),
    and whether every assessee whose formula runs has it (`sure`)."""

    low: float
    high: float
    sure: bool = True

    @classmethod
    def of(cls, *values: Decimal | float, sure: bool = True) -> Bound:
        """The smallest interval holding `values` (an empty list: unbounded)."""
        floats = [float(v) for v in values]
        if not floats:
            return cls(-INF, INF, sure)
        return cls(min(floats), max(floats), sure)

    def hull(self, other: Bound) -> Bound:
        return Bound(min(self.low, other.low), max(self.high, other.high),
                     self.sure and other.sure)

    def scaled(self, factor: float) -> Bound:
        """Each value times a non-negative `factor`."""
        return Bound(mul(self.low, factor), mul(self.high, factor), self.sure)

    @property
    def magnitude(self) -> float:
        return max(abs(self.low), abs(self.high))


class _MayFail(Exception):
    """Raised inside the walk: some input may make the formula fail."""


def result_bound(formula: Formula, names: Mapping[str, Bound]) -> Bound | None:
    """The interval of the formula's value over every input `names` allows, or None when
    some input may make it fail (see the module's list)."""
    try:
        value = _walk(formula.tree.body, names)
    except _MayFail:
        return None
    return value if isinstance(value, Bound) else None


def may_fail(formula: Formula, names: Mapping[str, Bound]) -> bool:
    """Whether some input allowed by `names` makes the formula fail while it runs."""
    return result_bound(formula, names) is None


def mul(a: float, b: float) -> float:
    """a × b, where a zero factor wins over an unbounded one (inf × 0 is 0 here)."""
    return 0.0 if a == 0 or b == 0 else a * b


def _checked(b: Bound) -> Bound:
    if not b.magnitude <= _LIMIT:  # also catches nan
        raise _MayFail
    return b


def _num(value: Bound | str) -> Bound:
    if not isinstance(value, Bound):
        raise _MayFail  # a yes/no where a number is needed
    return value


def _walk(node: ast.AST, names: Mapping[str, Bound]) -> Bound | str:
    """A number's Bound, or "bool" for a value that may be a yes/no."""
    if isinstance(node, ast.Constant):
        return _checked(Bound.of(Decimal(str(node.value))))
    if isinstance(node, ast.Name):
        b = names.get(node.id)
        if b is None or not b.sure:
            raise _MayFail
        return _checked(b)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            _walk(node.operand, names)
            return _BOOL
        b = _num(_walk(node.operand, names))
        return Bound(-b.high, -b.low) if isinstance(node.op, ast.USub) else b
    if isinstance(node, ast.BinOp):
        return _checked(_binop(node.op, _num(_walk(node.left, names)),
                               _num(_walk(node.right, names))))
    if isinstance(node, ast.Compare):
        for part in (node.left, *node.comparators):
            _num(_walk(part, names))
        return _BOOL
    if isinstance(node, ast.BoolOp):  # `a and b` is a or b: a number only if both are
        parts = [_walk(v, names) for v in node.values]
        if any(not isinstance(p, Bound) for p in parts):
            return _BOOL
        return _hull(parts)  # type: ignore[arg-type]
    if isinstance(node, ast.IfExp):
        _walk(node.test, names)
        body, orelse = _walk(node.body, names), _walk(node.orelse, names)
        if not isinstance(body, Bound) or not isinstance(orelse, Bound):
            return _BOOL
        return body.hull(orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _checked(_call(node.func.id, node.args, names))
    raise _MayFail  # anything else the evaluator refuses


def _hull(bounds: list[Bound]) -> Bound:
    out = bounds[0]
    for b in bounds[1:]:
        out = out.hull(b)
    return out


def _binop(op: ast.operator, a: Bound, b: Bound) -> Bound:
    if isinstance(op, ast.Add):
        return Bound(a.low + b.low, a.high + b.high)
    if isinstance(op, ast.Sub):
        return Bound(a.low - b.high, a.high - b.low)
    if isinstance(op, ast.Mult):
        return Bound.of(*(mul(x, y) for x in (a.low, a.high) for y in (b.low, b.high)))
    if isinstance(op, ast.Div):
        if b.low <= 0 <= b.high:
            raise _MayFail  # the divisor may be 0
        inverse = Bound.of(1 / b.low, 1 / b.high)
        return Bound.of(*(mul(x, y) for x in (a.low, a.high)
                          for y in (inverse.low, inverse.high)))
    raise _MayFail  # `**` and anything else


def _call(name: str, args: list[ast.expr], names: Mapping[str, Bound]) -> Bound:
    if name not in FUNCTIONS:
        raise _MayFail
    if name == "round_half_up" and len(args) == 2:
        digits = args[1]
        if not (isinstance(digits, ast.Constant) and isinstance(digits.value, int | float)
                and float(digits.value).is_integer() and 0 <= digits.value <= 10):
            raise _MayFail
        args = args[:1]
    bounds = [_num(_walk(a, names)) for a in args]
    if name in ("min", "max"):
        pick = min if name == "min" else max
        return Bound(pick(b.low for b in bounds), pick(b.high for b in bounds))
    if name == "abs":
        (b,) = bounds
        low = 0.0 if b.low <= 0 <= b.high else min(abs(b.low), abs(b.high))
        return Bound(low, b.magnitude)
    if name == "clamp":
        x, lo, hi = bounds
        if lo.high > hi.low:
            raise _MayFail  # lo may be above hi
        return Bound(max(lo.low, min(x.low, hi.low)), min(hi.high, max(x.high, lo.high)))
    (b,) = bounds  # floor, ceil, round_half_up: within one of the value
    return Bound(b.low - 1, b.high + 1)
