"""`kpi build`: open the ledger once, check it, evaluate it, and build the site in this
process, handing the evaluation to the plugin (a subprocess `mkdocs build` would open and
score the whole ledger a second time)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.localization import parse_locale

from kpiledger.check.ledger import open_ledger
from kpiledger.diagnostics import Diagnostic, has_errors
from kpiledger.evaluate import evaluate_ledger
from kpiledger.git.provenance import file_provenance
from kpiledger.publish.manifest import write_manifest
from kpiledger.publish.results import document_to_json, results_document
from kpiledger.score.ledger import Results
from kpiledger.site.plugin import Evaluated, preload


@dataclass
class Built:
    ok: bool
    diagnostics: list[Diagnostic]
    results: Results | None = None
    error: str = ""


def ledger_of(config_file: Path) -> Path:
    """The ledger folder the config's kpiledger plugin reads (default: ledger)."""
    cfg = load_config(config_file=str(config_file))
    plugin = cfg.plugins.get("kpiledger")
    rel = getattr(getattr(plugin, "config", None), "ledger", "ledger")
    return (config_file.resolve().parent / rel).resolve()


def build_site(
    config_file: Path,
    site_dir: str,
    *,
    public: bool = False,
    use_cache: bool = True,
    lang: str | None = None,
) -> Built:
    """Check, evaluate and build. `lang` (zh | en), when given, is the site's language in
    place of mkdocs.yml's (the theme's and the plugin's)."""
    root = ledger_of(config_file)
    opened = open_ledger(root, use_cache=use_cache)
    if has_errors(opened.diagnostics):
        return Built(False, opened.diagnostics)
    provenance = file_provenance(root)
    results = evaluate_ledger(opened.ledger, provenance)
    document = results_document(results)  # made once: for the pages and for results.json
    preload(root, Evaluated(opened.ledger, results, provenance, document))
    previous = os.environ.get("KPI_SITE_PUBLIC")
    if public:
        os.environ["KPI_SITE_PUBLIC"] = "true"  # mkdocs.yml: public: !ENV [KPI_SITE_PUBLIC, false]
    try:
        cfg = load_config(config_file=str(config_file), site_dir=site_dir, strict=True)
        if lang is not None:
            _set_language(cfg, lang)
        mkdocs_build(cfg)
    except MkDocsException as e:  # strict mode turns any warning into this
        return Built(False, opened.diagnostics + list(results.notices), results, str(e))
    finally:
        if previous is None:
            os.environ.pop("KPI_SITE_PUBLIC", None)
        else:
            os.environ["KPI_SITE_PUBLIC"] = previous
    if not public:  # a public site publishes no names or money, so no results file either
        # results.json is exactly what the site shows; manifest.json lets anyone verify it
        write_manifest(Path(cfg.site_dir), root, document_to_json(document))
    return Built(True, opened.diagnostics + list(results.notices), results)


def _set_language(cfg: MkDocsConfig, lang: str) -> None:
    cfg.theme["language"] = lang
    cfg.theme["locale"] = parse_locale(lang)
    plugin = cfg.plugins.get("kpiledger")
    if plugin is not None:
        plugin.config.lang = lang  # type: ignore[attr-defined]
