"""The scheme checker (part of `kpi check`): is a scheme sound before anyone is scored by it?

Every finding names the JSON path of the offending element so it is shown at its line.
An item's bands must leave no gap in the values its input can take, must not overlap, and each
must be reachable (the geometry is in `check.bands`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from kpiledger.check.bands import ANYWHERE, input_domain, regions, runs, shower
from kpiledger.check.escalation import check_escalation
from kpiledger.check.readings import check_readings
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.model import Band, Item, Path, Scheme
from kpiledger.model.conditions import Condition, ConditionError, parse_condition
from kpiledger.model.formula import Formula, FormulaError, compile_formula, formula_name
from kpiledger.numbers import plain

HUNDRED = Decimal(100)
ZERO = Decimal(0)

# Which scoring method fits which input kind.
FITS: dict[str, tuple[str, ...]] = {
    "bands": ("number", "percent", "ratio", "count", "average", "points"),
    "linear": ("number", "percent", "ratio", "count", "average"),
    "deductions": ("occurrences",),
    "bonus": ("count",),
    "levels": ("level",),
    "pass": ("pass",),
    "direct": ("points",),
    "formula": ("number", "percent", "ratio", "count", "average", "points", "pass"),
}
NON_ASSESSOR_ROLES = ("data",)  # data owners supply values; they carry no assessor weight


def scale_of(item: Item) -> Decimal:
    """Full marks of an item: its `max`, else 100 (weighted items are scored 0–100)."""
    return item.max if item.max is not None else HUNDRED


def check_scheme(scheme: Scheme) -> list[Diagnostic]:
    """Every problem in a built scheme (parse problems were reported by build_scheme)."""
    c = _Checker(scheme)
    c.duplicates()
    c.formula_names()
    for item in scheme.items:
        c.item(item)
    c.weights()
    c.total()
    c.grades()
    c.money()
    c.rules()
    return c.out + check_readings(scheme)


class _Checker:
    def __init__(self, scheme: Scheme) -> None:
        self.s = scheme
        self.out: list[Diagnostic] = []

    def report(self, code: str, path: Path, **args: object) -> None:
        self.out.append(d(self.s.file, code, path, **args))

    # ids ---------------------------------------------------------------------------------
    def duplicates(self) -> None:
        self._unique(((i.id, i.path) for i in self.s.items), "指标", "item")
        self._unique(((m.id, m.path) for m in self.s.money), "金额", "money")
        self._unique(((r.id, r.path) for r in self.s.rules), "规则", "rule")
        for item in self.s.items:
            self._unique(
                ((lv.level, (*item.path, "levels", k)) for k, lv in enumerate(item.levels)),
                "等级", "level",
            )

    def formula_names(self) -> None:
        """A name in a formula must mean one thing: items (and their `_value`) come first,
        then params, then money amounts ("total" is the total)."""
        owners: dict[str, tuple[str, str]] = {"total": ("总分", "the total")}
        entries: list[tuple[str, str, str, Path]] = []
        for item in self.s.items:
            name = formula_name(item.id)
            entries += [(name, "指标", "an item", item.path),
                        (name + "_value", "指标的实际值", "an item's value", item.path)]
        entries += [(k, "参数", "a param", ("params", k)) for k in self.s.params]
        entries += [(m.id, "金额", "a money amount", m.path) for m in self.s.money]
        for name, zh, en, path in entries:
            first = owners.get(name)
            if first is None:
                owners[name] = (zh, en)
            elif first != (zh, en):
                self.report("KPI425", path, name=name, first_zh=first[0], first_en=first[1],
                            second_zh=zh, second_en=en)

    def _unique(self, entries: Iterable[tuple[str, Path]], zh: str, en: str) -> None:
        seen: dict[str, int] = {}
        for n, (ident, path) in enumerate(entries, start=1):
            if ident in seen:
                self.report("KPI413", path, kind_zh=zh, kind_en=en, id=ident, first=seen[ident])
            else:
                seen[ident] = n

    # items -------------------------------------------------------------------------------
    def item(self, item: Item) -> None:
        p = item.path
        if item.weight is not None and item.max is not None:
            self.report("KPI421", p, item=item.id)
        for role in item.by:
            if role not in self.s.assessors and role not in NON_ASSESSOR_ROLES:
                self.report("KPI412", (*p, "by"), item=item.id, role=role,
                            roles=", ".join(sorted(self.s.assessors)) or "—")
        if "data" in item.by and not item.source_unit:
            self.report("KPI420", (*p, "by"), item=item.id, field="source_unit",
                        why_zh="由资料来源部门提供（by: data）的指标须写明部门",
                        why_en="an item supplied by a data owner (by: data) names its unit")
        if item.input == "ratio":
            if item.zero_denominator is None:
                self.report("KPI409", p, item=item.id)
            elif isinstance(item.zero_denominator, Decimal):
                self._points(item, item.zero_denominator, (*p, "zero_denominator"))
        if item.input == "level" and not item.levels:
            self.report("KPI420", (*p, "input"), item=item.id, field="levels",
                        why_zh="等级型输入须列出可选等级", why_en="a level input lists its levels")
        method = item.method
        if method is None:
            return
        if item.input not in FITS[method]:
            self.report("KPI410", (*p, method), item=item.id, method=method, input=item.input,
                        allowed=", ".join(FITS[method]))
        if method == "bonus":
            if item.weight is not None:
                self.report("KPI419", (*p, "weight"),
                            detail_zh=f"加分项“{item.id}”不设权重，其分值直接计入总分",
                            detail_en=f"bonus item '{item.id}' has no weight; its points are "
                            "added to the total")
        elif item.weight is None and item.max is None and self.s.total_formula is None:
            self.report("KPI417", p, item=item.id)
        getattr(self, f"_m_{method}")(item)
        if item.veto:
            self._condition_units(item, item.veto.condition, (*p, "veto", "when"))

    def _points(self, item: Item, points: Decimal, path: Path) -> None:
        if item.method == "bonus":
            return
        scale = scale_of(item)
        if points > scale:
            why = ("max", "该指标的 max") if item.max is not None else (
                "weighted items are scored 0–100", "按权重计分的指标以 100 分为满分")
            self.report("KPI405", path, points=plain(points), scale=plain(scale),
                        why_zh=why[1], why_en=why[0])

    def _m_bands(self, item: Item) -> None:
        for band in item.bands:
            self._points(item, band.points, (*band.path, "points"))
        conditions = [_reparse(b) for b in item.bands]
        for band, cond in zip(item.bands, conditions, strict=True):
            if cond is not None:
                self._condition_units(item, cond, (*band.path, "when"))
        if item.input in FITS["bands"] and item.bands:
            self._coverage(item, conditions)

    def _condition_units(self, item: Item, cond: Condition, path: Path) -> None:
        # A percentage input compared with 75 (not 75%) is the 92-vs-0.92 mix-up the format
        # forbids; a plain count compared with a percentage is the same mistake the other way.
        if item.input == "percent" and cond.plain_number:
            self.report("KPI416", path, value=cond.text,
                        why_zh="须写成百分数（如 75%），因为该指标的值是百分数",
                        why_en="must be written as a percentage (75%): the value is one")
        elif item.input in ("number", "count", "average", "points") and cond.percent:
            self.report("KPI416", path, value=cond.text,
                        why_zh=f"是百分数，但该指标的值是 {item.input}，不是百分数",
                        why_en=f"is a percentage, but the value is a {item.input}")

    def _coverage(self, item: Item, conditions: list[Condition | None]) -> None:
        """Gaps, overlaps and unreachable bands within the values the item's input can take."""
        domain = input_domain(item.input, scale_of(item))
        written_as_percent = any(c.percent for c in conditions if c)
        shown = shower(item.input in ("percent", "ratio") and written_as_percent)
        var = next((c.variable for c in conditions if c), "X")
        pieces = regions(item.bands, domain)
        reachable = {i for r in pieces for i in r.covered}
        for i, band in enumerate(item.bands):
            if i not in reachable:
                anywhere = regions((band,), ANYWHERE)
                empty = not any(r.covered for r in anywhere)
                why = (("its bounds exclude each other", "上下限互相矛盾") if empty else
                       (f"a {item.input} value is never there ({domain.describe(var, shown)})",
                        f"{item.input} 类型的值不会落在这里（{domain.describe(var, shown)}）"))
                self.report("KPI406", (*band.path, "when"), n=i + 1, when=band.when,
                            why_en=why[0], why_zh=why[1])
        for run in runs(pieces):
            where = run.describe(var, shown)
            if not run.covered:
                self.report("KPI403", (*item.path, "bands"), where=where)
            elif len(run.covered) > 1:
                first, second = run.covered[0], run.covered[1]
                self.report("KPI404", (*item.bands[second].path, "when"), where=where,
                            first=first + 1, second=second + 1)

    def _m_linear(self, item: Item) -> None:
        spec, p = item.spec, (*item.path, "linear")
        target = spec.get("target")
        if target is None or target <= 0:
            self.report("KPI420", (*p, "target"), item=item.id, field="target",
                        why_zh="目标值须大于 0", why_en="the target must be above 0")
        for key in ("full", "cap"):
            if spec.get(key) is not None:
                self._points(item, spec[key], (*p, key))
        if spec.get("floor") is not None and spec.get("cap") is not None and (
            spec["floor"] > spec["cap"]
        ):
            self.report("KPI419", (*p, "floor"), detail_zh="floor 高于 cap",
                        detail_en="floor is above cap")

    def _m_deductions(self, item: Item) -> None:
        spec, p = item.spec, (*item.path, "deductions")
        if spec.get("full") is not None:
            self._points(item, spec["full"], (*p, "full"))
        if not spec.get("per"):
            self.report("KPI420", (*p, "per"), item=item.id, field="per",
                        why_zh="须列出各类扣分及分值", why_en="list the kinds and their points")
        for kind, value in spec.get("per", {}).items():
            if isinstance(value, tuple) and value[0] > value[1]:
                self.report("KPI419", (*p, "per", kind), detail_zh=f"“{kind}”的 min 高于 max",
                            detail_en=f"'{kind}': min is above max")
        esc = spec.get("escalate")
        at = esc.get("at") if esc is not None else None
        if esc is not None and (at is None or at < 1 or esc.get("factor") is None):
            self.report("KPI419", (*p, "escalate"), detail_zh="escalate 须写明 at（≥1）和 factor",
                        detail_en="escalate needs at (≥ 1) and factor")
        self.out += check_escalation(self.s.file, item)

    def _m_bonus(self, item: Item) -> None:
        every = item.spec.get("every")
        if every is None or every <= 0:
            self.report("KPI419", (*item.path, "bonus", "every"),
                        detail_zh="every 须大于 0", detail_en="every must be above 0")

    def _m_levels(self, item: Item) -> None:
        if not item.levels:
            self.report("KPI420", (*item.path, "levels"), item=item.id, field="levels",
                        why_zh="须列出各等级及分值", why_en="list the levels and their points")
        for k, level in enumerate(item.levels):
            self._points(item, level.points, (*item.path, "levels", k, "points"))

    def _m_pass(self, item: Item) -> None:
        for key in ("pass_points", "fail_points"):
            if item.spec.get(key) is not None:
                self._points(item, item.spec[key], (*item.path, "pass", key))

    def _m_direct(self, item: Item) -> None:
        return

    def _m_formula(self, item: Item) -> None:
        self._formula(item.spec.get("formula", ""), (*item.path, "formula"),
                      {"X", *self.s.params})

    # scheme level ------------------------------------------------------------------------
    def weights(self) -> None:
        if self.s.total_formula is not None:
            return
        parts = [(i.id, i.weight if i.weight is not None else i.max) for i in self.s.items
                 if i.method not in (None, "bonus")]
        total = sum((v for _, v in parts if v is not None), ZERO)
        if total != HUNDRED:
            detail = " + ".join(f"{k} {plain(v)}" for k, v in parts if v is not None) or "—"
            self.report("KPI402", ("items",), sum=plain(total), detail=detail)

    def _names(self) -> set[str]:
        names = set(self.s.params)
        for item in self.s.items:
            names.add(formula_name(item.id))
            names.add(formula_name(item.id) + "_value")
        return names

    def total(self) -> None:
        if self.s.total_formula is not None:
            self._formula(self.s.total_formula, ("total", "formula"), self._names())

    def grades(self) -> None:
        for k in range(1, len(self.s.grades)):
            prev, g = self.s.grades[k - 1], self.s.grades[k]
            if g.min >= prev.min:
                self.report("KPI411", ("grades", k, "min"), grade=g.grade, min=plain(g.min),
                            previous=prev.grade, previous_min=plain(prev.min))

    def money(self) -> None:
        known = {"total", *self._names()}
        later = {m.id for m in self.s.money}
        for m in self.s.money:
            formula = self._formula(m.formula, (*m.path, "formula"), known | later, known)
            if formula is not None:
                for name in sorted(formula.names & later - known):
                    self.report("KPI414", (*m.path, "formula"), name=name)
            known.add(m.id)
            if m.min is not None and m.max is not None and m.min > m.max:
                self.report("KPI419", (*m.path, "min"), detail_zh="min 高于 max",
                            detail_en="min is above max")

    def rules(self) -> None:
        items = {i.id: i for i in self.s.items}
        for r in self.s.rules:
            name = r.when.get("item_failed")
            if name is None:
                continue
            item = items.get(str(name))
            if item is None:
                self.report("KPI422", (*r.path, "when", "item_failed"), rule=r.id, item=name,
                            why_zh="不存在", why_en="does not exist")
            elif item.input != "pass":
                self.report("KPI422", (*r.path, "when", "item_failed"), rule=r.id, item=name,
                            why_zh="不是合格/不合格（pass）指标", why_en="is not a pass item")

    def _formula(
        self, text: str, path: Path, known: set[str], usable: set[str] | None = None
    ) -> Formula | None:
        """`known`: names that are not "unknown"; `usable` (default: the same): the names a
        user is told they may use (a money formula may not use itself or later amounts)."""
        try:
            formula = compile_formula(text)
        except FormulaError as e:
            self.report("KPI407", path, formula=text, reason=str(e))
            return None
        listed = ", ".join(sorted(known if usable is None else usable)[:30]) or "—"
        for name in sorted(formula.names - known):
            self.report("KPI408", path, name=name, known=listed)
        return formula


def _reparse(band: Band) -> Condition | None:
    try:
        return parse_condition(band.when)
    except ConditionError:  # build_scheme already reported it
        return None
