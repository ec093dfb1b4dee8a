"""Which records a period needs: for every active assessee, every scheme of the period's kind
that applies to them, and every author role the scheme asks items of (one per data-owner unit
for `data`), one record — and who writes it by the org chart.

`kpi new` writes skeletons for these, `kpi status` counts them against what is submitted and
`kpi period close` refuses while any is missing, so the three always agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kpiledger.check.records import applies, items_for
from kpiledger.model import Ledger, Period, Role, Scheme


@dataclass(frozen=True)
class Expected:
    """One record a period needs."""

    period: str
    assessee: str
    scheme: str
    role: str
    source_unit: str | None
    unit: str
    """The assessee's unit (the record's folder)."""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """As `Record.key`: what a submitted record must match."""
        return (self.period, self.assessee, self.scheme, self.role, self.source_unit or "")


def active(ledger: Ledger, assessee: str, period: Period) -> bool:
    """Whether a person works during any part of the period's window (units always do)."""
    person = ledger.org.people.get(assessee)
    if person is None:
        return True
    starts_late = person.active_from is not None and person.active_from[:10] > period.end
    left_before = person.active_to is not None and person.active_to[:10] < period.start
    return not (starts_late or left_before)


def members(ledger: Ledger, unit: str) -> list[str]:
    org = ledger.org
    return sorted(p for p, x in org.people.items() if unit in org.ancestors(x.unit))


def default_author(ledger: Ledger, assessee: str, role: str, source_unit: str | None) -> str | None:
    """Who writes this record according to the org chart (the first one when several may)."""
    org = ledger.org
    person = org.people.get(assessee)
    unit = org.units.get(assessee)
    if role == "superior":
        return person.assessor if person else unit.assessor if unit else None
    if role == "group":
        return person.group_assessors[0] if person and person.group_assessors else None
    if role == "self":
        if person is not None:
            return assessee
        found = members(ledger, assessee)
        return found[0] if found else None
    found = members(ledger, source_unit or "")
    return found[0] if found else None


def source_units(scheme: Scheme, role: str) -> list[str | None]:
    """The data-owner units a `data` record is written for; [None] for the other roles."""
    if role != "data":
        return [None]
    return sorted({i.source_unit for i in scheme.items if "data" in i.by and i.source_unit})


def everyone(ledger: Ledger) -> list[str]:
    """Every assessee of the org chart: people, then units."""
    return sorted(ledger.org.people) + sorted(ledger.org.units)


def expected_records(
    ledger: Ledger,
    period: Period,
    assessees: Iterable[str] | None = None,
    roles: Iterable[str] = tuple(Role),
) -> Iterator[Expected]:
    """The records `period` needs from these assessees (default: everyone) and roles, in
    assessee, scheme, role order."""
    org = ledger.org
    schemes = [s for _, s in sorted(ledger.schemes.items()) if s.period_kind == period.kind]
    wanted = list(roles)
    for assessee in everyone(ledger) if assessees is None else assessees:
        if not active(ledger, assessee, period):
            continue
        for scheme in schemes:
            if not applies(scheme, org, assessee):
                continue
            for role in wanted:
                for source_unit in source_units(scheme, role):
                    if items_for(scheme, role, source_unit):
                        yield Expected(period.id, assessee, scheme.id, str(role), source_unit,
                                       org.unit_of(assessee) or "")
