"""Where each kind of file lives in a ledger, and what a record's path says about it.

    org.yaml  org/<unit>.yaml  periods.yaml  schemes/<id>.yaml
    <period>/<unit>/<assessee>[.<role>][.correction-<n>].yaml
    <period>/<unit>/<assessee>.appeal-<n>.yaml             an appeal (申诉), the assessee's act
    <period>/<unit>/<assessee>.appeal-<n>.decision.yaml    HR's decision on it (裁定)
    <period>/bulletin.yaml  <period>/followups/<kind>/<assessee>.yaml

`find_root` finds the ledger folder itself (the one holding org.yaml).

The role suffix is absent for `superior`, `self`/`group` otherwise, `data-<unit>` for a
data-owner unit's record.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_PERIOD = re.compile(r"\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?")
_NAME = re.compile(
    r"(?P<assessee>[A-Za-z0-9][A-Za-z0-9_-]*)"
    r"(?:\.(?P<role>self|group|data-(?P<source>[A-Za-z0-9][A-Za-z0-9_-]*)))?"
    r"(?:\.correction-(?P<n>[1-9][0-9]*))?\.yaml"
)

_APPEAL = re.compile(
    r"(?P<assessee>[A-Za-z0-9][A-Za-z0-9_-]*)\.appeal-(?P<n>[1-9][0-9]*)(?P<decision>\.decision)?"
    r"\.yaml"
)


@dataclass(frozen=True)
class RecordPath:
    period: str
    unit: str
    assessee: str
    role: str
    source_unit: str | None
    correction: int | None  # the n of `.correction-<n>`, None for an original


def is_period_folder(name: str) -> bool:
    """Whether a top-level folder name is a period id (`2026`, `2026-05`, `2026-Q2`)."""
    return _PERIOD.fullmatch(name) is not None


def shared_kind(rel: str) -> str | None:
    """org | orgunit | periods | scheme for the files every record is checked against, else
    None. Decided by the path's shape alone: cheap enough for every path of a large ledger."""
    if rel == "org.yaml":
        return "org"
    if rel.startswith("org/") and rel.endswith(".yaml") and rel.count("/") == 1:
        return "orgunit"
    if rel == "periods.yaml":
        return "periods"
    if rel.startswith("schemes/") and rel.endswith(".yaml") and rel.count("/") == 1:
        return "scheme"
    return None


@cache  # asked for every file several times per run (120,000 records: ~0.5 s each time)
def kind_of(rel: str) -> str | None:
    """org | orgunit | periods | scheme | record | correction | appeal | decision | bulletin |
    followup, or None for a file we do not read."""
    shared = shared_kind(rel)
    if shared is not None:
        return shared
    appeal = parse_appeal_path(rel)
    if appeal is not None:
        return "decision" if appeal.decision else "appeal"
    if rel.endswith(".yaml") and "/" in rel and _PERIOD.fullmatch(rel.split("/", 1)[0]):
        if rel.count("/") == 1 and rel.endswith("/" + BULLETIN):
            return "bulletin"
        if parse_followup_path(rel) is not None:
            return "followup"
    parsed = parse_record_path(rel)
    if parsed is None:
        return None
    return "record" if parsed.correction is None else "correction"


@cache  # asked by the builder, the checker and the duplicate finder for every record
def parse_record_path(rel: str) -> RecordPath | None:
    parts = rel.split("/")
    if len(parts) != 3 or not _PERIOD.fullmatch(parts[0]):
        return None
    m = _NAME.fullmatch(parts[2])
    if not m:
        return None
    role = m["role"] or "superior"
    if role.startswith("data-"):
        role = "data"
    return RecordPath(
        period=parts[0],
        unit=parts[1],
        assessee=m["assessee"],
        role=role,
        source_unit=m["source"],
        correction=int(m["n"]) if m["n"] else None,
    )


@dataclass(frozen=True)
class AppealPath:
    period: str
    unit: str
    assessee: str
    n: int
    decision: bool  # the decision file beside the appeal

    @property
    def appeal(self) -> str:
        """The appeal file (for a decision: the one it decides)."""
        return appeal_path(self.period, self.unit, self.assessee, self.n)


@cache
def parse_appeal_path(rel: str) -> AppealPath | None:
    parts = rel.split("/")
    if len(parts) != 3 or not _PERIOD.fullmatch(parts[0]):
        return None
    m = _APPEAL.fullmatch(parts[2])
    if not m:
        return None
    return AppealPath(parts[0], parts[1], m["assessee"], int(m["n"]), bool(m["decision"]))


def appeal_path(period: str, unit: str, assessee: str, n: int, decision: bool = False) -> str:
    """The path of appeal `n` of an assessee (or of the decision on it)."""
    return f"{period}/{unit}/{assessee}.appeal-{n}{'.decision' if decision else ''}.yaml"


def record_path(
    period: str,
    unit: str,
    assessee: str,
    role: str,
    source_unit: str | None = None,
    correction: int | None = None,
) -> str:
    """The path a record with this content must have."""
    suffix = {"superior": "", "self": ".self", "group": ".group"}.get(role, f".data-{source_unit}")
    fix = f".correction-{correction}" if correction else ""
    return f"{period}/{unit}/{assessee}{suffix}{fix}.yaml"


def expected_layout() -> str:
    return (
        "org.yaml, org/<部门>.yaml, periods.yaml, schemes/<方案>.yaml, "
        "<考核期>/<部门>/<被考核人>[.<角色>].yaml, "
        "<考核期>/<部门>/<被考核人>.appeal-<n>[.decision].yaml, <考核期>/bulletin.yaml, "
        "<考核期>/followups/<类别>/<被考核人>.yaml"
    )


BULLETIN = "bulletin.yaml"  # <period>/bulletin.yaml: the period's bulletin is published
FOLLOWUPS = "followups"  # <period>/followups/<kind>/<assessee>.yaml: what a rule asked for
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class FollowupPath:
    period: str
    kind: str
    assessee: str


def parse_followup_path(rel: str) -> FollowupPath | None:
    parts = rel.split("/")
    if len(parts) != 4 or parts[1] != FOLLOWUPS or not _PERIOD.fullmatch(parts[0]):
        return None
    stem = parts[3].removesuffix(".yaml")
    if stem == parts[3] or not _ID.fullmatch(parts[2]) or not _ID.fullmatch(stem):
        return None
    return FollowupPath(parts[0], parts[2], stem)


def followup_path(period: str, kind: str, assessee: str) -> str:
    return f"{period}/{FOLLOWUPS}/{kind}/{assessee}.yaml"


def bulletin_path(period: str) -> str:
    return f"{period}/{BULLETIN}"


LEDGER_MARKER = "org.yaml"  # the file every ledger folder has at its top
ORG_KINDS = ("org", "orgunit")  # the org chart: org.yaml and one file per unit under org/


def unit_file(unit: str) -> str:
    """The file of a unit in a split org chart."""
    return f"org/{unit}.yaml"


def find_root(paths: Iterable[str | Path] = (), ledger: str | Path | None = None) -> Path:
    """The ledger folder a command works on: `--ledger` when given; else the nearest folder
    holding org.yaml at or above any of `paths`; else `./ledger` when it is a ledger; else
    the current folder (where the checker then reports the missing org.yaml)."""
    if ledger:
        return Path(ledger)
    for p in paths:
        candidate = Path(p).resolve()
        for folder in [candidate, *candidate.parents]:
            if (folder / LEDGER_MARKER).exists():
                return folder
    return Path("ledger") if (Path("ledger") / LEDGER_MARKER).exists() else Path(".")
