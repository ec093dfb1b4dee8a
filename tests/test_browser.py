"""The built site in a real browser: Debian's chromium, headless, driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium (`make deps-system` installs
it). Pages are served by `python -m http.server` on 127.0.0.1 and a free port. Screenshots go
to tests/artifacts/screenshots/ (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: run `make deps-system` (apt-get install chromium)",
                allow_module_level=True)

from playwright.sync_api import ConsoleMessage, Dialog, Page, Request, sync_playwright  # noqa: E402
from site_ledger import (  # noqa: E402
    SEARCH_NAME,
    build_site,
    make_example,
    make_ledger,
    serve,
    write_config,
)

SHOTS = Path(__file__).parent / "artifacts" / "screenshots"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    make_ledger(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    yield from serve(root / "public")


@pytest.fixture(scope="module")
def browser_page(base_url: str) -> Iterator[tuple[Page, dict[str, list[str]]]]:
    problems: dict[str, list[str]] = {"console": [], "failed": [], "dialogs": [], "http": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")

        def on_console(msg: ConsoleMessage) -> None:
            if msg.type == "error":
                problems["console"].append(f"{page.url}: {msg.text}")

        def on_failed(req: Request) -> None:
            problems["failed"].append(f"{req.url}: {req.failure}")

        def on_dialog(dialog: Dialog) -> None:
            problems["dialogs"].append(dialog.message)
            dialog.dismiss()

        def on_response(resp) -> None:  # type: ignore[no-untyped-def]
            if resp.url.startswith(base_url) and resp.status >= 400:
                problems["http"].append(f"{resp.status} {resp.url}")

        page.on("console", on_console)
        page.on("requestfailed", on_failed)
        page.on("dialog", on_dialog)
        page.on("response", on_response)
        page.on("pageerror", lambda e: problems["console"].append(f"{page.url}: {e}"))
        yield page, problems
        browser.close()


PAGES = {
    "home": "",
    "period": "periods/2026-03/",
    "person": "people/E1001/",
    "scheme": "schemes/cs-agent/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly(
    name: str, base_url: str, browser_page: tuple[Page, dict[str, list[str]]]
) -> None:
    page, problems = browser_page
    for key in problems:
        problems[key].clear()
    page.goto(base_url + PAGES[name], wait_until="networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)
    assert not problems["console"], problems["console"]
    assert not problems["failed"], problems["failed"]
    assert not problems["http"], problems["http"]
    assert not problems["dialogs"], problems["dialogs"]
    # Every internal link on the page answers (no broken links).
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    internal = sorted({h.split("#")[0] for h in hrefs if h.startswith(base_url)})
    for link in internal:
        with urlopen(link, timeout=5) as resp:
            assert resp.status == 200, link


def test_hostile_text_shows_literally(
    base_url: str, browser_page: tuple[Page, dict[str, list[str]]]
) -> None:
    page, problems = browser_page
    problems["dialogs"].clear()
    page.goto(base_url + "people/E1001/", wait_until="networkidle")
    heading = page.locator("article h1").first.inner_text()
    assert "<script>alert(1)</script>" in heading
    assert "<img src=x onerror=alert(1)>" in heading
    assert "[x](javascript:alert(1))" in heading and "{{ config }}" in heading
    body = page.locator("article").inner_text()
    assert "评语<script>alert(1)</script>" in body  # the comment
    assert "迟到<script>alert(1)</script>[x](javascript:alert(1))" in body  # deduction reason
    assert page.locator("article script").count() == 0
    assert page.locator("article img").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    page.wait_for_timeout(300)
    assert not problems["dialogs"]


def test_search_finds_a_person_by_chinese_name(
    base_url: str, browser_page: tuple[Page, dict[str, list[str]]]
) -> None:
    page, problems = browser_page
    page.goto(base_url, wait_until="networkidle")
    box = page.locator("input.md-search__input")
    box.click()  # on a wide screen the search box sits in the header
    box.fill(SEARCH_NAME)
    result = page.locator(".md-search-result__item a[href*='people/E1002']")
    # The theme searches on key events (an IME's keyup); fill() inserts text without one, so
    # press a harmless key, again until the search worker has loaded its index.
    for _ in range(30):
        box.press("End")
        if result.count():
            break
        page.wait_for_timeout(500)
    result.first.wait_for(timeout=5000)
    page.screenshot(path=str(SHOTS / "search.png"), full_page=False)
    result.first.click()
    page.wait_for_url("**/people/E1002/**")
    assert SEARCH_NAME in page.locator("article h1").first.inner_text()
    assert not problems["dialogs"]


# ---------------------------------------------------------------- as each reader sees it

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
KINDS = {
    "home": "",
    "periods": "periods/",
    "period": "periods/2026-06/",
    "person": "people/E1203/",
    "unit": "units/cs-team-2/",
    "scheme": "schemes/cs-agent/",
    "events": "events/",
    "rules": "rules/",
    "audit": "audit/",
    "form": "forms/2026-05/cs-gs/",  # a submission form (tests/test_browser_submit.py fills it)
}
WIDTHS = (1366, 390)


@pytest.fixture(scope="module")
def example_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's example ledger (events and a warning in 2026-06), served."""
    root = tmp_path_factory.mktemp("example-browser")
    make_example(root)
    done = build_site(write_config(root))
    assert done.returncode == 0, done.stderr
    yield from serve(root / "public")


