"""Incremental builds (增量构建): the finished HTML of every generated page, kept in a folder
under a key made from exactly what the page is made from, so that a build after a change of
ten records renders only the pages those records reach.

The dominant cost of a page is the theme's Jinja render and, for a person's page, making its
body (the derivation of every period). A page's final HTML is a function of

- its inputs: a person's page, of that person's results (which carry their ranks), events,
  warnings, late submissions, records and appeals with their provenance and signatures, what
  is still open for them (whose state moves with the site's "now"), plus the
  ledger's org chart, calendar and schemes and the site options (`ledger_digest`); any other
  generated page, of its body, which is made on every build (they are few: periods, units,
  schemes, status, bulletins, rules, events, audit);
- the site around it (`site_digest`): mkdocs.yml, the hand-written pages, the navigation
  (a new unit or period changes every page's nav, hence every key: one full render), the
  theme's words and scripts, our code and templates and the versions of MkDocs, the theme
  and Jinja;
- its source path and title.

The footer names the commit the site is built from and so changes on every commit: it is
cut out of the stored HTML (`FOOTER_MARK`) and put back on the way out. A hit skips the body
(person pages) and the render (every page): the plugin gives MkDocs an empty template for the
page and hands back the stored HTML in `on_post_page`. Entries are zlib-compressed files
named by their key; one folder per edition (config, public, language, shard), and after a
build the folder keeps only the entries that build used.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kpiledger.keyed_cache import (
    KeyedCache,
    canonical,
    code_digest,
    data_digest,
    digest,
    fields_digest,
    folder_digest,
)
from kpiledger.load.cache import cache_dir
from kpiledger.publish.shards import period_file
from kpiledger.site.pages.audit import audit_inputs
from kpiledger.site.pages.followups import open_by_person
from kpiledger.site.pages.index import SiteIndex
from kpiledger.site.pages.period import period_inputs
from kpiledger.site.pages.unit import unit_inputs

EMPTY_TEMPLATE = "kpi-empty.html"  # in site/overrides: renders nothing
FOOTER_MARK = "<!--kpiledger:footer-->"


def ledger_digest(ix: SiteIndex) -> str:
    """What every person's page may read besides that person's own data: the org chart, the
    calendar, the schemes, which periods have pages, and how the site is published."""
    o, ledger = ix.opt, ix.ledger
    key = hashlib.sha256(o.site_key).hexdigest()  # the key itself is never stored
    return digest(canonical(ledger.org), canonical(ledger.calendar), canonical(ledger.schemes),
                  ix.period_ids, sorted(ix.by_period), o.public, o.lang, key,
                  o.repo_url_files, o.use_directory_urls, ix.data.provenance_available)


class PageInputs:
    """The keys of the pages made only when rendered: a person's (`ledger_digest` and that
    person's own data) and a period's (`ledger_digest` and `period.period_inputs`)."""

    def __init__(self, ix: SiteIndex) -> None:
        self.ix = ix
        self.base = ledger_digest(ix)
        self.warnings: dict[str, list[Any]] = defaultdict(list)
        for w in ix.warnings:
            self.warnings[w["assessee"]].append(w)
        self.late: dict[str, list[Any]] = defaultdict(list)
        for x in ix.late:
            self.late[x["assessee"]].append(x)
        self.appeals: dict[str, list[Any]] = defaultdict(list)
        for a in ix.ledger.appeals:
            self.appeals[a.assessee].append(a)
        self.open = open_by_person(ix)

    def key(self, kind: str, ident: str) -> str:
        """The key of a page of `Site.later`: ("person", assessee), ("period", id),
        ("unit", id) or ("audit", "")."""
        if kind == "period":
            return fields_digest(self.base, period_inputs(self.ix, ident))
        if kind == "unit":
            return fields_digest(self.base, unit_inputs(self.ix, ident))
        if kind == "audit":
            return fields_digest(self.base, audit_inputs(self.ix))
        return self.person(ident)

    def person(self, aid: str) -> str:
        ix = self.ix
        rows = ix.by_assessee[aid]
        records = [rec for r in rows
                   for rec in ix.records.get((r["period"], r["scheme"], aid), [])]
        appeals = self.appeals.get(aid, [])
        files = [f for a in appeals for f in (a.file, *([a.decision.file] if a.decision else []))]
        # appeals and open items hold no set: the same in every process
        return fields_digest(self.base, aid, ix.row_keys(rows),
                             ix.events_by_assessee.get(aid, []),
                             self.warnings.get(aid, []), self.late.get(aid, []),
                             ix.record_keys(records), appeals,
                             [repr(i) for i in self.open.get(aid, [])],
                             [ix.data.provenance.get(f) for f in files],
                             [ix.data.acts.get(f) for f in files])


def edition_folder(config_file: str, public: bool, lang: str, shard: str) -> Path:
    """The cache folder of one edition of one site: builds of other editions (public and
    internal, zh and en, other shards) keep theirs."""
    name = digest(str(Path(config_file).resolve()), public, lang, shard)[:16]
    return cache_dir() / "site" / name


class RenderCache(KeyedCache):
    """Finished pages by key, in one folder; `None` as the folder caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        super().__init__(folder)
        self.hits = 0
        self.misses = 0
        # each result's digest (`period_file`); the plugin gives the site's, made once
        self.row_keys: Callable[[list[dict[str, Any]]], list[str]] = _row_keys

    def get(self, key: str) -> bytes | None:
        """The stored page as it is kept (compressed; `unpack` gives its HTML), or None when
        there is none or it is damaged. Every cached page is looked up before the first is
        written: held compressed, 10,000 pages take a tenth of the memory."""
        data = self.read(key)
        if data is None:
            if self.folder is not None:
                self.misses += 1
            return None
        if len(data) < 4 or data[:4] != _crc(data[4:]):  # damaged: render it
            self.forget(key)
            self.misses += 1
            return None
        self.hits += 1
        return data

    def put(self, key: str, html: str) -> None:
        # the CRC-32 of the compressed page in front: checked without decompressing (10,000
        # pages of 60 KB took seconds to decompress twice)
        packed = zlib.compress(html.encode("utf-8"), 1)
        self.write(key, _crc(packed) + packed)

    def period_file(self, document: Mapping[str, Any]) -> tuple[str, bytes]:
        """A results period's `publish.shards.period_file` (the SHA-256 of its JSON text and
        its gzip file) by the document's content, its results by `row_keys` (the site's
        `SiteIndex.row_keys`, made for the page keys already): made once, then taken from
        here while the document is the same. Not a page: the page counts are left alone."""
        rest = {k: v for k, v in document.items() if k != "results"}
        key = data_digest("results period", code_digest(), rest,
                          self.row_keys(list(document.get("results", ()))))
        stored = self.read(key)
        if stored is not None and len(stored) > 68 and stored[:4] == _crc(stored[4:]):
            return stored[4:68].decode("ascii"), stored[68:]
        if stored is not None:
            self.forget(key)
        sha, body = period_file(document)
        self.write(key, _crc(sha.encode("ascii") + body) + sha.encode("ascii") + body)
        return sha, body


