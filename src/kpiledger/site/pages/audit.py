"""The audit page (audit.md), for an auditor: how to verify the site, counts per period,
corrections of closed periods with how their approval is proven, appeals and HR's decisions
with their proofs (`appeals`), and late submissions by
period, newest first, with the days late. Every time is in the ledger's zone, and says so.
`late_table` also serves the period pages."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from kpiledger.model.identity import SIGNERS, signer_of
from kpiledger.site.pages.appeals import appeals_section
from kpiledger.site.pages.cells import commit_html, period_link, person_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.proof import (
    approval_html,
    approval_proven,
    approver_of,
    proving_act,
)

MANIFEST = "manifest.json"


def audit_head(ix: SiteIndex) -> Page:
    """The audit page's title and first heading only (see `period.period_head`)."""
    return Page(ix.L["audit"], heading(1, esc(ix.L["audit"]), "audit"))


def audit_inputs(ix: SiteIndex) -> list[Any]:
    """What `audit_page` reads besides what every page reads (`render_cache.ledger_digest`:
    org chart, calendar, schemes, periods, site options): every record with its commits and
    signatures, the late submissions, and the appeals with theirs."""
    files = [f for a in ix.ledger.appeals
             for f in (a.file, *([a.decision.file] if a.decision else []))]
    return ["audit", ix.record_keys(ix.ledger.records), ix.late, ix.ledger.appeals,
            [ix.data.provenance.get(f) for f in files], [ix.data.acts.get(f) for f in files]]


def audit_page(ix: SiteIndex) -> Page:
    """audit.md: verification, counts per period, corrections, late submissions."""
    L, here = ix.L, "audit.md"
    parts = [audit_head(ix).body]
    parts.append(block(f"<p>{esc(L['times_in'].format(tz=ix.ledger.calendar.timezone))}</p>"))
    parts.append(_how_to_verify(ix))
    parts.append(_per_period(ix, here))
    parts.append(_corrections(ix, here))
    parts.append(appeals_section(ix, here, list(ix.ledger.appeals)))
    parts.append(heading(2, esc(L["late"]), "late"))
    if not ix.data.provenance_available:
        parts.append(block(f"<p><em>{esc(L['provenance_unavailable'])}</em></p>"))
    elif not ix.late:
        parts.append(block(f"<p>{esc(L['no_late'])}</p>"))
    else:
        by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for x in ix.late:
            by_period[x["period"]].append(x)
        newest = sorted(by_period, key=lambda p: ix.order.get(p, 0), reverse=True)
        for i, pid in enumerate(newest):
            # the newest period open, older ones folded: the page stays short
            summary = esc(L["late_in"].format(period=pid, n=len(by_period[pid])))
            parts.append(block(
                f'<details{" open" if i == 0 else ""}><summary>{summary}</summary>'
                f"{late_table(ix, here, by_period[pid], with_period=False)}</details>"
            ))
    return Page(L["audit"], "".join(parts))


def _how_to_verify(ix: SiteIndex) -> str:
    L = ix.L
    link = f'<a href="../{MANIFEST}">{MANIFEST}</a>' if ix.opt.use_directory_urls \
        else f'<a href="{MANIFEST}">{MANIFEST}</a>'
    command = "kpi verify manifest.json"
    text = (
        f"<p>{esc(L['verify_intro']).replace('{manifest}', link)}</p>"
        f"<p>{esc(L['verify_steps'])}</p>"
        f"<pre><code>{esc(command)}</code></pre>"
        f"<p>{esc(L['verify_ok'])}</p>"
    )
    if ix.opt.public:
        text += f"<p>{esc(L['verify_public'])}</p>"
    return heading(2, esc(L["how_to_verify"]), "verify") + block(text)


def _per_period(ix: SiteIndex, here: str) -> str:
    """Per period, newest first: records, late ones, corrections, unproven signatures."""
    L = ix.L
    records: Counter[str] = Counter()
    corrections: Counter[str] = Counter()
    unproven: Counter[str] = Counter()
    for rec in ix.ledger.records:
        records[rec.period] += 1
        if rec.correction:
            corrections[rec.period] += 1
            if approver_of(rec) and not approval_proven(ix, rec):
                unproven[rec.period] += 1
        for key in SIGNERS:
            if rec.signatures.get(key):
                signer = signer_of(ix.org, rec.file, key)
                if signer is None or proving_act(ix, rec.file, signer)[1] is None:
                    unproven[rec.period] += 1
    late = Counter(x["period"] for x in ix.late)
    rows = [
        [period_link(ix, here, pid), str(records[pid]), str(late[pid]),
         str(corrections[pid]), str(unproven[pid])]
        for pid in sorted(records, key=lambda p: ix.order.get(p, 0), reverse=True)
    ]
    return heading(2, esc(L["per_period"]), "per-period") + html_table(
        [L["period"], L["records_n"], L["late_n"], L["corrections_n"], L["unproven_n"]],
        rows, search=False,
    )


def _corrections(ix: SiteIndex, here: str) -> str:
    L = ix.L
    out = heading(2, esc(L["corrections"]), "corrections")
    corrections = sorted(
        (r for r in ix.ledger.records if r.correction),
        key=lambda r: (-ix.order.get(r.period, 0), r.file),
    )
    if not corrections:
        return out + block(f"<p>{esc(L['no_corrections'])}</p>")
    rows = []
    for rec in corrections:
        c = rec.correction or {}
        original = re.sub(r"\.correction-\d+(\.ya?ml)$", r"\1", rec.file)
        prov = ix.data.provenance.get(rec.file)
        rows.append([
            period_link(ix, here, rec.period),
            person_link(ix, here, rec.assessee),
            f"<code>{esc(ix.file_text(rec.file))}</code><br>"
            f"<small>{esc(L['original'])}{ix.colon}<code>{esc(ix.file_text(original))}</code>"
            "</small>",
            esc(c.get("reason", "")),
            esc(ix.name(rec.author)),
            approval_html(ix, rec),
            esc(c.get("date", "")),
            commit_html(ix, prov.added, prov.repo_path) if prov
            else f"<em>{esc(L['not_committed'])}</em>",
        ])
    return out + html_table(
        [L["period"], L["assessee"], L["file"], L["reason"], L["assessor"], L["approved_by"],
         L["date"], L["commit"]],
        rows, search=False,
    )


def late_table(ix: SiteIndex, here: str, late: list[dict[str, Any]],
               with_period: bool = True) -> str:
    """Late submissions: who, which file, when it was due, when it landed (both in the
    ledger's zone) and how many days late, as scoring counts them."""
    L = ix.L
    rows = [
        [
            *([period_link(ix, here, x["period"])] if with_period else []),
            person_link(ix, here, x["assessee"]),
            esc(ix.roles.get(x.get("role", ""), x.get("role", ""))),
            f"<code>{esc(ix.file_text(x.get('file', '')))}</code>",
            esc(x.get("due", "")),
            esc(x.get("landed", "")),
            str(x.get("days", "")),
            f"<code>{esc(str(x.get('commit', ''))[:8])}</code>",
        ]
        for x in late
    ]
    return html_table(
        [*([L["period"]] if with_period else []), L["assessee"], L["role"], L["file"], L["due"],
         L["landed"], L["days_late"], L["commit"]],
        rows, search=False,
    )
