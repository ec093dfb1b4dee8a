"""The whole generated site: every page by its source path, and the navigation.

`Site` is what the MkDocs plugin calls: `Site(data).pages()`, `.nav(pages, static)` and
`.home_section()`; the same as plain functions of a `SiteIndex`: `build_pages`, `build_nav`
and `home.home_section`.
"""

from __future__ import annotations

from typing import Any

from kpiledger.site.pages.audit import audit_head, audit_page
from kpiledger.site.pages.bulletin import bulletin_page, bulletin_periods
from kpiledger.site.pages.cells import person_page_path
from kpiledger.site.pages.events import events_page
from kpiledger.site.pages.followups import PAGE as FOLLOWUPS
from kpiledger.site.pages.followups import followups_pages
from kpiledger.site.pages.home import home_section
from kpiledger.site.pages.index import Page, SiteData, SiteIndex
from kpiledger.site.pages.period import period_head, period_page, periods_index
from kpiledger.site.pages.person import person_head, person_page
from kpiledger.site.pages.rules import rules_page
from kpiledger.site.pages.scheme import scheme_page, schemes_index
from kpiledger.site.pages.status import status_pages
from kpiledger.site.pages.submit_form import asset_files, submit_pages, submit_plan, workbooks
from kpiledger.site.pages.unit import unit_head, unit_page, units_index


class Site:
    """Every generated page, the nav and the home page's generated part, from one
    `SiteData` (its lookups are built once, in `SiteIndex`)."""

    def __init__(self, data: SiteData) -> None:
        self.index = SiteIndex(data)
        self.plan = submit_plan(self.index)  # the submission forms' missing records

    def pages(self, people: bool = True, whole: bool = True) -> dict[str, Page]:
        """Source path (`periods/2026-03.md`) → page; without the person pages when `people`
        is False (`person_heads`, then `later_page` one by one), with only their
        heads for the period and unit pages when `whole` is False (`later_page`)."""
        return build_pages(self.index, self.plan, people, whole)

    def files(self) -> dict[str, str | bytes]:
        """Site path → content of the files that are not pages: each submission page's Excel
        sheet, and the scripts the form loads (none without a submission page)."""
        if not self.plan:
            return {}
        return {**workbooks(self.index, self.plan), **asset_files()}

    def person_heads(self) -> dict[str, tuple[str, Page]]:
        """Source path → (assessee, the page's title and first heading only)."""
        ix = self.index
        return {person_page_path(ix, aid): (aid, person_head(ix, aid)) for aid in ix.by_assessee}

    def later(self) -> dict[str, tuple[str, str]]:
        """Source path → (kind, id) of the pages `pages(people=False, whole=False)` leaves to
        be made one at a time when rendered (`later_page`): each period's, unit's and
        person's."""
        ix = self.index
        return {**{f"periods/{pid}.md": ("period", pid) for pid in ix.period_ids},
                **{f"units/{uid}.md": ("unit", uid) for uid in ix.org.units},
                "audit.md": ("audit", ""),
                **{person_page_path(ix, aid): ("person", aid) for aid in ix.by_assessee}}

    def later_page(self, kind: str, ident: str) -> Page:
        """A page of `later`, whole."""
        return LATER[kind](self.index, ident)

    def nav(self, pages: dict[str, Page], static: dict[str, bool]) -> list[Any]:
        """The nav for these pages; `static` says which hand-written pages exist."""
        return build_nav(self.index, pages, static)

    def home_section(self) -> str:
        """The generated part of the home page (Markdown with raw HTML)."""
        return home_section(self.index)


LATER = {"period": period_page, "unit": unit_page, "person": person_page,
         "audit": lambda ix, _: audit_page(ix)}


def build_pages(ix: SiteIndex, plan: dict[tuple[str, str], list[Any]] | None = None,
                people: bool = True, whole: bool = True) -> dict[str, Page]:
    """Every generated page by source path: periods, units, audit (of these, only their heads
    unless `whole`), schemes, people (unless `people` is False), rules, events, submission
    forms."""
    out: dict[str, Page] = {}
    out["periods/index.md"] = periods_index(ix)
    for pid in ix.period_ids:
        if pid in ix.by_period or pid in ix.ledger.calendar.periods:
            out[f"periods/{pid}.md"] = (period_page if whole else period_head)(ix, pid)
    out.update(status_pages(ix))  # who still owes what, per open period
    out.update(followups_pages(ix))  # obligations with deadlines, what is still open
    out.update(submit_pages(ix, submit_plan(ix) if plan is None else plan))
    out["units/index.md"] = units_index(ix)
    for uid in ix.org.units:
        out[f"units/{uid}.md"] = (unit_page if whole else unit_head)(ix, uid)
    out["schemes/index.md"] = schemes_index(ix)
    for sid in ix.ledger.schemes:
        out[f"schemes/{sid}.md"] = scheme_page(ix, sid)
    for aid in ix.by_assessee if people else ():
        out[person_page_path(ix, aid)] = person_page(ix, aid)
    out["rules.md"] = rules_page(ix)
    for pid in bulletin_periods(ix):
        out[f"bulletins/{pid}.md"] = bulletin_page(ix, pid)
    out["events.md"] = events_page(ix)
    out["audit.md"] = audit_page(ix) if whole else audit_head(ix)
    return out


def build_nav(ix: SiteIndex, pages: dict[str, Page], static: dict[str, bool]) -> list[Any]:
    """The navigation: home, periods, units, schemes, rules & events, audit. Assessee
    pages stay out of it, so each page's HTML does not grow with head count."""
    L = ix.L

    def entry(src: str) -> Any:
        return {pages[src].title: src}

    home: list[Any] = ["index.md"] if static.get("index.md") else []
    if static.get("submit.md"):
        home.append({L["submit"]: "submit.md"})
    if "forms/index.md" in pages:
        home.append({L["submit_online"]: "forms/index.md"})
    periods = ["periods/index.md"] + [
        entry(f"periods/{p}.md") for p in reversed(ix.period_ids) if f"periods/{p}.md" in pages
    ]
    periods += [entry(src) for src in pages if src.startswith("status/")]
    periods += [entry(FOLLOWUPS)] if FOLLOWUPS in pages else []
    units = ["units/index.md"] + [entry(f"units/{u}.md") for u in ix.unit_order()]
    schemes = ["schemes/index.md"] + [entry(f"schemes/{s}.md") for s in ix.ledger.schemes]
    rules: list[Any] = [{L["rules"]: "rules.md"}, {L["events"]: "events.md"}]
    nav: list[Any] = []
    nav.append({L["home"]: home} if len(home) > 1 else {L["home"]: home[0]} if home else {})
    nav += [
        {L["periods"]: periods},
        {L["units"]: units},
        {L["schemes"]: schemes},
        {L["rules_events"]: rules},
        {L["audit"]: "audit.md"},
    ]
    return [x for x in nav if x]
