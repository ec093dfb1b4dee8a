"""The org chart (org.yaml) and the calendar (periods.yaml) in the typed model.

Both are built even from documents with schema problems (see `check.ledger`), so that one
misspelt field does not make every record's references look unknown: a field the document
gets wrong holds whatever the builder could read ("" or None when nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from kpiledger.model.enums import PeriodKind
from kpiledger.model.pattern import Pattern


@dataclass(frozen=True)
class Unit:
    """A node of the org tree (a department, branch or team); a unit can itself be an
    assessee. Unit ids and person ids share one namespace."""

    id: str
    name: str
    parent: str | None
    """Id of the unit above; None for a root."""
    assessor: str | None = None
    """Person id of who writes the `superior` record when the unit itself is assessed."""
    reviewers: tuple[str, ...] = ()
    """Person ids of who approve the unit's submissions (they become CODEOWNERS)."""


@dataclass(frozen=True)
class Person:
    """An employee, as an assessee and as an author of records."""

    id: str
    name: str
    unit: str
    """Id of the person's unit."""
    title: str = ""
    """Job title; schemes select people by unit and title."""
    name_en: str = ""
    """English name ("" when none; the English site then shows `name`)."""
    assessor: str | None = None
    """Person id of who writes the person's `superior` record."""
    reviewer: str | None = None
    """Person id of who reviews the person's records."""
    group_assessors: tuple[str, ...] = ()
    """Person ids of who may write the person's `group` record."""
    identities: tuple[str, ...] = ()
    """Git e-mail addresses and forge logins (`github:zhangsan`), for permissions."""
    signing_keys: tuple[str, ...] = ()
    """SSH public keys (`ssh-ed25519 AAAA…`) the person signs commits with."""
    active_from: str | None = None
    """First active date, YYYY-MM-DD text; None: from the start."""
    active_to: str | None = None
    """Last active date, YYYY-MM-DD text; None: still active."""


@dataclass(frozen=True)
class Org:
    """The org chart: units and people by id, and who runs the ledger."""

    company: str
    hr: tuple[str, ...]
    """Person ids of who may change schemes, the org chart and the calendar."""
    units: dict[str, Unit]
    people: dict[str, Person]
    maintainers: tuple[str, ...] = ()
    """Person ids of who may change what lies outside the ledger (engine, workflows, site)."""
    require_signed_commits: bool = False
    """Every commit of a change must carry a good SSH signature by its author's key."""
    unit_files: frozenset[str] = frozenset()
    """Ids of the units kept in a file of their own (`org/<unit>.yaml`): its owners."""

    def unit_of(self, assessee: str) -> str | None:
        """The unit an assessee belongs to: a person's unit, or a unit itself."""
        if assessee in self.people:
            return self.people[assessee].unit
        if assessee in self.units:
            return assessee
        return None

    def name_of(self, assessee: str) -> str:
        """The name of a person or unit; the id itself when it names neither."""
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
    """One period of the calendar. Dates and times are text as written, read in the
    calendar's time zone."""

    id: str
    """2026-03 (a month), 2026-Q1 (a quarter) or 2026 (a year)."""
    kind: PeriodKind
    """month, quarter or year (text as written when the calendar breaks its schema)."""
    start: str
    """First day of the window, YYYY-MM-DD, inclusive."""
    end: str
    """Last day of the window, YYYY-MM-DD, inclusive."""
    due: str | None
    """When records are due, local time ("2026-04-05 17:30"); None: no due time."""
    status: str
    """open, or closed (a closed period takes corrections only)."""
    close_reason: str = ""
    """Why it was closed although records were missing (`kpi period close --reason`)."""


@dataclass(frozen=True)
class Calendar:
    """The periods (periods.yaml), by id."""

    timezone: str
    """IANA time zone name of every date and time of the calendar (Asia/Shanghai)."""
    periods: dict[str, Period]
    pattern: Pattern | None = None
    """How windows and due times follow from a period's id (`pattern:`); None when the file
    writes every period out."""
