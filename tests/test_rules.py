"""Cross-period rules on small hand-made histories (documents 4 and 7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from kpiledger.calendar import next_period_id
from kpiledger.model import Calendar, Grade, Item, Period, Rule, Scheme
from kpiledger.rules.streaks import evaluate_rules

D = Decimal
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]


def calendar(*ids: str, kind: str = "month") -> Calendar:
    return Calendar("Asia/Shanghai", {p: Period(p, kind, "", "", None, "closed") for p in ids})


CAL = calendar(*MONTHS)

PASS = Item(id="reading", title="识图", by=("superior",), input="pass", method="pass",
            spec={"pass_points": D(100), "fail_points": D(0), "carry_over": True})


def scheme(*rules: Rule, sid: str = "cs", kind: str = "month") -> Scheme:
    return Scheme(id=sid, title="客服", file=f"schemes/{sid}.yaml", period_kind=kind,
                  items=(PASS,), rules=rules)


def rule(rid: str, when: dict[str, Any], consecutive: int, outcome: str, **kw: Any) -> Rule:
    return Rule(id=rid, title=rid, when=when, consecutive=consecutive, outcome=outcome, **kw)


def result(period: str, assessee: str, total: str | None, rank: int | None, of: int,
           group: str = "t1", sid: str = "cs", status: str = "complete",
           grade: str | None = None, items: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {"period": period, "scheme": sid, "assessee": assessee, "name": assessee,
            "unit": group, "group": group, "total": total, "grade": grade, "rank": rank,
            "of": of, "money": {}, "status": status, "items": list(items)}


def month(period: str, group: str = "t1", sid: str = "cs", **totals: str) -> list[dict]:
    """One group's month, ranked by hand-checkable rule: 1 + how many scored higher."""
    values = {a: D(t) for a, t in totals.items()}
    return [result(period, a, t, 1 + sum(v > values[a] for v in values.values()), len(values),
                   group=group, sid=sid)
            for a, t in totals.items()]


def history(*months: list[dict]) -> list[dict]:
    return [r for m in months for r in m]


BELOW35 = rule("below35", {"total_below": 35}, 2, "淘汰")
LAST3 = rule("last3", {"last_place": True}, 3, "淘汰")
FIRST3 = rule("first3", {"first_place": True}, 3, "额外奖金")
DOC4 = scheme(BELOW35, LAST3, FIRST3)

TOP3 = rule("top3", {"rank_top": 3}, 3, "奖励", amounts={1: D(500), 2: D(300), 3: D(200)})
BOTTOM3 = rule("bottom3", {"rank_bottom": 3}, 1, "提交整改方案（4天内）")


def run(results: list[dict], *schemes: Scheme, cal: Calendar = CAL):
    return evaluate_rules(results, {s.id: s for s in schemes}, cal)


def brief(events: list[dict]) -> list[tuple]:
    return [(e["period"], e["assessee"], e["rule"], e["amount"], e["periods"]) for e in events]


# ---------------------------------------------------------------- document 4


def test_two_consecutive_totals_below_35_eliminate():
    results = history(
        month("2026-01", E1="32.00", E2="34.99", E3="80.00"),
        month("2026-02", E1="30.50", E2="35.00", E3="81.00"),
    )
    events, _ = run(results, scheme(BELOW35))
    assert events == [{
        "period": "2026-02", "assessee": "E1", "scheme": "cs", "rule": "below35",
        "title": "below35", "outcome": "淘汰", "amount": None,
        "periods": ["2026-01", "2026-02"],
        "detail": "2026-01 总分 32.00、2026-02 总分 30.50，连续两次低于 35 分 → 淘汰",
        # no English names in the scheme: its Chinese ones, in an English sentence
        "title_en": "below35", "outcome_en": "淘汰",
        "detail_en": "2026-01 total 32.00; 2026-02 total 30.50: a total below 35 in 2 periods "
                     "running → 淘汰",
    }]  # E2's 35.00 is not below 35 (低于 is strict), so E2's streak broke


def test_three_consecutive_last_places_eliminate():
    results = history(
        month("2026-01", E1="90", E2="80", E3="70"),
        month("2026-02", E1="80", E2="90", E3="60"),
        month("2026-03", E1="85", E2="88", E3="50"),
    )
    events, _ = run(results, scheme(LAST3))
    assert brief(events) == [("2026-03", "E3", "last3", None, ["2026-01", "2026-02", "2026-03"])]
    assert events[0]["detail"] == (
        "2026-01 总分 70（第 3/3 名）、2026-02 总分 60（第 3/3 名）、2026-03 总分 50（第 3/3 名），"
        "连续三次倒数第一 → 淘汰")


