"""The example site served under a sub-path, as GitHub Pages serves a project site
(`https://org.github.io/repo/`), in Debian's Chromium: a missing page gets the Chinese 404 with
its styles, a working link home and the search; search finds a person by given name alone.

The server is Python's http.server with one change GitHub Pages also makes: a missing file
answers 404 with the site's `404.html`."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: run `make deps-system` (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402
from site_ledger import build_site, make_example, write_config  # noqa: E402

SHOTS = Path(__file__).parent / "artifacts" / "screenshots"
SUB = "repo"
# each style sheet and script of the page, with the HTTP status it was loaded with
ASSETS_JS = """() => [...document.querySelectorAll('link[rel=stylesheet], script[src]')]
  .map(e => e.href || e.src)
  .map(u => [u, (performance.getEntriesByName(u)[0] || {}).responseStatus || 0])"""


class _PagesHandler(SimpleHTTPRequestHandler):
    not_found: bytes = b""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        if code != 404 or not self.not_found:
            super().send_error(code, message, explain)
            return
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.not_found)))
        self.end_headers()
        self.wfile.write(self.not_found)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: no line per request
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("subpath")
    make_example(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    served = root / "srv"
    shutil.copytree(root / "public", served / SUB)
    handler = type("Handler", (_PagesHandler,),
                   {"not_found": (served / SUB / "404.html").read_bytes()})
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 partial(handler, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{SUB}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(site_url: str) -> Iterator[Any]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


def _search(page: Page, text: str, selector: str) -> Any:
    """Type into the header's search box; the first result matching `selector`."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(text)
    result = page.locator(f".md-search-result__item a{selector}")
    for _ in range(30):  # the worker loads the index first; a key event starts the search
        box.press("End")
        if result.count():
            break
        page.wait_for_timeout(300)
    return result.first


@pytest.mark.parametrize("missing", ["nope", "people/E9999/", "periods/2099-01/x.html"])
def test_404_under_a_sub_path(missing: str, site_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        answer = page.goto(site_url + missing, wait_until="networkidle")
        assert answer is not None and answer.status == 404
        assert page.locator("article h1").inner_text() == "页面不存在"
        # every style sheet and script is the site's own, under /repo/, and loaded. (Chromium's
        # preload scanner also asks for them beside the missing address before the page's
        # first script sets <base>: those answer 404 and are never used; site_url avoids them.)
        assets = page.evaluate(ASSETS_JS)
        assert len(assets) >= 3
        assert [a for a in assets if not a[0].startswith(site_url) or a[1] != 200] == []
        # styled: the theme's header has its colour, not an unstyled page
        colour = page.evaluate("getComputedStyle(document.querySelector('.md-header'))"
                               ".backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent")
        home = page.get_by_role("link", name="返回首页")
        assert home.evaluate("a => a.href") == site_url
        tabs = page.eval_on_selector_all(".md-tabs a", "els => els.map(e => e.href)")
        assert tabs and all(t.startswith(site_url) for t in tabs)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"404-{missing.split('/')[0]}.png"))
        home.click()
        page.wait_for_load_state("networkidle")
        assert page.url == site_url and page.locator("article h1").count() == 1
    finally:
        page.close()


def test_search_from_the_404_page_and_by_given_name(site_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        page.goto(site_url + "people/E9999/", wait_until="networkidle")
        # 晓燕 alone finds 张晓燕 (E1101 in the example ledger's org.yaml)
        result = _search(page, "晓燕", "[href*='people/E1101']")
        result.wait_for(timeout=5000)
        assert result.evaluate("a => a.href").startswith(site_url + "people/E1101/")
        page.screenshot(path=str(SHOTS / "search-given-name.png"))
        result.click()
        page.wait_for_url("**/repo/people/E1101/**")
        assert page.locator("article h1").first.inner_text().startswith("张晓燕")
        # the search-only given name is not shown on the page
        assert "晓燕 晓燕" not in page.locator("article h1").first.inner_text()
    finally:
        page.close()


AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: `make test` runs npm ci")
def test_404_has_no_serious_accessibility_violation(site_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        page.goto(site_url + "people/E9999/", wait_until="networkidle")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact}))"
        )
        assert [v for v in found if v["impact"] in ("serious", "critical")] == []
    finally:
        page.close()
