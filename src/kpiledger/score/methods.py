"""The scoring methods: one role's measured value → the band or rule applied → points.

One scorer per method (bands, linear, deductions, bonus, levels, pass, direct, formula), chosen
by `score_item`. Each returns the points (Decimal; exact, rounded only when published) and the
readable rule text shown beside the number, so every published score can be traced to its
rule. Lateness, vetoes and several assessors are the item's business (`score.item`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from kpiledger.model import Band, Item, within
from kpiledger.model.conditions import rule_text
from kpiledger.model.enums import QUANTITY_WORDS
from kpiledger.model.formula import Formula, FormulaError, compile_formula
from kpiledger.model.inputs import Measured, Occurrence, ZeroDenominator, numeric
from kpiledger.numbers import CONTEXT, fmt, percent_text, plain, round_half_up

ZERO = Decimal(0)
Params = Mapping[str, Decimal]


@lru_cache(maxsize=1024)
def compiled(text: str) -> Formula:
    """Formulas are compiled once per text (FormulaError is raised, never cached)."""
    return compile_formula(text)


class Scored(NamedTuple):
    """One role's points for an item under its method, and the rule that gave them."""

    points: Decimal | None  # None: not scored (input-only item, or skipped)
    rule: str
    skipped: bool = False  # zero denominator with `skip`: leave the item out of the total


@dataclass(frozen=True, slots=True)
class _ItemPlan:
    """What scoring one item needs again and again, worked out once per item."""

    as_percent: bool  # its values read as percentages in rules
    # per band: the bounds, the points, the variable's name and the band's rule text
    bands: tuple[tuple[Decimal | None, bool, Decimal | None, bool, Decimal, str, str], ...]


_ITEM_PLANS: dict[int, tuple[Item, _ItemPlan]] = {}


def _plan(item: Item) -> _ItemPlan:
    # Kept per item object (the item stays in the entry, so its id is never reused).
    hit = _ITEM_PLANS.get(id(item))
    if hit is None or hit[0] is not item:
        # a ratio reads as a percentage, as the documents write them (47/50 → 94%), unless its
        # bands compare it with plain numbers
        as_percent = item.input == "percent" or (
            item.input == "ratio" and (not item.bands or any("%" in b.when for b in item.bands))
        )
        bands = tuple(
            (b.low, b.low_inclusive, b.high, b.high_inclusive, b.points, *_band_text(b))
            for b in item.bands
        )
        if len(_ITEM_PLANS) > 10_000:  # a long `mkdocs serve` reloads its schemes on every change
            _ITEM_PLANS.clear()
        hit = _ITEM_PLANS[id(item)] = (item, _ItemPlan(as_percent, bands))
    return hit[1]


def _band_text(band: Band) -> tuple[str, str]:
    """The band's variable and its rule text."""
    words = [w for w in band.when.split() if w[:1].isalpha()]
    return (words[0] if words else "X"), rule_text(band.when, band.points)


def _shown(item: Item, value: Decimal) -> str:
    """How a value reads inside a rule: percentages as the document writes them."""
    if _plan(item).as_percent:
        return percent_text(value)
    return plain(round_half_up(value, 6))


def score_item(
    item: Item, measured: Measured, precision: int = 2, params: Params | None = None
) -> Scored:
    """Points for one role's measured value under the item's scoring method."""
    if isinstance(measured, ZeroDenominator):
        if item.zero_denominator == "skip":
            return Scored(None, "分母为 0 → 不计入，权重按比例分给其他指标", skipped=True)
        if isinstance(item.zero_denominator, Decimal):
            return Scored(item.zero_denominator, f"分母为 0 → {plain(item.zero_denominator)}分")
        return Scored(ZERO, "分母为 0，方案未规定 → 0分")
    method = item.method
    if method is None:
        return Scored(None, "仅记录，不计分")
    return _SCORERS[method](item, measured, precision, params or {})


