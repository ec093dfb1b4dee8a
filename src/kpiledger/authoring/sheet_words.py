"""The words of an assessment sheet: what a person filling a cell reads (roles, kinds, levels by
their Chinese names; what to type, the allowed values or range, an example) and the way back
from those words to the ledger's ids, for `kpi import`.

Everything here is derived from the scheme and the org chart, so a sheet and the checker can
never disagree about what a cell may hold.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from kpiledger.authoring.describe import scoring_lines, size_text
from kpiledger.model import Item, Ledger, Org, Role, Scheme, role_names
from kpiledger.model.enums import QUANTITY_WORDS
from kpiledger.numbers import plain

PASS_LABELS = ("合格", "不合格")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")  # the record schema's id


# ------------------------------------------------------------------------------ roles


def role_label(role: str) -> str:
    """The role as the sheet's 角色 cell shows it: 上级, 本人, 考核小组, 资料来源."""
    return role_names(role).zh


def role_from_label(text: str) -> str | None:
    """A 角色 cell → the role id; the Chinese name, the holder's name (考核人) or the id."""
    for role in Role:
        names = role_names(role)
        if text in (role.value, names.zh, names.holder_zh):
            return role.value
    return None


def scheme_roles(scheme: Scheme) -> list[str]:
    """The roles that fill in something under the scheme, in the order of `Role`."""
    used = {r for item in scheme.items for r in item.by}
    return [r.value for r in Role if r in used]


# ------------------------------------------------------------------------------ names


def scheme_from_label(ledger: Ledger, text: str) -> str | None:
    """A 方案 cell → the scheme id: its title (as exported) or its id."""
    if text in ledger.schemes:
        return text
    found = [s.id for s in ledger.schemes.values() if s.title == text]
    return found[0] if len(found) == 1 else None


def unit_from_label(org: Org, text: str) -> str | None:
    """A 资料来源部门 cell → the unit id: its name or its id."""
    if text in org.units:
        return text
    found = [u.id for u in org.units.values() if u.name == text]
    return found[0] if len(found) == 1 else None


def ids_named(org: Org, name: str) -> list[str]:
    """The people and units called `name`: what someone who typed a name meant."""
    people = [p.id for p in org.people.values() if p.name == name]
    return people + [u.id for u in org.units.values() if u.name == name]


def kind_names(item: Item) -> dict[str, str]:
    """Deduction kind id → the name a sheet shows (the scheme's `deductions.names`)."""
    names: dict[str, str] = item.spec.get("names") or {}
    return {kind: names.get(kind, kind) for kind in item.spec.get("per", {})}


def kind_from_word(item: Item, word: str) -> str | None:
    """A kind as typed (迟到, 有效请假（天）, 有效请假, or the id) → its id; None if unknown."""
    names = kind_names(item)
    if not names:  # not a deductions item: any kind written as an id
        return word if _ID.fullmatch(word) else None
    for kind, name in names.items():
        if word in (kind, name, name.split("（")[0].split("(")[0]):
            return kind
    return None


# ------------------------------------------------------------------------------ cells


def number_bounds(item: Item) -> tuple[Decimal | None, Decimal | None]:
    """The range a numeric cell of the item allows (None: open), as the checker enforces it."""
    if item.input == "points":
        return Decimal(0), item.max if item.max is not None else Decimal(100)
    if item.input in ("count", "ratio"):
        return Decimal(0), None
    return None, None


def _range_text(item: Item) -> str:
    lo, hi = number_bounds(item)
    if lo is not None and hi is not None:
        return f"{plain(lo)}–{plain(hi)}"
    return f"不小于 {plain(lo)}" if lo is not None else ""


def choices(item: Item) -> list[str]:
    """The values a dropdown offers: levels, 合格/不合格, or deduction kinds by name."""
    if item.input == "level":
        return [lv.level for lv in item.levels]
    if item.input == "pass":
        return list(PASS_LABELS)
    if item.input == "occurrences":
        return list(kind_names(item).values())
    return []


def occurrence_example(item: Item) -> str:
    names = list(kind_names(item).values()) or ["类别"]
    shown = [f"{names[0]}×2"] + ([f"{names[1]}×1"] if len(names) > 1 else [])
    return "; ".join(shown)


