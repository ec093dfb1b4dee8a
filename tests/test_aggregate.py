"""Quarter and year scores from monthly results, on hand-made histories."""

from __future__ import annotations

from typing import Any

import pytest

from kpiledger.calendar import months_of
from kpiledger.model import Calendar, Period
from kpiledger.rules.aggregate import aggregate


def calendar(*ids: str) -> Calendar:
    kinds = {7: "month", 4: "year"}
    return Calendar("Asia/Shanghai", {
        p: Period(p, "quarter" if "Q" in p else kinds[len(p)], "", "", None, "closed")
        for p in ids})


CAL = calendar("2026-01", "2026-02", "2026-03", "2026-04", "2026-Q1", "2026-Q2", "2026")


def result(period: str, assessee: str, total: str | None, group: str = "t1",
           status: str = "complete") -> dict[str, Any]:
    return {"period": period, "scheme": "cs", "assessee": assessee, "name": assessee,
            "unit": group, "group": group, "total": total, "grade": None, "rank": None,
            "of": 0, "money": {}, "status": status, "items": []}


Q1 = [
    result("2026-01", "E1", "80.00"), result("2026-02", "E1", "90.00"),
    result("2026-03", "E1", "85.50"),
    result("2026-01", "E2", "90.00"), result("2026-02", "E2", "90.00"),
    result("2026-03", "E2", "91.00"),
    result("2026-01", "E3", "91.00"), result("2026-02", "E3", "90.00"),
    result("2026-03", "E3", "90.00"),
]


def quarter(rows: list[dict]) -> dict[str, tuple]:
    return {r["assessee"]: (r["total"], r["rank"], r["of"], r["status"])
            for r in rows if r["period"] == "2026-Q1"}


def test_mean_with_ties_sharing_the_place():
    rows = aggregate(Q1, CAL)
    # E1: 255.50 / 3 = 85.1666… → 85.17; E2 and E3: 271 / 3 = 90.33 each → both first.
    assert quarter(rows) == {"E1": ("85.17", 3, 3, "complete"),
                             "E2": ("90.33", 1, 3, "complete"),
                             "E3": ("90.33", 1, 3, "complete")}


def test_sum():
    rows = aggregate(Q1, CAL, method="sum")
    assert quarter(rows) == {"E1": ("255.50", 3, 3, "complete"),
                             "E2": ("271.00", 1, 3, "complete"),
                             "E3": ("271.00", 1, 3, "complete")}


def test_weighted_mean_by_month_number():
    rows = aggregate(Q1, CAL, method="weighted", weights={1: 1, 2: 1, 3: 2})
    # E1: (80 + 90 + 2 × 85.5) / 4 = 85.25; E2: (90 + 90 + 182) / 4 = 90.50;
    # E3: (91 + 90 + 180) / 4 = 90.25 — the weights break the mean's tie.
    assert quarter(rows) == {"E1": ("85.25", 3, 3, "complete"),
                             "E2": ("90.50", 1, 3, "complete"),
                             "E3": ("90.25", 2, 3, "complete")}
    e1 = next(r for r in rows if r["period"] == "2026-Q1" and r["assessee"] == "E1")
    assert [(i["id"], i["points"], i["weight"], i["contribution"]) for i in e1["items"]] == [
        ("2026-01", "80.00", "1", "20.00"), ("2026-02", "90.00", "1", "22.50"),
        ("2026-03", "85.50", "2", "42.75")]


def test_weighted_mean_by_month_id_and_unlisted_months_weigh_one():
    rows = aggregate(Q1, CAL, method="weighted", weights={"2026-01": "0.5"})
    # E1: (40 + 90 + 85.5) / 2.5 = 86.20
    assert quarter(rows)["E1"][0] == "86.20"


def test_rounds_half_up():
    rows = aggregate([result("2026-01", "E1", "80.00"), result("2026-02", "E1", "80.01")],
                     calendar("2026-Q1"))
    assert rows[0]["total"] == "80.01"  # 80.005 → 80.01, not banker's 80.00