def _bands(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    value = numeric(measured)
    if value is None:
        return Scored(None, "无法取值")
    shown = _shown(item, value)
    for low, low_inclusive, high, high_inclusive, points, var, rule in _plan(item).bands:
        if within(value, low, low_inclusive, high, high_inclusive):
            return Scored(points, f"{var} = {shown}：{rule}")
    return Scored(ZERO, f"{shown} 不在任何分档 → 0分")


def _linear(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    value, spec = numeric(measured), item.spec
    target, full, floor, cap = spec["target"], spec["full"], spec["floor"], spec["cap"]
    if value is None or not target:
        return Scored(None, "无法取值")
    raw = CONTEXT.divide(CONTEXT.multiply(full, value), target)
    points = min(max(raw, floor), cap)
    text = f"{plain(full)} × {_shown(item, value)} / {_shown(item, target)} = {fmt(raw, precision)}"
    if points != raw:
        text += f"，限定在 {plain(floor)}–{plain(cap)} → {plain(points)}分"
    return Scored(points, text)


def _deductions(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    spec = item.spec
    full, floor, per, esc = spec["full"], spec["floor"], spec["per"], spec.get("escalate")
    occurrences: list[Occurrence] = measured if isinstance(measured, list) else []
    by_kind: dict[str, tuple[Decimal, Decimal]] = {}  # kind → (count, points)
    for o in occurrences:
        rule = per.get(o.kind)
        each = o.points if isinstance(rule, tuple) or rule is None else rule
        count, points = by_kind.get(o.kind, (ZERO, ZERO))
        by_kind[o.kind] = (count + o.count, points + o.count * (each or ZERO))
    names = spec.get("names") or {}
    measured_in = spec.get("measured_in") or {}
    parts, total = [], ZERO
    for kind in sorted(by_kind):
        count, points = by_kind[kind]
        name = names.get(kind, kind)
        quantity = measured_in.get(kind, "")
        unit = QUANTITY_WORDS.get(quantity, QUANTITY_WORDS[""])[0]
        if _escalates(spec, kind, count):
            points *= esc["factor"]
            parts.append(
                f"{name} {plain(count)}{unit} {plain(points)}（{plain(esc['at'])}{unit}及以上×"
                f"{plain(esc['factor'])}）"
            )
        else:
            parts.append(f"{name} {plain(count)}{unit} {plain(points)}")
        total += points
    result = max(full - total, floor)
    text = f"{plain(full)}" + "".join(f" − {p}" for p in parts) + f" = {plain(full - total)}"
    if result != full - total:
        text += f"，不低于 {plain(floor)} → {plain(result)}分"
    return Scored(result, text if parts else f"无扣分 → {plain(full)}分")


def _escalates(spec: Mapping[str, Any], kind: str, count: Decimal) -> bool:
    """Whether a kind's deductions are multiplied: it repeated `at` times or more. A kind
    measured in days, hours or money is one problem of that size, not repeats (文档13: a
    month-end three days late is not "the same problem three times"), unless the scheme names
    it in `escalate.quantities`."""
    esc = spec.get("escalate")
    if esc is None or esc.get("at") is None or count < esc["at"]:
        return False
    measured = kind in (spec.get("measured_in") or {})
    return not measured or kind in (spec.get("escalate_quantities") or ())


def _bonus(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    count, spec = numeric(measured), item.spec
    if count is None:
        return Scored(None, "无法取值")
    every, each, cap = spec["every"], spec["points"], spec.get("cap")
    raw = CONTEXT.divide(count, every).to_integral_value(rounding=ROUND_FLOOR) * each
    points = min(raw, cap) if cap is not None else raw
    text = f"⌊{plain(count)} / {plain(every)}⌋ × {plain(each)} = {plain(raw)}"
    if points != raw:
        text += f"，上限 {plain(cap)} → {plain(points)}分"  # type: ignore[arg-type]
    return Scored(points, text)


def _levels(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    for level in item.levels:
        if level.level == measured:
            text = f"{level.level}（{level.text}）" if level.text else level.level
            return Scored(level.points, f"{text} → {plain(level.points)}分")
    return Scored(None, "未知等级")


def _pass(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    spec = item.spec
    if measured is True:
        return Scored(spec["pass_points"], f"合格 → {plain(spec['pass_points'])}分")
    carry = "，下期继续考核直至合格" if spec.get("carry_over") else ""
    return Scored(spec["fail_points"], f"不合格 → {plain(spec['fail_points'])}分{carry}")


def _direct(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    value = numeric(measured)
    return Scored(value, "直接评分" if value is not None else "无法取值")


def _formula(item: Item, measured: Measured, precision: int, params: Params) -> Scored:
    value = numeric(measured)
    if value is None:
        return Scored(None, "无法取值")
    text = item.spec.get("formula", "")
    names = {**params, "X": value}
    try:
        points = compiled(text).evaluate(names)
    except FormulaError as e:
        return Scored(None, f"公式错误：{e}")
    return Scored(points, f"{text}（X = {_shown(item, value)}）= {fmt(points, precision)}")


_SCORERS = {
    "bands": _bands,
    "linear": _linear,
    "deductions": _deductions,
    "bonus": _bonus,
    "levels": _levels,
    "pass": _pass,
    "direct": _direct,
    "formula": _formula,
}
