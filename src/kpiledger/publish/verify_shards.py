"""`kpi verify` of the results by period: the published folder against the manifest and its
index, then each period recomputed and compared with its file, one period at a time.

A changed period's file no longer matches its hash (KPI714) and its recomputation (KPI717,
naming the period and the assessees); a missing one is KPI715, an extra one KPI716; an index
that disagrees with the files it lists (hash, counts, a file it leaves out) is KPI724, and one
that disagrees with the recomputed index is KPI717.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.publish.manifest import sha256
from kpiledger.publish.results import document_to_json
from kpiledger.publish.shards import (
    INDEX_FILE,
    LISTS,
    Shard,
    index_document,
    index_entry,
    index_to_json,
    plain_name,
    read_index,
    read_text,
)

# results differing by period and assessee, in words (publish.verify.compare_results)
Compare = Callable[[str, str], list[str]]


def _listed(index: dict[str, Any], folder: str) -> dict[str, dict[str, Any]]:
    """Manifest-relative path → index entry, for the entries that name a plain file."""
    out = {}
    for entry in index["periods"]:
        name = entry.get("file") if isinstance(entry, dict) else None
        if plain_name(name):
            out[f"{folder}/{name}" if folder else name] = entry
    return out


def published_results(folder: Path, manifest: dict[str, Any]) -> list[Diagnostic]:
    """The index and every period's file beside the manifest, against the manifest's hashes,
    and the index against the files it lists; one file in memory at a time."""
    results = manifest["results"]
    index_path = folder / results["path"]
    text = read_text(index_path)
    if text is None:
        return [d(index_path.as_posix(), "KPI715")]
    out = [] if sha256(text.encode("utf-8")) == results["sha256"] else \
        [d(index_path.as_posix(), "KPI714")]
    index = read_index(index_path.parent)
    if index is None:
        return [*out, d(index_path.as_posix(), "KPI724", detail="不是结果索引 / not an index")]
    base = results["path"].rpartition("/")[0]
    listed, hashes = _listed(index, base), results["shards"]
    beside = {(f"{base}/{p.name}" if base else p.name) for p in index_path.parent.iterdir()
              if p.is_file() and p.name.endswith((".json", ".json.gz"))
              and p.name != INDEX_FILE and p.name != Path(manifest.get("_name", "")).name}
    for rel in sorted(set(hashes) | set(listed) | beside):
        path = (folder / rel).as_posix()
        if rel not in beside:
            out.append(d(path, "KPI715"))
        elif rel not in hashes:
            out.append(d(path, "KPI716"))
        else:
            out += _one(path, read_text(folder / rel), hashes[rel], listed.get(rel))
    return out


def _one(path: str, text: str | None, expected: str, entry: dict[str, Any] | None
         ) -> list[Diagnostic]:
    """One period's file: its hash, and what the index says of it."""
    actual = sha256(text.encode("utf-8")) if text is not None else ""
    out = [] if actual == expected else [d(path, "KPI714")]
    if entry is None:
        return [*out, d(path, "KPI724", detail="索引没有列出此文件 / the index leaves it out")]
    if entry.get("sha256") != actual:
        out.append(d(path, "KPI724", detail="索引中的 SHA-256 不是此文件的 / the index's "
                     "SHA-256 is not this file's"))
    try:
        document = orjson.loads(text) if text is not None else {}
    except orjson.JSONDecodeError:
        document = {}
    for name in LISTS:
        found = document.get(name) if isinstance(document, dict) else None
        if entry.get(name) != len(found or ()):
            out.append(d(path, "KPI724", detail=f"索引写 {name} {entry.get(name)} 条，文件有 "
                         f"{len(found or ())} 条 / the index says {entry.get(name)} {name}, "
                         f"the file holds {len(found or ())}"))
    return out


def compare_periods(folder: Path, manifest: dict[str, Any], recomputed: Iterable[Shard],
                    compare: Compare, edition: str | None) -> list[str]:
    """Every difference between the published periods and the recomputed ones, in words,
    each naming its period; then the index. One period's two texts in memory at a time."""
    results = manifest["results"]
    index_dir = (folder / results["path"]).parent
    published = read_index(index_dir) or {"periods": []}
    files = {str(e.get("period")): str(e.get("file")) for e in published["periods"]
             if isinstance(e, dict)}
    compress = all(rel.endswith(".gz") for rel in results["shards"])
    out: list[str] = []
    entries = []
    for period, document in recomputed:
        text = document_to_json(document)
        entries.append(index_entry(period, document, sha256(text.encode("utf-8")), compress))
        del document
        name = files.pop(period, None)
        theirs = read_text(index_dir / name) if plain_name(name) else None
        if theirs is None:
            out.append(f"{period}: 发布的结果中缺少此期 / this period is missing from the "
                       "published results")
            continue
        out += [x if x.startswith(period) else f"{period}: {x}" for x in compare(theirs, text)]
    out += [f"{period}: 重新计算没有此期 / git recomputes no results for this period"
            for period in sorted(files)]
    index = index_document(entries, edition)
    if index_to_json(index) != read_text(index_dir / INDEX_FILE):
        theirs = {str(e.get("period")): e for e in published["periods"] if isinstance(e, dict)}
        ours = {e["period"]: e for e in entries}
        differ = "、".join(p for p in sorted(set(theirs) | set(ours))
                          if theirs.get(p) != ours.get(p))
        out.append(f"结果索引与重新计算的不同 / the results index differs from the recomputed "
                   f"one{f' ({differ})' if differ else ''}")
    return out
