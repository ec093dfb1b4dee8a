"""Cross-period rules (跨期规则): streaks over the published results → events and warnings.

A rule reads "`consecutive` periods in which `when` holds → `outcome`". It works on the
JSON-shaped result dicts of schemas/results.schema.json (totals as decimal text), so it depends
on the output contract only, never on the scorer's internals, and can be rerun on a published
results file. Decisions where the source documents are silent are in docs/rules.md.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from kpiledger.calendar import following_period, period_kind, period_sequence
from kpiledger.model import Calendar, Item, Rule, Scheme
from kpiledger.numbers import fmt, plain, to_decimal
from kpiledger.rules.words_en import event_en, warning_en

# A result as the rules read it: the results contract's shape (evaluate.rule_view)
ResultView = Mapping[str, Any]
Event = dict[str, Any]

# "连续两次", "前三名": the documents write small counts in Chinese numerals.
_CN = {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}

CONDITIONS = ("total_below", "last_place", "first_place", "rank_top", "rank_bottom",
              "grade_in", "item_failed")


# ---------------------------------------------------------------- places within a group


class Place(NamedTuple):
    """Where a result stands in its ranking group: who is ahead of and behind it (a named
    tuple: one is made for each of 120,000 results, a frozen dataclass took 1 s)."""

    rank: int
    of: int
    ahead: int  # ranked strictly better
    behind: int  # ranked strictly worse

    @property
    def from_bottom(self) -> int:
        """Position counted from the bottom, ties sharing it (ascending rank, method "min")."""
        return self.behind + 1


def group_places(results: Iterable[ResultView]) -> dict[tuple[str, str, str], Place]:
    """(period, scheme, assessee) → Place, from the published ranks of each group."""
    ranks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    ranked = [r for r in results if r.get("rank") is not None]
    for r in ranked:
        ranks[(r["period"], r["scheme"], r["group"])].append(int(r["rank"]))
    for group in ranks.values():
        group.sort()  # bisect below: a group of thousands stays O(n log n)
    places = {}
    for r in ranked:
        group = ranks[(r["period"], r["scheme"], r["group"])]
        rank = int(r["rank"])
        places[(r["period"], r["scheme"], r["assessee"])] = Place(
            rank=rank,
            of=int(r.get("of") or len(group)),
            ahead=bisect_left(group, rank),
            behind=len(group) - bisect_right(group, rank),
        )
    return places


# ---------------------------------------------------------------- pass items


_PASSED = {"1", "true", "True", "合格", "pass", "yes"}
_FAILED = {"0", "false", "False", "不合格", "fail", "no"}


def item_passed(entry: Mapping[str, Any] | None, item: Item | None = None) -> bool | None:
    """A pass/fail item in one result: True passed, False failed, None not known.

    The value is published as "1"/"0"; without a value the points decide (fail_points, 0 by
    default), since an absent assessee is scored as failed by the scheme (document 1).
    """
    if entry is None:
        return None
    value = entry.get("value")
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip() in _PASSED:
        return True
    if isinstance(value, str) and value.strip() in _FAILED:
        return False
    points = entry.get("points")
    if value is not None or points is None:
        return None
    spec = item.spec if item is not None else {}
    fail = to_decimal(spec.get("fail_points", 0))
    passed = spec.get("pass_points")
    got = to_decimal(points)
    if got == fail and (passed is None or to_decimal(passed) != fail):
        return False
    if passed is not None and got == to_decimal(passed):
        return True
    return None


def result_item(result: ResultView, item_id: str) -> Mapping[str, Any] | None:
    return next((i for i in result.get("items") or () if i.get("id") == item_id), None)


# ---------------------------------------------------------------- conditions


def condition(rule: Rule) -> tuple[str, Any]:
    """The rule's one condition as (name, argument); the schema allows exactly one."""
    if len(rule.when) != 1:
        raise ValueError(f"rule {rule.id}: `when` needs exactly one condition, got {rule.when}")
    name, arg = next(iter(rule.when.items()))
    if name not in CONDITIONS:
        raise ValueError(f"rule {rule.id}: unknown condition {name!r}")
    return name, arg


