"""The published site, built by the real `mkdocs build --strict` from a small ledger with hostile
text in a name, a comment and a deduction reason; and the git provenance behind it."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from material.plugins.search.plugin import Parser as SearchParser
from site_ledger import (
    COMPOUND_NAME,
    HOSTILE,
    SEARCH_NAME,
    build_site,
    make_example,
    make_ledger,
    write_config,
)

from kpiledger.git.provenance import file_provenance, pr_number
from kpiledger.pipeline import evaluate
from kpiledger.publish.public import mask_name
from kpiledger.publish.results import results_document
from kpiledger.site.assets import search_files_needed
from kpiledger.site.pages.alerts import period_attention
from kpiledger.site.pages.html import href, page_url, plain_title
from kpiledger.site.pages.index import SiteData, SiteIndex
from kpiledger.site.pages.scheme_text import when_text
from kpiledger.site.svg import bars_svg, trend_svg

ESCAPED = {
    "<script>alert(1)</script>": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<img src=x onerror=alert(1)>": "&lt;img src=x onerror=alert(1)&gt;",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    make_ledger(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    return root


@pytest.fixture(scope="module")
def public(built: Path) -> Path:
    done = build_site(write_config(built, public=True, site_dir="public-pub", name="pub.yml"))
    assert done.returncode == 0, done.stderr
    return built / "public-pub"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


class _Links(HTMLParser):
    """Collects hrefs/srcs, and the hrefs inside the primary navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.nav_links: list[str] = []
        self._nav_depth = 0  # >0 while inside <nav class="md-nav--primary">
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav" and (self._nav_depth or "md-nav--primary" in (a.get("class") or "")):
            self._nav_depth += 1
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key] or "")
                if self._nav_depth and key == "href":
                    self.nav_links.append(a[key] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


def links_of(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


PAGES = [
    "index.html",
    "submit/index.html",
    "rules/index.html",
    "periods/index.html",
    "periods/2026-03/index.html",
    "periods/2026-02/index.html",
    "units/index.html",
    "units/cs-team-1/index.html",
    "schemes/index.html",
    "schemes/cs-agent/index.html",
    "people/E1001/index.html",
    "people/E1002/index.html",
    "events/index.html",
    "audit/index.html",
    "assets/kpiledger.css",
]


def test_pages_exist_and_nothing_written_to_site_folder(built: Path) -> None:
    site = built / "public"
    for rel in PAGES:
        assert (site / rel).is_file(), rel
    hand_written = Path(__file__).resolve().parents[1] / "site"
    assert sorted(p.name for p in hand_written.iterdir()) == [
        "img", "index.en.md", "index.md", "submit.en.md", "submit.md"]
    # img/ holds only the guide's screenshots, which the browser test takes
    assert all(p.name.startswith("submit-") and p.suffix == ".png"
               for p in (hand_written / "img").iterdir())


def test_person_pages_are_not_in_the_nav(built: Path) -> None:
    site = built / "public"
    for rel in ("index.html", "periods/2026-03/index.html", "people/E1001/index.html"):
        nav = links_of(read(site, rel)).nav_links
        assert nav, rel
        assert not [x for x in nav if "people/" in x], rel
    period_nav = links_of(read(site, "periods/2026-03/index.html")).nav_links
    assert "../2026-02/" in period_nav and "../../schemes/" in period_nav


def test_internal_links_resolve(built: Path) -> None:
    site = built / "public"
    for page in site.rglob("*.html"):
        if page.name == "404.html":  # served at any depth, so the theme links it from "/"
            continue
        for link in links_of(page.read_text(encoding="utf-8")).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(site)} → {link}"


@pytest.mark.parametrize(
    "rel", ["people/E1001/index.html", "periods/2026-03/index.html", "index.html",
            "units/cs-team-1/index.html", "audit/index.html"]
)
def test_hostile_text_is_escaped(built: Path, rel: str) -> None:
    html = read(built / "public", rel)
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html.lower()
    assert ESCAPED["<script>alert(1)</script>"] in html or rel == "audit/index.html"


def test_hostile_name_comment_and_reason_show_literally(built: Path) -> None:
    html = read(built / "public", "people/E1001/index.html")
    name = "张三" + "".join(ESCAPED.get(x, x) for x in HOSTILE)
    assert name in html  # the name, every piece literal: [x](javascript:…), {{ config }}, …
    assert "评语" + ESCAPED["<script>alert(1)</script>"] in html  # the comment
    assert "迟到" + ESCAPED["<script>alert(1)</script>"] + "[x](javascript:alert(1))" in html
    assert "{{ config }}" in html and "{% raw %}" in html
    # The page title (printed unescaped by the theme) carries no markup characters at all.
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title and "<" not in title.group(1) and "&" not in title.group(1)
    audit = read(built / "public", "audit/index.html")
    assert "数据录入错误" + ESCAPED["<script>alert(1)</script>"] in audit


def test_search_index_has_people_and_no_raw_markup(built: Path) -> None:
    index = json.loads(read(built / "public", "search/search_index.json"))
    docs = index["docs"]
    assert any(d["location"].startswith("people/E1002/") for d in docs)
    text = json.dumps(docs, ensure_ascii=False)
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "\\u200b" in index["config"]["separator"] or "\u200b" in index["config"]["separator"]


def test_charts_are_inline_svg(built: Path) -> None:
    site = built / "public"
    person = read(site, "people/E1001/index.html")
    assert person.count('<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart"') == 1
    assert "<polyline" in person and "总分" in person and "考核期" in person
    period = read(site, "periods/2026-03/index.html")
    assert "<rect" in period and "等级分布" in period
    assert "<script src=" not in person.split("<footer")[0]  # no chart library


def test_derivation_provenance_and_money(built: Path) -> None:
    html = read(built / "public", "people/E1002/index.html")
    for label in ("输入", "适用规则", "得分", "贡献", "X ≥ 75%"):
        assert label in html
    assert "绩效工资" in html and "600.00" in html
    assert "Bob" in html and "#7" in html  # the merge that landed the late record
    assert "https://git.example.com/org/repo/blob/" in html
    period = read(built / "public", "periods/2026-03/index.html")
    assert "逾期提交" in period and "E1002.yaml" in period
    assert "2 / 3" in period or "1 / 3" in period


def test_person_page_has_one_derivation_table_with_a_row_per_period(built: Path) -> None:
    html = read(built / "public", "people/E1001/index.html")
    assert html.count('class="kpi-table kpi-derivation"') == 1
    # a heading row per period, newest first, with the total; the anchor stays linkable
    march, february = html.index('id="p-2026-03-cs-agent"'), html.index('id="p-2026-02-cs-agent"')
    assert march < february
    assert re.search(r'<tr id="p-2026-03-cs-agent"><th colspan="6">.*?— 总分 \d+\.\d\d', html)
    # a note sits under its item's inputs; a note on an unknown id still shows
    assert "<small>迟到</small>" in html
    assert "备注</strong> retired：旧指标的备注" in html
    # columns that say the same on every row are left out: all periods complete
    summary = html.split('id="derivation"')[0]
    assert "<th>状态" not in summary
    # a period's ranking links each person to that period's rows on their page
    period = read(built / "public", "periods/2026-03/index.html")
    assert 'href="../../people/E1002/#p-2026-03-cs-agent"' in period
    assert 'id="p-2026-03-cs-agent"' in read(built / "public", "people/E1002/index.html")


def test_kpi_build_lang_en_builds_the_site_in_english(built: Path) -> None:
    kpi = [sys.executable, "-m", "kpiledger", "build", "--config", str(built / "mkdocs.yml"),
           "--site-dir", str(built / "public-en"), "--lang", "en"]
    env = {**os.environ, "KPI_CACHE_DIR": str(built / "cache")}
    done = subprocess.run(kpi, cwd=built, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert "Site built" in done.stderr
    person = read(built / "public-en", "people/E1002/index.html")
    assert '<html lang="en"' in person and "Derivation" in person and "得分推导" not in person
    assert "Inquiry conversion rate" in person  # the item's title_en
    assert "支付率" in person  # no English title: the Chinese one, never nothing
    assert "Unit: " in person and "；" not in person.split('id="derivation"')[0]
    # the provenance of a period's records is one muted row
    assert person.count('class="kpi-prov"') == 2  # 2026-03 and 2026-02


def test_site_ships_only_the_theme_files_it_uses(built: Path) -> None:
    assets = built / "public" / "assets"
    assert not list(assets.rglob("*.map"))
    lunr = sorted(p.relative_to(assets / "javascripts" / "lunr").as_posix()
                  for p in (assets / "javascripts" / "lunr").rglob("*.js"))
    # search: [zh, en] (en needs no stemmer file), so zh, the shared support and multi
    assert lunr == ["min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js",
                    "min/lunr.zh.min.js"]


def test_search_files_needed() -> None:
    assert search_files_needed(["en"]) == {"min/lunr.stemmer.support.min.js"}
    assert search_files_needed(["ja", "th"]) == {
        "min/lunr.stemmer.support.min.js", "min/lunr.multi.min.js", "min/lunr.ja.min.js",
        "min/lunr.th.min.js", "tinyseg.js", "wordcut.js",
    }


def test_public_mode_masks_names_and_hides_money_and_comments(public: Path) -> None:
    # Generated pages only: the hand-written rules page may name 绩效工资 in words.
    generated = [p for p in public.rglob("*.html") if p.parts[-2] not in ("rules", "submit")]
    everything = "".join(p.read_text(encoding="utf-8") for p in generated)
    assert SEARCH_NAME not in everything and COMPOUND_NAME not in everything
    assert "李*" in everything and "欧阳**" in everything
    assert "张*" in everything
    for hidden in ("绩效工资", "600.00", "本月表现稳定", "评语&lt;script", "3月5日迟到"):
        assert hidden not in everything, hidden
    index = read(public, "search/search_index.json")
    assert SEARCH_NAME not in index and "本月表现稳定" not in index


def test_kpi_build_stops_on_errors(tmp_path: Path) -> None:
    make_ledger(tmp_path)
    config = write_config(tmp_path)
    bad = tmp_path / "ledger" / "2026-03" / "cs-team-1" / "E1002.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("payment: 93%", "payment: 93"),
                   encoding="utf-8")
    kpi = [sys.executable, "-m", "kpiledger", "build", "--config", str(config)]
    env = {**os.environ, "KPI_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run(kpi, cwd=tmp_path, capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 1, done.stderr
    assert "E1002.yaml" in done.stdout + done.stderr
    assert not (tmp_path / "public").exists()


# ---- units --------------------------------------------------------------------------------


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳锋锋") == "欧阳**"
    assert mask_name("王小明") == "王**"
    assert mask_name("Zhang San") == "Z**** ***"


def test_plain_title_and_href() -> None:
    assert plain_title("张三<script>") == "张三script"
    assert href("people/E1.md", "periods/2026-03.md") == "../../periods/2026-03/"
    assert href("index.md", "people/E1.md") == "people/E1/"
    assert href("periods/index.md", "index.md") == "../"
    assert href("audit.md", "index.md") == "../"
    assert href("people/E1.md", "index.md", directory_urls=False) == "../index.html"


def test_href_by_folder_is_posixpaths_relpath_for_every_pair() -> None:
    """Links are cached by the target's folder (10,000 people's pages share one); every pair
    of pages, in both URL styles, gets what posixpath.relpath says (the MkDocs layout)."""
    pages = ["index.md", "audit.md", "people/index.md", "people/E1.md", "people/E2.md",
             "people/E1/notes.md", "units/index.md", "units/cs.md", "units/cs/team.md",
             "periods/2026-03.md", "periods/index.md", "p.md", "pe/ople.md"]
    for directory_urls in (True, False):
        for a, b in ((a, b) for a in pages for b in pages):
            url_a, url_b = page_url(a, directory_urls), page_url(b, directory_urls)
            base = url_a.rsplit("/", 1)[0] if "/" in url_a else ""
            want = posixpath.relpath(url_b.rstrip("/") or ".", base or ".")
            if url_b.endswith("/") or url_b == "":
                want = want.rstrip("/") + "/"
            assert href(a, b, directory_urls) == want, (a, b, directory_urls)


def test_svg_escapes_and_is_fast() -> None:
    svg = trend_svg([("<b>", 50.0), ("2026-02", None), ("2026-03", 80.0)], title="<x>")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&lt;x&gt;" in svg
    assert bars_svg([("优秀", 3), ("<i>", 0)]).count("<rect") == 2
    points = [(f"2025-{m:02d}", 60.0 + m) for m in range(1, 13)] * 2
    started = time.perf_counter()
    for _ in range(1000):
        trend_svg(points, title="趋势")
    per_chart_ms = (time.perf_counter() - started)  # seconds for 1000 = ms per chart
    assert per_chart_ms < 2.0, f"{per_chart_ms:.3f} ms per trend chart"


def _git(repo: Path, *args: str, author: str = "Alice", date: str | None = None) -> None:
    env = dict(os.environ)
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-c", f"user.name={author}", "-c", f"user.email={author}@x.org",
                    *args], cwd=repo, check=True, capture_output=True, env=env)


