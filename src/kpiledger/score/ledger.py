"""Scoring a ledger: records → per-item derivations → totals, grades, money, ranks.

For each (period, scheme, assessee) the records are gathered by author role (the loader has
already kept only the winning correction per key). Each item's inputs are measured, scored by
the item's method, combined over assessor roles, weighted and summed (or fed to
`total.formula`), vetoed, graded and turned into money. Arithmetic is exact Decimal; published
numbers are rounded half up to the scheme's precision, and grade, rank and money are taken from
the *published* total so anyone can recompute them from what is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from kpiledger.check.schemes import formula_name
from kpiledger.diagnostics import Diagnostic
from kpiledger.git.provenance import FileProvenance
from kpiledger.model import Item, Ledger, Org, Record, Scheme, role_names
from kpiledger.model.formula import FormulaError
from kpiledger.numbers import CONTEXT, fmt, plain, round_half_up
from kpiledger.score.inputs import Measured, Occurrence, ZeroDenominator, measure
from kpiledger.score.items import Scored, compiled, numeric, score_item, value_text
from kpiledger.score.lateness import Landing, days_late, due_moment
from kpiledger.score.rank import rank_groups

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ROLE_ORDER = {"superior": 0, "group": 1, "self": 2, "data": 3}
_MISSING = object()


class ItemResult(NamedTuple):
    """One item of one result. A named tuple, not a frozen dataclass: a big ledger makes
    hundreds of thousands, and a frozen dataclass costs four times as much to build."""

    id: str
    title: str
    by: tuple[str, ...]
    inputs: dict[str, Any]  # role → the raw input as written in that role's record
    value: str | None
    rule: str
    points: Decimal | None  # exact; published rounded
    weight: Decimal | None  # effective weight (after a `skip` renormalisation)
    max: Decimal | None
    contribution: Decimal | None


class Result(NamedTuple):
    """One assessee, period and scheme: what is published (a named tuple, like ItemResult).
    Results of one run share objects (item results, inputs, money of equal totals): read
    them, never change them in place."""

    period: str
    scheme: str
    assessee: str
    name: str
    unit: str
    group: str
    total: Decimal | None  # published: rounded half up to `precision`
    grade: str | None
    rank: int | None
    of: int
    money: dict[str, Decimal]  # published amounts
    money_titles: dict[str, str]
    status: str  # complete | incomplete
    items: tuple[ItemResult, ...]
    files: tuple[str, ...]  # the records behind this result
    precision: int = 2
    exact_total: Decimal | None = None
    pending: tuple[dict[str, str], ...] = ()  # carried-over items due here: {item, since}


@dataclass(frozen=True)
class Results:
    results: tuple[Result, ...]
    events: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    warnings: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    aggregates: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    notices: tuple[Diagnostic, ...] = ()  # warnings about the evaluation itself (KPI5xx)
    provenance: Mapping[str, FileProvenance] = field(default_factory=dict)


def score_ledger(ledger: Ledger, landings: Mapping[str, Landing] | None = None) -> Results:
    """Score every (period, scheme, assessee) that has records; ranked and sorted.

    `landings` (record file → when it landed on main) feeds the lateness deductions; without
    it lateness counts as 0."""
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for record in ledger.records:
        if record.scheme in ledger.schemes:
            groups[(record.period, record.scheme, record.assessee)].append(record)
    scoring = Scoring(late=_lateness(ledger, landings or {}))
    by_scheme: dict[str, list[list[Record]]] = defaultdict(list)
    for (_, scheme, _), records in sorted(groups.items()):
        by_scheme[scheme].append(records)
    unranked = [
        fields
        for scheme, assessees in by_scheme.items()
        for fields in _scheme_results(ledger.schemes[scheme], assessees, ledger.org, scoring)
    ]
    ranks = rank_groups(
        [(r["period"], r["scheme"], r["group"], r["total"], r["precision"]) for r in unranked]
    )
    ranked = [
        Result(**fields, rank=rank, of=of)
        for fields, (rank, of) in zip(unranked, ranks, strict=True)
    ]
    ranked.sort(key=_order)
    return Results(results=tuple(ranked))


Late = Mapping[str, tuple[int, str]]  # record file → (days late, how we know)


def _lateness(ledger: Ledger, landings: Mapping[str, Landing]) -> dict[str, tuple[int, str]]:
    """Days late of every record whose scheme deducts for lateness, with the commit behind it."""
    measured = {
        s.id
        for s in ledger.schemes.values()
        if any(i.method == "deductions" and i.spec.get("late") for i in s.items)
    }
    out: dict[str, tuple[int, str]] = {}
    for record in ledger.records:
        landing = landings.get(record.file)
        period = ledger.calendar.periods.get(record.period)
        if record.scheme not in measured or landing is None or period is None:
            continue
        due = due_moment(period, ledger.calendar.timezone)
        if due is None:
            continue
        days = days_late(landing.date, due)
        out[record.file] = (
            days,
            f"提交 {landing.commit[:8]} 于 {landing.date} 合入，截止 {period.due}",
        )
    return out


def _order(r: Result) -> tuple[str, str, str, int, int, str]:
    return (r.period, r.scheme, r.group, r.rank is None, r.rank or 0, r.assessee)


def ranking_group(scheme: Scheme, org: Org, assessee: str, unit: str) -> str:
    """The group an assessee is ranked in: its unit, the unit above, or the whole scheme."""
    if scheme.ranking_group == "scheme":
        return scheme.id
    if assessee in org.units:  # a unit is ranked among its siblings
        unit = org.units[assessee].parent or unit
    if scheme.ranking_group == "parent" and unit in org.units:
        return org.units[unit].parent or unit
    return unit


class _Outcome(NamedTuple):
    """One item scored for one assessee, before a skipped item's weight is shared out.
    Immutable, so assessees who gave the same input share one (most inputs repeat)."""

    item: Item
    result: ItemResult  # with the item's own weight and the contribution that gives
    number: Decimal | None  # the measured value as formulas see it (`<id>_value`)
    skipped: bool = False
    missing: bool = False  # a value the total needs is not there
    veto: Decimal | None = None

    def with_inputs(self, inputs: dict[str, Any]) -> _Outcome:
        """The same outcome for another record's inputs (equal in all that scoring reads)."""
        return self._replace(result=self.result._replace(inputs=inputs))


