"""Safe publication by default: the publish workflows build the public edition, and
`kpi build` warns (KPI721) when the full edition is built for a target declared public."""

from __future__ import annotations

from pathlib import Path

from authoring_helpers import ROOT
from conftest import kpi
from ruamel.yaml import YAML

from kpiledger.authoring.init import TEMPLATE


def test_publish_workflows_deploy_the_public_edition() -> None:
    for path in (ROOT / ".github/workflows/publish.yml",
                 TEMPLATE / "dot-github/workflows/publish.yml"):
        steps = YAML(typ="safe").load(path.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
        builds = [s["run"] for s in steps if "kpi build" in s.get("run", "")]
        assert builds == ["kpi build --public --target public"], path


def test_full_edition_for_a_public_target_warns(tmp_path: Path) -> None:
    assert kpi("init", "repo", "--year", "2026", cwd=tmp_path).returncode == 0
    repo = tmp_path / "repo"
    done = kpi("build", "--target", "public", cwd=repo)
    assert done.returncode == 0 and "KPI721" in done.stderr, done.stderr
    done = kpi("build", "--public", "--target", "public", "--site-dir", "pub", cwd=repo)
    assert done.returncode == 0 and "KPI721" not in done.stderr, done.stderr
    done = kpi("build", "--target", "internal", "--site-dir", "internal", cwd=repo)
    assert done.returncode == 0 and "KPI721" not in done.stderr, done.stderr
