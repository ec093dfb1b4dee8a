"""Appeals (申诉) and HR's decisions, as the checker reads them: the layout, the schema, the
result contested, the decision's completeness, the window and the open appeals of a person
or unit. On a copy of the example ledger (no git: who made a file is tested in
tests/test_appeals_git.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kpiledger.check.appeals import appeal_deadline, late_appeals
from kpiledger.check.ledger import open_ledger
from kpiledger.load.layout import appeal_path, kind_of, parse_appeal_path
from kpiledger.model.appeals import open_appeals
from kpiledger.pipeline import check

LEDGER = Path(__file__).resolve().parents[1] / "ledger"
APPEAL = "2026-05/cs-team-1/E1101.appeal-1.yaml"
DECISION = "2026-05/cs-team-1/E1101.appeal-1.decision.yaml"
TEXT = ("period: 2026-05\nscheme: cs-agent\nassessee: E1101\nitems: [work]\n"
        "reason: 工作完成一项未计入我协助处理的 12 单售后\n")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(LEDGER, root)
    return root


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")


def codes(root: Path) -> list[tuple[str, str]]:
    return [(x.code, x.file) for x in check(root, use_cache=False)]


def test_the_layout_names_appeals_and_decisions() -> None:
    assert kind_of(APPEAL) == "appeal" and kind_of(DECISION) == "decision"
    where = parse_appeal_path(DECISION)
    assert where is not None and where.appeal == APPEAL and where.n == 1
    assert appeal_path("2026-05", "cs-team-1", "E1101", 1, decision=True) == DECISION
    assert kind_of("2026-05/cs-team-1/E1101.appeal-0.yaml") is None  # numbered from 1


def test_an_appeal_and_its_decision_are_read_and_checked(ledger: Path) -> None:
    write(ledger, APPEAL, TEXT)
    assert codes(ledger) == []
    opened = open_ledger(ledger, use_cache=False)
    (appeal,) = opened.ledger.appeals
    assert appeal.open and appeal.items == ("work",) and appeal.unit == "cs-team-1"
    assert open_appeals(opened.ledger.appeals, opened.ledger.org, person="E1101") == [appeal]
    assert open_appeals(opened.ledger.appeals, opened.ledger.org, unit="cs") == [appeal]
    assert open_appeals(opened.ledger.appeals, opened.ledger.org, unit="cs-team-2") == []
    assert open_appeals(opened.ledger.appeals, opened.ledger.org, person="E1102") == []
    write(ledger, DECISION, "decision: rejected\ndecided_by: E0001\nreason: 投诉经核实有效\n")
    assert codes(ledger) == []
    (decided,) = open_ledger(ledger, use_cache=False).ledger.appeals
    assert not decided.open and decided.decision is not None
    assert decided.decision.decision == "rejected"


def test_what_the_checker_finds_wrong(ledger: Path) -> None:
    # someone else's name in the file, a scheme the person is not assessed under, an item
    # the scheme lacks
    write(ledger, APPEAL, TEXT.replace("assessee: E1101", "assessee: E1102"))
    assert ("KPI302", APPEAL) in codes(ledger)
    write(ledger, APPEAL, TEXT.replace("cs-agent", "tech-dept"))
    assert ("KPI360", APPEAL) in codes(ledger)
    write(ledger, APPEAL, TEXT.replace("[work]", "[manners]"))
    assert codes(ledger) == [("KPI368", APPEAL)]
    write(ledger, APPEAL, TEXT.split("reason:")[0] + "reason: ' '\n")  # a reason is required
    assert [f for _, f in codes(ledger)] == [APPEAL]


def test_an_appeal_lives_in_its_results_unit_folder(ledger: Path) -> None:
    """The folder decides who reviews the file (CODEOWNERS): E1101's appeal in cs-team-2's
    folder would go to the wrong head. The checker names where it belongs."""
    elsewhere = "2026-05/cs-team-2/E1101.appeal-1.yaml"
    write(ledger, elsewhere, TEXT)
    found = [x for x in check(ledger, use_cache=False) if x.file == elsewhere]
    assert [x.code for x in found] == ["KPI369"]
    assert found[0].args["expected"] == APPEAL and found[0].args["units"] == "cs-team-1"
    assert APPEAL in found[0].message("zh") and (found[0].line, found[0].column) == (1, 1)
    (ledger / elsewhere).rename(ledger / APPEAL)
    assert codes(ledger) == []


def test_a_decision_must_be_whole_and_hrs(ledger: Path) -> None:
    # a decision with no appeal beside it
    write(ledger, DECISION, "decision: rejected\ndecided_by: E0001\nreason: 不成立\n")
    assert codes(ledger) == [("KPI363", DECISION)]
    write(ledger, APPEAL, TEXT)
    # rejected without a reason; decided by someone who is not HR
    write(ledger, DECISION, "decision: rejected\ndecided_by: E1100\n")
    assert sorted(codes(ledger)) == [("KPI365", DECISION), ("KPI366", DECISION)]
    # upheld without a correction of the result
    write(ledger, DECISION, "decision: upheld\ndecided_by: E0001\nreason: 投诉为恶意投诉\n")
    assert codes(ledger) == [("KPI364", DECISION)]
    base = (ledger / "2026-05/cs-team-1/E1101.yaml").read_text(encoding="utf-8")
    write(ledger, "2026-05/cs-team-1/E1101.correction-1.yaml",
          base.replace("  work: 9", "  work: 10") +
          "correction:\n  reason: 申诉成立\n  approved_by: E0001\n  date: 2026-06-09\n")
    assert codes(ledger) == []
    # a named correction must be there
    write(ledger, DECISION, "decision: upheld\ndecided_by: E0001\n"
          "correction: 2026-05/cs-team-1/E1101.correction-2.yaml\n")
    assert codes(ledger) == [("KPI364", DECISION)]


def test_the_window_counts_from_the_due_time_in_the_calendars_zone(ledger: Path) -> None:
    write(ledger, APPEAL, TEXT)
    led = open_ledger(ledger, use_cache=False).ledger
    (appeal,) = led.appeals
    # 2026-05 is due 2026-06-05 17:30 Asia/Shanghai (periods.yaml's pattern); the default
    # window is 5 days of 24 hours: until 2026-06-10 17:30 in Shanghai
    deadline = appeal_deadline(led, appeal)
    assert deadline == dt.datetime(2026, 6, 10, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    sha = "a" * 40
    assert late_appeals(led, {APPEAL: (sha, "2026-06-10T17:30:00+08:00")}) == []
    # a minute late, written in UTC: 09:31 UTC is 17:31 in Shanghai
    (late,) = late_appeals(led, {APPEAL: (sha, "2026-06-10T09:31:00+00:00")})
    assert late.code == "KPI362" and late.args["filed"] == "2026-06-10 17:31"
    assert late.args["deadline"] == "2026-06-10 17:30"
    # a scheme's own window
    scheme = ledger / "schemes/cs-agent.yaml"
    scheme.write_text(scheme.read_text(encoding="utf-8") + "appeals: {window_days: 7, from: due}\n",
                      encoding="utf-8")
    led = open_ledger(ledger, use_cache=False).ledger
    assert late_appeals(led, {APPEAL: (sha, "2026-06-10T09:31:00+00:00")}) == []