@dataclass
class Scoring:
    """What one scoring run remembers: per (scheme, item), outcomes by a stand-in for the input
    (`_memo_key`), and per-role scores of items several roles assess. Equal inputs give equal
    results, computed once."""

    late: Late = field(default_factory=dict)
    outcomes: dict[tuple[str, str], dict[Any, _Outcome]] = field(default_factory=dict)
    scored: dict[tuple[Any, ...], tuple[Measured | None, Scored | None]] = field(
        default_factory=dict
    )
    plans: dict[str, _SchemePlan] = field(default_factory=dict)  # scheme id → what it needs

    def plan(self, scheme: Scheme) -> _SchemePlan:
        plan = self.plans.get(scheme.id)
        if plan is None:
            plan = self.plans[scheme.id] = _SchemePlan(
                reads_items=_formulas_read_items(scheme),
                money_titles={m.id: m.title for m in scheme.money},
                by_total={},
            )
        return plan


@dataclass(frozen=True, slots=True)
class _SchemePlan:
    """What every result of one scheme shares."""

    reads_items: bool  # a total or money formula reads item points or values
    money_titles: dict[str, str]
    by_total: dict[Decimal, tuple[str | None, dict[str, Decimal]]]  # when formulas read no item


def score_assessee(
    scheme: Scheme, records: list[Record], org: Org, scoring: Scoring | None = None
) -> Result:
    """One assessee, one period, one scheme (records: all roles' records for it), unranked."""
    fields = _scheme_results(scheme, [records], org, scoring or Scoring())[0]
    return Result(**fields, rank=None, of=0)


