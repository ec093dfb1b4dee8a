"""A bulletin page per closed period (bulletins/<id>.md): the monthly bulletin of
`publish.bulletin` — rankings per group, rules fired, rewards, warnings — as the site shows
it. `kpi bulletin` gives the same as Markdown or a PDF to print and archive. The public
edition masks names and leaves out the rewards (money)."""

from __future__ import annotations

from kpiledger.publish.bulletin import WORDS, make_bulletin
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex


def bulletin_periods(ix: SiteIndex) -> list[str]:
    """The closed periods with results: each has its bulletin."""
    cal = ix.ledger.calendar.periods
    return [p for p in ix.period_ids if p in ix.by_period and cal.get(p) is not None
            and cal[p].status == "closed"]


def bulletin_page(ix: SiteIndex, pid: str) -> Page:
    """bulletins/<id>.md."""
    lang = "en" if ix.opt.lang == "en" else "zh"
    # the period's own results: the bulletin reads no other (10 bulletins each looking
    # through 120,000 results took a second)
    period = {**ix.data.results, "results": ix.by_period.get(pid, [])}
    b = make_bulletin(period, ix.ledger, pid, lang=lang, masked=ix.opt.public)
    words = WORDS[lang]
    parts = [heading(1, esc(b.title), "bulletin"),
             block("<p>" + "<br>".join(esc(line) for line in b.lines) + "</p>")]
    for i, (title, tables) in enumerate(b.sections):
        if ix.opt.public and title == words["rewards"]:
            continue  # money stays off the public site
        parts.append(heading(2, esc(title), f"b-{i}"))
        for j, t in enumerate(tables):
            if len(tables) > 1 or t.title != title:
                parts.append(heading(3, esc(t.title), f"b-{i}-{j}"))
            if not t.rows:
                parts.append(block(f"<p>{esc(words['none'])}</p>"))
                continue
            # the public edition leaves out why a rule fired: its words may name an amount
            cut = -1 if ix.opt.public and t.header[-1] == words["why"] else None
            parts.append(html_table(t.header[:cut], [[esc(c) for c in row[:cut]]
                                                     for row in t.rows], search=False))
    return Page(b.title, "".join(parts))
