"""Export → fill in Excel → import gives the same records as `kpi new` + editing the YAML, for
every scheme of the example ledger, every role that fills something in and every data-owner
unit; both ledgers are real git repositories and pass `kpi check` afterwards."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from authoring_helpers import JULY
from conftest import kpi
from gitrepo import Repo, make_repo
from openpyxl import load_workbook

from kpiledger.authoring.sheet_words import kind_names, role_label
from kpiledger.authoring.yamlio import dump_rt, flow, load_rt
from kpiledger.check.ledger import open_ledger
from kpiledger.load.yaml_loader import load
from kpiledger.model import Item

# the period to fill in for each period kind, and a period before it with results
NEXT = {"month": ("2026-06", "2026-07"), "quarter": ("2026-Q1", "2026-Q2"),
        "year": ("2025", "2026")}


def _value(item: Item) -> tuple[Any, Any]:
    """(what someone types into the record, what someone types into the cell) for an item."""
    kind = item.input
    if kind == "percent":
        return "93.5%", 0.935  # Excel keeps 93.5% as 0.935 in a cell formatted with %
    if kind == "ratio":
        return {"numerator": 150, "denominator": 200}, (150, 200)
    if kind in ("number", "count"):
        return 3, 3
    if kind == "points":
        half = (item.max or Decimal(100)) / 2
        return int(half) if half == int(half) else float(half), float(half)
    if kind == "average":
        return [8, 9, 10], "8; 9; 10"
    if kind == "level":
        return item.levels[0].level, item.levels[0].level  # picked from the dropdown: text
    if kind == "pass":
        return True, "合格"
    if kind == "occurrences":
        names = kind_names(item)
        kind_id, name = next(iter(names.items()))
        rule = item.spec["per"][kind_id]
        if isinstance(rule, tuple):  # a range: the occurrence states its points
            return [{"kind": kind_id, "count": 1, "points": int(rule[0])}], f"{name}×1@{rule[0]}"
        return [{"kind": kind_id, "count": 2}], f"{name}×2"
    raise AssertionError(kind)


def _git_copy(tmp: Path, name: str) -> Repo:
    (tmp / name).mkdir()
    repo = make_repo(tmp / name)
    periods = repo.read("periods.yaml")
    head, sep, tail = periods.partition("  - id: 2026-Q1")
    repo.write("periods.yaml", head + JULY + sep + tail)
    repo.commit(message="七月")
    return repo


def _cases(root: Path) -> list[tuple[str, str, str]]:
    """(period kind, scheme, role) for every scheme and every role that fills it in."""
    ledger = open_ledger(root).ledger
    return sorted({(s.period_kind, s.id, r) for s in ledger.schemes.values()
                   for i in s.items for r in i.by})


def _fill_records(repo: Repo, period: str, role: str, schemes: set[str]) -> dict[str, Any]:
    """The command-line path: `kpi new`, then every null replaced by hand."""
    done = kpi("new", period, "--role", role, cwd=repo.path)
    assert done.returncode == 0, done.stderr
    ledger = open_ledger(repo.ledger).ledger
    out = {}
    for path in sorted((repo.ledger / period).rglob("*.yaml")):
        rel = path.relative_to(repo.ledger).as_posix()
        doc = load_rt(path.read_text(encoding="utf-8"))
        if doc["scheme"] not in schemes or doc["role"] != role:
            path.unlink()
            continue
        items = {i.id: i for i in ledger.schemes[doc["scheme"]].items}
        for item_id in list(doc["items"]):
            doc["items"][item_id] = flow(_value(items[item_id])[0])
        path.write_text(dump_rt(doc), encoding="utf-8")
        out[rel] = load(path.read_bytes(), rel)[0]
    return out


def _fill_sheets(repo: Repo, before: str, period: str, role: str, schemes: set[str]) -> None:
    """The Excel path: `kpi export`, every input cell filled as a person would, `kpi import`."""
    args = [f"--scheme={s}" for s in sorted(schemes)]
    done = kpi("export", before, "--xlsx", "book.xlsx", "--next-period", period, "--role", role,
               *args, cwd=repo.path)
    assert done.returncode == 0, done.stderr
    ledger = open_ledger(repo.ledger).ledger
    book = load_workbook(repo.path / "book.xlsx")
    for ws in book.worksheets:
        if ws["A1"].value != "考核期":
            continue  # a results sheet
        assert ws["F1"].value == role_label(role)
        scheme = next(s for s in ledger.schemes.values() if s.title == ws["D1"].value)
        by_title = {i.title: i for i in scheme.items}
        for cell in ws[2]:
            head = str(cell.value)
            part = {"分子": 0, "分母": 1}.get(head[-2:]) if head[:-2] in by_title else None
            item = by_title.get(head[:-2] if part is not None else head)
            if item is None:
                continue
            typed = _value(item)[1]
            for r in range(3, ws.max_row + 1):
                ws.cell(row=r, column=cell.column).value = typed if part is None else typed[part]
    book.save(repo.path / "book.xlsx")
    done = kpi("import", "book.xlsx", cwd=repo.path)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("kind", ["month", "quarter", "year"])
def test_excel_and_command_line_give_the_same_records(tmp_path: Path, kind: str) -> None:
    by_hand, by_sheet = _git_copy(tmp_path, "a"), _git_copy(tmp_path, "b")
    before, period = NEXT[kind]
    cases = [c for c in _cases(by_hand.ledger) if c[0] == kind]
    assert cases
    written, seen = 0, set()
    for role in sorted({r for _, _, r in cases}):
        schemes = {s for _, s, r in cases if r == role}
        expected = _fill_records(by_hand, period, role, schemes)
        _fill_sheets(by_sheet, before, period, role, schemes)
        got = {p.relative_to(by_sheet.ledger).as_posix(): load(p.read_bytes(), "x")[0]
               for p in sorted((by_sheet.ledger / period).rglob("*.yaml"))
               if load(p.read_bytes(), "x")[0]["role"] == role} if (
            by_sheet.ledger / period).is_dir() else {}
        assert got == expected, role
        written += len(got)
        seen |= {(doc["scheme"], role) for doc in got.values()}
    assert seen == {(s, r) for _, s, r in cases}  # every scheme and role of this period kind
    for repo in (by_hand, by_sheet):
        repo.commit(message="填好")
        checked = kpi("check", "ledger", cwd=repo.path)
        assert checked.returncode == 0, checked.stdout + checked.stderr