def _scheme_results(
    scheme: Scheme, assessees: list[list[Record]], org: Org, scoring: Scoring
) -> list[dict[str, Any]]:
    """Every Result of one scheme but its rank (ranks need the whole group first), scored a
    column at a time: each item over all assessees, then each assessee's total."""
    assessees = [
        sorted(records, key=lambda r: (ROLE_ORDER.get(r.role, 9), r.source_unit or ""))
        if len(records) > 1
        else records
        for records in assessees
    ]
    by_roles = [_by_role(records) for records in assessees]
    columns = [_item_column(scheme, item, by_roles, scoring) for item in scheme.items]
    rows = zip(*columns, strict=True) if columns else [()] * len(assessees)
    plan = scoring.plan(scheme)
    return [
        _result_fields(scheme, plan, records, outcomes, org)
        for records, outcomes in zip(assessees, rows, strict=True)
    ]


def _by_role(records: list[Record]) -> dict[str, list[Record]]:
    by_role: dict[str, list[Record]] = {}
    for r in records:
        by_role.setdefault(r.role, []).append(r)
    return by_role


def _result_fields(
    scheme: Scheme,
    plan: _SchemePlan,
    records: list[Record],
    outcomes: tuple[_Outcome, ...],
    org: Org,
) -> dict[str, Any]:
    """One assessee's Result fields from its items' outcomes."""
    first = records[0]
    items = _settle_weights(outcomes)
    names = _formula_names(scheme, outcomes) if plan.reads_items else scheme.params
    total = None
    if not any(o.missing for o in outcomes):
        total = _total(scheme, items, names)
    if total is not None:
        total = next((o.veto for o in outcomes if o.veto is not None), total)
    published = round_half_up(total, scheme.precision) if total is not None else None
    return {
        "period": first.period,
        "scheme": scheme.id,
        "assessee": first.assessee,
        "name": org.name_of(first.assessee),
        "unit": first.unit,
        "group": ranking_group(scheme, org, first.assessee, first.unit),
        "total": published,
        **_grade_and_money(scheme, plan, published, names),
        "status": "complete" if total is not None else "incomplete",
        "items": items,
        "precision": scheme.precision,
        "exact_total": total,
        "money_titles": plan.money_titles,
        "files": tuple(r.file for r in records),
    }


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
) -> _Outcome:
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
    return _Outcome(item, result, number, skipped=skipped, missing=missing, veto=veto)


def _record_for(by_role: dict[str, list[Record]], role: str, item: Item) -> Record | None:
    candidates = by_role.get(role, [])
    if role != "data":  # one record per role (the loader keeps only the winning correction)
        return candidates[0] if candidates else None
    if item.source_unit:
        exact = [r for r in candidates if r.source_unit == item.source_unit]
        candidates = exact or candidates
    holding = [r for r in candidates if item.id in r.items]
    return (holding or candidates or [None])[0]


_ABSENT = ("absent",)


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


def _measure_and_score(
    scheme: Scheme, item: Item, raw: Any, scoring: Scoring | None = None, stand_in: Any = None
) -> tuple[Measured | None, Scored | None]:
    """measure + score_item; remembered per (scheme, item, input) when `scoring` is given."""
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


def _item_column(
    scheme: Scheme, item: Item, by_roles: list[dict[str, list[Record]]], scoring: Scoring
) -> list[_Outcome]:
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


def _single(
    scheme: Scheme, item: Item, role: str, raw: Any, late: tuple[int, str] | None
) -> _Outcome:
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


def _veto(item: Item, measured: Measured | None) -> Decimal | None:
    if not item.veto:
        return None
    value = numeric(measured) if not isinstance(measured, ZeroDenominator) else None
    if value is not None and item.veto.condition.contains(value):
        return item.veto.total
    return None


def _combined(
    scheme: Scheme, item: Item, by_role: dict[str, list[Record]], scoring: Scoring
) -> _Outcome:
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


def _weighted(item: Item) -> bool:
    return item.weight is not None and item.method not in (None, "bonus")