def test_three_consecutive_first_places_earn_the_extra_bonus():
    results = history(
        month("2026-01", E1="90", E2="80", E3="70"),
        month("2026-02", E1="95", E2="90", E3="60"),
        month("2026-03", E1="99", E2="88", E3="50"),
    )
    events, _ = run(results, scheme(FIRST3))
    assert brief(events) == [("2026-03", "E1", "first3", None, ["2026-01", "2026-02", "2026-03"])]
    assert events[0]["outcome"] == "额外奖金"
    assert events[0]["detail"].endswith("连续三次名列第一 → 额外奖金")


def test_all_document_4_rules_together_in_order():
    results = history(
        month("2026-01", E1="90", E2="34", E3="20"),
        month("2026-02", E1="95", E2="30", E3="10"),
        month("2026-03", E1="99", E2="88", E3="5"),
    )
    events, _ = run(results, DOC4)
    assert brief(events) == [
        ("2026-02", "E2", "below35", None, ["2026-01", "2026-02"]),
        ("2026-02", "E3", "below35", None, ["2026-01", "2026-02"]),
        ("2026-03", "E1", "first3", None, ["2026-01", "2026-02", "2026-03"]),
        ("2026-03", "E3", "last3", None, ["2026-01", "2026-02", "2026-03"]),
    ]


# ---------------------------------------------------------------- ties


def test_ties_for_last_all_count():
    results = history(
        month("2026-01", E1="90", E2="70", E3="70"),
        month("2026-02", E1="90", E2="60", E3="60"),
        month("2026-03", E1="90", E2="50", E3="50"),
    )
    events, _ = run(results, scheme(LAST3))
    assert [e["assessee"] for e in events] == ["E2", "E3"]
    assert "第 2/3 名" in events[0]["detail"]


def test_ties_for_first_all_count():
    results = history(
        month("2026-01", E1="90", E2="90", E3="70"),
        month("2026-02", E1="91", E2="91", E3="60"),
        month("2026-03", E1="92", E2="92", E3="50"),
    )
    events, _ = run(results, scheme(FIRST3))
    assert [e["assessee"] for e in events] == ["E1", "E2"]


def test_everyone_tied_is_neither_first_nor_last():
    results = history(*(month(m, E1="80", E2="80") for m in MONTHS[:3]))
    events, warnings = run(results, scheme(FIRST3, LAST3))
    assert events == [] and warnings == []


def test_a_group_of_one_is_never_last_nor_first():
    results = history(*(month(m, group="solo", E9="10") for m in MONTHS[:3]),
                      *(month(m, E1="90", E2="80") for m in MONTHS[:3]))
    events, _ = run(results, scheme(LAST3, FIRST3))
    assert brief(events) == [
        ("2026-03", "E1", "first3", None, MONTHS[:3]),
        ("2026-03", "E2", "last3", None, MONTHS[:3]),
    ]


def test_groups_are_ranked_separately():
    results = history(*(month(m, group="t1", E1="90", E2="80") for m in MONTHS[:3]),
                      *(month(m, group="t2", E3="95", E4="85") for m in MONTHS[:3]))
    events, _ = run(results, scheme(LAST3))
    assert [e["assessee"] for e in events] == ["E2", "E4"]


# ---------------------------------------------------------------- document 7


def test_three_months_in_the_top_three_pay_by_place_with_ties_all_rewarded():
    results = history(
        month("2026-01", E1="95", E2="90", E3="85", E4="80", E5="60"),
        month("2026-02", E1="90", E2="95", E3="85", E4="80", E5="60"),
        month("2026-03", E1="92", E2="92", E3="85", E4="70", E5="80"),
    )
    events, _ = run(results, scheme(TOP3))
    # March: E1 and E2 share first place, E3 is third (1, 1, 3); E4 fell to fifth.
    assert brief(events) == [
        ("2026-03", "E1", "top3", "500.00", MONTHS[:3]),
        ("2026-03", "E2", "top3", "500.00", MONTHS[:3]),
        ("2026-03", "E3", "top3", "200.00", MONTHS[:3]),
    ]
    assert events[2]["detail"] == (
        "2026-01 总分 85（第 3/5 名）、2026-02 总分 85（第 3/5 名）、2026-03 总分 85（第 3/5 名），"
        "连续三次排名前三名 → 奖励 200.00（第3名）")


