"""What the site's submission form needs (`site/pages/submit_form.py`): per open period and
unit, the records still missing from the unit's assessor (role superior) as `kpi new` would
write them, each item described as form controls, and the unit's Excel sheet.

The browser fills in a skeleton's `null`s and nothing else, so its file is byte for byte the
one `kpi new` + filling in (or `kpi import` of the sheet) writes. Values a person picks from a
list (levels, 合格/不合格) arrive already written as YAML here, by the same dumper.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from kpiledger.authoring.new import plan_new
from kpiledger.authoring.sheet_template import write_input_sheet
from kpiledger.authoring.sheet_words import PASS_LABELS, expected, kind_names, number_bounds
from kpiledger.authoring.yamlio import MARKER, dump_rt, repository_schema_line
from kpiledger.check.records import items_for
from kpiledger.load.yaml_loader import load
from kpiledger.model import Item, Ledger, role_names
from kpiledger.numbers import plain

ROLE = "superior"  # the form is the department head's: what the assessor writes


@dataclass(frozen=True)
class Control:
    """One item as a form control."""

    id: str
    title: str
    input: str  # the item's input kind (number, percent, ratio, count, level, …)
    hint: str  # what the value must be, in a person's words
    hint_en: str
    options: list[dict[str, Any]] = field(default_factory=list)  # {label, value, yaml}
    kinds: list[dict[str, str]] = field(default_factory=list)  # deduction kinds {id, label}
    minimum: str | None = None
    maximum: str | None = None

    def as_json(self, lang: str = "zh") -> dict[str, Any]:
        hint = self.hint_en if lang == "en" else self.hint
        return {"id": self.id, "title": self.title, "input": self.input, "hint": hint,
                "options": self.options, "kinds": self.kinds, "min": self.minimum,
                "max": self.maximum}


@dataclass(frozen=True)
class Blank:
    """One missing record: where it goes, the skeleton's text and its controls."""

    rel: str  # ledger-relative path
    text: str  # the skeleton, exactly as `kpi new` writes it
    assessee: str
    author: str
    scheme: str
    base: dict[str, Any]  # the record's keys other than items, as the checker reads them
    controls: list[Control]


def yaml_scalar(value: Any) -> str:
    """A value as the ledger's dumper writes it after `key: ` (one line)."""
    return dump_rt({"k": value}).rstrip("\n")[3:]


def _level_value(level: str) -> Any:
    # a sheet's numeric cell is written as a number (sheet_read.cell_value): so here too
    try:
        d = Decimal(level)
    except InvalidOperation:
        return level
    if not d.is_finite():
        return level
    return int(d) if d == d.to_integral_value() else float(plain(d))


def control(item_id: str, item: Item) -> Control:
    hint, hint_en = expected(item)
    lo, hi = number_bounds(item)
    bounds = {"minimum": plain(lo) if lo is not None else None,
              "maximum": plain(hi) if hi is not None else None}
    if item.input == "level":
        opts = [{"label": lv.level, "value": _level_value(lv.level),
                 "yaml": yaml_scalar(_level_value(lv.level))} for lv in item.levels]
        return Control(item_id, item.title, item.input, hint, hint_en, options=opts)
    if item.input == "pass":
        opts = [{"label": label, "value": value, "yaml": yaml_scalar(value)}
                for label, value in zip(PASS_LABELS, (True, False), strict=True)]
        return Control(item_id, item.title, item.input, hint, hint_en, options=opts)
    if item.input == "occurrences":
        kinds = [{"id": k, "label": name} for k, name in kind_names(item).items()]
        return Control(item_id, item.title, item.input, hint, hint_en, kinds=kinds)
    return Control(item_id, item.title, item.input, hint, hint_en, **bounds)


def blanks(ledger: Ledger, period_id: str) -> dict[str, list[Blank]]:
    """Unit → the assessor's records still missing in an open period, in `kpi new`'s order."""
    plan = plan_new(ledger, period_id, role=ROLE)
    out: dict[str, list[Blank]] = defaultdict(list)
    if plan.problems:
        return {}
    for sk in plan.skeletons:
        text = _portable(sk.text, sk.rel)
        doc, _ = load(text.encode("utf-8"), sk.rel)
        if not isinstance(doc, dict):
            continue
        scheme = ledger.schemes[doc["scheme"]]
        items = items_for(scheme, ROLE, None)
        base = {k: v for k, v in doc.items() if k != "items"}
        out[doc["unit"]].append(Blank(
            sk.rel, text, doc["assessee"], doc["author"], scheme.id, base,
            [control(i, item) for i, item in items.items()]))
    return dict(out)


def _portable(text: str, rel: str) -> str:
    """The skeleton with the repository layout's schema line: `kpi new` points a ledger kept
    without `schemas/` beside it at this machine's package, which a site must not carry (the
    same commit gives the same site wherever it is built, and `kpi verify` rebuilds it)."""
    first, _, rest = text.partition("\n")
    line = repository_schema_line(rel)
    return f"{line}\n{rest}" if line and first.startswith(MARKER) else text


# a fixed time for every member of the workbook: the same commit gives the same file
_FIXED = (2000, 1, 1, 0, 0, 0)


def unit_workbook(ledger: Ledger, period_id: str, unit_blanks: list[Blank]) -> bytes:
    """The unit's Excel sheet for the period: one input sheet per scheme, its rows the
    assessees still missing (what `kpi export` writes, for `kpi import`), deterministic."""
    from datetime import datetime

    from openpyxl import Workbook

    from kpiledger.authoring.sheet_export import as_text

    book = Workbook()
    book.remove(book.active)
    by_scheme: dict[str, list[str]] = defaultdict(list)
    for b in unit_blanks:
        by_scheme[b.scheme].append(b.assessee)
    for sid, people in by_scheme.items():
        scheme = ledger.schemes[sid]
        title = f"录入 {period_id} {scheme.title}"
        for ch in "[]:*?/\\":
            title = title.replace(ch, "-")
        ws = book.create_sheet(title[:31])
        write_input_sheet(ws, ledger, scheme, items_for(scheme, ROLE, None), period_id, ROLE,
                          None, people)
        as_text(ws)
    book.properties.creator = "kpiledger"
    book.properties.created = book.properties.modified = datetime(*_FIXED)
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes) -> bytes:
    """The same members with a fixed time: openpyxl stamps the time of saving on every zip
    member and, whatever the workbook says, in docProps/core.xml's `modified`."""
    out = io.BytesIO()
    stamp = b"%04d-%02d-%02dT00:00:00Z" % _FIXED[:3]
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _MODIFIED.sub(lambda m: m.group(1) + stamp + m.group(2), body)
            dst.writestr(fixed, body)
    return out.getvalue()


def role_title(lang: str = "zh") -> str:
    return role_names(ROLE).holder_en if lang == "en" else role_names(ROLE).holder_zh