def site_digest(config: Any, chrome: dict[str, Any], options: dict[str, Any]) -> str:
    """What the theme puts around every page besides its own content: the config (mkdocs.yml
    and what the plugin set on it: the navigation, the language, the CSS), the hand-written
    pages (their titles are in the nav), a custom theme folder, the words and scripts the
    templates read (the footer, which names the commit, is left out: see FOOTER_MARK) and our
    code."""
    config_file = Path(config.config_file_path) if config.config_file_path else None
    theme = {k: v for k, v in config.theme.items() if k != "dirs"}
    custom = config.theme.custom_dir
    names = ("nav", "site_name", "site_url", "site_description", "site_author", "repo_url",
             "repo_name", "edit_uri", "copyright", "extra", "extra_css", "extra_javascript",
             "use_directory_urls", "markdown_extensions", "mdx_configs", "docs_dir")
    return digest(
        code_digest(),
        hashlib.sha256(config_file.read_bytes()).hexdigest()
        if config_file is not None and config_file.is_file() else "",
        {n: config.get(n) for n in names}, theme, list(config.plugins),
        folder_digest(Path(custom)) if custom else "", folder_digest(Path(config.docs_dir)),
        {k: v for k, v in chrome.items() if k != "footer"}, options,
    )


def unpack(entry: bytes) -> bytes:
    """A page's HTML (UTF-8, with `FOOTER_MARK` for the footer) from what `get` returned.
    Kept as bytes: the page is written as it is, never decoded and encoded again."""
    return zlib.decompress(entry[4:])


def _crc(data: bytes) -> bytes:
    return struct.pack("<I", zlib.crc32(data))


def _row_keys(rows: list[dict[str, Any]]) -> list[str]:
    return [fields_digest(r) for r in rows]
