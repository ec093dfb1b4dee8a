"""`kpi build`: load mkdocs.yml, evaluate the ledger its kpiledger plugin names, hand the
evaluation to that plugin instance and build the site in this process (a subprocess
`mkdocs build` would open and score the whole ledger a second time)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.localization import parse_locale

from kpiledger.atomic import WriteError, staging_dir, swap_dir, write_all
from kpiledger.diagnostics import Diagnostic, d, format_text
from kpiledger.git.acts import HistoryAt
from kpiledger.git.provenance import FileProvenance
from kpiledger.keyed_cache import KeyedCache
from kpiledger.pipeline import evaluate
from kpiledger.publish.partitions import evaluate_document, partition_cache
from kpiledger.publish.public import SiteKeyError, site_key
from kpiledger.site.chrome import head_commit
from kpiledger.site.plugin import LedgerPlugin
from kpiledger.site.render_cache import RenderCache, edition_folder
from kpiledger.site.shard import SHARD_FILE, Shard, shard_record


@dataclass
class Built:
    ok: bool
    diagnostics: list[Diagnostic]
    error: str = ""
    public: bool = False  # the edition built: True when public (names masked, no money)
    target: str | None = None  # where it is declared to go: public | internal | None
    # generated pages taken whole from the render cache, and rendered (site/render_cache.py)
    cached: int = 0
    rendered: int = 0


def ledger_plugin(cfg: MkDocsConfig) -> LedgerPlugin:
    """The kpiledger plugin instance of a loaded config."""
    plugin = cfg.plugins.get("kpiledger")
    if not isinstance(plugin, LedgerPlugin):
        raise MkDocsException("mkdocs.yml 未启用 kpiledger 插件 / the kpiledger plugin is not set")
    return plugin


def build_site(
    config_file: Path,
    site_dir: str,
    *,
    public: bool = False,
    use_cache: bool = True,
    lang: str | None = None,
    provenance: Mapping[str, FileProvenance] | None = None,
    target: str | None = None,
    history_at: HistoryAt | None = None,
    commit: str | None = None,
    shard: Shard | None = None,
) -> Built:
    """Check, evaluate and build. `public` builds the public edition whatever mkdocs.yml
    says; `lang` (zh | en), when given, is the site's language in place of mkdocs.yml's;
    `provenance` and `history_at` replace the history read from git and `commit` the commit
    checked out (`kpi verify` builds an exported tree). `use_cache` also keeps finished pages
    for the next build (site/render_cache.py); `shard` renders only that share of the
    generated pages and writes kpi-shard.json beside them (site/shard.py)."""
    try:
        cfg = load_config(config_file=str(config_file), site_dir=site_dir, strict=True)
        plugin = ledger_plugin(cfg)
    except MkDocsException as e:
        return Built(False, [], str(e))
    if public:
        plugin.config.public = True
    if plugin.config.public:
        try:  # said before any work, in words (MkDocs would say "Aborted with a BuildError!")
            site_key()
        except SiteKeyError as e:
            return Built(False, [], str(e))
    root = (config_file.resolve().parent / plugin.config.ledger).resolve()
    # the results document by period and scheme, each from the cache while its inputs are
    # unchanged (publish/partitions.py); --no-cache scores the whole ledger at once instead
    partitions = partition_cache(root) if use_cache else KeyedCache(None)
    evaluation = evaluate(root, use_cache=use_cache, provenance=provenance,
                          history_at=history_at,
                          scorer=(lambda ledger, history: evaluate_document(
                              ledger, history, partitions)) if use_cache else None)
    base = config_file.resolve().parent
    found = _rebased(evaluation.all_diagnostics, root, base)
    if not evaluation.ok:
        return Built(False, _rebased(list(evaluation.diagnostics), root, base))
    plugin.evaluation = evaluation
    # the plugin alone holds it from here: it lets the scored results go once the site's
    # document is made from them (a third of the memory at 120,000 records)
    del evaluation
    plugin.commit = commit if commit is not None else head_commit(root)
    plugin.commit_known = True
    if target is not None:
        plugin.config.target = target
    if lang is not None:
        _set_language(cfg, plugin, lang)
    plugin.shard = shard
    plugin.render_cache = RenderCache(edition_folder(
        str(config_file), plugin.config.public, plugin.config.lang, str(shard or ""),
    ) if use_cache else None)
    # built beside the site folder and swapped in whole: a failed or killed build leaves the
    # previous site as it was
    site_path = Path(cfg.site_dir)
    try:
        staged = staging_dir(site_path)
    except OSError as e:
        return Built(False, found,
                     format_text([WriteError(site_path, e.strerror or str(e)).diagnostic()]))
    cfg.site_dir = str(staged)
    try:
        mkdocs_build(cfg)  # the plugin writes results/ and manifest.json last
        if shard is not None:
            write_all(staged, [(SHARD_FILE, shard_record(shard, plugin.site_key,
                                                         plugin.written))])
        swap_dir(staged, site_path)
        plugin.render_cache.prune()  # only what this build used: the caches do not grow
        partitions.prune()
    except MkDocsException as e:  # strict mode turns any warning into this
        return Built(False, found, str(e))
    except (OSError, WriteError) as e:
        if not isinstance(e, WriteError):
            e = WriteError(getattr(e, "filename", None) or site_path, e.strerror or str(e))
        return Built(False, found, format_text([e.diagnostic()]))
    finally:
        cfg.site_dir = str(site_path)
        shutil.rmtree(staged, ignore_errors=True)  # gone already unless something failed
    declared = plugin.config.target
    notes = [d(config_file.name, "KPI721")] if declared == "public" and not plugin.config.public \
        else []
    return Built(True, found + notes,
                 public=plugin.config.public, target=declared,
                 cached=plugin.render_cache.hits,
                 rendered=len(plugin.written) - plugin.render_cache.hits)


def _rebased(diagnostics: list[Diagnostic], root: Path, base: Path) -> list[Diagnostic]:
    """The ledger's diagnostics with paths from the config's folder, like mkdocs.yml's own
    (KPI721), so `kpi build` prints every path from one root, as `kpi check` does."""
    return [replace(x, file=Path(os.path.relpath(root / x.file, base)).as_posix())
            for x in diagnostics]


def _set_language(cfg: MkDocsConfig, plugin: LedgerPlugin, lang: str) -> None:
    cfg.theme["language"] = lang
    cfg.theme["locale"] = parse_locale(lang)
    plugin.config.lang = lang
    plugin.lang_override = lang
