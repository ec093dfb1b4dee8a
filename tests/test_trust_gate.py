"""The gate, tried as a hostile contributor would (docs/trust.md): real git repositories,
people committing as themselves, the engine run from the base of the pull request."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from gitrepo import HEJUN, HR, LINJING, WANGTAO, Repo, make_repo

from kpiledger.forge.codeowners import render
from kpiledger.pipeline import evaluate
from kpiledger.review.run import review

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
PENGLEI = "penglei@example.com"  # E0601, the example's maintainer, github:penglei-it
ZHANGXIAOYAN = "zhangxiaoyan@example.com"  # E1101, assessed by LINJING (E1100)
SRC = Path(__file__).resolve().parents[1] / "src"
E1101 = "2026-05/cs-team-1/E1101.yaml"


def whys(repo: Repo, actor: str | None = None) -> list[str]:
    return [f"{x.where}: {x.why_en}" for x in review(repo.ledger, "main", actor, now=NOW).refusals]


def test_outside_the_ledger_only_maintainers_and_never_with_records(tmp_path) -> None:
    repo = make_repo(tmp_path)
    repo.branch("engine")
    (repo.path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    repo.commit(LINJING, "改网站配置")
    assert whys(repo) == ["mkdocs.yml: only a maintainer may change files outside the ledger "
                          "(by: E1100 林静 (@linjing-cs))"]
    repo.branch("engine-by-maintainer")
    (repo.path / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
    repo.commit(PENGLEI, "网站配置")
    assert whys(repo, "penglei-it") == []
    # ... but a maintainer's actor cannot carry anyone else's commit past the gate
    assert whys(repo, "linjing-cs") != []
    repo.edit(E1101, "  work: 9", "  work: 10")
    repo.commit(PENGLEI, "顺便改一条记录")
    found = whys(repo, "penglei-it")
    assert any("changes both files outside the ledger" in x for x in found), found


def test_a_pull_request_weakening_the_review_is_still_refused(tmp_path) -> None:
    """The repository holds its own engine. The pull request makes `kpi review` pass
    everything and sneaks in a record its author may not write. Run from the base checkout
    (as the workflow does: trusted/ installed, pr/ as data) it is refused; run from the pull
    request's own code (what the old workflow did) it would have passed."""
    repo = make_repo(tmp_path)
    shutil.copytree(SRC, repo.path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    repo.commit(PENGLEI, "引擎")
    repo.branch("weaken")
    findings = repo.path / "src/kpiledger/review/findings.py"
    text = findings.read_text(encoding="utf-8")
    weak = text.replace("return bool(self.refusals) or has_errors(self.diagnostics)",
                        "return False")
    assert weak != text
    findings.write_text(weak, encoding="utf-8")
    repo.edit("2026-05/cs-team-2/E1201.yaml", "  work: 8", "  work: 10")
    repo.commit(LINJING, "小修")
    trusted = tmp_path / "trusted"
    repo.git("worktree", "add", "-q", "--detach", str(trusted), "main")

    def run_with(engine: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(engine / "src"), "GITHUB_STEP_SUMMARY": ""}
        return subprocess.run([sys.executable, "-m", "kpiledger", "review", "--base", "main",
                               "--actor", "linjing-cs"], cwd=repo.path, env=env,
                              capture_output=True, text=True, check=False)

    gate = run_with(trusted)
    assert gate.returncode == 1, gate.stdout + gate.stderr
    assert "src/kpiledger/review/findings.py" in gate.stdout
    assert "E1201" in gate.stdout
    assert run_with(repo.path).returncode == 0  # the hazard the workflow avoids


def test_a_merge_answers_for_its_own_changes(tmp_path) -> None:
    """A merge commit inside a pull request that slips in a change of its own: the change is
    the merge's committer's, and is checked against them."""
    repo = make_repo(tmp_path)
    repo.branch("pr")
    repo.edit(E1101, "  work: 9", "  work: 10")
    repo.commit(LINJING, "评分")
    repo.branch("side", "main")
    repo.edit("2026-05/cs-team-2/E1201.yaml", "  work: 8", "  work: 9")
    repo.commit(HEJUN, "二组评分")
    repo.git("checkout", "-q", "pr")
    repo.git("merge", "-q", "--no-ff", "--no-commit", "side", email=HEJUN)
    repo.edit(E1101, "  work: 10", "  work: 3")  # the merge's own change
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "合并", email=HEJUN)
    found = whys(repo)
    assert f"ledger/{E1101}: E1200 何俊 (@hejun-cs) may not write this file: the assessor " \
           "of E1101 may" in found, found


def test_approval_and_signature_are_acts(tmp_path) -> None:
    repo = make_repo(tmp_path)
    repo.branch("typed")
    rel = "2026-04/branch-east-cs/E3101"
    text = repo.read(f"{rel}.yaml").split("signatures:")[0]
    # typed in by the author: approved_by HR, and the assessee's signature
    repo.write(f"{rel}.correction-1.yaml", text + "correction:\n  reason: 录入错误\n"
               "  approved_by: E0001\n  date: 2026-05-10\nsignatures:\n  assessee: 2026-05-10\n")
    repo.commit(WANGTAO, "更正")
    found = whys(repo)
    assert any("no commit in this pull request is theirs" in x for x in found), found
    assert any("assessee signature" in x and "E3101" in x for x in found), found
    # HR approves with a commit, the assessee signs with a commit: accepted
    repo.edit(f"{rel}.correction-1.yaml", "date: 2026-05-10\n", "date: 2026-05-11\n")
    repo.commit(HR, "人力资源批准")
    repo.edit(f"{rel}.correction-1.yaml", "assessee: 2026-05-10", "assessee: 2026-05-12")
    repo.commit("zhonglihua@example.com", "被考核人确认")
    assert whys(repo) == []


def test_codeowners_covers_the_whole_tree(tmp_path) -> None:
    repo = make_repo(tmp_path)
    text = render(evaluate(repo.ledger).ledger.org, "ledger/")
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert rules[0] == "* @penglei-it"  # first: every later (ledger) rule wins inside ledger/
    assert "/ledger/ @zhoulishan" in " ".join(rules) or rules[1].startswith("/ledger/ ")
