"""The calendar's pattern (periods.yaml `pattern:`): how any period's window and due time follow
from its id, so that a new period needs only its id and status.

    pattern:
      month_start_day: 26        # month 2026-03 runs 2026-02-26 … 2026-03-25
      due:
        month:   {months_after: 1, day: 5, time: "17:30"}    # 2026-03 is due 2026-04-05 17:30
        quarter: {months_after: 1, day: 10, time: "17:30"}
        year:    {months_after: 1, day: 15, time: "17:30"}

A quarter's or a year's window is made of its months' windows (first month's start to last
month's end), so the kinds always line up. `months_after` counts from the period's last
month; a `day` past the end of that month means its last day (31 → 28 February).
Pure date arithmetic on ids: it sits in the model so that the calendar is complete once built.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

_ID = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4]))?$")


@dataclass(frozen=True)
class DueRule:
    """When a period of one kind is due: `day` of the month `months_after` its last month."""

    months_after: int
    day: int
    time: str
    """HH:MM local time; "" for the end of that day."""


@dataclass(frozen=True)
class Pattern:
    """The shape every period follows unless periods.yaml writes its dates out."""

    month_start_day: int = 1
    """Day of the previous month a month's window starts on (1: calendar months)."""
    due: dict[str, DueRule] = field(default_factory=dict)
    """Period kind → its due rule; a kind without one has no due time."""


def build_pattern(raw: Any) -> Pattern | None:
    """periods.yaml `pattern:` → Pattern (schema-valid input assumed; None when absent)."""
    if not isinstance(raw, dict):
        return None
    start = raw.get("month_start_day", 1)
    rules: dict[str, DueRule] = {}
    due = raw.get("due")
    for kind, rule in (due.items() if isinstance(due, dict) else []):
        if isinstance(rule, dict):
            rules[str(kind)] = DueRule(
                months_after=_int(rule.get("months_after"), 1),
                day=_int(rule.get("day"), 1),
                time=str(rule.get("time") or ""),
            )
    return Pattern(month_start_day=_int(start, 1), due=rules)


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def kind_of(pid: str) -> str | None:
    """"2026-03" → month, "2026-Q1" → quarter, "2026" → year; anything else → None."""
    m = _ID.match(pid)
    if not m:
        return None
    return "month" if m.group(2) else "quarter" if m.group(3) else "year"


def month_span(pid: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first and last (year, month) a period id covers; None for no period id."""
    m = _ID.match(pid)
    if not m:
        return None
    year = int(m.group(1))
    if m.group(2):
        return (year, int(m.group(2))), (year, int(m.group(2)))
    if m.group(3):
        q = int(m.group(3))
        return (year, 3 * q - 2), (year, 3 * q)
    return (year, 1), (year, 12)


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _day(year: int, month: int, day: int) -> dt.date:
    """`day` of that month, or its last day when the month is shorter."""
    return dt.date(year, month, min(day, cal.monthrange(year, month)[1]))


def month_window(year: int, month: int, start_day: int) -> tuple[dt.date, dt.date]:
    """The window of one month: the calendar month, or the previous month's `start_day` up to
    the day before `start_day` of this month (26 → 26th … 25th)."""
    if start_day <= 1:
        return dt.date(year, month, 1), _day(year, month, 31)
    py, pm = _shift(year, month, -1)
    return _day(py, pm, start_day), _day(year, month, start_day) - dt.timedelta(days=1)


def window(pattern: Pattern, pid: str) -> tuple[str, str] | None:
    """The window of any period id under the pattern, as YYYY-MM-DD text (start, end)."""
    span = month_span(pid)
    if span is None:
        return None
    (fy, fm), (ly, lm) = span
    start = month_window(fy, fm, pattern.month_start_day)[0]
    end = month_window(ly, lm, pattern.month_start_day)[1]
    return start.isoformat(), end.isoformat()


def due(pattern: Pattern, pid: str) -> str | None:
    """The due time of any period id under the pattern ("2026-04-05 17:30"), None when the
    pattern gives its kind none."""
    span, kind = month_span(pid), kind_of(pid)
    rule = pattern.due.get(kind or "")
    if span is None or rule is None:
        return None
    year, month = _shift(*span[1], rule.months_after)
    day = _day(year, month, rule.day).isoformat()
    return f"{day} {rule.time}" if rule.time else day
