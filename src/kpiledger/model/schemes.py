"""Scheme documents → model.Scheme.

The input is a schema-valid document as loaded (plain dicts, lists, str, int, float, bool; dates
as text). Numbers become Decimal, percentages become fractions, band conditions are parsed, and
every element keeps the JSON path it came from so later diagnostics can point at its line.
Odd input never raises: whatever cannot be read is reported and left out.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.model import Aggregate, Band, Grade, Item, Level, Money, Path, Rule, Scheme, Veto
from kpiledger.model.appeals import appeal_window
from kpiledger.model.conditions import ConditionError, parse_condition
from kpiledger.model.enums import InputKind, Method, PeriodKind, Quantity, Role, member
from kpiledger.model.followups import build_followup
from kpiledger.model.params import build_params
from kpiledger.model.plain import listed as _list
from kpiledger.model.plain import mapping as _dict
from kpiledger.model.plain import strs as _strs
from kpiledger.model.plain import text as _text
from kpiledger.model.readings import build_readings
from kpiledger.numbers import NumberError, is_percent_text, parse_percent, to_decimal

METHODS = tuple(Method)  # in the order they are looked for
HUNDRED = Decimal(100)


class _Builder:
    """Collects diagnostics while converting; one per scheme file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.diags: list[Diagnostic] = []

    def report(self, code: str, path: Path, **args: Any) -> None:
        self.diags.append(d(self.file, code, path, **args))

    def number(
        self, value: Any, path: Path, *, percent: bool = False, required: bool = False
    ) -> Decimal | None:
        """A number (or, where allowed, a percentage) at `path`; None and a report if not."""
        if value is None and not required:
            return None
        try:
            if percent and is_percent_text(value):
                return parse_percent(value)
            if isinstance(value, str):  # numbers in a scheme are written as numbers
                raise NumberError(value)
            return to_decimal(value)
        except NumberError:
            self.report(
                "KPI415", path, value=_show(value),
                expected_zh="数字或百分数" if percent else "数字",
                expected_en="a number or a percentage" if percent else "a number",
            )
            return None


