"""The assessment calendar: what a period id says (its kind, the period after it), periods in
order, and a period's due time.

Period ids are "2026-03" (month), "2026-Q1" (quarter) and "2026" (year); ids of one kind sort
chronologically as text. Used by scoring (lateness), the cross-period rules, carry-over and
aggregates alike, so it sits just above the model and imports nothing else of ours.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kpiledger.model import Calendar, Period
from kpiledger.model.pattern import kind_of

DAY = dt.timedelta(days=1)

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^\d{4}$")


def period_kind(pid: str) -> str | None:
    """"2026-03" → month, "2026-Q1" → quarter, "2026" → year; anything else → None."""
    return kind_of(pid)


def unknown_period(pid: str) -> tuple[str, dict[str, str]]:
    """The code and arguments for a period the calendar does not hold: KPI340 (what to run
    to open it) for a well-formed id, KPI341 (how ids are written) for anything else."""
    return ("KPI340" if kind_of(pid) else "KPI341"), {"period": pid}


def next_period_id(pid: str) -> str | None:
    """The period after `pid` by arithmetic (for when the calendar does not list it yet)."""
    if m := _MONTH.match(pid):
        year, month = int(m.group(1)), int(m.group(2))
        return f"{year + month // 12}-{month % 12 + 1:02d}"
    if m := _QUARTER.match(pid):
        year, q = int(m.group(1)), int(m.group(2))
        return f"{year + q // 4}-Q{q % 4 + 1}"
    return str(int(pid) + 1) if _YEAR.match(pid) else None


def months_of(pid: str) -> list[str]:
    """The months a quarter or year is made of: "2026-Q2" → 2026-04 … 2026-06."""
    kind = period_kind(pid)
    if kind == "quarter":
        year, q = pid[:4], int(pid[-1])
        return [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    if kind == "year":
        return [f"{pid}-{m:02d}" for m in range(1, 13)]
    return []


def period_sequence(kind: str, calendar: Calendar, seen: Iterable[str]) -> list[str]:
    """The periods of one kind in calendar order, up to the latest one that has results.

    Calendar periods and result periods are merged (a result for a period the calendar does not
    list still counts); ids of one kind sort chronologically as text.
    """
    seen_ids = {p for p in seen if period_kind(p) == kind}
    if not seen_ids:
        return []
    latest = max(seen_ids)
    listed = {p.id for p in calendar.periods.values()
              if p.kind == kind and period_kind(p.id) == kind}
    return sorted(p for p in listed | seen_ids if p <= latest)


def following_period(kind: str, calendar: Calendar, latest: str) -> str | None:
    """The calendar's next period of this kind after `latest`, else the arithmetic next one."""
    later = sorted(p.id for p in calendar.periods.values()
                   if p.kind == kind and period_kind(p.id) == kind and p.id > latest)
    return later[0] if later else next_period_id(latest)


def due_moment(period: Period, timezone: str) -> dt.datetime | None:
    """The period's due time as an aware datetime; a bare date means the end of that day."""
    if not period.due:
        return None
    text = period.due.strip().replace("T", " ")
    try:
        zone: dt.tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = dt.timezone(dt.timedelta(hours=8))  # the documents' companies keep Beijing time
    try:
        if len(text) == 10:
            return dt.datetime.fromisoformat(text).replace(tzinfo=zone) + DAY
        return dt.datetime.fromisoformat(text).replace(tzinfo=zone)
    except ValueError:
        return None
