"""The calendar's meaning checks (periods.yaml), after the schema: ids unique and of their
kind, dates real, windows in order, a due time the pattern gives not before its window ends.
Pure: the document and the model in, diagnostics out."""

from __future__ import annotations

from typing import Any

from kpiledger.check.dates import calendar_times, real_date
from kpiledger.check.records import KIND_ZH
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.model import Calendar
from kpiledger.model.pattern import kind_of


def check_calendar(
    doc: dict[str, Any], calendar: Calendar, file: str = "periods.yaml"
) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: dict[str, int] = {}
    due_before_end: set[str] = set()
    for i, p in enumerate(doc.get("periods") or []):
        ident = str(p.get("id"))
        if ident in seen:
            out.append(
                d(
                    file,
                    "KPI312",
                    ("periods", i, "id"),
                    id=ident,
                    where=f"已用于第 {seen[ident] + 1} 个考核期 / period",
                )
            )
        seen.setdefault(ident, i)
        kind = p.get("kind")
        expected = kind_of(ident) or "month"
        if kind is not None and kind != expected:
            out.append(
                d(file, "KPI319", ("periods", i, "kind"), id=ident, kind=kind, expected=expected)
            )
        for key in ("start", "end", "due"):
            out.extend(real_date(file, ("periods", i, key), key, p.get(key)))
        period = calendar.periods.get(ident)
        if period is None or seen[ident] != i:
            continue
        if not period.start or not period.end:
            missing = "、".join(k for k in ("start", "end") if not getattr(period, k))
            out.append(d(file, "KPI342", ("periods", i), id=ident, missing=missing,
                         kind_zh=KIND_ZH.get(expected, ""), kind_en=expected))
        elif period.start > period.end:
            out.append(d(file, "KPI320", ("periods", i, "end" if "end" in p else "id"),
                         start=period.start, end=period.end))
        elif "due" not in p and period.due and period.due[:10] < period.end \
                and expected not in due_before_end:
            due_before_end.add(expected)  # one message per rule, at the rule
            out.append(d(file, "KPI343", ("pattern", "due", expected), id=ident,
                         due=period.due, end=period.end, kind_zh=KIND_ZH.get(expected, ""),
                         kind_en=expected))
    return out + calendar_times(doc, file)