def _show(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def build_scheme(doc: dict[str, Any], file: str) -> tuple[Scheme | None, list[Diagnostic]]:
    """Turn a scheme document into a Scheme, with diagnostics for what could not be read."""
    b = _Builder(file)
    if not isinstance(doc, dict) or not isinstance(doc.get("id"), str):
        b.report("KPI415", ("id",), value=_show(doc.get("id") if isinstance(doc, dict) else doc),
                 expected_zh="方案编号", expected_en="a scheme id")
        return None, b.diags
    applies = _dict(doc.get("applies_to"))
    total = _dict(doc.get("total"))
    precision = doc.get("precision", 2)
    if isinstance(precision, bool) or not isinstance(precision, int) or not 0 <= precision <= 6:
        b.report("KPI415", ("precision",), value=_show(precision),
                 expected_zh="0–6 的整数", expected_en="a whole number 0–6")
        precision = 2
    assessors_doc = doc.get("assessors")
    assessors: dict[Role, Decimal] = {}
    if assessors_doc is None:
        assessors = {Role.SUPERIOR: HUNDRED}  # the common case: one superior scores everything
    for role, weight in _dict(assessors_doc).items():
        w = b.number(weight, ("assessors", role), required=True)
        if w is not None:
            assessors[member(Role, str(role))] = w
    param_info = build_params(
        _dict(doc.get("params")),
        lambda value, path: b.number(value, path, percent=True, required=True),
    )
    items = tuple(item for i, raw in enumerate(_list(doc.get("items")))
                  if (item := _build_item(b, raw, ("items", i))) is not None)
    scheme = Scheme(
        id=doc["id"],
        title=_text(doc.get("title"), doc["id"]),
        file=file,
        period_kind=member(PeriodKind, _text(doc.get("period_kind"), PeriodKind.MONTH)),
        items=items,
        applies_units=_strs(applies.get("units")),
        applies_titles=_strs(applies.get("titles")),
        applies_people=_strs(applies.get("people")),
        applies_assessee_units=_strs(applies.get("assessee_units")),
        assessors=assessors,
        missing_assessor=_text(doc.get("missing_assessor"), "renormalise"),
        params={k: p.value for k, p in param_info.items()},
        param_info=param_info,
        precision=precision,
        total_formula=_text(total.get("formula")) or None,
        total_max=b.number(total.get("max"), ("total", "max")),
        grades=_build_grades(b, doc.get("grades")),
        money=_build_money(b, doc.get("money")),
        ranking_group=_text(_dict(doc.get("ranking")).get("group"), "unit"),
        rules=_build_rules(b, doc.get("rules")),
        aggregate=_build_aggregate(doc.get("aggregate")),
        title_en=_text(doc.get("title_en")),
        source=_text(doc.get("source")),
        readings=build_readings(doc.get("readings")),
        appeals=appeal_window(doc.get("appeals")),
    )
    return scheme, b.diags


def _build_item(b: _Builder, raw: Any, path: Path) -> Item | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        return None  # the schema reports it; nothing here can be scored
    methods = [m for m in METHODS if raw.get(m) is not None and raw.get(m) is not False]
    if len(methods) > 1:
        b.report("KPI418", path, item=raw["id"], methods=", ".join(methods))
    method = methods[0] if methods else None
    weight = b.number(raw.get("weight"), (*path, "weight"))
    maximum = b.number(raw.get("max"), (*path, "max"))
    scale = maximum if maximum is not None else HUNDRED
    input_kind = member(InputKind, _text(raw.get("input"), InputKind.NUMBER))
    bands: tuple[Band, ...] = ()
    levels: tuple[Level, ...] = ()
    spec: dict[str, Any] = {}
    if method == Method.BANDS:
        bands = _build_bands(b, raw["bands"], (*path, "bands"))
    elif method == Method.LEVELS:
        levels = _build_levels(b, raw["levels"], (*path, "levels"))
    elif method is not None:
        spec = _SPECS[method](b, raw[method], (*path, method), scale)
    if method != Method.LEVELS and raw.get("levels") is not None:
        levels = _build_levels(b, raw["levels"], (*path, "levels"))
    zero = raw.get("zero_denominator")
    zero_denominator: Decimal | str | None = None
    if zero == "skip":
        zero_denominator = "skip"
    elif zero is not None:
        zero_denominator = b.number(zero, (*path, "zero_denominator"))
    return Item(
        id=raw["id"],
        title=_text(raw.get("title"), raw["id"]),
        by=tuple(member(Role, r) for r in _strs(raw.get("by"))) or (Role.SUPERIOR,),
        input=input_kind,
        method=method,
        spec=spec,
        weight=weight,
        max=maximum,
        bands=bands,
        levels=levels,
        zero_denominator=zero_denominator,
        veto=_build_veto(b, raw.get("veto"), (*path, "veto")),
        source_unit=_text(raw.get("source_unit")) or None,
        title_en=_text(raw.get("title_en")),
        definition=_text(raw.get("definition")),
        definition_en=_text(raw.get("definition_en")),
        path=path,
    )


def _build_bands(b: _Builder, raw: Any, path: Path) -> tuple[Band, ...]:
    out = []
    for j, band in enumerate(_list(raw)):
        here = (*path, j)
        band = _dict(band)
        when = band.get("when")
        points = b.number(band.get("points"), (*here, "points"), required=True)
        try:
            cond = parse_condition(when if isinstance(when, str) else "")
        except ConditionError as e:
            b.report("KPI401", (*here, "when"), when=_show(when), reason=str(e))
            continue
        if points is None:
            continue
        out.append(Band(when=cond.text, points=points, low=cond.low,
                        low_inclusive=cond.low_inclusive, high=cond.high,
                        high_inclusive=cond.high_inclusive, path=here))
    return tuple(out)


def _build_levels(b: _Builder, raw: Any, path: Path) -> tuple[Level, ...]:
    out = []
    for j, level in enumerate(_list(raw)):
        level = _dict(level)
        name = level.get("level")
        points = b.number(level.get("points"), (*path, j, "points"), required=True)
        if isinstance(name, bool) or not isinstance(name, str | int | float):
            b.report("KPI415", (*path, j, "level"), value=_show(name),
                     expected_zh="等级名称", expected_en="a level name")
            continue
        if points is not None:
            out.append(Level(str(name), points, _text(level.get("text")),  # field order
                             _text(level.get("level_en")), _text(level.get("text_en"))))
    return tuple(out)


def _spec_numbers(
    b: _Builder,
    raw: Any,
    path: Path,
    defaults: dict[str, Decimal | None],
    percent: tuple[str, ...] = (),
) -> dict[str, Any]:
    raw = _dict(raw)
    out: dict[str, Any] = {}
    for key, default in defaults.items():
        value = b.number(raw.get(key), (*path, key), percent=key in percent)
        out[key] = default if value is None else value
    return out


def _linear(b: _Builder, raw: Any, path: Path, scale: Decimal) -> dict[str, Any]:
    spec = _spec_numbers(b, raw, path, {"target": None, "full": scale, "floor": Decimal(0),
                                        "cap": None}, percent=("target",))
    if spec["cap"] is None:
        spec["cap"] = spec["full"]
    return spec


def _deductions(b: _Builder, raw: Any, path: Path, scale: Decimal) -> dict[str, Any]:
    raw = _dict(raw)
    spec = _spec_numbers(b, raw, path, {"full": scale, "floor": Decimal(0)})
    per: dict[str, Decimal | tuple[Decimal, Decimal]] = {}
    for kind, value in _dict(raw.get("per")).items():
        here = (*path, "per", kind)
        if isinstance(value, dict):
            lo = b.number(value.get("min"), (*here, "min"), required=True)
            hi = b.number(value.get("max"), (*here, "max"), required=True)
            if lo is not None and hi is not None:
                per[str(kind)] = (lo, hi)
        elif (v := b.number(value, here, required=True)) is not None:
            per[str(kind)] = v
    spec["per"] = per
    escalate = raw.get("escalate")
    spec["escalate"] = (
        _spec_numbers(b, escalate, (*path, "escalate"), {"at": None, "factor": None})
        if isinstance(escalate, dict) else None
    )
    # Kinds measured in days, hours or money are quantities, not counts of repeats; the
    # escalation leaves them out unless `escalate.quantities` names them (check warns then).
    spec["measured_in"] = {
        str(k): member(Quantity, v) for k, v in _dict(raw.get("measured_in")).items()
        if isinstance(v, str)
    }
    spec["escalate_quantities"] = _strs(_dict(escalate).get("quantities"))
    late = raw.get("late")
    spec["late"] = str(late) if isinstance(late, str) and late else None
    if spec["late"] is not None and spec["late"] not in per:
        b.diags.append(d(b.file, "KPI423", (*path, "late"), kind=spec["late"]))
    # the kinds' names (and English ones); a name for a kind `per` lacks is a typo
    for key, code in (("names", "KPI424"), ("names_en", "KPI426")):
        spec[key] = {str(k): v for k, v in _dict(raw.get(key)).items() if isinstance(v, str)}
        for kind in spec[key]:
            if kind not in per:
                b.diags.append(d(b.file, code, (*path, key, kind), at_key=True, kind=kind))
    return spec


def _bonus(b: _Builder, raw: Any, path: Path, scale: Decimal) -> dict[str, Any]:
    return _spec_numbers(b, raw, path, {"every": Decimal(1), "points": Decimal(1), "cap": None})


def _pass(b: _Builder, raw: Any, path: Path, scale: Decimal) -> dict[str, Any]:
    spec = _spec_numbers(b, raw, path, {"pass_points": scale, "fail_points": Decimal(0)})
    spec["carry_over"] = _dict(raw).get("carry_over") is True
    return spec


def _direct(b: _Builder, raw: Any, path: Path, scale: Decimal) -> dict[str, Any]:
    return {}


def _formula(b: _Builder, raw: Any, path: Path, scale: Decimal) -> dict[str, Any]:
    return {"formula": raw if isinstance(raw, str) else str(raw)}


_SPECS: dict[Method, Callable[[_Builder, Any, Path, Decimal], dict[str, Any]]] = {
    Method.LINEAR: _linear,
    Method.DEDUCTIONS: _deductions,
    Method.BONUS: _bonus,
    Method.PASS: _pass,
    Method.DIRECT: _direct,
    Method.FORMULA: _formula,
}


def _build_veto(b: _Builder, raw: Any, path: Path) -> Veto | None:
    if not isinstance(raw, dict):
        return None
    when = raw.get("when")
    try:
        cond = parse_condition(when if isinstance(when, str) else "")
    except ConditionError as e:
        b.report("KPI401", (*path, "when"), when=_show(when), reason=str(e))
        return None
    total = b.number(raw.get("total", 0), (*path, "total"))
    return Veto(when=cond.text, condition=cond, total=total or Decimal(0), path=path)


def _build_aggregate(raw: Any) -> Aggregate | None:
    if not isinstance(raw, dict):
        return None
    periods = _list(raw["periods"]) if "periods" in raw else Aggregate.periods
    weights = raw.get("weights")
    return Aggregate(
        method=_text(raw.get("method"), Aggregate.method),
        periods=tuple(member(PeriodKind, p) for p in periods if isinstance(p, str)),
        weights=weights if isinstance(weights, dict) else None,
    )


def _build_grades(b: _Builder, raw: Any) -> tuple[Grade, ...]:
    out = []
    for k, g in enumerate(_list(raw)):
        g = _dict(g)
        low = b.number(g.get("min"), ("grades", k, "min"), required=True)
        if isinstance(g.get("grade"), str) and low is not None:
            out.append(Grade(grade=g["grade"], min=low, grade_en=_text(g.get("grade_en"))))
    return tuple(out)


def _build_money(b: _Builder, raw: Any) -> tuple[Money, ...]:
    out = []
    for k, m in enumerate(_list(raw)):
        m = _dict(m)
        if not isinstance(m.get("id"), str):
            continue
        out.append(Money(
            id=m["id"],
            title=_text(m.get("title"), m["id"]),
            formula=m["formula"] if isinstance(m.get("formula"), str) else "",
            min=b.number(m.get("min"), ("money", k, "min")),
            max=b.number(m.get("max"), ("money", k, "max")),
            path=("money", k),
            title_en=_text(m.get("title_en")),
        ))
    return tuple(out)


def _build_rules(b: _Builder, raw: Any) -> tuple[Rule, ...]:
    out = []
    for k, r in enumerate(_list(raw)):
        r = _dict(r)
        if not isinstance(r.get("id"), str):
            continue
        amounts: dict[int, Decimal] = {}
        for place, amount in _dict(r.get("amounts")).items():
            value = b.number(amount, ("rules", k, "amounts", place), required=True)
            try:
                key = int(place)
            except (TypeError, ValueError):
                b.report("KPI415", ("rules", k, "amounts", place), value=_show(place),
                         expected_zh="名次（整数）", expected_en="a place (a whole number)")
                continue
            if value is not None:
                amounts[key] = value
        consecutive = r.get("consecutive", 1)
        out.append(Rule(
            id=r["id"],
            title=_text(r.get("title"), r["id"]),
            when=_dict(r.get("when")),
            consecutive=consecutive if isinstance(consecutive, int) and consecutive > 0 else 1,
            outcome=_text(r.get("outcome")),
            outcome_en=_text(r.get("outcome_en")),
            amounts=amounts,
            missing=_text(r.get("missing"), "breaks"),
            path=("rules", k),
            title_en=_text(r.get("title_en")),
            followup=build_followup(r.get("followup")),
        ))
    return tuple(out)
