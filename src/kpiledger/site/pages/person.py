"""The person pages (one per assessee, outside the nav): the trend of their totals, their
results by period, every period's derivation and their events."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from kpiledger.publish.public import given_name
from kpiledger.site.pages.alerts import badges, person_summary, threshold
from kpiledger.site.pages.appeals import appeals_section
from kpiledger.site.pages.cells import (
    grade_text,
    money_cells,
    money_ids,
    period_link,
    person_page_path,
    rank_text,
    scheme_link,
    status_text,
    unit_link,
)
from kpiledger.site.pages.derivation import derivations
from kpiledger.site.pages.events import events_table
from kpiledger.site.pages.followups import open_section
from kpiledger.site.pages.html import block, esc, heading, html_table, plain_title
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.svg import trend_svg


def person_head(ix: SiteIndex, aid: str) -> Page:
    """A person's page title and first heading, without the rest of the page: the search
    index and a build that takes the rest from its cache (site/render_cache.py) or leaves it
    to another shard (site/shard.py) need only these."""
    rows = ix.by_assessee[aid]
    first = min(rows, key=lambda r: (ix.order.get(r["period"], 0), r["scheme"]))
    display = ix.name(aid, first["name"])
    shown = ix.shown_id(aid)  # no id in the public edition
    # the given name as its own word for search, hidden on screen and from screen readers;
    # never on the public site, whose names are masked (张**)
    given = "" if ix.opt.public or aid not in ix.org.people else given_name(display)
    search_only = f'<span class="kpi-search-only" aria-hidden="true"> {esc(given)}</span>'
    head = heading(1, esc(display) + (search_only if given else "")
                   + (f" <small>{esc(shown)}</small>" if shown else ""), "person")
    return Page(f"{plain_title(display)} {shown}".strip(), head)


def person_page(ix: SiteIndex, aid: str) -> Page:
    """people/<id>.md: one assessee's trend, results, derivations and events."""
    L, here = ix.L, person_page_path(ix, aid)
    rows = sorted(ix.by_assessee[aid], key=lambda r: (ix.order.get(r["period"], 0), r["scheme"]))
    display = ix.name(aid, rows[0]["name"])
    top = person_head(ix, aid)
    parts = [top.body]
    info = []
    person = ix.org.people.get(aid)
    unit = person.unit if person else rows[-1]["unit"]
    info.append(f"{esc(L['unit'])}{ix.colon}{unit_link(ix, here, unit)}")
    if person:
        if person.title and not ix.opt.public:  # in a small team a job title names someone
            info.append(f"{esc(L['title'])}{ix.colon}{esc(person.title)}")
        if person.assessor:
            info.append(f"{esc(L['assessor'])}{ix.colon}{esc(ix.name(person.assessor))}")
        if person.reviewer:
            info.append(f"{esc(L['reviewer'])}{ix.colon}{esc(ix.name(person.reviewer))}")
    parts.append(block("<p>" + ix.sep.join(info) + "</p>"))
    if ix.opt.public:
        parts.append(block(f"<p><em>{esc(L['public_note'])}</em></p>"))
    # the first screen answers "how did I do, and am I at risk"
    parts.append(person_summary(ix, here, rows))
    parts.append(open_section(ix, here, aid, "assessee"))  # re-tests, obligations, rewards
    by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_scheme[r["scheme"]].append(r)
    for sid, srows in by_scheme.items():
        parts.append(
            heading(2, f"{esc(L['trend'])} · {scheme_link(ix, here, sid)}", f"trend-{sid}")
        )
        scheme = ix.ledger.schemes.get(sid)
        y_max = float(scheme.total_max) if scheme and scheme.total_max else 100.0
        chart = trend_svg(
            [(r["period"], _dec(r["total"])) for r in srows],
            y_label=L["total"],
            x_label=L["period"],
            title=f"{L['trend']} {display}",
            y_max=y_max,
            threshold=threshold(scheme),
        )
        parts.append(block(f'<figure class="kpi-figure" data-search-exclude>{chart}</figure>'))
        money = money_ids(ix, srows)
        # the status column only when some period is incomplete ("完整" 24 times says little)
        status = any(r["status"] != "complete" for r in srows)
        parts.append(
            html_table(
                [
                    L["period"],
                    L["total"],
                    L["grade"],
                    L["rank"],
                    L["flags"],
                    *([L["status"]] if status else []),
                    *[esc(ix.money_titles.get(m, m)) for m in money],
                ],
                [
                    [
                        period_link(ix, here, r["period"]),
                        esc(r["total"] or "—"),
                        grade_text(ix, r),
                        esc(rank_text(r)),
                        badges(ix, r),
                        *([status_text(ix, r)] if status else []),
                        *money_cells(r, money),
                    ]
                    for r in reversed(srows)
                ],
                search=False,
            )
        )
    # events before the derivations: those run to thousands of pixels
    events = ix.events_by_assessee.get(aid, [])
    parts.append(heading(2, esc(L["events"]), "events"))
    parts.append(events_table(ix, here, events, who=False))
    mine = [a for a in ix.ledger.appeals if a.assessee == aid]
    parts.append(appeals_section(ix, here, mine, with_person=False, always=False))
    parts.append(heading(2, esc(L["derivation"]), "derivation"))
    if not ix.data.provenance_available:
        parts.append(block(f"<p><em>{esc(L['provenance_unavailable'])}</em></p>"))
    parts.append(derivations(ix, here, list(reversed(rows)), len(by_scheme) > 1))
    return Page(top.title, "".join(parts))


def _dec(x: str | None) -> float | None:
    return None if x is None else float(Decimal(x))
