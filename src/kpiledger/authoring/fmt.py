"""`kpi fmt`: one canonical layout for every ledger file, comments kept, idempotent.

A file is formatted only if the checker's loader reads it: a file with a YAML problem is
reported with the checker's diagnostic and left exactly as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from kpiledger.atomic import write_all
from kpiledger.authoring.yamlio import canonical, dump_rt, load_rt, schema_line, with_schema_line
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.layout import kind_of
from kpiledger.load.yaml_loader import load


@dataclass
class FmtReport:
    changed: list[str] = field(default_factory=list)  # relative paths (would be) rewritten
    diagnostics: list[Diagnostic] = field(default_factory=list)  # files left alone


def format_text(text: str, rel: str, root: Path) -> str:
    """The canonical text of a ledger file (its loaded content is unchanged)."""
    kind = kind_of(rel)
    doc = canonical(load_rt(text), kind)
    return with_schema_line(dump_rt(doc), schema_line(root, rel))


def format_doc(doc: Any, rel: str, root: Path) -> str:
    """The canonical text of a document built in memory (`kpi import`): the same text as
    `format_text(dump_rt(doc), …)`, without parsing its own output back (a quarter of the
    time: a 1,000-row sheet spent most of its import doing that)."""
    return with_schema_line(dump_rt(canonical(doc, kind_of(rel))), schema_line(root, rel))


def format_file(root: Path, rel: str) -> tuple[str | None, str | None, list[Diagnostic]]:
    """(old text, new text, problems); texts are None when the file must not be touched."""
    path = root / rel
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, None, [d(rel, "KPI100", reason=e.strerror or str(e)).at(1, 1)]
    _, problems = load(data, rel)  # the checker's own safety rules decide what we may touch
    if problems:
        return None, None, problems
    text = data.decode("utf-8-sig")
    try:
        new = format_text(text, rel, root)
    except YAMLError as e:  # the safe loader accepted it, so this should not happen
        return None, None, [d(rel, "KPI103", problem=str(e).splitlines()[0]).at(1, 1)]
    return text, new, []


def run_fmt(
    root: Path,
    rels: Iterable[str],
    *,
    check_only: bool,
    progress: Callable[[list[str]], Iterable[str]] | None = None,
) -> FmtReport:
    """Format `rels`; every changed file is written, or none (raises `atomic.WriteError`)."""
    report = FmtReport()
    items = list(rels)
    writes: list[tuple[str, bytes]] = []
    for rel in progress(items) if progress else items:
        old, new, problems = format_file(root, rel)
        report.diagnostics += problems
        if old is None or new is None or new == old:
            continue
        report.changed.append(rel)
        writes.append((rel, new.encode("utf-8")))
    if not check_only:
        write_all(root, writes)
    return report


def ledger_files(root: Path, paths: Iterable[Path] | None = None) -> list[str]:
    """The ledger files (of a kind the checker reads) below `paths`, or in the whole ledger."""
    base = root.resolve()
    wanted = [base] if not paths else [p.resolve() for p in paths]
    found: set[str] = set()
    for target in wanted:
        candidates = sorted(target.rglob("*.yaml")) if target.is_dir() else [target]
        for full in candidates:
            if full.is_symlink():
                continue  # refused by the checker (KPI120); never written through
            try:
                rel = full.relative_to(base).as_posix()
            except ValueError:
                continue
            if any(part.startswith(".") for part in rel.split("/")):
                continue
            if kind_of(rel) is not None:
                found.add(rel)
    return sorted(found)
