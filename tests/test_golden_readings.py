"""Golden tests for the readings the example schemes state (`readings:`, 对原文的解读), each at
its exact boundary, scored by the real command line.

Every expected number is worked BY HAND from the source documents (文档1, 4, 7, 14) and the
reading the scheme takes; the arithmetic is next to each number, and where the other reading
would give another number it is written too, so a test fails if a scheme changes its reading.
The ledger helpers are those of test_golden.py (same contract).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_golden import check, doc4, event, events, make_ledger, rec, result, score

from kpiledger.calendar import due_moment
from kpiledger.model import Period
from kpiledger.score.lateness import days_late

CS = "branch-cs"


def doc7(period: str, who: str, *, fails: int = 0, complaint: str = "0, denominator: 100",
         callback: int = 13200, truth: int = 0, satisfaction: str = "100%") -> tuple[str, str]:
    """A 文档7 superior sheet; with only the superior submitting, the weights renormalise to the
    superior's 100 %, so the total is the sum of the item points (maxima 30/20/10/10/10/10/10)."""
    unit = "branch-east-cs" if who.startswith("E31") else "branch-south-cs"
    author = "E3100" if unit == "branch-east-cs" else "E3200"
    skill = "[]" if fails == 0 else f"[{{kind: spot_check_fail, count: {fails}}}]"
    return rec(period, CS, unit, who, "superior", author, {
        "skill": skill, "complaint": f"{{numerator: {complaint}}}",
        "callback_rate": f"{{numerator: {callback}, denominator: 13200}}",
        "callback_truth": str(truth), "satisfaction": satisfaction,
        "report_timely": "[]", "report_quality": "[]"})


def test_doc7_readings_at_their_boundaries(tmp_path: Path) -> None:
    out = score(make_ledger(tmp_path, [CS], [
        doc7("2026-03", "E3101", complaint="1, denominator: 100"),
        doc7("2026-03", "E3102", callback=9900, satisfaction="75%"),
        doc7("2026-03", "E3103", truth=5),
        doc7("2026-03", "E3201", callback=10560, satisfaction="95%"),
    ]))
    # E3101: complaints 1/100 = exactly 1 % → "0.4%~1%" (left-open, right-closed) → −4 → 16;
    #   30 + 16 + 10 + 10 + 10 + 10 + 10 = 96.00   (the other reading, "1%~1.5%" −10: 90.00)
    check(result(out, "2026-03", CS, "E3101"), "96.00", points={"complaint": "16"})
    # E3102: call-backs 9900/13200 = exactly 75 % → "80%~75%" −3 → 7, not "75%以下" −5;
    #   satisfaction exactly 75 % → likewise 7;
    #   30 + 20 + 7 + 10 + 7 + 10 + 10 = 94.00   (the other reading: 30 + 20 + 5 + 10 + 5 + 20 = 90)
    check(result(out, "2026-03", CS, "E3102"), "94.00",
          points={"callback_rate": "7", "satisfaction": "7"})
    # E3103: exactly 5 false call-backs → "3~5条" −3 → 7, not "5条以上" −5;
    #   30 + 20 + 10 + 7 + 10 + 10 + 10 = 97.00   (the other reading: 95.00)
    check(result(out, "2026-03", CS, "E3103"), "97.00", points={"callback_truth": "7"})
    # E3201: call-backs 10560/13200 = exactly 80 % → "95%~80%" −2 → 8;
    #   satisfaction exactly 95 % → "95%（含）至 100%" −1 → 9;
    #   30 + 20 + 8 + 10 + 9 + 10 + 10 = 97.00
    check(result(out, "2026-03", CS, "E3201"), "97.00",
          points={"callback_rate": "8", "satisfaction": "9"})


def test_doc7_bottom_three_with_a_tie_on_the_boundary(tmp_path: Path) -> None:
    # totals 100 − 2·fails: E3101 100, E3102 98, E3103 96, E3201 96, E3202 94, E3203 92.
    # Places from the bottom, ties sharing: 92 → 1, 94 → 2, 96 and 96 → 3 (two people behind
    # each), 98 → 5. "后三名" = from-bottom place ≤ 3 → four people: E3203, E3202, E3103, E3201;
    # E3102 (5th from the bottom) and E3101 are not.
    fails = {"E3101": 0, "E3102": 1, "E3103": 2, "E3201": 2, "E3202": 3, "E3203": 4}
    out = score(make_ledger(tmp_path, [CS], [
        doc7("2026-03", who, fails=n) for who, n in fails.items()]))
    check(result(out, "2026-03", CS, "E3103"), "96.00", rank=3, of=6)
    check(result(out, "2026-03", CS, "E3201"), "96.00", rank=3, of=6)
    assert {e[1] for e in events(out, CS, "bottom3-improvement")} == {
        "E3103", "E3201", "E3202", "E3203"}


