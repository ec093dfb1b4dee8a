"""Schema-valid documents → the typed model (org chart, calendar, records).

Schemes have their own builder (`schemes.build_scheme`): they carry the scheme language.
Builders assume schema validity and only normalise; meaning is checked in `check`.
"""

from __future__ import annotations

from collections.abc import Iterable
from sys import intern
from typing import Any

from kpiledger.load.layout import parse_record_path
from kpiledger.model import Calendar, Org, Period, PeriodKind, Person, Record, Role, Unit, member
from kpiledger.model.pattern import build_pattern, due, kind_of, window


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _opt(value: Any) -> str | None:
    return None if value is None else str(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _entries(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list; anything else is skipped (the schema has reported it), so a
    file with a schema error still gives what it can and others are not wrongly accused."""
    return [x for x in _list(value) if isinstance(x, dict)]


def build_org(doc: dict[str, Any], unit_docs: Iterable[dict[str, Any]] = ()) -> Org:
    """org.yaml and the unit files org/<unit>.yaml (in path order) → Org; a unit or person
    listed twice keeps its first entry."""
    unit_docs = list(unit_docs)
    own = [u["unit"] for u in unit_docs if isinstance(u.get("unit"), dict)]
    units = {}
    for u in _entries(doc.get("units")) + own:
        units.setdefault(
            _s(u.get("id")),
            Unit(
                id=_s(u.get("id")),
                name=_s(u.get("name")),
                parent=_opt(u.get("parent")),
                assessor=_opt(u.get("assessor")),
                reviewers=tuple(_s(r) for r in _list(u.get("reviewers"))),
            ),
        )
    people = {}
    filed = [p for u in unit_docs for p in _entries(u.get("people"))]
    for p in _entries(doc.get("people")) + filed:
        people.setdefault(
            _s(p.get("id")),
            Person(
                id=_s(p.get("id")),
                name=_s(p.get("name")),
                unit=_s(p.get("unit")),
                title=_s(p.get("title")),
                name_en=_s(p.get("name_en")),
                assessor=_opt(p.get("assessor")),
                reviewer=_opt(p.get("reviewer")),
                group_assessors=tuple(_s(g) for g in _list(p.get("group_assessors"))),
                identities=tuple(_s(i) for i in _list(p.get("identities"))),
                signing_keys=tuple(_s(k) for k in _list(p.get("signing_keys"))),
                active_from=_opt(p.get("active_from")),
                active_to=_opt(p.get("active_to")),
            ),
        )
    return Org(
        company=_s(doc.get("company")),
        hr=tuple(_s(h) for h in _list(doc.get("hr"))),
        units=units,
        people=people,
        maintainers=tuple(_s(m) for m in _list(doc.get("maintainers"))),
        require_signed_commits=doc.get("require_signed_commits") is True,
        unit_files=frozenset(_s(u.get("id")) for u in own),
    )


def build_calendar(doc: dict[str, Any]) -> Calendar:
    """periods.yaml → Calendar; periods are open unless closed, the zone Asia/Shanghai unless
    given, and a period listed twice keeps its first entry. What a period leaves out (kind,
    window, due time) follows from its id and the `pattern:`; what it writes out wins."""
    pattern = build_pattern(doc.get("pattern"))
    periods: dict[str, Period] = {}
    for p in _entries(doc.get("periods")):
        pid = _s(p.get("id"))
        span = window(pattern, pid) if pattern else None
        periods.setdefault(
            pid,
            Period(
                id=pid,
                kind=member(PeriodKind, _s(p.get("kind") or kind_of(pid))),
                start=_s(p.get("start") or (span[0] if span else None)),
                end=_s(p.get("end") or (span[1] if span else None)),
                due=_opt(p["due"] if "due" in p else due(pattern, pid) if pattern else None),
                status=_s(p.get("status") or "open"),
                close_reason=_s(p.get("close_reason")),
            ),
        )
    return Calendar(timezone=_s(doc.get("timezone") or "Asia/Shanghai"), periods=periods,
                    pattern=pattern)


def build_record(doc: dict[str, Any], rel: str) -> Record:
    """A record or correction document at `rel` → Record; a data record's source unit may
    come from its file name."""
    where = parse_record_path(rel)
    # The ids every record repeats (its period, scheme, unit, people) are interned: one string
    # per id instead of one per record, and shared again after pickling within a shard.
    return Record(
        file=rel,
        period=intern(_s(doc.get("period"))),
        scheme=intern(_s(doc.get("scheme"))),
        unit=intern(_s(doc.get("unit"))),
        assessee=intern(_s(doc.get("assessee"))),
        role=member(Role, _s(doc.get("role") or Role.SUPERIOR)),
        author=intern(_s(doc.get("author"))),
        items=dict(doc.get("items") or {}),
        source_unit=_opt(doc.get("source_unit")) or (where.source_unit if where else None),
        notes={_s(k): _s(v) for k, v in (doc.get("notes") or {}).items()},
        comment=_s(doc.get("comment")),
        correction=doc.get("correction"),
        signatures={_s(k): _s(v) for k, v in (doc.get("signatures") or {}).items() if v},
    )


def empty_org() -> Org:
    """The org chart of a ledger without org.yaml (reported on its own)."""
    return Org(company="", hr=(), units={}, people={})


def empty_calendar() -> Calendar:
    """The calendar of a ledger without periods.yaml (reported on its own)."""
    return Calendar(timezone="Asia/Shanghai", periods={})
