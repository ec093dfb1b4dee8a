"""`kpi period open/close` and `kpi status` end to end: the example ledger in a real git
repository, commits dated as a submitter's would be, the real command line.

Hand-counted expectations: period 2026-07 under the example's pattern runs 2026-06-26 …
2026-07-25 and is due 2026-08-05 17:30 Asia/Shanghai (次月5日17:30). cs-team-1 has four
people (E1101–E1104), assessed by 林静 (E1100, github:linjing-cs)."""

from __future__ import annotations

import json
import re

from conftest import kpi
from gitrepo import LINJING, Repo, make_repo

DUE = "2026-08-05 17:30"


def _july(repo: Repo) -> None:
    done = kpi("period", "open", "2026-07", cwd=repo.ledger)
    assert done.returncode == 0, done.stderr
    repo.commit(message="开放 2026-07", when="2026-06-26T09:00:00+08:00")


def _record(repo: Repo, who: str) -> None:
    text = repo.read(f"2026-06/cs-team-1/{who}.yaml").replace("period: 2026-06", "period: 2026-07")
    repo.write(f"2026-07/cs-team-1/{who}.yaml", text)


def test_open_adds_the_period_by_the_pattern_and_keeps_every_comment(tmp_path) -> None:
    repo = make_repo(tmp_path)
    before = repo.read("periods.yaml")
    done = kpi("period", "open", "2026-07", cwd=repo.ledger)
    assert done.returncode == 0, done.stderr
    assert "已开放考核期 2026-07" in done.stderr
    after = repo.read("periods.yaml")
    comments = [line.strip() for line in before.splitlines() if line.strip().startswith("#")]
    assert comments and all(c in after for c in comments)
    assert "    month: {months_after: 1, day: 5, time: \"17:30\"} # 次月5日17:30" in after
    # placed after the last month, before the quarters: the file's order kept
    assert "  - id: 2026-06\n    status: open\n  - id: 2026-07\n    status: open\n" \
           "  - id: 2026-Q1\n" in after
    assert after.replace("  - id: 2026-07\n    status: open\n", "") == before
    # a year is written quoted, after the last year
    assert kpi("period", "open", "2027", cwd=repo.ledger).returncode == 0
    assert repo.read("periods.yaml").endswith('  - id: "2026"\n    status: open\n'
                                              '  - id: "2027"\n    status: open\n')
    assert kpi("check", cwd=repo.ledger).returncode == 0
    made = kpi("new", "2026-07", "--unit", "cs-team-1", cwd=repo.ledger)
    assert made.returncode == 0, made.stderr
    head = (repo.ledger / "2026-07/cs-team-1/E1101.yaml").read_text(encoding="utf-8")
    assert f"截止 {DUE}" in head


def test_open_refuses_what_is_no_period_and_says_so(tmp_path) -> None:
    repo = make_repo(tmp_path)
    before = repo.read("periods.yaml")
    done = kpi("period", "open", "2026-13", cwd=repo.ledger)
    assert done.returncode == 1 and "KPI341" in done.stderr
    again = kpi("period", "open", "2026-06", cwd=repo.ledger)
    assert again.returncode == 0 and "已是开放状态" in again.stderr
    assert repo.read("periods.yaml") == before
    # unknown periods everywhere say what to run
    for args in (("new", "2026-08", "--unit", "cs-team-1"), ("score", "--period", "2026-08"),
                 ("status", "2026-08")):
        out = kpi(*args, cwd=repo.ledger)
        assert out.returncode == 1, args
        assert "KPI340 考核期 2026-08 不在日历中：运行 kpi period open 2026-08" in out.stderr, args
    repo.write("2026-08/cs-team-1/E1101.yaml",
               repo.read("2026-06/cs-team-1/E1101.yaml").replace("2026-06", "2026-08"))
    checked = kpi("check", cwd=repo.ledger)
    assert checked.returncode == 1
    assert re.search(r"E1101\.yaml:4:9: KPI340 .*kpi period open 2026-08", checked.stdout), \
        checked.stdout


