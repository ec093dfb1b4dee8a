"""Signatures and approvals with how git proves them (签字与批准及其证明).

A date typed under `signatures:` or a name under `correction.approved_by` proves nothing;
the review accepts them only as the person's own commit (`review.acts`). The site shows, for
each one, the commit that proves it and how: a good SSH signature by the person's key (the
strongest), or a commit made with an e-mail the org chart gives them, or "not proven" (a
record that reached the main branch without the gate, or an older one).
"""

from __future__ import annotations

from kpiledger.git.acts import Act
from kpiledger.model import Record
from kpiledger.model.identity import SIGNERS, signer_of
from kpiledger.publish import acks
from kpiledger.site.pages.html import esc
from kpiledger.site.pages.index import SiteIndex


def proving_act(ix: SiteIndex, rel: str, person: str) -> tuple[str, Act | None]:
    """The newest commit to `rel` that is `person`'s own act, and how it is proven:
    "signed" (their key's good signature), "mail" (their e-mail) or "none"."""
    return acks.proving_act(ix.data.acts, ix.people, rel, person)


def unproven(text: str) -> str:
    """Marked in words and in colour: a claim git does not back."""
    return f'<span class="kpi-unproven">⚠ {esc(text)}</span>'


def _proof(ix: SiteIndex, rel: str, person: str) -> str:
    how, act = proving_act(ix, rel, person)
    if act is None:
        return unproven(ix.L["proof_none"].format(who=ix.name(person)))
    commit = f"<code>{esc(act.sha[:8])}</code> {esc(act.date[:10])}"
    return ix.L[f"proof_{how}"].replace("{commit}", commit)


def act_proof(ix: SiteIndex, rel: str, person: str) -> str:
    """How git proves that the file at `rel` is `person`'s own act (HTML): their commit and
    how, or "⚠ not proven"."""
    return _proof(ix, rel, person)


def signature_lines(ix: SiteIndex, rec: Record) -> list[str]:
    """One line per signature on the record: who signed as what, on which date, and the
    proof (HTML). When git proves none of them, one short line says so (the page names the
    assessor and reviewer at its top; a line per signature cost a company of 1,000 people
    8 MB of site)."""
    keys = [k for k in SIGNERS if rec.signatures.get(k)]
    signers = {k: signer_of(ix.org, rec.file, k) for k in keys}
    if keys and not any(s and proving_act(ix, rec.file, s)[1] for s in signers.values()):
        return [unproven(ix.L["sign_unproven"])]
    lines = []
    for key, signer in signers.items():
        date = rec.signatures[key]
        what = f"{esc(ix.L[f'sign_{key}'])}{ix.colon}"
        if signer is None:
            lines.append(f"{what}{esc(date)} · {unproven(ix.L['proof_none'].format(who=''))}")
            continue
        lines.append(f"{what}{esc(ix.name(signer))} {esc(date)} · {_proof(ix, rec.file, signer)}")
    return lines


def approver_of(rec: Record) -> str:
    """The person a correction names as its approver ('' when none)."""
    return str((rec.correction or {}).get("approved_by") or "")


def approval_proven(ix: SiteIndex, rec: Record) -> bool:
    """Whether git proves the correction's approval: the approver's own commit, and the
    approver not its author."""
    approver = approver_of(rec)
    return bool(approver) and approver != rec.author and \
        proving_act(ix, rec.file, approver)[1] is not None


def approval_html(ix: SiteIndex, rec: Record) -> str:
    """A correction's approver and how the approval is proven (HTML)."""
    approver = approver_of(rec)
    if not approver:
        return ""
    if approver == rec.author:
        return f"{esc(ix.name(approver))} · {unproven(ix.L['proof_self'])}"
    return f"{esc(ix.name(approver))} · {_proof(ix, rec.file, approver)}"


def acknowledgement(ix: SiteIndex, r: dict[str, object]) -> tuple[str, str, Act | None]:
    """How the assessee acknowledged a result (被考核人确认): ("proven", date, their commit),
    ("claimed", date, None) when the date is there but not their act, or ("none", "", None).
    Only people acknowledge: a unit assessed as a whole gives ("", "", None)."""
    aid = str(r["assessee"])
    if aid not in ix.org.people:
        return "", "", None
    records = ix.records.get((str(r["period"]), str(r["scheme"]), aid), [])
    return acks.acknowledgement_of(ix.data.acts, ix.people, records, aid)


def acknowledgement_html(ix: SiteIndex, r: dict[str, object]) -> str:
    """The acknowledgement in words (HTML); '' for a unit's result."""
    state, date, act = acknowledgement(ix, r)
    if not state:
        return ""
    L = ix.L
    if state == "proven" and act is not None:
        return esc(L["ack_proven"].format(date=date)) + f" <code>{esc(act.sha[:8])}</code>"
    if state == "claimed":
        return unproven(L["ack_claimed"].format(date=date))
    return f'<span class="kpi-ack-none">{esc(L["ack_none"])}</span>'
