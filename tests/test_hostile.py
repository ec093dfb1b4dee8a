"""Hostile content (issue 13, item 7): a name a spreadsheet would run as a formula is exported
as text, and a symbolic link in the ledger is refused, never followed out of it."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from authoring_helpers import copy_ledger
from conftest import kpi
from openpyxl import load_workbook

HOSTILE = ['=HYPERLINK("http://x.invalid","点我")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_that_looks_like_a_formula_is_exported_as_text(tmp_path: Path, name: str) -> None:
    ledger = copy_ledger(tmp_path)
    org = ledger / "org" / "cs-team-1.yaml"  # 张晓燕's unit
    quoted = name.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace(
        "\r", "\\r")
    org.write_text(org.read_text(encoding="utf-8").replace(
        "name: 张晓燕", f'name: "{quoted}"', 1), encoding="utf-8")
    done = kpi("export", "2026-06", "--xlsx", "book.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "book.xlsx") as book:
        sheets = [book.read(m).decode() for m in book.namelist() if "worksheets/sheet" in m]
    assert not any("<f>" in xml for xml in sheets)  # no formula anywhere
    cells = [c for ws in load_workbook(tmp_path / "book.xlsx").worksheets
             for row in ws.iter_rows() for c in row
             if c.value in (name, name.replace("\r", "\n"))]  # XML reads CR back as LF
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_a_symlink_to_a_file_outside_is_refused_and_not_read(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    outside = tmp_path / "secret.yaml"
    record = next(p for p in sorted((ledger / "2026-06").rglob("*.yaml")))
    outside.write_bytes(record.read_bytes())
    record.unlink()
    record.symlink_to(outside)
    (ledger / "2026-06" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    done = kpi("check", "--lang", "en", cwd=ledger)
    assert done.returncode == 1
    rel = record.relative_to(ledger).as_posix()
    assert f"{rel}:1:1: KPI120" in done.stdout
    assert "2026-06/elsewhere:1:1: KPI120 symbolic links are not allowed" in done.stdout
    assert str(outside) in done.stdout  # where it points, so the clerk can fix it
    assert "secret" not in "".join(  # nothing below the linked folder was read
        line for line in done.stdout.splitlines() if "elsewhere/" in line)


def test_kpi_fmt_never_writes_through_a_symlink(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("assessee:    E1101\n", encoding="utf-8")
    link = ledger / "2026-06" / "cs-team-1" / "E1199.yaml"
    link.symlink_to(outside)
    kpi("fmt", cwd=ledger)
    assert outside.read_text(encoding="utf-8") == "assessee:    E1101\n"
    assert os.path.islink(link)
