"""Progress bars for people, silence for CI, and messages shaped like the checker's."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from kpiledger.diagnostics.codes import CODES

T = TypeVar("T")


def interactive() -> bool:
    """A person is watching: stderr is a terminal and this is not a CI job."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(label: str) -> Callable[[Iterable[T]], Iterator[T]]:
    """A wrapper that shows a progress bar on stderr when someone is watching."""

    def wrap(items: Iterable[T]) -> Iterator[T]:
        seq = list(items)
        if not interactive() or len(seq) < 2:
            yield from seq
            return
        with click.progressbar(seq, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


@dataclass(frozen=True)
class Problem:
    """A problem placed like the checker places one in a file: `sheet!C7`, or just a name
    (a sheet, a path, an assessee) when there is no cell."""

    code: str
    sheet: str
    row: int | None = None  # 1-based, as Excel shows them; None: the whole sheet
    column: int | None = None  # 1-based; None: the whole row
    args: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def where(self) -> str:
        from openpyxl.utils import get_column_letter

        if self.row is None:
            return self.sheet
        col = get_column_letter(self.column) if self.column else ""
        return f"{self.sheet}!{col}{self.row}" if col else f"{self.sheet}!{self.row}:{self.row}"

    def message(self, lang: str = "zh") -> str:
        code = CODES[self.code]
        template = code.en if lang == "en" else code.zh
        try:
            return template.format_map(_Defaults(self.args))
        except (ValueError, IndexError):
            return template

    def text(self, lang: str = "zh", file: str = "") -> str:
        level = "" if self.severity == "error" else ("warning " if lang == "en" else "警告 ")
        prefix = f"{file}:" if file else ""
        return f"{prefix}{self.where()}: {self.code} {level}{self.message(lang)}"


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""