def test_close_refuses_with_records_missing_unless_a_reason_is_given(tmp_path) -> None:
    repo = make_repo(tmp_path)
    before = repo.read("periods.yaml")
    refused = kpi("period", "close", "2026-06", cwd=repo.ledger)
    assert refused.returncode == 1
    assert "KPI344 考核期 2026-06 还缺" in refused.stderr and "--reason" in refused.stderr
    assert repo.read("periods.yaml") == before
    reason = "华东、华南分部本月停业整顿，不考核"
    closed = kpi("period", "close", "2026-06", "--reason", reason, cwd=repo.ledger)
    assert closed.returncode == 0, closed.stderr
    after = repo.read("periods.yaml")
    assert f"  - id: 2026-06\n    status: closed\n    close_reason: {reason}\n" in after
    comments = [line.strip() for line in before.splitlines() if line.strip().startswith("#")]
    assert all(c in after for c in comments)
    assert kpi("check", cwd=repo.ledger).returncode == 0
    # a record for the closed period is now refused by the checker as before (KPI309)
    reopened = kpi("period", "open", "2026-06", cwd=repo.ledger)
    assert reopened.returncode == 0
    assert repo.read("periods.yaml") == before  # status back, the reason gone


def test_close_goes_through_once_everything_is_in(tmp_path) -> None:
    repo = make_repo(tmp_path)
    _july(repo)
    # only what 2026-07 needs from cs-team-1 … is far from everything: refused
    assert kpi("period", "close", "2026-07", cwd=repo.ledger).returncode == 1
    text = repo.read("periods.yaml")
    assert "  - id: 2026-07\n    status: open\n" in text


def test_status_lists_submitted_missing_and_late_and_exits_1_when_overdue(tmp_path) -> None:
    repo = make_repo(tmp_path)
    _july(repo)
    _record(repo, "E1101")
    repo.commit(LINJING, "E1101 2026-07", when="2026-08-01T10:00:00+08:00")  # on time
    before_due = kpi("status", "2026-07", "--at", "2026-08-04T12:00:00+08:00",
                     cwd=repo.ledger)
    assert before_due.returncode == 0, before_due.stderr
    assert f"截止 {DUE}（Asia/Shanghai），剩 1 天 5 小时" in before_due.stdout  # 1 d 5 h 30 min
    assert re.search(r"客服一组\s+考核人\s+4\s+1\s+3\s+0", before_due.stdout)

    _record(repo, "E1102")
    repo.commit(LINJING, "E1102 2026-07", when="2026-08-07T09:00:00+08:00")  # 1 d 15.5 h late
    after = kpi("status", "2026-07", "--at", "2026-08-07T10:00:00+08:00", "--format", "json",
                cwd=repo.ledger)
    assert after.returncode == 1, after.stderr
    doc = json.loads(after.stdout)
    [july] = doc["periods"]
    assert july["overdue"] is True and july["seconds_left"] == -(40 * 3600 + 30 * 60)
    [row] = [r for r in july["rows"] if r["unit"] == "cs-team-1" and r["role"] == "superior"]
    assert (row["expected"], row["submitted"]) == (4, 2)
    assert [m["assessee"] for m in row["missing"]] == ["E1103", "E1104"]
    assert [m["logins"] for m in row["missing"]] == [["linjing-cs"], ["linjing-cs"]]
    assert [(x["assessee"], x["days_late"]) for x in row["late"]] == [("E1102", 2)]

    text = kpi("status", "2026-07", "--at", "2026-08-07T10:00:00+08:00", "--lang", "en",
               cwd=repo.ledger)
    assert text.returncode == 1
    assert "overdue by 1 d 16 h" in text.stdout
    assert "late cs-team-1" not in text.stdout and "2 d late" in text.stdout

    md = kpi("status", "2026-07", "--at", "2026-08-07T10:00:00+08:00", "--format", "markdown",
             cwd=repo.ledger)
    assert md.returncode == 1
    assert "| 客服一组 | 考核人 | 4 | 2 | 2 | 1 | @linjing-cs |" in md.stdout
    missing = "- 未交 客服一组 · 考核人：李娜（E1103）、刘洋（E1104） — 填写人 林静（E1100）"
    assert missing in md.stdout
    assert "- 迟交 客服一组 · 考核人：王磊（E1102） 迟 2 天（2026-07/cs-team-1/E1102.yaml）" \
        in md.stdout
