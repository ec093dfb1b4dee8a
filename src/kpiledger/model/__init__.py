"""The typed model of a ledger: what `validate` hands to `score`.

Plain frozen dataclasses built from schema-valid documents. Numbers that are published or
compared are Decimal; percentages are fractions (92% → Decimal("0.92")).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Path = tuple[str | int, ...]  # a JSON path inside one document, for diagnostics


# Author roles as a derivation names them (rule texts are Chinese, like the documents).
ROLE_NAMES_ZH = {"self": "本人", "superior": "上级", "group": "考核小组", "data": "资料来源"}

@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    parent: str | None
    assessor: str | None = None
    reviewers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    unit: str
    title: str = ""
    name_en: str = ""
    assessor: str | None = None
    reviewer: str | None = None
    group_assessors: tuple[str, ...] = ()
    identities: tuple[str, ...] = ()
    active_from: str | None = None
    active_to: str | None = None


@dataclass(frozen=True)
class Org:
    company: str
    hr: tuple[str, ...]
    units: dict[str, Unit]
    people: dict[str, Person]

    def unit_of(self, assessee: str) -> str | None:
        """The unit an assessee belongs to: a person's unit, or a unit itself."""
        if assessee in self.people:
            return self.people[assessee].unit
        if assessee in self.units:
            return assessee
        return None

    def name_of(self, assessee: str) -> str:
        if assessee in self.people:
            return self.people[assessee].name
        if assessee in self.units:
            return self.units[assessee].name
        return assessee

    def ancestors(self, unit: str) -> list[str]:
        """The unit and every unit above it, nearest first (cycles are cut)."""
        chain: list[str] = []
        while unit and unit in self.units and unit not in chain:
            chain.append(unit)
            unit = self.units[unit].parent or ""
        return chain


@dataclass(frozen=True)
class Period:
    id: str
    kind: str  # month | quarter | year
    start: str
    end: str
    due: str | None
    status: str  # open | closed


@dataclass(frozen=True)
class Calendar:
    timezone: str
    periods: dict[str, Period]


def within(
    value: Decimal,
    low: Decimal | None,
    low_inclusive: bool,
    high: Decimal | None,
    high_inclusive: bool,
) -> bool:
    """Whether `value` lies between the bounds, each inclusive or not (None: unbounded)."""
    if low is not None and (value < low or (value == low and not low_inclusive)):
        return False
    return not (high is not None and (value > high or (value == high and not high_inclusive)))


@dataclass(frozen=True)
class Band:
    when: str
    points: Decimal
    low: Decimal | None  # None: unbounded
    low_inclusive: bool
    high: Decimal | None
    high_inclusive: bool
    path: Path = ()

    def contains(self, value: Decimal) -> bool:
        return within(value, self.low, self.low_inclusive, self.high, self.high_inclusive)


@dataclass(frozen=True)
class Level:
    level: str
    points: Decimal
    text: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    by: tuple[str, ...]  # roles that supply the value
    input: str  # number | percent | ratio | count | average | level | pass | occurrences | points
    method: str | None  # bands | linear | deductions | bonus | levels | pass | direct | formula
    spec: dict[str, Any]  # the method's own settings, as written (Decimals for numbers)
    weight: Decimal | None = None
    max: Decimal | None = None
    bands: tuple[Band, ...] = ()
    levels: tuple[Level, ...] = ()
    zero_denominator: Decimal | str | None = None  # points, or "skip"
    veto: dict[str, Any] | None = None
    source_unit: str | None = None
    title_en: str = ""
    definition: str = ""
    path: Path = ()


@dataclass(frozen=True)
class Grade:
    grade: str
    min: Decimal


@dataclass(frozen=True)
class Money:
    id: str
    title: str
    formula: str
    min: Decimal | None = None
    max: Decimal | None = None
    path: Path = ()
    title_en: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    when: dict[str, Any]
    consecutive: int
    outcome: str
    amounts: dict[int, Decimal] = field(default_factory=dict)
    missing: str = "breaks"
    path: Path = ()
    title_en: str = ""


@dataclass(frozen=True)
class Scheme:
    id: str
    title: str
    file: str
    period_kind: str
    items: tuple[Item, ...]
    applies_units: tuple[str, ...] = ()
    applies_titles: tuple[str, ...] = ()
    applies_people: tuple[str, ...] = ()
    applies_assessee_units: tuple[str, ...] = ()
    assessors: dict[str, Decimal] = field(default_factory=dict)
    missing_assessor: str = "renormalise"
    params: dict[str, Decimal] = field(default_factory=dict)
    precision: int = 2
    total_formula: str | None = None
    total_max: Decimal | None = None
    grades: tuple[Grade, ...] = ()
    money: tuple[Money, ...] = ()
    ranking_group: str = "unit"
    rules: tuple[Rule, ...] = ()
    title_en: str = ""
    source: str = ""
    aggregate: dict[str, Any] | None = None  # {method, periods, weights} for quarter/year totals

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True)
class Record:
    file: str  # path relative to the ledger root, with forward slashes
    period: str
    scheme: str
    unit: str
    assessee: str
    role: str
    author: str
    items: dict[str, Any]
    source_unit: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    comment: str = ""
    correction: dict[str, Any] | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """One record per period, assessee, scheme and author role (and data-owner unit)."""
        return (self.period, self.assessee, self.scheme, self.role, self.source_unit or "")


@dataclass(frozen=True)
class Ledger:
    root: str
    org: Org
    calendar: Calendar
    schemes: dict[str, Scheme]
    records: tuple[Record, ...]
