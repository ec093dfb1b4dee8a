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
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from .diagnostics import Diagnostic
from .formula import FormulaError
from .inputs import Measured, Occurrence, ZeroDenominator, measure
from .lateness import Landing, days_late, due_moment
from .model import Item, Ledger, Org, Record, Scheme
from .numbers import CONTEXT, fmt, plain, round_half_up
from .provenance import FileProvenance
from .rank import rank_groups
from .scheme_check import formula_name
from .score_items import Scored, compiled, numeric, score_item, value_text

ZERO = Decimal(0)
HUNDRED = Decimal(100)
ROLE_ORDER = {"superior": 0, "group": 1, "self": 2, "data": 3}
_MISSING = object()


@dataclass(frozen=True)
class ItemResult:
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


@dataclass(frozen=True)
class Result:
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
    status: str  # complete | incomplete
    items: tuple[ItemResult, ...]
    precision: int = 2
    exact_total: Decimal | None = None
    money_titles: dict[str, str] = field(default_factory=dict)
    pending: tuple[dict[str, str], ...] = ()  # carried-over items due here: {item, since}
    files: tuple[str, ...] = ()  # the records behind this result


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
    memo: Memo = {}
    late = _lateness(ledger, landings or {})
    unranked = [
        score_assessee(ledger.schemes[scheme], records, ledger.org, memo, late)
        for (_, scheme, _), records in sorted(groups.items())
    ]
    ranks = rank_groups([(r.period, r.scheme, r.group, r.total, r.precision) for r in unranked])
    ranked = [_with_rank(r, rank, of) for r, (rank, of) in zip(unranked, ranks, strict=True)]
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


def _with_rank(r: Result, rank: int | None, of: int) -> Result:
    return Result(**{**r.__dict__, "rank": rank, "of": of})


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


def score_assessee(
    scheme: Scheme,
    records: list[Record],
    org: Org,
    memo: Memo | None = None,
    late: Late | None = None,
) -> Result:
    """One assessee, one period, one scheme (records: all roles' records for it)."""
    memo = {} if memo is None else memo
    records = sorted(records, key=lambda r: (ROLE_ORDER.get(r.role, 9), r.source_unit or ""))
    first = records[0]
    by_role: dict[str, list[Record]] = {}
    for r in records:
        by_role.setdefault(r.role, []).append(r)
    scored = [_score_item(scheme, item, by_role, memo, late or {}) for item in scheme.items]
    complete = all(s.status_ok for s in scored)
    _apply_weights(scheme, scored)
    names = _formula_names(scheme, scored)
    total = _total(scheme, scored, names) if complete else None
    if total is not None:
        for s in scored:
            if s.veto is not None:
                total = s.veto
                break
    published = round_half_up(total, scheme.precision) if total is not None else None
    return Result(
        period=first.period,
        scheme=scheme.id,
        assessee=first.assessee,
        name=org.name_of(first.assessee),
        unit=first.unit,
        group=ranking_group(scheme, org, first.assessee, first.unit),
        total=published,
        grade=_grade(scheme, published),
        rank=None,
        of=0,
        money=_money(scheme, published, names),
        status="complete" if total is not None else "incomplete",
        items=tuple(s.result(scheme.precision) for s in scored),
        precision=scheme.precision,
        exact_total=total,
        money_titles={m.id: m.title for m in scheme.money},
        files=tuple(r.file for r in records),
    )


@dataclass
class _Scored:
    """An item while it is being scored (mutable: weights are settled after all items)."""

    item: Item
    inputs: dict[str, Any]
    measured: Measured | None
    points: Decimal | None
    rule: str
    skipped: bool = False
    missing: bool = False  # a value the total needs is not there
    weight: Decimal | None = None
    contribution: Decimal | None = None
    veto: Decimal | None = None
    value: str | None = None  # the measured value's published text, when already known

    @property
    def status_ok(self) -> bool:
        return not self.missing

    def result(self, precision: int) -> ItemResult:
        item = self.item
        return ItemResult(
            id=item.id,
            title=item.title,
            by=item.by,
            inputs=self.inputs,
            value=self.value
            if self.value is not None or self.measured is None
            else value_text(item, self.measured),
            rule=self.rule,
            points=self.points,
            weight=self.weight,
            max=item.max,
            contribution=self.contribution,
        )


