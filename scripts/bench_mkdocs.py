"""The mkdocs.yml the site benchmarks build the synthetic ledger with (bench_site,
bench_incremental): the example site's pages and theme, the synthetic ledger."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bench_config(ledger: Path, site_dir: Path | None = None) -> str:
    """The config's text; `site_dir` left out when the command line gives it."""
    site = f"site_dir: {site_dir}\n" if site_dir else ""
    return f"""site_name: 合成账本 · 绩效考核
docs_dir: {ROOT / "site"}
{site}theme:
  name: material
  language: zh
  font: false
  features: [navigation.tabs, navigation.indexes, navigation.prune, navigation.top]
plugins:
  - search:
      lang: [zh, en]
      separator: '[\\s\\u200b\\-]'
  - kpiledger:
      ledger: {ledger}
"""
