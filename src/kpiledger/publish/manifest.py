"""Verifiable results (可验证的结果): `public/results/` (by period) and `public/manifest.json`.

The manifest names everything a published number depends on: the SHA-256 of every ledger file
(schemes listed again on their own), of the results index and of every period's results, the
tool's version and the commit.
`publish.verify` checks a manifest against git.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kpiledger import __version__
from kpiledger.atomic import write_bytes
from kpiledger.check.ledger import discover, scan
from kpiledger.git.repo import GitError, locate, rev
from kpiledger.load import cache
from kpiledger.load.layout import kind_of
from kpiledger.publish.shards import INDEX_FILE, Made, Shard, index_to_json, write_shards

MANIFEST_VERSION = 3  # 3: results by period (results/index.json)
MANIFEST_FILE = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_digest(inputs: dict[str, str]) -> str:
    """One SHA-256 over every input's path and hash: what a public manifest publishes in place
    of the per-file list, whose paths name employees."""
    return sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def input_hashes(root: Path, use_cache: bool = False,
                 known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Ledger-relative path → SHA-256 of every ledger file (what the checker reads): `known`
    when given (the hashes of every file the ledger was opened with, `Opened.hashes`); with
    `use_cache`, a file whose stat is unchanged since it was last hashed is not read again
    (`load.cache.file_hashes`)."""
    if known:
        return dict(sorted(known.items()))
    if use_cache:
        found = scan(root)
        return cache.file_hashes(root, {rel: found[rel] for rel in sorted(found)})
    return {rel: sha256((root / rel).read_bytes()) for rel in discover(root)}


RESULTS_DIR = "results"  # the results by period: results/index.json, results/<period>.json.gz


def site_hashes(site_dir: Path) -> dict[str, str]:
    """Site-relative path → SHA-256 of every published file but the manifest itself: a page
    changed after the build no longer matches. Read and hashed by as many threads as there
    are cores (both release the GIL): 10,904 pages are 626 MB at 120,000 records."""
    paths = [p for p in sorted(site_dir.rglob("*"))
             if p.is_file() and p.relative_to(site_dir).as_posix() != MANIFEST_FILE]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        digests = list(pool.map(lambda p: sha256(p.read_bytes()), paths))
    return {p.relative_to(site_dir).as_posix(): h for p, h in zip(paths, digests, strict=True)}


def results_entry(index: dict[str, Any]) -> dict[str, Any]:
    """What the manifest says of the results: the index (its path and the SHA-256 of its
    text) and every period's file with the SHA-256 of its JSON text (not of its gzip file)."""
    return {
        "path": f"{RESULTS_DIR}/{INDEX_FILE}",
        "sha256": sha256(index_to_json(index).encode("utf-8")),
        "shards": {f"{RESULTS_DIR}/{e['file']}": e["sha256"] for e in index["periods"]},
    }


def build_manifest(
    root: Path, index: dict[str, Any], build: dict[str, Any] | None = None,
    known: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    where = locate(root)
    commit = None
    if where is not None:
        try:
            commit = rev(where, "HEAD")
        except GitError:
            commit = None  # a repository with no commit yet
    inputs = input_hashes(root, known=known)
    public = bool(build and build.get("public"))
    return {
        "version": MANIFEST_VERSION,
        "tool": "kpiledger",
        "tool_version": __version__,
        "commit": commit,
        "ledger": where.prefix.rstrip("/") if where is not None and where.prefix else ".",
        # a record's path names its assessee: the public edition lists one digest instead
        **({"inputs_digest": inputs_digest(inputs)} if public else {"inputs": inputs}),
        "schemes": {rel: h for rel, h in inputs.items() if kind_of(rel) == "scheme"},
        "results": results_entry(index),
        # how the site was built (config file relative to the repository, language), so that
        # `kpi verify` can build it again at the commit and compare every page
        **({"build": build} if build is not None else {}),
    }


def write_manifest(
    site_dir: Path, root: Path, shards: Iterable[Shard], build: dict[str, Any] | None = None,
    made: Made | None = None, known: Mapping[str, str] | None = None,
) -> Path:
    """Write results/ (one gzipped document per period and index.json, made and written one
    period at a time) and then manifest.json into `site_dir`; the manifest's path.

    `kpi build` calls this after the site is built, with the documents it published (the
    public edition's projection when `build["public"]`) and `build` = {"config": mkdocs.yml
    relative to the repository, "lang": …}; then every file of the site is hashed too;
    `made` may give a period's gzipped file made before (`shards.write_shards`) and
    `known` the ledger files' hashes (`input_hashes`). The
    results folder is swapped in whole; `kpi build` builds the whole site beside its target
    and swaps it in, so results and manifest appear together."""
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    edition = "public" if build and build.get("public") else None
    # gzip: 112 MB of JSON for 1,000 people × 24 months is 6 MB compressed; mtime 0 keeps the
    # files byte-identical for the same results (atomic.WriteError when it cannot be written)
    index = write_shards(site_dir / RESULTS_DIR, shards, compress=True, edition=edition,
                         made=made)
    manifest = build_manifest(root, index, build, known)
    if build is not None:
        manifest["site"] = site_hashes(site_dir)
    write_bytes(site_dir / MANIFEST_FILE,
                (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    return site_dir / MANIFEST_FILE
