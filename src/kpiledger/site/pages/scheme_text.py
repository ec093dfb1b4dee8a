"""A scheme's definitions in words, laid out like the source documents (考核表): each item's
scoring standard and each cross-period rule's condition. Text only: no page layout."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kpiledger.model import Item
from kpiledger.model.enums import QUANTITY_WORDS
from kpiledger.site.pages.html import esc

PERCENT_INPUTS = ("percent", "ratio")


def num(x: Any) -> str:
    """A number as a scheme writes it: 5 rather than 5.00, 0.5 rather than 0.50."""
    if isinstance(x, Decimal):
        return f"{x.normalize():f}" if x == x.to_integral() else f"{x:f}".rstrip("0")
    return str(x)


def method_text(item: Item, zh: bool) -> str:
    """The item's scoring standard in words (escaped HTML)."""
    pts = "分" if zh else " pts"
    spec = item.spec
    m = item.method
    if m == "bands":
        return "<br>".join(f"{esc(b.when)} → {esc(num(b.points))}{pts}" for b in item.bands)
    if m == "levels":
        return "<br>".join(
            f"{esc(lv.level)}：{esc(num(lv.points))}{pts}"
            + (f"（{esc(lv.text)}）" if lv.text else "")
            for lv in item.levels
        )
    if m == "linear":
        target = spec.get("target")
        shown = (
            f"{num(target * 100)}%"
            if isinstance(target, Decimal) and item.input in PERCENT_INPUTS
            else num(target)
        )
        if zh:
            return esc(
                f"得分 = {num(spec['full'])} × 实际值 / 目标值（{shown}），"
                f"不低于 {num(spec['floor'])}，不高于 {num(spec['cap'])}"
            )
        return esc(
            f"points = {num(spec['full'])} × value / target ({shown}), "
            f"between {num(spec['floor'])} and {num(spec['cap'])}"
        )
    if m == "deductions":
        lines = [esc(f"满分 {num(spec['full'])} 分" if zh else f"full marks {num(spec['full'])}")]
        names = spec.get("names") or {}
        measured = spec.get("measured_in") or {}
        for kind, v in spec.get("per", {}).items():
            amount = f"{num(v[0])}–{num(v[1])}" if isinstance(v, tuple) else num(v)
            # the name the scheme gives the kind, and the id a record writes
            label = f"{names[kind]}（{kind}）" if kind in names else kind
            unit_zh, unit_en = QUANTITY_WORDS.get(measured.get(kind, ""), QUANTITY_WORDS[""])
            each_zh = "每次" if kind not in measured else f"每{unit_zh}"
            each_en = "each" if kind not in measured else f"per {unit_en.rstrip('s')}"
            lines.append(esc(f"{label}：{each_zh}扣 {amount} 分" if zh
                             else f"{label}: −{amount} {each_en}"))
        esc_spec = spec.get("escalate")
        if esc_spec and esc_spec.get("at") is not None:
            at, factor = num(esc_spec["at"]), num(esc_spec["factor"])
            opted = set(spec.get("escalate_quantities") or ())
            left_out = [names.get(k, k) for k in measured if k not in opted]
            text = (f"同类问题出现 {at} 次及以上（含 {at} 次）× {factor}" if zh
                    else f"a kind occurring {at} times or more (≥ {at}) × {factor}")
            if left_out:
                text += (f"；按量计的类别不计次数：{'、'.join(left_out)}" if zh
                         else f"; measured kinds are not repeats: {', '.join(left_out)}")
            lines.append(esc(text))
        lines.append(
            esc(f"最低 {num(spec['floor'])} 分" if zh else f"never below {num(spec['floor'])}")
        )
        return "<br>".join(lines)
    if m == "bonus":
        cap = spec.get("cap")
        text = (
            (
                f"每 {num(spec['every'])} 项加 {num(spec['points'])} 分"
                + (f"，最多 {num(cap)} 分" if cap is not None else "")
            )
            if zh
            else (
                f"+{num(spec['points'])} per {num(spec['every'])}"
                + (f", at most {num(cap)}" if cap is not None else "")
            )
        )
        return esc(text)
    if m == "pass":
        text = (
            (
                f"合格 {num(spec['pass_points'])} 分，不合格 {num(spec['fail_points'])} 分"
                + ("；不合格顺延至下期直至合格" if spec.get("carry_over") else "")
            )
            if zh
            else (
                f"pass {num(spec['pass_points'])}, fail {num(spec['fail_points'])}"
                + ("; a failed item is due again next period" if spec.get("carry_over") else "")
            )
        )
        return esc(text)
    if m == "direct":
        return esc("直接打分" if zh else "points given directly")
    if m == "formula":
        return f"<code>{esc(spec.get('formula', ''))}</code>"
    return esc("仅作输入（供公式使用）" if zh else "input only (used by formulas)")


def when_text(when: dict[str, Any], lang: str) -> str:
    """A rule's condition in words: 总分低于 60；组内最后一名 / total below 60; last place."""
    zh = lang != "en"
    parts = []
    for k, v in when.items():
        # Each condition says which side its boundary is on (< 35, not "低于35"), and how
        # ties at a place are treated (they share it: rules/streaks.py).
        if k == "total_below":
            parts.append(f"总分 < {v}（不含 {v}）" if zh else f"total < {v} ({v} itself is not)")
        elif k == "last_place":
            parts.append("组内最后一名（并列者同计）" if zh else "last place in the group "
                         "(ties share it)")
        elif k == "first_place":
            parts.append("组内第一名（并列者同计）" if zh else "first place in the group "
                         "(ties share it)")
        elif k == "rank_top":
            parts.append(f"组内名次 ≤ {v}（并列者同名次，均计）" if zh
                         else f"place ≤ {v} in the group (tied people share a place)")
        elif k == "rank_bottom":
            parts.append(f"组内倒数名次 ≤ {v}（并列者同名次，均计）" if zh
                         else f"place from the bottom ≤ {v} (tied people share a place)")
        elif k == "grade_in":
            grades = ("、" if zh else ", ").join(map(str, v)) if isinstance(v, list) else str(v)
            parts.append(f"等级为 {grades}" if zh else f"grade in {grades}")
        elif k == "item_failed":
            parts.append(f"指标 {v} 不合格" if zh else f"item {v} failed")
        else:
            parts.append(f"{k}: {v}")
    return ("；" if zh else "; ").join(parts)
