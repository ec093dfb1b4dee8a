"""Lateness measured from git (document 1: 迟交每天5分).

A record's submission time is when it landed on the main branch: the committer date of the
first-parent commit that added it (see `provenance`). Author dates are whatever the author's
machine says; with pull requests merged by the forge, the first-parent commit is the forge's
merge, dated by the forge. Each started 24 hours after the period's due time is one day late.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from kpiledger.calendar import DAY, due_moment
from kpiledger.model import Ledger

Late = Mapping[str, tuple[int, str]]  # record file → (days late, how we know)


@dataclass(frozen=True)
class Landing:
    """When and by which commit a record landed on the main branch."""

    commit: str  # full sha
    date: str  # ISO 8601 with offset (committer date)


def days_late(landed: str, due: dt.datetime) -> int:
    """Started days between the due time and the landing (0 when on time)."""
    moment = dt.datetime.fromisoformat(landed)
    if moment <= due:
        return 0
    return math.ceil((moment - due) / DAY)


def record_lateness(ledger: Ledger, landings: Mapping[str, Landing]) -> dict[str, tuple[int, str]]:
    """Days late of every record whose scheme deducts for lateness, with the commit behind it:
    record file → (days late, why). What scoring reads as `Scoring.late`."""
    measured = {s.id for s in ledger.schemes.values() if s.deducts_lateness}
    out: dict[str, tuple[int, str]] = {}
    for record in ledger.records:
        landing = landings.get(record.file)
        period = ledger.calendar.periods.get(record.period)
        if record.scheme not in measured or landing is None or period is None:
            continue
        due = due_moment(period, ledger.calendar.timezone)
        if due is None:
            continue
        days = days_late(landing.date, due)
        out[record.file] = (
            days,
            f"提交 {landing.commit[:8]} 于 {landing.date} 合入，截止 {period.due}",
        )
    return out
