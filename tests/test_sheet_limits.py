"""Workbook limits (issue 13, item 5): sizes, dimensions and cell counts are checked before
openpyxl parses anything, and a refused workbook says why with a code, fast."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from authoring_helpers import copy_ledger, snapshot
from conftest import kpi
from openpyxl import Workbook

from kpiledger.authoring import sheet_limits
from kpiledger.authoring.sheet_read import BookRefused, read_book


def _one_far_cell(path: Path) -> Path:
    """The 8.8 KB workbook of the issue: one cell at row 1,048,576."""
    book = Workbook()
    book.active.cell(row=1, column=1, value="工号")
    book.active.cell(row=1_048_576, column=1, value=1)
    book.save(path)
    return path


def test_a_cell_at_the_last_row_is_refused_fast(tmp_path: Path) -> None:
    path = _one_far_cell(tmp_path / "far.xlsx")
    assert path.stat().st_size < 10_000
    started = time.perf_counter()
    with pytest.raises(BookRefused) as e:
        read_book(path)
    assert time.perf_counter() - started < 1.0
    assert [p.code for p in e.value.problems] == ["KPI623"]
    assert "1048576" in e.value.problems[0].message("en")


def _with_sheet_xml(path: Path, rows: int, columns: int = 1) -> Path:
    """A workbook whose first sheet has `rows` × `columns` filled cells, the XML written
    directly (openpyxl would take minutes to write a hostile one)."""
    book = Workbook()
    book.save(path.with_suffix(".base.xlsx"))
    letters = [chr(65 + k) for k in range(columns)]
    body = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in letters) + "</row>"
        for r in range(1, rows + 1))
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           f'<dimension ref="A1:A1"/><sheetData>{body}</sheetData></worksheet>')
    with zipfile.ZipFile(path.with_suffix(".base.xlsx")) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for m in src.infolist():
            data = xml.encode() if m.filename == "xl/worksheets/sheet1.xml" else src.read(m)
            out.writestr(m.filename, data)
    return path


def test_too_many_rows_are_refused_whatever_the_dimension_says(tmp_path: Path) -> None:
    path = _with_sheet_xml(tmp_path / "rows.xlsx", sheet_limits.MAX_ROWS + 5)
    started = time.perf_counter()
    with pytest.raises(BookRefused) as e:
        read_book(path)
    assert time.perf_counter() - started < 2.0
    assert e.value.problems[0].code == "KPI623"


def test_too_many_cells_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_limits, "MAX_CELLS", 1000)
    path = _with_sheet_xml(tmp_path / "cells.xlsx", 200, 10)
    with pytest.raises(BookRefused) as e:
        read_book(path)
    assert e.value.problems[0].code == "KPI624"


def test_a_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out, \
            out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
        for _ in range(sheet_limits.MAX_UNPACKED_BYTES // len(chunk) + 1):
            member.write(chunk)
    assert path.stat().st_size < 1_000_000  # small on disk
    started = time.perf_counter()
    with pytest.raises(BookRefused) as e:
        read_book(path)
    assert time.perf_counter() - started < 1.0
    assert e.value.problems[0].code == "KPI622"


def test_a_file_too_large_is_refused_unread(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_limits, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("工号,姓名\n" + "E1,张三\n" * 50, encoding="utf-8")
    with pytest.raises(BookRefused) as e:
        read_book(path)
    assert e.value.problems[0].code == "KPI621"


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("工号\n" + "E1\n" * (sheet_limits.MAX_ROWS + 1), encoding="utf-8")
    with pytest.raises(BookRefused) as e:
        read_book(path)
    assert e.value.problems[0].code == "KPI623"


def test_kpi_import_refuses_with_a_code_and_writes_nothing(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    before = snapshot(ledger)
    _one_far_cell(tmp_path / "far.xlsx")
    done = kpi("import", "far.xlsx", "--period", "2026-07", cwd=tmp_path)
    assert done.returncode == 1
    assert "far.xlsx:sheet1: KPI623" in done.stderr and "Traceback" not in done.stderr
    assert snapshot(ledger) == before