@pytest.fixture(scope="module")
def browser(browser_page: tuple[Page, dict[str, list[str]]]) -> Any:
    """The module's one Chromium (two Playwright drivers cannot share a thread)."""
    return browser_page[0].context.browser


# the key columns of a ranking: rank, name, total, grade, flags
OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const t of document.querySelectorAll('.kpi-ranking table')) {
    for (const row of t.querySelectorAll('tr')) {
      [...row.children].slice(0, 5).forEach(c => {
        const r = c.getBoundingClientRect();
        if (r.right > w + 1) out.push(c.textContent);
      });
    }
  }
  const page = document.documentElement.scrollWidth;
  if (page > w + 1) out.push('page ' + page);
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", list(KINDS))
def test_every_page_kind_reads_at_both_widths(
    kind: str, width: int, example_url: str, browser: Any
) -> None:
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 900},
                            locale="zh-CN")
    try:
        page.goto(example_url + KINDS[kind], wait_until="networkidle")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{kind}-{width}.png"), full_page=False)
        assert page.evaluate(OVERFLOW_JS) == []  # nothing key is pushed off the screen
        fold = page.viewport_size["height"] if page.viewport_size else 900
        if kind == "person":
            summary = page.locator(".kpi-summary")
            box = summary.bounding_box()
            assert box is not None and box["y"] < fold  # the summary is on the first screen
            text = summary.inner_text()
            assert "再一次倒数第一（2026-07）将淘汰" in text
            assert page.locator(".kpi-summary .kpi-badge-fail").first.inner_text() == "不合格"
        if kind == "period":
            box = page.locator("#attention").bounding_box()
            assert box is not None and box["y"] < fold
            assert page.locator(".kpi-attention .kpi-alert-warn").count() == 1
            ranking = " ".join(page.locator(".kpi-ranking").all_inner_texts())
            assert "淘汰" in ranking and "不合格" in ranking  # words, not only colour
        if kind == "unit":
            assert page.locator(".kpi-multiples figure").count() >= 3
        if kind == "audit":  # how to verify, on the first screen; late ones folded by period
            box = page.locator("#verify").bounding_box()
            assert box is not None and box["y"] < fold
            assert page.locator("details[open]").count() == 1
            assert "Asia/Shanghai" in page.locator("article").inner_text()
    finally:
        page.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: `make test` runs npm ci")
@pytest.mark.parametrize("kind", list(KINDS))
def test_no_serious_accessibility_violation(kind: str, example_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    try:
        page.goto(example_url + KINDS[kind], wait_until="networkidle")
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3)"
            ".map(n => n.target.join(' '))}))"
        )
        bad = [v for v in found if v["impact"] in ("serious", "critical")]
        assert bad == [], bad
    finally:
        page.close()


# every cell of the derivation table, and the table itself, inside the phone's width
DERIVATION_JS = """() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const wrap of document.querySelectorAll('.kpi-derivation')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1)
      out.push('scrolls ' + wrap.scrollWidth + ' > ' + wrap.clientWidth);
    for (const c of wrap.querySelectorAll('td, tbody th')) {
      const r = c.getBoundingClientRect();
      if (r.right > w + 1 || r.left < -1) out.push(c.textContent.slice(0, 40));
    }
  }
  return out;
}"""


def test_derivation_rows_stack_on_a_phone(example_url: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page.goto(example_url + "people/E1203/", wait_until="networkidle")
        first = page.locator(".kpi-derivation tbody tr:has(td:not([colspan]))").first
        first.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "derivation-390.png"), full_page=False)
        assert page.evaluate(DERIVATION_JS) == []
        # stacked: the item, inputs and rule sit one under another, each with its label
        cells = first.locator("td")
        boxes = [cells.nth(i).bounding_box() for i in range(3)]
        assert all(b is not None for b in boxes)
        assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]  # type: ignore[index]
        labels = [
            cells.nth(i).evaluate("c => getComputedStyle(c, '::before').content")
            for i in range(6)
        ]
        assert labels == ['"指标"', '"输入"', '"适用规则"', '"得分"', '"权重/满分"', '"贡献"']
        # and the wide screen keeps the table: one row, six cells side by side, no labels
        page.set_viewport_size({"width": 1366, "height": 900})
        assert cells.nth(0).evaluate("c => getComputedStyle(c, '::before').content") == "none"
        wide = [cells.nth(i).bounding_box() for i in range(3)]
        assert wide[0]["y"] == wide[1]["y"] == wide[2]["y"]  # type: ignore[index]
    finally:
        page.close()