def test_doc7_award_follows_the_third_months_place_not_the_combined_place(
        tmp_path: Path) -> None:
    # totals 100 − 2·fails, ranked over the scheme (four people):
    #            E3101      E3102      E3103      E3201
    # 2026-03    100 (1)     94 (3)     96 (2)     90 (4)
    # 2026-04    100 (1)     96 (3)     98 (2)     90 (4)
    # 2026-05     96 (3)    100 (1)     98 (2)     90 (4)
    # E3101, E3102, E3103 were in the top three all three months → award in 2026-05 by the
    # place in 2026-05: E3102 1st → 500, E3103 2nd → 300, E3101 3rd → 200.
    # (By the combined place — E3101 296, E3103 292, E3102 290 — E3101 would get 500 and
    # E3102 200: the reading decides who gets which amount.)
    fails = {
        "2026-03": {"E3101": 0, "E3102": 3, "E3103": 2, "E3201": 5},
        "2026-04": {"E3101": 0, "E3102": 2, "E3103": 1, "E3201": 5},
        "2026-05": {"E3101": 2, "E3102": 0, "E3103": 1, "E3201": 5},
    }
    out = score(make_ledger(tmp_path, [CS], [
        doc7(p, who, fails=n) for p, row in fails.items() for who, n in row.items()]))
    check(result(out, "2026-05", CS, "E3101"), "96.00", rank=3, of=4)
    amounts = {who: event(out, "2026-05", who, "top3-three-months")["amount"]
               for who in ("E3101", "E3102", "E3103")}
    assert amounts == {"E3102": "500.00", "E3103": "300.00", "E3101": "200.00"}


def test_doc4_exactly_35_is_not_below_35(tmp_path: Path) -> None:
    # E1101: 150/200 = 75 % → 100 × 35% = 35; payment 0/100 → 0; 100/100 = 1.00 < 1.06 → 0;
    #   90/100 = 90 % < 95 % → 0; T = 60 > 55 → 0; work 0, attitude 0; five lates 10 − 5·2 = 0;
    #   total 35.00 — twice, but "低于35分" is < 35: no elimination.
    # E1102: 130/200 = 65 % → 80 × 35% = 28; 97/100 = 97 % → 80 (printed 800) × 5% = 4; work 2;
    #   28 + 4 + 2 = 34.00 — twice → eliminated in the second month.
    def sheets(period: str) -> list[tuple[str, str]]:
        zero = ("{numerator: 0, denominator: 100}", "{numerator: 100, denominator: 100}")
        lates = "[{kind: late, count: 5}]"
        return [
            doc4(period, "cs-team-1", "E1101", "{numerator: 150, denominator: 200}", *zero,
                 "{numerator: 90, denominator: 100}", 60, 0, 0, lates, 0),
            doc4(period, "cs-team-1", "E1102", "{numerator: 130, denominator: 200}", *zero,
                 "{numerator: 97, denominator: 100}", 60, 2, 0, lates, 0),
        ]

    out = score(make_ledger(tmp_path, ["cs-agent"], sheets("2026-03") + sheets("2026-04")))
    check(result(out, "2026-04", "cs-agent", "E1101"), "35.00", grade="合格", rank=1, of=2)
    check(result(out, "2026-04", "cs-agent", "E1102"), "34.00", grade="不合格", rank=2, of=2,
          points={"reply_rate": "80"})
    assert events(out, "cs-agent", "two-below-35") == {("2026-04", "E1102", "two-below-35")}


def test_doc14_qc_factor_at_70_and_80_and_the_corrected_sign(tmp_path: Path) -> None:
    def sheet(who: str, qc: str) -> tuple[str, str]:
        # 20 days × 60 = 1200 target; 1200 calls by phone (×1) → 工作量绩效 300 − 0 × 1 = 300
        return rec("2026-03", "gs-bonus", "cs-gs", who, "superior", "E1300", {
            "work_days": "20", "phone": "1200", "chat": "0", "email": "0", "forum": "0",
            "qc": qc, "contribution": "0", "other": "0"})

    out = score(make_ledger(tmp_path, ["gs-bonus"], [
        sheet("E1301", "70%"), sheet("E1302", "69%"), sheet("E1303", "81%")]))
    # exactly 70 %: not "<70%" → factor 1 → 300 × 1 = 300.00
    check(result(out, "2026-03", "gs-bonus", "E1301"), "300.00",
          money={"qc_factor": "1.00", "bonus": "300.00"})
    # 69 %: 1 − (70% − 69%) × 5 = 0.95 → 300 × 0.95 = 285.00
    check(result(out, "2026-03", "gs-bonus", "E1302"), "285.00", money={"qc_factor": "0.95"})
    # 81 %: sign corrected, 1 + (81% − 80%) × 5 = 1.05 → 315.00
    #   (as printed, 1 + (80% − 81%) × 5 = 0.95 → 285.00: a reward turned into a cut)
    check(result(out, "2026-03", "gs-bonus", "E1303"), "315.00", money={"qc_factor": "1.05"})


def test_doc1_submitted_at_exactly_1730_is_on_time() -> None:
    # "2月14日17:30分前": the due time is the last moment still on time (inclusive).
    period = Period(id="2014-02", kind="month", start="2014-02-01", end="2014-02-28",
                    due="2014-02-14 17:30", status="open")
    due = due_moment(period, "Asia/Shanghai")
    assert due == dt.datetime(2014, 2, 14, 17, 30, tzinfo=due.tzinfo)
    # at 17:30:00 → 0 days late (the other reading, "before 17:30", would make it 1 day: −5)
    assert days_late("2014-02-14T17:30:00+08:00", due) == 0
    # one second later → one started day late → 迟交每天5分: −5
    assert days_late("2014-02-14T17:30:01+08:00", due) == 1
    # 24 hours and a second after → two started days → −10
    assert days_late("2014-02-15T17:30:01+08:00", due) == 2