def test_a_place_without_an_amount_pays_nothing():
    results = history(*(month(m, E1="90", E2="80", E3="70", E4="60") for m in MONTHS[:3]))
    events, _ = run(results, scheme(rule("top2", {"rank_top": 2}, 3, "奖励", amounts={1: D(500)})))
    assert brief(events) == [("2026-03", "E1", "top2", "500.00", MONTHS[:3]),
                             ("2026-03", "E2", "top2", None, MONTHS[:3])]


def test_monthly_bottom_three_owe_an_improvement_plan():
    results = month("2026-03", E1="90", E2="80", E3="70", E4="70", E5="60", E6="95")
    events, warnings = run(results, scheme(BOTTOM3))
    # From the bottom: E5 1st, E3/E4 share 2nd → the bottom three; E2 is 4th from the bottom.
    assert [(e["assessee"], e["outcome"]) for e in events] == [
        ("E3", "提交整改方案（4天内）"), ("E4", "提交整改方案（4天内）"),
        ("E5", "提交整改方案（4天内）")]
    assert events[2]["detail"] == "2026-03 总分 60（第 6/6 名），排名后三名 → 提交整改方案（4天内）"
    assert warnings == []  # consecutive 1 has nothing to warn about


def test_a_tie_across_the_bottom_three_boundary_includes_everyone_tied():
    results = month("2026-03", E1="100", E2="90", E3="90", E4="80", E5="70")
    events, _ = run(results, scheme(BOTTOM3))
    assert [e["assessee"] for e in events] == ["E2", "E3", "E4", "E5"]


def test_bottom_three_of_a_group_of_three_spares_the_first():
    results = month("2026-03", E1="90", E2="80", E3="70")
    events, _ = run(results, scheme(BOTTOM3))
    assert [e["assessee"] for e in events] == ["E2", "E3"]


# ---------------------------------------------------------------- missing periods


LAST_GAP = [
    *month("2026-01", E1="90", E2="80", E3="70"),
    *month("2026-02", E1="90", E2="80", E3="70"),
    *month("2026-03", E1="90", E2="80"),
    *month("2026-04", E1="90", E2="80", E3="70"),
]


def test_a_missing_month_breaks_the_streak_by_default():
    events, _ = run(LAST_GAP, scheme(LAST3))
    # E2 is last in March only (E3 absent) and then second again: nothing fires.
    assert events == []


def test_a_missing_month_skips_when_the_rule_says_so():
    skip = rule("last3", {"last_place": True}, 3, "淘汰", missing="skips")
    events, _ = run(LAST_GAP, scheme(skip))
    assert brief(events) == [("2026-04", "E3", "last3", None, ["2026-01", "2026-02", "2026-04"])]


def test_an_incomplete_result_counts_as_missing():
    results = history(*(month(m, E1="90", E2="80", E3="70") for m in MONTHS[:3]))
    results[-1] = {**results[-1], "status": "incomplete", "total": None, "rank": None}
    assert results[-1]["assessee"] == "E3"
    events, _ = run(results, scheme(LAST3))
    assert events == []


def test_a_month_without_any_results_breaks_every_streak():
    results = history(*(month(m, E1="90", E2="80") for m in ["2026-01", "2026-02", "2026-04"]))
    events, _ = run(results, scheme(LAST3))  # the calendar lists March
    assert events == []
    events, _ = run(results, scheme(LAST3), cal=calendar("2026-01", "2026-02", "2026-04"))
    assert brief(events) == [("2026-04", "E2", "last3", None, ["2026-01", "2026-02", "2026-04"])]


# ---------------------------------------------------------------- long streaks and warnings


def test_a_six_month_streak_fires_twice():
    results = history(*(month(m, E1="90", E2="50") for m in MONTHS[:7]))
    events, warnings = run(results, scheme(LAST3))
    assert brief(events) == [("2026-03", "E2", "last3", None, MONTHS[0:3]),
                             ("2026-06", "E2", "last3", None, MONTHS[3:6])]
    assert warnings == []  # July starts a new streak of one


