"""An item in the words of its scheme document: the comment lines `kpi new` writes above each
value, and the short hints the sheets use."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpiledger.model import Item, role_names
from kpiledger.model.enums import QUANTITY_WORDS
from kpiledger.numbers import percent_text, plain

INPUT_HINT = {
    "number": "填数字",
    "percent": "填带 % 的百分数，如 92%",
    "ratio": "把两个 null 换成分子和分母（数字）",
    "count": "填整数（次数、条数）",
    "average": "填数字列表，如 [8, 9, 10]（取平均值）",
    "level": "填等级名称之一",
    "pass": "填 true（合格）或 false（不合格）",
    "occurrences": "填事项列表，如 [{kind: 类别, count: 1, reason: 说明}]；没有则填 []",
    "points": "直接填分数",
}


def _p(x: Any) -> str:
    return plain(x) if isinstance(x, Decimal) else str(x)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def scoring_lines(item: Item) -> list[str]:
    """How the item is scored, as the document writes it."""
    spec = item.spec
    if item.method == "bands":
        return ["分档：" + "；".join(f"{b.when} → {_p(b.points)} 分" for b in item.bands)]
    if item.method == "levels":
        return [
            f"等级 {lv.level} → {_p(lv.points)} 分" + (f"：{_one_line(lv.text)}" if lv.text else "")
            for lv in item.levels
        ]
    if item.method == "linear":
        target = spec.get("target")
        shown = percent_text(target) if item.input == "percent" and target else _p(target)
        return [
            f"得分 = {_p(spec.get('full'))} × 完成值 / {shown}，"
            f"最低 {_p(spec.get('floor'))} 分，最高 {_p(spec.get('cap'))} 分"
        ]
    if item.method == "deductions":
        parts = []
        measured = spec.get("measured_in") or {}
        for kind, rule in spec.get("per", {}).items():
            if isinstance(rule, tuple):
                parts.append(f"{kind} 每次扣 {_p(rule[0])}–{_p(rule[1])} 分（在 points 中写明）")
            elif kind in measured:  # count holds the days/hours/amount, not repeats
                unit = QUANTITY_WORDS[measured[kind]][0]
                parts.append(f"{kind} 每{unit}扣 {_p(rule)} 分（count 写{unit}数）")
            else:
                parts.append(f"{kind} 每次扣 {_p(rule)} 分")
        line = f"满分 {_p(spec.get('full'))}，" + "；".join(parts)
        esc = spec.get("escalate")
        if esc:
            line += f"；同类问题 {_p(esc.get('at'))} 次及以上扣分 ×{_p(esc.get('factor'))}"
        return [line + f"；最低 {_p(spec.get('floor'))} 分"]
    if item.method == "bonus":
        cap = spec.get("cap")
        return [
            f"加分：每 {_p(spec.get('every'))} 个加 {_p(spec.get('points'))} 分"
            + (f"，最多 {_p(cap)} 分" if cap is not None else "")
        ]
    if item.method == "pass":
        line = f"合格 {_p(spec.get('pass_points'))} 分，不合格 {_p(spec.get('fail_points'))} 分"
        if spec.get("carry_over"):
            line += "；不合格者延续至下期考核，直至合格为止"
        return [line]
    if item.method == "direct":
        return [f"直接打分：0–{_p(item.max if item.max is not None else 100)} 分"]
    if item.method == "formula":
        return [f"公式：{spec.get('formula')}"]
    return ["仅记录数值，不计分"]


def size_text(item: Item) -> str:
    if item.weight is not None:
        return f"权重 {_p(item.weight)}"
    if item.max is not None:
        return f"满分 {_p(item.max)}"
    return ""


def comment_lines(item: Item, role: str, since: str | None = None) -> list[str]:
    """The comment above an item's value in a skeleton record."""
    head = [f"{item.title}（{item.id}）"]
    if size_text(item):
        head.append(size_text(item))
    head.append(f"{role_names(role).holder_zh}填写")
    lines = [" · ".join(head)]
    if item.definition:
        lines.append(_one_line(item.definition))
    lines += scoring_lines(item)
    if item.veto:
        lines.append(f"一票否决：{item.veto.when} → 总分 {_p(item.veto.total)}")
    hint = INPUT_HINT.get(item.input, "")
    if item.input == "level" and item.levels:
        hint += "：" + "、".join(lv.level for lv in item.levels)
    if item.input == "occurrences" and item.method == "deductions":
        hint += "；类别：" + "、".join(item.spec.get("per", {}))
    if item.input == "ratio" and item.zero_denominator is not None:
        zero = item.zero_denominator
        hint += "；分母为 0 时" + ("不计入总分" if zero == "skip" else f"得 {_p(zero)} 分")
    if hint:
        lines.append("填写：" + hint)
    if since:
        lines.append(f"延续考核：自 {since} 起不合格，本期须再次考核，直至合格为止")
    return lines