def test_items_list_the_monthly_totals_used():
    e1 = next(r for r in aggregate(Q1, CAL) if r["assessee"] == "E1" and r["period"] == "2026-Q1")
    assert [(i["id"], i["points"], i["contribution"]) for i in e1["items"]] == [
        ("2026-01", "80.00", "26.67"), ("2026-02", "90.00", "30.00"),
        ("2026-03", "85.50", "28.50")]
    assert e1["months"] == {"used": ["2026-01", "2026-02", "2026-03"], "missing": []}
    assert (e1["scheme"], e1["group"], e1["grade"], e1["money"]) == ("cs", "t1", None, {})


def test_missing_and_incomplete_months_are_named_and_not_counted():
    rows = aggregate([
        result("2026-01", "E1", "80.00"),
        result("2026-02", "E1", None, status="incomplete"),
        result("2026-03", "E1", "70.00"),
        result("2026-01", "E2", "60.00"), result("2026-02", "E2", "60.00"),
        result("2026-03", "E2", "60.00"),
    ], calendar("2026-Q1"))
    e1, e2 = rows
    assert (e1["total"], e1["rank"], e1["status"]) == ("75.00", 1, "incomplete")
    assert e1["months"] == {"used": ["2026-01", "2026-03"], "missing": ["2026-02"]}
    assert (e2["total"], e2["rank"], e2["status"]) == ("60.00", 2, "complete")


def test_a_quarter_without_any_month_gives_no_result():
    rows = aggregate(Q1, CAL)
    assert {r["period"] for r in rows} == {"2026-Q1", "2026"}  # nothing for Q2 yet


def test_year_uses_every_month_present_and_names_the_rest():
    rows = aggregate([*Q1, result("2026-04", "E1", "100.00")], CAL)
    e1 = next(r for r in rows if r["period"] == "2026" and r["assessee"] == "E1")
    assert e1["total"] == "88.88"  # (80 + 90 + 85.5 + 100) / 4 = 88.875 → 88.88
    assert e1["months"]["used"] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert e1["months"]["missing"] == [f"2026-{m:02d}" for m in range(5, 13)]
    assert e1["status"] == "incomplete"
    q2 = [r for r in rows if r["period"] == "2026-Q2"]
    assert [(r["assessee"], r["total"], r["rank"], r["of"]) for r in q2] == [
        ("E1", "100.00", 1, 1)]


def test_groups_are_ranked_separately():
    rows = aggregate([result("2026-01", "E1", "50"), result("2026-01", "E2", "60"),
                      result("2026-01", "E3", "40", group="t2")], calendar("2026-Q1"))
    assert [(r["assessee"], r["rank"], r["of"]) for r in rows] == [
        ("E1", 2, 2), ("E2", 1, 2), ("E3", 1, 1)]


def test_a_transfer_mid_quarter_ranks_in_the_latest_group():
    rows = aggregate([result("2026-01", "E1", "50", group="t1"),
                      result("2026-02", "E1", "70", group="t2")], calendar("2026-Q1"))
    assert (rows[0]["group"], rows[0]["unit"], rows[0]["total"]) == ("t2", "t2", "60.00")


def test_only_monthly_results_feed_the_aggregate():
    rows = aggregate([result("2026-Q1", "E1", "10"), result("2026-01", "E1", "50")],
                     calendar("2026-Q1"))
    assert [(r["period"], r["total"]) for r in rows] == [("2026-Q1", "50.00")]


def test_only_the_named_schemes():
    other = {**result("2026-01", "E9", "70"), "scheme": "one-off"}
    rows = aggregate([*Q1, other], calendar("2026-Q1"), schemes=["one-off"])
    assert [(r["scheme"], r["assessee"], r["total"]) for r in rows] == [("one-off", "E9", "70.00")]


def test_bad_method_and_weighted_without_weights_are_refused():
    with pytest.raises(ValueError, match="unknown aggregation method"):
        aggregate(Q1, CAL, method="median")
    with pytest.raises(ValueError, match="needs weights"):
        aggregate(Q1, CAL, method="weighted")


def test_months_of():
    assert months_of("2026-Q2") == ["2026-04", "2026-05", "2026-06"]
    assert months_of("2026")[::11] == ["2026-01", "2026-12"]
    assert months_of("2026-05") == []
