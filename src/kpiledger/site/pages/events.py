"""The rules & events page (events.md): every scheme's cross-period rules and every event
they raised; `events_table` also serves the home, period and person pages."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kpiledger.site.pages.alerts import event_words, warning_words
from kpiledger.site.pages.cells import period_link, person_link, scheme_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.scheme_text import item_titles, when_text


def events_page(ix: SiteIndex) -> Page:
    """events.md: the rules of every scheme, then all events."""
    L, here = ix.L, "events.md"
    parts = [heading(1, esc(L["events"]), "events")]
    rules_rows = [
        [
            scheme_link(ix, here, s.id),
            esc(ix.title(r)),
            esc(when_text(r.when, ix.opt.lang, item_titles(s, ix.opt.lang), s)),
            esc(r.consecutive),
            esc(ix.rule_outcome(r)),
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
    parts.append(heading(2, esc(L["warnings"]), "warnings"))
    parts.append(events_table(ix, here, ix.warnings, warnings=True))
    parts.append(heading(2, esc(L["events"]), "all-events"))
    parts.append(events_table(ix, here, ix.events))
    return Page(L["events"], "".join(parts))


def events_table(
    ix: SiteIndex,
    here: str,
    events: list[dict[str, Any]],
    *,
    who: bool = True,
    warnings: bool = False,
) -> str:
    """Events (or warnings) by period, newest first, then by rule: the rule's text once, then
    who and what triggered it (the periods and totals). `who=False` on a person's own page."""
    L = ix.L
    if not events:
        return block(f"<p>{esc(L['no_warnings' if warnings else 'no_events'])}</p>")
    by_period: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for e in events:
        by_period[e["period"]][(e["scheme"], e["rule"])].append(e)
    out = []
    for pid in sorted(by_period, key=lambda p: (ix.order.get(p, len(ix.order)), p), reverse=True):
        sections = []
        for (sid, rid), rows in sorted(by_period[pid].items()):
            rule = ix.rules.get((sid, rid))
            title = esc(ix.title(rule) if rule else rows[0].get("title", rid))
            outcome = esc(ix.outcome(rows[0]))
            kind = "warn" if warnings else "event"
            money = not ix.opt.public and any(e.get("amount") for e in rows)
            table = html_table(
                [*([L["assessee"]] if who else []), L["triggered_by"],
                 *([L["amount"]] if money else [])],
                [
                    [
                        *([person_link(ix, here, e["assessee"])] if who else []),
                        esc(_trigger(ix, e, warnings)),
                        *([esc(e.get("amount") or "")] if money else []),
                    ]
                    for e in sorted(rows, key=lambda e: e["assessee"])
                ],
                search=False,
            )
            sections.append(
                f'<p class="kpi-rule-head"><span class="kpi-badge kpi-badge-{kind}">{outcome}'
                f"</span> {title} · {scheme_link(ix, here, sid)}</p>{table}"
            )
        # a warning names the period it warns about: "if 2026-07 is the same"
        out.append(heading(3, period_link(ix, here, pid), f"e-{'w-' if warnings else ''}{pid}"))
        out.append(block("".join(sections)))
    return "".join(out)


def _trigger(ix: SiteIndex, e: dict[str, Any], warning: bool) -> str:
    """What triggered it: the periods and totals (the engine's Chinese detail names them)."""
    if warning and ix.opt.lang == "en":
        return warning_words(ix, e)
    return event_words(ix, e)
