"""Links and table cells that several page kinds share: links to a person's, unit's, period's
or scheme's page, a commit, and a result's rank, status, grade and money."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kpiledger.git.provenance import Commit
from kpiledger.publish.public import mask_name
from kpiledger.site.pages.html import esc, href, link
from kpiledger.site.pages.index import SiteIndex


def site_href(ix: SiteIndex, here: str, target: str) -> str:
    """Relative URL from page `here` to page `target`, in the site's URL style."""
    return href(here, target, ix.opt.use_directory_urls)


def person_link(
    ix: SiteIndex, here: str, assessee: str, fallback: str | None = None, anchor: str = ""
) -> str:
    """A link to a person's page; `anchor` lands on one period's derivation there."""
    text = esc(ix.name(assessee, fallback))
    if assessee in ix.by_assessee:
        target = site_href(ix, here, person_page_path(ix, assessee))
        return link(f"{target}#{anchor}" if anchor else target, text)
    return text


def person_page_path(ix: SiteIndex, assessee: str) -> str:
    """The source path of a person's page (people/<id>.md; a pseudonym in the public edition)."""
    return f"people/{ix.slug(assessee)}.md"


def unit_link(ix: SiteIndex, here: str, unit: str) -> str:
    """A link to a unit's page (its id as text when the org chart does not know it)."""
    if unit in ix.org.units:
        return link(site_href(ix, here, f"units/{unit}.md"), esc(ix.unit_name(unit)))
    return esc(unit)


def period_link(ix: SiteIndex, here: str, pid: str) -> str:
    """A link to a period's page."""
    return link(site_href(ix, here, f"periods/{pid}.md"), esc(pid))


def scheme_link(ix: SiteIndex, here: str, sid: str) -> str:
    """A link to a scheme's page (its id as text when the ledger has no such scheme)."""
    s = ix.ledger.schemes.get(sid)
    text = esc(ix.scheme_title(s) if s else sid)
    if s is None:
        return text
    return link(site_href(ix, here, f"schemes/{sid}.md"), text)


def commit_html(ix: SiteIndex, c: Commit, repo_path: str) -> str:
    """A commit: short sha, author, date and PR, linked to the file at that commit when the
    site is configured with `repo_url_files`."""
    author = mask_name(c.author) if ix.opt.public else c.author
    text = f"<code>{esc(c.short)}</code> {esc(author)} {esc(c.date[:10])}"
    if c.pr is not None:
        text += f" #{c.pr}"
    if ix.opt.repo_url_files and not ix.opt.public:  # a file's path names the person
        url = f"{ix.opt.repo_url_files.rstrip('/')}/{c.sha}/{repo_path}"
        text = f'<a href="{esc(url)}">{text}</a>'
    return text


def money_ids(ix: SiteIndex, rows: Iterable[dict[str, Any]]) -> list[str]:
    """The money columns these results need (none on the public site)."""
    if ix.opt.public:
        return []
    return sorted({m for r in rows for m in r.get("money", {})})


def money_cells(r: dict[str, Any], ids: list[str]) -> list[str]:
    """A result's money, one cell per id of `money_ids`."""
    return [esc(r["money"].get(m, "")) for m in ids]


def rank_text(r: dict[str, Any]) -> str:
    """A result's rank as "3 / 12" (a dash when unranked); raw text."""
    if r.get("rank") is None:
        return "—"
    return f"{r['rank']} / {r['of']}"


def status_text(ix: SiteIndex, r: dict[str, Any]) -> str:
    """A result's status in the site's language."""
    return esc(ix.L.get(r["status"], r["status"]))


def grade_text(ix: SiteIndex, r: dict[str, Any]) -> str:
    """A result's grade in the site's language (a dash when it has none)."""
    return esc(ix.grade(r["scheme"], r.get("grade")))