def holds(rule: Rule, scheme: Scheme, result: ResultView, place: Place | None) -> bool:
    """Whether the rule's condition holds for one complete result.

    Place conditions compare the assessee with someone: a top condition needs someone behind,
    a bottom condition someone ahead. So a group of one, or a group where everyone ties, has
    no first and no last place (and nobody is eliminated for "losing" to no one).
    """
    name, arg = condition(rule)
    if name == "total_below":
        total = result.get("total")
        return total is not None and to_decimal(total) < to_decimal(arg)
    if name == "grade_in":
        return result.get("grade") is not None and result["grade"] in list(arg)
    if name == "item_failed":
        return item_passed(result_item(result, str(arg)), scheme.item(str(arg))) is False
    if place is None:
        return False
    if name == "first_place":
        return place.rank == 1 and place.behind > 0
    if name == "rank_top":
        return place.rank <= int(arg) and place.behind > 0
    if name == "last_place":
        return place.behind == 0 and place.ahead > 0
    # rank_bottom
    return place.from_bottom <= int(arg) and place.ahead > 0


def _cn(n: int) -> str:
    return _CN.get(n, str(n))


def phrase(rule: Rule, scheme: Scheme) -> str:
    """The condition as the documents say it: 低于 35 分, 倒数第一, 排名前三名 …"""
    name, arg = condition(rule)
    if name == "total_below":
        return f"低于 {plain(to_decimal(arg))} 分"
    if name == "last_place":
        return "倒数第一"
    if name == "first_place":
        return "名列第一"
    if name == "rank_top":
        return f"排名前{_cn(int(arg))}名"
    if name == "rank_bottom":
        return f"排名后{_cn(int(arg))}名"
    if name == "grade_in":
        return "等级为" + "/".join(str(g) for g in arg)
    item = scheme.item(str(arg))
    return f"{item.title if item else arg}不合格"


def evidence(rule: Rule, scheme: Scheme, result: ResultView) -> str:
    """What one period contributed to the streak: its total, place, grade or item."""
    name, arg = condition(rule)
    period, total = result["period"], result.get("total")
    if name == "total_below":
        return f"{period} 总分 {total}"
    if name == "grade_in":
        return f"{period} 等级 {result.get('grade')}"
    if name == "item_failed":
        item = scheme.item(str(arg))
        return f"{period} {item.title if item else arg}不合格"
    return f"{period} 总分 {total}（第 {result.get('rank')}/{result.get('of')} 名）"


# ---------------------------------------------------------------- streaks


@dataclass(frozen=True)
class Streak:
    """The outcome of walking one assessee's periods for one rule."""

    fired: tuple[tuple[ResultView, ...], ...]  # each run of `consecutive` results that fired
    open: tuple[ResultView, ...]  # the run still standing after the latest period


def walk(
    rule: Rule,
    scheme: Scheme,
    periods: list[str],
    by_period: Mapping[str, ResultView],
    places: Mapping[tuple[str, str, str], Place],
) -> Streak:
    """Walk the periods in order; a run of `consecutive` fires and then starts again."""
    fired: list[tuple[ResultView, ...]] = []
    run: list[ResultView] = []
    for period in periods:
        result = by_period.get(period)
        if result is None:
            if rule.missing != "skips":
                run = []
            continue
        place = places.get((period, result["scheme"], result["assessee"]))
        if not holds(rule, scheme, result, place):
            run = []
            continue
        run.append(result)
        if len(run) == rule.consecutive:
            fired.append(tuple(run))
            run = []  # a 6-long streak fires twice for consecutive 3, not four times
    return Streak(tuple(fired), tuple(run))


def amount(rule: Rule, result: ResultView, precision: int) -> str | None:
    """The amount paid by place in the firing period; tied places are all paid."""
    rank = result.get("rank")
    if not rule.amounts or rank is None or int(rank) not in rule.amounts:
        return None
    return fmt(to_decimal(rule.amounts[int(rank)]), precision)


