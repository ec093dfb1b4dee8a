"""Reading filled-in assessment sheets (Excel or CSV): the workbook's cells, the header row and
the optional first row of settings, and each cell's value as the record expects it.

An input sheet: an optional first row of `考核期 | 2026-07 | 方案 | 客服部客服绩效考核表 |
角色 | 上级` (ids such as `cs-agent` and `superior` are accepted too), then a header row (工号
or 被考核人, optionally 姓名, one column per item headed by its Chinese title or its id; a ratio
may take two columns `<title>分子` / `<title>分母`; optionally 评语), then one row per assessee.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from kpiledger.authoring.feedback import Problem
from kpiledger.authoring.sheet_limits import check_book, check_rows, check_size
from kpiledger.authoring.sheet_words import expected, kind_from_word, kind_names
from kpiledger.model import Item
from kpiledger.numbers import plain

ID_HEADERS = ("工号", "被考核人")
NAME_HEADER = "姓名"
COMMENT_HEADER = "评语"
IGNORED_HEADERS = {"序号", "部门", "岗位"}
# a sheet with these is an exported results table, not an input
RESULT_HEADERS = {"总分", "总分（分）"}
META = {"考核期": "period", "方案": "scheme", "角色": "role", "资料来源部门": "source_unit"}
NUM, DEN = "分子", "分母"
PASS_WORDS = {
    "合格": True, "通过": True, "是": True, "true": True, "✓": True, "√": True, "1": True,
    "不合格": False, "不通过": False, "否": False, "false": False, "✗": False, "×": False,
    "0": False,
}
# a kind by its name or id (迟到, 有效请假（天）, late), then ×count, then @points for kinds whose
# points each occurrence states
_OCCURRENCE = re.compile(
    r"(?P<kind>.+?)\s*(?:[×xX*＊]\s*(?P<count>\d+(?:\.\d+)?)\s*[次天]?)?"
    r"(?:\s*[@=＠＝]\s*(?P<points>\d+(?:\.\d+)?)\s*分?)?"
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


class BookRefused(Exception):
    """A workbook over the limits of `sheet_limits`: not opened."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message("en"))
        self.problems = problems


def read_book(path: Path) -> list[Sheet]:
    """Every sheet of an .xlsx workbook, or the one sheet of a .csv file; `BookRefused` when
    it is over the limits (checked before anything is parsed)."""
    if path.suffix.lower() == ".csv":
        refused = check_size(path)
        sheet = None if refused else _read_csv(path)
        refused = refused or check_rows(path.name, sheet.rows if sheet else [])
        if refused or sheet is None:
            raise BookRefused(refused)
        return [sheet]
    refused = check_book(path)
    if refused:
        raise BookRefused(refused)
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


def cell_text(value: Any) -> str:
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


def find_header(sheet: Sheet) -> int | None:
    for i, row in enumerate(sheet.rows[:20]):
        if any(cell_text(c.value) in ID_HEADERS for c in row):
            return i
    return None


def read_meta(sheet: Sheet, header: int) -> dict[str, tuple[str, int, int]]:
    """The settings above the header: key → (text, row, column) of the cell that holds it
    (1-based, to place a problem at that cell)."""
    meta: dict[str, tuple[str, int, int]] = {}
    for r, row in enumerate(sheet.rows[:header], start=1):
        texts = [cell_text(c.value) for c in row]
        for k, t in enumerate(texts[:-1]):
            key = META.get(t.rstrip("：:"))
            if key and texts[k + 1]:
                meta[key] = (texts[k + 1], r, k + 2)
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
    """A cell that cannot be the item's value: KPI606 with what was expected, or another
    code (`code`, `args`) when the cell names something that does not exist."""

    def __init__(self, expected_zh: str, expected_en: str, code: str = "KPI606",
                 **args: Any) -> None:
        super().__init__(expected_zh)
        self.expected_zh, self.expected_en = expected_zh, expected_en
        self.code, self.args_ = code, args


def cell_number(cell: Cell) -> int | float:
    v = cell.value
    if isinstance(v, bool):
        raise CellError("数字", "a number")
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v) if v.is_integer() else v
    try:
        d = Decimal(cell_text(v).replace(",", ""))
    except InvalidOperation:
        raise CellError("数字", "a number") from None
    if not d.is_finite():
        raise CellError("数字", "a number")
    return int(d) if d == d.to_integral_value() else float(plain(d))


def _percent(cell: Cell) -> str:
    v = cell.value
    if isinstance(v, int | float) and not isinstance(v, bool) and "%" in cell.number_format:
        return plain(Decimal(str(v)) * 100) + "%"  # Excel keeps 93% as 0.93 shown with %
    t = cell_text(v).replace("％", "%").replace(" ", "")
    if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)%", t):
        return plain(Decimal(t[:-1])) + "%"
    raise CellError("带 % 的百分数（如 93%）", "a percentage such as 93%")


def _occurrences(item: Item, cell: Cell) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in _SPLIT.split(cell_text(cell.value)):
        part = part.strip()
        if not part:
            continue
        m = _OCCURRENCE.fullmatch(part)
        if m is None:
            raise CellError(*expected(item))
        kind = kind_from_word(item, m["kind"].strip())
        if kind is None and not kind_names(item):
            raise CellError(*expected(item))
        if kind is None:
            raise CellError(*expected(item), code="KPI645", kind=m["kind"].strip(),
                            allowed="、".join(kind_names(item).values()))
        count = Decimal(m["count"] or 1)
        if count != count.to_integral_value():
            raise CellError(*expected(item))
        entry: dict[str, Any] = {"kind": kind, "count": int(count)}
        if m["points"]:
            points = Decimal(m["points"])
            entry["points"] = int(points) if points == points.to_integral_value() else float(points)
        out.append(entry)
    return out


def cell_value(item: Item, cell: Cell) -> Any:
    """A filled-in cell as the ledger writes the item's value; CellError if it cannot be."""
    kind = item.input
    if kind in ("number", "points", "count"):
        try:
            n = cell_number(cell)
        except CellError:
            raise CellError(*expected(item)) from None
        if kind == "count" and not isinstance(n, int):
            raise CellError(*expected(item))
        return n
    if kind == "percent":
        return _percent(cell)
    if kind == "ratio":
        parts = re.split(r"\s*[/／]\s*", cell_text(cell.value))
        if len(parts) != 2:
            raise CellError("分子/分母，如 150/200", "numerator/denominator such as 150/200")
        num, den = (cell_number(Cell(p)) for p in parts)
        return {"numerator": num, "denominator": den}
    if kind == "average":
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            return [cell_number(cell)]
        return [cell_number(Cell(p)) for p in _SPLIT.split(cell_text(cell.value)) if p.strip()]
    if kind == "level":
        v = cell.value
        numeric = isinstance(v, int | float) and not isinstance(v, bool)
        value = cell_number(cell) if numeric else cell_text(v)
        if item.levels and str(value) not in {lv.level for lv in item.levels}:
            raise CellError(*expected(item))
        return value
    if kind == "pass":
        if isinstance(cell.value, bool):
            return cell.value
        word = cell_text(cell.value).lower()
        if word in PASS_WORDS:
            return PASS_WORDS[word]
        raise CellError(*expected(item))
    if kind == "occurrences":
        return _occurrences(item, cell)
    raise CellError(kind, kind)
