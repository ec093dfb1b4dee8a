"""`kpi import`: a filled-in assessment sheet (read by `sheet_read`) becomes records. All or
nothing: every cell it cannot map is reported as `file:sheet!C7: CODE message`, and then
nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpiledger.atomic import write_all
from kpiledger.authoring.feedback import Problem
from kpiledger.authoring.fmt import format_doc, format_text
from kpiledger.authoring.new import default_author, skeleton_doc
from kpiledger.authoring.sheet_read import (
    COMMENT_HEADER,
    ID_HEADERS,
    IGNORED_HEADERS,
    NAME_HEADER,
    RESULT_HEADERS,
    Cell,
    CellError,
    Column,
    Sheet,
    cell_number,
    cell_text,
    cell_value,
    find_header,
    item_by_header,
    read_meta,
)
from kpiledger.authoring.yamlio import dump_rt, flow, load_rt
from kpiledger.calendar import unknown_period
from kpiledger.check.records import applies, check_record, items_for, may_author
from kpiledger.diagnostics import Diagnostic
from kpiledger.load.layout import record_path
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load
from kpiledger.model import Item, Ledger, Period, Record, Scheme, role_names
from kpiledger.model.build import build_record

# ------------------------------------------------------------------------------ import


@dataclass(frozen=True)
class Options:
    period: str | None = None
    scheme: str | None = None
    role: str | None = None
    source_unit: str | None = None
    author: str | None = None
    update: bool = False
    sheets: tuple[str, ...] = ()  # only these sheets; () for every input sheet


@dataclass
class Write:
    rel: str
    text: str
    new: bool


@dataclass
class ImportPlan:
    writes: list[Write] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: int = 0  # template rows with nothing filled in

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class _Row:
    number: int  # 1-based, as Excel shows it
    assessee: str
    name: str
    values: dict[str, Any]
    comment: str | None
    item_column: dict[str, int]  # item id → 1-based column, to place problems


def plan_import(
    ledger: Ledger,
    sheets: list[Sheet],
    options: Options,
    progress: Callable[[Iterable[Any]], Iterator[Any]] | None = None,
) -> ImportPlan:
    plan = ImportPlan()
    chosen = [s for s in sheets if not options.sheets or s.name in options.sheets]
    for name in options.sheets:
        if name not in {s.name for s in sheets}:
            plan.problems.append(Problem("KPI613", name, args={"reason": f"没有工作表 {name}"}))
    inputs = []
    for sheet in chosen:
        header = find_header(sheet)
        if header is None:
            if options.sheets or len(chosen) == 1:
                plan.problems.append(Problem("KPI608", sheet.name, 1))
            continue
        heads = {cell_text(c.value) for c in sheet.rows[header]}
        if heads & RESULT_HEADERS:
            continue  # an exported results table beside the input sheets
        inputs.append((sheet, header))
    if not inputs and not plan.problems:
        plan.problems.append(Problem("KPI608", chosen[0].name if chosen else "?", 1))
    seen_keys: dict[str, tuple[str, int]] = {}
    for sheet, header in inputs:
        _import_sheet(ledger, sheet, header, options, plan, seen_keys, progress)
    if not plan.ok:
        plan.writes = []
    return plan


def _setting(
    plan: ImportPlan, sheet: Sheet, meta: dict[str, str], key: str, option: str | None,
    what: tuple[str, str], flag: str, default: str | None = None,
) -> str | None:
    written = meta.get(key)
    if written and option and written != option:
        plan.problems.append(Problem("KPI611", sheet.name, 1, args={
            "what_zh": what[0], "what_en": what[1], "sheet_value": written,
            "option_value": option}))
        return None
    value = option or written or default
    if value is None:
        plan.problems.append(Problem("KPI610", sheet.name, 1, args={
            "what_zh": what[0], "what_en": what[1], "option": flag}))
    return value


def _import_sheet(
    ledger: Ledger,
    sheet: Sheet,
    header: int,
    options: Options,
    plan: ImportPlan,
    seen_keys: dict[str, tuple[str, int]],
    progress: Callable[[Iterable[Any]], Iterator[Any]] | None,
) -> None:
    meta = read_meta(sheet, header)
    period_id = _setting(plan, sheet, meta, "period", options.period, ("考核期", "period"),
                         "--period")
    scheme_id = _setting(plan, sheet, meta, "scheme", options.scheme, ("方案", "scheme"),
                         "--scheme", _only_scheme(ledger, period_id))
    role = _setting(plan, sheet, meta, "role", options.role, ("角色", "role"), "--role",
                    "superior")
    source_unit = options.source_unit or meta.get("source_unit")
    if period_id is None or scheme_id is None or role is None:
        return
    period = ledger.calendar.periods.get(period_id)
    scheme = ledger.schemes.get(scheme_id)
    for kind, value, found in (("period", period_id, period), ("scheme", scheme_id, scheme)):
        if found is None and kind == "period":
            code, args = unknown_period(value)
            plan.problems.append(Problem(code, sheet.name, 1, args=args))
        elif found is None:
            zh = {"period": "考核期", "scheme": "考核方案"}[kind]
            plan.problems.append(Problem("KPI301", sheet.name, 1, args={
                "kind_zh": zh, "kind_en": kind, "id": value}))
    if period is None or scheme is None:
        return
    if period.status == "closed":
        plan.problems.append(Problem("KPI309", sheet.name, 1, args={"period": period.id}))
        return
    items = items_for(scheme, role, source_unit)
    columns = _columns(sheet, header, items, scheme, role, plan)
    if columns is None:
        return
    rows = _rows(sheet, header, columns, items, plan)
    for row in progress(rows) if progress else rows:
        _import_row(ledger, sheet, row, period, scheme, role, source_unit, options, plan,
                    seen_keys)


def _only_scheme(ledger: Ledger, period_id: str | None) -> str | None:
    """With one scheme of the period's kind, --scheme may be left out."""
    period = ledger.calendar.periods.get(period_id or "")
    kinds = [s.id for s in ledger.schemes.values() if period and s.period_kind == period.kind]
    return kinds[0] if len(kinds) == 1 else None


