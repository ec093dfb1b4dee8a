"""Follow-ups from the documents, computed by hand (written beside each test).

文档7《客户服务人员绩效考核方案》：连续3个月评比综合排名前三名，分别奖励500元、300元、
200元，名次并列的同时奖励；月考核评比综合排名后三名……在月工作通报下发后的4天，将整改方案
报总部客户服务部备案。
文档1《关于各部门2月份关键绩效考核指标的通知》：本次本项考核不合格者……将延续至次月考核，
直至合格为止。
The rules and follow-ups are the example ledger's own (schemes/branch-cs.yaml,
schemes/kpi-notice-2014-02.yaml); the results are made by hand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import kpi

from kpiledger.check.ledger import open_ledger
from kpiledger.git.provenance import Commit, FileProvenance
from kpiledger.model import Ledger, Period
from kpiledger.publish.open_items import Basis, open_items
from kpiledger.rules.carryover import pending_items
from kpiledger.rules.obligations import obligations, rewards
from kpiledger.rules.streaks import evaluate_rules
from kpiledger.score.lateness import Landing

LEDGER = Path(__file__).resolve().parents[1] / "ledger"
BJ = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def example() -> Ledger:
    return open_ledger(LEDGER).ledger


def _result(period: str, sid: str, aid: str, total: str, rank: int, of: int,
            items: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {"period": period, "scheme": sid, "assessee": aid, "name": aid, "unit": "u",
            "group": sid, "total": total, "grade": None, "rank": rank, "of": of,
            "money": {}, "status": "complete", "items": list(items)}


def _month(period: str, **totals: str) -> list[dict[str, Any]]:
    """One month of branch-cs, ranked as the scorer ranks: 1 + how many scored higher."""
    values = {a: Decimal(t) for a, t in totals.items()}
    return [_result(period, "branch-cs", a, t, 1 + sum(v > values[a] for v in values.values()),
                    len(values)) for a, t in totals.items()]


# Six branch staff over three months (the org chart's E31xx: assessor E3100 汪涛;
# E32xx: assessor E3200 田野).
#   2026-03: E3101 95 (1), E3102 90 (2), E3201 90 (2), E3103 80 (4), E3202 70 (5), E3203 60 (6)
#   2026-04: E3101 96 (1), E3201 93 (2), E3102 88 (3), E3103 85 (4), E3202 85 (4), E3203 50 (6)
#   2026-05: E3101 92 (1), E3102 92 (1), E3201 91 (3), E3203 80 (4), E3202 75 (5), E3103 70 (6)
DOC7 = [
    *_month("2026-03", E3101="95", E3102="90", E3201="90", E3103="80", E3202="70", E3203="60"),
    *_month("2026-04", E3101="96", E3201="93", E3102="88", E3103="85", E3202="85", E3203="50"),
    *_month("2026-05", E3101="92", E3102="92", E3201="91", E3203="80", E3202="75", E3103="70"),
]


def test_doc7_top_three_three_months_running_ties_all_paid(example: Ledger) -> None:
    # By hand: in the top three (rank ≤ 3) in all three months: E3101 (1,1,1), E3102 (2,3,1),
    # E3201 (2,2,3). Paid by the place in the month the streak completes (2026-05):
    # E3101 1st → 500, E3102 tied 1st → 500 (名次并列的同时奖励), E3201 3rd → 200. Sum 1,200.
    events, _ = evaluate_rules(DOC7, {"branch-cs": example.schemes["branch-cs"]},
                               example.calendar)
    top = {e["assessee"]: e["amount"] for e in events if e["rule"] == "top3-three-months"}
    assert top == {"E3101": "500.00", "E3102": "500.00", "E3201": "200.00"}
    assert sum(Decimal(a) for a in top.values()) == Decimal("1200")
    owed = rewards(events, None)
    assert [(r.assessee, r.amount, r.paid) for r in owed] == [
        ("E3101", "500.00", False), ("E3102", "500.00", False), ("E3201", "200.00", False)]
    # marked paid: one file per assessee and period, landed on main
    paid = rewards(events, {"2026-05/followups/paid/E3101.yaml": Landing("c" * 40, "x")})
    assert [r.assessee for r in paid if not r.paid] == ["E3102", "E3201"]


def test_doc7_bottom_three_each_month_with_a_tie(example: Ledger) -> None:
    # By hand, place from the bottom = 1 + how many scored lower (ties share it):
    #   2026-03: E3203 1, E3202 2, E3103 3 → those three
    #   2026-04: E3203 1, E3103 2, E3202 2 (tied at 85) → those three
    #   2026-05: E3103 1, E3202 2, E3203 3 → those three
    events, _ = evaluate_rules(DOC7, {"branch-cs": example.schemes["branch-cs"]},
                               example.calendar)
    bottom = sorted((e["period"], e["assessee"]) for e in events
                    if e["rule"] == "bottom3-improvement")
    assert bottom == [(p, a) for p in ("2026-03", "2026-04", "2026-05")
                      for a in ("E3103", "E3202", "E3203")]


def test_doc7_improvement_plan_within_four_days_of_the_bulletin(example: Ledger) -> None:
    # The 2026-03 bulletin lands on main 2026-04-07 10:00 (Beijing): plans are due
    # 2026-04-11 10:00. E3103's plan lands at 10:00 sharp (on time, the due moment is still
    # on time), E3202's at 10:01 (one started day late), E3203's not at all (overdue after
    # the due time). 2026-04's bulletin lands 2026-05-08 09:30 → due 2026-05-12 09:30, still
    # open on 2026-04-12. 2026-05's bulletin is not published: not yet running.
    events, _ = evaluate_rules(DOC7, {"branch-cs": example.schemes["branch-cs"]},
                               example.calendar)
    landed = {
        "2026-03/bulletin.yaml": Landing("a" * 40, "2026-04-07T10:00:00+08:00"),
        "2026-04/bulletin.yaml": Landing("b" * 40, "2026-05-08T09:30:00+08:00"),
        "2026-03/followups/improvement-plan/E3103.yaml": Landing("c" * 40,
                                                                 "2026-04-11T10:00:00+08:00"),
        # the same moment as 02:01 UTC: lateness is compared as moments, in any zone
        "2026-03/followups/improvement-plan/E3202.yaml": Landing("d" * 40,
                                                                 "2026-04-11T02:01:00+00:00"),
    }
    found = obligations(example, events, landed)
    now = dt.datetime(2026, 4, 12, 0, 0, tzinfo=BJ)
    states = {(o.period, o.assessee): (o.state(now), o.owed_by, o.days_late) for o in found}
    assert states == {
        ("2026-03", "E3103"): ("met", "E3100", 0),
        ("2026-03", "E3202"): ("late", "E3200", 1),
        ("2026-03", "E3203"): ("overdue", "E3200", 0),
        ("2026-04", "E3103"): ("open", "E3100", 0),
        ("2026-04", "E3202"): ("open", "E3200", 0),
        ("2026-04", "E3203"): ("open", "E3200", 0),
        ("2026-05", "E3103"): ("waiting", "E3100", 0),
        ("2026-05", "E3202"): ("waiting", "E3200", 0),
        ("2026-05", "E3203"): ("waiting", "E3200", 0),
    }
    first = next(o for o in found if o.period == "2026-03")
    assert first.due == dt.datetime(2026, 4, 11, 10, 0, tzinfo=BJ)
    assert first.file == "2026-03/followups/improvement-plan/E3103.yaml"


def _doc1_ledger(example: Ledger) -> Ledger:
    """The example's kpi-notice scheme and org, with due times 2026-03-05 17:30 … by hand."""
    periods = {p: Period(p, "month", "", "", f"{nxt}-05 17:30", "closed")
               for p, nxt in (("2026-02", "2026-03"), ("2026-03", "2026-04"),
                              ("2026-04", "2026-05"))}
    cal = dataclasses.replace(example.calendar, periods=periods)
    return Ledger(example.root, example.org, cal,
                  {"kpi-notice-2014-02": example.schemes["kpi-notice-2014-02"]}, ())


