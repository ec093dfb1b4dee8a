"""Appeals end to end in real git repositories: an appeal is the assessee's own commit and
HR's decision is HR's (the review refuses anyone else's); the window is measured from when
the appeal landed on main, in the calendar's zone (on time at the deadline, late a minute
after); upheld comes with a correction, rejected with a reason; open appeals keep the period
from closing as final and mark the bulletin 非最终; every step is on the audit page and the
person's page with the commit that proves it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

from gitrepo import HR, LINJING, Repo, make_repo
from test_site_proof import build, text

from kpiledger.pipeline import check, evaluate
from kpiledger.review.run import review

NOW = dt.datetime(2026, 6, 8, 12, 0, tzinfo=dt.UTC)
ZHANGXIAOYAN = "zhangxiaoyan@example.com"  # E1101, assessed by LINJING (E1100)
WANGLEI = "wanglei@example.com"  # E1102
CHENJIAN = "chenjian@example.com"  # E0002, HR too
APPEAL = "2026-05/cs-team-1/E1101.appeal-1.yaml"
DECISION = "2026-05/cs-team-1/E1101.appeal-1.decision.yaml"
APPEAL_TEXT = ("period: 2026-05\nscheme: cs-agent\nassessee: E1101\nitems: [work]\n"
               "reason: 工作完成一项未计入我协助处理的 12 单售后\n")
CORRECTION = "2026-05/cs-team-1/E1101.correction-1.yaml"


def whys(repo: Repo) -> list[str]:
    return [f"{x.where}: {x.why_en}" for x in review(repo.ledger, "main", None, now=NOW).refusals]


def kpi(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpiledger", *args, "--ledger", "ledger"],
                          cwd=repo.path, capture_output=True, text=True, check=False)


def codes(repo: Repo) -> list[tuple[str, str]]:
    return [(x.code, x.file) for x in check(repo.ledger, use_cache=False)]


def test_an_appeal_is_the_assessees_own_act(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    # the assessor files an appeal in the assessee's name: refused
    repo.branch("by-assessor")
    repo.write(APPEAL, APPEAL_TEXT)
    repo.commit(LINJING, "替张晓燕申诉")
    found = whys(repo)
    assert any(APPEAL in x and "may not write this file" in x and "E1101 themself" in x
               for x in found), found
    # the assessee files it themself: accepted
    repo.branch("by-assessee")
    repo.write(APPEAL, APPEAL_TEXT)
    repo.commit(ZHANGXIAOYAN, "申诉")
    assert whys(repo) == []


def test_a_decision_is_hrs_own_act(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    repo.write(APPEAL, APPEAL_TEXT)
    repo.commit(ZHANGXIAOYAN, "申诉")
    decision = "decision: rejected\ndecided_by: E0001\nreason: 售后工单不属于本指标\n"
    # the assessor types HR's decision: refused twice over (not HR's file; no commit by
    # the decider)
    repo.branch("by-assessor")
    repo.write(DECISION, decision)
    repo.commit(LINJING, "裁定")
    found = whys(repo)
    assert any("may not write this file" in x and "HR decides appeals" in x for x in found)
    assert any("no commit in this pull request is theirs" in x for x in found), found
    # one HR person commits a decision naming the other: refused
    repo.branch("other-hr")
    repo.write(DECISION, decision.replace("E0001", "E0002"))
    repo.commit(HR, "裁定")
    assert any("deciding is their own act" in x for x in whys(repo))
    # HR decides in their own name: accepted
    repo.branch("by-hr")
    repo.write(DECISION, decision)
    repo.commit(HR, "裁定：驳回")
    assert whys(repo) == []


def test_the_window_in_the_calendars_zone(tmp_path: Path) -> None:
    """2026-05 is due 2026-06-05 17:30 in Asia/Shanghai; the default window of 5 days ends
    2026-06-10 17:30 there. The appeal landing at that minute is on time, the one landing a
    minute later (09:31 UTC = 17:31 in Shanghai) is late."""
    repo = make_repo(tmp_path)
    repo.write(APPEAL, APPEAL_TEXT)
    repo.commit(ZHANGXIAOYAN, "申诉", when="2026-06-10T17:30:00+08:00")
    late = "2026-05/cs-team-1/E1102.appeal-1.yaml"
    repo.write(late, APPEAL_TEXT.replace("E1101", "E1102"))
    sha = repo.commit(WANGLEI, "申诉", when="2026-06-10T09:31:00+00:00")
    notices = [x for x in evaluate(repo.ledger, use_cache=False).results.notices
               if x.code == "KPI362"]
    assert [x.file for x in notices] == [late]
    assert notices[0].args["filed"] == "2026-06-10 17:31"
    assert notices[0].args["deadline"] == "2026-06-10 17:30"
    assert notices[0].args["commit"] == sha[:8]
    audit = text(build(repo) / "audit" / "index.html")
    assert "2026-06-10 17:30" in audit and "在申诉期内" in audit
    assert f"2026-06-10 17:31 {sha[:8]} · ⚠ 已过申诉期限" in audit, audit


def test_upheld_with_a_correction_rejected_with_a_reason(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    repo.write(APPEAL, APPEAL_TEXT)
    filed = repo.commit(ZHANGXIAOYAN, "申诉")
    status = kpi(repo, "status", "2026-05")
    assert "未裁定的申诉（1 件" in status.stdout and APPEAL in status.stdout, status.stdout
    shown = json.loads(kpi(repo, "status", "--format", "json").stdout)
    waiting = shown["appeals"]
    assert [(x["assessee"], x["file"]) for x in waiting] == [("E1101", APPEAL)]
    # and among what is still open for the person and the unit
    assert [(x["assessee"], x["unit"], x["period"]) for x in shown["open"]
            if x["kind"] == "appeal"] == [("E1101", "cs-team-1", "2026-05")]
    # HR upholds it, but no correction comes with it yet
    repo.write(DECISION, "decision: upheld\ndecided_by: E0001\nreason: 售后工单应计入\n"
               f"correction: {CORRECTION}\n")
    decided = repo.commit(HR, "裁定：支持")
    assert codes(repo) == [("KPI364", DECISION)]
    # the assessor submits the correction, HR approves it with their own commit
    base = repo.read("2026-05/cs-team-1/E1101.yaml")
    repo.write(CORRECTION, base.replace("  work: 9", "  work: 10") +
               "correction:\n  reason: 申诉成立\n  approved_by: E0001\n  date: 2026-06-09\n")
    repo.commit(LINJING, "更正")
    repo.edit(CORRECTION, "date: 2026-06-09", "date: 2026-06-10")
    repo.commit(HR, "批准更正")
    assert codes(repo) == []
    assert "未裁定的申诉" not in kpi(repo, "status", "2026-05").stdout
    assert not [x for x in json.loads(kpi(repo, "status", "--format", "json").stdout)["open"]
                if x["kind"] == "appeal"]
    # a second appeal, rejected without a reason, then with one
    second = "2026-05/cs-team-1/E1101.appeal-2.yaml"
    repo.write(second, APPEAL_TEXT.replace("items: [work]\n", ""))
    repo.commit(ZHANGXIAOYAN, "再次申诉")
    repo.write(second.replace(".yaml", ".decision.yaml"), "decision: rejected\n"
               "decided_by: E0002\n")
    repo.commit(CHENJIAN, "驳回")
    assert codes(repo) == [("KPI365", second.replace(".yaml", ".decision.yaml"))]
    repo.write(second.replace(".yaml", ".decision.yaml"), "decision: rejected\n"
               "decided_by: E0002\nreason: 已按第一次申诉更正\n")
    repo.commit(CHENJIAN, "驳回")
    assert codes(repo) == []
    site = build(repo)
    person = text(site / "people" / "E1101" / "index.html")
    # both steps with their proofs: the assessee's commit, HR's commit
    assert f"申诉人：张晓燕 · 本人提交 {filed[:8]}" in person, person
    assert f"支持申诉 售后工单应计入 周立山 · 本人提交 {decided[:8]}" in person, person
    assert "驳回 已按第一次申诉更正 陈戬 · 本人提交" in person, person
    assert CORRECTION in person
    audit = text(site / "audit" / "index.html")
    assert "申诉" in audit and "工作完成一项未计入我协助处理的 12 单售后" in audit
    assert re.search(r"申诉 · 未裁定的申诉", audit) is None  # all decided


Q1_APPEAL = "2026-Q1/cs-team-1/E1101.appeal-1.yaml"
Q1_TEXT = "period: 2026-Q1\nscheme: cs-skills\nassessee: E1101\nreason: 技能考核当天我在外培训\n"


def reopened_with_an_appeal(tmp_path: Path) -> Repo:
    """The example with 2026-Q1 (every record there) reopened and appealed by E1101."""
    repo = make_repo(tmp_path)
    assert kpi(repo, "period", "open", "2026-Q1").returncode == 0
    repo.write(Q1_APPEAL, Q1_TEXT)
    repo.commit(ZHANGXIAOYAN, "申诉")
    return repo


def test_open_appeals_block_the_period_closing_as_final(tmp_path: Path) -> None:
    repo = reopened_with_an_appeal(tmp_path)
    bulletin = kpi(repo, "bulletin", "2026-Q1").stdout
    assert bulletin.startswith("# 示例商贸有限公司 2026-Q1 绩效考核通报（非最终）"), bulletin
    assert "非最终：1 件申诉待人力资源裁定（张晓燕）" in bulletin
    refused = kpi(repo, "period", "close", "2026-Q1")
    assert refused.returncode == 1, refused.stderr
    assert "KPI367 考核期 2026-Q1 还有 1 件申诉未裁定（张晓燕（" in refused.stderr, refused.stderr
    assert "KPI344" not in refused.stderr  # every record is there: only the appeal stops it
    assert "status: open" in repo.read("periods.yaml").split("id: 2026-Q1")[1][:30]
    # decided: the bulletin is final and the period closes
    repo.write(Q1_APPEAL.replace(".yaml", ".decision.yaml"),
               "decision: rejected\ndecided_by: E0001\nreason: 培训为本人自行安排\n")
    repo.commit(HR, "裁定")
    bulletin = kpi(repo, "bulletin", "2026-Q1").stdout
    assert "非最终" not in bulletin and "2026-Q1 绩效考核通报" in bulletin
    done = kpi(repo, "period", "close", "2026-Q1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "status: closed" in repo.read("periods.yaml").split("id: 2026-Q1")[1][:30]


def test_closing_with_a_reason_while_an_appeal_waits(tmp_path: Path) -> None:
    repo = reopened_with_an_appeal(tmp_path)
    done = kpi(repo, "period", "close", "2026-Q1", "--reason", "年度审计截止，申诉另行处理")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 件申诉未裁定，原因：年度审计截止，申诉另行处理" in done.stderr, done.stderr
    assert "close_reason: 年度审计截止，申诉另行处理" in repo.read("periods.yaml")
    # the bulletin still says it is provisional
    assert "（非最终）" in kpi(repo, "bulletin", "2026-Q1").stdout