def _settle_weights(outcomes: tuple[_Outcome, ...]) -> tuple[ItemResult, ...]:
    """The published items: a skipped item's weight is shared by the other weighted items
    (in proportion to their weights), so the rest still carry the whole 100."""
    results = tuple(o.result for o in outcomes)
    if not any(o.skipped for o in outcomes):
        return results
    weighted = [o for o in outcomes if _weighted(o.item)]
    all_weight = sum((o.item.weight for o in weighted), ZERO)  # type: ignore[misc]
    skipped_weight = sum((o.item.weight for o in weighted if o.skipped), ZERO)  # type: ignore[misc]
    share = all_weight - skipped_weight
    if not skipped_weight or not share:
        return results
    settled = []
    for o in outcomes:
        r = o.result
        if _weighted(o.item) and r.points is not None:
            weight = CONTEXT.divide(o.item.weight * all_weight, share)  # type: ignore[operator]
            contribution = CONTEXT.divide(CONTEXT.multiply(r.points, weight), HUNDRED)
            r = r._replace(weight=weight, contribution=contribution)
        settled.append(r)
    return tuple(settled)


def _formula_names(scheme: Scheme, outcomes: tuple[_Outcome, ...]) -> dict[str, Decimal]:
    """What formulas see: params, item points by id, measured values as <id>_value."""
    names: dict[str, Decimal] = dict(scheme.params)
    for o in outcomes:
        key = formula_name(o.item.id)
        if o.number is not None:
            names[key + "_value"] = o.number
        if o.result.points is not None:
            names[key] = o.result.points
        elif o.item.method is None and o.number is not None:
            names[key] = o.number  # an input-only item is its value
    return names


def _formulas_read_items(scheme: Scheme) -> bool:
    """Whether the total or a money formula names an item (`<id>` or `<id>_value`). An item
    wins over a param or a money amount of the same name (as `_formula_names` builds them),
    so only the item names decide."""
    item_names = {formula_name(i.id) + end for i in scheme.items for end in ("", "_value")}
    for text in [scheme.total_formula, *(m.formula for m in scheme.money)]:
        if text:
            try:
                if compiled(text).names & item_names:
                    return True
            except FormulaError:
                return True  # the scheme checker reports it; evaluate as before
    return False


def _total(
    scheme: Scheme, items: tuple[ItemResult, ...], names: Mapping[str, Decimal]
) -> Decimal | None:
    if scheme.total_formula is not None:
        try:
            total = compiled(scheme.total_formula).evaluate(names)
        except FormulaError:
            return None  # the scheme checker reports the formula
    else:
        total = sum((i.contribution for i in items if i.contribution is not None), ZERO)
    if scheme.total_max is not None:
        total = min(total, scheme.total_max)
    return total


def _grade_and_money(
    scheme: Scheme, plan: _SchemePlan, total: Decimal | None, names: Mapping[str, Decimal]
) -> dict[str, Any]:
    """Grade and money from the published total; when no formula reads an item they depend
    on the total alone, and many people share a total: worked out once per total."""
    if plan.reads_items or total is None:
        return {"grade": _grade(scheme, total), "money": _money(scheme, total, names)}
    hit = plan.by_total.get(total)
    if hit is None:
        hit = plan.by_total[total] = (_grade(scheme, total), _money(scheme, total, names))
    return {"grade": hit[0], "money": hit[1]}


def _grade(scheme: Scheme, total: Decimal | None) -> str | None:
    if total is None:
        return None
    return next((g.grade for g in scheme.grades if total >= g.min), None)


def _money(
    scheme: Scheme, total: Decimal | None, names: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Money amounts in order; each may use the ones before it (as published)."""
    if total is None or not scheme.money:
        return {}
    env = {**names, "total": total}
    out: dict[str, Decimal] = {}
    for m in scheme.money:
        try:
            amount = compiled(m.formula).evaluate(env)
        except FormulaError:
            continue  # reported by the scheme checker; an amount is never guessed
        if m.min is not None:
            amount = max(amount, m.min)
        if m.max is not None:
            amount = min(amount, m.max)
        out[m.id] = env[m.id] = round_half_up(amount, scheme.precision)
    return out
