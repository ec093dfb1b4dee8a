"""Events and warnings in English, beside the Chinese ones (`rules.streaks`, `rules.carryover`).

The results carry each event's words in both languages (`detail` and `detail_en`, `title_en`,
`outcome_en`), so the English site and `kpi score --lang en` read sentences, not Chinese. A
name the scheme gives only in Chinese (a grade, an outcome, an item without `title_en`) is
shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpiledger.model import Rule, Scheme
from kpiledger.numbers import plain, to_decimal


def item_title_en(scheme: Scheme, item_id: str) -> str:
    """An item's English title (its Chinese one, then its id, when none is written)."""
    item = scheme.item(item_id)
    return (item.title_en or item.title) if item else item_id


def phrase_en(name: str, arg: Any, scheme: Scheme) -> str:
    """The condition in English: a total below 35, last place, a place in the top 3 …"""
    if name == "total_below":
        return f"a total below {plain(to_decimal(arg))}"
    if name == "last_place":
        return "last place"
    if name == "first_place":
        return "first place"
    if name == "rank_top":
        return f"a place in the top {int(arg)}"
    if name == "rank_bottom":
        return f"a place in the bottom {int(arg)}"
    if name == "grade_in":
        return "the grade " + "/".join(scheme.grade_name(str(g), "en") for g in arg)
    return f"{item_title_en(scheme, str(arg))} failed"


def evidence_en(name: str, arg: Any, scheme: Scheme, result: Mapping[str, Any]) -> str:
    """What one period contributed to the streak, in English."""
    period, total = result["period"], result.get("total")
    if name == "total_below":
        return f"{period} total {total}"
    if name == "grade_in":
        return f"{period} grade {scheme.grade_name(str(result.get('grade')), 'en')}"
    if name == "item_failed":
        return f"{period} {item_title_en(scheme, str(arg))} failed"
    return f"{period} total {total} (place {result.get('rank')} of {result.get('of')})"


def streak_en(name: str, arg: Any, scheme: Scheme, run: tuple[Mapping[str, Any], ...]) -> str:
    shown = "; ".join(evidence_en(name, arg, scheme, r) for r in run)
    if len(run) == 1:
        return shown if name in ("grade_in", "item_failed") else (
            f"{shown}: {phrase_en(name, arg, scheme)}")
    return f"{shown}: {phrase_en(name, arg, scheme)} in {len(run)} periods running"


def outcome_en(rule: Rule) -> str:
    return rule.outcome_en or rule.outcome


def event_en(name: str, arg: Any, rule: Rule, scheme: Scheme,
             run: tuple[Mapping[str, Any], ...], paid: str | None) -> dict[str, str]:
    """The English fields of an event."""
    detail = f"{streak_en(name, arg, scheme, run)} → {outcome_en(rule)}"
    if paid is not None:
        detail += f" {paid} (place {run[-1]['rank']})"
    return {"title_en": rule.title_en or rule.title, "outcome_en": outcome_en(rule),
            "detail_en": detail}


def warning_en(name: str, arg: Any, rule: Rule, scheme: Scheme,
               run: tuple[Mapping[str, Any], ...], upcoming: str) -> dict[str, str]:
    """The English fields of a warning: one more such period fires the rule."""
    return {
        "title_en": rule.title_en or rule.title,
        "outcome_en": outcome_en(rule),
        "detail_en": f"{streak_en(name, arg, scheme, run)}; one more period with "
                     f"{phrase_en(name, arg, scheme)} ({upcoming}) → {outcome_en(rule)}",
    }


def carryover_en(scheme: Scheme, item_id: str, since: str, period: str) -> dict[str, str]:
    """The English fields of a carried-over item (document 1: 直至合格为止)."""
    title = item_title_en(scheme, item_id)
    return {
        "title_en": f"{title} carried over",
        "outcome_en": "carried over",
        "detail_en": f"{title} failed in {since}; assessed again in {period} until passed",
    }
