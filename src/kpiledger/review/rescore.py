"""Scores and ranks on both sides of a change, for the folders it reaches. A file whose bytes
are the same on both sides is parsed once, and a period with no difference is scored once and
shared by both sides; the periods are split across the cores by file count."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from kpiledger.check.ledger import Context, Loaded, load_bytes, record_of
from kpiledger.check.records import duplicate_key
from kpiledger.evaluate import rule_view
from kpiledger.model import Record
from kpiledger.numbers import fmt
from kpiledger.parallel import fork_map, inherited
from kpiledger.review.findings import View
from kpiledger.score.lateness import Landing
from kpiledger.score.ledger import score_ledger
from kpiledger.score.results import Result

Part = tuple[list[View], list[View], list[tuple[str, Any]]]  # before, after, head keys
PARALLEL_FROM = 600  # files; below this a process pool costs more than it saves


class Parsed:
    """Loaded files by (path, bytes): a file the same on both sides is parsed once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, bytes], Loaded] = {}

    def get(self, rel: str, data: bytes) -> Loaded:
        key = (rel, data)
        if key not in self._seen:
            self._seen[key] = load_bytes(rel, data)
        return self._seen[key]


@dataclass(frozen=True)
class Sides:
    """Both sides of the change, as the workers inherit them (by fork, never pickled)."""

    base_ctx: Context
    head_ctx: Context
    base_data: dict[str, bytes]
    head_data: dict[str, bytes]
    moved: set[str]  # periods whose files differ between the sides
    everything_moved: bool  # a shared file changed: every period is scored on both sides
    landed_base: dict[str, Landing] | None
    landed_head: dict[str, Landing] | None


def view(r: Result) -> View:
    """What the review compares of a result: `rule_view`, plus name, money, failures and
    the records behind it."""
    shown = rule_view(r)
    shown["name"] = r.name
    shown["money"] = {k: fmt(v, r.precision) for k, v in sorted(r.money.items())}
    shown["failures"] = tuple(r.failures)  # why a total or an amount is missing
    shown["files"] = r.files
    return shown


def _records(files: dict[str, Loaded]) -> dict[str, Record]:
    return {rel: record for rel, f in files.items() if (record := record_of(f)) is not None}


def _views(ctx: Context, records: list[Record], landed: dict[str, Landing] | None) -> list[View]:
    return [view(r) for r in score_ledger(ctx.ledger(records), landed).results]


def _work(periods: list[str]) -> Part:
    """Parse, build and score these periods on both sides: (before, after, head keys)."""
    sides: Sides = inherited()
    wanted = set(periods)
    parsed = Parsed()
    base = {r: parsed.get(r, b) for r, b in sides.base_data.items() if r.split("/", 1)[0] in wanted}
    head = {r: parsed.get(r, b) for r, b in sides.head_data.items() if r.split("/", 1)[0] in wanted}
    base_records, head_records = _records(base), _records(head)
    before = _views(sides.base_ctx, list(base_records.values()), sides.landed_base)
    redo = [r for r in head_records.values() if sides.everything_moved or r.period in sides.moved]
    after = _views(sides.head_ctx, redo, sides.landed_head) if redo else []
    if not sides.everything_moved:
        after += [v for v in before if v["period"] not in sides.moved]
    keys = [(rel, duplicate_key(r)) for rel, r in head_records.items()]
    return before, after, keys


def rescore(sides: Sides) -> Part:
    """Every period of both sides scored: (before, after, head duplicate keys)."""
    sizes: dict[str, int] = {}
    for rel in [*sides.base_data, *sides.head_data]:
        period = rel.split("/", 1)[0]
        sizes[period] = sizes.get(period, 0) + (2 if period in sides.moved else 1)
    workers = min(os.cpu_count() or 1, 4)
    if sum(sizes.values()) < PARALLEL_FROM or workers < 2 or len(sizes) < 2:
        parts = fork_map(_work, [sorted(sizes)], sides, 1)
    else:
        bins: list[list[str]] = [[] for _ in range(workers)]
        loads = [0] * workers
        for period in sorted(sizes, key=lambda p: -sizes[p]):  # largest first, to the lightest
            i = loads.index(min(loads))
            bins[i].append(period)
            loads[i] += sizes[period]
        parts = fork_map(_work, [b for b in bins if b], sides, workers)
    return (
        [r for p in parts for r in p[0]],
        [r for p in parts for r in p[1]],
        [k for p in parts for k in p[2]],
    )
