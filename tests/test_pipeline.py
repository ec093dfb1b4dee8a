"""The one entry point: `load.layout.find_root` and `pipeline.evaluate`, and how `kpi build`
hands an evaluation to the MkDocs plugin instance (no module global, no environment)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from gitrepo import LEDGER, make_repo
from mkdocs.config import load_config

from kpiledger.diagnostics import has_errors
from kpiledger.load.layout import find_root
from kpiledger.pipeline import evaluate
from kpiledger.site.build import build_site, ledger_plugin

ROOT = Path(__file__).resolve().parents[1]


def test_find_root_prefers_the_option_then_the_nearest_org_chart(tmp_path, monkeypatch) -> None:
    ledger = tmp_path / "books"
    (ledger / "2026-05" / "cs").mkdir(parents=True)
    (ledger / "org.yaml").write_text("units: []\n", encoding="utf-8")
    record = ledger / "2026-05" / "cs" / "E1.yaml"
    record.write_text("x: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert find_root((), "elsewhere") == Path("elsewhere")
    assert find_root([record]) == ledger.resolve()
    assert find_root([]) == Path(".")  # no ./ledger here: the current folder
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / "org.yaml").write_text("units: []\n", encoding="utf-8")
    assert find_root([]) == Path("ledger")


def test_evaluate_in_git_gives_provenance_and_every_result(tmp_path) -> None:
    repo = make_repo(tmp_path)
    evaluation = evaluate(repo.ledger, use_cache=False)
    assert evaluation.ok and not has_errors(evaluation.all_diagnostics)
    assert evaluation.in_git
    assert evaluation.root == repo.ledger
    # every ledger file has a provenance entry naming the commit that added it
    head = repo.git("rev-parse", "HEAD").strip()
    assert evaluation.provenance["org.yaml"].added.sha == head
    assert evaluation.results.provenance == evaluation.provenance
    # 刘洋 (E1104) of document 4's scheme: scored in every month he has a record
    months = {r.period for r in evaluation.results.results if r.assessee == "E1104"}
    assert {"2026-01", "2026-06"} <= months
    assert evaluation.ledger.schemes["cs-agent"].title


def test_evaluate_outside_git_and_with_given_history(tmp_path) -> None:
    plain = tmp_path / "ledger"
    shutil.copytree(LEDGER, plain)
    alone = evaluate(plain, use_cache=False)
    assert alone.ok and not alone.in_git and alone.provenance == {}
    (tmp_path / "r").mkdir()
    repo = make_repo(tmp_path / "r")
    history = evaluate(repo.ledger, use_cache=False).provenance
    # a history handed in (as `kpi verify` does) is used instead of the folder's own
    given = evaluate(plain, use_cache=False, provenance=history)
    assert given.provenance == history
    assert given.results.results == evaluate(repo.ledger, use_cache=False).results.results


def test_errors_are_reported_not_raised(tmp_path) -> None:
    plain = tmp_path / "ledger"
    shutil.copytree(LEDGER, plain)
    record = next((plain / "2026-05" / "cs-team-1").glob("E*.yaml"))
    record.write_text("period: 2026-05\nitems: [\n", encoding="utf-8")
    evaluation = evaluate(plain, use_cache=False)
    assert not evaluation.ok
    assert any(d.file.endswith(record.name) for d in evaluation.diagnostics)


def _site_config(tmp_path: Path, ledger: Path) -> Path:
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site", f"docs_dir: {ROOT / 'site'}")
    text = text.replace("ledger: ledger", f"ledger: {ledger}")
    config.write_text(text, encoding="utf-8")
    return config


def test_build_hands_the_evaluation_to_the_plugin_instance(tmp_path) -> None:
    repo = make_repo(tmp_path)
    config = _site_config(tmp_path, repo.ledger)
    # the plugin instance of a loaded config takes an evaluation and the edition
    cfg = load_config(config_file=str(config))
    plugin = ledger_plugin(cfg)
    assert plugin.evaluation is None and plugin.config.public is False
    before = dict(os.environ)
    built = build_site(config, str(tmp_path / "public"), public=True, use_cache=False)
    assert built.ok, built.error
    assert dict(os.environ) == before  # nothing passed through the environment
    # the public edition: its own manifest, people at pseudonyms, no real name on their pages
    manifest = json.loads((tmp_path / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["build"]["public"] is True
    assert not (tmp_path / "public" / "people" / "E1104").exists()
    pages = (tmp_path / "public" / "people").glob("*/index.html")
    assert not [p for p in pages if "刘洋" in p.read_text(encoding="utf-8")]
    full = build_site(config, str(tmp_path / "full"), use_cache=False)
    assert full.ok and (tmp_path / "full" / "manifest.json").is_file()
    page = (tmp_path / "full" / "people" / "E1104" / "index.html").read_text(encoding="utf-8")
    assert "刘洋" in page


def test_build_refuses_a_config_without_the_plugin(tmp_path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: x\ndocs_dir: {ROOT / 'site'}\n", encoding="utf-8")
    built = build_site(config, str(tmp_path / "public"))
    assert not built.ok and "kpiledger" in built.error


@pytest.mark.parametrize("lang", ["en"])
def test_build_language_is_set_on_the_instance(tmp_path, lang: str) -> None:
    repo = make_repo(tmp_path)
    config = _site_config(tmp_path, repo.ledger)
    built = build_site(config, str(tmp_path / "public"), lang=lang, use_cache=False)
    assert built.ok, built.error
    html = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