def test_a_warning_one_period_before_the_rule_fires():
    results = history(
        month("2026-03", E1="90", E2="80", E3="70"),
        month("2026-04", E1="90", E2="80", E3="70"),
    )
    events, warnings = run(results, DOC4)
    assert events == []
    assert warnings == [{
        "period": "2026-05", "assessee": "E3", "scheme": "cs", "rule": "last3", "title": "last3",
        "outcome": "淘汰", "periods": ["2026-03", "2026-04"],
        "detail": "2026-03 总分 70（第 3/3 名）、2026-04 总分 70（第 3/3 名），连续两次倒数第一；"
                  "再有一次倒数第一（2026-05）将触发：淘汰",
        "title_en": "last3", "outcome_en": "淘汰",
        "detail_en": "2026-03 total 70 (place 3 of 3); 2026-04 total 70 (place 3 of 3): last "
                     "place in 2 periods running; one more period with last place (2026-05) → 淘汰",
    }, {
        "period": "2026-05", "assessee": "E1", "scheme": "cs", "rule": "first3", "title": "first3",
        "outcome": "额外奖金", "periods": ["2026-03", "2026-04"],
        "detail": "2026-03 总分 90（第 1/3 名）、2026-04 总分 90（第 1/3 名），连续两次名列第一；"
                  "再有一次名列第一（2026-05）将触发：额外奖金",
        "title_en": "first3", "outcome_en": "额外奖金",
        "detail_en": "2026-03 total 90 (place 1 of 3); 2026-04 total 90 (place 1 of 3): first "
                     "place in 2 periods running; one more period with first place (2026-05) → "
                     "额外奖金",
    }][::-1]  # ordered by (period, scheme, assessee, rule): E1 before E3


def test_a_warning_after_one_low_total_and_past_the_calendar():
    results = month("2026-12", E1="34.50", E2="80")
    _, warnings = run(results, scheme(BELOW35), cal=calendar("2026-12"))
    assert [(w["period"], w["assessee"], w["detail"]) for w in warnings] == [
        ("2027-01", "E1",
         "2026-12 总分 34.50，低于 35 分；再有一次低于 35 分（2027-01）将触发：淘汰")]


def test_no_warning_for_a_streak_broken_at_the_latest_period():
    results = history(month("2026-01", E1="30", E2="80"), month("2026-02", E1="40", E2="80"))
    events, warnings = run(results, scheme(BELOW35))
    assert events == [] and warnings == []


# ---------------------------------------------------------------- corrections


def _corrected(results: list[dict], period: str, assessee: str, total: str) -> list[dict]:
    """The same history after a correction of one total, re-ranked as the scorer would."""
    out = [dict(r) for r in results]
    for r in out:
        if (r["period"], r["assessee"]) == (period, assessee):
            r["total"] = total
    month_rows = [r for r in out if r["period"] == period]
    for r in month_rows:
        r["rank"] = 1 + sum(D(o["total"]) > D(r["total"]) for o in month_rows)
    return out


def test_a_correction_that_changes_who_was_last():
    before = history(
        month("2026-01", E1="90", E2="70", E3="70"),
        month("2026-02", E1="90", E2="60", E3="60"),
        month("2026-03", E1="90", E2="70", E3="60"),
    )
    after = _corrected(before, "2026-03", "E3", "80")
    events_before, _ = run(before, scheme(LAST3))
    events_after, _ = run(after, scheme(LAST3))
    assert [e["assessee"] for e in events_before] == ["E3"]
    assert [e["assessee"] for e in events_after] == ["E2"]


def test_a_correction_to_exactly_35_removes_the_elimination():
    before = history(month("2026-01", E1="30", E2="80"), month("2026-02", E1="34.50", E2="80"))
    after = _corrected(before, "2026-02", "E1", "35.00")
    assert [e["assessee"] for e in run(before, scheme(BELOW35))[0]] == ["E1"]
    assert run(after, scheme(BELOW35))[0] == []


# ---------------------------------------------------------------- other conditions and scope


def test_grade_in_and_item_failed():
    fail = {"id": "reading", "value": "0", "points": "0.00"}
    ok = {"id": "reading", "value": "1", "points": "100.00"}
    absent = {"id": "reading", "value": None, "points": "0.00"}  # absent on inspection day
    results = [
        result("2026-01", "E1", "50", 1, 1, grade="不合格", items=(fail,)),
        result("2026-02", "E1", "50", 1, 1, grade="不合格", items=(absent,)),
        result("2026-03", "E1", "50", 1, 1, grade="合格", items=(ok,)),
    ]
    grade = rule("grade", {"grade_in": ["不合格", "差"]}, 2, "降级")
    item = rule("reading", {"item_failed": "reading"}, 2, "约谈")
    events, _ = run(results, scheme(grade, item))
    assert [(e["rule"], e["detail"]) for e in events] == [
        ("grade", "2026-01 等级 不合格、2026-02 等级 不合格，连续两次等级为不合格/差 → 降级"),
        ("reading", "2026-01 识图不合格、2026-02 识图不合格，连续两次识图不合格 → 约谈"),
    ]