def test_provenance_from_one_first_parent_log(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    ledger = repo / "ledger"
    (ledger / "2026-03" / "t").mkdir(parents=True)
    (repo / "README").write_text("outside the ledger\n")
    (ledger / "org.yaml").write_text("company: x\n")
    (ledger / "2026-03" / "t" / "E1.yaml").write_text("a: 1\n")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "initial", author="Alice", date="2026-03-01T10:00:00+08:00")
    _git(repo, "checkout", "-q", "-b", "feature")
    (ledger / "2026-03" / "t" / "E1.yaml").write_text("a: 2\n")
    (ledger / "2026-03" / "t" / "E2.yaml").write_text("b: 1\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "Records of team t", author="Bob",
         date="2026-04-02T10:00:00+08:00")
    _git(repo, "checkout", "-q", "main")
    _git(repo, "merge", "-q", "--no-ff", "feature", "-m", "Merge pull request #7 from x/y",
         author="Carol", date="2026-04-03T09:00:00+08:00")
    (ledger / "org.yaml").write_text("company: y\n")
    _git(repo, "commit", "-q", "-am", "Rename the company (#9)", author="Bob",
         date="2026-04-04T09:00:00+08:00")

    prov = file_provenance(ledger)
    assert set(prov) == {"org.yaml", "2026-03/t/E1.yaml", "2026-03/t/E2.yaml"}
    e1 = prov["2026-03/t/E1.yaml"]
    assert e1.repo_path == "ledger/2026-03/t/E1.yaml"
    assert e1.added.author == "Alice" and e1.added.pr is None
    assert e1.changed.subject.startswith("Merge pull request #7") and e1.changed.pr == 7
    assert e1.changed.date.startswith("2026-04-03T09:00:00")  # when it landed on main
    e2 = prov["2026-03/t/E2.yaml"]
    assert e2.added == e2.changed and e2.added.pr == 7
    org = prov["org.yaml"]
    assert org.added.author == "Alice" and org.changed.author == "Bob" and org.changed.pr == 9


