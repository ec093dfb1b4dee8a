"""The results contract by period (分期结果): one document per period and a small index.

A company of 10,000 people has 120,000 results a year: one JSON document of them all is
600 MB, written and read whole. So results are published as a folder:

    index.json          periods, each with its file, the SHA-256 of its JSON text and counts
                        (schemas/resultsindex.schema.json)
    2026-03.json(.gz)   everything of one period (schemas/results.schema.json with `period`)

Every entry lives in exactly one shard, that of its period: a result and an aggregate by
their `period`; an event or a warning by the last period of the streak that raised it (for an
event that is its `period`; a warning's `period` is the one it warns about, often not scored
yet). So a reader of one period finds everything that period's results concluded, the index
stays a few lines per period however many events there are, and a verifier recomputes and
compares one period at a time. Shards are made one period at a time from the scored results
(`period_documents`), serialised and dropped before the next.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from kpiledger.atomic import WriteError, staging_dir, swap_dir, write_bytes
from kpiledger.publish.manifest_fields import safe_relative
from kpiledger.publish.results import document_to_bytes, raw_value, result_to_dict
from kpiledger.score.ledger import Results

INDEX_FILE = "index.json"
INDEX_KIND = "kpiledger-results-index"
LISTS = ("results", "events", "warnings", "aggregates")

Shard = tuple[str, dict[str, Any]]  # period, its document


def event_period(entry: Mapping[str, Any]) -> str:
    """The shard an event or a warning lives in: the last period of its streak."""
    periods = entry.get("periods") or ()
    return str(periods[-1] if periods else entry.get("period"))


def _group(lists: Mapping[str, Sequence[Any]], key_of: Mapping[str, Callable[[Any], str]]
           ) -> dict[str, dict[str, list[Any]]]:
    """Period → list name → entries, in their published order."""
    out: dict[str, dict[str, list[Any]]] = {}
    for name in LISTS:
        for entry in lists.get(name, ()):
            bucket = out.setdefault(key_of[name](entry), {n: [] for n in LISTS})
            bucket[name].append(entry)
    return out


def _dict_period(entry: Mapping[str, Any]) -> str:
    return str(entry.get("period"))


def period_documents(results: Results, only: str | None = None) -> Iterator[Shard]:
    """One contract document per period (or of `only` that period), in period order, each
    made only when it is asked for: the caller serialises it and lets it go before the next
    is made."""
    groups = _group(
        {"results": results.results, "events": results.events,
         "warnings": results.warnings, "aggregates": results.aggregates},
        {"results": lambda r: r.period, "events": event_period, "warnings": event_period,
         "aggregates": _dict_period},
    )
    for period in sorted(groups) if only is None else [only] if only in groups else []:
        bucket = groups.pop(period)
        yield period, {
            "version": 1,
            "period": period,
            "results": [result_to_dict(r, results.provenance) for r in bucket["results"]],
            "events": [raw_value(e) for e in bucket["events"]],
            "warnings": [raw_value(w) for w in bucket["warnings"]],
            "aggregates": bucket["aggregates"],
        }


def split_document(document: Mapping[str, Any]) -> Iterator[Shard]:
    """A whole contract document (the site's, maybe the public edition's) by period."""
    groups = _group(document, {"results": _dict_period, "events": event_period,
                               "warnings": event_period, "aggregates": _dict_period})
    head = {k: v for k, v in document.items() if k not in LISTS}
    for period in sorted(groups):
        yield period, {**head, "period": period, **groups.pop(period)}


def shard_name(period: str, compress: bool) -> str:
    return f"{period}.json.gz" if compress else f"{period}.json"


def gzipped(data: bytes) -> bytes:
    """A period's gzip file: mtime 0, so the same text gives the same file. Level 6: a
    period of 10,000 results (53 MB of JSON) in 0.23 s and 2.3 MB, where level 9 took 0.84 s
    for 1.9 MB, and a build after a change writes that period again."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def period_file(document: Mapping[str, Any], compress: bool = True) -> tuple[str, bytes]:
    """A period's published file: the SHA-256 of its JSON text (what the index and the
    manifest name) and the file itself, gzipped or plain."""
    data = document_to_bytes(document)
    return hashlib.sha256(data).hexdigest(), gzipped(data) if compress else data


