"""The MkDocs plugin: reads the ledger, scores it and adds the generated pages at build time.

Pages are virtual files (`File.generated`, MkDocs ≥ 1.6); nothing is written into the docs
folder (`site/`, which holds only hand-written pages). The navigation is set here, so that it
holds home, periods, units, schemes, rules & events and audit, and never the assessee pages.

    plugins:
      - kpiledger:
          ledger: ledger          # relative to mkdocs.yml
          public: false           # true: names masked (张*), no money, no comments
          repo_url_files: https://github.com/org/repo/blob/   # optional: links to files
          lang: zh                # zh | en
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkPage

from kpiledger.forge.forges import from_url
from kpiledger.git.repo import locate
from kpiledger.pipeline import Evaluation
from kpiledger.publish.acks import signing_acts
from kpiledger.publish.manifest import write_manifest
from kpiledger.publish.public import SiteKeyError, mask_name, public_document, site_key
from kpiledger.publish.results import draining_document
from kpiledger.publish.shards import split_document
from kpiledger.score.results import Result
from kpiledger.site.assets import prune_theme_assets
from kpiledger.site.chrome import (
    OVERRIDES,
    commit_url,
    head_commit,
    make_chrome,
    top_level_names,
)
from kpiledger.site.empty_page import EmptyBodyPage
from kpiledger.site.opening import evaluate_for_site, ledger_prefix
from kpiledger.site.page_writer import PageWriter
from kpiledger.site.pages.index import Page, SiteData, SiteOptions
from kpiledger.site.pages.site import Site
from kpiledger.site.pages.submit_form import FORM_CSS
from kpiledger.site.phone import stacked_derivation_css
from kpiledger.site.render_cache import (
    EMPTY_TEMPLATE,
    FOOTER_MARK,
    PageInputs,
    RenderCache,
    digest,
    site_digest,
    unpack,
)
from kpiledger.site.shard import Shard
from kpiledger.site.style import CSS
from kpiledger.site.translated import pick_language

log = logging.getLogger("mkdocs.plugins.kpiledger")

CSS_PATH = "assets/kpiledger.css"
BODY_MARKER = "<!--kpiledger:body-->"
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_BETWEEN_TAGS = re.compile(r">\s{2,}<")  # generated pages hold no <pre>


class LedgerConfig(Config):
    ledger = c.Type(str, default="ledger")
    public = c.Type(bool, default=False)
    repo_url_files = c.Optional(c.Type(str))
    lang = c.Choice(("zh", "en"), default="zh")
    # where the site goes: "public" (anyone can read it, e.g. GitHub Pages on most plans) or
    # "internal" (access controlled); `kpi build` warns when a full edition goes public
    target = c.Optional(c.Choice(("public", "internal")))
    # the submission form: the forge of mkdocs.yml's repo_url (guessed from its host when
    # unset) and the branch its "new file" links open
    forge = c.Optional(c.Choice(("github", "gitlab", "gitea")))
    branch = c.Type(str, default="main")


class LedgerPlugin(BasePlugin[LedgerConfig]):
    """Adds the generated pages. `kpi build` sets `evaluation` on the instance (and may set
    `config.public` and `config.lang`) between loading mkdocs.yml and building, so the ledger
    is read and scored once; a plain `mkdocs build` leaves it None and the plugin evaluates."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.site: Site | None = None
        self.evaluation: Evaluation | None = None
        # the results document the pages were made from, for results/ (or its public projection)
        self.document: dict[str, Any] | None = None
        self.full_names: re.Pattern[str] | None = None  # the public edition masks them
        self.root: Path | None = None  # the ledger folder
        self.hashes: Mapping[str, str] = {}  # its files' hashes when opened (may be empty)
        # the language `kpi build --lang` chose over mkdocs.yml's (None: mkdocs.yml's), which
        # the manifest records so that `kpi verify` builds the same site again
        self.lang_override: str | None = None
        # the commit the site is built from, for the footer: `kpi build` sets it (`kpi verify`
        # builds an exported tree at a known commit); a plain `mkdocs build` asks git
        self.commit: str | None = None
        self.commit_known = False
        self.owner = ""
        # incremental builds and shards (site/render_cache.py, site/shard.py): `kpi build`
        # sets the cache and the shard; a plain `mkdocs build` renders every page
        self.render_cache = RenderCache(None)
        self.shard: Shard | None = None
        self.writer = PageWriter()
        self.later: dict[str, tuple[str, str]] = {}  # src → (kind, id): `Site.later`
        self.chrome: dict[str, Any] = {}  # what the templates read as `kpi`
        self.footer = ""
        self.site_key = ""  # render_cache.site_digest of this build
        self._inputs: PageInputs | None = None
        self._masked = ""  # digest of the names the public edition masks in free text
        self._stored: dict[str, bytes] = {}  # source path → its entry in the cache
        self._keys: dict[str, str] = {}  # source path → key to store its HTML under
        self._render: set[str] = set()  # generated pages this build renders
        self.written: list[str] = []  # generated pages this build wrote (site-relative)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # the search plugin segments Chinese with jieba, which announces its dictionary on stderr
        logging.getLogger("jieba").setLevel(logging.WARNING)
        base = Path(config.config_file_path or ".").resolve().parent
        root = (base / self.config.ledger).resolve()
        if not (root / "org.yaml").exists():
            raise PluginError(f"kpiledger: 账本 {root} 中没有 org.yaml / no org.yaml in {root}")
        self.root = root
        evaluation = self.evaluation or evaluate_for_site(root)
        self.hashes = evaluation.hashes
        if not self.commit_known:
            self.commit = head_commit(root)
        self.commit_known = False  # `mkdocs serve` rebuilds: ask git again next time
        self.owner = evaluation.ledger.org.company
        # the footer and the 404 page (site/chrome.py), in front of the theme's templates and
        # behind a custom_dir of the site's own
        if str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
        self.evaluation = None  # `mkdocs serve` rebuilds: read the ledger again next time
        provenance = dict(evaluation.provenance)
        # the pages read the results document: made by period and scheme (partitions.py), or
        # from the scored results, each let go as it becomes a dict
        scored: list[Result | None] = list(evaluation.results.results)
        made = evaluation.results.document
        evaluation = replace(evaluation, results=replace(evaluation.results, results=()))
        self.document = made or draining_document(evaluation.results, scored)
        key = b""
        if self.config.public:  # people appear by pseudonym: the key must come from outside
            try:
                key = site_key()
            except SiteKeyError as e:
                raise PluginError(str(e)) from None
        options = SiteOptions(
            public=self.config.public,
            site_key=key,
            lang=self.config.lang,
            repo_url_files=self.config.repo_url_files,
            use_directory_urls=config.use_directory_urls,
            repo_url=config.repo_url,
            forge=self.config.forge or from_url(config.repo_url),
            branch=self.config.branch,
            # the ledger's folder as seen from mkdocs.yml, which sits at the repository's top;
            # not asked of git, so a rebuild of an exported tree (kpi verify) is the same site
            ledger_prefix=ledger_prefix(root, base),
        )
        data = SiteData(
            results=self.document,
            ledger=evaluation.ledger,
            provenance=provenance,
            provenance_available=evaluation.in_git,
            options=options,
            acts=signing_acts(evaluation),
        )
        self.site = Site(data)
        self.render_cache.row_keys = self.site.index.row_keys  # made once for both
        # full names and employee ids, as free text may write them (masked: 张**, E****)
        names = sorted({n for p in evaluation.ledger.org.people.values()
                        for n in (p.name, p.name_en, p.id) if n and len(n) > 1},
                       key=len, reverse=True)
        self.full_names = re.compile(
            r"(?<![A-Za-z0-9_-])(?:" + "|".join(map(re.escape, names)) + r")(?![A-Za-z0-9_-])"
        ) if self.config.public and names else None
        # the public edition masks names in the other pages' free text: their keys name it
        self._masked = digest(self.full_names.pattern if self.full_names else None)
        # a person's, period's, unit's or the audit page is made when it is rendered: from
        # the cache or on another shard it never is; its title and heading serve nav and search
        self.pages = self.site.pages(people=False, whole=False)
        self.pages.update({src: page for src, (_, page) in self.site.person_heads().items()})
        self.later = self.site.later()
        self._inputs = None
        self._stored, self._keys, self._render, self.written = {}, {}, set(), []
        docs = Path(config.docs_dir)
        static = {name: (docs / name).exists() for name in ("index.md", "submit.md")}
        config.nav = self.site.nav(self.pages, static)
        if CSS_PATH not in config.extra_css:
            config.extra_css.append(CSS_PATH)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        pick_language(files, self.config.lang)  # site/index.en.md for the English edition
        for src, page in self.pages.items():
            existing = files.get_file_from_path(src)
            if existing is not None:  # a hand-written page of that name wins; say so
                log.warning("kpiledger: site/%s 与生成的页面同名，已保留手写页面", src)
                continue
            # Only front matter goes through Markdown: the body is finished HTML, put in place
            # by on_page_content (Markdown over 1,000 big pages took minutes); no table of
            # contents: it would stay empty and take the derivation tables' width
            front = f"---\ntitle: {json.dumps(page.title)}\nhide: [toc]\n---\n"
            inclusion = (  # assessee pages are outside the nav: NOT_IN_NAV says so
                InclusionLevel.NOT_IN_NAV if src.startswith(("people/", "bulletins/"))
                or (src.startswith("forms/") and src != "forms/index.md")
                else InclusionLevel.UNDEFINED
            )
            file = File.generated(config, src, content=front, inclusion=inclusion)
            if inclusion.is_not_in_nav():  # no Markdown to convert (site/empty_page.py)
                EmptyBodyPage(None, file, config)
            files.append(file)
        assert self.site is not None
        for path, content in self.site.files().items():  # Excel sheets, the form's scripts
            files.append(File.generated(config, path, content=content))
        css = CSS + stacked_derivation_css(self.site.index.L) + FORM_CSS
        files.append(File.generated(config, CSS_PATH, content=css))
        sha = self.commit
        url = commit_url(sha, config.repo_url, self.config.repo_url_files) if sha else None
        self.chrome = make_chrome(self.config.lang, self.owner, sha, url, config.site_url,
                                  top_level_names([f.src_uri for f in files])).as_context()
        self.footer = self.chrome["footer"]
        # the key of everything around the pages: cached pages and shards are of one site
        self.site_key = site_digest(config, self.chrome, dict(self.config))
        return files

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        env.globals["kpi"] = self.chrome
        return env

    def on_template_context(
        self, context: Any, /, *, template_name: str, config: MkDocsConfig
    ) -> Any:
        # MkDocs links an error page from `/` when site_url is unset; the 404 page's script
        # sets a <base> at the site's root instead, and its links follow it (site/chrome.py)
        if re.fullmatch(r"\d{3}\.html", template_name) and not config.site_url:
            context["base_url"] = "."
        return context

    def on_page_content(
        self, html: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        generated = self.pages.get(page.file.src_uri)
        if generated is not None and page.file.generated_by is not None:
            # The search plugin parses every page's content with Python's HTML parser, which
            # took minutes over 1,000 pages of derivation tables that are kept out of the index
            # anyway. So search (and the theme) see the page's heading — a person's name and
            # id — and a marker; the rest of the body replaces the marker in on_post_page.
            src = page.file.src_uri
            head, _ = _split_heading(generated.body)
            if self.shard is not None and not self.shard.owns(src):
                page.meta["template"] = EMPTY_TEMPLATE  # another shard renders it
            elif (stored := self._from_cache(src, generated)) is not None:
                page.meta["template"] = EMPTY_TEMPLATE  # on_post_page puts it in place
                self._stored[src] = stored
            else:
                self._render.add(src)
            return self._mask_free_text(page, head) + BODY_MARKER
        return self._mask_free_text(page, html)

    def _from_cache(self, src: str, generated: Page) -> bytes | None:
        """The page's finished HTML from the cache, or None (then its key is kept, to store
        it once rendered)."""
        if self.render_cache.folder is None or self.site is None:
            return None
        if self._inputs is None:
            self._inputs = PageInputs(self.site.index)
        later = self.later.get(src)
        inputs = digest(self._inputs.key(*later) if later else generated.body, self._masked)
        key = digest(self.site_key, src, generated.title, inputs)
        stored = self.render_cache.get(key)
        if stored is None:
            self._keys[src] = key
        return stored

    def _mask_free_text(self, page: MkPage, html: str) -> str:
        """The public edition: full names in free text (a scheme's wording, a hand-written
        page) masked. A person's page is made from the org chart's names, masked already, and
        is left alone: one pattern of 10,000 names over every person's page would cost
        minutes."""
        if self.full_names is None or page.file.src_uri.startswith("people/"):
            return html
        return self.full_names.sub(lambda m: mask_name(m.group(0)), html)

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str | None:
        src = page.file.src_uri
        generated = self.pages.get(src)
        if generated is None or page.file.generated_by is None:
            return self._name_search_dialog(output)
        if src in self._stored:
            entry = self._stored.pop(src)
            self.written.append(page.file.dest_uri)
            if not _last_post_page(config, self):  # another plugin still works on the text
                return unpack(entry).replace(FOOTER_MARK.encode(), self.footer.encode()
                                             ).decode("utf-8")
            # written as stored, by a thread (site/page_writer.py): decoding 10,000 pages to
            # text for MkDocs to encode again cost time and fragmented the heap
            self.writer.write(entry, self.footer, page.file.abs_dest_path)
            return ""  # MkDocs writes nothing for an empty page
        if src not in self._render:
            return ""  # another shard's page: nothing is written
        output = self._name_search_dialog(output)
        if src in self.later and self.site is not None:  # made now, one at a time
            generated = self.site.later_page(*self.later[src])
        rest = self._mask_free_text(page, _split_heading(generated.body)[1])
        # the theme's indentation is a tenth of a person's page; one space does the same
        final = _BETWEEN_TAGS.sub("> <", output.replace(BODY_MARKER, rest, 1))
        if src in self._keys:
            self.render_cache.put(self._keys.pop(src), final.replace(self.footer, FOOTER_MARK)
                                  if self.footer else final)
        self.written.append(page.file.dest_uri)
        return final

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        return self._name_search_dialog(output_content)  # the 404 page

    def _name_search_dialog(self, output: str) -> str:
        # the theme's search dialog has no name: screen readers announce an unnamed dialog
        label = "搜索" if self.config.lang != "en" else "Search"
        return output.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG[:-1]} aria-label="{label}">', 1)

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.writer.wait()  # every page written before the manifest hashes them
        site = Path(config.site_dir)
        removed = prune_theme_assets(site)
        log.debug("kpiledger: removed %d bytes of unused theme files", removed)
        if self.document is None or self.root is None:
            return
        # last, once every other file is final: results/ is what the site shows, one gzipped
        # document per period and an index (the public edition's projection when public);
        # manifest.json hashes every file so that anyone can verify the site (`kpi verify`),
        # however it was built
        config_file = Path(config.config_file_path or "mkdocs.yml").resolve()
        where = locate(config_file.parent)
        build = {"config": (where.prefix if where is not None else "") + config_file.name,
                 "lang": self.lang_override, **({"public": True} if self.config.public else {})}
        shards = split_document(self.document)
        if self.config.public and self.site is not None:  # what the public edition publishes
            ix = self.site.index  # projected one period at a time: never a second document
            shards = ((period, public_document(shard, ix.opt.site_key, ix.org, ix.opt.lang))
                      for period, shard in shards)
        write_manifest(site, self.root, shards, build, made=self.render_cache.period_file,
                       known=self.hashes if self.render_cache.folder is not None else None)

    def on_build_error(self, *, error: Exception) -> None:
        with contextlib.suppress(OSError):  # the build's own error is the one to report
            self.writer.wait()  # no thread writes into the folder `kpi build` removes

    def on_page_markdown(
        self, markdown: str, /, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        # The home page: the hand-written introduction, then the latest period at a glance.
        if page.file.src_uri == "index.md" and page.file.generated_by is None and self.site:
            return markdown + "\n\n" + self.site.home_section()
        return markdown


def _last_post_page(config: MkDocsConfig, plugin: LedgerPlugin) -> bool:
    """Whether this plugin's `on_post_page` is the last one MkDocs runs."""
    after = config.plugins.events.get("post_page") or []
    return bool(after) and getattr(after[-1], "__self__", None) is plugin


def _split_heading(body: str) -> tuple[str, str]:
    """The page's first heading (through its `</h1>`) and the rest; ("", body) without one."""
    end = body.find("</h1>")
    return (body[: end + 5], body[end + 5 :]) if end >= 0 else ("", body)
