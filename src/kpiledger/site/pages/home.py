"""The generated part of the home page: the latest period at a glance (grade distribution,
first and last of each group, its events), below the hand-written site/index.md."""

from __future__ import annotations

from kpiledger.site.pages.alerts import period_attention
from kpiledger.site.pages.cells import period_link, person_link, scheme_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import SiteIndex
from kpiledger.site.pages.period import distribution, grouped

HOME_ATTENTION = 20  # lines of the latest period's "需要关注" on the home page


def home_section(ix: SiteIndex) -> str:
    """The generated part of the home page, appended to the hand-written site/index.md."""
    L, here = ix.L, "index.md"
    latest = ix.latest_period()
    parts = []
    if ix.opt.public:
        parts.append(block(f"<p><em>{esc(L['public_note'])}</em></p>"))
    if latest is None:
        return "".join(parts) + block(f"<p>{esc(L['no_results'])}</p>")
    rows = ix.by_period[latest]
    latest_link = period_link(ix, here, latest)
    parts.append(heading(2, f"{esc(L['latest'])}{ix.colon}{latest_link}", "latest"))
    # who fired a rule and who is one period short of one, before the charts
    parts.append(period_attention(ix, here, latest, level=3, limit=HOME_ATTENTION))
    parts.append(distribution(ix, rows))
    parts.append(heading(3, esc(L["top_bottom"]), "top-bottom"))
    table = []
    for (sid, group), members in grouped(rows):
        ranked = [r for r in members if r.get("rank") is not None]
        if not ranked:
            continue
        top = min(ranked, key=lambda r: r["rank"])
        bottom = max(ranked, key=lambda r: (r["rank"], r["assessee"]))
        table.append(
            [
                scheme_link(ix, here, sid),
                esc(ix.group_name(group)),
                person_link(ix, here, top["assessee"], top["name"]) + ix.paren(esc(top["total"])),
                person_link(ix, here, bottom["assessee"], bottom["name"])
                + ix.paren(esc(bottom["total"])),
            ]
        )
    parts.append(html_table([L["scheme"], L["group"], L["top"], L["bottom"]], table, search=False,
                            closed=True))
    return "".join(parts)