def _record_for(by_role: dict[str, list[Record]], role: str, item: Item) -> Record | None:
    candidates = by_role.get(role, [])
    if role != "data":  # one record per role (the loader keeps only the winning correction)
        return candidates[0] if candidates else None
    if item.source_unit:
        exact = [r for r in candidates if r.source_unit == item.source_unit]
        candidates = exact or candidates
    holding = [r for r in candidates if item.id in r.items]
    return (holding or candidates or [None])[0]


def _memo_key(raw: Any) -> Any:
    """A cheap hashable stand-in for inputs that repeat (numbers, texts, simple ratios);
    None for the rest (occurrence lists), which are scored afresh."""
    if isinstance(raw, str | int | float | bool):
        return (type(raw), raw)
    if isinstance(raw, dict) and len(raw) == 2 and "numerator" in raw and "denominator" in raw:
        num, den = raw["numerator"], raw["denominator"]
        if isinstance(num, int | float) and isinstance(den, int | float):
            return (type(num), num, type(den), den)
    return None


Memo = dict[tuple[Any, ...], tuple[Measured | None, Scored | None]]


def _measure_and_score(
    scheme: Scheme, item: Item, raw: Any, memo: Memo
) -> tuple[Measured | None, Scored | None]:
    """measure + score_item, remembered per (scheme, item, input) within one scoring run:
    most inputs repeat (points, counts, levels, percentages)."""
    stand_in = _memo_key(raw)
    key = (scheme.id, item.id, stand_in)
    hit = memo.get(key) if stand_in is not None else None
    if hit is None:
        measured, problems = measure(item, raw)
        if problems or measured is None:
            hit = (None, None)
        else:
            scored = score_item(item, measured, scheme.precision, scheme.params)
            hit = (measured, replace(scored, value=value_text(item, measured)))
        if stand_in is not None:
            memo[key] = hit
    return hit


def _score_item(
    scheme: Scheme, item: Item, by_role: dict[str, list[Record]], memo: Memo, late: Late
) -> _Scored:
    per_role: dict[str, tuple[Measured, Scored]] = {}
    inputs: dict[str, Any] = {}
    for role in item.by:
        record = _record_for(by_role, role, item)
        raw = record.items.get(item.id, _MISSING) if record is not None else _MISSING
        if raw is _MISSING:
            continue
        inputs[role] = raw
        measured, scored = _measure_and_score(scheme, item, raw, memo)
        if measured is None or scored is None:
            continue  # the checker reports why; the score treats it as not given
        kind = item.spec.get("late") if item.method == "deductions" else None
        if kind and record is not None and late.get(record.file, (0, ""))[0] > 0:
            days, why = late[record.file]
            measured = [*measured, Occurrence(kind, Decimal(days), reason=why)]  # type: ignore[misc]
            again = score_item(item, measured, scheme.precision, scheme.params)
            scored = Scored(
                again.points,
                f"{again.rule}（迟交 {days} 天：{why}）",
                again.skipped,
                value_text(item, measured),
            )
        per_role[role] = (measured, scored)
    if len(item.by) == 1:
        return _single(scheme, item, inputs, per_role)
    return _combined(scheme, item, inputs, per_role)


def _veto(item: Item, measured: Measured | None) -> Decimal | None:
    if not item.veto:
        return None
    value = numeric(measured) if not isinstance(measured, ZeroDenominator) else None
    if value is not None and item.veto["condition"].contains(value):
        return item.veto["total"]
    return None


def _single(
    scheme: Scheme,
    item: Item,
    inputs: dict[str, Any],
    per_role: dict[str, tuple[Measured, Scored]],
) -> _Scored:
    if not per_role:
        if scheme.missing_assessor == "zero" and item.method is not None and item.method != "bonus":
            return _Scored(item, inputs, None, ZERO, f"{item.by[0]} 未提交 → 0分")
        needed = item.method is not None
        return _Scored(item, inputs, None, None, "未提交", missing=needed)
    measured, s = next(iter(per_role.values()))
    value = s.value
    veto = _veto(item, measured)
    rule = s.rule + (
        f"；一票否决：{item.veto['when']} → 总分 {plain(veto)}"
        if veto is not None and item.veto
        else ""
    )
    return _Scored(
        item, inputs, measured, s.points, rule, skipped=s.skipped, veto=veto, value=value
    )


