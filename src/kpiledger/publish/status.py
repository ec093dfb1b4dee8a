"""Who still owes what (`kpi status`, the site's status pages, the status issue).

For one period: the records it needs (`check.expected`), grouped by the assessee's unit and the
author role, each submitted (its file), late (landed on main after the due time — the same
measure as scoring's lateness, from the same git history) or missing; and who writes each
missing one by the org chart, with their forge logins (`github:<login>` identities).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kpiledger.calendar import due_moment
from kpiledger.check.expected import Expected, default_author, expected_records
from kpiledger.forge.codeowners import logins as forge_logins
from kpiledger.model import Ledger, Period
from kpiledger.score.lateness import Landing, days_late


@dataclass(frozen=True)
class Owed:
    """One record the period needs, and where it stands."""

    expected: Expected
    author: str | None
    """Who wrote it (submitted) or writes it by the org chart (missing); None: nobody named."""
    file: str | None = None
    """The submitted record; None while missing."""
    landed: str | None = None
    """When it landed on main (ISO 8601); None outside git or not committed yet."""
    days_late: int = 0


@dataclass(frozen=True)
class Row:
    """One unit and author role of a period."""

    unit: str
    role: str
    owed: tuple[Owed, ...]

    @property
    def submitted(self) -> list[Owed]:
        return [o for o in self.owed if o.file is not None]

    @property
    def missing(self) -> list[Owed]:
        return [o for o in self.owed if o.file is None]

    @property
    def late(self) -> list[Owed]:
        return [o for o in self.owed if o.days_late > 0]


@dataclass(frozen=True)
class PeriodStatus:
    period: Period
    due: dt.datetime | None
    """The due time, aware, in the ledger's time zone; None when the period has none."""
    rows: tuple[Row, ...]

    @property
    def missing(self) -> list[Owed]:
        return [o for r in self.rows for o in r.missing]

    @property
    def late(self) -> list[Owed]:
        return [o for r in self.rows for o in r.late]

    def overdue(self, now: dt.datetime) -> bool:
        """Records are missing and the due time has passed."""
        return bool(self.missing) and self.due is not None and now > self.due

    def left(self, now: dt.datetime) -> dt.timedelta | None:
        """Time until the due time (negative once passed); None without one."""
        return None if self.due is None else self.due - now


def zone_of(ledger: Ledger) -> dt.tzinfo:
    try:
        return ZoneInfo(ledger.calendar.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone(dt.timedelta(hours=8))  # as calendar.due_moment falls back


def period_status(
    ledger: Ledger, period: Period, landings: Mapping[str, Landing] | None
) -> PeriodStatus:
    """Where every record `period` needs stands; `landings` from git (None outside git)."""
    due = due_moment(period, ledger.calendar.timezone)
    held = {r.key: r for r in ledger.records}
    groups: dict[tuple[str, str], list[Owed]] = {}
    for e in expected_records(ledger, period):
        record = held.get(e.key)
        if record is None:
            owed = Owed(e, default_author(ledger, e.assessee, e.role, e.source_unit))
        else:
            landing = (landings or {}).get(record.file)
            late = days_late(landing.date, due) if landing and due else 0
            owed = Owed(e, record.author, record.file, landing.date if landing else None, late)
        groups.setdefault((e.unit, e.role), []).append(owed)
    rows = tuple(Row(unit, role, tuple(owed)) for (unit, role), owed in sorted(groups.items()))
    return PeriodStatus(period, due, rows)


def open_periods(ledger: Ledger) -> list[Period]:
    """The open periods, months first, then quarters and years, each in order."""
    order = {"month": 0, "quarter": 1, "year": 2}
    return sorted((p for p in ledger.calendar.periods.values() if p.status == "open"),
                  key=lambda p: (order.get(p.kind, 3), p.id))


def logins(ledger: Ledger, people: Iterable[str | None], forge: str = "github") -> list[str]:
    """The forge logins of these people (their `github:<login>` identities, or another
    forge's), each once, without the @ (the same reading as CODEOWNERS')."""
    found, _ = forge_logins(ledger.org, tuple(p for p in people if p), forge)
    return [handle.removeprefix("@") for handle in found]
