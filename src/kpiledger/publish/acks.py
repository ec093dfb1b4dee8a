"""Acknowledgements (被考核人确认) and the commits that prove signatures, for every output.

An assessee acknowledges a period's result by signing it (`signatures.assessee` in a record of
theirs) in their own commit (`git.acts`): proven by their key's good signature, or by a commit
made with an e-mail the org chart gives them. A date that git does not back is "claimed". The
site shows each result's state (`site.pages.proof`); `kpi status` lists who has not
acknowledged a closed period's result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kpiledger.git.acts import Act, file_acts
from kpiledger.model import Ledger, Period, Record
from kpiledger.model.identity import People

if TYPE_CHECKING:
    from kpiledger.pipeline import Evaluation

Acts = Mapping[str, tuple[Act, ...]]  # ledger-relative path → its commits, newest first


def proving_act(acts: Acts, people: People, rel: str, person: str) -> tuple[str, Act | None]:
    """The newest commit to `rel` that is `person`'s own act, and how it is proven:
    "signed" (their key's good signature), "mail" (their e-mail) or "none"."""
    by_mail = None
    for act in acts.get(rel, ()):
        if act.signer == person:
            return "signed", act
        if by_mail is None and people.of_mail(act.email) == person:
            by_mail = act
    return ("mail", by_mail) if by_mail is not None else ("none", None)


def acknowledgement_of(acts: Acts, people: People, records: Iterable[Record],
                       aid: str) -> tuple[str, str, Act | None]:
    """How `aid` acknowledged the result these records make: ("proven", date, their commit),
    ("claimed", date, None) when the date is there but not their act, or ("none", "", None)."""
    for rec in records:
        date = rec.signatures.get("assessee")
        if date:
            _, act = proving_act(acts, people, rec.file, aid)
            return ("proven" if act else "claimed"), date, act
    return "none", "", None


def signing_acts(evaluation: Evaluation) -> dict[str, tuple[Act, ...]]:
    """Who touched each file that carries a signature or an approval, and each appeal and
    decision, as git proves it; one `git log` pass, and one signature pass when keys are
    listed."""
    if evaluation.history_at is None:
        return {}
    wanted = {r.file for r in evaluation.ledger.records if r.signatures or r.correction}
    for a in evaluation.ledger.appeals:
        wanted |= {a.file, *([a.decision.file] if a.decision else [])}
    if not wanted:
        return {}
    keys = {p.id: p.signing_keys for p in evaluation.ledger.org.people.values() if p.signing_keys}
    acts = file_acts(evaluation.history_at, keys or None)
    return {rel: acts[rel] for rel in wanted if rel in acts}


@dataclass(frozen=True)
class Unacknowledged:
    """A person's result in a closed period that they have not acknowledged as their act."""

    period: str
    scheme: str
    assessee: str
    state: str  # none | claimed (a date typed, not their commit)
    date: str = ""


def closed_to_ask(ledger: Ledger, period: str | None = None) -> list[Period]:
    """The closed periods whose acknowledgements `kpi status` lists: the one asked for, else
    the latest closed period of each kind."""
    closed = [p for p in ledger.calendar.periods.values() if p.status == "closed"]
    if period is not None:
        return [p for p in closed if p.id == period]
    latest: dict[str, Period] = {}
    for p in sorted(closed, key=lambda p: p.id):
        latest[str(p.kind)] = p
    return sorted(latest.values(), key=lambda p: p.id)


def unacknowledged(ledger: Ledger, results: Iterable[Mapping[str, Any]], acts: Acts,
                   periods: Iterable[Period]) -> list[Unacknowledged]:
    """Who has not acknowledged their result of these periods (people only: a unit assessed
    as a whole does not sign)."""
    wanted = {p.id for p in periods}
    people = People(ledger.org)
    by_key: dict[tuple[str, str, str], list[Record]] = {}
    for rec in ledger.records:
        if rec.period in wanted:
            by_key.setdefault((rec.period, rec.scheme, rec.assessee), []).append(rec)
    out = []
    for r in results:
        key = (str(r["period"]), str(r["scheme"]), str(r["assessee"]))
        if key[0] not in wanted or key[2] not in ledger.org.people:
            continue
        state, date, _ = acknowledgement_of(acts, people, by_key.get(key, ()), key[2])
        if state != "proven":
            out.append(Unacknowledged(*key, state, date))
    return sorted(out, key=lambda u: (u.period, u.scheme, u.assessee))
