"""The meaning of appeals and decisions (申诉与裁定), and the appeal window.

Each appeal contests a result the ledger holds, filed by a person of the org chart in their
own name (the path and the content agree); each decision sits beside its appeal, is HR's,
and is whole: upheld comes with a correction of the result, rejected with a reason. Whether
an appeal landed within its scheme's window is measured from git, as lateness is
(`late_appeals`: the caller passes when each file landed on the main branch).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from kpiledger.calendar import DAY, due_moment
from kpiledger.check.reading import read_many
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.layout import AppealPath, appeal_path, parse_appeal_path, parse_record_path
from kpiledger.model import Ledger
from kpiledger.model.appeals import (
    REJECTED,
    UPHELD,
    Appeal,
    Decision,
    build_appeal,
    build_decision,
    joined,
)

APPEAL_KINDS = ("appeal", "decision")

START = {"due": ("考核期截止时间", "the period's due time")}


def _mismatch(a: Appeal, where: AppealPath, field: str, zh: str, content: str,
              from_path: str) -> Diagnostic:
    """KPI302: the file's place and its content disagree; `expected` is where the content
    says it belongs."""
    period = a.period if field == "period" else where.period
    assessee = a.assessee if field == "assessee" else where.assessee
    return d(a.file, "KPI302", (field,), field=field, field_zh=zh, content=content,
             path_value=from_path, expected=appeal_path(period, a.unit, assessee, where.n))


# (period, assessee, scheme) of every result the ledger holds a record for → its correction
# files; from the duplicate keys every file's check hands back, so `kpi check` (which keeps
# no records) asks it as well as `kpi score`
Held = Mapping[tuple[str, str, str], list[str]]


def held_results(keyed: Iterable[tuple[str, tuple[object, ...]]]) -> dict[tuple[str, str, str],
                                                                         list[str]]:
    """`Held` from (file, duplicate key) pairs: key = (period, assessee, scheme, role, source
    unit, correction number or None)."""
    out: dict[tuple[str, str, str], list[str]] = {}
    for rel, key in keyed:
        found = out.setdefault((str(key[0]), str(key[1]), str(key[2])), [])
        if key[5] is not None:
            found.append(rel)
    return out


def record_units(keyed: Iterable[tuple[str, tuple[object, ...]]]
                 ) -> dict[tuple[str, str, str], set[str]]:
    """(period, assessee, scheme) → the unit folders its records are filed in, from the same
    (file, duplicate key) pairs as `held_results`."""
    out: dict[tuple[str, str, str], set[str]] = {}
    for rel, key in keyed:
        where = parse_record_path(rel)
        if where is not None:
            out.setdefault((str(key[0]), str(key[1]), str(key[2])), set()).add(where.unit)
    return out


def check_appeal(a: Appeal, ledger: Ledger, held: Held,
                 units: Mapping[tuple[str, str, str], set[str]]) -> list[Diagnostic]:
    """What is wrong with one appeal: its place, its appellant, the result it contests."""
    out: list[Diagnostic] = []
    where = parse_appeal_path(a.file)
    if where is not None and where.assessee != a.assessee:
        out.append(_mismatch(a, where, "assessee", "申诉人", a.assessee, where.assessee))
    if where is not None and where.period != a.period:
        out.append(_mismatch(a, where, "period", "考核期", a.period, where.period))
    if a.assessee not in ledger.org.people:
        out.append(d(a.file, "KPI361", ("assessee",), assessee=a.assessee))
        return out
    key = (a.period, a.assessee, a.scheme)
    if key not in held:
        out.append(d(a.file, "KPI360", ("scheme",), period=a.period, assessee=a.assessee,
                     scheme=a.scheme))
    filed_in = units.get(key, set())
    if where is not None and filed_in and where.unit not in filed_in:
        # the folder decides who reviews it (CODEOWNERS): it must be the result's own unit
        right = sorted(filed_in)[0]
        out.append(d(a.file, "KPI369", unit=where.unit, units="、".join(sorted(filed_in)),
                     period=a.period, assessee=a.assessee, scheme=a.scheme,
                     expected=appeal_path(a.period, right, a.assessee, where.n)))
    scheme = ledger.schemes.get(a.scheme)
    if scheme is not None:
        known = [i.id for i in scheme.items]
        for n, item in enumerate(a.items):
            if item not in known:
                out.append(d(a.file, "KPI368", ("items", n), item=item, scheme=a.scheme,
                             known="、".join(known)))
    return out


def check_decision(x: Decision, appeal: Appeal | None, ledger: Ledger,
                   held: Held) -> list[Diagnostic]:
    """What is wrong with one decision: not HR's, rejected without a reason, upheld without
    a correction of the result (the one it names, or any)."""
    out: list[Diagnostic] = []
    hr = ledger.org.hr
    if x.decided_by and x.decided_by not in hr:
        out.append(d(x.file, "KPI366", ("decided_by",), who=x.decided_by,
                     hr="、".join(hr) or "—"))
    if x.decision == REJECTED and not x.reason:
        out.append(d(x.file, "KPI365", ("decision",)))
    if appeal is None:
        where = parse_appeal_path(x.file)
        out.append(d(x.file, "KPI363", appeal=where.appeal if where else x.file))
        return out
    if x.decision == UPHELD:
        named = x.correction
        mine = held.get((appeal.period, appeal.assessee, appeal.scheme), [])
        fine = named in mine if named else bool(mine)
        if not fine:
            expected = named or f"{appeal.period}/{appeal.unit}/{appeal.assessee}" \
                ".correction-<n>.yaml"
            out.append(d(x.file, "KPI364", ("correction",) if named else ("decision",),
                         expected=expected))
    return out


def with_appeals(ledger: Ledger, root: Path, rels: Iterable[str], held: Held,
                 units: Mapping[tuple[str, str, str], set[str]]
                 ) -> tuple[Ledger, list[Diagnostic]]:
    """The ledger with its appeals (each joined with its decision) read from `rels`, and
    every problem of theirs: loading, schema, meaning. Appeals are few: read in one go."""
    loaded = read_many(root, sorted(rels))
    out = [x for f in loaded for x in f.diagnostics]
    good = [f for f in loaded if f.doc is not None and not f.diagnostics]
    appeals = joined([build_appeal(f.doc, f.rel) for f in good if f.kind == "appeal"],
                     decisions := [build_decision(f.doc, f.rel) for f in good
                                   if f.kind == "decision"])
    ledger = replace(ledger, appeals=appeals)
    matched = {a.decision.file for a in appeals if a.decision is not None}
    for a in appeals:
        out += check_appeal(a, ledger, held, units)
        if a.decision is not None:
            out += check_decision(a.decision, a, ledger, held)
    for x in decisions:
        if x.file not in matched:
            out += check_decision(x, None, ledger, held)
    return ledger, out


def appeal_deadline(ledger: Ledger, a: Appeal) -> dt.datetime | None:
    """The end of the appeal window of `a` (aware, in the calendar's zone); None when the
    period or its due time is unknown."""
    scheme = ledger.schemes.get(a.scheme)
    period = ledger.calendar.periods.get(a.period)
    if scheme is None or period is None:
        return None
    start = due_moment(period, ledger.calendar.timezone)
    return None if start is None else start + scheme.appeals[0] * DAY


def late_appeals(ledger: Ledger, landed: Mapping[str, tuple[str, str]]) -> list[Diagnostic]:
    """KPI362 for each appeal that landed after its window. `landed`: file → (commit, ISO
    time it landed on the main branch); an appeal not yet landed is not measured."""
    out = []
    for a in ledger.appeals:
        deadline = appeal_deadline(ledger, a)
        if deadline is None or a.file not in landed:
            continue
        commit, when = landed[a.file]
        moment = dt.datetime.fromisoformat(when)
        if moment <= deadline:
            continue
        scheme = ledger.schemes[a.scheme]
        zh, en = START.get(scheme.appeals[1], START["due"])
        local = moment.astimezone(deadline.tzinfo)
        out.append(d(a.file, "KPI362", filed=local.strftime("%Y-%m-%d %H:%M"),
                     commit=commit[:8], deadline=deadline.strftime("%Y-%m-%d %H:%M"),
                     scheme=a.scheme, days=scheme.appeals[0], start_zh=zh,
                     start_en=en).at(1, 1))
    return out