# `made(document)`: `period_file(document)`, maybe from a store keyed by the document's
# content (`kpi build` passes its page cache): serialising a period's ~50 MB of JSON and
# gzipping it is the whole cost of writing it, and after ten records changed every other
# period's document is unchanged.
Made = Callable[[Mapping[str, Any]], tuple[str, bytes]]


def index_entry(period: str, document: Mapping[str, Any], sha: str, compress: bool
                ) -> dict[str, Any]:
    return {"period": period, "file": shard_name(period, compress), "sha256": sha,
            **{name: len(document.get(name, ())) for name in LISTS}}


def index_document(entries: list[dict[str, Any]], edition: str | None) -> dict[str, Any]:
    return {"version": 1, "kind": INDEX_KIND, **({"edition": edition} if edition else {}),
            "periods": entries}


def index_to_json(index: Mapping[str, Any]) -> str:
    return orjson.dumps(index, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"


def write_shards(folder: Path | str, shards: Iterable[Shard], compress: bool,
                 edition: str | None = None, made: Made | None = None) -> dict[str, Any]:
    """Write every period's document, then the index, into a folder built beside `folder`
    and swapped in whole (all or nothing); the index. Each document is serialised, written
    and dropped before the next is made; `made` (see `Made`) makes the gzipped files.
    Raises atomic.WriteError."""
    target = Path(folder)
    try:
        staged = staging_dir(target)
    except OSError as e:
        raise WriteError(target, e.strerror or str(e)) from e
    entries: list[dict[str, Any]] = []
    try:
        for period, document in shards:
            sha, body = made(document) if made and compress else period_file(document,
                                                                               compress)
            write_bytes(staged / shard_name(period, compress), body)
            entries.append(index_entry(period, document, sha, compress))
            del document, body
        index = index_document(entries, edition)
        write_bytes(staged / INDEX_FILE, index_to_json(index).encode("utf-8"))
        swap_dir(staged, target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)  # gone already unless something failed
    return index


def replaceable(folder: Path) -> bool:
    """Whether `folder` may be replaced by a results folder: it is missing, empty or one
    already (it holds an index). A folder swap must never take away someone's other files."""
    if not folder.exists():
        return True
    return folder.is_dir() and (not any(folder.iterdir()) or (folder / INDEX_FILE).is_file())


def read_text(path: Path) -> str | None:
    """A shard's or the index's JSON text, gzipped or plain; None when missing or unreadable."""
    try:
        data = path.read_bytes()
        return (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError):
        return None


def read_index(folder: Path) -> dict[str, Any] | None:
    """The index beside the shards, when it is a JSON object with a list of periods."""
    text = read_text(folder / INDEX_FILE)
    try:
        index = orjson.loads(text) if text is not None else None
    except orjson.JSONDecodeError:
        return None
    ok = isinstance(index, dict) and isinstance(index.get("periods"), list)
    return index if ok else None


def plain_name(value: object) -> bool:
    """A file name beside the index (what an index may name): no folder, no `..`."""
    return isinstance(value, str) and safe_relative(value) and "/" not in value


def read_shards(folder: Path | str) -> Iterator[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every period the index lists, one at a time: (its index entry, its document or None
    when the file is missing, not JSON or not a plain name beside the index). Only one
    period is in memory at a time."""
    folder = Path(folder)
    index = read_index(folder)
    for entry in index["periods"] if index else ():
        if not isinstance(entry, dict):
            continue
        name = entry.get("file")
        text = read_text(folder / name) if plain_name(name) else None
        try:
            yield entry, orjson.loads(text) if text is not None else None
        except orjson.JSONDecodeError:
            yield entry, None
