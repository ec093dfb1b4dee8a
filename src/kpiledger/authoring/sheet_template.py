"""The blank input sheet (录入表) of one scheme, role and period, made for Excel: Chinese words
only, the cells to fill in coloured and unlocked, everything else locked, a dropdown or a number
check on every input cell, and a note on every header saying what to type.

Layout (what `sheet_read` and `sheet_meta` read back):

    row 1   考核期 | 2026-07 | 方案 | <title> | 角色 | 上级 [| 资料来源部门 | <unit>] | legend
    row 2   工号 | 姓名 | <item title> … (a ratio: <title>分子 | <title>分母) | 评语
    row 3…  one row per assessee due
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from kpiledger.authoring.sheet_read import COMMENT_HEADER, DEN, NAME_HEADER, NUM
from kpiledger.authoring.sheet_style import (
    INPUT_FILL,
    UNLOCKED,
    dropdown,
    explain,
    fill_in,
    fit_widths,
    header_row,
    note,
    number_check,
    protect,
    text_width,
)
from kpiledger.authoring.sheet_words import (
    choices,
    expected,
    note_lines,
    number_bounds,
    prompt,
    role_label,
    scheme_roles,
)
from kpiledger.model import Item, Ledger, Scheme

HEADER_ROW, FIRST_ROW = 2, 3
LEGEND = ("黄色单元格请填写；其余单元格已锁定（考核期、角色可从下拉列表改选）。"
          "把鼠标停在表头上可看填写说明。")

# the number format of an input cell: what Excel shows while someone types
NUMBER_FORMATS = {
    "percent": "0.0%", "points": "0.0", "count": "0", "number": "General", "ratio": "General",
    "level": "@", "pass": "@", "occurrences": "@", "average": "@",
}


def template_headers(items: dict[str, Item]) -> list[tuple[str, Item | None, str | None]]:
    """The columns `kpi import` expects: 工号, 姓名, the items (a ratio as two columns,
    分子 and 分母), 评语; each with its item and the ratio part it holds."""
    out: list[tuple[str, Item | None, str | None]] = [("工号", None, None),
                                                      (NAME_HEADER, None, None)]
    for item in items.values():
        if item.input == "ratio":
            out += [(item.title + NUM, item, "numerator"), (item.title + DEN, item, "denominator")]
        else:
            out.append((item.title, item, None))
    out.append((COMMENT_HEADER, None, None))
    return out


def write_input_sheet(
    ws: Worksheet, ledger: Ledger, scheme: Scheme, items: dict[str, Item], period_id: str,
    role: str, source_unit: str | None, assessees: list[str],
) -> None:
    org = ledger.org
    first = ["考核期", period_id, "方案", scheme.title, "角色", role_label(role)]
    if source_unit:
        first += ["资料来源部门", org.name_of(source_unit)]
    ws.append([*first, "请填写", LEGEND])
    legend = ws.cell(row=1, column=len(first) + 1)
    legend.fill = INPUT_FILL
    period_cell, role_cell = ws["B1"], ws["F1"]
    for cell in (period_cell, role_cell):
        cell.protection, cell.number_format = UNLOCKED, "@"  # 2026-07 stays text, not a date
    periods = [p.id for p in ledger.calendar.periods.values()
               if p.status == "open" and p.kind == scheme.period_kind]
    periods = [period_id, *(p for p in periods if p != period_id)]
    _validate(ws, dropdown(periods), "B1", "考核期", "从下拉列表选择考核期",
              "请从下拉列表选择开放中的考核期")
    roles = [role_label(r) for r in scheme_roles(scheme)]
    _validate(ws, dropdown(roles), "F1", "角色", "填写人的角色：" + "、".join(roles),
              "请从下拉列表选择角色：" + "、".join(roles))

    headers = template_headers(items)
    ws.append([h for h, _, _ in headers])
    header_row(ws, HEADER_ROW)
    for a in assessees:
        ws.append([a, org.name_of(a)])
    last = FIRST_ROW + len(assessees) - 1
    for k, (_, item, part) in enumerate(headers, start=1):
        head = ws.cell(row=HEADER_ROW, column=k)
        if item is None and head.value != COMMENT_HEADER:
            continue
        cells = [ws.cell(row=r, column=k) for r in range(FIRST_ROW, last + 1)]
        if item is None:  # 评语: free text
            fill_in(cells, "@")
            note(head, ["评语（可不填）：对本期表现的简短说明，会写进记录"])
            continue
        fill_in(cells, NUMBER_FORMATS.get(item.input, "General"))
        note(head, note_lines(item, role, part))
        if cells:
            column = head.column_letter
            _validate(ws, _check(item), f"{column}{FIRST_ROW}:{column}{last}", item.title,
                      prompt(item, part), f"{item.title}：应填{expected(item)[0]}")
    ws.row_dimensions[HEADER_ROW].height = 32
    ws.freeze_panes = f"C{FIRST_ROW}"
    fit_widths(ws, least=8, most=24, skip_rows=1)  # the legend in row 1 runs on to the right
    for k, (_, item, _) in enumerate(headers, start=1):
        if item is not None:  # room for a typical value, not just the header
            least = 22 if item.input in ("occurrences", "average") else 12
            dim = ws.column_dimensions[ws.cell(row=HEADER_ROW, column=k).column_letter]
            dim.width = max(dim.width or 0, least)
    title = ws.column_dimensions["D"]
    title.width = max(title.width or 0, min(text_width(scheme.title) + 2, 30))
    protect(ws)


def _check(item: Item) -> Any:
    """The validation of an item's cells: a dropdown for choices, a range for numbers."""
    kind = item.input
    if kind in ("level", "pass"):
        return dropdown(choices(item))
    if kind == "occurrences":
        return dropdown(choices(item), strict=False)  # several kinds in one cell are fine
    if kind in ("number", "percent", "points", "count", "ratio"):
        low, high = number_bounds(item)
        return number_check(kind == "count", low, high)
    return None


def _validate(ws: Worksheet, dv: Any, ref: str, title: str, text: str, error: str) -> None:
    if dv is None:
        return
    explain(dv, title, text, error)
    dv.add(ref)
    ws.add_data_validation(dv)
