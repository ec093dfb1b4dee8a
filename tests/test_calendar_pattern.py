"""The calendar's pattern: windows and due times worked out from a period's id.

Every expected date below is counted by hand from the rule as written in periods.yaml
(“上月26日至本月25日”, “次月5日17:30”, …), not taken from our own output."""

from __future__ import annotations

from pathlib import Path

import yaml

from kpiledger.check.ledger import open_ledger
from kpiledger.model.build import build_calendar
from kpiledger.model.pattern import DueRule, Pattern, due, window

EXAMPLE = Path(__file__).resolve().parents[1] / "ledger"
P26 = Pattern(month_start_day=26, due={
    "month": DueRule(1, 5, "17:30"), "quarter": DueRule(1, 10, "17:30"),
    "year": DueRule(1, 15, "17:30")})


def test_windows_from_the_26th_to_the_25th_across_the_year_end() -> None:
    assert window(P26, "2026-01") == ("2025-12-26", "2026-01-25")  # starts in the old year
    assert window(P26, "2026-03") == ("2026-02-26", "2026-03-25")  # February is short
    assert window(P26, "2026-12") == ("2026-11-26", "2026-12-25")
    assert window(P26, "2027-01") == ("2026-12-26", "2027-01-25")  # 2026-12 ends the day before


def test_quarters_and_years_are_made_of_their_months() -> None:
    assert window(P26, "2026-Q1") == ("2025-12-26", "2026-03-25")
    assert window(P26, "2026-Q4") == ("2026-09-26", "2026-12-25")  # Oct–Dec
    assert window(P26, "2026") == ("2025-12-26", "2026-12-25")
    calendar_months = Pattern()
    assert window(calendar_months, "2026-02") == ("2026-02-01", "2026-02-28")
    assert window(calendar_months, "2028-02") == ("2028-02-01", "2028-02-29")  # leap year
    assert window(calendar_months, "2026-Q2") == ("2026-04-01", "2026-06-30")


def test_due_times_next_month_next_quarter_next_year() -> None:
    assert due(P26, "2026-12") == "2027-01-05 17:30"  # across the year end
    assert due(P26, "2026-Q4") == "2027-01-10 17:30"
    assert due(P26, "2026") == "2027-01-15 17:30"
    assert due(Pattern(), "2026-03") is None  # no rule for months: no due time


def test_a_due_day_past_the_end_of_the_month_is_its_last_day() -> None:
    end_of_next = Pattern(due={"month": DueRule(1, 31, "18:00")})
    assert due(end_of_next, "2026-01") == "2026-02-28 18:00"
    assert due(end_of_next, "2028-01") == "2028-02-29 18:00"
    assert due(end_of_next, "2026-03") == "2026-04-30 18:00"
    assert due(Pattern(due={"month": DueRule(0, 31, "")}), "2026-02") == "2026-02-28"


def test_a_period_writes_out_what_wins() -> None:
    cal = build_calendar({
        "timezone": "Asia/Shanghai",
        "pattern": {"month_start_day": 26, "due": {"month": {"months_after": 1, "day": 5,
                                                             "time": "17:30"}}},
        "periods": [
            {"id": "2026-07", "status": "open"},
            {"id": "2026-08", "status": "open", "end": "2026-08-31", "due": None},
            {"id": "2026-Q3", "status": "open"},
        ],
    })
    assert cal.periods["2026-07"].kind == "month"
    assert (cal.periods["2026-07"].start, cal.periods["2026-07"].due) == (
        "2026-06-26", "2026-08-05 17:30")
    assert (cal.periods["2026-08"].start, cal.periods["2026-08"].end) == (
        "2026-07-26", "2026-08-31")
    assert cal.periods["2026-08"].due is None  # written as null: no due time
    assert cal.periods["2026-Q3"].due is None  # the pattern has no quarter rule


def test_the_example_ledger_pattern_gives_the_dates_it_used_to_write_out() -> None:
    # periods.yaml before the pattern, as it was written by hand
    before = {
        "2026-01": ("2025-12-26", "2026-01-25", "2026-02-05 17:30"),
        "2026-02": ("2026-01-26", "2026-02-25", "2026-03-05 17:30"),
        "2026-06": ("2026-05-26", "2026-06-25", "2026-07-05 17:30"),
        "2026-Q1": ("2025-12-26", "2026-03-25", "2026-04-10 17:30"),
        "2026-Q2": ("2026-03-26", "2026-06-25", "2026-07-10 17:30"),
        "2025": ("2024-12-26", "2025-12-25", "2026-01-15 17:30"),
        "2026": ("2025-12-26", "2026-12-25", "2027-01-15 17:30"),
    }
    doc = yaml.safe_load((EXAMPLE / "periods.yaml").read_text(encoding="utf-8"))
    cal = build_calendar(doc)
    for pid, (start, end, due_at) in before.items():
        p = cal.periods[pid]
        assert (p.start, p.end, p.due) == (start, end, due_at), pid


def _diagnose(tmp_path: Path, text: str) -> list[tuple[str, str]]:
    for name in ("org.yaml",):
        (tmp_path / name).write_text((EXAMPLE / name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (tmp_path / "periods.yaml").write_text(text, encoding="utf-8")
    opened = open_ledger(tmp_path, use_cache=False)
    return [(x.code, f"{x.line}:{x.column}") for x in opened.diagnostics
            if x.file == "periods.yaml"]


def test_a_bad_pattern_is_placed_and_coded(tmp_path: Path) -> None:
    head = "timezone: Asia/Shanghai\n"
    # a due time before the window ends: reported once, at the rule
    found = _diagnose(tmp_path, head + (
        "pattern:\n  month_start_day: 26\n  due:\n"
        "    month: {months_after: 0, day: 5, time: \"17:30\"}\n"
        "periods:\n  - id: 2026-07\n    status: open\n  - id: 2026-08\n    status: open\n"))
    assert found == [("KPI343", "5:12")]
    # an hour that does not exist: the schema, at the value
    found = _diagnose(tmp_path, head + (
        "pattern:\n  due:\n    month: {months_after: 1, day: 5, time: \"25:00\"}\n"
        "periods:\n  - id: 2026-07\n    status: open\n"))
    assert found == [("KPI205", "4:44")]
    # no window written and no pattern to work it out
    found = _diagnose(tmp_path, head + "periods:\n  - id: 2026-07\n    status: open\n")
    assert found == [("KPI342", "3:5")]
