"""The audit page (audit.md): corrections of closed periods and late submissions;
`late_table` also serves the period pages."""

from __future__ import annotations

import re
from typing import Any

from kpiledger.site.pages.cells import commit_html, period_link, person_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex


def audit_page(ix: SiteIndex) -> Page:
    """audit.md: corrections with their approval and commit, then late submissions."""
    L, here = ix.L, "audit.md"
    parts = [heading(1, esc(L["audit"]), "audit")]
    parts.append(heading(2, esc(L["corrections"]), "corrections"))
    corrections = sorted(
        (r for r in ix.ledger.records if r.correction),
        key=lambda r: (ix.order.get(r.period, 0), r.file),
    )
    if not corrections:
        parts.append(block(f"<p>{esc(L['no_corrections'])}</p>"))
    else:
        rows = []
        for rec in corrections:
            c = rec.correction or {}
            original = re.sub(r"\.correction-\d+(\.ya?ml)$", r"\1", rec.file)
            prov = ix.data.provenance.get(rec.file)
            rows.append(
                [
                    period_link(ix, here, rec.period),
                    person_link(ix, here, rec.assessee),
                    f"<code>{esc(rec.file)}</code>",
                    f"<code>{esc(original)}</code>",
                    esc(c.get("reason", "")),
                    esc(ix.name(str(c.get("approved_by", "")))),
                    esc(c.get("date", "")),
                    commit_html(ix, prov.added, prov.repo_path)
                    if prov
                    else f"<em>{esc(L['not_committed'])}</em>",
                ]
            )
        parts.append(
            html_table(
                [
                    L["period"],
                    L["assessee"],
                    L["file"],
                    L["original"],
                    L["reason"],
                    L["approved_by"],
                    L["date"],
                    L["commit"],
                ],
                rows,
                search=False,
            )
        )
    parts.append(heading(2, esc(L["late"]), "late"))
    if not ix.data.provenance_available and "late" not in ix.data.results:
        parts.append(block(f"<p><em>{esc(L['provenance_unavailable'])}</em></p>"))
    elif not ix.late:
        parts.append(block(f"<p>{esc(L['no_late'])}</p>"))
    else:
        parts.append(late_table(ix, here, ix.late))
    return Page(L["audit"], "".join(parts))


def late_table(ix: SiteIndex, here: str, late: list[dict[str, Any]]) -> str:
    """Late submissions: who, which file, when it was due and when it landed."""
    L = ix.L
    rows = []
    for x in late:
        rows.append(
            [
                period_link(ix, here, x["period"]) if x.get("period") else "",
                person_link(ix, here, x["assessee"]) if x.get("assessee") else "",
                esc(ix.roles.get(x.get("role", ""), x.get("role", ""))),
                f"<code>{esc(x.get('file', ''))}</code>",
                esc(x.get("due", "")),
                esc(str(x.get("landed", ""))[:16].replace("T", " ")),
                f"<code>{esc(str(x.get('commit', ''))[:8])}</code>",
            ]
        )
    return html_table(
        [L["period"], L["assessee"], L["role"], L["file"], L["due"], L["landed"], L["commit"]],
        rows,
        search=False,
    )
