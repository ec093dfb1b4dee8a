"""Obligations (后续事项): what the fired rules oblige someone to hand in, by when, and whether
it came.

A rule with `followup:` (model.followups) turns each of its events into an obligation: a file
of the declared kind, `<period>/followups/<kind>/<assessee>.yaml`, owed by the assessee or
their assessor, due `within` after a calendar moment — the period's bulletin landing on main
(`<period>/bulletin.yaml`, written by `kpi bulletin --publish`) or the period's due time.
Fulfilment is the file landing on main, measured from git exactly as a record's lateness is
(first-parent landing, `score.lateness.days_late`). Before the bulletin is published a
bulletin-relative obligation is not yet running.

A reward (an event with an amount) stays owed until a `paid` follow-up lands for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kpiledger.calendar import due_moment
from kpiledger.git.provenance import FileProvenance
from kpiledger.load.layout import bulletin_path, followup_path
from kpiledger.model import Ledger
from kpiledger.model.followups import PAID, Followup
from kpiledger.score.lateness import Landing, days_late

STATES = ("waiting", "open", "overdue", "met", "late")


@dataclass(frozen=True)
class Obligation:
    """One file a fired rule asks for, and where it stands."""

    period: str
    scheme: str
    rule: str
    assessee: str
    followup: Followup
    owed_by: str | None
    """Who hands it in (a person id); None when the org chart names nobody."""
    file: str
    """Where the file goes (ledger-relative)."""
    start: dt.datetime | None
    """The moment the deadline counts from; None while it is not known (bulletin unpublished)."""
    landed: str | None = None
    """When the file landed on main (ISO 8601); None while it has not."""

    @property
    def due(self) -> dt.datetime | None:
        return None if self.start is None else self.start + self.followup.within

    @property
    def days_late(self) -> int:
        """Started days after the due time that the file landed (0 when on time or not in)."""
        return days_late(self.landed, self.due) if self.landed and self.due else 0

    def state(self, now: dt.datetime) -> str:
        """waiting (not yet running), open, overdue, met (in on time) or late (in, late)."""
        if self.landed is not None:
            return "late" if self.days_late else "met"
        if self.due is None:
            return "waiting"
        return "overdue" if now > self.due else "open"


@dataclass(frozen=True)
class Reward:
    """An amount a rule pays (an event with an amount), and whether it is marked paid."""

    period: str
    scheme: str
    rule: str
    assessee: str
    amount: str
    title: str
    file: str
    landed: str | None = None

    @property
    def paid(self) -> bool:
        return self.landed is not None


def _owed_by(ledger: Ledger, assessee: str, by: str) -> str | None:
    person = ledger.org.people.get(assessee)
    if by == "assessee":
        return assessee if person else None
    if person is not None:
        return person.assessor
    unit = ledger.org.units.get(assessee)
    return unit.assessor if unit else None


def start_of(ledger: Ledger, period: str, after: str,
             landings: Mapping[str, Landing]) -> dt.datetime | None:
    """The moment a deadline counts from: the bulletin's landing, or the period's due time."""
    if after == "bulletin":
        landing = landings.get(bulletin_path(period))
        return dt.datetime.fromisoformat(landing.date) if landing else None
    p = ledger.calendar.periods.get(period)
    return due_moment(p, ledger.calendar.timezone) if p else None


def _landed(landings: Mapping[str, Landing], rel: str) -> str | None:
    landing = landings.get(rel)
    return landing.date if landing else None


def obligations(ledger: Ledger, events: Iterable[Mapping[str, Any]],
                landings: Mapping[str, Landing] | None) -> list[Obligation]:
    """Every obligation the events create, in event order (`landings`: None outside git)."""
    landed = landings or {}
    rules = {(s.id, r.id): r for s in ledger.schemes.values() for r in s.rules}
    out = []
    for e in events:
        rule = rules.get((str(e["scheme"]), str(e["rule"])))
        if rule is None or rule.followup is None:
            continue
        f, period, assessee = rule.followup, str(e["period"]), str(e["assessee"])
        rel = followup_path(period, f.kind, assessee)
        out.append(Obligation(
            period, str(e["scheme"]), rule.id, assessee, f, _owed_by(ledger, assessee, f.by),
            rel, start_of(ledger, period, f.after, landed), _landed(landed, rel)))
    return out


def rewards(events: Iterable[Mapping[str, Any]],
            landings: Mapping[str, Landing] | None) -> list[Reward]:
    """Every amount the events pay; paid once `<period>/followups/paid/<assessee>.yaml` has
    landed (one file marks all of the assessee's rewards of that period)."""
    landed = landings or {}
    out = []
    for e in events:
        if e.get("amount") is None:
            continue
        rel = followup_path(str(e["period"]), PAID, str(e["assessee"]))
        out.append(Reward(str(e["period"]), str(e["scheme"]), str(e["rule"]), str(e["assessee"]),
                          str(e["amount"]), str(e.get("outcome") or e["rule"]), rel,
                          _landed(landed, rel)))
    return out


def as_of(provenance: Mapping[str, FileProvenance]) -> dt.datetime | None:
    """The newest change that landed: the moment a published site speaks for (the same for
    the same commit, unlike the clock); None outside git."""
    dates = [dt.datetime.fromisoformat(p.changed.date) for p in provenance.values()]
    return max(dates) if dates else None
