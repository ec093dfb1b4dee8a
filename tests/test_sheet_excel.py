"""The exported workbook as Excel shows it (validations on the right ranges, locked and unlocked
cells, frozen panes, number formats, widths, notes, result headers), and one message at its cell
for every mistake a person filling it in makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from authoring_helpers import copy_ledger, snapshot
from conftest import kpi
from openpyxl import load_workbook

from kpiledger.authoring.sheet_style import INPUT_FILL

SHEET = "录入 2026-07 客服部客服绩效考核表"
RESULTS = "客服一组 客服部客服绩效考核表"
# the cs-agent input sheet's columns (ratios as 分子/分母)
COLUMNS = {"work": "N", "attitude": "O", "attendance": "P", "suggestions": "Q",
           "response_time": "K", "conversion": "C"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("excel")
    copy_ledger(tmp)
    for args in (["2026-06", "--xlsx", "book.xlsx"], ["2026-Q1", "--xlsx", "quarter.xlsx"],
                 ["2026-06", "--xlsx", "data.xlsx", "--role", "data", "--scheme",
                  "kpi-notice-2014-02"]):
        done = kpi("export", *args, cwd=tmp)
        assert done.returncode == 0, done.stderr
    return tmp


def _validations(ws: Any) -> dict[str, Any]:
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_input_sheet_speaks_chinese_and_checks_every_cell(exported: Path) -> None:
    ws = load_workbook(exported / "book.xlsx")[SHEET]
    assert [c.value for c in ws[1][:7]] == ["考核期", "2026-07", "方案", "客服部客服绩效考核表",
                                            "角色", "上级", "请填写"]
    assert ws["G1"].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb  # the legend shows the fill
    dv = _validations(ws)
    assert dv["B1"].type == "list" and dv["B1"].formula1 == '"2026-07,2026-05,2026-06"'
    assert dv["F1"].type == "list" and dv["F1"].formula1 == '"上级"'
    work = dv["N3:N9"]  # 工作任务: 0–10 points, as the scheme's max says
    assert (work.type, work.operator, work.formula1, work.formula2) == (
        "decimal", "between", "0", "10")
    assert work.promptTitle == "工作任务" and work.prompt == "填分数：0–10 分，可有小数；例：10"
    assert work.error == "工作任务：应填介于 0 和 10 之间的数字" and work.showErrorMessage
    assert (dv["C3:C9"].type, dv["C3:C9"].operator, dv["C3:C9"].formula1) == (
        "decimal", "greaterThanOrEqual", "0")  # a numerator
    assert (dv["Q3:Q9"].type, dv["Q3:Q9"].formula1) == ("whole", "0")  # a count
    kinds = dv["P3:P9"]  # 考勤: the kinds by name, offered but several may be typed
    assert kinds.type == "list" and kinds.formula1 == '"迟到,早退,有效请假（天）"'
    assert not kinds.showErrorMessage
    assert dv["K3:K9"].type == "decimal"  # a plain number: text is refused

    assert ws.freeze_panes == "C3"
    assert ws.protection.sheet and not ws.protection.password
    assert ws["A3"].protection.locked and ws["B3"].protection.locked  # 工号, 姓名
    assert ws["C2"].protection.locked  # the headers
    for cell in ("C3", "N9", "P5", "R3", "B1", "F1"):
        assert not ws[cell].protection.locked, cell
    assert ws["N3"].fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
    assert ws["A3"].fill.fgColor.rgb != INPUT_FILL.fgColor.rgb
    assert ws["N3"].number_format == "0.0" and ws["P3"].number_format == "@"
    assert ws["Q3"].number_format == "0" and ws["B1"].number_format == "@"
    # CJK counts double: 询单转化率分子 is 7 characters, 14 columns, plus a margin
    assert ws.column_dimensions["C"].width == 16
    assert ws.column_dimensions["P"].width == 22  # room for 迟到×2; 早退×1
    note = ws["P2"].comment.text.split("\n")
    assert note[:4] == ["考勤 · 满分 10 · 考核人填写",
                        "填发生的事项和次数，几项之间用分号隔开；没有则留空",
                        "类别：迟到、早退、有效请假（天）", "例：迟到×2; 早退×1"]
    assert note[-1] == "计分：满分 10，迟到每次扣 2 分；早退每次扣 2 分；有效请假（天）每天扣 1 分"
    assert ws["C2"].comment.text.split("\n")[1:3] == ["填分子：不小于 0 的数字", "例：150"]
    texts = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "null" not in texts and "cs-agent" not in texts and "superior" not in texts


def test_levels_pass_fail_and_roles_are_dropdowns(exported: Path) -> None:
    quarter = load_workbook(exported / "quarter.xlsx")
    levels = _validations(quarter["录入 2026-Q2 客服部门绩效考核标准"])
    assert levels["C3:C9"].formula1 == '"达标,基本达标,未达标"' and levels["C3:C9"].showErrorMessage
    roles = _validations(quarter["录入 2026-Q2 部门绩效考核表（用户服务）"])
    assert roles["F1"].formula1 == '"上级,本人"'
    data = load_workbook(exported / "data.xlsx")[
        "录入 2026-07 绩效委员会 关于各部门2月份关键绩效考核"]
    assert [c.value for c in data[1][4:8]] == ["角色", "资料来源", "资料来源部门", "绩效委员会"]
    assert _validations(data)["C3:C11"].formula1 == '"合格,不合格"'


def test_result_headers_say_what_each_number_is(exported: Path) -> None:
    ws = load_workbook(exported / "book.xlsx")[RESULTS]
    heads = [c.value for c in ws[2]]
    assert heads[3:5] == ["询单转化率\n实际值（%）", "询单转化率\n得分（分）"]
    assert {"总分（分）", "等级", "名次", "绩效工资（指标考核）\n金额（元）"} <= set(heads)
    column = {h: k + 1 for k, h in enumerate(heads)}
    first = {h: ws.cell(row=3, column=k) for h, k in column.items()}
    assert first["询单转化率\n实际值（%）"].number_format == "0.0%"
    assert first["询单转化率\n得分（分）"].number_format == "0.00"
    assert first["总分（分）"].number_format == "0.00"
    assert first["绩效工资（指标考核）\n金额（元）"].number_format == '#,##0.00" 元"'
    assert ws.freeze_panes == "D3"


def _fill(tmp: Path, edit: Any) -> None:
    """The exported cs-agent sheet filled in correctly, then spoiled by `edit(ws)`."""
    book = load_workbook(tmp / "book.xlsx")
    ws = book[SHEET]
    for r in range(3, 10):
        for col in "CDEFGHIJLM":
            ws[f"{col}{r}"] = 100 if col in "DFHJM" else 90
        ws[f"K{r}"], ws[f"N{r}"], ws[f"O{r}"], ws[f"Q{r}"] = 28, 9, 4, 2
    ws["P3"] = "迟到×2; 有效请假×1"  # kinds by their Chinese names
    edit(ws)
    book.save(tmp / "filled.xlsx")


@pytest.fixture()
def ledger_copy(tmp_path: Path, exported: Path) -> Path:
    copy_ledger(tmp_path)
    (tmp_path / "book.xlsx").write_bytes((exported / "book.xlsx").read_bytes())
    return tmp_path


def _problems(tmp: Path) -> list[str]:
    before = snapshot(tmp / "ledger")
    done = kpi("import", "filled.xlsx", cwd=tmp)
    assert done.returncode == 1 and snapshot(tmp / "ledger") == before  # nothing written
    return [line for line in done.stderr.splitlines() if line.startswith("filled.xlsx:")]


MISTAKES = {
    "text in a number cell": (
        lambda ws: ws.__setitem__("N4", "很好"),
        f"filled.xlsx:{SHEET}!N4: KPI606 “很好”不能作为指标“work”（工作任务）的值："
        "应为介于 0 和 10 之间的数字"),
    "an empty required cell": (
        lambda ws: ws.__setitem__("O5", None),
        f"filled.xlsx:{SHEET}!O5: KPI607 单元格为空：指标“attitude”（工作态度）须填写"),
    "a name instead of an id": (
        lambda ws: ws.__setitem__("A3", "张晓燕"),
        f"filled.xlsx:{SHEET}!A3: KPI644 “张晓燕”是姓名，不是工号；请填工号 E1101"),
    "a role with no items here": (
        lambda ws: ws.__setitem__("F1", "本人"),
        f"filled.xlsx:{SHEET}!F1: KPI643 角色写的是“本人”，但表中的指标（如“询单转化率分子”）"
        "由“上级”填写；请把角色改回“上级”"),
    "a role that is no role": (
        lambda ws: ws.__setitem__("F1", "经理"),
        f"filled.xlsx:{SHEET}!F1: KPI642 角色“经理”无法识别；请从下拉列表选择：上级"),
    "a period that does not exist": (
        lambda ws: ws.__setitem__("B1", "2026-13"),
        f"filled.xlsx:{SHEET}!B1: KPI640 考核期“2026-13”不存在；请填写开放中的考核期之一："
        "2026-05、2026-06、2026-07、2026-Q2、2026"),
    "a closed period": (
        lambda ws: ws.__setitem__("B1", "2026-03"),
        f"filled.xlsx:{SHEET}!B1: KPI309 考核期 2026-03 已关闭"),
    "a kind that does not exist": (
        lambda ws: ws.__setitem__("P6", "旷工×1"),
        f"filled.xlsx:{SHEET}!P6: KPI645 “旷工”不是指标“考勤”的扣分类别；"
        "可选：迟到、早退、有效请假（天）"),
}


@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_mistake_is_one_message_at_its_cell(ledger_copy: Path, mistake: str) -> None:
    edit, message = MISTAKES[mistake]
    _fill(ledger_copy, edit)
    problems = _problems(ledger_copy)
    assert len(problems) == 1, problems
    assert problems[0].startswith(message), problems[0]


def _ids_in_settings(ws: Any) -> None:
    ws["D1"], ws["F1"] = "cs-agent", "superior"  # a sheet made before: ids still read


def test_chinese_kind_names_become_ids(ledger_copy: Path) -> None:
    _fill(ledger_copy, _ids_in_settings)
    done = kpi("import", "filled.xlsx", cwd=ledger_copy)
    assert done.returncode == 0, done.stderr
    text = (ledger_copy / "ledger/2026-07/cs-team-1/E1101.yaml").read_text(encoding="utf-8")
    assert ("  attendance:\n    - {kind: late, count: 2}\n    - {kind: leave_day, count: 1}\n"
            in text)
    assert kpi("check", "ledger", cwd=ledger_copy).returncode == 0


def test_a_self_sheet_switched_to_the_superior_is_one_message(tmp_path: Path) -> None:
    """branch-cs: the superior fills in seven items, the assessee two of them; a self sheet
    whose role cell says 上级 is one problem at the role cell, naming the right role."""
    copy_ledger(tmp_path)
    done = kpi("export", "2026-06", "--xlsx", "book.xlsx", "--role", "self", "--scheme",
               "branch-cs", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    book = load_workbook(tmp_path / "book.xlsx")
    ws = book["录入 2026-07 客户服务人员绩效考核方案"]
    assert [c.value for c in ws[2] if c.value] == ["工号", "姓名", "专业技能、接听质量",
                                                  "报表数据真实性、报表整体质量", "评语"]
    ws["F1"] = "上级"
    ws["C3"] = "抽查不合格×1"
    book.save(tmp_path / "filled.xlsx")
    assert _problems(tmp_path) == [
        "filled.xlsx:录入 2026-07 客户服务人员绩效考核方案!F1: KPI643 角色写的是“上级”，"
        "但表中的指标（如“专业技能、接听质量”）由“本人”填写；请把角色改回“本人”"]
