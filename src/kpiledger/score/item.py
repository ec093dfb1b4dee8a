"""One item of a scheme, for every assessee: input → measured value → lateness → the item's
method → veto; for an item several roles assess, their points combined by assessor weight.

The result is an `Outcome` per assessee: the published item with the item's own weight (a
skipped item's weight is shared out later, with the total, in `score.total`). Scoring runs a
column at a time (one item over all assessees) and remembers outcomes by a stand-in for the
input (`Scoring`): most inputs repeat, and equal inputs give equal results, computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from kpiledger.model import Item, Record, Scheme, role_names
from kpiledger.model.inputs import (
    Measured,
    Occurrence,
    ZeroDenominator,
    measure,
    numeric,
    value_text,
)
from kpiledger.numbers import CONTEXT, fmt, plain
from kpiledger.score.lateness import Late
from kpiledger.score.methods import Scored, score_item
from kpiledger.score.results import ItemResult

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_MISSING = object()
_ABSENT = ("absent",)

ByRole = dict[str, list[Record]]  # one assessee's records by author role


class Outcome(NamedTuple):
    """One item scored for one assessee, before a skipped item's weight is shared out.
    Immutable, so assessees who gave the same input share one (most inputs repeat)."""

    item: Item
    result: ItemResult  # with the item's own weight and the contribution that gives
    number: Decimal | None  # the measured value as formulas see it (`<id>_value`)
    skipped: bool = False
    missing: bool = False  # a value the total needs is not there
    veto: Decimal | None = None

    def with_inputs(self, inputs: dict[str, Any]) -> Outcome:
        """The same outcome for another record's inputs (equal in all that scoring reads)."""
        return self._replace(result=self.result._replace(inputs=inputs))


@dataclass
class Scoring:
    """What one scoring run remembers: the records' days late; per (scheme, item), outcomes by
    a stand-in for the input (`_memo_key`); and per-role scores of items several roles
    assess. Equal inputs give equal results, computed once."""

    late: Late = field(default_factory=dict)
    outcomes: dict[tuple[str, str], dict[Any, Outcome]] = field(default_factory=dict)
    scored: dict[tuple[Any, ...], tuple[Measured | None, Scored | None]] = field(
        default_factory=dict
    )


def item_column(
    scheme: Scheme, item: Item, by_roles: list[ByRole], scoring: Scoring
) -> list[Outcome]:
    """One item's outcome for every assessee of a scheme. An item one role assesses is looked
    up by its input in the item's memo, in this one loop: it runs 240,000 times on the
    benchmark ledger, and most inputs have been seen before."""
    if len(item.by) != 1:
        return [_combined(scheme, item, by_role, scoring) for by_role in by_roles]
    role, item_id = item.by[0], item.id
    memo = scoring.outcomes.setdefault((scheme.id, item_id), {})
    column = []
    for by_role in by_roles:
        record = _record_for(by_role, role, item)
        raw = _MISSING if record is None else record.items.get(item_id, _MISSING)
        late = _late_days(item, record, scoring.late)
        stand_in = None if late is not None else _ABSENT if raw is _MISSING else _memo_key(raw)
        if stand_in is None:
            column.append(_single(scheme, item, role, raw, late))
            continue
        outcome = memo.get(stand_in)
        if outcome is None:
            outcome = memo[stand_in] = _single(scheme, item, role, raw, None)
        elif type(raw) is list:  # same points, but this record's own reasons and dates
            outcome = outcome.with_inputs({role: raw})
        column.append(outcome)
    return column


def _record_for(by_role: ByRole, role: str, item: Item) -> Record | None:
    candidates = by_role.get(role, [])
    if role != "data":  # one record per role (the loader keeps only the winning correction)
        return candidates[0] if candidates else None
    if item.source_unit:
        exact = [r for r in candidates if r.source_unit == item.source_unit]
        candidates = exact or candidates
    holding = [r for r in candidates if item.id in r.items]
    return (holding or candidates or [None])[0]


def _number_key(x: Any) -> tuple[Any, ...] | None:
    kind = type(x)
    if kind is float:  # by its text: -0.0 == 0.0, but they are written differently
        return (float, repr(x))
    if kind is int or kind is bool or x is None:
        return (kind, x)
    return None


