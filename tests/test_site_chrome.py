"""What the theme shows around the pages, from real `mkdocs build --strict` runs: the footer
(the ledger's owner and the build's commit), the 404 page in the site's language with links
that work under a sub-path, no absolute link anywhere else, and search by given name — never
a full name in the public edition's search index."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from site_ledger import COMPOUND_NAME, build_site, make_ledger, write_config

from kpiledger.publish.public import given_name
from kpiledger.site.chrome import top_level_names

ABSOLUTE = re.compile(r'(?:href|src)="/(?!/)')


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("chrome")
    make_ledger(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    return root


def _head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_footer_names_the_owner_and_the_commit_in_chinese(root: Path) -> None:
    home = (root / "public" / "index.html").read_text(encoding="utf-8")
    footer = home[home.index('<div class="md-copyright">'):home.index("</footer>")]
    sha = _head(root)
    # the company of the org chart (tests/corpus/base/org.yaml), the build's commit linked
    # from repo_url_files (…/blob/ → …/commit/<sha>)
    assert "<strong>测试商贸有限公司</strong>" in footer
    assert f'<a href="https://git.example.com/org/repo/commit/{sha}"><code>{sha[:8]}</code></a>' \
        in footer
    assert "本站由提交" in footer and "使用" in footer
    assert "Made with" not in footer


def test_404_is_chinese_with_home_and_search_and_no_absolute_link(root: Path) -> None:
    page = (root / "public" / "404.html").read_text(encoding="utf-8")
    assert "<h1>页面不存在</h1>" in page and "返回首页" in page
    assert '<label for="__search"' in page and "404 - Not found" not in page
    assert not ABSOLUTE.findall(page)  # relative to the <base> its script sets
    assert 'document.createElement("base")' in page and '"people"' in page


def test_no_page_links_from_the_server_root(root: Path) -> None:
    """Every link and asset of every built page is relative: the site works under a sub-path."""
    found = {
        str(p.relative_to(root / "public")): ABSOLUTE.findall(p.read_text(encoding="utf-8"))
        for p in (root / "public").rglob("*.html")
    }
    assert len(found) > 20
    assert {k: v for k, v in found.items() if v} == {}


def test_404_with_site_url_uses_its_path_and_no_script(root: Path) -> None:
    config = write_config(root, site_dir="public-url", name="url.yml")
    text = config.read_text(encoding="utf-8")
    config.write_text("site_url: https://org.example.io/repo/\n" + text, encoding="utf-8")
    done = build_site(config)
    assert done.returncode == 0, done.stderr
    page = (root / "public-url" / "404.html").read_text(encoding="utf-8")
    assert 'href="/repo/assets/stylesheets/' in page and 'href="/repo/periods/"' in page
    assert "createElement" not in page and "页面不存在" in page


def test_search_finds_a_given_name_and_the_public_edition_no_full_name(root: Path) -> None:
    index = json.loads((root / "public" / "search" / "search_index.json").read_text("utf-8"))
    heading = next(d for d in index["docs"] if d["location"] == "people/E1004/#person")
    # 欧阳明月: compound surname 欧阳, given name 明月, a word of its own
    assert "\u200b明月\u200b" in heading["title"] or " 明月" in heading["title"]
    done = build_site(write_config(root, public=True, site_dir="public-pub", name="pub.yml"))
    assert done.returncode == 0, done.stderr
    docs = json.loads((root / "public-pub" / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(d["title"] + " " + d["text"] for d in docs["docs"]).replace("\u200b", "")
    names = re.findall(r"name: ([\u4e00-\u9fff]{2,5})[,}]",
                       (root / "ledger" / "org.yaml").read_text(encoding="utf-8"))
    people = [n for n in names if not n.endswith(("部", "组", "司", "中心"))]
    assert COMPOUND_NAME in people and len(people) > 5
    assert [n for n in people if n in text] == []  # no full name leaks
    # the person's heading holds the masked name only: no given name, no id (publish.public)
    masked = [d["title"].replace("\u200b", "").split() for d in docs["docs"]
              if d["location"].endswith("/#person") and "欧阳" in d["title"]]
    assert masked == [["欧阳**"]]


def test_given_name_and_top_level_names() -> None:
    assert given_name("张晓燕") == "晓燕"
    assert given_name("欧阳明月") == "明月"
    assert given_name("王磊") == "磊"
    assert given_name("Zhang San") == "" and given_name("张") == ""
    assert top_level_names(["index.md", "audit.md", "periods/2026-03.md", "assets/x.css"]) == [
        "assets", "audit", "audit.html", "periods"]


def test_english_edition_english_pages_404_and_footer(root: Path) -> None:
    kpi = [sys.executable, "-m", "kpiledger", "build", "--config", str(root / "mkdocs.yml"),
           "--site-dir", str(root / "public-en"), "--lang", "en"]
    env = {**os.environ, "KPI_CACHE_DIR": str(root / "cache")}
    done = subprocess.run(kpi, cwd=root, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    site = root / "public-en"
    home = (site / "index.html").read_text(encoding="utf-8")
    # site/index.en.md in index.md's place, the generated part still below it
    assert "<h1 id=\"performance-assessment-results\">Performance assessment results</h1>" in home
    assert "绩效考核公示" not in home and 'id="latest"' in home
    submit = (site / "submit" / "index.html").read_text(encoding="utf-8")
    assert "How to submit an assessment" in submit and "如何提交考核" not in submit
    assert not (site / "index.en").exists() and not (site / "submit.en").exists()
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page not found</h1>" in page and "Back to the home page" in page
    assert "built from commit" in home and "本站由提交" not in home
    # the scorer's rule texts in English (score/rule_en.py); pass/fail inputs in words
    person = (site / "people" / "E1002" / "index.html").read_text(encoding="utf-8")
    derivation = person[person.index('class="kpi-table kpi-derivation"'):]
    assert "scored directly" in derivation and " pts" in derivation
    assert "直接评分" not in derivation and not re.search(r"\d分", derivation)
    # the Chinese edition builds no page from the English files
    assert not (root / "public" / "index.en").exists()