def _columns(
    sheet: Sheet, header: int, items: dict[str, Item], scheme: Scheme, role: str,
    plan: ImportPlan,
) -> list[Column] | None:
    names = item_by_header(items)
    columns: list[Column] = []
    row = sheet.rows[header]
    data_columns = {k for r in sheet.rows[header + 1:] for k, c in enumerate(r)
                    if cell_text(c.value)}
    id_done = False
    for k, cell in enumerate(row):
        text = cell_text(cell.value)
        if text in ID_HEADERS and not id_done:
            columns.append(Column(k, "id"))
            id_done = True
        elif text == NAME_HEADER or (text in ID_HEADERS and id_done):
            columns.append(Column(k, "name"))
        elif text == COMMENT_HEADER:
            columns.append(Column(k, "comment"))
        elif text in names:
            kind, item = names[text]
            columns.append(Column(k, kind, item))
        elif text in IGNORED_HEADERS or (not text and k not in data_columns):
            continue
        else:
            plan.problems.append(Problem("KPI604", sheet.name, header + 1, k + 1, args={
                "header": text, "scheme": scheme.id, "role": role_names(role).holder_zh,
                "role_en": role_names(role).holder_en}))
    covered = {c.item.id: set() for c in columns if c.item is not None}
    for c in columns:
        if c.item is not None:
            covered[c.item.id].add(c.role)
    for item_id, item in items.items():
        roles = covered.get(item_id, set())
        whole = "item" in roles or {"numerator", "denominator"} <= roles
        if not whole:
            plan.problems.append(Problem("KPI605", sheet.name, header + 1, args={
                "item": item_id, "title": item.title}))
    if any(p.sheet == sheet.name and p.code in ("KPI604", "KPI605") for p in plan.problems):
        return None
    return columns


def _rows(
    sheet: Sheet, header: int, columns: list[Column], items: dict[str, Item], plan: ImportPlan
) -> list[_Row]:
    out: list[_Row] = []
    id_col = next(c.index for c in columns if c.role == "id")
    for i, cells in enumerate(sheet.rows[header + 1:], start=header + 2):
        if not any(cell_text(c.value) for c in cells):
            continue
        got = {c.index: (cells[c.index] if c.index < len(cells) else Cell(None)) for c in columns}
        item_cols = [c for c in columns if c.item is not None]
        if not any(cell_text(got[c.index].value) for c in item_cols):
            plan.skipped_rows += 1  # a template row nobody has filled in yet
            continue
        values: dict[str, Any] = {}
        halves: dict[str, dict[str, Any]] = {}
        where: dict[str, int] = {}
        bad = False
        for col in item_cols:
            item, cell = col.item, got[col.index]
            assert item is not None
            where.setdefault(item.id, col.index + 1)
            if not cell_text(cell.value):
                if item.input == "occurrences":
                    values[item.id] = []  # nothing happened this period
                    continue
                bad = True
                plan.problems.append(Problem("KPI607", sheet.name, i, col.index + 1, args={
                    "item": item.id, "title": item.title}))
                continue
            try:
                if col.role == "item":
                    values[item.id] = cell_value(item, cell)
                else:
                    halves.setdefault(item.id, {})[col.role] = cell_number(cell)
            except CellError as e:
                bad = True
                plan.problems.append(Problem("KPI606", sheet.name, i, col.index + 1, args={
                    "value": cell_text(cell.value), "item": item.id, "title": item.title,
                    "expected_zh": e.expected_zh, "expected_en": e.expected_en}))
        for item_id, parts in halves.items():
            if len(parts) == 2:
                values[item_id] = {"numerator": parts["numerator"],
                                   "denominator": parts["denominator"]}
        assessee = cell_text(got[id_col].value)
        if not assessee:
            bad = True
            plan.problems.append(Problem("KPI607", sheet.name, i, id_col + 1, args={
                "item": "工号", "title": "被考核人"}))
        name = next((cell_text(got[c.index].value) for c in columns if c.role == "name"), "")
        comment = next((cell_text(got[c.index].value) or None for c in columns
                        if c.role == "comment"), None)
        if not bad:
            out.append(_Row(i, assessee, name, values, comment, where))
    return out


