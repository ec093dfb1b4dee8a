"""The rules & events page (events.md): every scheme's cross-period rules and every event
they raised; `events_table` also serves the home, period and person pages."""

from __future__ import annotations

from typing import Any

from kpiledger.site.pages.cells import period_link, person_link, scheme_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.scheme_text import when_text


def events_page(ix: SiteIndex) -> Page:
    """events.md: the rules of every scheme, then all events."""
    L, here = ix.L, "events.md"
    parts = [heading(1, esc(L["events"]), "events")]
    rules_rows = [
        [
            scheme_link(ix, here, s.id),
            esc(ix.title(r)),
            esc(when_text(r.when, ix.opt.lang)),
            esc(r.consecutive),
            esc(r.outcome),
        ]
        for s in ix.ledger.schemes.values()
        for r in s.rules
    ]
    if rules_rows:
        parts.append(heading(2, esc(L["rules"]), "rules"))
        parts.append(
            html_table(
                [L["scheme"], L["rule"], L["when"], L["consecutive"], L["outcome"]], rules_rows
            )
        )
    parts.append(heading(2, esc(L["events"]), "all-events"))
    parts.append(events_table(ix, here, ix.events))
    return Page(L["events"], "".join(parts))


def events_table(
    ix: SiteIndex, here: str, events: list[dict[str, Any]], *, who: bool = True
) -> str:
    """Events as a table; `who=False` on a person's own page, where every row is theirs."""
    L = ix.L
    if not events:
        return block(f"<p>{esc(L['no_events'])}</p>")
    rules = {(s.id, r.id): r for s in ix.ledger.schemes.values() for r in s.rules}
    headers = [L["period"], *([L["assessee"]] if who else []), L["scheme"], L["rule"], L["outcome"]]
    if not ix.opt.public:
        headers.append(L["amount"])
    headers += [L["trigger_periods"], L["detail"]]
    rows = []
    for e in sorted(events, key=lambda e: (ix.order.get(e["period"], 0), e["assessee"])):
        rule = rules.get((e["scheme"], e["rule"]))
        row = [
            period_link(ix, here, e["period"]),
            *([person_link(ix, here, e["assessee"])] if who else []),
            scheme_link(ix, here, e["scheme"]),
            esc(ix.title(rule) if rule else e["rule"]),
            esc(e["outcome"]),
        ]
        if not ix.opt.public:
            row.append(esc(e.get("amount") or ""))
        row += [
            ix.enum.join(period_link(ix, here, p) for p in e.get("periods", [])),
            esc(e.get("detail", "")),
        ]
        rows.append(row)
    return html_table(headers, rows, search=False)
