"""`kpi review` end to end: real git repositories, people committing as themselves, and the
allowed/refused matrix of the "pull requests as submissions" issue."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import (
    FANZHIWEI,
    HEJUN,
    HR,
    LINJING,
    LUOMIN,
    WANGTAO,
    Repo,
    make_repo,
)

from kpiledger.review.findings import Review
from kpiledger.review.report import render
from kpiledger.review.run import review

HUANGXIAOLING = "huangxiaoling@example.com"  # E1001, reviewer of branch-east-cs and cs-team-1
CS_TEAM_1 = "org/cs-team-1.yaml"  # the unit's file: the unit and its people
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)  # before the open periods' due times
E1101_MAY = "2026-05/cs-team-1/E1101.yaml"


@pytest.fixture(scope="module")
def base_repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    return make_repo(tmp_path_factory.mktemp("review"))


@pytest.fixture
def repo(base_repo: Repo, request: pytest.FixtureRequest) -> Repo:
    """A fresh branch from main for each test (the repository is made once)."""
    base_repo.git("checkout", "-q", "-f", "main")
    base_repo.git("clean", "-qfd")
    base_repo.branch(re.sub(r"\W", "-", request.node.name))
    return base_repo


def check(repo: Repo, actor: str | None = None) -> Review:
    return review(repo.ledger, "main", actor, now=NOW)


def refused(r: Review) -> list[str]:
    return [f"{x.where}: {x.why_en} | {x.instead_en}" for x in r.refusals]


# ---------------------------------------------------------------------------------- allowed


def test_assessor_writes_superior_record(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(LINJING)
    r = check(repo, actor="linjing-cs")
    assert r.refusals == []
    assert not r.failed
    assert [c.assessee for c in r.changes] == ["E1101"]
    assert r.changes[0].before["total"] != r.changes[0].after["total"]


def test_correction_of_closed_period_is_accepted(repo: Repo) -> None:
    """The assessor submits; the approver named in it approves with a commit of their own
    (approving is an act, docs/trust.md); the signatures of the corrected record are not
    copied: a signature is its signer's own commit too."""
    text = repo.read("2026-04/branch-east-cs/E3101.yaml").split("signatures:")[0]
    text += "correction:\n  reason: 录入错误\n  approved_by: E1001\n  date: 2026-05-09\n"
    repo.write("2026-04/branch-east-cs/E3101.correction-1.yaml", text)
    repo.commit(WANGTAO)
    repo.edit("2026-04/branch-east-cs/E3101.correction-1.yaml", "2026-05-09", "2026-05-10")
    repo.commit(HUANGXIAOLING, "批准更正")
    r = check(repo)
    assert r.refusals == [], refused(r)


def test_self_record_by_assessee_and_group_record_by_group(repo: Repo) -> None:
    repo.edit("2026-05/branch-east-cs/E3102.self.yaml", "comment:", "comment: 补充。")
    repo.commit(FANZHIWEI)
    repo.write("2026-05/branch-east-cs/E3101.group.yaml",
               repo.read("2026-05/branch-east-cs/E3101.group.yaml") + "\n")
    repo.commit(LUOMIN)
    r = check(repo)
    assert r.refusals == [], refused(r)


# ---------------------------------------------------------------------------------- refused


