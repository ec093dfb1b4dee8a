"""Carry-over of failed pass/fail items (document 1: 不合格者……将延续至次月考核，直至合格为止).

A pass item whose scheme sets `carry_over` and which failed in period P is due again in every
following period of the scheme's kind until a result shows it passed. Works on the JSON-shaped
result dicts, like the rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from kpiledger.calendar import following_period, period_kind, period_sequence
from kpiledger.model import Calendar, Item, Scheme
from kpiledger.rules.streaks import ResultView, item_passed, result_item
from kpiledger.rules.words_en import carryover_en

Key = tuple[str, str, str]  # (assessee, scheme, period)


def carried_items(scheme: Scheme) -> list[Item]:
    """The scheme's pass items that carry over (the builder stores the flag in `spec`)."""
    return [i for i in scheme.items
            if (i.input == "pass" or i.method == "pass") and i.spec.get("carry_over") is True]


def _by_assessee(results: list[dict[str, Any]], scheme: Scheme) -> dict[str, dict[str, ResultView]]:
    """assessee → period → result (complete or not: a pass item can be judged either way)."""
    out: dict[str, dict[str, ResultView]] = defaultdict(dict)
    for r in results:
        if r.get("scheme") == scheme.id and period_kind(r["period"]) == scheme.period_kind:
            out[r["assessee"]].setdefault(r["period"], r)
    return out


def _walk(item: Item, periods: list[str], by_period: Mapping[str, ResultView]) -> dict[str, str]:
    """period → since, for each period in which the item is due again after a failure."""
    due: dict[str, str] = {}
    since: str | None = None
    for period in periods:
        if since is not None:
            due[period] = since
        result = by_period.get(period)
        state = None if result is None else item_passed(result_item(result, item.id), item)
        if state is True:
            since = None  # passed: no longer carried into the next period
        elif state is False and since is None:
            since = period  # the first failure is the one the carry-over names
    return due


def pending_items(
    results: list[dict[str, Any]],
    schemes: Mapping[str, Scheme],
    calendar: Calendar,
) -> dict[Key, list[dict[str, str]]]:
    """(assessee, scheme, period) → [{item, since}] for items carried into that period.

    The periods run through the one after the latest period with results, so the period being
    assessed next already shows what is carried into it. A period with no result (or no value
    for the item) leaves the item pending; the period in which it passes still lists it (it
    was due there).
    """
    out: dict[Key, list[dict[str, str]]] = {}
    for scheme_id in sorted(schemes):
        scheme = schemes[scheme_id]
        items = carried_items(scheme)
        if not items:
            continue
        by_assessee = _by_assessee(results, scheme)
        seen = {p for periods in by_assessee.values() for p in periods}
        periods = period_sequence(scheme.period_kind, calendar, seen)
        if not periods:
            continue
        upcoming = following_period(scheme.period_kind, calendar, periods[-1])
        if upcoming:
            periods.append(upcoming)
        for assessee in sorted(by_assessee):
            for item in items:
                for period, since in _walk(item, periods, by_assessee[assessee]).items():
                    out.setdefault((assessee, scheme.id, period), []).append(
                        {"item": item.id, "since": since})
    return dict(sorted(out.items()))


def carryover_events(
    pending: Mapping[Key, list[dict[str, str]]], schemes: Mapping[str, Scheme],
) -> list[dict[str, Any]]:
    """The pending items as events (kind "item carried over"), in the results contract's shape."""
    events = []
    for (assessee, scheme_id, period), entries in pending.items():
        scheme = schemes[scheme_id]
        for entry in entries:
            item = scheme.item(entry["item"])
            title = item.title if item else entry["item"]
            events.append({
                "period": period,
                "assessee": assessee,
                "scheme": scheme_id,
                "rule": f"carry-over-{entry['item']}",
                "title": f"{title}延续考核",
                "outcome": "延续考核",
                "amount": None,
                "periods": [entry["since"]],
                "detail": f"{title} {entry['since']} 起不合格，{period} 继续考核，直至合格为止",
                **carryover_en(scheme, entry["item"], entry["since"], period),
            })
    return sorted(events, key=lambda e: (e["period"], e["scheme"], e["assessee"], e["rule"]))
