"""Open a ledger: find its files, load and schema-check them (in parallel, cached), build the
model and check its meaning. The one entry point every command uses.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from . import cache
from .build import build_calendar, build_org, build_record, empty_calendar, empty_org
from .check import (
    check_calendar,
    check_duplicates,
    check_org,
    check_record,
    check_scheme_refs,
)
from .diagnostics import Diagnostic, d
from .layout import expected_layout, kind_of
from .loader import load
from .model import Ledger, Record, Scheme
from .positions import place
from .schema import validate
from .scheme_check import check_scheme
from .schemes import build_scheme

PARALLEL_FROM = 2000  # below this many files a process pool costs more than it saves


@dataclass
class Loaded:
    rel: str
    kind: str | None
    doc: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Opened:
    ledger: Ledger
    diagnostics: list[Diagnostic]


def discover(root: Path) -> list[str]:
    """Every YAML file below `root` as a relative path with forward slashes, sorted."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        base = Path(folder).relative_to(root)
        for name in files:
            if name.endswith((".yaml", ".yml")):
                found.append((base / name).as_posix())
    return sorted(found)


def read_one(root: str, rel: str) -> Loaded:
    """Read, load and schema-check one file. Runs in worker processes: keep it self-contained."""
    kind = kind_of(rel)
    if kind is None:
        return Loaded(rel, None, None, [d(rel, "KPI313", expected=expected_layout()).at(1, 1)])
    try:
        data = (Path(root) / rel).read_bytes()
    except OSError as e:
        return Loaded(rel, kind, None, [d(rel, "KPI100", reason=e.strerror or str(e)).at(1, 1)])
    return load_document(rel, kind, data)


def load_document(rel: str, kind: str, data: bytes) -> Loaded:
    """Load and schema-check the bytes of one file of the given kind."""
    doc, problems = load(data, rel)
    if problems:
        return Loaded(rel, kind, None, problems)
    if not isinstance(doc, dict):
        return Loaded(rel, kind, None, [d(rel, "KPI112").at(1, 1)])
    return Loaded(rel, kind, doc, validate(kind, doc, rel))


def _read_chunk(args: tuple[str, list[str]]) -> list[Loaded]:
    root, rels = args
    return [read_one(root, rel) for rel in rels]


def read_all(root: Path, rels: Sequence[str], use_cache: bool = True) -> list[Loaded]:
    """Loaded files, from the cache where a file's size and mtime are unchanged."""
    stats = cache.stat_all(root, rels)
    cached = cache.load_files(root) if use_cache else {}
    fresh = [rel for rel in rels if cached.get(rel, (None,))[0] != stats.get(rel)]
    loaded = {rel: Loaded(rel, *cached[rel][1:]) for rel in rels if rel not in fresh}
    for item in _read_many(str(root), fresh):
        loaded[item.rel] = item
    if use_cache and fresh:
        cache.save_files(
            root,
            {rel: (stats.get(rel), x.kind, x.doc, x.diagnostics) for rel, x in loaded.items()},
        )
    return [loaded[rel] for rel in rels]


def _read_many(root: str, rels: list[str]) -> list[Loaded]:
    workers = os.cpu_count() or 1
    if len(rels) < PARALLEL_FROM or workers < 2:
        return [read_one(root, rel) for rel in rels]
    size = max(200, len(rels) // (workers * 8))
    chunks = [(root, rels[i : i + size]) for i in range(0, len(rels), size)]
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        return [x for chunk in pool.map(_read_chunk, chunks) for x in chunk]


def open_ledger(
    root: Path,
    only: Iterable[str] | None = None,
    *,
    use_cache: bool = True,
) -> Opened:
    """The ledger's model and every diagnostic, placed at line and column.

    With `only` (paths relative to root), records outside it are still read, so that
    duplicates and results stay right, but only problems in those files and in the shared
    files (org, calendar, schemes) are reported, and closed periods are flagged for them.
    """
    rels = discover(root)
    wanted = set(only) if only is not None else None
    loaded = read_all(root, rels, use_cache)
    diagnostics: list[Diagnostic] = [x for f in loaded for x in f.diagnostics]

    org_doc = _single(loaded, "org")
    org = build_org(org_doc) if org_doc is not None else empty_org()
    if org_doc is not None:
        diagnostics += check_org(org_doc, org)
    periods_doc = _single(loaded, "periods")
    calendar = build_calendar(periods_doc) if periods_doc is not None else empty_calendar()
    if periods_doc is not None:
        diagnostics += check_calendar(periods_doc, calendar)
    for kind, name in (("org", "org.yaml"), ("periods", "periods.yaml")):
        if not any(f.kind == kind for f in loaded):
            diagnostics.append(d(name, "KPI100", reason="文件不存在 / missing").at(1, 1))

    schemes: dict[str, Scheme] = {}
    for f in loaded:
        if f.kind == "scheme" and f.doc is not None and not f.diagnostics:
            scheme, problems = build_scheme(f.doc, f.rel)
            diagnostics += problems
            if scheme is None:
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
                        content=scheme.id,
                        path_value=f.rel,
                        expected=f"schemes/{scheme.id}.yaml",
                    )
                )
            schemes[scheme.id] = scheme
            diagnostics += check_scheme(scheme) + check_scheme_refs(scheme, org)

    records: list[Record] = [
        build_record(f.doc, f.rel)
        for f in loaded
        if f.kind in ("record", "correction") and f.doc is not None and not f.diagnostics
    ]
    for record in records:
        if wanted is None or record.file in wanted:
            diagnostics += check_record(
                record, org, calendar, schemes, flag_closed=wanted is not None
            )
    diagnostics += check_duplicates(records)

    if wanted is not None:
        shared = {"org.yaml", "periods.yaml"}
        diagnostics = [
            x
            for x in diagnostics
            if x.file in wanted or x.file in shared or x.file.startswith("schemes/")
        ]
    texts = {x.file: _text(root / x.file) for x in diagnostics if x.line is None}
    ledger = Ledger(str(root), org, calendar, schemes, tuple(_winners(records)))
    return Opened(ledger, place(diagnostics, texts))


def check_ledger(
    root: Path, only: Iterable[str] | None = None, *, use_cache: bool = True
) -> list[Diagnostic]:
    """Only the diagnostics of `open_ledger`, remembered for an unchanged ledger."""
    selection = sorted(only) if only is not None else None
    key = cache.fingerprint(cache.stat_all(root, discover(root)), selection)
    if use_cache:
        remembered = cache.load_result(root, key)
        if remembered is not None:
            return list(remembered)
    diagnostics = open_ledger(root, selection, use_cache=use_cache).diagnostics
    if use_cache:
        cache.save_result(root, key, diagnostics)
    return diagnostics


def _single(loaded: list[Loaded], kind: str) -> dict[str, Any] | None:
    for f in loaded:
        if f.kind == kind and f.doc is not None and not f.diagnostics:
            return dict(f.doc)
    return None


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return ""


def _winners(records: list[Record]) -> list[Record]:
    """One record per key: the highest correction, else the original (first by path)."""
    from .layout import parse_record_path

    best: dict[tuple[str, ...], tuple[int, Record]] = {}
    for record in sorted(records, key=lambda r: r.file):
        where = parse_record_path(record.file)
        rank = where.correction or 0 if where else 0
        if record.key not in best or rank > best[record.key][0]:
            best[record.key] = (rank, record)
    return [r for _, r in sorted(best.values(), key=lambda x: x[1].file)]
