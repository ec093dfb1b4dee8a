"""The site's results document made one (period, scheme) at a time, each from a cache keyed by
content (按期间和方案缓存的评估).

A (period, scheme)'s results — scores, grades, money, ranks, formula failures — are a function
of its scheme (and where its formulas stand in its file), the org chart, the calendar, its
records, when each record landed and who added and last changed it (lateness; the records'
commits), and our code. Its entries of the results document (items and records compressed,
as the site holds them), the views the cross-period rules read and its formula failures are
kept under the digest of exactly those (`keyed_cache.KeyedCache`). What spans periods —
events, warnings, carry-over, aggregates — is made again on every build from all the views.
So a pull request that changes ten records of one month scores that month's scheme again
and takes the rest from the cache.

`evaluate_document` gives the same document and notices as `evaluate.evaluate_ledger`
followed by `results.draining_document` (tests/test_partitions.py).
"""

from __future__ import annotations

import hashlib
import pickle
import struct
import zlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from kpiledger.check.appeals import late_appeals
from kpiledger.diagnostics import Diagnostic
from kpiledger.evaluate import (
    landings_from,
    lateness_notices,
    rule_items,
    rule_view,
    spanning,
)
from kpiledger.git.provenance import FileProvenance
from kpiledger.keyed_cache import KeyedCache, canonical, code_digest, digest, fields_digest
from kpiledger.load.cache import cache_dir
from kpiledger.model import Ledger, Record, Scheme
from kpiledger.publish.results import document_with, held_entry
from kpiledger.score.failures import failure_diagnostics
from kpiledger.score.lateness import Landing
from kpiledger.score.ledger import Results, score_ledger


class Partition(NamedTuple):
    """One (period, scheme) evaluated, before what spans periods is added (carry-over)."""

    entries: list[dict[str, Any]]
    """Its results as the site holds them (`results.held_entry`), in published order."""
    views: list[dict[str, Any]]
    """Each result's `evaluate.rule_view`, for the cross-period rules."""
    failures: list[Diagnostic]
    """Its formulas that failed for someone (KPI503, KPI504), placed in the scheme's file."""


def partition_cache(root: Path) -> KeyedCache:
    """The folder of one ledger's partitions, beside the page cache."""
    return KeyedCache(cache_dir() / "partitions" / digest(str(root.resolve()))[:16])


def evaluate_document(
    ledger: Ledger, provenance: Mapping[str, FileProvenance] | None, cache: KeyedCache
) -> Results:
    """`evaluate.evaluate_ledger` for the site: `Results` with no `results` and their
    `document` made (entries as `results.draining_document` makes them), each partition
    taken from `cache` when its inputs are unchanged and stored there when made."""
    provenance = provenance or {}
    landed = landings_from(provenance)
    groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in ledger.records:
        if record.scheme in ledger.schemes:
            groups[(record.period, record.scheme)].append(record)
    base = digest(code_digest(), ledger.root, canonical(ledger.org), canonical(ledger.calendar))
    schemes = {sid: _scheme_digest(ledger.root, s) for sid, s in ledger.schemes.items()}
    entries: list[dict[str, Any]] = []
    views: list[dict[str, Any]] = []
    failures: list[Diagnostic] = []
    for (period, sid), records in sorted(groups.items()):
        key = fields_digest(base, schemes[sid], period, records,
                            [provenance.get(r.file) for r in records])
        part = _stored(cache, key)
        if part is None:
            part = _evaluated(ledger, sid, records, provenance, landed)
            cache.write(key, _packed(part))
        entries += part.entries
        views += part.views
        failures += part.failures
    spans = spanning(views, ledger)
    del views
    for entry in entries:
        carried = spans.pending.get((entry["assessee"], entry["scheme"], entry["period"]))
        if carried:
            entry["pending"] = [dict(x) for x in carried]
    results = Results(
        results=(),
        events=spans.events,
        warnings=spans.warnings,
        aggregates=spans.aggregates,
        notices=(
            *lateness_notices(ledger, landed),
            *failures,
            *late_appeals(ledger, {rel: (x.commit, x.date) for rel, x in (landed or {}).items()}),
        ),
        provenance=dict(provenance),
    )
    return replace(results, document=document_with(results, entries))


def _scheme_digest(root: str, scheme: Scheme) -> str:
    """A scheme by its model and its file's bytes: a failed formula's diagnostic names the
    formula's line, which a comment above it moves."""
    try:
        text = (Path(root) / scheme.file).read_bytes()
    except OSError:
        text = b""
    return digest(canonical(scheme), hashlib.sha256(text).hexdigest())


def _evaluated(ledger: Ledger, sid: str, records: list[Record],
               provenance: Mapping[str, FileProvenance],
               landed: Mapping[str, Landing] | None) -> Partition:
    schemes = {sid: ledger.schemes[sid]}
    part = Ledger(ledger.root, ledger.org, ledger.calendar, schemes, tuple(records))
    scored = score_ledger(part, landed)
    return Partition(
        entries=[held_entry(r, provenance) for r in scored.results],
        views=[rule_view(r, rule_items(schemes[sid])) for r in scored.results],
        failures=failure_diagnostics(scored.results, schemes, ledger.root),
    )


def _packed(part: Partition) -> bytes:
    data = pickle.dumps(tuple(part), protocol=pickle.HIGHEST_PROTOCOL)
    return struct.pack("<I", zlib.crc32(data)) + data


def _stored(cache: KeyedCache, key: str) -> Partition | None:
    """The partition stored under `key`; None when there is none or it is damaged (made
    again)."""
    data = cache.read(key)
    if data is None:
        return None
    if len(data) < 4 or data[:4] != struct.pack("<I", zlib.crc32(data[4:])):
        cache.forget(key)
        return None
    try:
        return Partition(*pickle.loads(data[4:]))
    except Exception:  # written by other code: made again
        cache.forget(key)
        return None
