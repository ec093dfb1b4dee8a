"""Verifiable results (可验证的结果): `public/results.json.gz` and `public/manifest.json`.

The manifest names everything a published number depends on: the SHA-256 of every ledger file
(schemes listed again on their own), of the results text, the tool's version and the commit.
`publish.verify` checks a manifest against git.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from kpiledger import __version__
from kpiledger.atomic import write_all
from kpiledger.check.ledger import discover
from kpiledger.git.repo import GitError, locate, rev
from kpiledger.load.layout import kind_of

MANIFEST_VERSION = 2
MANIFEST_FILE = "manifest.json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def inputs_digest(inputs: dict[str, str]) -> str:
    """One SHA-256 over every input's path and hash: what a public manifest publishes in place
    of the per-file list, whose paths name employees."""
    return sha256(json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def input_hashes(root: Path) -> dict[str, str]:
    """Ledger-relative path → SHA-256 of every ledger file (what the checker reads)."""
    return {rel: sha256((root / rel).read_bytes()) for rel in discover(root)}


RESULTS_FILE = "results.json.gz"


def read_results(path: Path) -> str:
    """The published results text ('' when missing or unreadable), gzipped or plain."""
    try:
        data = path.read_bytes()
        return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError):
        return ""


def site_hashes(site_dir: Path) -> dict[str, str]:
    """Site-relative path → SHA-256 of every published file but the manifest itself: a page
    changed after the build no longer matches."""
    return {
        p.relative_to(site_dir).as_posix(): sha256(p.read_bytes())
        for p in sorted(site_dir.rglob("*"))
        if p.is_file() and p.relative_to(site_dir).as_posix() != MANIFEST_FILE
    }


def build_manifest(
    root: Path, results_text: str, build: dict[str, Any] | None = None
) -> dict[str, Any]:
    where = locate(root)
    commit = None
    if where is not None:
        try:
            commit = rev(where, "HEAD")
        except GitError:
            commit = None  # a repository with no commit yet
    inputs = input_hashes(root)
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
        # the SHA-256 of the JSON text itself (what `kpi score --format json` prints), not of
        # its gzip file
        "results": {"path": RESULTS_FILE, "sha256": sha256(results_text.encode("utf-8"))},
        # how the site was built (config file relative to the repository, language), so that
        # `kpi verify` can build it again at the commit and compare every page
        **({"build": build} if build is not None else {}),
    }


def write_manifest(
    site_dir: Path, root: Path, results_text: str, build: dict[str, Any] | None = None
) -> Path:
    """Write results.json.gz and manifest.json into `site_dir`; the manifest's path.

    `kpi build` calls this after the site is built, with the results text it published and
    `build` = {"config": mkdocs.yml relative to the repository, "lang": …}; then every file
    of the site is hashed too."""
    site_dir = Path(site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    text = results_text
    # gzip: 112 MB of JSON for 1,000 people × 24 months is 6 MB compressed; mtime 0 keeps the
    # file byte-identical for the same results
    results_gz = gzip.compress(text.encode("utf-8"), mtime=0)
    manifest = build_manifest(root, text, build)
    if build is not None:
        manifest["site"] = {**site_hashes(site_dir), RESULTS_FILE: sha256(results_gz)}
    # both or neither (atomic.write_all; raises atomic.WriteError)
    write_all(site_dir, [
        (RESULTS_FILE, results_gz),
        (MANIFEST_FILE, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()),
    ])
    return site_dir / MANIFEST_FILE
