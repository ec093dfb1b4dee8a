"""`open_ledger` on small ledgers: the shared files are read first and every record is checked
against them; `only` narrows what is reported, not what is read; duplicates; closed periods
frozen against uncommitted changes; one record per key counts (the highest correction)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pytest
from conftest import (
    SMALL_LEDGER,
    SMALL_ORG,
    SMALL_SCHEME,
    record,
    record_from_yaml,
    write_files,
)
from gitrepo import Repo

import kpiledger.check.folders as folders_module
from kpiledger.check.ledger import Opened, open_ledger, winners
from kpiledger.model import Record

LedgerDir = Callable[[Mapping[str, str]], Path]

JAN_E1 = "2026-01/t1/E1.yaml"  # January is closed
FEB_E1 = "2026-02/t1/E1.yaml"
FEB_E2 = "2026-02/t1/E2.yaml"
UNTITLED = SMALL_SCHEME.replace("title: 销售员月度考核\n", "")  # one schema error: no title


def opened(
    root: Path,
    only: Iterable[str] | None = None,
    *,
    want_records: bool = True,
    changes: dict[str, str] | None = None,
) -> Opened:
    """The ledger opened without the cache (each test writes a new one)."""
    return open_ledger(root, only, use_cache=False, want_records=want_records, changes=changes)


def found(o: Opened) -> list[tuple[str, str, int | None, int | None]]:
    """(file, code, line, column) of every diagnostic, in the order reported."""
    return [(x.file, x.code, x.line, x.column) for x in o.diagnostics]


def test_a_clean_ledger_builds_org_calendar_schemes_and_records(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            **record("2026-02", "E4", {"result": 70}, unit="t2"),
            **record("2026-02", "E1", {"result": 80}),
        }
    )
    o = opened(root)
    assert o.diagnostics == []
    ledger = o.ledger
    assert ledger.root == str(root)
    assert ledger.org.company == "测试公司" and ledger.org.hr == ("E0001",)
    assert list(ledger.org.people) == ["E0001", "E0002", "E1", "E2", "E3", "E4"]
    assert ledger.org.people["E4"].unit == "t2" and ledger.org.people["E4"].assessor == "E0002"
    assert ledger.org.ancestors("t2") == ["t2", "sales", "company"]
    assert list(ledger.calendar.periods) == ["2026-01", "2026-02", "2026-03", "2026-Q1"]
    assert ledger.calendar.timezone == "Asia/Shanghai"
    assert ledger.calendar.periods["2026-01"].status == "closed"
    assert ledger.calendar.periods["2026-02"].due == "2026-03-05 17:30"  # text, as written
    assert ledger.calendar.periods["2026-Q1"].due is None
    assert list(ledger.schemes) == ["sales"]
    assert ledger.schemes["sales"].file == "schemes/sales.yaml"
    # records sorted by path, built from their documents
    assert [(r.file, r.assessee, r.unit, r.role, r.author, r.items) for r in ledger.records] == [
        (FEB_E1, "E1", "t1", "superior", "E0002", {"result": 80}),
        ("2026-02/t2/E4.yaml", "E4", "t2", "superior", "E0002", {"result": 70}),
    ]
    # a caller that only wants the diagnostics gets no records
    assert opened(root, want_records=False).ledger.records == ()


def test_records_are_checked_against_the_shared_files(ledger_dir: LedgerDir) -> None:
    files = {
        **SMALL_LEDGER,
        **record("2026-02", "E9", {"result": 80}),  # nobody in org.yaml
        **record("2026-02", "E2", {"result": 80}, author="E0001"),  # not E2's assessor
        **record("2026-02", "E3", {"result": 80}, scheme="nope"),
    }
    root = ledger_dir(files)
    assert found(opened(root)) == [
        (FEB_E2, "KPI304", 6, 9),  # author: E0001
        ("2026-02/t1/E3.yaml", "KPI301", 2, 9),  # scheme: nope
        ("2026-02/t1/E9.yaml", "KPI301", 4, 11),  # assessee: E9
    ]
    # the same records against another org chart: E9 exists and E0001 assesses E2
    org = SMALL_ORG.replace(
        "  - {id: E2, name: 乙, unit: t1, title: 销售员, assessor: E0002}\n",
        "  - {id: E2, name: 乙, unit: t1, title: 销售员, assessor: E0001}\n"
        "  - {id: E9, name: 壬, unit: t1, title: 销售员, assessor: E0002}\n",
    )
    root = ledger_dir({**files, "org.yaml": org})
    assert found(opened(root)) == [("2026-02/t1/E3.yaml", "KPI301", 2, 9)]


def test_a_scheme_with_a_schema_error_is_left_out_and_says_so_once(
    ledger_dir: LedgerDir,
) -> None:
    """Its records do not each say "unknown scheme" (the scheme is there, only broken): the
    scheme file says once that its records wait for it."""
    root = ledger_dir(
        {**SMALL_LEDGER, "schemes/sales.yaml": UNTITLED, **record("2026-02", "E1", {"result": 80}),
         **record("2026-02", "E2", {"result": 70})}
    )
    o = opened(root)
    assert found(o) == [("schemes/sales.yaml", "KPI201", 1, 1),
                        ("schemes/sales.yaml", "KPI339", 1, 1)]
    assert o.diagnostics[0].args == {"name": "title"}
    assert o.ledger.schemes == {}
    # still read, for the site to show
    assert [r.file for r in o.ledger.records] == [FEB_E1, FEB_E2]


def test_scheme_ids_are_unique_and_match_their_file_names(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            "schemes/zz-copy.yaml": SMALL_SCHEME,  # id: sales again
            "schemes/renamed.yaml": SMALL_SCHEME.replace("id: sales", "id: renamed-wrongly"),
        }
    )
    o = opened(root)
    assert found(o) == [
        ("schemes/renamed.yaml", "KPI302", 1, 5),
        ("schemes/zz-copy.yaml", "KPI312", 1, 5),
    ]
    assert o.diagnostics[0].args["expected"] == "schemes/renamed-wrongly.yaml"
    assert o.diagnostics[1].args["where"] == "schemes/sales.yaml"  # the first one stays
    assert sorted(o.ledger.schemes) == ["renamed-wrongly", "sales"]
    assert o.ledger.schemes["sales"].file == "schemes/sales.yaml"


def test_missing_org_chart_and_calendar(ledger_dir: LedgerDir) -> None:
    root = ledger_dir({"schemes/sales.yaml": SMALL_SCHEME})
    o = opened(root)
    assert [(f, c) for f, c, _, _ in found(o) if c == "KPI100"] == [
        ("org.yaml", "KPI100"),
        ("periods.yaml", "KPI100"),
    ]
    assert o.ledger.org.people == {} and o.ledger.calendar.periods == {}


def test_files_outside_the_layout_are_named_and_hidden_folders_skipped(
    ledger_dir: LedgerDir,
) -> None:
    feb_e1 = record("2026-02", "E1", {"result": 80})[FEB_E1]
    root = ledger_dir(
        {**SMALL_LEDGER, "2026-02/t1/E1.yml": feb_e1, ".drafts/2026-02/t1/E1.yaml": feb_e1}
    )
    o = opened(root)
    assert found(o) == [("2026-02/t1/E1.yml", "KPI313", 1, 1)]
    assert o.ledger.records == ()


def test_only_reports_the_named_files_and_the_shared_ones(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            "schemes/untitled.yaml": UNTITLED.replace("id: sales", "id: untitled"),
            **record("2026-02", "E1", {"result": 80}),
            **record("2026-02", "E2", {"result": 80}, author="E0001"),
        }
    )
    everything = found(opened(root))
    assert everything == [(FEB_E2, "KPI304", 6, 9), ("schemes/untitled.yaml", "KPI201", 1, 1),
                          ("schemes/untitled.yaml", "KPI339", 1, 1)]
    narrowed = opened(root, [FEB_E1])
    assert found(narrowed) == everything[1:]  # E2's problem is not E1's, the scheme's is
    # records outside the selection are still read: results and duplicates stay right
    assert [r.file for r in narrowed.ledger.records] == [FEB_E1, FEB_E2]
    assert found(opened(root, [FEB_E2])) == everything


def test_naming_a_closed_periods_record_submits_it(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            **record("2026-01", "E1", {"result": 60}),
            **record("2026-01", "E1", {"result": 65}, correction=1),
        }
    )
    assert opened(root).diagnostics == []  # outside git nothing is frozen
    assert found(opened(root, [JAN_E1])) == [(JAN_E1, "KPI309", 1, 9)]  # at `period:`
    assert opened(root, ["2026-01/t1/E1.correction-1.yaml"]).diagnostics == []


def test_duplicates_are_reported_on_the_later_file(ledger_dir: LedgerDir) -> None:
    elsewhere = "2026-02/t2/E1.yaml"
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            **record("2026-02", "E1", {"result": 80}),
            **record("2026-02", "E1", {"result": 10}, unit="t2"),  # same key, other folder
        }
    )
    o = opened(root)
    assert found(o) == [(elsewhere, "KPI316", 3, 7), (elsewhere, "KPI303", 4, 11)]
    assert o.diagnostics[1].args == {"other": FEB_E1}
    assert [(r.file, r.items) for r in o.ledger.records] == [(FEB_E1, {"result": 80})]
    assert opened(root, [FEB_E1]).diagnostics == []  # the duplicate is the other file's problem
    assert found(opened(root, [elsewhere])) == found(o)


def test_one_record_per_key_counts_the_highest_correction(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            **record("2026-01", "E1", {"result": 60}),
            **record("2026-01", "E1", {"result": 75}, correction=2),
            **record("2026-01", "E1", {"result": 70}, correction=1),
            **record("2026-01", "E2", {"result": 50}),
        }
    )
    o = opened(root)
    assert o.diagnostics == []  # corrections of a closed period are how it changes
    assert [(r.file, r.items) for r in o.ledger.records] == [
        ("2026-01/t1/E1.correction-2.yaml", {"result": 75}),
        ("2026-01/t1/E2.yaml", {"result": 50}),
    ]
    assert o.ledger.records[0].correction == {
        "reason": "录入错误",
        "approved_by": "E0001",
        "date": "2026-03-10",
    }


def test_winners_keep_the_first_original_by_path_and_sort_by_path() -> None:
    def built(files: dict[str, str]) -> list[Record]:
        return [record_from_yaml(text, rel) for rel, text in files.items()]

    here = built(record("2026-02", "E1", {"result": 80}))
    there = built(record("2026-02", "E1", {"result": 10}, unit="t2"))  # same key
    fixed = built(record("2026-02", "E1", {"result": 90}, unit="t2", correction=1))
    other = built(record("2026-02", "E2", {"result": 70}))
    assert winners(there + other + here) == here + other
    assert winners(here + fixed + there) == fixed
    assert winners([]) == []


# ---------------------------------------------------------------- closed periods in git


def small_repo(ledger_repo: Callable[..., Repo]) -> Repo:
    return ledger_repo(
        {
            **SMALL_LEDGER,
            **record("2026-01", "E1", {"result": 60}),
            **record("2026-02", "E1", {"result": 80}),
        }
    )


def test_uncommitted_changes_to_a_closed_period_are_refused(
    ledger_repo: Callable[..., Repo],
) -> None:
    repo = small_repo(ledger_repo)
    assert opened(repo.ledger).diagnostics == []  # committed: part of the frozen period
    repo.edit(JAN_E1, '"result": 60', '"result": 99')
    repo.edit(FEB_E1, '"result": 80', '"result": 99')  # February is open
    write_files(repo.ledger, record("2026-01", "E2", {"result": 50}))  # a new January record
    assert found(opened(repo.ledger)) == [
        (JAN_E1, "KPI309", 1, 9),
        ("2026-01/t1/E2.yaml", "KPI309", 1, 9),
    ]
    # naming the edited file reports it once (as submitted), not again as a change
    assert found(opened(repo.ledger, [JAN_E1])) == [(JAN_E1, "KPI309", 1, 9)]


def test_a_deleted_closed_record_is_refused_at_its_first_line(
    ledger_repo: Callable[..., Repo],
) -> None:
    repo = small_repo(ledger_repo)
    repo.remove(JAN_E1)
    o = opened(repo.ledger)
    assert found(o) == [(JAN_E1, "KPI309", 1, 1)]
    assert o.diagnostics[0].args == {"period": "2026-01"}
    # named on the command line, the deletion is still the change to refuse
    assert found(opened(repo.ledger, [JAN_E1])) == [(JAN_E1, "KPI309", 1, 1)]


def test_corrections_and_committed_changes_are_not_frozen(
    ledger_repo: Callable[..., Repo],
) -> None:
    repo = small_repo(ledger_repo)
    write_files(repo.ledger, record("2026-01", "E1", {"result": 70}, correction=1))
    assert opened(repo.ledger).diagnostics == []
    repo.edit(JAN_E1, '"result": 60', '"result": 99')
    assert [c for _, c, _, _ in found(opened(repo.ledger))] == ["KPI309"]
    repo.commit()  # once merged, the edit is history (the review refuses it before that)
    assert opened(repo.ledger).diagnostics == []


def test_changes_can_be_handed_in_instead_of_asking_git(ledger_dir: LedgerDir) -> None:
    root = ledger_dir(
        {
            **SMALL_LEDGER,
            **record("2026-01", "E1", {"result": 60}),
            **record("2026-02", "E1", {"result": 80}),
        }
    )
    assert found(opened(root, changes={JAN_E1: " M", FEB_E1: " M"})) == [
        (JAN_E1, "KPI309", 1, 9)
    ]
    assert found(opened(root, changes={JAN_E1: "??"})) == [(JAN_E1, "KPI309", 1, 9)]
    # files that are not records, and periods the calendar lacks, are not frozen
    assert opened(root, changes={"org.yaml": " M", "2025-12/t1/E1.yaml": " D"}).diagnostics == []


def test_records_share_the_ids_and_keys_they_repeat(
    ledger_dir: LedgerDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory grows with the content of the records, not with how often an id recurs: the
    period, scheme, unit and people of every record, and the keys of their items, are one
    string each (issue 17: 120,000 records held ~1 KB each less) — also when the records come
    back from the worker processes, where each period's records are pickled together."""
    files = dict(SMALL_LEDGER)
    for e in ("E1", "E2", "E3"):
        files.update(record("2026-02", e, {"result": 80}))
    root = ledger_dir(files)
    monkeypatch.setattr(folders_module, "PARALLEL_FROM", 1)  # through the process pool
    records = opened(root).ledger.records
    assert len(records) == 3
    first = records[0]
    for other in records[1:]:
        assert other.period is first.period and other.scheme is first.scheme
        assert other.unit is first.unit and other.author is first.author
        assert next(iter(other.items)) is next(iter(first.items))