def _import_row(
    ledger: Ledger,
    sheet: Sheet,
    row: _Row,
    period: Period,
    scheme: Scheme,
    role: str,
    source_unit: str | None,
    options: Options,
    plan: ImportPlan,
    seen_keys: dict[str, tuple[str, int]],
) -> None:
    org = ledger.org
    id_col = 1  # problems about the assessee point at the row's first cell

    def problem(code: str, column: int | None = id_col, **args: Any) -> None:
        plan.problems.append(Problem(code, sheet.name, row.number, column, args=args))

    a = row.assessee
    if a not in org.people and a not in org.units:
        problem("KPI301", kind_zh="被考核人", kind_en="assessee", id=a)
        return
    expected = org.name_of(a)
    if row.name and row.name != expected:
        problem("KPI614", name=row.name, id=a, expected=expected)
    if not applies(scheme, org, a):
        problem("KPI310", scheme=scheme.id, assessee=a)
        return
    unit = org.unit_of(a) or ""
    rel = record_path(period.id, unit, a, role, source_unit)
    if rel in seen_keys:
        first_sheet, first_row = seen_keys[rel]
        problem("KPI609", id=a, first=first_row if first_sheet == sheet.name else
                f"{first_sheet}!{first_row}")
        return
    seen_keys[rel] = (sheet.name, row.number)
    author = options.author or default_author(ledger, a, role, source_unit)
    if author is None:
        problem("KPI603", role=role_names(role).holder_zh, role_en=role_names(role).holder_en,
                assessee=a)
        return
    probe = Record(rel, period.id, scheme.id, unit, a, role, author, row.values, source_unit)
    ok, who_zh, who_en = may_author(org, probe)
    if not ok:
        problem("KPI304", author=author, role=role, role_zh=role_names(role).holder_zh, assessee=a,
                who_zh=who_zh, who_en=who_en)
        return
    doc = skeleton_doc(ledger, period, scheme, a, unit, role, author, source_unit, {})
    for item_id, value in row.values.items():
        doc["items"][item_id] = flow(value)
    if row.comment:
        doc["comment"] = row.comment
    text = format_doc(doc, rel, Path(ledger.root))
    # the record as the checker will see it: every remaining problem, placed at its cell
    plain_doc, _ = load(text.encode("utf-8"), rel)
    found: list[Diagnostic] = validate("record", plain_doc, rel)
    if not found:
        record = build_record(plain_doc, rel)
        found = [x for x in check_record(record, org, ledger.calendar, ledger.schemes)
                 if x.severity == "error"]
    for x in found:
        column = row.item_column.get(str(x.path[1])) if x.path[:1] == ("items",) and len(
            x.path) > 1 else id_col
        plan.problems.append(Problem(x.code, sheet.name, row.number, column, args=x.args))
    if found:
        return
    _plan_write(ledger, rel, text, plain_doc, row, options, plan, problem)


def _plan_write(
    ledger: Ledger, rel: str, text: str, new_doc: dict[str, Any], row: _Row, options: Options,
    plan: ImportPlan, problem: Callable[..., None],
) -> None:
    target = Path(ledger.root) / rel
    if not target.exists():
        plan.writes.append(Write(rel, text, True))
        return
    data = target.read_bytes()
    old_doc, trouble = load(data, rel)
    carried = ["items", "author"] + (["comment"] if row.comment is not None else [])
    if not trouble and isinstance(old_doc, dict) and all(
        old_doc.get(k) == new_doc.get(k) for k in carried
    ):
        plan.unchanged.append(rel)
        return
    if not options.update:
        problem("KPI612", path=rel)
        return
    # --update: change the values in place, so the record's comments, notes and
    # signatures survive
    rt = load_rt(data.decode("utf-8-sig")) if not trouble else None
    if rt is None or not isinstance(rt, dict):
        plan.writes.append(Write(rel, text, False))
        return
    fresh = load_rt(text)
    for key in carried:
        if key == "items" and isinstance(rt.get("items"), dict):
            for item_id, value in fresh["items"].items():
                if rt["items"].get(item_id) != value:
                    rt["items"][item_id] = flow(value)
            for item_id in [k for k in rt["items"] if k not in fresh["items"]]:
                del rt["items"][item_id]
        elif rt.get(key) != fresh.get(key):
            rt[key] = fresh[key]
    plan.writes.append(Write(rel, format_text(dump_rt(rt), rel, Path(ledger.root)), False))


def write_import(root: Path, plan: ImportPlan) -> list[str]:
    """Every planned record or none (`atomic.write_all`); raises `atomic.WriteError`."""
    if not plan.ok:
        return []
    return write_all(root, [(w.rel, w.text.encode("utf-8")) for w in plan.writes])
