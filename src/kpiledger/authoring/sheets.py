"""Excel and CSV in and out: `kpi import` turns a filled-in assessment sheet into records,
`kpi export` lays results out like the documents' tables and adds blank sheets ready for import.

An input sheet: an optional first row of `考核期 | 2026-07 | 方案 | cs-agent | 角色 | superior`,
then a header row (工号 or 被考核人, optionally 姓名, one column per item headed by its Chinese
title or its id; a ratio may take two columns `<title>分子` / `<title>分母`; optionally 评语),
then one row per assessee. Import is all or nothing: every cell it cannot map is reported as
`file:sheet!C7: CODE message`, and then nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kpiledger.authoring.describe import comment_lines
from kpiledger.authoring.feedback import Problem
from kpiledger.authoring.fmt import format_text
from kpiledger.authoring.new import active, default_author, skeleton_doc
from kpiledger.authoring.yamlio import dump_rt, flow, load_rt
from kpiledger.check.records import applies, check_record, items_for, may_author
from kpiledger.diagnostics import Diagnostic
from kpiledger.load.layout import record_path
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load
from kpiledger.model import Item, Ledger, Period, Record, Scheme, role_names
from kpiledger.model.build import build_record
from kpiledger.numbers import fmt, plain

ID_HEADERS = ("工号", "被考核人")
NAME_HEADER = "姓名"
COMMENT_HEADER = "评语"
IGNORED_HEADERS = {"序号", "部门", "岗位"}
RESULT_HEADERS = {"总分"}  # a sheet with these is an exported results table, not an input
META = {"考核期": "period", "方案": "scheme", "角色": "role", "资料来源部门": "source_unit"}
NUM, DEN = "分子", "分母"
PASS_WORDS = {
    "合格": True, "通过": True, "是": True, "true": True, "✓": True, "√": True, "1": True,
    "不合格": False, "不通过": False, "否": False, "false": False, "✗": False, "×": False,
    "0": False,
}
_OCCURRENCE = re.compile(
    r"(?P<kind>[A-Za-z0-9][A-Za-z0-9_-]*?)\s*(?:[×xX*]\s*(?P<count>\d+)\s*次?)?"
    r"(?:\s*[@=]\s*(?P<points>\d+(?:\.\d+)?)\s*分?)?"
)
_SPLIT = re.compile(r"[;；,，、\n]+")


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Cell:
    value: Any  # str | int | float | bool | datetime | None
    number_format: str = "General"


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]


def read_book(path: Path) -> list[Sheet]:
    """Every sheet of an .xlsx workbook, or the one sheet of a .csv file."""
    if path.suffix.lower() == ".csv":
        return [_read_csv(path)]
    from openpyxl import load_workbook

    book = load_workbook(path, data_only=True)  # a formula's cached value, not its text
    sheets = []
    for ws in book.worksheets:
        rows = [[Cell(c.value, c.number_format or "General") for c in row]
                for row in ws.iter_rows()]
        sheets.append(Sheet(ws.title, rows))
    return sheets


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # Excel in a Chinese locale saves CSV this way
    rows = [[Cell(v if v != "" else None) for v in row] for row in csv.reader(text.splitlines())]
    return Sheet(path.stem, rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m")  # Excel turns a typed 2026-07 into a date
    return str(value).strip()


# ------------------------------------------------------------------------------ layout


@dataclass
class Column:
    index: int  # 0-based
    role: str  # id | name | comment | item | numerator | denominator
    item: Item | None = None


@dataclass
class Layout:
    header_row: int  # 0-based
    meta: dict[str, str]
    columns: list[Column]


def find_header(sheet: Sheet) -> int | None:
    for i, row in enumerate(sheet.rows[:20]):
        if any(_text(c.value) in ID_HEADERS for c in row):
            return i
    return None


def read_meta(sheet: Sheet, header: int) -> dict[str, str]:
    meta: dict[str, str] = {}
    for row in sheet.rows[:header]:
        texts = [_text(c.value) for c in row]
        for k, t in enumerate(texts[:-1]):
            key = META.get(t.rstrip("：:"))
            if key and texts[k + 1]:
                meta[key] = texts[k + 1]
    return meta


def item_by_header(items: dict[str, Item]) -> dict[str, tuple[str, Item]]:
    """Header text → (column role, item): titles and ids, with 分子/分母 for ratios."""
    out: dict[str, tuple[str, Item]] = {}
    for item in items.values():
        for name in (item.id, item.title):
            out[name] = ("item", item)
            if item.input == "ratio":
                out[name + NUM] = ("numerator", item)
                out[name + DEN] = ("denominator", item)
    return out


# ------------------------------------------------------------------------------ cells


class CellError(Exception):
    def __init__(self, expected_zh: str, expected_en: str) -> None:
        super().__init__(expected_zh)
        self.expected_zh, self.expected_en = expected_zh, expected_en


def _number(cell: Cell) -> int | float:
    v = cell.value
    if isinstance(v, bool):
        raise CellError("数字", "a number")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    try:
        d = Decimal(_text(v).replace(",", ""))
    except InvalidOperation:
        raise CellError("数字", "a number") from None
    if not d.is_finite():
        raise CellError("数字", "a number")
    return int(d) if d == d.to_integral_value() else float(plain(d))


def _percent(cell: Cell) -> str:
    v = cell.value
    if isinstance(v, int | float) and not isinstance(v, bool) and "%" in cell.number_format:
        return plain(Decimal(str(v)) * 100) + "%"  # Excel keeps 93% as 0.93 shown with %
    t = _text(v).replace("％", "%").replace(" ", "")
    if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)%", t):
        return plain(Decimal(t[:-1])) + "%"
    raise CellError("带 % 的百分数（如 93%）", "a percentage such as 93%")


def _occurrences(cell: Cell) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in _SPLIT.split(_text(cell.value)):
        part = part.strip()
        if not part:
            continue
        m = _OCCURRENCE.fullmatch(part)
        if m is None:
            raise CellError("如 late×2; leave_day×1 的事项列表",
                            "occurrences like late×2; leave_day×1")
        entry: dict[str, Any] = {"kind": m["kind"], "count": int(m["count"] or 1)}
        if m["points"]:
            points = Decimal(m["points"])
            entry["points"] = int(points) if points == points.to_integral_value() else float(points)
        out.append(entry)
    return out


def cell_value(item: Item, cell: Cell) -> Any:
    """A filled-in cell as the ledger writes the item's value; CellError if it cannot be."""
    kind = item.input
    if kind in ("number", "points"):
        return _number(cell)
    if kind == "count":
        n = _number(cell)
        if not isinstance(n, int):
            raise CellError("整数", "a whole number")
        return n
    if kind == "percent":
        return _percent(cell)
    if kind == "ratio":
        parts = re.split(r"\s*[/／]\s*", _text(cell.value))
        if len(parts) != 2:
            raise CellError("分子/分母，如 150/200", "numerator/denominator such as 150/200")
        num, den = (_number(Cell(p)) for p in parts)
        return {"numerator": num, "denominator": den}
    if kind == "average":
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            return [_number(cell)]
        return [_number(Cell(p)) for p in _SPLIT.split(_text(cell.value)) if p.strip()]
    if kind == "level":
        v = cell.value
        return _number(cell) if isinstance(v, int | float) and not isinstance(v, bool) else _text(v)
    if kind == "pass":
        if isinstance(cell.value, bool):
            return cell.value
        word = _text(cell.value).lower()
        if word in PASS_WORDS:
            return PASS_WORDS[word]
        raise CellError("合格或不合格", "合格 (pass) or 不合格 (fail)")
    if kind == "occurrences":
        return _occurrences(cell)
    raise CellError(kind, kind)


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
        heads = {_text(c.value) for c in sheet.rows[header]}
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
        if found is None:
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
                    if _text(c.value)}
    id_done = False
    for k, cell in enumerate(row):
        text = _text(cell.value)
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
        if not any(_text(c.value) for c in cells):
            continue
        got = {c.index: (cells[c.index] if c.index < len(cells) else Cell(None)) for c in columns}
        item_cols = [c for c in columns if c.item is not None]
        if not any(_text(got[c.index].value) for c in item_cols):
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
            if not _text(cell.value):
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
                    halves.setdefault(item.id, {})[col.role] = _number(cell)
            except CellError as e:
                bad = True
                plan.problems.append(Problem("KPI606", sheet.name, i, col.index + 1, args={
                    "value": _text(cell.value), "item": item.id, "title": item.title,
                    "expected_zh": e.expected_zh, "expected_en": e.expected_en}))
        for item_id, parts in halves.items():
            if len(parts) == 2:
                values[item_id] = {"numerator": parts["numerator"],
                                   "denominator": parts["denominator"]}
        assessee = _text(got[id_col].value)
        if not assessee:
            bad = True
            plan.problems.append(Problem("KPI607", sheet.name, i, id_col + 1, args={
                "item": "工号", "title": "被考核人"}))
        name = next((_text(got[c.index].value) for c in columns if c.role == "name"), "")
        comment = next((_text(got[c.index].value) or None for c in columns
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
    text = format_text(dump_rt(doc), rel, Path(ledger.root))
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
    if not plan.ok:
        return []
    done = []
    for w in plan.writes:
        target = root / w.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(w.text.encode("utf-8"))
        done.append(w.rel)
    return done


# ------------------------------------------------------------------------------ export


def _sheet_title(title: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
    name, n = base, 2
    while name in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


def template_headers(items: dict[str, Item]) -> list[tuple[str, Item | None]]:
    """The columns `kpi import` expects: 工号, 姓名, the items (ratios as 分子/分母), 评语."""
    out: list[tuple[str, Item | None]] = [("工号", None), (NAME_HEADER, None)]
    for item in items.values():
        if item.input == "ratio":
            out += [(item.title + NUM, item), (item.title + DEN, item)]
        else:
            out.append((item.title, item))
    out.append((COMMENT_HEADER, None))
    return out


def export_workbook(
    ledger: Ledger,
    period_id: str,
    target: Path,
    *,
    role: str = "superior",
    next_period: str | None = None,
    schemes: Iterable[str] = (),
) -> list[str]:
    """Results of `period_id` per ranking group, then one blank input sheet per scheme for the
    next period. Returns the sheet names."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    from kpiledger.evaluate import evaluate_ledger
    from kpiledger.rules.streaks import following_period

    wanted = set(schemes)
    results = [r for r in evaluate_ledger(ledger).results if r.period == period_id
               and (not wanted or r.scheme in wanted)]
    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    groups: dict[tuple[str, str], list[Any]] = {}
    for r in results:
        groups.setdefault((r.scheme, r.group), []).append(r)
    for (scheme_id, group), members in groups.items():
        scheme = ledger.schemes[scheme_id]
        group_name = ledger.org.name_of(group) if group != scheme_id else scheme.title
        ws = book.create_sheet(_sheet_title(f"{group_name} {scheme_id}", taken))
        ws.append([f"{scheme.title} · {period_id} · {group_name}（共 {members[0].of} 人）"])
        ws["A1"].font = bold
        money = list(scheme.money)
        heads = ["序号", "工号", "姓名", *(f"{i.title}" for i in scheme.items),
                 "总分", "等级", "名次", *(m.title for m in money),
                 "被考核人", "日期", "考核人", "日期", "复核人", "日期"]
        ws.append(heads)
        for cell in ws[2]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        for n, r in enumerate(members, start=1):
            points = {i.id: i.points for i in r.items}
            ws.append([
                n, r.assessee, r.name,
                *(_num(points.get(i.id), r.precision) for i in scheme.items),
                _num(r.total, r.precision), r.grade or "", r.rank,
                *(_num(r.money.get(m.id), r.precision) for m in money),
                None, None, None, None, None, None,
            ])
        ws.freeze_panes = "D3"
    kind = ledger.calendar.periods[period_id].kind if period_id in ledger.calendar.periods else (
        "month")
    upcoming = next_period or following_period(kind, ledger.calendar, period_id) or period_id
    period = ledger.calendar.periods.get(upcoming)
    chosen = sorted({r.scheme for r in results} or wanted)
    for scheme_id in chosen:
        scheme = ledger.schemes[scheme_id]
        items = items_for(scheme, role, None)
        if not items:
            continue
        ws = book.create_sheet(_sheet_title(f"录入 {upcoming} {scheme_id}", taken))
        ws.append(["考核期", upcoming, "方案", scheme_id, "角色", role,
                   f"{scheme.title}：每行一人，填好后运行 kpi import 导入"])
        for cell in ws[1][:6]:
            cell.number_format = "@"  # keep 2026-07 as text: Excel would make it a date
        headers = template_headers(items)
        ws.append([h for h, _ in headers])
        for k, (_, item) in enumerate(headers, start=1):
            cell = ws.cell(row=2, column=k)
            cell.font = bold
            if item is not None:
                cell.comment = Comment("\n".join(comment_lines(item, role)), "kpiledger")
        for a in _due(ledger, scheme, period):
            ws.append([a, ledger.org.name_of(a)])
        for k, (_, item) in enumerate(headers, start=1):
            if item is not None and item.input in ("occurrences", "level", "pass", "percent"):
                for row in ws.iter_rows(min_row=3, min_col=k, max_col=k):
                    row[0].number_format = "@"  # typed as written: 93%, late×2, 合格
        ws.freeze_panes = "C3"
    if not book.worksheets:
        book.create_sheet("空")
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return [ws.title for ws in book.worksheets]


def _due(ledger: Ledger, scheme: Scheme, period: Period | None) -> list[str]:
    org = ledger.org
    everyone = sorted(org.people) + sorted(org.units)
    return [a for a in everyone if applies(scheme, org, a)
            and (period is None or active(ledger, a, period))]


def _num(d: Decimal | None, places: int) -> float | None:
    # Excel stores doubles: the published text (rounded half up) read back is what it shows
    return None if d is None else float(fmt(d, places))
