"""The submission form's words (Chinese and English) and the JSON Schema of a record's items
that the form checks besides schemas/record.schema.json: the scheme's own limits (levels,
whole numbers, ranges), written once here from the items' controls."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpiledger.authoring.submit_data import Control

WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "在线填报", "index_title": "在线填报", "period": "考核期", "unit": "部门",
        "count": "待交记录", "due": "截止", "open": "打开填报页", "window": "考核期",
        "to": "至",
        "index_note": "各开放考核期中，各部门考核人尚未提交的记录。每个部门一页：可下载 Excel "
                      "表格填写后由人事导入，也可直接在网页上填写并提交。",
        "intro": "下列记录尚未提交。任选一种方式：下载 Excel 表格填好后交给人事（kpi import），"
                 "或在下方表格中逐人填写，检查无误后提交到代码仓库。",
        "excel": "方式一：下载 Excel 表格", "excel_link": "下载本部门的 Excel 表格",
        "excel_note": "填写黄色单元格，保存后交给人事导入。",
        "form": "方式二：在网页上填写",
        "form_note": "逐人填写后点“检查并生成”。检查通过后，每份记录有一个“在代码仓库中新建"
                     "文件”的链接：打开后登录，点提交（Commit / Propose changes），再按页面提示"
                     "发起合并请求。",
        "form_note_local": "逐人填写后点“检查并生成”。检查通过后可复制或下载每份记录的文件，"
                           "交给人事放入账本。",
        "author": "填写人", "comment": "评语（可不填）", "fill": "填写：", "choose": "请选择",
        "numerator": "分子", "denominator": "分母", "ratio": "分子 / 分母",
        "times": "各类别的次数，没有则不填",
        "make": "检查并生成",
        "required": "请填写此项。", "wrong": "填写有误：应填", "record_wrong": "记录不符合格式：",
        "problems": "还有 {n} 处需要修改，已在各项旁标出。", "ready": "检查通过，共 {n} 份记录。",
        "new_file": "在 {forge} 中新建此文件", "copy": "复制内容", "copied": "已复制",
        "download": "下载 .yaml 文件", "file": "文件", "show": "查看文件内容",
        "colon": "：", "lp": "（", "rp": "）",
    },
    "en": {
        "title": "Submit", "index_title": "Submit online", "period": "Period", "unit": "Unit",
        "count": "Records due", "due": "due", "open": "Open the form", "window": "Period",
        "to": "to",
        "index_note": "The records each unit's assessor still owes in the open periods. One "
                      "page per unit: download its Excel sheet for HR to import, or fill in the "
                      "form on the page and submit it.",
        "intro": "These records are still missing. Either download the Excel sheet and hand it "
                 "to HR (kpi import), or fill in the form below and submit it to the repository.",
        "excel": "Way 1: the Excel sheet", "excel_link": "Download the unit's Excel sheet",
        "excel_note": "fill in the yellow cells and hand it to HR to import.",
        "form": "Way 2: fill in the form",
        "form_note": "Fill in each person and press “Check”. Then each record has a link that "
                     "opens the repository's new-file page: sign in, commit (Propose changes) "
                     "and open the pull request it offers.",
        "form_note_local": "Fill in each person and press “Check”. Then copy or download each "
                           "record's file and hand it to HR.",
        "author": "Written by", "comment": "Comment (optional)", "fill": "Enter: ",
        "choose": "Choose", "numerator": "numerator", "denominator": "denominator",
        "ratio": "numerator / denominator", "times": "how many times of each kind, if any",
        "make": "Check",
        "required": "Please fill this in.", "wrong": "Not valid: enter ",
        "record_wrong": "The record is not valid: ",
        "problems": "{n} problem(s) left, marked beside the fields.",
        "ready": "All checked: {n} record(s).",
        "new_file": "Create this file on {forge}", "copy": "Copy", "copied": "Copied",
        "download": "Download .yaml", "file": "File", "show": "Show the file",
        "colon": ": ", "lp": " (", "rp": ")",
    },
}

_PERCENT = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)%$"


def _n(text: str | None) -> int | float | None:
    if text is None:
        return None
    d = Decimal(text)
    return int(d) if d == d.to_integral_value() else float(d)


def value_schema(c: Control) -> dict[str, Any]:
    """What one item's value must be, as `kpi check` measures it (model.inputs)."""
    lo, hi = _n(c.minimum), _n(c.maximum)
    number: dict[str, Any] = {"type": "number"}
    if lo is not None:
        number["minimum"] = lo
    if hi is not None:
        number["maximum"] = hi
    if c.input == "count":
        return {**number, "type": "integer"}
    if c.input in ("number", "points"):
        return number
    if c.input == "percent":
        return {"type": "string", "pattern": _PERCENT}
    if c.input == "ratio":
        return {"type": "object", "required": ["numerator", "denominator"],
                "properties": {"numerator": number, "denominator": number}}
    if c.input == "average":
        return {"type": "array", "minItems": 1, "items": number}
    if c.input in ("level", "pass"):
        return {"enum": [o["value"] for o in c.options]}
    if c.input == "occurrences":
        kind: dict[str, Any] = {"enum": [k["id"] for k in c.kinds]} if c.kinds else {
            "type": "string"}
        return {"type": "array", "items": {
            "type": "object", "required": ["kind", "count"],
            "properties": {"kind": kind, "count": {"type": "integer", "minimum": 1}}}}
    return {}


def item_schema(controls: list[Control]) -> dict[str, Any]:
    """The scheme's limits on a record's items (record.schema.json checks the rest)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object", "required": ["items"],
        "properties": {"items": {
            "type": "object", "required": [c.id for c in controls],
            "properties": {c.id: value_schema(c) for c in controls}}},
    }
