"""Submitting a unit's month with only a browser (issue 15, item 5), up to the forge's door.

The example ledger (with its schemas beside it, as in the repository) is committed to a real
git repository and its site built by `mkdocs build`; Debian's Chromium opens the submission
page of an open period and unit and fills the form as a person would. What the page produces
is written into a clone of the ledger and must pass `kpi check`, and must equal byte for byte
what the command line writes: `kpi new` for the unit, the same values set with ruamel, then
`kpi fmt`. The screenshots of site/submit.md (site/img/submit-*.png) are taken here: into
tests/artifacts/submit/ on every run, and into the guide with KPI_UPDATE_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("no /usr/bin/chromium: run `make deps-system` (apt-get install chromium)",
                allow_module_level=True)

from conftest import kpi  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from site_ledger import build_site, make_example, serve, write_config  # noqa: E402

from kpiledger.authoring.submit_data import yaml_scalar  # noqa: E402
from kpiledger.authoring.yamlio import dump_rt, flow, load_rt  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GUIDE_IMG = ROOT / "site" / "img"  # the guide's screenshots (site/submit.md)
# and the copy `kpi init` starts a repository with (test_init keeps the two the same)
SHOTS = ROOT / "tests" / "artifacts" / "submit"
TEMPLATE_IMG = ROOT / "src" / "kpiledger" / "templates" / "repo" / "site" / "img"
REPO = "https://github.com/example/kpi-ledger"
PERIOD = "2026-05"  # open in the example ledger
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# What a department head types, per unit: (the control's input kind) → per record k the text
# typed and the value the ledger must hold. Levels are picked by their label; the value of a
# numeric level is the number, as `kpi import` writes a numeric cell.
TYPED: dict[str, Any] = {
    "count": lambda k: (str(20 + k), 20 + k),
    "number": lambda k: (("12.50", 12.5), ("-50", -50), ("0", 0))[k % 3],
    "percent": lambda k: (("93.50", "93.5%"), ("88%", "88%"), ("100 %", "100%"))[k % 3],
}
COMMENTS = ["本月表现稳定 #1：继续保持", "按时完成", None, "it's: fine"]


@pytest.fixture(scope="module")
def ledger_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding the example ledger and its schemas (as the repository lays
    them out), committed."""
    root = tmp_path_factory.mktemp("submit")
    make_example(root)
    shutil.copytree(ROOT / "schemas", root / "schemas")
    for args in (["add", "schemas"], ["-c", "user.name=Alice", "-c", "user.email=a@example.com",
                                      "commit", "-q", "-m", "schemas"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


@pytest.fixture(scope="module")
def site_url(ledger_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("submit-site")
    config = write_config(ledger_repo, site_dir=str(out / "public"))
    config.write_text(config.read_text(encoding="utf-8") + f"repo_url: {REPO}\n",
                      encoding="utf-8")
    done = build_site(config)
    assert done.returncode == 0, done.stderr
    yield from serve(out / "public")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _open(browser: Browser, url: str, width: int) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 844 if width < 600 else 900},
                            locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # the theme asks the forge's API for the repository's stars: no network here, so only
    # failures on our own server count
    page.on("requestfailed",
            lambda r: errors.append(r.url) if r.url.startswith(url.split("forms/")[0]) else None)
    page.goto(url, wait_until="networkidle")
    return page, errors


def _shot(page: Page, name: str) -> None:
    """A small PNG for the guide: the screen as shown, in 64 colours, into tests/artifacts/;
    with KPI_UPDATE_SCREENSHOTS=1 also into the guide and the `kpi init` template (a run
    does not otherwise change tracked files: the pixels differ slightly from run to run)."""
    from PIL import Image

    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    page.screenshot(path=str(path), full_page=False)
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=64)
    small.save(path, optimize=True)
    if os.environ.get("KPI_UPDATE_SCREENSHOTS") == "1":
        for folder in (GUIDE_IMG, TEMPLATE_IMG):
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / name)