def test_another_manager_is_refused_naming_the_assessor(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(HEJUN)
    r = check(repo)
    assert r.failed
    [x] = r.refusals
    assert x.where == f"ledger/{E1101_MAY}"
    assert "E1200" in x.why_en
    assert "E1100" in x.instead_en and "@linjing-cs" in x.instead_en


def test_actor_must_be_allowed_too(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(LINJING)
    r = check(repo, actor="hejun-cs")  # pushed by someone else
    assert any("E1200" in x.why_en and "E1100" in x.instead_en for x in r.refusals)


def test_self_record_by_someone_else(repo: Repo) -> None:
    repo.edit("2026-05/branch-east-cs/E3101.self.yaml", "comment:", "comment: 代写。")
    repo.commit(FANZHIWEI)
    r = check(repo)
    [x] = r.refusals
    assert "E3102" in x.why_en and "E3101" in x.instead_en


def test_group_record_by_non_member(repo: Repo) -> None:
    repo.write("2026-05/branch-east-cs/E3101.group.yaml",
               repo.read("2026-05/branch-east-cs/E3101.group.yaml") + "\n")
    repo.commit(LINJING)
    r = check(repo)
    [x] = r.refusals
    assert "E1002" in x.instead_en and "E0002" in x.instead_en


def test_data_record_by_non_member(repo: Repo) -> None:
    text = repo.read("2026-03/call-centre/call-centre.data-finance.yaml")
    repo.write("2026-05/call-centre/call-centre.data-finance.yaml",
               text.replace("period: 2026-03", "period: 2026-05"))
    repo.commit(LINJING)
    r = check(repo)
    [x] = [x for x in r.refusals if "data-finance" in x.where]
    assert "finance" in x.why_en
    assert "E0301" in x.instead_en  # the finance department's people


def test_scheme_edit_by_non_hr(repo: Repo) -> None:
    repo.write("schemes/cs-agent.yaml", repo.read("schemes/cs-agent.yaml") + "# 改\n")
    repo.commit(LINJING)
    r = check(repo)
    [x] = r.refusals
    assert x.where == "ledger/schemes/cs-agent.yaml"
    assert "E0001" in x.instead_en and "E0002" in x.instead_en


def test_scheme_edit_by_hr_is_allowed(repo: Repo) -> None:
    repo.write("schemes/cs-agent.yaml", repo.read("schemes/cs-agent.yaml") + "# 改\n")
    repo.commit(HR)
    r = check(repo, actor="zhoulishan")
    assert r.refusals == []


def test_unknown_email(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit("mallory@evil.example")
    r = check(repo)
    assert any(x.where.startswith("commit ") and "mallory@evil.example" in x.why_en
               for x in r.refusals)


def test_unknown_actor(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(LINJING)
    r = check(repo, actor="mallory")
    assert any(x.where == "@mallory" for x in r.refusals)


def _reassign_e1101(repo: Repo, assessor: str) -> None:
    org = repo.read(CS_TEAM_1)
    repo.write(CS_TEAM_1, re.sub(r"(- id: E1101\n(?:.*\n)*?    assessor: )E1100",
                                 rf"\g<1>{assessor}", org, count=1))


def test_pull_request_cannot_grant_itself_permissions(repo: Repo) -> None:
    _reassign_e1101(repo, "E1200")
    repo.edit(E1101_MAY, "author: E1100", "author: E1200")
    repo.commit(HEJUN)
    r = check(repo)
    where = {x.where for x in r.refusals}
    assert f"ledger/{CS_TEAM_1}" in where  # only HR and the unit's reviewers edit its file
    assert f"ledger/{E1101_MAY}" in where  # and the base's org chart still says E1100


def test_a_units_reviewer_edits_the_units_file_but_grants_nothing_at_once(repo: Repo) -> None:
    # 黄晓玲 (E1001) reviews cs-team-1: she may change who assesses her people ...
    _reassign_e1101(repo, "E1200")
    repo.commit(HUANGXIAOLING)
    repo.edit(E1101_MAY, "author: E1100", "author: E1200")
    repo.commit(HEJUN)
    where = {x.where for x in check(repo).refusals}
    assert f"ledger/{CS_TEAM_1}" not in where
    # ... but a record written under the new assignment waits for the chart at REF
    assert f"ledger/{E1101_MAY}" in where


def test_a_units_reviewer_cannot_change_who_people_are(repo: Repo) -> None:
    # her own login on someone else's identities would make her commits count as theirs
    repo.edit(CS_TEAM_1, "identities: [zhangxiaoyan@example.com]",
              'identities: [zhangxiaoyan@example.com, "github:hxl-cs"]')
    repo.commit(HUANGXIAOLING)
    refusals = [x for x in check(repo).refusals if x.where == f"ledger/{CS_TEAM_1}"]
    assert len(refusals) == 1 and "identities" in refusals[0].why_en
    assert "E0001" in refusals[0].instead_en  # HR submits that part


def test_edit_of_closed_period(repo: Repo) -> None:
    repo.write("2026-04/branch-east-cs/E3101.yaml",
               repo.read("2026-04/branch-east-cs/E3101.yaml") + "# 改\n")
    repo.commit(WANGTAO)
    r = check(repo)
    [x] = r.refusals
    assert "closed" in x.why_en
    assert "E3101.correction-1.yaml" in x.instead_en


def test_correction_needs_an_approver(repo: Repo) -> None:
    text = repo.read("2026-04/branch-east-cs/E3101.yaml").split("signatures:")[0]
    text += "correction:\n  reason: 录入错误\n  approved_by: E3100\n  date: 2026-05-10\n"
    repo.write("2026-04/branch-east-cs/E3101.correction-1.yaml", text)
    repo.commit(WANGTAO)
    r = check(repo)
    [x, own] = r.refusals  # not an approver, and the author approving their own correction
    assert "approved_by" in x.why_en and "E0001" in x.instead_en
    assert "also the correction's author" in own.why_en


def test_delete_is_reported_and_refused(repo: Repo) -> None:
    (repo.ledger / "2026-05/cs-team-1/E1104.yaml").unlink()
    repo.commit(LINJING)
    r = check(repo)
    assert r.deleted == ["ledger/2026-05/cs-team-1/E1104.yaml"]
    [x] = r.refusals
    assert "HR" in x.why_en and "E0001" in x.instead_en
    assert "Deleted files" in render(r, "en")


def test_delete_by_hr_is_reported_but_allowed(repo: Repo) -> None:
    (repo.ledger / "2026-05/cs-team-1/E1104.yaml").unlink()
    repo.commit(HR)
    r = check(repo)
    assert r.refusals == []
    assert r.deleted == ["ledger/2026-05/cs-team-1/E1104.yaml"]


def test_problems_in_changed_files_fail_with_their_line(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: lots")
    repo.commit(LINJING)
    r = check(repo)
    assert r.refusals == []
    assert r.failed
    assert all(x.file == E1101_MAY for x in r.diagnostics)
    text = render(r, "en")
    line = next(i for i, t in enumerate(repo.read(E1101_MAY).splitlines(), 1) if "lots" in t)
    assert f"ledger/{E1101_MAY}:{line}:" in text


# ---------------------------------------------------------------------------------- summary


LOW = {
    "conversion": "{numerator: 1, denominator: 376}",
    "payment": "{numerator: 1, denominator: 337}",
    "unit_price": "{numerator: 1, denominator: 123.96}",
    "reply_rate": "{numerator: 1, denominator: 455}",
    "response_time": "300",
    "work": "0",
    "attitude": "0",
    "suggestions": "0",
}


def make_low(repo: Repo, rel: str) -> None:
    text = repo.read(rel)
    for item, value in LOW.items():
        text = re.sub(rf"(?m)^  {item}: .*$", f"  {item}: {value}", text)
    repo.write(rel, text)


def test_summary_shows_rank_change_and_elimination(repo: Repo) -> None:
    make_low(repo, "2026-05/cs-team-1/E1102.yaml")
    make_low(repo, "2026-06/cs-team-1/E1102.yaml")
    repo.commit(LINJING)
    r = check(repo)
    assert r.refusals == [], refused(r)
    mine = [c for c in r.changes if c.assessee == "E1102"]
    assert mine and all(float(c.after["total"]) < 35 for c in mine)
    assert any(c.before["rank"] != c.after["rank"] for c in r.changes)
    assert any(e["assessee"] == "E1102" and e["outcome"] == "淘汰" for e in r.triggered)
    text = render(r, "en")
    assert "Rule events" in text and "triggered" in text
    # schemes, amounts and rules by their titles: a reviewer never reads an id
    assert "Two consecutive totals below 35 → eliminated" in text
    assert "| Customer-service agent KPI sheet |" in text and "Performance pay " in text
    assert "two-below-35" not in text and "cs-agent" not in text and "perf_pay" not in text
    chinese = render(r, "zh")
    assert "连续两次分数低于35分，淘汰" in chinese and "| 客服部客服绩效考核表 |" in chinese
    assert "绩效工资（指标考核） " in chinese and "perf_pay" not in chinese
    assert re.search(r"\d+/\d+ → \d+/\d+", text)  # a rank moved


def test_reverting_clears_the_event(repo: Repo) -> None:
    make_low(repo, "2026-05/cs-team-1/E1102.yaml")
    make_low(repo, "2026-06/cs-team-1/E1102.yaml")
    repo.commit(LINJING)
    repo.git("checkout", "-q", "-B", "main-low")
    repo.branch("fix", "main-low")
    repo.git("checkout", "-q", "main", "--", "ledger/2026-06/cs-team-1/E1102.yaml")
    repo.commit(LINJING)
    r = review(repo.ledger, "main-low", None, now=NOW)
    assert any(e["assessee"] == "E1102" for e in r.cleared)
    repo.git("branch", "-q", "-D", "main-low")


def test_late_submission_is_listed(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(LINJING)
    r = review(repo.ledger, "main", None, now=dt.datetime(2026, 6, 8, tzinfo=dt.UTC))
    assert [p for p, _, _ in r.late] == [f"ledger/{E1101_MAY}"]
    assert "Late submissions" in render(r, "en")


def test_user_text_is_escaped_in_the_summary(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit("<script>|x@evil.example")
    text = render(check(repo), "en")
    assert "script\\|x@evil.example" in text  # a table cell cannot be broken open
    assert "<script" not in text.replace("<sub>", "").replace("</sub>", "")


# ------------------------------------------------------------------------------ command line


def test_command_writes_the_step_summary_and_exits_1(repo: Repo, tmp_path: Path) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(HEJUN)
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ACTIONS": ""}
    done = subprocess.run(
        [sys.executable, "-m", "kpiledger", "review", "--base", "main", "--actor", "hejun-cs",
         "--ledger", str(repo.ledger), "--lang", "en"],
        cwd=repo.path, capture_output=True, text=True, env=env, check=False,
    )
    assert done.returncode == 1, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert "Refused" in text and "E1100" in text
    assert "refused" in done.stdout


def test_command_passes_a_clean_change(repo: Repo) -> None:
    repo.edit(E1101_MAY, "  work: 9", "  work: 10")
    repo.commit(LINJING)
    # a person's own run (outside CI, where --actor is required): identity from the commits
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_STEP_SUMMARY", "CI")}
    done = subprocess.run(
        [sys.executable, "-m", "kpiledger", "review", "--base", "main", "--lang", "en"],
        cwd=repo.path, capture_output=True, text=True, env=env, check=False,
    )
    assert "OK to merge" in done.stdout
    # exit 0 unless the run is late against the calendar (the clock is not NOW here)
    assert done.returncode == 0, done.stdout + done.stderr
