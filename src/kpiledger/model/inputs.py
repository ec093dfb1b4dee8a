"""A record's raw value for one item → the measured value, or the problems with it; and
what a measured value reads as (the number formulas see, the text published).

Problems are returned as (code, args, subpath) with the checker's existing codes — KPI307 wrong
kind of value, KPI308 out of range, KPI301 unknown level or kind — and `subpath` relative to the
item's value in the record, so the checker can point at the exact element.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kpiledger.diagnostics import item_words
from kpiledger.model import Item, Path
from kpiledger.numbers import (
    CONTEXT,
    NumberError,
    is_percent_text,
    parse_percent,
    plain,
    round_half_up,
    to_decimal,
)


@dataclass(frozen=True)
class Occurrence:
    kind: str
    count: Decimal
    points: Decimal | None = None  # for kinds scored {min, max}: this occurrence's own points
    reason: str = ""
    date: str = ""


@dataclass(frozen=True)
class ZeroDenominator:
    """A ratio whose denominator is 0: scored by the item's zero_denominator rule."""

    numerator: Decimal


Measured = Decimal | str | bool | list[Occurrence] | ZeroDenominator
Problem = tuple[str, dict[str, Any], Path]
ZERO = Decimal(0)

_EXPECTED = {
    "number": ("数字", "a number"),
    "percent": ("带 % 的百分数（如 92%）", "a percentage written with %, e.g. 92%"),
    "ratio": (
        "分子与分母，如 {numerator: 150, denominator: 200}",
        "a numerator and a denominator, e.g. {numerator: 150, denominator: 200}",
    ),
    "count": ("不小于 0 的整数", "a whole number ≥ 0"),
    "average": ("数字列表", "a list of numbers"),
    "level": ("等级名称", "a level name"),
    "pass": ("true（合格）或 false（不合格）", "true (pass) or false (fail)"),
    "occurrences": ("列表，每项含 kind 和 count", "a list of {kind, count}"),
    "points": ("分值（数字）", "points (a number)"),
}


def _kind(item: Item, subpath: Path = (), expected: str | None = None) -> Problem:
    zh, en = _EXPECTED.get(expected or item.input, ("?", "?"))
    return ("KPI307", {**_named(item), "expected_zh": zh, "expected_en": en}, subpath)


def _range(item: Item, value: Any, zh: str, en: str, subpath: Path = ()) -> Problem:
    shown = plain(value) if isinstance(value, Decimal) else str(value)
    return ("KPI308", {**_named(item), "value": shown, "bound_zh": zh, "bound_en": en},
            subpath)


def _named(item: Item) -> dict[str, str]:
    return item_words(item.id, item.title, item.title_en)


def _unknown(item: Item, what: tuple[str, str], name: str, allowed: dict[str, str],
             subpath: Path = ()) -> Problem:
    """KPI301 for a level or kind the item does not have, listing the ones it has with their
    names in words; a name written instead of its id says which id to write."""
    zh_what, en_what = what
    meant = [k for k, words in allowed.items() if words and words == name]
    listed = "、".join(f"{k}（{w}）" if w and w != k else k for k, w in allowed.items())
    listed_en = ", ".join(f"{k} ({w})" if w and w != k else k for k, w in allowed.items())
    zh = f"；请写作 {meant[0]}" if meant else ""
    en = f"; write {meant[0]}" if meant else ""
    words = _named(item)
    return ("KPI301", {"kind_zh": f"指标{words['item_zh']}的{zh_what}",
                       "kind_en": f"{en_what} of item {words['item_en']}", "id": name,
                       "allowed_zh": f"{zh}（可填：{listed}）",
                       "allowed_en": f"{en} (allowed: {listed_en})"}, subpath)


def _num(raw: Any) -> Decimal | None:
    if type(raw) not in (int, float, Decimal):  # bool is not a number here
        return None
    try:
        return to_decimal(raw)
    except NumberError:
        return None


def _scale(item: Item) -> Decimal:
    return item.max if item.max is not None else Decimal(100)


