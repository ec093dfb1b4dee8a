"""Open a ledger: find its files, load and schema-check them, build the model and check its
meaning. The one entry point every command uses.

Two phases. The shared files (org chart, calendar, schemes) are few and read first; they are
the context every record is checked against. Records are then read, loaded, schema-checked,
built and checked in one pass per file — in worker processes when there are many, which
inherit the context by fork instead of receiving it pickled.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from kpiledger.check.appeals import APPEAL_KINDS, held_results, record_units, with_appeals
from kpiledger.check.context import (  # noqa: F401 (re-exported: one place to import from)
    SHARED_KINDS,
    Context,
    check_loaded,
    record_of,
    winners,
)
from kpiledger.check.folders import KeepFor, process_all
from kpiledger.check.org import org_of, read_org  # noqa: F401 (read_org: re-exported)
from kpiledger.check.periods import check_calendar
from kpiledger.check.reading import (  # noqa: F401 (re-exported: one place to import from)
    PARALLEL_SHARED,
    Loaded,
    load_bytes,
    load_document,
    place_in,
    read_many,
    read_one,
)
from kpiledger.check.records import (
    check_duplicates,
    check_scheme_refs,
)
from kpiledger.check.schemes import check_scheme
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.forge import codeowners
from kpiledger.git.worktree import uncommitted
from kpiledger.load import cache
from kpiledger.load.files import discover, link_target, scan  # noqa: F401 (re-exported)
from kpiledger.load.layout import kind_of, parse_record_path
from kpiledger.model import Ledger, Scheme
from kpiledger.model.build import build_calendar, empty_calendar
from kpiledger.model.schemes import build_scheme


@dataclass
class Opened:
    ledger: Ledger
    diagnostics: list[Diagnostic]
    hashes: dict[str, str] = field(default_factory=dict, compare=False)
    """The SHA-256 of every file found, sorted by path (`cache.file_hashes`: what a manifest
    names); empty without the cache."""


def shared_context(
    loaded: list[Loaded], wanted: frozenset[str] | None
) -> tuple[Context, list[Diagnostic]]:
    """The context the shared files make (org chart, calendar, schemes), and their problems
