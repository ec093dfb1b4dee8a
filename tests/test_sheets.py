"""`kpi import` and `kpi export`: real workbooks, the real command line, all or nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from authoring_helpers import copy_ledger, snapshot
from conftest import kpi
from openpyxl import load_workbook

from kpiledger.authoring.sheet_read import Cell, CellError, cell_value
from kpiledger.load.yaml_loader import load
from kpiledger.model import Item

TEMPLATE = "录入 2026-07 客服部客服绩效考核表"
FILLED = {
    "询单转化率分子": 150, "询单转化率分母": 200, "支付率分子": 90, "支付率分母": 100,
    "落实客单价分子": 120.5, "落实客单价分母": 110, "旺旺回复率分子": 99, "旺旺回复率分母": 100,
    "旺旺响应率": 28, "客户退款率分子": 1, "客户退款率分母": 90, "工作任务": 9, "工作态度": 4,
}


def _item(kind: str, **kw) -> Item:
    return Item(id="x", title="X", by=("superior",), input=kind, method=None, spec={}, **kw)


def _export_and_fill(tmp: Path, edit=None) -> tuple[Path, dict[str, int]]:
    done = kpi("export", "2026-06", "--xlsx", "book.xlsx", cwd=tmp)
    assert done.returncode == 0, done.stderr
    book = load_workbook(tmp / "book.xlsx")
    ws = book[TEMPLATE]
    assert [c.value for c in ws[1][:6]] == ["考核期", "2026-07", "方案", "客服部客服绩效考核表",
                                            "角色", "上级"]
    heads = {c.value: c.column for c in ws[2]}
    rows = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    for assessee, r in rows.items():
        for head, value in FILLED.items():
            ws.cell(row=r, column=heads[head], value=value)
        ws.cell(row=r, column=heads["客户关系管理（经验建议）"], value=int(assessee[-1]))
    ws.cell(row=rows["E1101"], column=heads["考勤"], value="late×1; leave_day×2")
    ws.cell(row=rows["E1102"], column=heads["评语"], value="继续保持")
    if edit:
        edit(ws, heads, rows)
    book.save(tmp / "filled.xlsx")
    return tmp / "filled.xlsx", rows


def test_round_trip_excel_records_check_score_excel(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    _, rows = _export_and_fill(tmp_path)
    book = load_workbook(tmp_path / "book.xlsx")
    results = book["客服一组 客服部客服绩效考核表"]
    assert [c.value for c in results[2]][:3] == ["序号", "工号", "姓名"]
    assert {"总分（分）", "等级", "名次", "被考核人签字", "考核人签字", "复核人签字"} <= {
        c.value for c in results[2]}
    assert results.cell(row=3, column=2).value == "E1103"  # first place in June

    done = kpi("import", "filled.xlsx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(rows) == ["E1101", "E1102", "E1103", "E1104", "E1201", "E1202", "E1203"]
    doc, problems = load((ledger / "2026-07/cs-team-1/E1101.yaml").read_bytes(), "x")
    assert problems == []
    assert doc["author"] == "E1100" and doc["period"] == "2026-07"
    assert doc["items"]["conversion"] == {"numerator": 150, "denominator": 200}
    assert doc["items"]["unit_price"] == {"numerator": 120.5, "denominator": 110}
    assert doc["items"]["attendance"] == [{"kind": "late", "count": 1},
                                          {"kind": "leave_day", "count": 2}]
    assert doc["items"]["suggestions"] == 1 and doc["items"]["response_time"] == 28
    second, _ = load((ledger / "2026-07/cs-team-1/E1102.yaml").read_bytes(), "x")
    assert second["items"]["attendance"] == [] and second["comment"] == "继续保持"
    assert (ledger / "2026-07/cs-team-2/E1203.yaml").exists()

    assert kpi("check", "ledger", cwd=tmp_path).returncode == 0
    assert kpi("fmt", "--check", cwd=tmp_path).returncode == 0
    score = kpi("score", "--period", "2026-07", "--format", "csv", cwd=tmp_path)
    assert score.returncode == 0 and score.stdout.count("2026-07,cs-agent") == 7

    out = kpi("export", "2026-07", "--xlsx", "july.xlsx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    july = load_workbook(tmp_path / "july.xlsx")["客服一组 客服部客服绩效考核表"]
    heads = [c.value for c in july[2]]
    total = heads.index("总分（分）") + 1
    totals = {july.cell(row=r, column=2).value: july.cell(row=r, column=total).value
              for r in range(3, july.max_row + 1)}
    # E1101 lost 4 attendance points (late 2 + 2 days' leave); the others kept all 10
    assert totals["E1101"] == pytest.approx(totals["E1102"] - 4)
    assert all(v is not None for v in totals.values())


def test_bad_cell_is_reported_by_sheet_row_column_and_nothing_is_written(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)

    def spoil(ws, heads, rows) -> None:
        ws.cell(row=rows["E1103"], column=heads["旺旺响应率"], value="很快")
        ws.cell(row=rows["E1201"], column=heads["工作任务"]).value = None

    _export_and_fill(tmp_path, spoil)
    before = snapshot(ledger)
    done = kpi("import", "filled.xlsx", cwd=tmp_path)
    assert done.returncode == 1
    assert f"filled.xlsx:{TEMPLATE}!K5: KPI606 “很快”不能作为指标“response_time”" in done.stderr
    assert f"filled.xlsx:{TEMPLATE}!N7: KPI607 单元格为空" in done.stderr
    assert "未写入任何文件" in done.stderr
    assert snapshot(ledger) == before


def test_out_of_range_value_is_placed_at_its_cell(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    _export_and_fill(tmp_path, lambda ws, heads, rows: ws.cell(
        row=rows["E1104"], column=heads["工作态度"], value=7))
    done = kpi("import", "filled.xlsx", "--lang", "en", cwd=tmp_path)
    assert done.returncode == 1
    assert (f"{TEMPLATE}!O6: KPI308 item 'Attitude' (attitude) value 7 is out of range"
            in done.stderr)
    assert not (ledger / "2026-07").exists()


def test_import_twice_changes_nothing_and_update_keeps_comments(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    _export_and_fill(tmp_path)
    assert kpi("import", "filled.xlsx", cwd=tmp_path).returncode == 0
    path = ledger / "2026-07/cs-team-1/E1101.yaml"
    kept = "source_unit: null  # 保持 null：只有资料来源部门（data）的记录填写\n"
    path.write_text(path.read_text(encoding="utf-8").replace(
        kept, kept + "notes:\n  work: 我的备注\n"), encoding="utf-8")
    before = snapshot(ledger)
    again = kpi("import", "filled.xlsx", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert snapshot(ledger) == before

    _export_and_fill(tmp_path, lambda ws, heads, rows: ws.cell(
        row=rows["E1101"], column=heads["工作任务"], value=6))
    refused = kpi("import", "filled.xlsx", cwd=tmp_path)
    assert refused.returncode == 1 and "KPI612" in refused.stderr
    assert snapshot(ledger) == before
    updated = kpi("import", "filled.xlsx", "--update", cwd=tmp_path)
    assert updated.returncode == 0, updated.stderr
    text = path.read_text(encoding="utf-8")
    assert "  work: 6\n" in text and "我的备注" in text and "# 分档：X ≥ 75%" in text
    changed = {k for k, v in snapshot(ledger).items() if before.get(k) != v}
    assert changed == {"2026-07/cs-team-1/E1101.yaml"}


def test_csv_with_ratio_cells_and_unknown_column(tmp_path: Path) -> None:
    ledger = copy_ledger(tmp_path)
    heads = ["工号", "姓名", "conversion", "payment", "unit_price", "reply_rate",
             "response_time", "refund_rate", "work", "attitude", "attendance", "suggestions"]
    row = ["E1101", "张晓燕", "150/200", "90/100", "120/110", "99/100", "30", "1/90", "9", "5",
           "late×2", "2"]
    sheet = tmp_path / "july.csv"
    sheet.write_text(",".join(heads) + "\n" + ",".join(row) + "\n", encoding="utf-8-sig")
    done = kpi("import", "july.csv", "--period", "2026-07", "--scheme", "cs-agent", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    doc, _ = load((ledger / "2026-07/cs-team-1/E1101.yaml").read_bytes(), "x")
    assert doc["items"]["conversion"] == {"numerator": 150, "denominator": 200}
    assert doc["items"]["attendance"] == [{"kind": "late", "count": 2}]

    sheet.write_text(",".join([*heads, "奖金"]) + "\n" + ",".join([*row, "5"]) + "\n",
                     encoding="utf-8")
    bad = kpi("import", "july.csv", "--period", "2026-07", "--scheme", "cs-agent", cwd=tmp_path)
    assert bad.returncode == 1
    assert "july.csv:july!M1: KPI604 无法识别列“奖金”" in bad.stderr
    missing = kpi("import", "july.csv", "--period", "2026-07", cwd=tmp_path)
    assert missing.returncode == 1 and "KPI610" in missing.stderr and "--scheme" in missing.stderr


def test_cell_values() -> None:
    percent = _item("percent")
    assert cell_value(percent, Cell(0.93, "0%")) == "93%"
    assert cell_value(percent, Cell(0.935, "0.0%")) == "93.5%"
    assert cell_value(percent, Cell("93 ％")) == "93%"
    with pytest.raises(CellError):
        cell_value(percent, Cell(0.93))  # a bare number could be 0.93% or 93%
    occurrences = _item("occurrences")
    assert cell_value(occurrences, Cell("late×2; leave_day×1")) == [
        {"kind": "late", "count": 2}, {"kind": "leave_day", "count": 1}]
    assert cell_value(occurrences, Cell("late x2，fraud@3")) == [
        {"kind": "late", "count": 2}, {"kind": "fraud", "count": 1, "points": 3}]
    with pytest.raises(CellError):
        cell_value(occurrences, Cell("迟到两次"))
    assert cell_value(_item("pass"), Cell("不合格")) is False
    assert cell_value(_item("count"), Cell(3.0)) == 3
    with pytest.raises(CellError):
        cell_value(_item("count"), Cell(2.5))
    assert cell_value(_item("average"), Cell("8; 9; 10")) == [8, 9, 10]
    assert cell_value(_item("points", max=Decimal(10)), Cell("7.5")) == 7.5


def test_export_names_its_sheets_the_first_few_of_many() -> None:
    from kpiledger.authoring.run import sheets_written

    names = [f"客服{n}组 客服部客服绩效考核表" for n in range(1, 872)]
    text = sheets_written("考核表.xlsx", names, "zh")
    assert text.startswith("考核表.xlsx：871 个工作表：客服1组 客服部客服绩效考核表、")
    assert text.endswith("客服10组 客服部客服绩效考核表、…") and "客服11组" not in text
    assert sheets_written("a.xlsx", names[:3], "en") == (
        "a.xlsx: 3 sheets: " + ", ".join(names[:3]))