def test_provenance_outside_git_is_empty(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text("company: x\n")
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path.parent)
    try:
        assert file_provenance(tmp_path) == {}
    finally:
        if env_ceiling is None:
            os.environ.pop("GIT_CEILING_DIRECTORIES")
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling


def test_pr_number() -> None:
    assert pr_number("Merge pull request #12 from a/b") == 12
    assert pr_number("Add March records (#34)") == 34
    assert pr_number("Fix #5 typo") is None


def test_scheme_page_lists_its_readings_of_the_source(built: Path) -> None:
    # the corpus's cs-agent.yaml states one reading (readings:); the page lists it under
    # 对原文的解读 with the item, the quoted words (escaped), the reading, the alternative, why
    page = read(built / "public", "schemes/cs-agent/index.html")
    assert "对原文的解读" in page
    assert "“85%≤F&lt;92% &lt;b&gt;80&lt;/b&gt;”" in page and "<b>80" not in page
    assert "恰好 85% 得 80 分" in page and "恰好 85% 属下一档" in page and "原文写明 ≤。" in page


def test_rule_conditions_say_which_side_their_boundary_is_on() -> None:
    assert when_text({"total_below": 35}, "zh") == "总分 < 35（不含 35）"
    assert when_text({"rank_bottom": 3}, "zh") == "组内倒数名次 ≤ 3（并列者同名次，均计）"
    assert when_text({"rank_top": 3}, "en") == "place ≤ 3 in the group (tied people share a place)"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example")
    make_example(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    return root / "public"


def test_first_screen_warns_the_reader(example: Path) -> None:
    """The example ledger: 刘洋 (E1104) last three times and 赵敏 (E1203) under 35 twice are
    eliminated in 2026-06; 赵敏 was also last twice (2026-05, 2026-06), one short of 淘汰."""
    person = read(example, "people/E1203/index.html")
    summary = person[person.index('class="kpi-summary"'):]
    summary = summary[: summary.index("</section>")]
    assert "再一次倒数第一（2026-07）将淘汰" in summary
    assert "连续两次低于 35 分 → 淘汰" in summary
    assert re.search(r'kpi-badge-fail"[^>]*>不合格<', summary)
    assert re.search(r'kpi-badge-warn"[^>]*>预警·淘汰<', summary)
    # the summary comes before the chart, the events before the derivations
    assert person.index("kpi-summary") < person.index("kpi-figure")
    assert person.index('id="events"') < person.index('id="derivation"')
    # the chart marks the rule's 35 points
    assert 'stroke-dasharray="6 4"' in person and ">35</text>" in person
    period = read(example, "periods/2026-06/index.html")
    attention = period[period.index('id="attention"'): period.index('id="distribution"')]
    assert "E1104" in attention and "E1203" in attention
    assert attention.count("kpi-alert-event") == 2 and attention.count("kpi-alert-warn") == 1
    # the ranking: colour and words on the rows that need them
    ranking = period[period.index('class="kpi-table kpi-ranking'):]
    assert re.search(r'kpi-badge-event"[^>]*>淘汰<', ranking)
    assert re.search(r'kpi-badge-fail"[^>]*>不合格<', ranking)
    unit = read(example, "units/cs-team-2/index.html")
    assert unit.count("kpi-chart") >= 3 and 'class="kpi-multiples"' in unit


def test_the_home_page_lists_the_first_of_a_long_attention_list(example: Path) -> None:
    """At 10,000 people a period needs attention for a thousand: the home page shows the
    first lines, events first, and links to the period's whole list; every item is closed
    (the search index's parser rescans the open ones for each piece of text)."""
    evaluation = evaluate(example.parent / "ledger", use_cache=False)
    ix = SiteIndex(SiteData(results_document(evaluation.results), evaluation.ledger,
                            dict(evaluation.provenance), True))
    whole = period_attention(ix, "index.md", "2026-06", level=3)
    assert whole.count("<li") == whole.count("</li>") == 3 and "另有" not in whole
    first = period_attention(ix, "index.md", "2026-06", level=3, limit=1)
    assert first.count("kpi-alert-event") == 1 and "kpi-alert-warn" not in first
    assert '<a href="periods/2026-06/#attention">另有 2 项，见本期页面</a></li>' in first
    assert first.count("<li") == first.count("</li>") == 2
    home = read(example, "index.html")  # the example's three lines: all on its home page
    assert home.count("kpi-alert-") == 3 and "另有" not in home
    # the home page is the one whose content the search plugin parses (the generated pages
    # give it their heading): every tag it opens there is closed, so its stack stays short
    article = home[home.index("<article"): home.rindex("</article>") + len("</article>")]
    parser = SearchParser()
    parser.feed(article)
    parser.close()
    assert parser.context == []


def test_events_page_by_period_newest_first_rule_text_once(example: Path) -> None:
    page = read(example, "events/index.html")
    events = page[page.index('id="all-events"'):]
    # newest first
    assert events.index('id="e-2026-06"') < events.index('id="e-2026-05"')
    # the rule's text once in 2026-06 although it fired... and what triggered it
    june = events[events.index('id="e-2026-06"'): events.index('id="e-2026-05"')]
    assert june.count("连续三次分数倒数第一，淘汰") == 1
    assert "2026-04 总分 50.00（第 4/4 名）、2026-05 总分 63.00（第 4/4 名）" in june
    warnings = page[page.index('id="warnings"'): page.index('id="all-events"')]
    assert 'id="e-w-2026-07"' in warnings and "再有一次倒数第一（2026-07）将触发：淘汰" in warnings
