"""One assessee's items → weights, total, grade and money.

A skipped item's weight is shared by the other weighted items; the total is the sum of the
contributions (or the scheme's `total.formula`), capped, overridden by a veto; grade and money
are taken from the *published* total (rounded half up to the scheme's precision), so anyone
can recompute them from what is shown. A money entry that reads an earlier one reads its
exact amount: rounding happens once, where an amount is published (or where the formula says
`round_half_up`). A formula that fails while it runs is never silent: the result carries a
`FormulaFailure` saying which formula and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from kpiledger.model import Item, Scheme
from kpiledger.model.formula import FormulaError, formula_name
from kpiledger.numbers import CONTEXT, round_half_up
from kpiledger.score.item import Outcome
from kpiledger.score.methods import compiled
from kpiledger.score.results import FormulaFailure, ItemResult

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class Priced(NamedTuple):
    """Grade and money of one published total."""

    grade: str | None
    money: dict[str, Decimal]  # published: rounded half up
    exact: dict[str, Decimal]  # what later money entries read
    failures: tuple[FormulaFailure, ...]


@dataclass(frozen=True, slots=True)
class SchemePlan:
    """What every result of one scheme shares."""

    reads_items: bool  # a total or money formula reads item points or values
    money_titles: dict[str, str]
    by_total: dict[Decimal, Priced]  # when formulas read no item


def scheme_plan(scheme: Scheme) -> SchemePlan:
    """The scheme's plan, to be shared by all its results of one run."""
    return SchemePlan(
        reads_items=_formulas_read_items(scheme),
        money_titles={m.id: m.title for m in scheme.money},
        by_total={},
    )


class Totals(NamedTuple):
    """One assessee's items as published and what they add up to."""

    items: tuple[ItemResult, ...]  # with a skipped item's weight shared out
    exact: Decimal | None  # None: incomplete (a value the total needs is missing)
    published: Decimal | None  # rounded half up to the scheme's precision
    grade: str | None
    money: dict[str, Decimal]
    money_exact: dict[str, Decimal]
    failures: tuple[FormulaFailure, ...]


def add_up(scheme: Scheme, plan: SchemePlan, outcomes: tuple[Outcome, ...]) -> Totals:
    """Weights, total (a veto replaces it), grade and money from one assessee's outcomes."""
    items = _settle_weights(outcomes)
    names = _formula_names(scheme, outcomes) if plan.reads_items else scheme.params
    total, failures = None, ()
    if not any(o.missing for o in outcomes):
        total, failures = _total(scheme, items, names)
    if total is not None:
        total = next((o.veto for o in outcomes if o.veto is not None), total)
    published = round_half_up(total, scheme.precision) if total is not None else None
    priced = _grade_and_money(scheme, plan, published, names)
    return Totals(
        items, total, published, priced.grade, priced.money, priced.exact,
        failures + priced.failures,
    )


def _weighted(item: Item) -> bool:
    return item.weight is not None and item.method not in (None, "bonus")


def _settle_weights(outcomes: tuple[Outcome, ...]) -> tuple[ItemResult, ...]:
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


def _formula_names(scheme: Scheme, outcomes: tuple[Outcome, ...]) -> dict[str, Decimal]:
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
) -> tuple[Decimal | None, tuple[FormulaFailure, ...]]:
    if scheme.total_formula is not None:
        try:
            formula = compiled(scheme.total_formula)
        except FormulaError:
            return None, ()  # the scheme checker reports the formula
        try:
            total = formula.evaluate(names)
        except FormulaError as e:
            return None, (_failure("total", e.kind, formula.names, names),)
    else:
        total = sum((i.contribution for i in items if i.contribution is not None), ZERO)
    if scheme.total_max is not None:
        total = min(total, scheme.total_max)
    return total, ()


def _failure(
    target: str, kind: str, read: frozenset[str], names: Mapping[str, Decimal]
) -> FormulaFailure:
    return FormulaFailure(target, kind, tuple((n, names[n]) for n in sorted(read) if n in names))


def _grade_and_money(
    scheme: Scheme, plan: SchemePlan, total: Decimal | None, names: Mapping[str, Decimal]
) -> Priced:
    """Grade and money from the published total; when no formula reads an item they depend
    on the total alone, and many people share a total: worked out once per total."""
    if plan.reads_items or total is None:
        return Priced(_grade(scheme, total), *_money(scheme, total, names))
    hit = plan.by_total.get(total)
    if hit is None:
        hit = plan.by_total[total] = Priced(_grade(scheme, total), *_money(scheme, total, names))
    return hit


def _grade(scheme: Scheme, total: Decimal | None) -> str | None:
    if total is None:
        return None
    return next((g.grade for g in scheme.grades if total >= g.min), None)


_NO_MONEY: tuple[dict[str, Decimal], dict[str, Decimal], tuple[FormulaFailure, ...]] = (
    {}, {}, ()
)


def _money(
    scheme: Scheme, total: Decimal | None, names: Mapping[str, Decimal]
) -> tuple[dict[str, Decimal], dict[str, Decimal], tuple[FormulaFailure, ...]]:
    """Money amounts in order, published (rounded half up) and exact; each may use the exact
    amounts before it, so a factor such as 1.165 is never rounded before it multiplies."""
    if total is None or not scheme.money:
        return _NO_MONEY
    env = {**names, "total": total}
    out: dict[str, Decimal] = {}
    exact: dict[str, Decimal] = {}
    failed: list[FormulaFailure] = []
    for m in scheme.money:
        try:
            formula = compiled(m.formula)
        except FormulaError:
            continue  # reported by the scheme checker; an amount is never guessed
        broken = sorted(formula.names & {f.target for f in failed})
        if broken:
            failed.append(FormulaFailure(m.id, "depends", tuple((b, None) for b in broken)))
            continue
        try:
            amount = formula.evaluate(env)
        except FormulaError as e:
            failed.append(_failure(m.id, e.kind, formula.names, env))
            continue
        if m.min is not None:
            amount = max(amount, m.min)
        if m.max is not None:
            amount = min(amount, m.max)
        exact[m.id] = env[m.id] = amount
        out[m.id] = round_half_up(amount, scheme.precision)
    return out, exact, tuple(failed)
