"""`EmptyBodyPage` (site/empty_page.py) skips MkDocs' Markdown conversion for a generated
page whose Markdown is only front matter: with real MkDocs objects and the example site's
Markdown extensions, it leaves the page exactly as MkDocs' own `Page.render` does."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from kpiledger.site.empty_page import EmptyBodyPage


def _rendered(kind: type[Page], content: str, tmp_path: Path) -> Page:
    (tmp_path / "docs").mkdir(exist_ok=True)
    cfg_file = tmp_path / "mkdocs.yml"
    cfg_file.write_text(
        "site_name: t\ndocs_dir: docs\nmarkdown_extensions: [toc, attr_list, md_in_html, "
        "admonition, pymdownx.superfences]\n", encoding="utf-8")
    config = load_config(str(cfg_file))
    (tmp_path / "docs" / "people").mkdir(exist_ok=True)
    (tmp_path / "docs" / "people" / "E1.md").write_text(content, encoding="utf-8")
    file = File("people/E1.md", config.docs_dir, config.site_dir, config.use_directory_urls,
                inclusion=InclusionLevel.NOT_IN_NAV)
    page = kind(None, file, config)
    page.read_source(config)
    page.render(config, Files([file]))
    return page


def _state(page: Page) -> tuple[object, ...]:
    toc = [(x.title, x.url, x.level, len(x.children)) for x in page.toc]
    return (page.content, toc, page.title, page.present_anchor_ids,
            page.links_to_anchors, page.meta)


def test_an_empty_body_is_left_as_mkdocs_renders_it(tmp_path: Path) -> None:
    front = '---\ntitle: "\\u5f20\\u4e09 E1"\nhide: [toc]\n---\n'
    ours = _rendered(EmptyBodyPage, front, tmp_path)
    theirs = _rendered(Page, front, tmp_path)
    assert _state(ours) == _state(theirs)
    assert ours.content == "" and ours.title == "张三 E1"


def test_a_page_with_markdown_is_still_converted(tmp_path: Path) -> None:
    text = "---\ntitle: x\n---\n# Heading\n\nA *word*.\n"
    ours = _rendered(EmptyBodyPage, text, tmp_path)
    assert _state(ours) == _state(_rendered(Page, text, tmp_path))
    assert "<em>word</em>" in (ours.content or "") and ours.present_anchor_ids == {"heading"}
