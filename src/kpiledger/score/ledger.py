"""Scoring a ledger: records → per-item derivations → totals, grades, money, ranks.

For each (period, scheme, assessee) the records are gathered by author role (the loader has
already kept only the winning correction per key). Each item's inputs are measured, scored by
the item's method, combined over assessor roles (`score.item`), weighted and summed (or fed to
`total.formula`), vetoed, graded and turned into money (`score.total`). Arithmetic is exact
Decimal; published numbers are rounded half up to the scheme's precision, and grade, rank and
money are taken from the *published* total so anyone can recompute them from what is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kpiledger.diagnostics import Diagnostic
from kpiledger.git.provenance import FileProvenance
from kpiledger.model import Ledger, Org, Record, Scheme
from kpiledger.score.item import ByRole, Outcome, Scoring, item_column
from kpiledger.score.lateness import Landing, record_lateness
from kpiledger.score.rank import rank_groups
from kpiledger.score.results import Result
from kpiledger.score.total import SchemePlan, add_up, scheme_plan

ROLE_ORDER = {"superior": 0, "group": 1, "self": 2, "data": 3}


@dataclass(frozen=True)
class Results:
    """Everything one evaluation publishes: the results, and what spans periods."""

    results: tuple[Result, ...]
    events: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    warnings: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    aggregates: tuple[dict[str, Any], ...] = field(default_factory=tuple)
    notices: tuple[Diagnostic, ...] = ()  # warnings about the evaluation itself (KPI5xx)
    provenance: Mapping[str, FileProvenance] = field(default_factory=dict)
    document: dict[str, Any] | None = None
    """The results document itself, when it was made without `results` (one period and
    scheme at a time, from a cache: `publish.partitions`); `results` is then empty."""


def score_ledger(ledger: Ledger, landings: Mapping[str, Landing] | None = None) -> Results:
    """Score every (period, scheme, assessee) that has records; ranked and sorted.

    `landings` (record file → when it landed on main) feeds the lateness deductions; without
    it lateness counts as 0."""
    groups: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for record in ledger.records:
        if record.scheme in ledger.schemes:
            groups[(record.period, record.scheme, record.assessee)].append(record)
    scoring = Scoring(late=record_lateness(ledger, landings or {}))
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
    columns = [item_column(scheme, item, by_roles, scoring) for item in scheme.items]
    rows = zip(*columns, strict=True) if columns else [()] * len(assessees)
    plan = scheme_plan(scheme)
    return [
        _result_fields(scheme, plan, records, outcomes, org)
        for records, outcomes in zip(assessees, rows, strict=True)
    ]


def _by_role(records: list[Record]) -> ByRole:
    by_role: ByRole = {}
    for r in records:
        by_role.setdefault(r.role, []).append(r)
    return by_role


def _result_fields(
    scheme: Scheme,
    plan: SchemePlan,
    records: list[Record],
    outcomes: tuple[Outcome, ...],
    org: Org,
) -> dict[str, Any]:
    """One assessee's Result fields from its items' outcomes."""
    first = records[0]
    totals = add_up(scheme, plan, outcomes)
    return {
        "period": first.period,
        "scheme": scheme.id,
        "assessee": first.assessee,
        "name": org.name_of(first.assessee),
        "unit": first.unit,
        "group": ranking_group(scheme, org, first.assessee, first.unit),
        "total": totals.published,
        "grade": totals.grade,
        "money": totals.money,
        "status": "complete" if totals.exact is not None else "incomplete",
        "items": totals.items,
        "precision": scheme.precision,
        "exact_total": totals.exact,
        "failures": totals.failures,
        "money_exact": totals.money_exact,
        "money_titles": plan.money_titles,
        "files": tuple(r.file for r in records),
    }
