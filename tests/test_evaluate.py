"""`evaluate_ledger` on small ledgers: what spans periods (cross-period rules, carried-over
items, quarterly aggregates) and the notices about lateness (KPI501 outside git, KPI502 for a
due time that cannot be read). Every total is worked out by hand in the comments."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

from conftest import SMALL_LEDGER, SMALL_PERIODS, SMALL_SCHEME, record
from gitrepo import Repo

from kpiledger.check.ledger import open_ledger
from kpiledger.diagnostics import has_errors
from kpiledger.evaluate import evaluate_ledger
from kpiledger.git.provenance import FileProvenance, file_provenance
from kpiledger.score.ledger import Results

D = Decimal
LedgerDir = Callable[[Mapping[str, str]], Path]

RULES = """rules:
  - {id: two-below-35, title: 连续两次低于35分淘汰, when: {total_below: 35}, consecutive: 2,
     outcome: 淘汰}
"""

# 90 points given directly, 10 for passing the safety test, which a failure carries over
CARRY_SCHEME = SMALL_SCHEME.replace("max: 100}", "max: 90}") + (
    "  - {id: safety, title: 安全考试, by: superior, input: pass, weight: 10,\n"
    "     pass: {pass_points: 100, fail_points: 0, carry_over: true}}\n"
)

# 50 points given directly, 50 % for submitting on time: 5 points a day late, from git
LATE_SCHEME = SMALL_SCHEME.replace("max: 100}", "max: 50}") + (
    "  - id: on_time\n"
    "    title: 按时提交\n"
    "    by: superior\n"
    "    input: occurrences\n"
    "    weight: 50\n"
    "    deductions: {full: 100, per: {late_day: 5}, late: late_day, floor: 0}\n"
)


def evaluate(
    root: Path, provenance: Mapping[str, FileProvenance] | None = None
) -> Results:
    opened = open_ledger(root, use_cache=False)
    assert not has_errors(opened.diagnostics), [x.message("en") for x in opened.diagnostics]
    return evaluate_ledger(opened.ledger, provenance)


def totals(results: Results) -> dict[tuple[str, str], tuple[Decimal | None, int | None, int]]:
    """(period, assessee) → (total, rank, of)."""
    return {(r.period, r.assessee): (r.total, r.rank, r.of) for r in results.results}


def test_a_rule_fires_on_its_second_low_month_and_warns_after_the_first(
    ledger_dir: LedgerDir,
) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            "schemes/sales.yaml": SMALL_SCHEME + RULES,
            **record("2026-01", "E1", {"result": 30}),
            **record("2026-02", "E1", {"result": 20}),  # 30, 20: twice below 35
            **record("2026-01", "E2", {"result": 30}),
            **record("2026-02", "E2", {"result": 50}),  # 30, 50: the streak breaks
            **record("2026-01", "E3", {"result": 50}),
            **record("2026-02", "E3", {"result": 30}),  # 50, 30: one more low month fires
        }
    )
    results = evaluate(root)
    assert totals(results) == {
        ("2026-01", "E3"): (D("50.00"), 1, 3),
        ("2026-01", "E1"): (D("30.00"), 2, 3),  # tied: both second
        ("2026-01", "E2"): (D("30.00"), 2, 3),
        ("2026-02", "E2"): (D("50.00"), 1, 3),
        ("2026-02", "E3"): (D("30.00"), 2, 3),
        ("2026-02", "E1"): (D("20.00"), 3, 3),
    }
    assert results.events == (
        {
            "period": "2026-02",
            "assessee": "E1",
            "scheme": "sales",
            "rule": "two-below-35",
            "title": "连续两次低于35分淘汰",
            "outcome": "淘汰",
            "amount": None,
            "periods": ["2026-01", "2026-02"],
            "detail": "2026-01 总分 30.00、2026-02 总分 20.00，连续两次低于 35 分 → 淘汰",
            "title_en": "连续两次低于35分淘汰",
            "outcome_en": "淘汰",
            "detail_en": "2026-01 total 30.00; 2026-02 total 20.00: a total below 35 in 2 "
                         "periods running → 淘汰",
        },
    )
    # the warning names the calendar's next month
    assert results.warnings == (
        {
            "period": "2026-03",
            "assessee": "E3",
            "scheme": "sales",
            "rule": "two-below-35",
            "title": "连续两次低于35分淘汰",
            "outcome": "淘汰",
            "periods": ["2026-02"],
            "detail": "2026-02 总分 30.00，低于 35 分；再有一次低于 35 分（2026-03）将触发：淘汰",
            "title_en": "连续两次低于35分淘汰",
            "outcome_en": "淘汰",
            "detail_en": "2026-02 total 30.00: a total below 35; one more period with a total "
                         "below 35 (2026-03) → 淘汰",
        },
    )
    assert results.aggregates == () and results.notices == ()  # none asked for, no lateness


def test_a_failed_item_is_pending_in_every_later_result_until_it_passes(
    ledger_dir: LedgerDir,
) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            "schemes/sales.yaml": CARRY_SCHEME,
            **record("2026-01", "E1", {"result": 80, "safety": False}),
            **record("2026-02", "E1", {"result": 85, "safety": False}),
            **record("2026-03", "E1", {"result": 70, "safety": True}),
            **record("2026-01", "E2", {"result": 60, "safety": True}),
            **record("2026-03", "E3", {"result": 75, "safety": False}),  # due in April
        }
    )
    results = evaluate(root)
    pending = {(r.period, r.assessee): r.pending for r in results.results}
    since_january = ({"item": "safety", "since": "2026-01"},)
    assert pending == {
        ("2026-01", "E1"): (),  # failed here: due again from the next month
        ("2026-01", "E2"): (),
        ("2026-02", "E1"): since_january,
        ("2026-03", "E1"): since_january,  # passed here, where it was still due
        ("2026-03", "E3"): (),  # April has no result yet to show it
    }
    # 80 + 0, 60 + 10, 85 + 0, 70 + 10, 75 + 0
    assert {k: v[0] for k, v in totals(results).items()} == {
        ("2026-01", "E1"): D("80.00"),
        ("2026-01", "E2"): D("70.00"),
        ("2026-02", "E1"): D("85.00"),
        ("2026-03", "E1"): D("80.00"),
        ("2026-03", "E3"): D("75.00"),
    }
    assert results.events == () and results.warnings == ()  # no rules in this scheme


def quarter_ledger(aggregate: str) -> dict[str, str]:
    return {
        **SMALL_LEDGER,
        "schemes/sales.yaml": SMALL_SCHEME + aggregate,
        **record("2026-01", "E1", {"result": 80}),
        **record("2026-02", "E1", {"result": 90}),
        **record("2026-03", "E1", {"result": 70}),
        **record("2026-01", "E2", {"result": 60}),
        **record("2026-03", "E2", {"result": 90}),  # no February
        **record("2026-02", "E4", {"result": 50}, unit="t2"),  # another team, ranked apart
    }


def test_quarterly_mean_ranks_within_the_team(ledger_dir: LedgerDir) -> None:
    # the calendar has no year: `year` makes nothing
    root = ledger_dir(quarter_ledger("aggregate: {method: mean, periods: [quarter, year]}\n"))
    rows = evaluate(root).aggregates
    assert [
        (r["period"], r["assessee"], r["group"], r["total"], r["rank"], r["of"], r["status"],
         r["months"])
        for r in rows
    ] == [
        # (80 + 90 + 70) / 3 = 80
        ("2026-Q1", "E1", "t1", "80.00", 1, 2, "complete",
         {"used": ["2026-01", "2026-02", "2026-03"], "missing": []}),
        # (60 + 90) / 2 = 75: the months there are, named incomplete
        ("2026-Q1", "E2", "t1", "75.00", 2, 2, "incomplete",
         {"used": ["2026-01", "2026-03"], "missing": ["2026-02"]}),
        ("2026-Q1", "E4", "t2", "50.00", 1, 1, "incomplete",
         {"used": ["2026-02"], "missing": ["2026-01", "2026-03"]}),
    ]
    assert [(i["id"], i["value"], i["contribution"]) for i in rows[1]["items"]] == [
        ("2026-01", "60.00", "30.00"),
        ("2026-03", "90.00", "45.00"),
    ]


def test_quarterly_weighted_mean_can_change_the_order(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        quarter_ledger("aggregate: {method: weighted, weights: {3: 2}, periods: [quarter]}\n")
    )
    rows = evaluate(root).aggregates
    assert [(r["assessee"], r["total"], r["rank"]) for r in rows] == [
        ("E1", "77.50", 2),  # (80 + 90 + 2 × 70) / 4
        ("E2", "80.00", 1),  # (60 + 2 × 90) / 3: March weighs double, February is missing
        ("E4", "50.00", 1),
    ]


def test_a_quarterly_scheme_is_not_aggregated(ledger_dir: LedgerDir) -> None:
    quarterly = SMALL_SCHEME.replace("period_kind: month", "period_kind: quarter")
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            "schemes/sales.yaml": quarterly + "aggregate: {method: mean, periods: [quarter]}\n",
            **record("2026-Q1", "E1", {"result": 88}),
        }
    )
    results = evaluate(root)
    assert totals(results) == {("2026-Q1", "E1"): (D("88.00"), 1, 1)}
    assert results.aggregates == ()


# ---------------------------------------------------------------- lateness


def late_ledger(periods: str = SMALL_PERIODS) -> dict[str, str]:
    return {
        **SMALL_LEDGER,
        "periods.yaml": periods,
        "schemes/sales.yaml": LATE_SCHEME,
        **record("2026-02", "E1", {"result": 40, "on_time": []}),  # due 2026-03-05 17:30
    }


def on_time(results: Results) -> tuple[Decimal | None, Decimal | None]:
    """The on-time item's points and the total of the one result."""
    [result] = results.results
    return result.items[1].points, result.total


