"""A scheme's definitions in words, laid out like the source documents (考核表): each item's
scoring standard, each cross-period rule's condition, formulas (formula_words) and ranges.
Text only: no page layout."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from kpiledger.model import Grade, Item, Scheme, title_in
from kpiledger.model.enums import QUANTITY_WORDS
from kpiledger.model.formula import FormulaError
from kpiledger.site.pages.formula_words import formula_words, num_text
from kpiledger.site.pages.html import esc

PERCENT_INPUTS = ("percent", "ratio")


def num(x: Any) -> str:
    """A number as a scheme writes it: 5 rather than 5.00, 0.5 rather than 0.50."""
    return num_text(x) if isinstance(x, Decimal) else str(x)


def formula_text(text: str, names: Mapping[str, str], lang: str) -> str:
    """A formula in words (formula_words); as written if it cannot be read (`kpi check`
    reports that formula)."""
    try:
        return formula_words(text, names, lang)
    except FormulaError:
        return text


def range_text(low: Decimal | None, high: Decimal | None, zh: bool) -> str:
    """An amount's limits: 0 至 500 / 不低于 0 / 不高于 500 / 不限 (both ends included)."""
    if low is not None and high is not None:
        return f"{num(low)} 至 {num(high)}" if zh else f"{num(low)} to {num(high)}"
    if low is not None:
        return f"不低于 {num(low)}" if zh else f"at least {num(low)}"
    if high is not None:
        return f"不高于 {num(high)}" if zh else f"at most {num(high)}"
    return "不限" if zh else "no limit"


def grade_ranges(grades: tuple[Grade, ...], zh: bool) -> list[tuple[str, str]]:
    """Each grade (in English when `zh` is false and it has an English name) and its totals
    in words, highest first: 90 分及以上；75 分及以上、不足 90 分 (a grade's `min` is
    inclusive, the next grade's is where it stops)."""
    out = []
    for n, g in enumerate(grades):
        low = f"{num(g.min)} 分及以上" if zh else f"{num(g.min)} or more"
        name = g.grade if zh or not g.grade_en else g.grade_en
        if n == 0:
            out.append((name, low))
        else:
            top = num(grades[n - 1].min)
            out.append((name, f"{low}、不足 {top} 分" if zh else f"{low}, below {top}"))
    return out


def method_text(item: Item, zh: bool, names: Mapping[str, str] | None = None) -> str:
    """The item's scoring standard in words (escaped HTML); `names` are the scheme's names
    in words (formula_words.scheme_names), for a formula item."""
    pts = "分" if zh else " pts"
    spec = item.spec
    m = item.method
    if m == "bands":
        return "<br>".join(f"{esc(b.when)} → {esc(num(b.points))}{pts}" for b in item.bands)
    if m == "levels":
        if zh:
            return "<br>".join(f"{esc(lv.level)}：{esc(num(lv.points))}{pts}"
                               + (f"（{esc(lv.text)}）" if lv.text else "") for lv in item.levels)
        return "<br>".join(  # the English names, and the level a record writes (lang="zh")
            f"{esc(lv.level_en or lv.level)}"
            + (f" ({_as_written(lv.level)})" if lv.level_en and lv.level_en != lv.level else "")
            + f": {esc(num(lv.points))}{pts}"
            + (f" — {esc(lv.text_en or lv.text)}" if lv.text_en or lv.text else "")
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
                f"得分 = {num(spec['full'])} × 实际值 ÷ 目标值（{shown}），"
                f"不低于 {num(spec['floor'])}，不高于 {num(spec['cap'])}"
            )
        return esc(
            f"points = {num(spec['full'])} × value ÷ target ({shown}), "
            f"between {num(spec['floor'])} and {num(spec['cap'])}"
        )
    if m == "deductions":
        lines = [esc(f"满分 {num(spec['full'])} 分" if zh else f"full marks {num(spec['full'])}")]
        lang = "zh" if zh else "en"
        measured = spec.get("measured_in") or {}
        for kind, v in spec.get("per", {}).items():
            amount = f"{num(v[0])}–{num(v[1])}" if isinstance(v, tuple) else num(v)
            # the name the scheme gives the kind, and the id a record writes
            shown = item.kind_name(kind, lang)
            label = kind if shown == kind else f"{shown}（{kind}）" if zh else f"{shown} ({kind})"
            unit_zh, unit_en = QUANTITY_WORDS.get(measured.get(kind, ""), QUANTITY_WORDS[""])
            each_zh = "每次" if kind not in measured else f"每{unit_zh}"
            each_en = "each" if kind not in measured else f"per {unit_en.rstrip('s')}"
            lines.append(esc(f"{label}：{each_zh}扣 {amount} 分" if zh
                             else f"{label}: −{amount} {each_en}"))
        esc_spec = spec.get("escalate")
        if esc_spec and esc_spec.get("at") is not None:
            at, factor = num(esc_spec["at"]), num(esc_spec["factor"])
            opted = set(spec.get("escalate_quantities") or ())
            left_out = [item.kind_name(k, lang) for k in measured if k not in opted]
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
        words = formula_text(spec.get("formula", ""), names or {}, "zh" if zh else "en")
        return esc(("得分 = " if zh else "points = ") + words)
    return esc("仅作输入（供公式使用）" if zh else "input only (used by formulas)")


def _as_written(text: str) -> str:
    """What a record must write, in the English edition: marked lang="zh" when Chinese."""
    if re.search(r"[\u3400-\u9fff]", text):
        return f'<span lang="zh">{esc(text)}</span>'
    return esc(text)


def when_text(when: dict[str, Any], lang: str, titles: Mapping[str, str] | None = None,
              scheme: Scheme | None = None) -> str:
    """A rule's condition in words: 总分 < 60；组内最后一名 / total < 60; last place.
    `titles` names the scheme's items (id → title) for 指标 识图 不合格; `scheme` names its
    grades in `lang`."""
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
            names = [scheme.grade_name(str(g), lang) if scheme else str(g)
                     for g in (v if isinstance(v, list) else [v])]
            grades = ("、" if zh else ", ").join(names)
            parts.append(f"等级为 {grades}" if zh else f"grade in {grades}")
        elif k == "item_failed":
            title = (titles or {}).get(str(v), str(v))
            parts.append(f"指标“{title}”不合格" if zh else f"item “{title}” failed")
        else:
            parts.append(f"{k}: {v}")
    return ("；" if zh else "; ").join(parts)


def item_titles(scheme: Scheme | None, lang: str) -> dict[str, str]:
    """A scheme's item titles by id, in `lang` (for rule conditions that name an item)."""
    return {i.id: title_in(i, lang) for i in scheme.items} if scheme else {}
