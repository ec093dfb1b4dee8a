"""The typed model of a ledger: what `check` builds and hands to `score`.

Plain frozen dataclasses built from schema-valid documents (`build`, `schemes`). Numbers that
are published or compared are Decimal; percentages are fractions (92% → Decimal("0.92")).
Fixed sets (roles, input kinds, methods, period kinds) are `StrEnum`s (`enums`): members equal
their text. The org chart and the calendar are in `org`; all are importable from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kpiledger.model.appeals import Appeal
from kpiledger.model.conditions import Condition, within
from kpiledger.model.enums import (
    ROLE_NAMES,
    InputKind,
    Method,
    PeriodKind,
    Role,
    RoleName,
    member,
    role_names,
)
from kpiledger.model.followups import Followup
from kpiledger.model.org import Calendar, Org, Period, Person, Unit

__all__ = [
    "ROLE_NAMES", "Aggregate", "Appeal", "Band", "Calendar", "Condition", "Followup", "Grade",
    "InputKind", "Item", "Ledger", "Level", "Method", "Money", "Org", "Param", "Path", "Period",
    "PeriodKind", "Person", "Reading", "Record", "Role", "RoleName", "Rule", "Scheme", "Unit",
    "Veto",
    "member", "role_names", "within",
]

Path = tuple[str | int, ...]  # a JSON path inside one document, for diagnostics



@dataclass(frozen=True)
class Band:
    """One band of a `bands` item: `points` when the value lies within the bounds."""

    when: str
    """The condition as normalised text, e.g. "75% > X ≥ 65%"."""
    points: Decimal
    low: Decimal | None
    """Lower bound (a fraction when written as a percentage); None: unbounded."""
    low_inclusive: bool
    high: Decimal | None
    """Upper bound; None: unbounded."""
    high_inclusive: bool
    path: Path = ()
    """JSON path of the band in the scheme document."""

    def contains(self, value: Decimal) -> bool:
        """Whether the band's condition holds for `value`."""
        return within(value, self.low, self.low_inclusive, self.high, self.high_inclusive)


@dataclass(frozen=True)
class Level:
    """One level of a rubric (`levels`): the level written in records and its points."""

    level: str
    """As records write it: A, 优, 10 (numbers as text)."""
    points: Decimal
    text: str = ""
    """What the level means, in words ("" when not written)."""
    level_en: str = ""
    """The level's name in the English edition ("" when not written: shown as `level`)."""
    text_en: str = ""


@dataclass(frozen=True)
class Veto:
    """An item's veto (一票否决): when the item's measured value meets `condition`, the
    assessee's whole total becomes `total`, whatever the other items score."""

    when: str
    """The condition as normalised text, e.g. "X > 0" (what derivations quote)."""
    condition: Condition
    """The parsed condition, over the measured value (a fraction for percentages)."""
    total: Decimal = Decimal(0)
    """The forced total; 0 when not written."""
    path: Path = ()
    """JSON path of the `veto` mapping in the scheme document."""


@dataclass(frozen=True)
class Item:
    """One indicator (指标) of a scheme: who supplies its value, the value's shape, how it is
    scored (at most one method) and its size (a weight or a max)."""

    id: str
    """Unique within the scheme; a formula writes it with `-` as `_`."""
    title: str
    by: tuple[Role, ...]
    """The roles that supply the value (several: their points are weighted by `assessors`)."""
    input: InputKind
    """The shape of the value in a record; number when not written."""
    method: Method | None
    """How the value becomes points; None: an input-only item (no points, fed to formulas)."""
    spec: dict[str, Any]
    """The method's settings, numbers as Decimal, defaults filled in: linear {target, full,
    floor, cap}; deductions {full, floor, per, escalate, escalate_quantities, measured_in,
    late, names, names_en}; bonus {every, points,
    cap}; pass {pass_points, fail_points, carry_over}; formula {formula}; otherwise {}."""
    weight: Decimal | None = None
    """Percent of the total (the item is scored 0–100, contributes points × weight / 100)."""
    max: Decimal | None = None
    """Full points of an item scored in its own points (it contributes its points)."""
    bands: tuple[Band, ...] = ()
    """For method bands: the bands in the order written (the first that holds counts)."""
    levels: tuple[Level, ...] = ()
    """For method levels, or the allowed levels of a level input."""
    zero_denominator: Decimal | str | None = None
    """For a ratio input whose denominator is 0: the points, or "skip" (left out of the
    total, its weight shared by the other weighted items); None: not written."""
    veto: Veto | None = None
    source_unit: str | None = None
    """For `by: data`: the data-owner unit that supplies the value."""
    title_en: str = ""
    definition: str = ""
    """What is measured and how, as the source document says it."""
    definition_en: str = ""
    path: Path = ()
    """JSON path of the item in the scheme document: ("items", index)."""

    def level_name(self, level: str, lang: str) -> str:
        """A rubric level as the site shows it in `lang` (as written when no English name)."""
        if lang == "en":
            return next((lv.level_en for lv in self.levels if lv.level == level and lv.level_en),
                        level)
        return level

    def kind_name(self, kind: str, lang: str) -> str:
        """A deduction kind's name in `lang`: names_en, then names, then the kind's id."""
        names = self.spec.get("names") or {}
        if lang == "en" and (self.spec.get("names_en") or {}).get(kind):
            return str(self.spec["names_en"][kind])
        return str(names.get(kind, kind))


