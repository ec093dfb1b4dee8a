"""Every problem of a record in one run: its meaning is checked even when it has schema problems.

A record with a schema problem is never scored, but stopping there made people fix mistakes
in layers (fix two, five more appear). A schema problem in one item, in an unknown field or in
the comment touches only that part: the record is checked without it, and what the meaning
checks would say again about the part left out (the item is missing) is not said twice. A
problem in the header (period, scheme, unit, assessee, role, author, source unit,
correction), a missing field, or a document that is no mapping leaves nothing safe to stand
on: then the schema problems are all there is to say.

Messages also name items by title (`item_words`) once the scheme is known, and a meaning
problem said in words replaces the schema's "bad format" at the same place (a deduction kind
written 迟到 lists the kinds the scheme allows instead of explaining the id format).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kpiledger.diagnostics import Diagnostic, item_words
from kpiledger.model import Scheme

HEADER = frozenset(
    {"period", "scheme", "unit", "assessee", "role", "author", "source_unit", "correction"}
)


def _said_in_words(x: Diagnostic) -> bool:
    """A schema problem the meaning check says better at the same place: an occurrence's
    kind in the wrong shape (items.<id>.<k>.kind)."""
    p = x.path
    return x.code == "KPI205" and len(p) == 4 and p[0] == "items" and p[3] == "kind"


def salvage(doc: Any, problems: list[Diagnostic]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """The document without the parts its schema `problems` touch, and the ids of the items
    left out; None when a problem touches what the meaning checks stand on."""
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), dict):
        return None
    kept = dict(doc)
    items = dict(doc["items"])
    left_out: set[str] = set()
    for x in problems:
        p = x.path
        if not p or p[0] in HEADER or (p[0] == "items" and len(p) < 2):
            return None
        if p[0] == "items":
            if not _said_in_words(x):
                left_out.add(str(p[1]))
                items.pop(p[1], None)
        else:
            kept.pop(p[0], None)
    kept["items"] = items
    return kept, frozenset(left_out)


def merge(
    schema: list[Diagnostic], meaning: list[Diagnostic], left_out: frozenset[str]
) -> list[Diagnostic]:
    """Both lists, without what the meaning checks say about items left out (their schema
    problem says it) and without a schema problem a meaning problem says in words."""
    meaning = [
        x for x in meaning
        if not (len(x.path) >= 2 and x.path[0] == "items" and str(x.path[1]) in left_out)
        and not (x.code == "KPI305" and x.args.get("item") in left_out)
    ]
    said = {x.path for x in meaning}
    return [x for x in schema if not (_said_in_words(x) and x.path in said)] + meaning


def titled(diagnostics: list[Diagnostic], scheme: Scheme | None) -> list[Diagnostic]:
    """Diagnostics that name an item by id alone, with the item's title beside it."""
    if scheme is None:
        return diagnostics
    items = {i.id: i for i in scheme.items}
    out = []
    for x in diagnostics:
        item = items.get(str(x.args.get("item", "")))
        if item is not None and "item_zh" not in x.args:
            x = replace(x, args={**x.args, **item_words(item.id, item.title, item.title_en)})
        out.append(x)
    return out
