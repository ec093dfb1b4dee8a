"""The CI workflows: actionlint clean, every action pinned by a full commit SHA with its
version beside it, no pull_request_target, Pages write permission only where it deploys."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_actionlint() -> None:
    tool = shutil.which("actionlint") or str(Path(__import__("sys").executable).parent /
                                              "actionlint")
    done = subprocess.run([tool, *map(str, WORKFLOWS)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actions_pinned_by_sha() -> None:
    assert {p.name for p in WORKFLOWS} >= {"review.yml", "publish.yml"}
    for path in WORKFLOWS:
        text = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in text
        uses = re.findall(r"(?m)^\s*(?:-\s*)?uses:\s*(.+)$", text)
        assert uses
        for use in uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", use), use


def test_permissions() -> None:
    yaml = YAML(typ="safe")
    review = yaml.load((ROOT / ".github/workflows/review.yml").read_text(encoding="utf-8"))
    assert review["permissions"] == {"contents": "read"}
    assert list(review[True] if True in review else review["on"]) == ["pull_request"]
    publish = yaml.load((ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    assert publish["permissions"] == {"contents": "read"}
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "permissions" not in publish["jobs"]["build"]
    assert publish["jobs"]["deploy"]["permissions"] == {
        "contents": "read", "pages": "write", "id-token": "write"}
    assert "secrets." not in (ROOT / ".github/workflows/review.yml").read_text(encoding="utf-8")


def test_status_workflow_writes_issues_only() -> None:
    """The scheduled status report: reads the repository, writes issues, nothing else; runs
    on a schedule or by hand, never for a change someone proposes."""
    text = (ROOT / ".github/workflows/status.yml").read_text(encoding="utf-8")
    status = YAML(typ="safe").load(text)
    assert status["permissions"] == {"contents": "read", "issues": "write"}
    assert set(status[True] if True in status else status["on"]) == {
        "schedule", "workflow_dispatch"}
    assert all("permissions" not in job for job in status["jobs"].values())
    assert "secrets." not in text and "persist-credentials: false" in text
    assert "kpi status --ledger ledger --format markdown" in text
    assert "--label kpi-status" in text  # one issue, found by its label


def test_pre_commit_hook() -> None:
    [hook] = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "kpi-check" and hook["entry"] == "kpi check"
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    assert re.match(hook["files"], "ledger/2026-05/cs-team-1/E1101.yaml")
    assert not re.match(hook["files"], "src/kpiledger/cli.py")


def test_publish_restores_the_page_cache_and_the_sharded_workflow_merges() -> None:
    """Incremental builds: publish.yml keeps the page cache between runs of main. Past one
    machine: publish-sharded.yml builds shards in a matrix with what publish.yml's build job
    has (read the repository), merges them in one job, and only its deploy job may write to
    Pages; it runs by hand, so that one push never deploys twice."""
    yaml = YAML(typ="safe")
    publish = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert "actions/cache@" in publish and "KPI_CACHE_DIR: ${{ github.workspace }}/.kpi-cache" \
        in publish
    text = (ROOT / ".github/workflows/publish-sharded.yml").read_text(encoding="utf-8")
    flow = yaml.load(text)
    assert list(flow[True] if True in flow else flow["on"]) == ["workflow_dispatch"]
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    jobs = flow["jobs"]
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    assert f'--shard "${{{{ matrix.shard }}}}/{len(shards)}"' in text
    assert jobs["merge"]["needs"] == "shard" and jobs["deploy"]["needs"] == "merge"
    assert any("kpi merge shards/shard-*" in step.get("run", "")
               for step in jobs["merge"]["steps"])
    assert "permissions" not in jobs["shard"] and "permissions" not in jobs["merge"]
    assert jobs["deploy"]["permissions"] == {"contents": "read", "pages": "write",
                                             "id-token": "write"}
