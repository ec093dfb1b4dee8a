"""What `kpi review` finds: refusals, problems, moved scores and ranks, rule events and late
submissions of one change, as plain data for the report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kpiledger.diagnostics import Diagnostic, has_errors
from kpiledger.model import Scheme

View = dict[str, Any]  # evaluate.rule_view plus name and money: plain data, cheap to pickle


@dataclass(frozen=True)
class Refusal:
    """Something the change may not do, and who may do it instead, in both languages."""

    where: str  # repository path of the file, or "commit <sha>" / "actor @login"
    why_zh: str
    why_en: str
    instead_zh: str  # who may do it instead
    instead_en: str


@dataclass(frozen=True)
class Change:
    """One assessee's result in one period and scheme, before and after the change."""

    period: str
    scheme: str
    assessee: str
    name: str
    before: View | None  # evaluate.rule_view of the result, plus name and money
    after: View | None


@dataclass
class Review:
    """The outcome of checking the change REF...HEAD."""

    base: str
    head: str
    changed: list[tuple[str, str]]  # (status A|M|D, repository path) of ledger files
    outside: list[str]  # changed files outside the ledger (not checked here)
    refusals: list[Refusal] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # ledger-relative files
    changes: list[Change] = field(default_factory=list)
    triggered: list[dict[str, Any]] = field(default_factory=list)
    cleared: list[dict[str, Any]] = field(default_factory=list)
    late: list[tuple[str, int, str]] = field(default_factory=list)  # (path, days, due)
    followups: list[tuple[str, str]] = field(default_factory=list)  # obligations created (zh, en)
    # the rule events of the assessees this change touches, at head (their obligations)
    events_after: list[dict[str, Any]] = field(default_factory=list)
    prefix: str = ""
    seconds: float = 0.0
    # both sides' schemes (head's where both have one): the report names schemes, amounts and
    # rules by their titles, never by their ids
    schemes: Mapping[str, Scheme] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(self.refusals) or has_errors(self.diagnostics)