def _combined(
    scheme: Scheme,
    item: Item,
    inputs: dict[str, Any],
    per_role: dict[str, tuple[Measured, Scored]],
) -> _Scored:
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
            return _Scored(
                item, inputs, measured, None, per_role[next(iter(per_role))][1].rule, skipped=True
            )
        return _Scored(item, inputs, None, None, "未提交", missing=item.method is not None)
    if missing and policy == "incomplete":
        return _Scored(item, inputs, measured, None, f"{', '.join(missing)} 未提交", missing=True)
    roles = counted if policy == "zero" else [r for r in counted if r in given]
    if not roles:  # only zero-weight roles submitted
        return _Scored(item, inputs, measured, None, f"{', '.join(missing)} 未提交", missing=True)
    total_weight = sum((weights[r] for r in roles), ZERO)
    points = CONTEXT.divide(
        sum((weights[r] * (given[r][1].points if r in given else ZERO) for r in roles), ZERO),
        total_weight,
    )
    terms = " + ".join(
        f"{r} {plain(given[r][1].points) if r in given else '0（未提交）'} × {plain(weights[r])}"
        for r in roles
    )
    shown_aside = [r for r in item.by if r in given and r not in roles]
    aside = "".join(f"；{r} {plain(given[r][1].points)}（不计权）" for r in shown_aside)
    rule = f"({terms}) / {plain(total_weight)} = {fmt(points, scheme.precision)}{aside}"
    veto = next(
        (v for r in roles if r in given and (v := _veto(item, given[r][0])) is not None), None
    )
    return _Scored(item, inputs, measured, points, rule, veto=veto)


def _apply_weights(scheme: Scheme, scored: list[_Scored]) -> None:
    """Contributions; a skipped item's weight is shared by the other weighted items."""
    weighted = [
        s for s in scored if s.item.weight is not None and s.item.method not in (None, "bonus")
    ]
    all_weight = sum((s.item.weight for s in weighted), ZERO)  # type: ignore[misc]
    skipped_weight = sum((s.item.weight for s in weighted if s.skipped), ZERO)  # type: ignore[misc]
    share = all_weight - skipped_weight  # the weight left to carry the whole 100
    for s in scored:
        item = s.item
        if item.method is None or s.points is None:
            s.weight = item.weight
            continue
        if item.method == "bonus" or item.weight is None:
            s.contribution = s.points if (item.method == "bonus" or item.max is not None) else None
            s.weight = item.weight
            continue
        s.weight = (
            CONTEXT.divide(item.weight * all_weight, share)
            if skipped_weight and share
            else item.weight
        )
        s.contribution = CONTEXT.divide(CONTEXT.multiply(s.points, s.weight), HUNDRED)


def _formula_names(scheme: Scheme, scored: list[_Scored]) -> dict[str, Decimal]:
    """What formulas see: params, item points by id, measured values as <id>_value."""
    names: dict[str, Decimal] = dict(scheme.params)
    for s in scored:
        key = formula_name(s.item.id)
        value = numeric(s.measured) if not isinstance(s.measured, ZeroDenominator) else None
        if value is not None:
            names[key + "_value"] = value
        if s.points is not None:
            names[key] = s.points
        elif s.item.method is None and value is not None:
            names[key] = value  # an input-only item is its value
    return names


def _total(scheme: Scheme, scored: list[_Scored], names: Mapping[str, Decimal]) -> Decimal | None:
    if scheme.total_formula is not None:
        try:
            total = compiled(scheme.total_formula).evaluate(names)
        except FormulaError:
            return None  # the scheme checker reports the formula
    else:
        total = sum((s.contribution for s in scored if s.contribution is not None), ZERO)
    if scheme.total_max is not None:
        total = min(total, scheme.total_max)
    return total


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