def expected(item: Item) -> tuple[str, str]:
    """What a cell of the item must hold, for a message: (Chinese, English)."""
    kind = item.input
    if kind in ("number", "percent"):
        return ("数字" if kind == "number" else "百分数，如 93%",
                "a number" if kind == "number" else "a percentage such as 93%")
    if kind in ("count", "points", "ratio"):
        lo, hi = number_bounds(item)
        whole = ("整数", "a whole number") if kind == "count" else ("数字", "a number")
        if hi is None:
            return f"不小于 {plain(lo)} 的{whole[0]}", f"{whole[1]} ≥ {plain(lo)}"
        return (f"介于 {plain(lo)} 和 {plain(hi)} 之间的{whole[0]}",
                f"{whole[1]} from {plain(lo)} to {plain(hi)}")
    if kind == "average":
        return "一个或多个数字，用分号隔开，如 8; 9; 10", "numbers separated by ; such as 8; 9; 10"
    if kind in ("level", "pass"):
        listed = "、".join(choices(item))
        return f"以下之一：{listed}", "one of: " + ", ".join(choices(item))
    if kind == "occurrences":
        listed = "、".join(choices(item))
        kinds = f"（类别：{listed}）" if listed else ""
        return (f"事项×次数，如 {occurrence_example(item)}{kinds}",
                f"kind×count such as {occurrence_example(item)}")
    return kind, kind


def _how(item: Item, part: str | None) -> list[str]:
    """What to type, the allowed values or range, and an example: the note's first lines."""
    kind = item.input
    if kind == "ratio":
        what = {"numerator": "分子", "denominator": "分母"}.get(part or "", "分子/分母")
        lines = [f"填{what}：不小于 0 的数字", "例：" + ("150" if part == "numerator" else "200")]
        if part != "numerator" and item.zero_denominator is not None:
            zero = item.zero_denominator
            then = "不计入总分" if zero == "skip" else f"得 {plain(zero)} 分"
            lines.append(f"分母为 0 时{then}")
        return lines
    if kind == "percent":
        return ["填百分数：直接输入 93% 这样的数（带 %）", "例：93%"]
    if kind == "number":
        return ["填一个数字", "例：28"]
    if kind == "count":
        return ["填整数（次数、条数），不小于 0", "例：3"]
    if kind == "points":
        top = number_bounds(item)[1] or 0
        return [f"填分数：{_range_text(item)} 分，可有小数", f"例：{plain(top)}"]
    if kind == "average":
        return ["填一个或多个数字，用分号隔开（取平均值）", "例：8; 9; 10"]
    if kind in ("level", "pass"):
        listed = choices(item)
        return ["从下拉列表选择：" + "、".join(listed), f"例：{listed[0]}" if listed else ""]
    if kind == "occurrences":
        lines = ["填发生的事项和次数，几项之间用分号隔开；没有则留空",
                 "类别：" + "、".join(choices(item)) if choices(item) else "",
                 f"例：{occurrence_example(item)}"]
        if any(isinstance(rule, tuple) for rule in item.spec.get("per", {}).values()):
            lines.append("按范围扣分的类别须写明扣几分，如 类别×1@3（扣 3 分）")
        return [x for x in lines if x]
    return []


def _deduction_line(item: Item) -> str:
    """Deductions in the sheet's words: kinds by name, never by id."""
    spec: dict[str, Any] = item.spec
    measured = spec.get("measured_in") or {}
    parts = []
    for kind, name in kind_names(item).items():
        rule = spec["per"][kind]
        if isinstance(rule, tuple):
            parts.append(f"{name}每次扣 {plain(rule[0])}–{plain(rule[1])} 分")
        elif kind in measured:
            parts.append(f"{name}每{QUANTITY_WORDS[measured[kind]][0]}扣 {plain(rule)} 分")
        else:
            parts.append(f"{name}每次扣 {plain(rule)} 分")
    return f"满分 {plain(spec.get('full'))}，" + "；".join(parts)


def note_lines(item: Item, role: str, part: str | None = None) -> list[str]:
    """The note on an item's header cell, written for the person filling the cells below."""
    head = [item.title]
    if size_text(item):
        head.append(size_text(item))
    head.append(f"{role_names(role).holder_zh}填写")
    lines = [" · ".join(head), *_how(item, part)]
    if item.definition:
        lines.append("说明：" + " ".join(item.definition.split()))
    if item.method == "deductions":
        lines.append("计分：" + _deduction_line(item))
    else:
        lines += ["计分：" + s for s in scoring_lines(item)]
    return [x for x in lines if x]


def prompt(item: Item, part: str | None = None) -> str:
    """The input message Excel shows beside a selected cell (at most 255 characters)."""
    return "；".join(_how(item, part))[:255]
