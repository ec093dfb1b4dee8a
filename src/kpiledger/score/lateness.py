"""Lateness measured from git (document 1: 迟交每天5分).

A record's submission time is when it landed on the main branch: the committer date of the
first-parent commit that added it (see `provenance`). Author dates are whatever the author's
machine says; with pull requests merged by the forge, the first-parent commit is the forge's
merge, dated by the forge. Each started 24 hours after the period's due time is one day late.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kpiledger.model import Period

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Landing:
    """When and by which commit a record landed on the main branch."""

    commit: str  # full sha
    date: str  # ISO 8601 with offset (committer date)


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


def days_late(landed: str, due: dt.datetime) -> int:
    """Started days between the due time and the landing (0 when on time)."""
    moment = dt.datetime.fromisoformat(landed)
    if moment <= due:
        return 0
    return math.ceil((moment - due) / DAY)
