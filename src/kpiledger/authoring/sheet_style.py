"""How the exported sheets look in Excel: one fill for the cells to fill in, locked fixed cells
(sheet protection without a password: it guards against slips, not people), dropdowns and
number checks (data validation), notes, column widths and number formats.

openpyxl writes the validations; Excel enforces them while someone types. `kpi import` checks
every cell again, so a sheet edited elsewhere (LibreOffice, WPS, a CSV) is held to the same
rules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: "type here"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
BOLD = Font(bold=True)
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="center")
EXCEL_LIST_LIMIT = 255  # characters of an inline dropdown list, as Excel stores it


def text_width(value: Any) -> int:
    """Columns a value takes on screen: CJK and full-width characters count double."""
    if value is None:
        return 0
    lines = str(value).split("\n")
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
               for line in lines)


def fit_widths(ws: Worksheet, least: int = 6, most: int = 30, skip_rows: int = 0) -> None:
    """Each column as wide as its longest line (from row `skip_rows` + 1), within bounds."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), text_width(cell.value))
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = min(max(width + 2, least), most)


def header_row(ws: Worksheet, row: int) -> None:
    for cell in ws[row]:
        if cell.value is not None:
            cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP


def note(cell: Any, lines: list[str]) -> None:
    """A note (comment) sized to be read without resizing it."""
    comment = Comment("\n".join(lines), "kpiledger")
    comment.width = 360
    comment.height = 24 + 18 * sum(1 + len(line) // 22 for line in lines)
    cell.comment = comment


def fill_in(cells: Iterable[Any], number_format: str) -> None:
    """Mark cells as the ones to fill in: the input fill, unlocked, with their number format."""
    for cell in cells:
        cell.fill, cell.protection, cell.number_format = INPUT_FILL, UNLOCKED, number_format


def dropdown(values: list[str], *, strict: bool = True) -> DataValidation | None:
    """A list validation offering `values`; None when Excel cannot hold them inline (a comma
    inside a value, or over 255 characters). `strict=False` offers the list but lets any
    text stand (a cell of several occurrences: 迟到×2; 早退×1)."""
    joined = ",".join(values)
    if not values or any("," in v or '"' in v for v in values) or len(joined) > EXCEL_LIST_LIMIT:
        return None
    return DataValidation(type="list", formula1=f'"{joined}"', allow_blank=True,
                          showErrorMessage=strict, showInputMessage=True)


def number_check(whole: bool, low: Any, high: Any) -> DataValidation:
    """A whole or decimal validation between `low` and `high` (None: open on that side)."""
    kind = "whole" if whole else "decimal"
    if low is not None and high is not None:
        return DataValidation(type=kind, operator="between", formula1=str(low),
                              formula2=str(high), allow_blank=True, showErrorMessage=True,
                              showInputMessage=True)
    if low is not None:
        return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low),
                              allow_blank=True, showErrorMessage=True, showInputMessage=True)
    # any number at all: the widest range Excel's validation accepts keeps text out
    return DataValidation(type=kind, operator="between", formula1="-1E+300",
                          formula2="1E+300", allow_blank=True, showErrorMessage=True,
                          showInputMessage=True)


def explain(dv: DataValidation, title: str, prompt: str, error: str) -> DataValidation:
    """The input message and the error message Excel shows, in Chinese, within its limits."""
    dv.promptTitle, dv.prompt = title[:32], prompt[:255]
    dv.errorTitle, dv.error = "输入有误", error[:255]
    return dv


def protect(ws: Worksheet) -> None:
    """Lock every cell not unlocked by `fill_in`; columns and rows may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
