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
import json
import os
import struct
import zlib
from collections import defaultdict
from dataclasses import fields, is_dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from kpiledger import __version__
from kpiledger.load.cache import cache_dir
from kpiledger.publish.compressed import CompressedList
from kpiledger.publish.shards import gzipped
from kpiledger.site.pages.followups import open_by_person
from kpiledger.site.pages.index import SiteIndex

EMPTY_TEMPLATE = "kpi-empty.html"  # in site/overrides: renders nothing
FOOTER_MARK = "<!--kpiledger:footer-->"
_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions")


def digest(*parts: Any) -> str:
    """SHA-256 of the parts as canonical JSON (anything else by its repr)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_DATA_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
                 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME)


def data_digest(*parts: Any) -> str:
    """`digest` of plain JSON data (text, numbers, lists, dicts with text keys) at a tenth of
    its cost: a person's key is made for every person on every build. A compressed list
    counts by its digest, anything else by its repr, as in `digest`."""
    text = orjson.dumps(parts, default=_plain_or_repr, option=_DATA_OPTIONS)
    return hashlib.sha256(text).hexdigest()


def _plain_or_repr(value: Any) -> Any:
    # a compressed list by its digest: unpacking 120,000 results' items cost seconds
    return value.digest() if isinstance(value, CompressedList) else repr(value)


def canonical(value: Any) -> Any:
    """A model value as plain data whose JSON is the same in every process: sets sorted (their
    order follows the process's string hashing, and so does their repr), dataclasses by their
    shown fields (the hidden ones are derived: a formula's parsed tree)."""
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__,
                {f.name: canonical(getattr(value, f.name)) for f in fields(value) if f.repr}]
    if isinstance(value, dict):
        return [[canonical(k), canonical(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(canonical(v), default=repr, ensure_ascii=False) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)  # Decimal, dates, enums: their repr names the value


def folder_digest(folder: Path | None) -> str:
    """Every file's path and bytes under `folder` ('' when there is none)."""
    h = hashlib.sha256()
    if folder is None or not folder.is_dir():
        return ""
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@cache
def code_digest() -> str:
    """Our code and templates by content (a CI checkout has fresh mtimes, so the load cache's
    stamp would never match there) and the versions of what renders the pages."""
    package = Path(__file__).resolve().parents[1]
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=-")
    return digest(__version__, versions, folder_digest(package))


def ledger_digest(ix: SiteIndex) -> str:
    """What every person's page may read besides that person's own data: the org chart, the
    calendar, the schemes, which periods have pages, and how the site is published."""
    o, ledger = ix.opt, ix.ledger
    key = hashlib.sha256(o.site_key).hexdigest()  # the key itself is never stored
    return digest(canonical(ledger.org), canonical(ledger.calendar), canonical(ledger.schemes),
                  ix.period_ids, sorted(ix.by_period), o.public, o.lang, key,
                  o.repo_url_files, o.use_directory_urls, ix.data.provenance_available)


class PersonInputs:
    """The key of each person's page: `ledger_digest` and that person's own data."""

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

    def key(self, aid: str) -> str:
        ix = self.ix
        rows = ix.by_assessee[aid]
        records = [rec for r in rows
                   for rec in ix.records.get((r["period"], r["scheme"], aid), [])]
        appeals = self.appeals.get(aid, [])
        files = [rec.file for rec in records] + [
            f for a in appeals for f in (a.file, *([a.decision.file] if a.decision else []))]
        return data_digest(self.base, aid, rows, ix.events_by_assessee.get(aid, []),
                      self.warnings.get(aid, []), self.late.get(aid, []),
                      # records, appeals and open items hold no set: their repr is the same
                      # in every process
                      [repr(rec) for rec in records], [repr(a) for a in appeals],
                      [repr(i) for i in self.open.get(aid, [])],
                      [repr(ix.data.provenance.get(f)) for f in files],
                      [repr(ix.data.acts.get(f)) for f in files])


def edition_folder(config_file: str, public: bool, lang: str, shard: str) -> Path:
    """The cache folder of one edition of one site: builds of other editions (public and
    internal, zh and en, other shards) keep theirs."""
    name = digest(str(Path(config_file).resolve()), public, lang, shard)[:16]
    return cache_dir() / "site" / name


class RenderCache:
    """Finished pages by key, in one folder; `None` as the folder caches nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def get(self, key: str) -> bytes | None:
        """The stored page as it is kept (compressed; `unpack` gives its HTML), or None when
        there is none or it is damaged. Every cached page is looked up before the first is
        written: held compressed, 10,000 pages take a tenth of the memory."""
        data = self.get_bytes(key)
        if data is None:
            return None
        if len(data) < 4 or data[:4] != _crc(data[4:]):  # damaged: render it
            self.used.discard(key)
            self.hits, self.misses = self.hits - 1, self.misses + 1
            return None
        return data

    def put(self, key: str, html: str) -> None:
        # the CRC-32 of the compressed page in front: checked without decompressing (10,000
        # pages of 60 KB took seconds to decompress twice)
        packed = zlib.compress(html.encode("utf-8"), 1)
        self.put_bytes(key, _crc(packed) + packed)

    def get_bytes(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None."""
        if self.folder is None:
            return None
        try:
            data = self._path(key).read_bytes()
        except OSError:  # missing: make it
            self.misses += 1
            return None
        self.used.add(key)
        self.hits += 1
        return data

    def put_bytes(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)  # a reader never sees half an entry
        except OSError:
            return  # a cache that cannot be written only costs the next build time
        self.used.add(key)

    def packed(self, sha: str, data: bytes) -> bytes:
        """A results period's gzip file (`publish.shards.Packed`) by the SHA-256 of its JSON
        text: made once, then taken from here while the text is the same. Not a page: the
        page counts are left alone."""
        key = digest("results.json.gz", sha)
        hits, misses = self.hits, self.misses
        stored = self.get_bytes(key)
        self.hits, self.misses = hits, misses
        if stored is not None and _is_gzip_of(stored, data):
            return stored
        made = gzipped(data)
        self.put_bytes(key, made)
        return made

    def prune(self) -> int:
        """Remove the entries this build did not use; how many were removed."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*/*"):
            if path.name not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


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


def _is_gzip_of(stored: bytes, data: bytes) -> bool:
    """Whether a stored entry is a gzip file of `data`, by the CRC-32 and length its trailer
    names: a damaged entry is made again, never published."""
    return len(stored) > 18 and stored[:2] == b"\x1f\x8b" and stored[-8:] == struct.pack(
        "<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