def test_outside_git_lateness_counts_as_zero_with_a_warning(ledger_dir: LedgerDir) -> None:
    results = evaluate(ledger_dir(late_ledger()))
    assert on_time(results) == (D(100), D("90.00"))  # 40 + 100 × 50 %
    assert [(x.file, x.code, x.line, x.column) for x in results.notices] == [
        ("schemes/sales.yaml", "KPI501", 1, 1)
    ]
    assert results.provenance == {}


def test_a_merge_two_started_days_late_costs_ten_points(
    ledger_repo: Callable[..., Repo],
) -> None:
    # 2026-03-07 10:00 is 1 day and 16½ hours after the due time: two started days
    repo = ledger_repo(late_ledger(), when="2026-03-07T10:00:00+08:00")
    provenance = file_provenance(repo.ledger)
    results = evaluate(repo.ledger, provenance)
    assert on_time(results) == (D(90), D("85.00"))  # 40 + (100 − 2 × 5) × 50 %
    assert results.notices == ()
    assert results.provenance == provenance
    assert provenance["2026-02/t1/E1.yaml"].added.date == "2026-03-07T10:00:00+08:00"


def test_a_merge_before_the_due_time_costs_nothing(ledger_repo: Callable[..., Repo]) -> None:
    repo = ledger_repo(late_ledger(), when="2026-03-05T17:29:00+08:00")
    results = evaluate(repo.ledger, file_provenance(repo.ledger))
    assert on_time(results) == (D(100), D("90.00"))
    assert results.notices == ()


def test_a_due_time_that_cannot_be_read_is_named(ledger_repo: Callable[..., Repo]) -> None:
    # February has no 30th: the calendar check reports it too (KPI318), scoring goes on
    periods = SMALL_PERIODS.replace("due: 2026-03-05 17:30", "due: 2026-02-30 17:30")
    repo = ledger_repo(late_ledger(periods), when="2026-03-07T10:00:00+08:00")
    opened = open_ledger(repo.ledger, use_cache=False)
    assert [x.code for x in opened.diagnostics] == ["KPI318"]
    results = evaluate_ledger(opened.ledger, file_provenance(repo.ledger))
    assert on_time(results) == (D(100), D("90.00"))  # not measured: no deduction
    assert [(x.file, x.code, x.args, x.line) for x in results.notices] == [
        ("periods.yaml", "KPI502", {"period": "2026-02", "due": "2026-02-30 17:30"}, 1)
    ]