def measure(item: Item, raw: Any) -> tuple[Measured | None, list[Problem]]:
    """Check `raw` against the item's input kind; the measured value or the problems."""
    kind = item.input
    if kind in ("number", "points", "count"):
        value = _num(raw)
        if value is None:
            return None, [_kind(item)]
        if kind == "count":
            if value != value.to_integral_value():
                return None, [_kind(item)]
            if value < 0:
                return None, [_range(item, value, "不能小于 0", "must not be below 0")]
            return value.to_integral_value(), []  # 3.0 → 3, at any size
        if kind == "points" and not 0 <= value <= _scale(item):
            s = plain(_scale(item))
            return None, [_range(item, value, f"0–{s} 分", f"0–{s} points")]
        return value, []
    if kind == "percent":
        if not is_percent_text(raw):
            return None, [_kind(item)]
        # may be negative: a growth or reduction rate (document 5: 劳动生产效率提高%) can fall
        return parse_percent(raw), []
    if kind == "ratio":
        return _ratio(item, raw)
    if kind == "average":
        if not isinstance(raw, list) or not raw:
            return None, [_kind(item)]
        values = [_num(v) for v in raw]
        bad = [_kind(item, (k,), "number") for k, v in enumerate(values) if v is None]
        if bad:
            return None, bad
        total = sum((v for v in values if v is not None), Decimal(0))
        return CONTEXT.divide(total, Decimal(len(values))), []
    if kind == "level":
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            return None, [_kind(item)]
        name = str(raw)
        if name not in {lv.level for lv in item.levels}:
            levels = {lv.level: lv.text for lv in item.levels}
            return None, [_unknown(item, ("等级", "level"), name, levels)]
        return name, []
    if kind == "pass":
        if not isinstance(raw, bool):
            return None, [_kind(item)]
        return raw, []
    if kind == "occurrences":
        return _occurrences(item, raw)
    return None, [_kind(item)]


def _ratio(item: Item, raw: Any) -> tuple[Measured | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [_kind(item)]
    problems: list[Problem] = []
    parts: dict[str, Decimal] = {}
    for key in ("numerator", "denominator"):
        value = _num(raw.get(key))
        if value is None:
            problems.append(_kind(item, (key,) if key in raw else (), "number"))
        elif value < 0:
            problems.append(_range(item, value, "不能小于 0", "must not be below 0", (key,)))
        else:
            parts[key] = value
    if problems:
        return None, problems
    if parts["denominator"] == 0:
        return ZeroDenominator(parts["numerator"]), []
    return CONTEXT.divide(parts["numerator"], parts["denominator"]), []


def _occurrences(item: Item, raw: Any) -> tuple[Measured | None, list[Problem]]:
    if raw is None:
        return [], []  # nothing happened this period
    if not isinstance(raw, list):
        return None, [_kind(item)]
    per: dict[str, Any] = item.spec.get("per", {}) if item.method == "deductions" else {}
    out: list[Occurrence] = []
    problems: list[Problem] = []
    for k, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str):
            problems.append(_kind(item, (k,)))
            continue
        kind = entry["kind"]
        if per and kind not in per:
            names = item.spec.get("names") or {}
            kinds = {k: str(names.get(k, "")) for k in per}
            problems.append(_unknown(item, ("扣分类别", "kind"), kind, kinds, (k, "kind")))
            continue
        count = _num(entry.get("count", 1))
        if count is None or count != count.to_integral_value():
            problems.append(_kind(item, (k, "count"), "count"))
            continue
        if count < 0:
            problems.append(_range(item, count, "不能小于 0", "must not be below 0", (k, "count")))
            continue
        rule = per.get(kind)
        points = None
        if isinstance(rule, tuple):  # {min, max}: the record says how many points
            points = _num(entry.get("points"))
            lo, hi = rule
            if points is None:
                problems.append(_kind(item, (k, "points") if "points" in entry else (k,),
                                      "points"))
                continue
            if not lo <= points <= hi:
                problems.append(_range(item, points, f"{plain(lo)}–{plain(hi)} 分",
                                       f"{plain(lo)}–{plain(hi)} points", (k, "points")))
                continue
        out.append(Occurrence(kind=kind, count=count.to_integral_value(), points=points,
                              reason=str(entry.get("reason") or ""),
                              date=str(entry.get("date") or "")))
    return (None, problems) if problems else (out, [])


def numeric(measured: Measured | None) -> Decimal | None:
    """The number a formula sees for a measured value (pass → 1/0), or None."""
    if isinstance(measured, bool):
        return Decimal(1) if measured else ZERO
    if isinstance(measured, Decimal):
        return measured
    if isinstance(measured, list):
        return sum((o.count for o in measured), ZERO)
    return None


def value_text(item: Item, measured: Measured | None) -> str | None:
    """The measured value as published: decimal text, a level name, or a list of kinds."""
    if measured is None:
        return None
    if isinstance(measured, ZeroDenominator):
        return f"{plain(measured.numerator)}/0"
    if isinstance(measured, bool):
        return "1" if measured else "0"
    if isinstance(measured, Decimal):
        return plain(round_half_up(measured, 6))
    if isinstance(measured, list):
        return "; ".join(f"{o.kind}×{plain(o.count)}" for o in measured) or "0"
    return str(measured)
