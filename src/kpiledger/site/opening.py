"""What the plugin needs of the ledger before any page: its evaluation, when a plain
`mkdocs build` or `mkdocs serve` runs it (`kpi build` hands its own), and where its files
are as seen from mkdocs.yml (for links to them)."""

from __future__ import annotations

import logging
from pathlib import Path

from kpiledger.gc_tuning import tune_gc
from kpiledger.pipeline import Evaluation, evaluate

log = logging.getLogger("mkdocs.plugins.kpiledger")


def ledger_prefix(root: Path, base: Path) -> str:
    """`ledger/` for a ledger in base/ledger; "" for one beside mkdocs.yml."""
    try:
        rel = root.relative_to(base).as_posix()
    except ValueError:  # a ledger outside mkdocs.yml's folder: its files by their own paths
        return ""
    return "" if rel == "." else rel + "/"


def evaluate_for_site(root: Path) -> Evaluation:
    """Open and evaluate the ledger for a plain `mkdocs build` or `mkdocs serve` (`kpi build`
    hands its own evaluation to the plugin instead)."""
    tune_gc()
    evaluation = evaluate(root)
    if not evaluation.ok:
        # `kpi build` stops before this; a direct `mkdocs build` still gets a site of what
        # could be scored (info, not warning: --strict is about the site, not the data).
        log.info("kpiledger: 账本有错误，请先运行 kpi check / the ledger has errors")
    return evaluation
