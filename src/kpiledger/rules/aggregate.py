"""Quarterly and yearly scores from monthly ones (季度/年度汇总).

Works on the JSON-shaped result dicts (schemas/results.schema.json): each quarter or year of
the calendar gets one result per scheme and assessee that has at least one complete monthly
result in it. The total is the mean, sum or weighted mean of the monthly totals, rounded half
up to 2 places; ranks are recomputed within the same group, ties sharing the place (1, 1, 3).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from kpiledger.calendar import months_of, period_kind
from kpiledger.model import Calendar
from kpiledger.numbers import CONTEXT, fmt, round_half_up, to_decimal

METHODS = ("mean", "sum", "weighted")
PLACES = 2


def month_weight(weights: Mapping[Any, Any], month: str) -> Decimal:
    """A month's weight: by its id ("2026-03") or by its number (3 or "3"); 1 when unlisted."""
    number = int(month[5:])
    for key in (month, number, str(number), f"{number:02d}"):
        if key in weights:
            return to_decimal(weights[key])
    return Decimal(1)


def combine(
    totals: list[tuple[str, Decimal]], method: str, weights: Mapping[Any, Any] | None,
) -> tuple[Decimal | None, list[Decimal | None]]:
    """(month, total) pairs → (exact combined total, each month's exact contribution)."""
    n = Decimal(len(totals))
    if method == "sum":
        return sum((t for _, t in totals), Decimal(0)), [t for _, t in totals]
    if method == "mean":
        shares = [CONTEXT.divide(t, n) for _, t in totals]
        return CONTEXT.divide(sum((t for _, t in totals), Decimal(0)), n), shares
    ws = [month_weight(weights or {}, m) for m, _ in totals]
    all_weight = sum(ws, Decimal(0))
    if all_weight == 0:
        return None, [None] * len(totals)
    # The weights of the months present carry the whole score (renormalised).
    shares = [CONTEXT.divide(w * t, all_weight) for w, (_, t) in zip(ws, totals, strict=True)]
    return CONTEXT.divide(sum((w * t for w, (_, t) in zip(ws, totals, strict=True)),
                              Decimal(0)), all_weight), shares


def rank_within(rows: list[dict[str, Any]]) -> None:
    """Set rank and of within (period, scheme, group); ties share the place (1, 1, 3)."""
    groups: dict[tuple[str, str, str], list[Decimal]] = defaultdict(list)
    for r in rows:
        if r["total"] is not None:
            groups[(r["period"], r["scheme"], r["group"])].append(Decimal(r["total"]))
    for group in groups.values():
        group.sort()
    for r in rows:
        group = groups.get((r["period"], r["scheme"], r["group"]), [])
        r["of"] = len(group)
        # 1 + how many scored strictly higher (bisect keeps large groups O(n log n)).
        r["rank"] = (None if r["total"] is None
                     else 1 + len(group) - bisect_right(group, Decimal(r["total"])))


def _monthly(results: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(scheme, assessee) → month → complete monthly result (first one wins)."""
    out: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for r in results:
        if (period_kind(r["period"]) == "month" and r.get("status") == "complete"
                and r.get("total") is not None):
            out[(r["scheme"], r["assessee"])].setdefault(r["period"], r)
    return out


def _month_item(month: str, published: str, share: Decimal | None,
                weight: Decimal | None) -> dict[str, Any]:
    # The monthly total exactly as it was published, so the quarter traces to it.
    return {
        "id": month,
        "title": f"{month} 月度总分",
        "by": [],
        "inputs": {},
        "value": published,
        "rule": "月度总分",
        "points": published,
        "weight": None if weight is None else f"{weight.normalize(CONTEXT):f}",
        "max": None,
        "contribution": None if share is None else fmt(share, PLACES),
    }


def _one(period: str, months: dict[str, dict[str, Any]], method: str,
         weights: Mapping[Any, Any] | None) -> dict[str, Any] | None:
    expected = months_of(period)
    used = [m for m in expected if m in months]
    if not used:
        return None
    totals = [(m, to_decimal(months[m]["total"])) for m in used]
    exact, shares = combine(totals, method, weights)
    latest = months[used[-1]]  # a transfer mid-quarter: the latest group and unit count
    missing = [m for m in expected if m not in months]
    return {
        "period": period,
        "scheme": latest["scheme"],
        "assessee": latest["assessee"],
        "name": latest.get("name", latest["assessee"]),
        "unit": latest.get("unit", ""),
        "group": latest["group"],
        "total": None if exact is None else fmt(round_half_up(exact, PLACES), PLACES),
        "grade": None,
        "rank": None,
        "of": 0,
        "money": {},
        "status": "complete" if not missing and exact is not None else "incomplete",
        "items": [
            _month_item(m, months[m]["total"], s,
                        month_weight(weights or {}, m) if method == "weighted" else None)
            for (m, _), s in zip(totals, shares, strict=True)
        ],
        "months": {"used": used, "missing": missing},
        "method": method,
    }


def aggregate(
    results: list[dict[str, Any]],
    calendar: Calendar,
    method: str = "mean",
    weights: dict[Any, Any] | None = None,
    kinds: tuple[str, ...] = ("quarter", "year"),
    schemes: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Quarter and year results for the calendar's periods of those kinds, from monthly ones.

    Only complete monthly results count; `months` says which were used and which were missing
    (a quarter with a missing month is published with the months it has, status incomplete).
    `weights` (method "weighted") are keyed by month id or month number; unlisted months weigh 1.
    `schemes` limits the output to those scheme ids (a one-off monthly scheme has no quarter).
    """
    if method not in METHODS:
        raise ValueError(f"unknown aggregation method {method!r}; expected one of {METHODS}")
    if method == "weighted" and not weights:
        raise ValueError("method 'weighted' needs weights")
    targets = sorted(p.id for p in calendar.periods.values()
                     if p.kind in kinds and period_kind(p.id) == p.kind)
    wanted = None if schemes is None else set(schemes)
    monthly = _monthly(r for r in results if wanted is None or r["scheme"] in wanted)
    rows = [row for period in targets for key in sorted(monthly)
            if (row := _one(period, monthly[key], method, weights)) is not None]
    rank_within(rows)
    return sorted(rows, key=lambda r: (r["period"], r["scheme"], r["assessee"]))