@dataclass(frozen=True)
class Grade:
    """A grade (等级) and the least published total (inclusive) that earns it."""

    grade: str
    min: Decimal
    grade_en: str = ""
    """Its name in the English edition ("" when not written: the Chinese one is shown)."""


@dataclass(frozen=True)
class Money:
    """An amount (绩效工资, 奖金) computed from the total, items and params, optionally clamped."""

    id: str
    """Its name in later money formulas."""
    title: str
    formula: str
    """Over total, item ids (points), <item>_value, params and earlier money ids."""
    min: Decimal | None = None
    max: Decimal | None = None
    path: Path = ()
    title_en: str = ""


@dataclass(frozen=True)
class Param:
    """A named constant of a scheme's formulas, with what the site shows of it."""

    id: str
    value: Decimal
    """Its value (a fraction when written as a percentage)."""
    title: str = ""
    """Its name in words (绩效工资总值); empty when the scheme writes only the number."""
    title_en: str = ""
    unit: str = ""
    """Its unit as written (元); empty when none."""
    unit_en: str = ""
    percent: bool = False
    """Written as a percentage (70%), so shown as one."""


@dataclass(frozen=True)
class Rule:
    """A cross-period rule (跨期规则): `consecutive` periods in which `when` holds → `outcome`."""

    id: str
    title: str
    when: dict[str, Any]
    """Exactly one condition as written: {total_below: 60}, {last_place: true},
    {rank_top: 3}, {grade_in: [不合格]}, {item_failed: reading}, …"""
    consecutive: int
    """How many periods in a row (≥ 1)."""
    outcome: str
    """What the rule concludes, as written (淘汰, 奖励, 改进计划)."""
    outcome_en: str = ""
    """The outcome in the English edition ("" when not written: the Chinese one is shown)."""
    amounts: dict[int, Decimal] = field(default_factory=dict)
    """Amounts paid by place (1 → 500)."""
    missing: str = "breaks"
    """A period without a result: breaks the streak, or skips (is passed over)."""
    path: Path = ()
    title_en: str = ""
    followup: Followup | None = None
    """What the outcome obliges someone to hand in, and by when (None: nothing)."""


@dataclass(frozen=True)
class Reading:
    """One entry of a scheme's readings register (对原文的解读): where the source document's
    words allow two readings, the one the scheme takes, the other, and why."""

    quote: str
    """The document's words, as printed (typos included): “75%以下”."""
    reading: str
    """The reading taken, saying which side a boundary is on: “X < 75%，不含 75%”."""
    alternative: str
    why: str
    item: str | None = None
    """The item it concerns, if one."""
    rule: str | None = None
    """The cross-period rule it concerns, if one."""
    reading_en: str = ""
    alternative_en: str = ""
    why_en: str = ""
    path: Path = ()
    """JSON path of the entry: ("readings", index)."""


@dataclass(frozen=True)
class Aggregate:
    """Quarterly and yearly totals made from a monthly scheme's monthly totals (季度/年度汇总),
    ranked like the monthly ones (see `rules.aggregate`)."""

    method: str = "mean"
    """mean, sum, or weighted (a mean weighted by `weights`)."""
    periods: tuple[PeriodKind, ...] = (PeriodKind.QUARTER, PeriodKind.YEAR)
    """The period kinds to aggregate into."""
    weights: dict[Any, Any] | None = None
    """For weighted: month id ("2026-03") or month number (3) → weight, as written;
    unlisted months weigh 1."""


