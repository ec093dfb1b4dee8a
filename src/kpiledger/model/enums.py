"""The fixed sets of the ledger's languages, as the schemas (schemas/*.schema.json) list them.

Each is a `StrEnum`: a member equals its text and hashes like it, so `role == "self"`,
`"data" in item.by` and dict lookups by plain text keep working, and f-strings, `str()`,
`json` and orjson write the plain text. Two things do not take members: orjson refuses them
as dict *keys* (turn keys into `str` first) and YAML dumpers refuse them altogether.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple, TypeVar


class Role(StrEnum):
    """Who submits a record, or supplies an item's value (`role:` of a record, `by:` of an
    item, the keys of a scheme's `assessors`)."""

    SUPERIOR = "superior"  # the assessor the org chart names (the default)
    SELF = "self"  # the assessee; for a unit, a member of it
    GROUP = "group"  # one of the assessee's group assessors
    DATA = "data"  # a member of a data-owner unit (`source_unit`)


class InputKind(StrEnum):
    """The shape of an item's value in a record (`input:`)."""

    NUMBER = "number"
    PERCENT = "percent"  # 92% or 0.92
    RATIO = "ratio"  # {numerator, denominator}
    COUNT = "count"  # a whole number ≥ 0
    AVERAGE = "average"  # a list of numbers
    LEVEL = "level"  # one of the item's levels
    PASS = "pass"  # true or false
    OCCURRENCES = "occurrences"  # a list of {kind, count, …}
    POINTS = "points"  # the points themselves


class Method(StrEnum):
    """How an item's value becomes points: the one method key an item carries. Declared in
    the order the scheme builder looks for them (the first one found is used)."""

    BANDS = "bands"
    LINEAR = "linear"
    DEDUCTIONS = "deductions"
    BONUS = "bonus"
    LEVELS = "levels"
    PASS = "pass"
    DIRECT = "direct"
    FORMULA = "formula"


class Quantity(StrEnum):
    """What one unit of a deduction kind measures, when it is not one occurrence (`measured_in`
    of a `deductions` item). A quantity is not a count of repeats: "每延误1天扣3分" for three
    days is one problem measured in days, so escalation ("重复出现三次以上") leaves it out."""

    DAY = "day"
    HOUR = "hour"
    MONEY = "money"


# How a derivation or page words one unit: Quantity or "" (an occurrence) → (zh, en).
QUANTITY_WORDS: dict[str, tuple[str, str]] = {
    "": ("次", "times"),
    Quantity.DAY: ("天", "days"),
    Quantity.HOUR: ("小时", "hours"),
    Quantity.MONEY: ("元", "yuan"),
}


class PeriodKind(StrEnum):
    """The kind of a period (`kind:` in periods.yaml, `period_kind:` of a scheme)."""

    MONTH = "month"  # id YYYY-MM
    QUARTER = "quarter"  # id YYYY-Qn
    YEAR = "year"  # id YYYY


E = TypeVar("E", bound=StrEnum)


def member(kind: type[E], text: str) -> E:
    """The member of `kind` that `text` names. Text outside the set is kept as written (a
    plain str), for a document that failed its schema: builders never raise, and the
    diagnostics quote what was written."""
    return kind._value2member_map_.get(text, text)  # type: ignore[return-value]


class RoleName(NamedTuple):
    """How texts name a role: as a party to a score (rule texts, the site) and as the person
    who holds it (diagnostics, skeleton records), in Chinese and English."""

    zh: str  # 上级: "上级 80 × 70" in a rule text
    en: str  # Superior: the English site
    holder_zh: str  # 考核人: "以“考核人”身份考核"
    holder_en: str  # assessor: "the org chart names no assessor for E1"


ROLE_NAMES: dict[str, RoleName] = {
    Role.SUPERIOR: RoleName("上级", "Superior", "考核人", "assessor"),
    Role.SELF: RoleName("本人", "Self", "被考核人本人", "assessee"),
    Role.GROUP: RoleName("考核小组", "Assessment group", "考核小组", "group"),
    Role.DATA: RoleName("资料来源", "Data owner", "资料来源部门", "data owner"),
}


def role_names(role: str) -> RoleName:
    """How texts name `role`; text that names no role is named as written, in every form."""
    names = ROLE_NAMES.get(role)
    return RoleName(role, role, role, role) if names is None else names
