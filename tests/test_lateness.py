"""Lateness from git: the first-parent commit that landed a record on main, against the due
time, in real repositories; author dates are ignored."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

from conftest import kpi

from kpiledger.calendar import due_moment
from kpiledger.model import Period
from kpiledger.score.lateness import days_late

LEDGER = Path(__file__).resolve().parent.parent / "ledger"
RECORD = "2026-02/prod/E2001.yaml"  # due 2026-03-05 17:30 (Asia/Shanghai)


def period(due: str) -> Period:
    return Period("2026-02", "month", "2026-01-26", "2026-02-25", due, "closed")


def test_days_late_counts_started_days_after_the_due_time() -> None:
    due = due_moment(period("2026-03-05 17:30"), "Asia/Shanghai")
    assert due == dt.datetime(2026, 3, 5, 17, 30, tzinfo=due.tzinfo)
    assert days_late("2026-03-05T17:30:00+08:00", due) == 0  # on the minute: on time
    assert days_late("2026-03-05T17:30:01+08:00", due) == 1
    assert days_late("2026-03-06T17:30:00+08:00", due) == 1  # exactly one day
    assert days_late("2026-03-06T17:30:01+08:00", due) == 2
    assert days_late("2026-03-05T09:31:00+00:00", due) == 1  # 17:31 in Shanghai
    # a bare date is due by the end of that day
    end_of_day = due_moment(period("2026-03-05"), "Asia/Shanghai")
    assert days_late("2026-03-05T23:59:59+08:00", end_of_day) == 0


def _git(repo: Path, *args: str, when: str | None = None, author_when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "赵志刚",
        "GIT_AUTHOR_EMAIL": "e2001@example.com",
        "GIT_COMMITTER_NAME": "forge",
        "GIT_COMMITTER_EMAIL": "forge@example.com",
    }
    if when:
        env["GIT_COMMITTER_DATE"] = when
        env["GIT_AUTHOR_DATE"] = author_when or when
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _ledger_with_late_deduction(repo: Path) -> Path:
    """The example's document-1 scheme, with its late-plan deduction measured from git."""
    root = repo / "ledger"
    (root / "schemes").mkdir(parents=True)
    for name in ("org.yaml", "periods.yaml"):
        shutil.copy(LEDGER / name, root / name)
    shutil.copytree(LEDGER / "org", root / "org")
    scheme = (LEDGER / "schemes" / "kpi-notice-2014-02.yaml").read_text(encoding="utf-8")
    scheme = scheme.replace("      floor: 0\n", "      floor: 0\n      late: late_day\n", 1)
    (root / "schemes" / "kpi-notice-2014-02.yaml").write_text(scheme, encoding="utf-8")
    return root


def _score(root: Path, tmp: Path) -> tuple[dict, str]:
    done = kpi("score", "--ledger", str(root), "--format", "json", cwd=tmp, cache=tmp / "cache")
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout), done.stderr


def _plan(results: dict) -> dict:
    entry = next(r for r in results["results"] if r["assessee"] == "E2001")
    return next(i for i in entry["items"] if i["id"] == "annual_plan")


def test_a_merge_two_days_late_costs_ten_points_whatever_the_author_date(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    root = _ledger_with_late_deduction(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "calendar and scheme", when="2026-01-20T09:00:00+08:00")
    # The assessor writes the record on a branch, claiming (author date) it was on time…
    _git(repo, "checkout", "-q", "-b", "submit")
    (root / "2026-02" / "prod").mkdir(parents=True)
    shutil.copy(LEDGER / RECORD, root / RECORD)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "2月考核：赵志刚", when="2026-03-04T10:00:00+08:00")
    # …but the pull request is merged on 2026-03-07 10:00: 1 day 16.5 hours after the due time.
    _git(repo, "checkout", "-q", "main")
    _git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "submit",
        "-m",
        "Merge pull request #3 from x/submit",
        when="2026-03-07T10:00:00+08:00",
        author_when="2026-03-01T10:00:00+08:00",
    )

    results, _ = _score(root, tmp_path)
    plan = _plan(results)
    # 100 − 2 started days × 5 = 90 (the record itself lists no omissions)
    assert plan["points"] == "90.00"
    assert "迟交 2 天" in plan["rule"]
    merge = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert merge[:8] in plan["rule"]
    # the same provenance is in the results: who added the record, when it landed, which PR
    entry = next(r for r in results["results"] if r["assessee"] == "E2001")
    assert entry["records"] == [
        {
            "file": RECORD,
            "added": {"commit": merge, "author": "赵志刚", "date": "2026-03-07T10:00:00+08:00",
                      "pr": 3},
            "changed": {"commit": merge, "author": "赵志刚",
                        "date": "2026-03-07T10:00:00+08:00", "pr": 3},
        }
    ]


def test_on_time_costs_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    root = _ledger_with_late_deduction(repo)
    (root / "2026-02" / "prod").mkdir(parents=True)
    shutil.copy(LEDGER / RECORD, root / RECORD)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "on time", when="2026-03-05T17:29:00+08:00")
    assert _plan(_score(root, tmp_path)[0])["points"] == "100.00"


def test_outside_git_it_scores_and_warns(tmp_path: Path) -> None:
    root = _ledger_with_late_deduction(tmp_path / "plain")
    (root / "2026-02" / "prod").mkdir(parents=True)
    shutil.copy(LEDGER / RECORD, root / RECORD)
    results, stderr = _score(root, tmp_path)
    assert _plan(results)["points"] == "100.00"
    assert "KPI501" in stderr and "未计算迟交" in stderr
