"""Reading one ledger file: its bytes → plain data, schema-checked, as a `Loaded`; many of
them over forked processes; and diagnostics placed at line and column in the files they name.
Used by the ledger's checker (`check.ledger`) and by the org chart's reader (`check.org`)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.files import link_target
from kpiledger.load.layout import expected_layout, kind_of
from kpiledger.load.positions import place
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load
from kpiledger.parallel import fork_map

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # absent on Windows
PARALLEL_SHARED = 400  # below this many shared files (org/ unit files) one process is faster


@dataclass
class Loaded:
    rel: str
    kind: str | None
    doc: Any
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_one(root: str, rel: str, scale: int = 1) -> Loaded:
    """Read, load and schema-check one file (`scale`: see `yaml_loader.load`)."""
    kind = kind_of(rel)
    data, error = _read_plain(os.path.join(root, rel))
    if data is None or not _NOFOLLOW:
        target = link_target(root, rel)
        if target is not None:  # never followed: it may lead out of the repository
            return Loaded(rel, kind, None, [d(rel, "KPI120", target=target).at(1, 1)])
    if kind is None:
        return _misplaced(rel)
    if data is None:
        reason = (error.strerror or str(error)) if error else ""
        return Loaded(rel, kind, None, [d(rel, "KPI100", reason=reason).at(1, 1)])
    return load_document(rel, kind, data, scale)


def _read_plain(path: str) -> tuple[bytes | None, OSError | None]:
    """The bytes of a file that is not a symbolic link, in one open: O_NOFOLLOW refuses a
    link (ELOOP) where an lstat, a path object and an open cost three times as much."""
    try:
        with open(os.open(path, os.O_RDONLY | _NOFOLLOW), "rb") as f:
            return f.read(), None
    except OSError as e:
        return None, e


def load_bytes(rel: str, data: bytes) -> Loaded:
    """Load and schema-check the bytes of the file at `rel` (from git, say), its kind taken
    from its path as `read_one` does."""
    kind = kind_of(rel)
    return _misplaced(rel) if kind is None else load_document(rel, kind, data)


def _misplaced(rel: str) -> Loaded:
    return Loaded(rel, None, None, [d(rel, "KPI313", expected=expected_layout()).at(1, 1)])


def load_document(rel: str, kind: str, data: bytes, scale: int = 1) -> Loaded:
    """Load and schema-check the bytes of one file of the given kind (`scale`: see
    `yaml_loader.load`)."""
    doc, problems = load(data, rel, scale)
    if problems:
        return Loaded(rel, kind, None, problems)
    if not isinstance(doc, dict):
        return Loaded(rel, kind, None, [d(rel, "KPI112")])  # placed at the top-level node
    return Loaded(rel, kind, doc, validate(kind, doc, rel))


def _read_chunk(job: tuple[str, list[str]]) -> list[Loaded]:
    root, rels = job
    return [read_one(root, rel) for rel in rels]


def read_many(root: Path, rels: list[str]) -> list[Loaded]:
    """`read_one` for each file, in order; over forked processes when there are many (the
    unit files of a large org chart: 4,000 of them for 50,000 people)."""
    workers = (os.cpu_count() or 1) if len(rels) >= PARALLEL_SHARED else 1
    size = max(1, -(-len(rels) // (workers * 4)))
    jobs = [(str(root), rels[i : i + size]) for i in range(0, len(rels), size)]
    return [f for part in fork_map(_read_chunk, jobs, None, workers) for f in part]


def place_in(root: Path, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics with line and column filled in from the files below `root`, sorted."""
    diagnostics = list(diagnostics)
    texts = {x.file: _text(root / x.file) for x in diagnostics if x.line is None}
    return place(diagnostics, texts)


def _text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return ""