def test_single_period_grade_and_item_rules_read_once():
    # Document 1 (识图 failed → carried to next month) and documents 11–12 (未达标 → 督促整改).
    results = [result("2026-02", "E1", "45.00", 2, 2, grade="未达标",
                      items=({"id": "reading", "value": "0", "points": "0.00"},)),
               result("2026-02", "E2", "90.00", 1, 2, grade="达标",
                      items=({"id": "reading", "value": "1", "points": "100.00"},))]
    carry = rule("carry", {"item_failed": "reading"}, 1, "次月继续考核识图")
    not_met = rule("not-met", {"grade_in": ["未达标"]}, 1, "督促整改")
    events, warnings = run(results, scheme(carry, not_met))
    assert [(e["assessee"], e["rule"], e["detail"]) for e in events] == [
        ("E1", "carry", "2026-02 识图不合格 → 次月继续考核识图"),
        ("E1", "not-met", "2026-02 等级 未达标 → 督促整改"),
    ]
    assert warnings == []


def test_quarterly_scheme_walks_quarters_only():
    q = scheme(BELOW35, sid="q", kind="quarter")
    results = [
        result("2026-Q1", "E1", "30", 2, 2, sid="q"), result("2026-Q1", "E2", "80", 1, 2, sid="q"),
        result("2026-03", "E1", "90", 1, 1, sid="q"),  # a month under a quarterly scheme: ignored
        result("2026-Q2", "E1", "20", 2, 2, sid="q"), result("2026-Q2", "E2", "80", 1, 2, sid="q"),
    ]
    events, warnings = run(results, q, cal=calendar("2026-Q1", "2026-Q2", kind="quarter"))
    assert brief(events) == [("2026-Q2", "E1", "below35", None, ["2026-Q1", "2026-Q2"])]
    assert warnings == []


def test_results_of_schemes_without_rules_or_unknown_schemes_are_ignored():
    results = history(*(month(m, sid="other", E1="10", E2="20") for m in MONTHS[:3]))
    assert run(results, DOC4, scheme(sid="other")) == ([], [])


def test_unknown_condition_is_refused():
    with pytest.raises(ValueError, match="unknown condition"):
        run(month("2026-01", E1="1", E2="2"), scheme(rule("x", {"rank_middle": 1}, 1, "?")))


def test_output_is_deterministic_whatever_the_input_order():
    results = history(*(month(m, E1="90", E2="30", E3="20") for m in MONTHS[:6]))
    forward = run(results, DOC4)
    backward = run(results[::-1], DOC4)
    assert forward == backward
    keys = [(e["period"], e["scheme"], e["assessee"], e["rule"]) for e in forward[0]]
    assert keys == sorted(keys) and len(keys) == 10


@pytest.mark.parametrize(("pid", "nxt"), [("2026-03", "2026-04"), ("2026-12", "2027-01"),
                                          ("2026-Q4", "2027-Q1"), ("2026-Q2", "2026-Q3"),
                                          ("2026", "2027"), ("bad", None)])
def test_next_period_id(pid: str, nxt: str | None):
    assert next_period_id(pid) == nxt


def test_events_and_warnings_in_english_use_the_schemes_english_names():
    # written from rules/words_en.py's phrases and the names below, not from its output
    top3 = rule("top3", {"rank_top": 3}, 1, "奖励", amounts={1: D(500)}, title_en="Top three",
                outcome_en="bonus")
    low = rule("low", {"grade_in": ["不合格"]}, 2, "淘汰", outcome_en="eliminated")
    s = Scheme(id="cs", title="客服", file="schemes/cs.yaml", period_kind="month",
               items=(PASS,), rules=(top3, low),
               grades=(Grade("合格", D(60), "Pass"), Grade("不合格", D(0), "Fail")))
    results = history(
        [result("2026-03", "E1", "90", 1, 2, grade="合格"),
         result("2026-03", "E2", "50", 2, 2, grade="不合格")],
    )
    events, warnings = run(results, s)
    assert [(e["rule"], e["title_en"], e["outcome_en"], e["detail_en"]) for e in events] == [
        ("top3", "Top three", "bonus", "2026-03 total 90 (place 1 of 2): a place in the top 3 "
                                       "→ bonus 500.00 (place 1)"),
    ]  # E2, last of two, has no one behind: not "in the top 3" of anyone
    assert [(w["assessee"], w["detail_en"]) for w in warnings] == [
        ("E2", "2026-03 grade Fail; one more period with the grade Fail (2026-04) → eliminated")]
