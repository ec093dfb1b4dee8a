"""A generated page's MkDocs `Page` that skips Markdown for an empty body.

The plugin gives MkDocs each generated page as front matter only (title, `hide: [toc]`); its
body is finished HTML put in place later (`plugin.on_page_content`, `on_post_page`). MkDocs
still builds a Markdown converter with every configured extension per page to turn that empty
text into empty HTML: at 10,000 person pages, a sixth of a build after a ten-record change.
`EmptyBodyPage.render` gives what that conversion gives for blank Markdown (Python-Markdown
returns "" before any processor runs: no table of contents, no title, no anchors, no links)
and leaves any page with Markdown left to MkDocs.

Used only for pages outside the nav: MkDocs would name a nav page by its nav title, which a
page made before the nav is not given.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

_MKDOCS_PAGES = logging.getLogger("mkdocs.structure.pages")  # the logger Page.render reads


class EmptyBodyPage(Page):
    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None or self.markdown.strip():
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        if _MKDOCS_PAGES.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {}
