"""HTML building blocks every page uses: escaping, page titles, relative links, tables,
blocks and headings. Nothing here knows the ledger.

Safety: every piece of ledger text goes through `esc` (html.escape) and sits inside raw HTML
blocks, which Python-Markdown leaves alone, so Markdown syntax such as `[x](javascript:…)` in a
name or comment stays literal. Page titles, which the theme's templates print unescaped, use
`plain_title` (no markup characters at all).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from typing import Any


def esc(x: Any) -> str:
    """Any value as text safe inside HTML (None as nothing)."""
    return _esc("" if x is None else str(x))


@lru_cache(maxsize=1 << 16)
def _esc(text: str) -> str:
    # Cached: the same item titles, rules and ids repeat 24,000 times on a big ledger.
    return escape(text, quote=True)


def plain_title(text: str) -> str:
    """A title safe for templates that do not escape: markup characters removed."""
    cleaned = re.sub(r"[<>&\"'`{}\[\]\\]", "", text)
    return re.sub(r"\s+", " ", cleaned).strip() or "-"


def page_url(src: str, directory_urls: bool) -> str:
    """The URL MkDocs gives the page `src` (a path ending in .md)."""
    stem = src[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """Relative URL from one page to another, as MkDocs will lay them out."""
    a = page_url(from_src, directory_urls)
    return _relative(a.rsplit("/", 1)[0] if "/" in a else "", page_url(to_src, directory_urls))


def _relative(base: str, b: str) -> str:
    target = b.rstrip("/")
    folder, _, last = target.rpartition("/")
    if not last or base == target or base.startswith(target + "/") or not folder:
        return _relpath(base, b)
    # A page in another folder: the way to its folder, then its name. 10,000 people's pages
    # share one folder, so this is cached by folder: by page, 10,000 pages linking 10,000
    # people overflowed any cache and posixpath.relpath ran for every link.
    up = _relpath(base, folder + "/")
    return (up if up != "./" else "") + last + ("/" if b.endswith("/") else "")


@lru_cache(maxsize=1 << 14)
def _relpath(base: str, b: str) -> str:
    rel = posixpath.relpath(b.rstrip("/") or ".", base or ".")
    if b.endswith("/") or b == "":
        rel = rel.rstrip("/") + "/"
    return rel


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    search: bool = True,
    closed: bool = False,
) -> str:
    """Cells are HTML already (escaped by the caller). `search=False` keeps the table out of
    the search index (data-search-exclude), which keeps the index small. The class goes on the
    wrapper: mkdocs-material styles only tables without a class. `closed` writes the end
    tags of cells and rows: on a page whose content the search plugin parses (the home page),
    each open tag is rescanned for every piece of text after it."""
    # HTML leaves the end tags of cells and rows optional; without them a person's page with
    # 24 derivation tables is a tenth smaller, and every browser builds the same table.
    cell, row_end = ("<td>{}</td>", "</tr>") if closed else ("<td>{}", "")
    body = "".join("<tr>" + "".join(cell.format(c) for c in row) + row_end for row in rows)
    return table_shell(headers, body, cls=cls, search=search)


def table_shell(headers: Sequence[str], body: str, *, cls: str = "", search: bool = True) -> str:
    """A table around finished body rows (`<tr>…`), with html_table's wrapper and header."""
    # not mkdocs-material's own `md-typeset__table`: its script wraps the table again inside,
    # and the outer box then grows to the table's width and widens the page on a phone
    wrap = f"kpi-table {cls}".strip()
    attrs = " data-search-exclude" if not search else ""
    head = "".join(f"<th>{h}</th>" for h in headers)  # one row: closed, for the search parser
    # A blank line before and after: Python-Markdown treats the block as raw HTML.
    return (
        f'\n\n<div class="{wrap}"{attrs}><table><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>\n\n"
    )


def link(url: str, text_html: str) -> str:
    """A link around HTML that is escaped already."""
    return f'<a href="{esc(url)}">{text_html}</a>'


def block(html: str) -> str:
    """HTML as a raw block that Markdown leaves alone."""
    return f"\n\n<div>{html}</div>\n\n"


def heading(level: int, text_html: str, anchor: str) -> str:
    """A heading with a fixed anchor, as a raw block."""
    return f'\n\n<h{level} id="{esc(anchor)}">{text_html}</h{level}>\n\n'
