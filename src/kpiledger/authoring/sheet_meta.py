"""The settings of an input sheet — period, scheme, role, data-owner unit — from its first row
(考核期 | 2026-07 | 方案 | 客服部客服绩效考核表 | 角色 | 上级) or the command line. A wrong
setting is one problem at the cell that holds it, never a problem per column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kpiledger.authoring.feedback import Problem
from kpiledger.authoring.sheet_read import Sheet, item_by_header, read_meta
from kpiledger.authoring.sheet_words import (
    role_from_label,
    role_label,
    scheme_from_label,
    scheme_roles,
    unit_from_label,
)
from kpiledger.calendar import unknown_period
from kpiledger.check.records import items_for
from kpiledger.model import Ledger, Period, Scheme, role_names


@dataclass(frozen=True)
class Settings:
    period: Period
    scheme: Scheme
    role: str
    source_unit: str | None
    role_cell: tuple[int, int | None]  # (row, column) of the 角色 cell; (1, None): not written


@dataclass(frozen=True)
class _Setting:
    key: str
    what: tuple[str, str]
    flag: str


_PERIOD = _Setting("period", ("考核期", "period"), "--period")
_SCHEME = _Setting("scheme", ("方案", "scheme"), "--scheme")
_ROLE = _Setting("role", ("角色", "role"), "--role")


def read_settings(
    ledger: Ledger, sheet: Sheet, header: int, options: object, problems: list[Problem]
) -> Settings | None:
    """The sheet's settings (the command line's `options` win when they agree), or None after
    adding the problems to `problems`."""
    meta = read_meta(sheet, header)

    def at(key: str) -> tuple[int, int | None]:
        return meta[key][1:] if key in meta else (1, None)

    def problem(code: str, key: str, **args: object) -> None:
        problems.append(Problem(code, sheet.name, *at(key), args=args))

    calendar = ledger.calendar
    period_id = _resolve(sheet, meta, _PERIOD, getattr(options, "period", None),
                         lambda t: t if t in calendar.periods else None, problems)
    if period_id is False:
        problem("KPI640", "period", value=meta["period"][0], open="、".join(
            p.id for p in calendar.periods.values() if p.status == "open") or "（无）")
    scheme_id = _resolve(sheet, meta, _SCHEME, getattr(options, "scheme", None),
                         lambda t: scheme_from_label(ledger, t), problems,
                         _only_scheme(ledger, period_id or None))
    if scheme_id is False:
        problem("KPI641", "scheme", value=meta["scheme"][0],
                titles="、".join(s.title for s in ledger.schemes.values()))
    role = _resolve(sheet, meta, _ROLE, getattr(options, "role", None), role_from_label,
                    problems, "superior")
    scheme = ledger.schemes.get(scheme_id) if isinstance(scheme_id, str) else None
    if role is False:
        allowed = scheme_roles(scheme) if scheme else ["superior", "self", "group", "data"]
        problem("KPI642", "role", value=meta["role"][0],
                allowed="、".join(role_label(r) for r in allowed))
    source_unit = getattr(options, "source_unit", None)
    if source_unit is None and "source_unit" in meta:
        source_unit = unit_from_label(ledger.org, meta["source_unit"][0])
        if source_unit is None:
            problem("KPI301", "source_unit", kind_zh="资料来源部门", kind_en="source unit",
                    id=meta["source_unit"][0])
            return None
    if not (isinstance(period_id, str) and isinstance(scheme_id, str) and isinstance(role, str)):
        return None
    period = calendar.periods.get(period_id)
    if period is None:  # from --period: there is no cell to point at; say what to run
        code, args = unknown_period(period_id)
        problems.append(Problem(code, sheet.name, 1, args=args))
    if scheme is None:
        problems.append(Problem("KPI301", sheet.name, 1, args={
            "kind_zh": "考核方案", "kind_en": "scheme", "id": scheme_id}))
    if period is None or scheme is None:
        return None
    if period.status == "closed":
        problem("KPI309", "period", period=period.id)
        return None
    return Settings(period, scheme, role, source_unit, at("role"))


def _resolve(
    sheet: Sheet, meta: dict[str, tuple[str, int, int]], setting: _Setting, option: str | None,
    resolve: Callable[[str], str | None], problems: list[Problem], default: str | None = None,
) -> str | bool | None:
    """The setting's id; False when the sheet's cell names nothing known (the caller says
    so at the cell); None when it cannot be told (reported here)."""
    zh, en = setting.what
    written = meta.get(setting.key)
    value = resolve(written[0]) if written else None
    if written and value is None and not option:
        return False
    if written and option and value != option:
        problems.append(Problem("KPI611", sheet.name, written[1], written[2], args={
            "what_zh": zh, "what_en": en, "sheet_value": written[0], "option_value": option}))
        return None
    chosen = option or value or default
    if chosen is None:
        problems.append(Problem("KPI610", sheet.name, 1, args={
            "what_zh": zh, "what_en": en, "option": setting.flag}))
    return chosen


def _only_scheme(ledger: Ledger, period_id: str | None) -> str | None:
    """With one scheme of the period's kind, --scheme may be left out."""
    period = ledger.calendar.periods.get(period_id or "")
    kinds = [s.id for s in ledger.schemes.values() if period and s.period_kind == period.kind]
    return kinds[0] if len(kinds) == 1 else None


def role_mismatch(sheet: str, settings: Settings, headers: list[str]) -> Problem | None:
    """When the sheet's item columns are exactly those of another role of the scheme than the
    角色 cell says: the one problem to report, at the role cell, instead of one per column."""
    scheme, role, unit = settings.scheme, settings.role, settings.source_unit
    every = item_by_header({i.id: i for i in scheme.items})
    shown = {every[h][1].id for h in headers if h in every}
    for other in scheme_roles(scheme):
        theirs = items_for(scheme, other, unit)
        if other != role and theirs and set(theirs) == shown:
            first = next(h for h in headers if h in every)
            return Problem("KPI643", sheet, *settings.role_cell, args={
                "value": role_label(role), "other": role_label(other),
                "other_en": role_names(other).en, "header": first})
    return None
