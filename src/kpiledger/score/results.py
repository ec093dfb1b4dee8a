"""What scoring publishes: one item of one result, and one result (assessee, period, scheme).

Named tuples, not frozen dataclasses: a big ledger makes hundreds of thousands of them, and a
frozen dataclass costs four times as much to build.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from kpiledger.numbers import fmt


class ItemResult(NamedTuple):
    """One item of one result."""

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


class FormulaFailure(NamedTuple):
    """A total or money formula that failed while it ran for one result: why it has no total
    or no amount. `target` is "total" or the money id; `kind` is `FormulaError.kind` (or
    "depends": it reads an amount that failed); `values` are the names the formula reads
    that hold a value here, so the reader sees which input made it fail."""

    target: str
    kind: str
    values: tuple[tuple[str, Decimal | None], ...]  # None: an amount that failed


class Result(NamedTuple):
    """One assessee, period and scheme: what is published.
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
    failures: tuple[FormulaFailure, ...] = ()  # formulas that failed for this result
    money_exact: dict[str, Decimal] | None = None  # amounts before publishing rounds them


def result_head(r: Result) -> dict[str, Any]:
    """A result's own fields, without its items and money (what the cross-period rules read)."""
    return {
        "period": r.period,
        "scheme": r.scheme,
        "assessee": r.assessee,
        "name": r.name,
        "unit": r.unit,
        "group": r.group,
        "total": None if r.total is None else fmt(r.total, r.precision),
        "grade": r.grade,
        "rank": r.rank,
        "of": r.of,
        "status": r.status,
    }
