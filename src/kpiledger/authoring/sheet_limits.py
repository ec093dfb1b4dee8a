"""Limits on a workbook, checked before openpyxl parses anything: a hostile or mistaken file
(one cell at row 1,048,576, a zip bomb, a hundred thousand rows) is refused in moments with a
clear message instead of running for minutes or exhausting memory.

The largest legitimate workbook — every person of a 1,000-person company, every item — is far
inside these limits (docs/reliability.md has the figures).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import iterparse

from kpiledger.authoring.feedback import Problem

MAX_FILE_BYTES = 20 * 1024 * 1024  # the file on disk
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # every member of the .xlsx archive, uncompressed
MAX_ROWS = 20_000  # per sheet
MAX_COLUMNS = 500  # per sheet
MAX_AREA = 1_000_000  # rows × columns of one sheet: openpyxl visits every cell of the area
MAX_CELLS = 500_000  # filled cells in the whole workbook

_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_size(path: Path) -> list[Problem]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return [Problem("KPI621", path.name, args={"size": size, "limit": MAX_FILE_BYTES})]
    return []


def check_book(path: Path) -> list[Problem]:
    """The problems that make an .xlsx file too big to read; [] when it may be opened.

    Reads the archive's directory (declared sizes, which zipfile enforces while unpacking),
    then streams each sheet's XML once, counting rows, columns and cells without building it."""
    problems = check_size(path)
    if problems:
        return problems
    with zipfile.ZipFile(path) as book:
        members = book.infolist()
        unpacked = sum(m.file_size for m in members)
        if unpacked > MAX_UNPACKED_BYTES:
            return [Problem("KPI622", path.name,
                            args={"size": unpacked, "limit": MAX_UNPACKED_BYTES})]
        cells = 0
        for member in members:
            if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", member.filename):
                continue
            with book.open(member) as xml:
                rows, columns, filled = _measure(xml, MAX_CELLS - cells)
            cells += filled
            if _too_wide(rows, columns):
                return [_dimension(f"{path.name}:{Path(member.filename).stem}", rows, columns)]
            if cells > MAX_CELLS:
                return [Problem("KPI624", path.name, args={"cells": cells, "limit": MAX_CELLS})]
    return []


def _measure(xml: IO[bytes], budget: int) -> tuple[int, int, int]:
    """(last row, last column, cells) of one sheet's XML, streamed; stops as soon as a limit
    is passed (`budget`: cells still allowed). The sheet's own <dimension> is not trusted."""
    rows = columns = cells = 0
    for event, el in iterparse(xml, events=("start", "end")):
        tag = el.tag.rsplit("}", 1)[-1]
        if event == "end":
            if tag == "row":
                el.clear()  # keep memory flat: the cells are counted already
            continue
        if tag == "row":
            r = el.get("r")
            rows = int(r) if r and r.isdigit() else rows + 1
        elif tag == "c":
            cells += 1
            m = _CELL.fullmatch(el.get("r") or "")
            if m:
                columns = max(columns, _column(m[1]))
                rows = max(rows, int(m[2]))
        if _too_wide(rows, columns) or cells > budget:
            break
    return rows, columns, cells


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out or "A"


def _too_wide(rows: int, columns: int) -> bool:
    return rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_AREA


def _dimension(sheet: str, rows: int, columns: int) -> Problem:
    return Problem("KPI623", sheet, args={
        "sheet": sheet, "dimension": f"A1:{_letters(columns)}{rows}", "rows": rows,
        "columns": columns, "max_rows": MAX_ROWS, "max_columns": MAX_COLUMNS})


def check_rows(name: str, rows: list[list[object]]) -> list[Problem]:
    """The same limits for a CSV file, once read (its size was checked first)."""
    width = max((len(r) for r in rows), default=0)
    return [_dimension(name, len(rows), width)] if _too_wide(len(rows), width) else []
