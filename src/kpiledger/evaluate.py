"""The whole evaluation of a ledger: score and rank every period, then what spans periods —
cross-period rules (events and warnings before the fact), carry-over of failed items, and
quarterly and yearly aggregates. What `kpi score`, the site and `kpi verify` publish.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from kpiledger.calendar import due_moment
from kpiledger.check.appeals import late_appeals
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.git.provenance import FileProvenance, file_provenance
from kpiledger.model import Ledger, PeriodKind, Scheme
from kpiledger.numbers import fmt
from kpiledger.rules.aggregate import aggregate
from kpiledger.rules.carryover import carried_items, pending_items
from kpiledger.rules.streaks import evaluate_rules
from kpiledger.score.failures import failure_diagnostics
from kpiledger.score.lateness import Landing
from kpiledger.score.ledger import Results, score_ledger
from kpiledger.score.results import Result, result_head


def rule_view(r: Result, items: Collection[str] | None = None) -> dict[str, Any]:
    """The slice of a result the cross-period rules read, in the results contract's shape
    (items with their points and values only: the full conversion is for publishing); of its
    items only those in `items` when given (`rule_items`)."""
    return {
        **result_head(r),
        "items": [
            {
                "id": i.id,
                "value": i.value,
                "points": None if i.points is None else fmt(i.points, r.precision),
            }
            for i in r.items if items is None or i.id in items
        ],
    }


def rule_items(scheme: Scheme) -> frozenset[str]:
    """The items of a scheme's results the cross-period rules read: those an `item_failed`
    condition names and those carried over until passed. A view holds only these: at
    120,000 results, 1.2 million small dicts less to make, keep and read back."""
    named = {str(rule.when["item_failed"]) for rule in scheme.rules if "item_failed" in rule.when}
    return frozenset(named | {i.id for i in carried_items(scheme)})


def landings(root: Path) -> dict[str, Landing] | None:
    """When each ledger file landed on main, from one git pass; None outside git."""
    return landings_from(file_provenance(root))


def landings_from(provenance: Mapping[str, FileProvenance]) -> dict[str, Landing] | None:
    if not provenance:
        return None
    return {rel: Landing(p.added.sha, p.added.date) for rel, p in provenance.items()}


def lateness_notices(ledger: Ledger, landed: Mapping[str, Landing] | None) -> list[Diagnostic]:
    """Lateness that cannot be measured: outside git (KPI501), a due time that cannot be read
    (KPI502)."""
    users = [s for s in ledger.schemes.values() if s.deducts_lateness]
    if not users:
        return []
    if landed is None:
        return [d(users[0].file, "KPI501").at(1, 1)]
    return [
        d("periods.yaml", "KPI502", period=p.id, due=p.due or "").at(1, 1)
        for p in ledger.calendar.periods.values()
        if p.due and due_moment(p, ledger.calendar.timezone) is None
    ]


def evaluate_ledger(
    ledger: Ledger, provenance: Mapping[str, FileProvenance] | None = None
) -> Results:
    """Everything published for a ledger. `provenance` (`provenance.file_provenance(root)`)
    says who added and changed each record and when it landed, which also gives lateness;
    None or empty means the ledger is not in git, and lateness is reported as not measured."""
    landed = landings_from(provenance or {})
    scored = score_ledger(ledger, landed)
    read = {sid: rule_items(s) for sid, s in ledger.schemes.items()}
    spans = spanning([rule_view(r, read.get(r.scheme)) for r in scored.results], ledger)
    results = tuple(
        r._replace(pending=tuple(spans.pending.get((r.assessee, r.scheme, r.period), ())))
        if (r.assessee, r.scheme, r.period) in spans.pending
        else r
        for r in scored.results
    )
    return Results(
        results=results,
        events=spans.events,
        warnings=spans.warnings,
        aggregates=spans.aggregates,
        notices=(
            *lateness_notices(ledger, landed),
            *failure_diagnostics(results, ledger.schemes, ledger.root),
            *late_appeals(ledger, {rel: (x.commit, x.date) for rel, x in (landed or {}).items()}),
        ),
        provenance=dict(provenance or {}),
    )


class Spanning(NamedTuple):
    """What spans periods, made from every result's `rule_view`."""

    events: tuple[dict[str, Any], ...]
    warnings: tuple[dict[str, Any], ...]
    pending: dict[tuple[str, str, str], list[dict[str, str]]]
    """(assessee, scheme, period) → the failed items carried over into that result."""
    aggregates: tuple[dict[str, Any], ...]


def spanning(views: list[dict[str, Any]], ledger: Ledger) -> Spanning:
    """Cross-period rules (events, warnings before the fact), carry-over of failed items and
    quarterly and yearly aggregates, from the views of every result in published order."""
    events, warnings = evaluate_rules(views, ledger.schemes, ledger.calendar)
    pending = pending_items(views, ledger.schemes, ledger.calendar)
    aggregates: list[dict[str, Any]] = []
    for scheme in sorted(ledger.schemes.values(), key=lambda s: s.id):
        spec = scheme.aggregate
        if spec is None or scheme.period_kind != PeriodKind.MONTH:
            continue
        aggregates += aggregate(
            [v for v in views if v["scheme"] == scheme.id],
            ledger.calendar,
            method=spec.method,
            weights=spec.weights,
            kinds=spec.periods,
        )
    return Spanning(tuple(events), tuple(warnings), pending, tuple(aggregates))

