"""Document 1: a failed 识图 carries over to the next month until it is passed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpiledger.model import Calendar, Item, Period, Scheme
from kpiledger.rules.carryover import carried_items, carryover_events, pending_items

D = Decimal


def calendar(*ids: str) -> Calendar:
    return Calendar("Asia/Shanghai", {p: Period(p, "month", "", "", None, "closed") for p in ids})


CAL = calendar("2014-02", "2014-03", "2014-04", "2014-05", "2014-06")

READING = Item(id="reading", title="识图", by=("superior",), input="pass", method="pass",
               spec={"pass_points": D(100), "fail_points": D(0), "carry_over": True})
PLAIN = Item(id="tidy", title="整洁", by=("superior",), input="pass", method="pass",
             spec={"pass_points": D(100), "fail_points": D(0), "carry_over": False})
SCHEME = Scheme(id="kpi", title="关键绩效", file="schemes/kpi.yaml", period_kind="month",
                items=(READING, PLAIN))
SCHEMES = {"kpi": SCHEME}


def result(period: str, assessee: str, reading: str | None, tidy: str = "1",
           points: str | None = None) -> dict[str, Any]:
    def item(iid: str, value: str | None, pts: str | None) -> dict[str, Any]:
        if pts is None:
            pts = None if value is None else ("100.00" if value == "1" else "0.00")
        return {"id": iid, "value": value, "points": pts}

    return {"period": period, "scheme": "kpi", "assessee": assessee, "group": "g",
            "total": "50.00", "grade": None, "rank": 1, "of": 1, "status": "complete",
            "items": [item("reading", reading, points), item("tidy", tidy, None)]}


def test_only_pass_items_marked_carry_over_are_carried():
    assert carried_items(SCHEME) == [READING]


def test_pending_since_the_first_failure_until_passed():
    results = [
        result("2014-02", "E1", "0"),
        result("2014-03", "E1", "0"),   # failed again: still pending since February
        result("2014-04", "E1", "1"),   # passed: due in April (and passed there), not after
        result("2014-05", "E1", "1"),
    ]
    assert pending_items(results, SCHEMES, CAL) == {
        ("E1", "kpi", "2014-03"): [{"item": "reading", "since": "2014-02"}],
        ("E1", "kpi", "2014-04"): [{"item": "reading", "since": "2014-02"}],
    }


def test_a_failure_in_the_latest_month_is_due_in_the_next_one():
    results = [result("2014-02", "E1", "1"), result("2014-02", "E2", "1"),
               result("2014-03", "E1", "1"), result("2014-03", "E2", "0")]
    assert pending_items(results, SCHEMES, CAL) == {
        ("E2", "kpi", "2014-04"): [{"item": "reading", "since": "2014-03"}]}
    # Past the end of the calendar the next month is counted on.
    late = [result("2014-06", "E1", "0")]
    assert pending_items(late, SCHEMES, CAL) == {
        ("E1", "kpi", "2014-07"): [{"item": "reading", "since": "2014-06"}]}


def test_absent_on_inspection_day_fails_and_a_month_without_a_result_keeps_it_pending():
    results = [
        result("2014-02", "E1", None, points="0.00"),  # absent: no value, scored 0 → failed
        result("2014-02", "E2", "1"),
        result("2014-03", "E2", "1"),                  # E1 has no March result
        result("2014-04", "E1", None),                 # no value and no points: not judged
        result("2014-04", "E2", "1"),
        result("2014-05", "E1", "1"),
        result("2014-05", "E2", "1"),
    ]
    assert pending_items(results, SCHEMES, CAL) == {
        ("E1", "kpi", "2014-03"): [{"item": "reading", "since": "2014-02"}],
        ("E1", "kpi", "2014-04"): [{"item": "reading", "since": "2014-02"}],
        ("E1", "kpi", "2014-05"): [{"item": "reading", "since": "2014-02"}],
    }


def test_a_second_failure_after_passing_starts_again():
    results = [result("2014-02", "E1", "0"), result("2014-03", "E1", "1"),
               result("2014-04", "E1", "0"), result("2014-05", "E1", "1")]
    assert pending_items(results, SCHEMES, CAL) == {
        ("E1", "kpi", "2014-03"): [{"item": "reading", "since": "2014-02"}],
        ("E1", "kpi", "2014-05"): [{"item": "reading", "since": "2014-04"}],
    }


def test_an_item_without_carry_over_is_never_pending():
    results = [result("2014-02", "E1", "1", tidy="0"), result("2014-03", "E1", "1", tidy="0")]
    assert pending_items(results, SCHEMES, CAL) == {}


def test_carry_over_events():
    pending = pending_items([result("2014-02", "E1", "0")], SCHEMES, CAL)
    assert carryover_events(pending, SCHEMES) == [{
        "period": "2014-03", "assessee": "E1", "scheme": "kpi", "rule": "carry-over-reading",
        "title": "识图延续考核", "outcome": "延续考核", "amount": None, "periods": ["2014-02"],
        "detail": "识图 2014-02 起不合格，2014-03 继续考核，直至合格为止",
        "title_en": "识图 carried over", "outcome_en": "carried over",
        "detail_en": "识图 failed in 2014-02; assessed again in 2014-03 until passed",
    }]
