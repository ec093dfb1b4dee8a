"""The whole evaluation of a ledger: score and rank every period, then what spans periods —
cross-period rules (events and warnings before the fact), carry-over of failed items, and
quarterly and yearly aggregates. What `kpi score`, the site and `kpi verify` publish.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .aggregate import aggregate
from .carryover import pending_items
from .model import Ledger
from .numbers import fmt
from .rules import evaluate_rules
from .score import Result, Results, score_ledger


def rule_view(r: Result) -> dict[str, Any]:
    """The slice of a result the cross-period rules read, in the results contract's shape."""
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
        "items": [
            {
                "id": i.id,
                "value": i.value,
                "points": None if i.points is None else fmt(i.points, r.precision),
            }
            for i in r.items
        ],
    }


def evaluate_ledger(ledger: Ledger) -> Results:
    scored = score_ledger(ledger)
    views = [rule_view(r) for r in scored.results]
    events, warnings = evaluate_rules(views, ledger.schemes, ledger.calendar)
    pending = pending_items(views, ledger.schemes, ledger.calendar)
    results = tuple(
        replace(r, pending=tuple(pending.get((r.assessee, r.scheme, r.period), ())))
        if (r.assessee, r.scheme, r.period) in pending
        else r
        for r in scored.results
    )
    aggregates: list[dict[str, Any]] = []
    for scheme in sorted(ledger.schemes.values(), key=lambda s: s.id):
        if scheme.aggregate is None or scheme.period_kind != "month":
            continue
        aggregates += aggregate(
            [v for v in views if v["scheme"] == scheme.id],
            ledger.calendar,
            method=scheme.aggregate.get("method", "mean"),
            weights=scheme.aggregate.get("weights"),
            kinds=tuple(scheme.aggregate.get("periods", ("quarter", "year"))),
        )
    return Results(
        results=results,
        events=tuple(events),
        warnings=tuple(warnings),
        aggregates=tuple(aggregates),
    )
