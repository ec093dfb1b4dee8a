"""`kpi init`: a new ledger repository that passes `kpi check` (and builds) at once."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest
from authoring_helpers import ROOT
from conftest import kpi

from kpiledger.authoring.init import TEMPLATE, template_files


def test_init_gives_a_ledger_that_passes_check(tmp_path: Path) -> None:
    done = kpi("init", "repo", "--year", "2026", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "repo"
    for rel in ("ledger/org.yaml", "ledger/periods.yaml", "ledger/schemes/cs-agent.yaml",
                "mkdocs.yml", "CODEOWNERS", "README.md", ".github/workflows/review.yml",
                ".gitignore", "site/index.md", "site/submit.md", "schemas/record.schema.json"):
        assert (repo / rel).is_file(), rel
    assert "人事（HR）" in (repo / "README.md").read_text(encoding="utf-8")
    check = kpi("check", "repo/ledger", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    assert check.stdout == ""
    # the new ledger is ready for the month's work
    new = kpi("new", "2026-03", "--ledger", "repo/ledger", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    assert (repo / "ledger/2026-03/cs-team-1/E1101.yaml").read_text(
        encoding="utf-8").startswith("# yaml-language-server: $schema=../../../schemas/")
    assert kpi("fmt", "--check", "--ledger", "repo/ledger", cwd=tmp_path).returncode == 0


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "keep.txt").write_text("x", encoding="utf-8")
    done = kpi("init", "repo", cwd=tmp_path)
    assert done.returncode == 1 and "KPI615" in done.stderr
    assert sorted(p.name for p in (tmp_path / "repo").iterdir()) == ["keep.txt"]


def test_templates_are_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["kpiledger"]
    assert "templates/**/*" in patterns
    assert all(not p.name.startswith(".") for p in template_files())  # globs skip dot files
    assert (TEMPLATE / "site" / "submit.md").read_text(encoding="utf-8") == (
        ROOT / "site" / "submit.md").read_text(encoding="utf-8")


@pytest.mark.skipif(importlib.util.find_spec("kpiledger.site") is None,
                    reason="the site plugin is not installed")
def test_init_repository_builds_its_site(tmp_path: Path) -> None:
    assert kpi("init", "repo", "--year", "2026", cwd=tmp_path).returncode == 0
    done = kpi("build", cwd=tmp_path / "repo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "repo" / "public" / "index.html").is_file()


def test_template_workflows_follow_the_repository_ones() -> None:
    """The template's workflows are the repository's, installing kpiledger from the index."""
    for ours in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        theirs = TEMPLATE / "dot-github" / "workflows" / ours.name
        assert theirs.is_file(), ours.name
        expected = ours.read_text(encoding="utf-8").replace(
            "- run: pip install .\n",
            "- run: pip install kpiledger  # the engine, from the package index\n")
        assert theirs.read_text(encoding="utf-8") == expected, ours.name
