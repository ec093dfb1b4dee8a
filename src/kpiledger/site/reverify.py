"""`kpi verify`, the site's part: build the site again from the tree at the published commit
and compare every page with the hashes in the manifest. The MkDocs build is deterministic
(docs/architecture.md), so a changed total on a person's page — even with its hash changed
in the manifest to match — no longer agrees with what git builds."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.git.acts import HistoryAt
from kpiledger.git.provenance import FileProvenance
from kpiledger.publish.manifest import site_hashes
from kpiledger.publish.verify import run_verify
from kpiledger.site.build import build_site

# MkDocs dates the sitemap with the day of the build: the only files that carry no ledger data
# and differ between two builds of the same commit
BUILD_DATED = frozenset({"sitemap.xml", "sitemap.xml.gz"})


def rebuild_and_compare(
    tree: Path, root: Path, manifest: dict[str, Any],
    history: Mapping[str, FileProvenance], at: HistoryAt,
) -> list[Diagnostic]:
    """What differs between the manifest's site hashes and the site built at `at.commit`."""
    sha = at.commit
    file = str(manifest.get("_name", "manifest.json"))
    build = manifest["build"]
    config = tree / build["config"]
    if not config.is_file():
        return [d(file, "KPI720", commit=sha[:12], reason=f"{build['config']}: no such file")]
    with tempfile.TemporaryDirectory(prefix="kpi-rebuild-") as out:
        built = build_site(config, out, use_cache=False, lang=build.get("lang"),
                           public=bool(build.get("public")),
                           provenance=history, history_at=at, commit=sha)
        if not built.ok:
            reason = built.error or f"{len(built.diagnostics)} diagnostics"
            return [d(file, "KPI720", commit=sha[:12], reason=reason[:200])]
        again = site_hashes(Path(out))
    published: dict[str, str] = manifest["site"]
    return [
        d(rel, "KPI718", commit=sha[:12])
        for rel in sorted(set(published) | set(again))
        if rel not in BUILD_DATED and published.get(rel) != again.get(rel)
    ]


def run_full_verify(manifest: str, at: str | None, main: str, lang: str, site: bool) -> int:
    """`kpi verify`: the results, and the site built again unless `site` is False."""
    return run_verify(manifest, at, main, lang, rebuild_and_compare if site else None)
