"""`kpi check`'s summary of the schemes it checked: items and readings of the source stated
(对原文的解读), so a scheme that states none is seen at once. Printed after the diagnostics,
on stderr, in the text format only; it never changes the exit code."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from kpiledger.check.ledger import read_one, scan
from kpiledger.load.layout import kind_of
from kpiledger.model.schemes import build_scheme


class SchemeSummary(NamedTuple):
    file: str
    id: str
    items: int
    readings: int

    def line(self, lang: str, where: str) -> str:
        """One line of `kpi check`'s summary; `where`: the file as the user types it."""
        if lang == "en":
            return (f"{where}: scheme {self.id}: {self.items} items, "
                    f"{self.readings} readings of the source stated")
        return f"{where}：方案 {self.id}，{self.items} 个指标，对原文的解读 {self.readings} 条"


def scheme_summaries(root: Path, only: Iterable[str] | None = None) -> list[SchemeSummary]:
    """The schemes among `only` (all when None), each with its count of items and readings;
    a scheme file that cannot be read is left to the diagnostics."""
    wanted = None if only is None else set(only)
    out = []
    # Only the schemes folder is walked: a second walk of the whole ledger cost as much as
    # the warm check itself (1.4 s at 120,000 records). A linked folder is not followed.
    folder = root / "schemes"
    found = {} if folder.is_symlink() else scan(folder)
    for rel in sorted(f"schemes/{name}" for name in found):
        if kind_of(rel) != "scheme" or (wanted is not None and rel not in wanted):
            continue
        loaded = read_one(str(root), rel)
        scheme, _ = build_scheme(loaded.doc, rel) if isinstance(loaded.doc, dict) else (None, [])
        if scheme is not None:
            out.append(SchemeSummary(rel, scheme.id, len(scheme.items), len(scheme.readings)))
    return out