of meaning; their load and schema problems stay with the loaded files."""
    org, diagnostics = org_of(loaded)
    periods_doc = _single(loaded, "periods")
    calendar = build_calendar(periods_doc) if periods_doc is not None else empty_calendar()
    if periods_doc is not None:
        diagnostics += check_calendar(periods_doc, calendar)
    for kind, name in (("org", "org.yaml"), ("periods", "periods.yaml")):
        if not any(f.kind == kind for f in loaded):
            diagnostics.append(d(name, "KPI100", reason="文件不存在 / missing").at(1, 1))
    too_big = [f for f in loaded if f.kind == "org" and {"KPI101", "KPI107"} & {
        x.code for x in f.diagnostics}]
    diagnostics += [d(f.rel, "KPI324").at(1, 1) for f in too_big]  # the way out
    schemes: dict[str, Scheme] = {}
    broken: set[str] = set()
    for f in loaded:
        if f.kind != "scheme":
            continue
        scheme, problems = (None, []) if f.doc is None or f.diagnostics else build_scheme(
            f.doc, f.rel)
        diagnostics += problems
        if scheme is None:
            # one line here instead of "unknown scheme" on every record that uses it
            broken.add(_scheme_id(f))
            diagnostics.append(d(f.rel, "KPI339").at(1, 1))
            continue
        if scheme.id in schemes:
            diagnostics.append(
                d(f.rel, "KPI312", ("id",), id=scheme.id, where=schemes[scheme.id].file)
            )
            continue
        if f.rel != f"schemes/{scheme.id}.yaml":
            diagnostics.append(
                d(
                    f.rel,
                    "KPI302",
                    ("id",),
                    field="id",
                    field_zh="方案编号",
                    content=scheme.id,
                    path_value=f.rel,
                    expected=f"schemes/{scheme.id}.yaml",
                )
            )
        schemes[scheme.id] = scheme
        diagnostics += check_scheme(scheme) + check_scheme_refs(scheme, org)
    return Context(org, calendar, schemes, wanted, frozenset(broken - schemes.keys())), diagnostics


def _scheme_id(f: Loaded) -> str:
    """The id a scheme file that cannot be built stands for: its id when it reads as text,
    else its file name."""
    written = f.doc.get("id") if isinstance(f.doc, dict) else None
    return written if isinstance(written, str) else PurePosixPath(f.rel).stem


def open_ledger(
    root: Path,
    only: Iterable[str] | None = None,
    *,
    use_cache: bool = True,
    want_records: bool | KeepFor = True,
    found: dict[str, cache.Stat] | None = None,
    changes: dict[str, str] | None = None,
) -> Opened:
    """The ledger's model and every diagnostic, placed at line and column.

    With `only` (paths relative to root), records outside it are still read, so that
    duplicates and results stay right, but only problems in those files and in the shared
    files (org, calendar, schemes) are reported, and closed periods are flagged for them.
    `found` (`scan(root)`) and `changes` (`uncommitted(root)`) may be passed by a caller
    that has them already: the ledger is scanned and git asked once per command.
    """
    found = scan(root) if found is None else found
    stats = {rel: found[rel] for rel in sorted(found)}
    wanted = frozenset(only) if only is not None else None
    shared_rels = [rel for rel in stats if kind_of(rel) in SHARED_KINDS]
    read_from = time.time_ns()
    cached = cache.load_shard(root, "_shared") if use_cache else {}
    stale = [r for r in shared_rels if r not in cached or cached[r][0] != stats[r]]
    fresh = {f.rel: f for f in read_many(root, stale)}
    shared = [fresh[r] if r in fresh else Loaded(r, *cached[r][1:]) for r in shared_rels]
    fresh_any = bool(stale) or len(cached) != len(shared_rels)
    if use_cache and fresh_any:
        cache.save_shard(
            root,
            "_shared",
            {f.rel: (stats.get(f.rel), f.kind, f.doc, f.diagnostics) for f in shared},
            read_from,
        )
    ctx, diagnostics = shared_context(shared, wanted)
    diagnostics += codeowners.stale(root, ctx.org)  # KPI701; only stat calls without the file
    diagnostics += [x for f in shared for x in f.diagnostics]

    others = {rel: stat for rel, stat in stats.items()
              if kind_of(rel) not in SHARED_KINDS + APPEAL_KINDS}
    keep = want_records(ctx.schemes) if callable(want_records) else want_records
    # the folders' checked records are kept by content (check/folders.py): every file's hash,
    # read again only for a file whose stat changed (all of them on a fresh checkout)
    hashes = cache.file_hashes(root, stats) if use_cache else {}
    settled = all(cache.settled(stats[rel], read_from) for rel in shared_rels)
    shared_key = cache.fingerprint({}, None, [(rel, hashes[rel]) for rel in shared_rels]) \
        if use_cache and settled else None
    processed = process_all(str(root), others, ctx, keep, use_cache, shared_key,
                            hashes if use_cache else None)
    for _, _, _, problems in processed:
        diagnostics += problems
    diagnostics += check_duplicates((rel, key) for rel, _, key, _ in processed if key is not None)
    changes = uncommitted(root) if changes is None else changes
    diagnostics += frozen_changes(changes, ctx, wanted)

    if wanted is not None:
        diagnostics = [
            x for x in diagnostics if x.file in wanted or kind_of(x.file) in SHARED_KINDS
        ]
    records = [record for _, record, _, _ in processed if record is not None]
    keyed = [(rel, key) for rel, _, key, _ in processed if key is not None]
    ledger, appealed = with_appeals(ctx.ledger(records, str(root)), root,
                                    [rel for rel in stats if kind_of(rel) in APPEAL_KINDS],
                                    held_results(keyed), record_units(keyed))
    diagnostics += [x for x in appealed if wanted is None or x.file in wanted]
    return Opened(ledger, place_in(root, diagnostics), hashes)


def frozen_changes(
    changes: dict[str, str] | None, ctx: Context, wanted: frozenset[str] | None
) -> list[Diagnostic]:
    """Uncommitted adds, edits and deletes of closed periods' records (corrections excepted),
    from `uncommitted(root)`. Files named on the command line are flagged by `check_record`."""
    out = []
    for rel, status in sorted((changes or {}).items()):
        where = parse_record_path(rel)
        period = ctx.calendar.periods.get(where.period) if where else None
        if where is None or where.correction is not None or period is None:
            continue
        if period.status == "closed" and (wanted is None or rel not in wanted or "D" in status):
            found = d(rel, "KPI309", ("period",), period=period.id)
            out.append(found.at(1, 1) if "D" in status else found)  # a deleted file has no lines
    return out


def check_ledger(
    root: Path,
    only: Iterable[str] | None = None,
    *,
    use_cache: bool = True,
    evaluate: Callable[[Ledger, frozenset[str] | None], list[Diagnostic]] | None = None,
    evaluated: KeepFor | None = None,
) -> list[Diagnostic]:
    """Only the diagnostics of `open_ledger`, remembered for an unchanged ledger.
    `evaluate` (ledger, files named) adds what only running the ledger finds (formulas
    that fail for one person); the checker cannot score, the layer above passes it in.
    `evaluated` says which schemes it needs records of (all when None): records are as large
    as the documents, so the others are never sent back from the workers."""
    selection = sorted(only) if only is not None else None
    if use_cache:
        cache.prune()
    # git's view is an input too: committing a change to a closed period clears KPI309
    read_from = time.time_ns()
    found, changes = scan(root), uncommitted(root)
    key = cache.fingerprint(found, selection, changes) + codeowners.stamp(root)
    key += ":evaluated" if evaluate is not None else ""
    if use_cache:
        remembered = cache.load_result(root, key)
        if remembered is not None:
            return list(remembered)
    opened = open_ledger(
        root,
        selection,
        use_cache=use_cache,
        want_records=(evaluated or True) if evaluate is not None else False,
        found=found,
        changes=changes,
    )
    diagnostics = opened.diagnostics
    if evaluate is not None:
        wanted = frozenset(selection) if selection is not None else None
        diagnostics = sorted(
            diagnostics + evaluate(opened.ledger, wanted), key=Diagnostic.sort_key
        )
    if use_cache and all(cache.settled(st, read_from) for st in found.values()):
        cache.save_result(root, key, diagnostics)  # never for a file edited just now
    return diagnostics


def _single(loaded: list[Loaded], kind: str) -> dict[str, Any] | None:
    """The org chart or calendar, even with schema problems (reported on their own): its
    builder takes what it can, so one misspelt field does not make every record's
    references look unknown."""
    for f in loaded:
        if f.kind == kind and f.doc is not None:
            return dict(f.doc)
    return None


