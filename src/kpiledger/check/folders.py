"""The record files checked folder by folder (one cache shard per period folder), in worker
processes when there are many, each folder from the caches as far as it is unchanged.

Two caches, both in `load.cache`:

- the loaded documents of a folder (`cache.load_shard`), keyed by each file's stat and
  trusted only for files that had settled when they were read (`cache.settled`);
- the folder's outcome (`<folder>.checked`): each file's record, duplicate key and
  problems, kept with the files' SHA-256 (`cache.file_hashes`) under a key of the context
  they were checked in (the shared files' hashes, the files named on the command line, the
  records asked for). Keyed by content, so a CI run that restores the cache onto a fresh
  checkout (new times on every file) finds it too. An unchanged folder is taken whole,
  without a worker; in a folder where a few files changed only those are read and checked
  again, here (at 120,000 records, a pull request's ten files in one month: 10,000 files not
  checked again).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kpiledger.check.context import SHARED_KINDS, Context, check_loaded
from kpiledger.check.reading import Loaded, read_one
from kpiledger.check.records import duplicate_key
from kpiledger.diagnostics import Diagnostic
from kpiledger.load import cache
from kpiledger.load.layout import kind_of
from kpiledger.model import Record, Scheme
from kpiledger.parallel import fork_map, inherited

PARALLEL_FROM = 2000  # below this many files a process pool costs more than it saves
FEW = 500  # at most this many changed files of a checked folder are checked here, not forked

# What a worker hands back per file: its path, its record (only when asked for: records are as
# large as the documents), the record's duplicate key, and its problems.
Processed = tuple[str, Record | None, tuple[Any, ...] | None, list[Diagnostic]]
# Which records a worker hands back: all (True), none (False), or those of these scheme ids.
Keep = bool | frozenset[str]
# The caller's choice of schemes whose records it needs, made once the schemes are read.
KeepFor = Callable[[dict[str, Scheme]], frozenset[str]]
# root, folder, its files' stats, the records kept, whether to use the cache, the key of the
# context its outcome is saved under (None: not saved) and the files' hashes it is saved with
Job = tuple[str, str, dict[str, cache.Stat], Keep, bool, str | None, dict[str, str]]


def shard_of(rel: str) -> str:
    """Cache shard of a file: its period folder, or `_shared` for org, calendar and schemes."""
    return rel.split("/", 1)[0] if kind_of(rel) not in SHARED_KINDS else "_shared"


def _processed(f: Loaded, ctx: Context, want_records: Keep) -> Processed:
    record, problems = check_loaded(f, ctx)
    key = duplicate_key(record) if record is not None else None
    kept = want_records if isinstance(want_records, bool) else (
        record is not None and record.scheme in want_records
    )
    return (f.rel, record if kept else None, key, problems)


def _process_shard(job: Job) -> list[Processed]:
    """Read (or take from the shard's cache), load, check one shard's files; save the shard.
    `stats` are the files' sizes and mtimes from the one scan of the ledger."""
    root, shard, stats, want_records, use_cache, context_key, hashes = job
    rels = list(stats)
    ctx: Context = inherited()
    read_from = time.time_ns()  # before any file is read: see cache.settled
    cached = cache.load_shard(Path(root), shard) if use_cache else {}
    out: list[Processed] = []
    changed = False
    for rel in rels:
        entry = cached.get(rel)
        if entry is not None and entry[0] == stats.get(rel):
            f = Loaded(rel, *entry[1:])
        else:
            f = read_one(root, rel)
            cached[rel] = (stats.get(rel), f.kind, f.doc, f.diagnostics)
            changed = True
        out.append(_processed(f, ctx, want_records))
    if use_cache and (changed or len(cached) != len(rels)):
        cache.save_shard(Path(root), shard, {rel: cached[rel] for rel in rels}, read_from)
    _save_checked(root, shard, context_key, stats, hashes, out, read_from)
    return out


def _save_checked(root: str, shard: str, context_key: str | None, stats: dict[str, cache.Stat],
                  hashes: dict[str, str], out: list[Processed], read_from: int) -> None:
    """Keep the outcome with the hashes, when every file had settled before it was read (an
    edit within the same clock tick could differ from what was hashed)."""
    if context_key is not None and all(cache.settled(s, read_from) for s in stats.values()):
        cache.save_result(Path(root), context_key, (hashes, out), f"{shard}.checked")


def _partly_checked(root: str, shard: str, files: dict[str, cache.Stat],
                    hashes: dict[str, str], ctx: Context, want_records: Keep,
                    context_key: str) -> list[Processed] | None:
    """The folder's outcome from its `.checked` entry, with the few files whose content
    changed since checked again here; None when there is no entry of this context or too
    much changed."""
    found = cache.load_result(Path(root), context_key, f"{shard}.checked")
    if not (isinstance(found, tuple) and len(found) == 2):
        return None
    known, out = found
    changed = [rel for rel, sha in hashes.items() if not sha or known.get(rel) != sha]
    if not changed and len(known) == len(hashes):
        return list(out)
    if len(changed) > FEW:
        return None
    read_from = time.time_ns()
    fresh = {rel: _processed(read_one(root, rel), ctx, want_records) for rel in changed}
    kept = {x[0]: x for x in out}
    made = [fresh[rel] if rel in fresh else kept[rel] for rel in files]
    _save_checked(root, shard, context_key, files, hashes, made, read_from)
    return made


def process_all(
    root: str, stats: dict[str, cache.Stat], ctx: Context, want_records: Keep, use_cache: bool,
    shared_key: str | None, hashes: Mapping[str, str] | None = None,
) -> list[Processed]:
    """Every record file processed, folder by folder in shard order. `shared_key`: the hashes
    of the files the context is made of, and `hashes` every file's (None: the folders'
    outcomes are not cached)."""
    shards: dict[str, dict[str, cache.Stat]] = {}
    for rel, stat in stats.items():
        shards.setdefault(shard_of(rel), {})[rel] = stat
    done: dict[str, list[Processed]] = {}
    jobs: list[Job] = []
    for name, files in shards.items():
        context_key = None if shared_key is None or hashes is None else cache.fingerprint(
            {}, None, (shared_key, sorted(ctx.wanted or ()), ctx.wanted is None,
                       want_records if isinstance(want_records, bool) else
                       sorted(want_records)))
        own = {rel: hashes[rel] for rel in files} if hashes is not None else {}
        found = _partly_checked(root, name, files, own, ctx, want_records, context_key) \
            if context_key else None
        if found is not None:
            done[name] = found
        else:
            jobs.append((root, name, files, want_records, use_cache, context_key, own))
    workers = (os.cpu_count() or 1) if sum(len(j[2]) for j in jobs) >= PARALLEL_FROM else 1
    made = fork_map(_process_shard, jobs, ctx, workers)
    done.update({job[1]: part for job, part in zip(jobs, made, strict=True)})
    return [x for name in shards for x in done[name]]
