"""Dates, time zones and due times that must exist, not just look right.

The schemas check the shape (YYYY-MM-DD); here 2026-02-30, 2026-13-45, a time zone
Mars/Olympus and a due time 25:61 are refused, so lateness is never silently measured
against a guessed zone or skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kpiledger.diagnostics import Diagnostic, d

Where = tuple[str | int, ...]
_DUE = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")


def real_date(file: str, path: Where, field: str, value: Any) -> list[Diagnostic]:
    """KPI318 when `value` (text starting YYYY-MM-DD) names a day that does not exist."""
    if not isinstance(value, str) or len(value) < 10:
        return []
    try:
        dt.date.fromisoformat(value[:10])
    except ValueError:
        return [d(file, "KPI318", path, field=field, value=value)]
    return []


def record_dates(doc: dict[str, Any], file: str) -> list[Diagnostic]:
    """Signing dates, occurrence dates and a correction's date of one record document."""
    out: list[Diagnostic] = []
    signatures = doc.get("signatures")
    if isinstance(signatures, dict):
        for role, value in signatures.items():
            out += real_date(file, ("signatures", role), f"signatures.{role}", value)
    items = doc.get("items")
    if isinstance(items, dict):
        for item, value in items.items():
            for k, entry in enumerate(value if isinstance(value, list) else []):
                if isinstance(entry, dict):
                    out += real_date(file, ("items", item, k, "date"), "date", entry.get("date"))
    correction = doc.get("correction")
    if isinstance(correction, dict):
        out += real_date(file, ("correction", "date"), "correction.date", correction.get("date"))
    return out


def calendar_times(doc: dict[str, Any], file: str) -> list[Diagnostic]:
    """The calendar's time zone exists; every due time is a real moment."""
    out: list[Diagnostic] = []
    zone = doc.get("timezone")
    if isinstance(zone, str):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            out.append(d(file, "KPI322", ("timezone",), value=zone))
    for i, p in enumerate(doc.get("periods") or []):
        due = p.get("due") if isinstance(p, dict) else None
        # only a due time of the right shape on a real day: the schema (KPI205) and the date
        # check (KPI318) speak for the others
        if not isinstance(due, str) or not _DUE.match(due.strip()) or real_date("", (), "", due):
            continue
        try:
            dt.datetime.fromisoformat(due.strip().replace("T", " "))
        except ValueError:
            out.append(d(file, "KPI323", ("periods", i, "due"), value=due))
    return out
