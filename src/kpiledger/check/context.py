"""What every record is checked against (the org chart, calendar and schemes), and one
loaded file checked in it: the part of opening a ledger that runs per file, in the worker
processes of `check.folders` or, for a pull request's files, in `kpi review`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kpiledger.check.dates import record_dates
from kpiledger.check.followups import check_filed
from kpiledger.check.reading import Loaded
from kpiledger.check.records import check_record
from kpiledger.check.salvage import merge, salvage, titled
from kpiledger.diagnostics import Diagnostic
from kpiledger.load.layout import parse_record_path
from kpiledger.model import Calendar, Ledger, Org, Record, Scheme
from kpiledger.model.build import build_record

SHARED_KINDS = ("org", "orgunit", "periods", "scheme")


@dataclass(frozen=True)
class Context:
    """What every record is checked against."""

    org: Org
    calendar: Calendar
    schemes: dict[str, Scheme]
    wanted: frozenset[str] | None  # files named on the command line, None for all
    broken: frozenset[str] = frozenset()  # schemes whose file has problems of its own

    def ledger(self, records: Iterable[Record], root: str = "") -> Ledger:
        """The ledger of these records in this context, one record per key (`winners`)."""
        return Ledger(root, self.org, self.calendar, self.schemes, tuple(winners(list(records))))


def record_of(f: Loaded) -> Record | None:
    """The record a loaded file holds; None for a shared file or one with load or schema
    problems."""
    if f.kind not in ("record", "correction") or f.doc is None or f.diagnostics:
        return None
    return build_record(f.doc, f.rel)


def check_loaded(f: Loaded, ctx: Context) -> tuple[Record | None, list[Diagnostic]]:
    """The record a loaded file holds (None when it cannot be scored) and all its problems;
    meaning is checked beside schema problems that touch only a part (`check.salvage`)."""
    doc = f.doc if isinstance(f.doc, dict) else {}
    if f.kind in ("followup", "bulletin"):
        wanted = f.diagnostics or (ctx.wanted is not None and f.rel not in ctx.wanted)
        return None, list(f.diagnostics) if wanted else check_filed(
            f.rel, f.kind, doc, ctx.org, ctx.calendar, ctx.schemes)
    scheme = ctx.schemes.get(str(doc.get("scheme")))
    record = record_of(f)
    if ctx.wanted is not None and f.rel not in ctx.wanted:
        return record, list(f.diagnostics)
    if record is not None:
        return record, titled(_meaning(record, doc, ctx), scheme)
    saved = salvage(f.doc, f.diagnostics) if f.kind in ("record", "correction") else None
    if saved is None:
        return None, titled(list(f.diagnostics), scheme)
    kept, left_out = saved
    meaning = _meaning(build_record(kept, f.rel), kept, ctx)
    return None, titled(merge(f.diagnostics, meaning, left_out), scheme)


def _meaning(record: Record, doc: dict[str, Any], ctx: Context) -> list[Diagnostic]:
    flag_closed = ctx.wanted is not None
    problems = check_record(record, ctx.org, ctx.calendar, ctx.schemes,
                            flag_closed=flag_closed, broken=ctx.broken)
    return problems + record_dates(doc, record.file)


def winners(records: list[Record]) -> list[Record]:
    """One record per key: the highest correction, else the original (first by path)."""
    best: dict[tuple[str, ...], tuple[int, Record]] = {}
    for record in sorted(records, key=lambda r: r.file):
        where = parse_record_path(record.file)
        rank = (where.correction or 0) if where else 0
        if record.key not in best or rank > best[record.key][0]:
            best[record.key] = (rank, record)
    return [r for _, r in sorted(best.values(), key=lambda x: x[1].file)]
