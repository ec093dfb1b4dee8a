"""The one round-trip YAML setup every writing command shares, and the canonical layout.

Round trip (ruamel.yaml `rt`) keeps comments, quotes and flow styles; the layout is fixed here
once so that `kpi new`, `kpi import` and `kpi fmt` write byte-identical files for the same
content.
"""

from __future__ import annotations

import io
import os
from enum import StrEnum
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kpiledger.load.layout import kind_of

# The record keys in the order of docs/ledger-format.md; unknown keys follow in their order.
RECORD_ORDER = (
    "period",
    "scheme",
    "unit",
    "assessee",
    "role",
    "author",
    "source_unit",
    "items",
    "notes",
    "comment",
    "signatures",
    "correction",
)
SCHEMA_FILES = {
    "org": "org.schema.json",
    "orgunit": "orgunit.schema.json",
    "periods": "periods.schema.json",
    "scheme": "scheme.schema.json",
    "record": "record.schema.json",
    "correction": "correction.schema.json",
    "appeal": "appeal.schema.json",
    "decision": "decision.schema.json",
    "followup": "followup.schema.json",
    "bulletin": "bulletin.schema.json",
}
MARKER = "# yaml-language-server: $schema="
RATIO_KEYS = frozenset({"numerator", "denominator"})


def rt_yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)  # sequences indented under their key
    y.width = 4096  # never re-wrap long text: a reflowed comment or title is a spurious diff
    y.allow_unicode = True
    # `key: null`, as the format doc writes it, rather than ruamel's bare `key:`
    y.representer.add_representer(type(None), _null)
    # the model's fixed sets (Role, Method, …) are written as the plain text they stand for
    y.representer.add_multi_representer(StrEnum, _plain_text)
    return y


def _plain_text(representer: Any, value: StrEnum) -> Any:
    return representer.represent_str(str(value))


def _null(representer: Any, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def load_rt(text: str) -> Any:
    return rt_yaml().load(text)


def dump_rt(doc: Any) -> str:
    out = io.StringIO()
    rt_yaml().dump(doc, out)
    return out.getvalue()


def package_schemas() -> Path:
    return Path(__file__).resolve().parent.parent / "schemas"


def schema_line(ledger_root: Path, rel: str) -> str | None:
    """`# yaml-language-server: $schema=…` for the file `rel` of the ledger (None: not ours).

    Relative to `schemas/` beside the ledger (the repository layout); a ledger kept elsewhere
    points at the installed package's schemas, by an absolute path when the two share nothing
    but the file-system root (a relative path through `/` breaks as soon as either moves)."""
    kind = kind_of(rel)
    if kind is None:
        return None
    folder = (ledger_root / rel).absolute().parent
    beside = ledger_root.absolute().parent / "schemas"
    base = beside if (beside / "record.schema.json").exists() else package_schemas()
    target = base / SCHEMA_FILES[kind]
    try:
        shared = os.path.commonpath([target, folder])
        ref = Path(os.path.relpath(target, folder)).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        shared, ref = "", ""
    if not ref or (Path(shared) == Path(shared).parent and base is not beside):
        ref = target.as_posix()
    return MARKER + ref


def repository_schema_line(rel: str) -> str | None:
    """The schema line of `rel` in the repository layout (`schemas/` beside the ledger),
    whether or not that folder is there: what the site offers, the same on every machine."""
    kind = kind_of(rel)
    if kind is None:
        return None
    return MARKER + "../" * rel.count("/") + "../schemas/" + SCHEMA_FILES[kind]


def canonical(doc: Any, kind: str | None) -> Any:
    """Put a document in the canonical layout, in place: record keys in the documented order,
    ratio maps in flow style. Comments travel with their keys."""
    if kind in ("record", "correction") and isinstance(doc, CommentedMap):
        present = list(doc.keys())
        order = [k for k in RECORD_ORDER if k in doc]
        order += [k for k in present if k not in RECORD_ORDER]
        if order != present:
            _reorder(doc, order)
    _flow_ratios(doc)
    if kind in ("record", "correction") and isinstance(doc, CommentedMap):
        _flow_occurrences(doc.get("items"))
    return doc


def _reorder(doc: CommentedMap, order: list[str]) -> None:
    # A comment written before the first key belongs to the map (ca.comment), the others to
    # the key before them (ca.items): moving keys keeps both with what they describe.
    for key in order:
        doc.move_to_end(key)


def _flow_ratios(node: Any) -> None:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if isinstance(value, CommentedMap) and value and set(value.keys()) <= RATIO_KEYS:
                _to_flow(node, key, value)
            _flow_ratios(value)
    elif isinstance(node, CommentedSeq):
        for value in node:
            _flow_ratios(value)


def _flow_occurrences(items: Any) -> None:
    """`- {kind: late, count: 2, reason: …}`: one line per occurrence, as the docs write them."""
    if not isinstance(items, CommentedMap):
        return
    for value in items.values():
        if isinstance(value, CommentedSeq):
            for k, entry in enumerate(value):
                if isinstance(entry, CommentedMap) and all(
                    not isinstance(v, dict | list) for v in entry.values()
                ):
                    _to_flow(value, k, entry)


def _to_flow(parent: Any, key: Any, value: CommentedMap) -> None:
    """Turn a block map into a flow map, unless a comment inside it would be lost. A comment
    after its last entry (the lines before the parent's next key) moves up to the parent."""
    if value.fa.flow_style():
        return
    keys = list(value.keys())
    inner = {k: c for k, c in value.ca.items.items() if any(x is not None for x in c)}
    if any(k != keys[-1] for k in inner) or value.ca.comment:
        return
    trailing = inner.get(keys[-1])
    if trailing is not None:
        if any(x is not None for i, x in enumerate(trailing) if i != 2):
            return
        own = parent.ca.items.get(key)
        if own is not None and any(x is not None for x in own):
            return
        del value.ca.items[keys[-1]]
        slot = 2 if isinstance(parent, CommentedMap) else 0
        entry: list[Any] = [None, None, None, None] if slot == 2 else [None, None]
        entry[slot] = trailing[2]
        parent.ca.items[key] = entry
    value.fa.set_flow_style()


def flow(value: Any) -> Any:
    """A plain value as the canonical layout writes it: maps in a record's items in flow style."""
    if isinstance(value, dict):
        m = CommentedMap(value)
        m.fa.set_flow_style()
        return m
    if isinstance(value, list):
        return CommentedSeq(flow(v) for v in value)
    return value


def with_schema_line(text: str, line: str | None) -> str:
    """The text with a schema line first. One already there is kept: it may point at a copy of
    the schemas on purpose, and rewriting it would make moving a ledger a diff in every file."""
    if line is None or any(x.startswith(MARKER) for x in text.splitlines()):
        return text
    return line + "\n" + text
