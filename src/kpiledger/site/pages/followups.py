"""Follow-ups and what is still open on the site: the page followups.md (every
obligation a rule created, with its deadline and where it stands) and the "still open"
section of the person and unit pages (re-tests, obligations, unpaid rewards).

"Now" is the newest change that landed on main (`rules.obligations.as_of`): the site is the
same for the same commit, and says what was overdue at that commit. Not in the public
edition: these name people and files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from kpiledger.evaluate import landings_from
from kpiledger.publish.followups_text import STATE_WORDS, due_words
from kpiledger.publish.open_items import Basis, OpenItem, grouped, open_items
from kpiledger.publish.status import zone_of
from kpiledger.rules.obligations import Obligation, as_of, obligations
from kpiledger.site.pages.cells import period_link, person_link, unit_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex

PAGE = "followups.md"
WORDS = {
    "zh": {"title": "后续事项与未结事项", "open": "未结事项", "who": "被考核人", "period": "考核期",
           "what": "须提交", "by": "提交人", "due": "期限", "state": "状态", "file": "文件",
           "kind": "类别", "text": "事项", "none": "没有未结事项。",
           "no_obl": "规则尚未产生后续事项。",
           "asof": "以账本最近一次合入 main 的时间 {when}（{zone}）计；通报合入 main 即发布，"
                   "以通报起算的期限由此开始。",
           "retest": "待复测", "obligation": "待提交", "reward": "待发放", "nobody": "未指定"},
    "en": {"title": "Follow-ups and open items", "open": "Still open", "who": "Assessee",
           "period": "Period", "what": "Owed", "by": "By", "due": "Due", "state": "State",
           "file": "File", "kind": "Kind", "text": "Item", "none": "Nothing is open.",
           "no_obl": "No rule has created a follow-up yet.",
           "asof": "As of the ledger's latest landing on main, {when} ({zone}); a bulletin is "
                   "published when it lands on main, and deadlines counted from it start then.",
           "retest": "re-test", "obligation": "to hand in", "reward": "unpaid",
           "nobody": "not named"},
}


def _words(ix: SiteIndex) -> dict[str, str]:
    return WORDS["en" if ix.opt.lang == "en" else "zh"]


def _now(ix: SiteIndex) -> dt.datetime:
    zone = zone_of(ix.ledger)
    moment = as_of(ix.data.provenance)
    return (moment or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)).astimezone(zone)


def _computed(ix: SiteIndex) -> tuple[list[Obligation], list[OpenItem]]:
    """Once per build: every obligation and every open item."""
    if "followups" not in ix._memo:
        basis = Basis(ix.ledger, ix.results, ix.events, ix.data.provenance)
        found = obligations(ix.ledger, ix.events, landings_from(ix.data.provenance))
        ix._memo["followups"] = (found, open_items(basis, _now(ix)))
    return ix._memo["followups"]


def open_by_person(ix: SiteIndex) -> Mapping[str, list[OpenItem]]:
    """assessee → what is still open for them (what their page's "still open" shows)."""
    return grouped(_computed(ix)[1], "assessee")


def followups_pages(ix: SiteIndex) -> dict[str, Page]:
    """followups.md, when some scheme declares follow-ups (not in the public edition)."""
    declares = any(r.followup for s in ix.ledger.schemes.values() for r in s.rules)
    if ix.opt.public or not declares:
        return {}
    return {PAGE: followups_page(ix)}


def _state(o: Obligation, now: dt.datetime, lang: str) -> str:
    state = o.state(now)
    word = esc(STATE_WORDS[state][0 if lang == "zh" else 1])
    if state == "late":
        word += esc(f" {o.days_late} 天" if lang == "zh" else f" by {o.days_late} d")
    return f'<strong class="kpi-alert-event">⚠ {word}</strong>' if state == "overdue" else word


def followups_page(ix: SiteIndex) -> Page:
    W, now = _words(ix), _now(ix)
    lang = "en" if ix.opt.lang == "en" else "zh"
    found, items = _computed(ix)
    note = W["asof"].format(when=now.strftime("%Y-%m-%d %H:%M"),
                            zone=ix.ledger.calendar.timezone)
    parts = [heading(1, esc(W["title"]), "followups"), block(f"<p>{esc(note)}</p>")]
    if found:
        rows = [[period_link(ix, PAGE, o.period), person_link(ix, PAGE, o.assessee),
                 esc(o.followup.title_en if lang == "en" and o.followup.title_en
                     else o.followup.title),
                 esc(ix.name(o.owed_by)) if o.owed_by else esc(W["nobody"]),
                 esc(due_words(o, now, lang)), _state(o, now, lang), f"<code>{esc(o.file)}</code>"]
                for o in found]
        parts.append(html_table([W["period"], W["who"], W["what"], W["by"], W["due"],
                                 W["state"], W["file"]], rows, search=False))
    else:
        parts.append(block(f"<p>{esc(W['no_obl'])}</p>"))
    parts.append(heading(2, esc(W["open"]), "open"))
    for unit, its in grouped(items, "unit").items():
        parts.append(heading(3, unit_link(ix, PAGE, unit), f"open-{unit}"))
        parts.append(_open_table(ix, PAGE, its, who=True))
    if not items:
        parts.append(block(f"<p>{esc(W['none'])}</p>"))
    return Page(W["title"], "".join(parts))


def _open_table(ix: SiteIndex, here: str, items: list[OpenItem], who: bool) -> str:
    W = _words(ix)
    lang = "en" if ix.opt.lang == "en" else "zh"
    rows: list[list[Any]] = []
    for i in items:
        text = esc(i.zh if lang == "zh" else i.en)
        if i.overdue:
            text = f'<strong class="kpi-alert-event">⚠ {text}</strong>'
        rows.append([*([person_link(ix, here, i.assessee)] if who else []),
                     period_link(ix, here, i.period), esc(W.get(i.kind, i.kind)), text])
    return html_table([*([W["who"]] if who else []), W["period"], W["kind"], W["text"]], rows,
                      search=False)


def open_for(ix: SiteIndex, key: str, by: str) -> list[OpenItem]:
    """What is still open for a person (`by` assessee) or a unit (`by` unit); none on the
    public site."""
    return [] if ix.opt.public else grouped(_computed(ix)[1], by).get(key, [])


def open_section(ix: SiteIndex, here: str, key: str, by: str) -> str:
    """The "still open" section of a person (`by` assessee) or unit (`by` unit) page; '' when
    nothing is open or on the public site."""
    items = open_for(ix, key, by)
    if not items:
        return ""
    W = _words(ix)
    return heading(2, esc(W["open"]), "open") + _open_table(ix, here, items, who=by == "unit")