def _drawing(period: str, value: str) -> dict[str, Any]:
    return _result(period, "kpi-notice-2014-02", "E2112", "50.00", 1, 1,
                   ({"id": "drawing", "value": value, "points": None},))


def _commit(date: str) -> Commit:
    return Commit("e" * 40, "x", "x@example.com", date, "s", None)


def test_doc1_retest_until_passed(example: Ledger) -> None:
    # By hand: 识图 fails in 2026-02 and 2026-03 and passes in 2026-04. It is carried into
    # 2026-03 and 2026-04 (since 2026-02), not into 2026-05. The rule fires in each failed
    # month, so a re-test is owed for 2026-02 and for 2026-03, each due 30 days after that
    # month's due time: 2026-03-05 17:30 + 30 d = 2026-04-04 17:30; 2026-04-05 17:30 + 30 d
    # = 2026-05-05 17:30.
    ledger = _doc1_ledger(example)
    failed = [_drawing("2026-02", "0"), _drawing("2026-03", "0")]
    history = [*failed, _drawing("2026-04", "1")]
    pending = pending_items(history, ledger.schemes, ledger.calendar)
    assert pending == {("E2112", "kpi-notice-2014-02", "2026-03"): [{"item": "drawing",
                                                                    "since": "2026-02"}],
                       ("E2112", "kpi-notice-2014-02", "2026-04"): [{"item": "drawing",
                                                                    "since": "2026-02"}]}
    events, _ = evaluate_rules(history, ledger.schemes, ledger.calendar)
    found = obligations(ledger, events, {})
    assert [(o.period, o.followup.kind, o.owed_by, o.due) for o in found] == [
        ("2026-02", "drawing-retest", "E2112", dt.datetime(2026, 4, 4, 17, 30, tzinfo=BJ)),
        ("2026-03", "drawing-retest", "E2112", dt.datetime(2026, 5, 5, 17, 30, tzinfo=BJ)),
    ]
    # still open before the pass: the re-test carried into 2026-04; none once it passed
    now = dt.datetime(2026, 4, 1, tzinfo=BJ)
    before_events, _ = evaluate_rules(failed, ledger.schemes, ledger.calendar)
    before = open_items(Basis(ledger, failed, before_events, {}), now)
    assert [(i.kind, i.period) for i in before if i.kind == "retest"] == [("retest", "2026-04")]
    after = open_items(Basis(ledger, history, events, {}), now)
    assert [i for i in after if i.kind == "retest"] == []
    # the 2026-02 re-test handed in at 17:30 sharp is on time; a minute later is late
    for landed, state in (("2026-04-04T17:30:00+08:00", "met"),
                          ("2026-04-04T17:31:00+08:00", "late")):
        rel = "2026-02/followups/drawing-retest/E2112.yaml"
        prov = {rel: FileProvenance(rel, _commit(landed), _commit(landed))}
        items = open_items(Basis(ledger, history, events, prov), now)
        assert not any(i.kind == "obligation" and i.period == "2026-02" for i in items)
        o = obligations(ledger, events, {rel: Landing("e" * 40, landed)})[0]
        assert o.state(now) == state


