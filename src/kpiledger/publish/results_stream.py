"""The results document (`publish.results.results_document`) written one entry at a time.

`kpi score --format json` to standard output: the same text as `results_to_json`, byte for
byte, without the whole document or its text in memory at once — at 120,000 records those
were 3 GiB on top of the scored results (`docs/benchmarks.md`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from kpiledger.publish.results import document_entries
from kpiledger.score.ledger import Results

_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def document_parts(results: Results) -> Iterator[str]:
    """The text of `results_to_json(results)` in pieces, each entry serialised on its own."""
    entries = document_entries(results)
    yield "{"
    for n, key in enumerate(sorted(entries)):  # orjson's OPT_SORT_KEYS order
        yield ("\n" if n == 0 else ",\n") + f'  "{key}": '
        value = entries[key]
        yield from _list(value) if isinstance(value, Iterator) else [_dumps(value, 2)]
    yield "\n}\n"


def _list(items: Iterable[Any]) -> Iterator[str]:
    """A list at depth one, as orjson indents it: `[]` when empty."""
    empty = True
    for item in items:
        yield ("[\n" if empty else ",\n") + "    " + _dumps(item, 4)
        empty = False
    yield "[]" if empty else "\n  ]"


def _dumps(value: Any, indent: int) -> str:
    """`value` as orjson writes it `indent` spaces deep (JSON strings hold no raw newlines,
    so every line break is the layout's)."""
    return orjson.dumps(value, option=_OPTIONS).decode().replace("\n", "\n" + " " * indent)