def _memo_key(raw: Any) -> Any:
    """A hashable stand-in for an input, holding everything scoring reads from it (types too:
    1, 1.0 and True are scored differently); None when there is none and it is scored afresh.
    Occurrence reasons and dates are left out: they do not change the points or the rule."""
    kind = type(raw)
    if kind is str:
        return (str, raw)
    if kind is dict:
        if len(raw) == 2 and "numerator" in raw and "denominator" in raw:
            num, den = _number_key(raw["numerator"]), _number_key(raw["denominator"])
            if num is not None and den is not None:
                return (dict, num, den)
        return None
    if kind is list:
        parts = []
        for entry in raw:
            if type(entry) is not dict or type(entry.get("kind")) is not str:
                return None
            count, points = _number_key(entry.get("count", 1)), _number_key(entry.get("points"))
            if count is None or points is None:
                return None
            parts.append((entry["kind"], count, points))
        return (list, tuple(parts))
    return _number_key(raw)


def _single(
    scheme: Scheme, item: Item, role: str, raw: Any, late: tuple[int, str] | None
) -> Outcome:
    """An item one role assesses (the outcome is remembered by the caller, not the score)."""
    inputs = {} if raw is _MISSING else {role: raw}
    measured, scored = (None, None) if raw is _MISSING else _measure_and_score(scheme, item, raw)
    if measured is None or scored is None:  # not given, or unreadable (the checker says why)
        if scheme.missing_assessor == "zero" and item.method is not None and item.method != "bonus":
            return _outcome(item, inputs, None, ZERO, f"{_named(role)} 未提交 → 0分")
        return _outcome(item, inputs, None, None, "未提交", missing=item.method is not None)
    if late is not None:
        measured, scored = _with_lateness(scheme, item, measured, late)
    veto = _veto(item, measured)
    rule = scored.rule
    if veto is not None and item.veto:
        rule += f"；一票否决：{item.veto.when} → 总分 {plain(veto)}"
    return _outcome(item, inputs, measured, scored.points, rule, skipped=scored.skipped, veto=veto)


def _measure_and_score(
    scheme: Scheme, item: Item, raw: Any, scoring: Scoring | None = None, stand_in: Any = None
) -> tuple[Measured | None, Scored | None]:
    """measure + the item's method; remembered per (scheme, item, input) when `scoring` is
    given."""
    key = (scheme.id, item.id, stand_in)
    hit = scoring.scored.get(key) if scoring is not None and stand_in is not None else None
    if hit is None:
        measured, problems = measure(item, raw)
        if problems or measured is None:
            hit = (None, None)
        else:
            hit = (measured, score_item(item, measured, scheme.precision, scheme.params))
        if scoring is not None and stand_in is not None:
            scoring.scored[key] = hit
    return hit


def _late_days(item: Item, record: Record | None, late: Late) -> tuple[int, str] | None:
    """(days, why) when this item deducts for lateness and the record landed late."""
    if not late or item.method != "deductions" or not item.spec.get("late") or record is None:
        return None
    days = late.get(record.file)
    return days if days is not None and days[0] > 0 else None


def _with_lateness(
    scheme: Scheme, item: Item, measured: Measured, late: tuple[int, str]
) -> tuple[Measured, Scored]:
    """The record landed after the due time: its days late are one more occurrence."""
    days, why = late
    measured = [*measured, Occurrence(item.spec["late"], Decimal(days), reason=why)]  # type: ignore[misc]
    again = score_item(item, measured, scheme.precision, scheme.params)
    return measured, Scored(again.points, f"{again.rule}（迟交 {days} 天：{why}）", again.skipped)


def _veto(item: Item, measured: Measured | None) -> Decimal | None:
    """The total the item's veto imposes when the measured value meets its condition."""
    if not item.veto:
        return None
    value = numeric(measured) if not isinstance(measured, ZeroDenominator) else None
    if value is not None and item.veto.condition.contains(value):
        return item.veto.total
    return None