def _fill(page: Page, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Fill every record of the page as a person would; the values the ledger must hold."""
    wanted = []
    for k, rec in enumerate(data["records"]):
        items: dict[str, Any] = {}
        for c in rec["controls"]:
            fid = f"#r{k}-{c['id']}"
            kind = c["input"]
            if kind in TYPED:
                text, value = TYPED[kind](k)
                page.fill(fid, text)
            elif kind == "level":
                label = c["options"][k % len(c["options"])]["label"]
                page.select_option(fid, label=label)
                value = int(label) if label.isdigit() else label
            elif kind == "occurrences":
                first = c["kinds"][0]
                value = []
                if k % 2 == 0:  # every other person: none at all
                    page.fill(f"{fid}-{first['id']}", str(k + 1))
                    value = [{"kind": first["id"], "count": k + 1}]
            else:
                raise AssertionError(f"the test has no typing for {kind}")
            items[c["id"]] = value
        comment = COMMENTS[k % len(COMMENTS)]
        if comment:
            page.fill(f"#r{k}-comment", comment)
        wanted.append({"items": items, "comment": comment})
    return wanted


def _cli_files(repo: Path, tmp: Path, unit: str, wanted: list[dict[str, Any]],
               paths: list[str]) -> dict[str, bytes]:
    """The command-line path: `kpi new` for the unit, the values set with ruamel, `kpi fmt`."""
    clone = tmp / "cli"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    made = kpi("new", PERIOD, "--unit", unit, "--ledger", "ledger", cwd=clone)
    assert made.returncode == 0, made.stdout + made.stderr
    for path, want in zip(paths, wanted, strict=True):
        target = clone / path
        doc = load_rt(target.read_text(encoding="utf-8"))
        for item, value in want["items"].items():
            doc["items"][item] = flow(value)
        if want["comment"]:
            doc["comment"] = want["comment"]
        target.write_text(dump_rt(doc), encoding="utf-8")
    fmt = kpi("fmt", "--ledger", "ledger", *(p for p in paths), cwd=clone)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    return {p: (clone / p).read_bytes() for p in paths}


def _cs_gs_values(data: dict[str, Any]) -> list[dict[str, Any]]:
    """What `_fill` types into cs-gs's form (counts, numbers, percentages, comments)."""
    return [{"items": {c["id"]: TYPED[c["input"]](k)[1] for c in rec["controls"]},
             "comment": COMMENTS[k % len(COMMENTS)]} for k, rec in enumerate(data["records"])]


@pytest.mark.parametrize("unit", ["cs-gs", "product", "workshop"])
def test_browser_form_writes_what_the_command_line_writes(
    unit: str, ledger_repo: Path, site_url: str, browser: Browser, tmp_path: Path
) -> None:
    import json

    page, errors = _open(browser, f"{site_url}forms/{PERIOD}/{unit}/", 1366)
    try:
        data = json.loads(page.locator("#kpi-submit-data").text_content() or "{}")
        assert data["records"], "the unit owes records in the open period"
        page_text = page.locator("article").inner_text()
        assert "E13" not in page_text and "E16" not in page_text  # names, never ids
        assert "null" not in page_text and "items" not in page_text  # no YAML shown yet
        if unit == "cs-gs":
            _shot(page, "submit-form-1366.png")
        wanted = _fill(page, data)
        page.click("button[type=submit]")
        page.locator(".kpi-file").first.wait_for(timeout=5000)
        assert "检查通过" in page.locator(".kpi-summary-line").inner_text()
        texts = page.locator("pre.kpi-yaml").all_text_contents()
        links = page.eval_on_selector_all("a.kpi-new-file", "els => els.map(e => e.href)")
        if unit == "cs-gs":
            page.locator(".kpi-file").first.scroll_into_view_if_needed()
            _shot(page, "submit-ready-1366.png")
        assert not errors, errors
    finally:
        page.close()
    paths = [r["path"] for r in data["records"]]
    assert len(texts) == len(links) == len(paths)
    for path, text, url in zip(paths, texts, links, strict=True):
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{REPO}/new/main"
        query = parse_qs(parts.query)
        assert query["filename"] == [path] and query["value"] == [text]
    # the command line writes the same bytes
    cli = _cli_files(ledger_repo, tmp_path, unit, wanted, paths)
    for path, text in zip(paths, texts, strict=True):
        assert text.encode("utf-8") == cli[path], path
    # and what the browser wrote is a clean ledger
    clone = tmp_path / "browser"
    subprocess.run(["git", "clone", "-q", str(ledger_repo), str(clone)], check=True)
    for path, text in zip(paths, texts, strict=True):
        (clone / path).parent.mkdir(parents=True, exist_ok=True)
        (clone / path).write_text(text, encoding="utf-8")
    checked = kpi("check", "--ledger", "ledger", cwd=clone)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "KPI601" not in checked.stdout + checked.stderr


def test_a_wrong_value_is_named_in_chinese_beside_its_field(
    site_url: str, browser: Browser
) -> None:
    page, errors = _open(browser, f"{site_url}forms/{PERIOD}/cs-gs/", 390)
    try:
        _shot(page, "submit-form-390.png")
        page.fill("#r0-work_days", "22")
        page.fill("#r0-phone", "三百")  # a word where a number belongs
        page.fill("#r0-qc", "93%%")
        page.click("button[type=submit]")
        phone = page.locator('fieldset[data-record="0"] [data-item="phone"] .kpi-error')
        phone.wait_for(timeout=5000)
        assert phone.inner_text() == "填写有误：应填不小于 0 的整数"
        qc = page.locator('fieldset[data-record="0"] [data-item="qc"] .kpi-error')
        assert qc.inner_text() == "填写有误：应填百分数，如 93%"
        chat = page.locator('fieldset[data-record="0"] [data-item="chat"] .kpi-error')
        assert chat.inner_text() == "请填写此项。填写：不小于 0 的整数"
        assert page.locator('fieldset[data-record="0"] [data-item="work_days"] .kpi-error'
                            ).is_hidden()
        assert "还有" in page.locator(".kpi-summary-line").inner_text()
        assert page.locator("a.kpi-new-file").count() == 0
        assert page.locator("pre.kpi-yaml").count() == 0
        assert page.locator("#r0-phone").get_attribute("aria-invalid") == "true"
        phone.scroll_into_view_if_needed()
        _shot(page, "submit-error-390.png")
        # nothing is pushed off a phone's screen
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not errors, errors
    finally:
        page.close()


def test_the_index_lists_open_periods_and_units(site_url: str, browser: Browser) -> None:
    page, errors = _open(browser, f"{site_url}forms/", 1366)
    try:
        table = page.locator("article table").inner_text()
        assert PERIOD in table and "GS组" in table and "2026-06" in table
        _shot(page, "submit-index-1366.png")
        page.click(f"a[href='{PERIOD}/cs-gs/']")
        page.wait_for_url(f"**/forms/{PERIOD}/cs-gs/")
        with page.expect_download() as got:
            page.click("a[download]")
        sheet = got.value
        assert sheet.suggested_filename == "cs-gs.xlsx"
        assert not errors, errors
    finally:
        page.close()


QUOTING = ["本月表现稳定", "a: b", "#1", "x #1", "yes", "null", "123", "1.5", "2026-05-01",
           "- a", "-a", "it's", "[x]", "{y}", "a, b", "a,b", ":x", "x:", "?", "'q'", '"d"',
           "%p", "@a", "`b", "!t", "&a", "*a", "|", ">", "~", "0x1F", "1_000", " lead",
           "trail ", "中文: 冒号", "中文：全角", "a\tb", "12:30", "on", "y", "<<", "=", ".inf",
           "0o17", "+1", "1e3", "2026-05", "2026-5-1", "it's: fine", "a 'b' c", "3%"]


def test_text_is_quoted_as_the_ledger_writes_it(site_url: str, browser: Browser) -> None:
    page, _ = _open(browser, f"{site_url}forms/{PERIOD}/cs-gs/", 1366)
    try:
        shown = page.evaluate("xs => xs.map(x => window.kpiYamlString(x))", QUOTING)
    finally:
        page.close()
    assert dict(zip(QUOTING, shown, strict=True)) == {s: yaml_scalar(s) for s in QUOTING}


def test_the_units_excel_sheet_imports_to_the_same_files(
    ledger_repo: Path, site_url: str, tmp_path: Path
) -> None:
    """The sheet the page offers, filled in with cs-gs's values and imported by `kpi import`,
    writes the files the command line writes (and so the form: the test above)."""
    import io
    import json
    import re
    from urllib.request import urlopen

    from openpyxl import load_workbook

    with urlopen(f"{site_url}forms/{PERIOD}/cs-gs/", timeout=5) as resp:
        html = resp.read().decode("utf-8")
    found = re.search(r'<script type="application/json" id="kpi-submit-data">(.*?)</script>',
                      html, re.S)
    assert found is not None
    data = json.loads(found.group(1).replace("<\\/", "</"))
    wanted = _cs_gs_values(data)
    with urlopen(f"{site_url}forms/{PERIOD}/cs-gs.xlsx", timeout=5) as resp:
        book = load_workbook(io.BytesIO(resp.read()))
    ws = book.worksheets[0]
    assert ws["B1"].value == PERIOD and ws["F1"].value == "上级"
    headers = {ws.cell(row=2, column=c).value: c for c in range(1, ws.max_column + 1)}
    titles = {c["id"]: c["title"] for c in data["records"][0]["controls"]}
    rows = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    for rec, want in zip(data["records"], wanted, strict=True):
        row = rows[rec["base"]["assessee"]]
        for item, value in want["items"].items():
            ws.cell(row=row, column=headers[titles[item]]).value = value
        if want["comment"]:
            ws.cell(row=row, column=headers["评语"]).value = want["comment"]
    clone = tmp_path / "sheet"
    subprocess.run(["git", "clone", "-q", str(ledger_repo), str(clone)], check=True)
    book.save(clone / "cs-gs.xlsx")
    done = kpi("import", "cs-gs.xlsx", "--ledger", "ledger", cwd=clone)
    assert done.returncode == 0, done.stdout + done.stderr
    paths = [r["path"] for r in data["records"]]
    cli = _cli_files(ledger_repo, tmp_path, "cs-gs", wanted, paths)
    for path in paths:
        assert (clone / path).read_bytes() == cli[path], path
