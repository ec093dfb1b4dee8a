"""`kpi init`: a new ledger repository that passes `kpi check` (and builds) at once."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest
from authoring_helpers import ROOT
from conftest import kpi
from ruamel.yaml import YAML

from kpiledger.authoring.init import TEMPLATE, template_files
from kpiledger.model.build import build_calendar


def test_init_gives_a_ledger_that_passes_check(tmp_path: Path) -> None:
    done = kpi("init", "repo", "--year", "2026", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "repo"
    for rel in ("ledger/org.yaml", "ledger/periods.yaml", "ledger/schemes/cs-agent.yaml",
                "mkdocs.yml", "CODEOWNERS", "README.md", ".github/workflows/review.yml",
                ".gitignore", "site/index.md", "site/submit.md", "schemas/record.schema.json"):
        assert (repo / rel).is_file(), rel
    assert "人事（HR）" in (repo / "README.md").read_text(encoding="utf-8")
    # the split org chart: company-wide settings in org.yaml, one file per unit
    assert "people:" not in (repo / "ledger/org.yaml").read_text(encoding="utf-8")
    units = sorted(p.name for p in (repo / "ledger/org").iterdir())
    assert units == ["company.yaml", "cs-team-1.yaml", "cs-team-2.yaml", "cs.yaml"]
    assert (repo / "ledger/org/cs-team-1.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../schemas/orgunit.schema.json\nunit:\n")
    assert "/ledger/org/cs-team-1.yaml" in (repo / "CODEOWNERS").read_text(encoding="utf-8")
    check = kpi("check", "repo/ledger", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    assert check.stdout == ""
    # the new ledger is ready for the month's work
    new = kpi("new", "2026-03", "--ledger", "repo/ledger", cwd=tmp_path)
    assert new.returncode == 0, new.stderr
    assert (repo / "ledger/2026-03/cs-team-1/E1101.yaml").read_text(
        encoding="utf-8").startswith("# yaml-language-server: $schema=../../../schemas/")
    assert kpi("fmt", "--check", "--ledger", "repo/ledger", cwd=tmp_path).returncode == 0


def test_init_calendar_comes_from_its_pattern(tmp_path: Path) -> None:
    """Windows and due times as the template's header says (26th to 25th, due the 5th at
    17:30; quarters the 10th, the year 15 January), worked out by hand for 2027."""
    assert kpi("init", "repo", "--year", "2027", cwd=tmp_path).returncode == 0
    text = (tmp_path / "repo/ledger/periods.yaml").read_text(encoding="utf-8")
    assert "pattern:" in text and "start:" not in text
    calendar = build_calendar(YAML(typ="safe").load(text))
    got = {p.id: (p.kind, p.start, p.end, p.due, p.status) for p in calendar.periods.values()}
    assert got["2027-01"] == ("month", "2026-12-26", "2027-01-25", "2027-02-05 17:30", "open")
    assert got["2027-12"] == ("month", "2027-11-26", "2027-12-25", "2028-01-05 17:30", "open")
    assert got["2027-Q4"] == ("quarter", "2027-09-26", "2027-12-25", "2028-01-10 17:30",
                              "open")
    assert got["2027"] == ("year", "2026-12-26", "2027-12-25", "2028-01-15 17:30", "open")
    assert len(got) == 12 + 4 + 1


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
    for page in ("submit.md", "submit.en.md"):
        assert (TEMPLATE / "site" / page).read_text(encoding="utf-8") == (
            ROOT / "site" / page).read_text(encoding="utf-8")
    for shot in (ROOT / "site" / "img").glob("*.png"):  # the guide's screenshots
        assert (TEMPLATE / "site" / "img" / shot.name).read_bytes() == shot.read_bytes()


@pytest.mark.skipif(importlib.util.find_spec("kpiledger.site") is None,
                    reason="the site plugin is not installed")
def test_init_repository_builds_its_site(tmp_path: Path) -> None:
    assert kpi("init", "repo", "--year", "2026", cwd=tmp_path).returncode == 0
    done = kpi("build", cwd=tmp_path / "repo")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "repo" / "public" / "index.html").is_file()


def test_template_workflows_follow_the_repository_ones() -> None:
    """The template's workflows are the repository's, installing kpiledger from the index;
    the review runs an engine that does not come from the pull request (trusted/ here, the
    package index there) on the pull request checked out into pr/ as data."""
    yaml = YAML(typ="safe")
    for folder, engine in ((ROOT / ".github" / "workflows", "pip install ./trusted"),
                           (TEMPLATE / "dot-github" / "workflows", "pip install kpiledger")):
        steps = yaml.load((folder / "review.yml").read_text(encoding="utf-8"))["jobs"][
            "review"]["steps"]
        runs = [s for s in steps if "run" in s]
        assert [s["run"].split("  #")[0] for s in runs[:1]] == [engine]
        assert runs[-1]["working-directory"] == "pr" and "kpi review" in runs[-1]["run"]
        checkouts = {s["with"]["path"]: s["with"]["ref"] for s in steps
                     if s.get("uses", "").startswith("actions/checkout@")}
        assert checkouts["pr"] == "${{ github.event.pull_request.head.sha }}"
        assert checkouts.get("trusted", "${{ github.event.pull_request.base.sha }}") == (
            "${{ github.event.pull_request.base.sha }}")
        assert "pip install .\n" not in (folder / "review.yml").read_text(encoding="utf-8")
    for ours in sorted((ROOT / ".github" / "workflows").glob("publish.yml")):
        theirs = TEMPLATE / "dot-github" / "workflows" / ours.name
        assert theirs.is_file(), ours.name
        expected = ours.read_text(encoding="utf-8").replace(
            "- run: pip install .\n",
            "- run: pip install kpiledger  # the engine, from the package index\n")
        assert theirs.read_text(encoding="utf-8") == expected, ours.name