def _combined(scheme: Scheme, item: Item, by_role: ByRole, scoring: Scoring) -> Outcome:
    """An item several roles assess: their points weighted by the scheme's assessor weights,
    with the missing-assessor policy deciding what an absent role counts as."""
    per_role: dict[str, tuple[Measured, Scored]] = {}
    inputs: dict[str, Any] = {}
    for role in item.by:
        record = _record_for(by_role, role, item)
        raw = record.items.get(item.id, _MISSING) if record is not None else _MISSING
        if raw is _MISSING or record is None:
            continue
        inputs[role] = raw
        measured, scored = _measure_and_score(scheme, item, raw, scoring, _memo_key(raw))
        if measured is None or scored is None:
            continue  # the checker reports why; the score treats it as not given
        late = _late_days(item, record, scoring.late)
        if late is not None:
            measured, scored = _with_lateness(scheme, item, measured, late)
        per_role[role] = (measured, scored)
    weights = {r: scheme.assessors.get(r, ZERO) for r in item.by}
    counted = [r for r in item.by if weights[r] > 0] or list(item.by)
    if not any(weights[r] > 0 for r in item.by):
        weights = dict.fromkeys(item.by, Decimal(1))  # no weights given: a plain mean
    given = {r: v for r, v in per_role.items() if v[1].points is not None}
    skipped = any(v[1].skipped for v in per_role.values())
    policy = scheme.missing_assessor
    missing = [r for r in counted if r not in given]
    measured = next((v[0] for v in per_role.values()), None)
    if not given:
        if skipped:
            return _outcome(
                item, inputs, measured, None, per_role[next(iter(per_role))][1].rule, skipped=True
            )
        return _outcome(item, inputs, None, None, "未提交", missing=item.method is not None)
    if missing and policy == "incomplete":
        return _outcome(item, inputs, measured, None, f"{_named(*missing)} 未提交", missing=True)
    roles = counted if policy == "zero" else [r for r in counted if r in given]
    if not roles:  # only zero-weight roles submitted
        return _outcome(item, inputs, measured, None, f"{_named(*missing)} 未提交", missing=True)
    total_weight = sum((weights[r] for r in roles), ZERO)
    points = CONTEXT.divide(
        sum((weights[r] * (given[r][1].points if r in given else ZERO) for r in roles), ZERO),
        total_weight,
    )
    terms = " + ".join(
        f"{_named(r)} {plain(given[r][1].points) if r in given else '0（未提交）'}"
        f" × {plain(weights[r])}"
        for r in roles
    )
    shown_aside = [r for r in item.by if r in given and r not in roles]
    aside = "".join(f"；{_named(r)} {plain(given[r][1].points)}（不计权）" for r in shown_aside)
    rule = f"({terms}) / {plain(total_weight)} = {fmt(points, scheme.precision)}{aside}"
    veto = next(
        (v for r in roles if r in given and (v := _veto(item, given[r][0])) is not None), None
    )
    return _outcome(item, inputs, measured, points, rule, veto=veto)


def _named(*roles: str) -> str:
    """Roles as the rule text names them: 本人, 上级, 考核小组."""
    return "、".join(role_names(r).zh for r in roles)


def _outcome(
    item: Item,
    inputs: dict[str, Any],
    measured: Measured | None,
    points: Decimal | None,
    rule: str,
    *,
    skipped: bool = False,
    missing: bool = False,
    veto: Decimal | None = None,
) -> Outcome:
    """An item's outcome with its own weight: the contribution is points × weight / 100, a
    bonus (or an item scored in its own points) adds its points, an input-only item nothing."""
    contribution = None
    if item.method is not None and points is not None:
        if item.method == "bonus" or item.weight is None:
            contribution = points if (item.method == "bonus" or item.max is not None) else None
        else:
            contribution = CONTEXT.divide(CONTEXT.multiply(points, item.weight), HUNDRED)
    result = ItemResult(
        id=item.id,
        title=item.title,
        by=item.by,
        inputs=inputs,
        value=value_text(item, measured),
        rule=rule,
        points=points,
        weight=item.weight,
        max=item.max,
        contribution=contribution,
    )
    number = None if isinstance(measured, ZeroDenominator) else numeric(measured)
    return Outcome(item, result, number, skipped=skipped, missing=missing, veto=veto)