def _streak_text(rule: Rule, scheme: Scheme, run: tuple[ResultView, ...]) -> str:
    shown = "、".join(evidence(rule, scheme, r) for r in run)
    if len(run) == 1:
        # A grade or a failed item already says what held; a total or a place does not.
        return shown if condition(rule)[0] in ("grade_in", "item_failed") else (
            f"{shown}，{phrase(rule, scheme)}")
    return f"{shown}，连续{_cn(len(run))}次{phrase(rule, scheme)}"


def make_event(rule: Rule, scheme: Scheme, run: tuple[ResultView, ...]) -> Event:
    last = run[-1]
    paid = amount(rule, last, scheme.precision)
    detail = f"{_streak_text(rule, scheme, run)} → {rule.outcome}"
    if paid is not None:
        detail += f" {paid}（第{last['rank']}名）"
    return {
        "period": last["period"],
        "assessee": last["assessee"],
        "scheme": scheme.id,
        "rule": rule.id,
        "title": rule.title,
        "outcome": rule.outcome,
        "amount": paid,
        "periods": [r["period"] for r in run],
        "detail": detail,
        **event_en(*condition(rule), rule, scheme, run, paid),
    }


def make_warning(rule: Rule, scheme: Scheme, run: tuple[ResultView, ...], upcoming: str) -> Event:
    return {
        "period": upcoming,
        "assessee": run[-1]["assessee"],
        "scheme": scheme.id,
        "rule": rule.id,
        "title": rule.title,
        "outcome": rule.outcome,
        "periods": [r["period"] for r in run],
        "detail": f"{_streak_text(rule, scheme, run)}；再有一次{phrase(rule, scheme)}"
                  f"（{upcoming}）将触发：{rule.outcome}",
        **warning_en(*condition(rule), rule, scheme, run, upcoming),
    }


def _complete_by_assessee(
    results: Iterable[ResultView], scheme: Scheme,
) -> tuple[dict[str, dict[str, ResultView]], set[str]]:
    """assessee → period → complete result of this scheme's kind; and every period seen."""
    out: dict[str, dict[str, ResultView]] = defaultdict(dict)
    seen: set[str] = set()
    for r in results:
        if r.get("scheme") != scheme.id or period_kind(r["period"]) != scheme.period_kind:
            continue
        seen.add(r["period"])
        if r.get("status") == "complete" and r.get("total") is not None:
            out[r["assessee"]].setdefault(r["period"], r)
    return out, seen


def _order(e: Event) -> tuple[str, str, str, str]:
    return (e["period"], e["scheme"], e["assessee"], e["rule"])


def evaluate_rules(
    results: list[dict[str, Any]],
    schemes: Mapping[str, Scheme],
    calendar: Calendar,
) -> tuple[list[Event], list[Event]]:
    """Every scheme's rules over every assessee's results → (events, warnings).

    A period without a complete result is missing (the rule's `missing` says whether it breaks
    the streak). A warning is given when, at the latest period with results, a streak stands
    one short of firing; it names the next period.
    """
    places = group_places(results)
    events: list[Event] = []
    warnings: list[Event] = []
    for scheme_id in sorted(schemes):
        scheme = schemes[scheme_id]
        if not scheme.rules:
            continue
        by_assessee, seen = _complete_by_assessee(results, scheme)
        periods = period_sequence(scheme.period_kind, calendar, seen)
        if not periods:
            continue
        upcoming = following_period(scheme.period_kind, calendar, periods[-1])
        for assessee in sorted(by_assessee):
            for rule in scheme.rules:
                streak = walk(rule, scheme, periods, by_assessee[assessee], places)
                events += [make_event(rule, scheme, run) for run in streak.fired]
                if upcoming and rule.consecutive > 1 and len(streak.open) == rule.consecutive - 1:
                    warnings.append(make_warning(rule, scheme, streak.open, upcoming))
    return sorted(events, key=_order), sorted(warnings, key=_order)