def test_kpi_check_reads_follow_up_and_bulletin_files(tmp_path: Path) -> None:
    """Each problem at path:line:column with its code: a follow-up whose content disagrees
    with its place (KPI370), of a kind no rule declares (KPI371), about someone not in the
    org chart (KPI372), missing its summary (schema, KPI2xx); a bulletin of the wrong period."""
    root = tmp_path / "ledger"
    shutil.copytree(LEDGER, root)
    plans = root / "2026-04" / "followups"
    (plans / "improvement-plan" / "E3202.yaml").write_text(
        'period: "2026-03"\nkind: improvement-plan\nassessee: E3202\nsummary: 计划\n', "utf-8")
    (plans / "pep-talk").mkdir()
    (plans / "pep-talk" / "E3202.yaml").write_text(
        'period: "2026-04"\nkind: pep-talk\nassessee: E3202\nsummary: 谈话\n', "utf-8")
    (plans / "improvement-plan" / "E9999.yaml").write_text(
        'period: "2026-04"\nkind: improvement-plan\nassessee: E9999\nsummary: 计划\n', "utf-8")
    (plans / "improvement-plan" / "E3203.yaml").write_text(
        'period: "2026-04"\nkind: improvement-plan\nassessee: E3203\n', "utf-8")
    (root / "2026-03" / "bulletin.yaml").write_text('period: "2026-04"\n', "utf-8")
    done = kpi("check", "--lang", "en", cwd=root)
    assert done.returncode == 1
    out = done.stdout + done.stderr
    assert "2026-04/followups/improvement-plan/E3202.yaml:1:9: KPI370" in out
    assert "2026-04/followups/pep-talk/E3202.yaml:2:7: KPI371" in out
    assert "'pep-talk' is not a follow-up kind" in out
    assert "2026-04/followups/improvement-plan/E9999.yaml:3:11: KPI372" in out
    assert "2026-04/followups/improvement-plan/E3203.yaml:1:1: KPI2" in out
    assert "2026-03/bulletin.yaml:1:9: KPI370" in out
