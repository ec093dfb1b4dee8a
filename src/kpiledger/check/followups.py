"""Meaning checks of the files that follow a period's results: a follow-up
(`<period>/followups/<kind>/<assessee>.yaml`: an improvement plan, a re-test, a reward marked
paid) and a bulletin's publication (`<period>/bulletin.yaml`). The schema has checked their
shape; here: the content agrees with the path, the kind is one a scheme's rule declares, the
assessee and the period are known."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.layout import parse_followup_path
from kpiledger.model import Calendar, Org, Scheme
from kpiledger.model.followups import PAID


def declared_kinds(schemes: Mapping[str, Scheme]) -> list[str]:
    """Every follow-up kind a scheme's rule declares, and the built-in `paid`."""
    kinds = {r.followup.kind for s in schemes.values() for r in s.rules if r.followup}
    return sorted(kinds | {PAID})


def _agrees(rel: str, doc: Mapping[str, Any], want: dict[str, str]) -> list[Diagnostic]:
    return [
        d(rel, "KPI370", (key,), field=key, value=str(doc.get(key)), expected=value)
        for key, value in want.items()
        if key in doc and str(doc.get(key)) != value
    ]


def check_filed(
    rel: str, kind: str, doc: Mapping[str, Any], org: Org, calendar: Calendar,
    schemes: Mapping[str, Scheme],
) -> list[Diagnostic]:
    """Problems of one schema-valid follow-up or bulletin file."""
    period = rel.split("/", 1)[0]
    problems: list[Diagnostic] = []
    if period not in calendar.periods:
        problems.append(d(rel, "KPI340", ("period",) if "period" in doc else (), period=period))
    if kind == "bulletin":
        return problems + _agrees(rel, doc, {"period": period})
    where = parse_followup_path(rel)
    if where is None:  # kind_of said followup, so the path parses; kept for the type checker
        return problems
    problems += _agrees(rel, doc, {"period": where.period, "kind": where.kind,
                                   "assessee": where.assessee})
    kinds = declared_kinds(schemes)
    if where.kind not in kinds:
        problems.append(d(rel, "KPI371", ("kind",), kind=where.kind, allowed="、".join(kinds)))
    if where.assessee not in org.people and where.assessee not in org.units:
        problems.append(d(rel, "KPI372", ("assessee",), assessee=where.assessee))
    by = doc.get("by")
    if isinstance(by, str) and by not in org.people:
        problems.append(d(rel, "KPI372", ("by",), assessee=by))
    return problems