@dataclass(frozen=True)
class Scheme:
    """An assessment scheme (考核方案, schemes/<id>.yaml): whom it applies to, its items, how
    the total, grade, money and ranking are formed, and its cross-period rules."""

    id: str
    title: str
    file: str
    """The scheme's file, relative to the ledger root (schemes/<id>.yaml)."""
    period_kind: PeriodKind
    """The kind of period it is assessed in."""
    items: tuple[Item, ...]
    applies_units: tuple[str, ...] = ()
    """People in these units or below them…"""
    applies_titles: tuple[str, ...] = ()
    """…with one of these job titles (any title when empty)."""
    applies_people: tuple[str, ...] = ()
    """These people, by id, whatever their unit."""
    applies_assessee_units: tuple[str, ...] = ()
    """Units assessed as units."""
    assessors: dict[Role, Decimal] = field(default_factory=dict)
    """The submitting roles and their weights (0: shown, not counted); {superior: 100}
    when not written."""
    missing_assessor: str = "renormalise"
    """When a role has not submitted: renormalise (weigh those who did), zero (it counts 0)
    or incomplete (no total until all have)."""
    params: dict[str, Decimal] = field(default_factory=dict)
    """Named constants for formulas (percentages as fractions)."""
    param_info: dict[str, Param] = field(default_factory=dict)
    """The same constants with their titles and units, as the site shows them."""
    precision: int = 2
    """Decimals of published numbers (0–6), rounded half up."""
    total_formula: str | None = None
    """A formula over item ids (their points); None: contributions plus bonus points."""
    total_max: Decimal | None = None
    """Clamp for the total; None: none."""
    grades: tuple[Grade, ...] = ()
    """Highest first."""
    money: tuple[Money, ...] = ()
    ranking_group: str = "unit"
    """Whom an assessee is ranked among: unit (the same unit), parent (the unit above) or
    scheme (everyone under the scheme)."""
    rules: tuple[Rule, ...] = ()
    title_en: str = ""
    source: str = ""
    """The source document, as written (文档4 客服部客服绩效考核表)."""
    aggregate: Aggregate | None = None
    """Quarterly and yearly totals; None: none."""
    readings: tuple[Reading, ...] = ()
    """The readings register: every ambiguous phrase of the source and the reading taken."""
    appeals: tuple[int, str] = (5, "due")
    """The appeal window: how many days an assessee has to appeal a result, counted from
    which moment of the period (due: its due time) — `appeals:` in the scheme."""

    def grade_name(self, grade: str, lang: str) -> str:
        """A grade's name in `lang` (the Chinese one when no English one is written)."""
        if lang == "en":
            return next((g.grade_en for g in self.grades if g.grade == grade and g.grade_en),
                        grade)
        return grade

    def item(self, item_id: str) -> Item | None:
        """The item with this id, if any."""
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def deducts_lateness(self) -> bool:
        """Whether an item deducts for late submission, so landing times from git matter."""
        return any(i.method == "deductions" and i.spec.get("late") for i in self.items)


@dataclass(frozen=True)
class Record:
    """What one author submits for one assessee, period and scheme (a record file, or a
    correction of one)."""

    file: str
    """Path relative to the ledger root, with forward slashes."""
    period: str
    scheme: str
    unit: str
    """The assessee's unit: the record's folder."""
    assessee: str
    """Id of the person or unit assessed."""
    role: Role
    """The author's role; superior when not written."""
    author: str
    """Person id of who submits it."""
    items: dict[str, Any]
    """Item id → value as written (the item's `input` gives its shape); YAML null is None."""
    source_unit: str | None = None
    """For role data: the data-owner unit (from the file or its name)."""
    notes: dict[str, str] = field(default_factory=dict)
    """Item id → note."""
    comment: str = ""
    correction: dict[str, Any] | None = None
    """Only in a correction file: {reason, approved_by, date} as written."""
    signatures: dict[str, str] = field(default_factory=dict)
    """assessee | assessor | reviewer → the signing date as written (被考核人确认, 考核人 /
    复核人 签字). A date proves nothing: the signer's own commit does (`git.acts`)."""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """One record per period, assessee, scheme and author role (and data-owner unit)."""
        return (self.period, self.assessee, self.scheme, self.role, self.source_unit or "")


@dataclass(frozen=True)
class Ledger:
    """A whole ledger: its org chart, calendar, schemes by id and records."""

    root: str
    """The ledger's folder ("" when held in memory only)."""
    org: Org
    calendar: Calendar
    schemes: dict[str, Scheme]
    records: tuple[Record, ...]
    """The records that count (of each key, only the winning correction)."""
    appeals: tuple[Appeal, ...] = ()
    """The appeals against results, each with HR's decision once made (`model.appeals`)."""


def title_in(thing: object, lang: str) -> str:
    """A scheme's, item's, amount's or rule's title in `lang`: the English one in English when
    there is one."""
    title_en = getattr(thing, "title_en", "")
    return title_en if lang == "en" and title_en else str(getattr(thing, "title", ""))
