"""Which schemes' total and money formulas may fail for someone: the static half of KPI503/504.

`kpi check` scores a scheme only when one of its formulas may fail (`model.formula_bounds`),
so this module says, for each name a formula reads, what scoring (`score.item`,
`score.total`) can give it: the interval of values a record that passes the checker allows
(the schemas bound every input to ±10¹²) and whether every assessee whose formula runs has it.
It mirrors `score.total._formula_names` and `_money`; when in doubt it says "unbounded" or
"not sure", which costs a scoring run, never a missed failure.
"""

from __future__ import annotations

from decimal import Decimal

from kpiledger.model import Item, Scheme
from kpiledger.model.formula import FormulaError, compile_formula, formula_name
from kpiledger.model.formula_bounds import INF, Bound, mul, result_bound

INPUT = 1e12  # the schemas' bound on every number a record or scheme writes
# input kind → the interval of its number as formulas see it (`numeric`); absent: none.
# A percentage is text ("92%"), which the schemas do not bound: any size.
_VALUES: dict[str, Bound] = {
    "count": Bound(0, INPUT), "number": Bound(-INPUT, INPUT), "percent": Bound(-INF, INF),
    "average": Bound(-INPUT, INPUT), "points": Bound(-INPUT, INPUT), "pass": Bound(0, 1),
    "occurrences": Bound(0, INF),
}
_ANY = Bound(-INF, INF, sure=False)


def formulas_may_fail(scheme: Scheme) -> bool:
    """Whether the scheme's total formula or a money formula may fail for some assessee."""
    return bool(failing_formulas(scheme))


def failing_formulas(scheme: Scheme) -> list[str]:
    """The formulas of the scheme that may fail for some assessee: "total" and money ids, in
    order. A money entry that reads one that may fail may fail too (it is then left out)."""
    if scheme.total_formula is None and not scheme.money:
        return []
    names = formula_bounds(scheme)
    failing: list[str] = []
    total = (
        _bound_of(scheme.total_formula, names) if scheme.total_formula is not None
        else _sum_of_contributions(scheme)
    )
    if total is None:
        failing.append("total")
        total = Bound(-INF, INF)  # when it runs, money formulas read whatever it gave
    env = {**names, "total": _published(scheme, total)}
    for m in scheme.money:
        amount = _bound_of(m.formula, env)
        if amount is None:
            failing.append(m.id)
            env[m.id] = _ANY
        else:
            env[m.id] = _clamped(amount, m.min, m.max)
    return failing


def _bound_of(text: str, names: dict[str, Bound]) -> Bound | None:
    try:
        return result_bound(compile_formula(text), names)
    except FormulaError:
        return None  # the scheme checker reports it; score as before


def _clamped(b: Bound, low: Decimal | None, high: Decimal | None) -> Bound:
    """An amount after its `min` and `max`."""
    lo, hi = b.low, b.high
    if low is not None:
        lo, hi = max(lo, float(low)), max(hi, float(low))
    if high is not None:
        lo, hi = min(lo, float(high)), min(hi, float(high))
    return Bound(lo, hi)


def formula_bounds(scheme: Scheme) -> dict[str, Bound]:
    """What a formula of the scheme may see, as `score.total._formula_names` builds it:
    params, then each item's points by id and its measured value as `<id>_value`."""
    names = {k: Bound.of(v) for k, v in scheme.params.items()}
    for item in scheme.items:
        key = formula_name(item.id)
        value = _value(scheme, item)
        names[key + "_value"] = value
        names[key] = _points(scheme, item) if item.method is not None else value
    return names


def _value(scheme: Scheme, item: Item) -> Bound:
    """An item's measured value: present for everyone only when a missing one leaves the
    total unscored (a scored item under `incomplete` or `renormalise`)."""
    value = _VALUES.get(item.input)
    if item.input == "points":  # the checker keeps points within 0 and the item's scale
        value = Bound.of(0, item.max if item.max is not None else 100)
    if value is None:
        return _ANY  # a ratio (its denominator may be 0), a level: not always a number
    sure = item.method is not None and scheme.missing_assessor != "zero"
    return Bound(value.low, value.high, sure)


def _points(scheme: Scheme, item: Item) -> Bound:
    """An item's points as `score.methods` gives them (a missing role counting 0 included)."""
    spec, method = item.spec, item.method
    if method == "bands":
        points = Bound.of(0, *(b.points for b in item.bands))
    elif method == "levels":
        points = Bound.of(*(lv.points for lv in item.levels))
    elif method == "pass":
        points = Bound.of(spec["pass_points"], spec["fail_points"])
    elif method == "linear" and spec.get("target"):
        points = Bound.of(spec["floor"], spec["cap"])
    elif method == "deductions":
        points = Bound(float(spec["floor"]), float(spec["full"]) if _only_deducts(spec) else INF)
    elif method == "bonus" and spec["every"] > 0:
        # ⌊value / every⌋ × points, under the cap: within (|value| / every + 1) × |points|
        reach = mul(_value(scheme, item).magnitude / float(spec["every"]) + 1,
                     abs(float(spec["points"])))
        points = Bound(-reach, reach)
        if spec.get("cap") is not None:
            cap = float(spec["cap"])
            points = Bound(min(points.low, cap), min(points.high, cap))
    elif method == "direct":
        points = _value(scheme, item)
        points = Bound(points.low, points.high)
    else:
        return _ANY  # a formula item (it may fail itself), or settings the checker refuses
    if item.input == "ratio":
        if item.zero_denominator == "skip":  # left out: no points for some assessees
            return Bound(points.low, points.high, sure=False)
        points = points.hull(Bound.of(item.zero_denominator or 0))
    if scheme.missing_assessor == "zero":
        points = points.hull(Bound.of(0))
    return points


def _only_deducts(spec: dict) -> bool:
    """Every kind deducts a fixed, non-negative amount: points never pass `full`."""
    per = spec.get("per") or {}
    esc = spec.get("escalate") or {}
    fixed = all((v[0] if isinstance(v, tuple) else v) >= 0 for v in per.values()
                if isinstance(v, Decimal | tuple))
    fixed = fixed and all(isinstance(v, Decimal | tuple) for v in per.values())
    return bool(per) and fixed and esc.get("factor", Decimal(1)) >= 0


def _sum_of_contributions(scheme: Scheme) -> Bound:
    """The total without a formula: weighted items' points × weight / 100 (a skipped item's
    weight shared out, so at most the sum of all weights), bonus and max items' points."""
    weighted = [i for i in scheme.items if i.weight is not None and i.method not in (None, "bonus")]
    all_weight = float(sum((i.weight for i in weighted), Decimal(0)))  # type: ignore[misc]
    total = Bound(0, 0)
    for item in scheme.items:
        if item.method is None:
            continue
        points = _points(scheme, item)
        part = points.scaled(all_weight / 100) if item in weighted else points
        if item.method == "bonus" or item in weighted or item.max is not None:
            total = Bound(total.low + min(part.low, 0), total.high + max(part.high, 0))
    return total


def _published(scheme: Scheme, total: Bound) -> Bound:
    """The total money formulas read: capped by `total.max`, replaced by a veto, rounded."""
    if scheme.total_max is not None:
        cap = float(scheme.total_max)
        total = Bound(min(total.low, cap), min(total.high, cap))
    for item in scheme.items:
        if item.veto is not None:
            total = total.hull(Bound.of(item.veto.total))
    return Bound(total.low - 1, total.high + 1)
