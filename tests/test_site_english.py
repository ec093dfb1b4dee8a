"""The English edition of the example ledger's site is English throughout (issue 14).

`kpi build --lang en` on the example ledger, committed in a real git repository; then every
page's visible text (text nodes, and the title, aria-label and alt attributes a reader sees
or hears) holds no Han character except:

- names from the org chart (people's names and given names, units' names, job titles, the
  company) and the site's name from mkdocs.yml: proper names, written as the org writes them;
- text inside an element marked lang="zh": the words people wrote in records (comments,
  notes, reasons) and the schemes' quoted source text (a document's title, a definition as
  the document prints it, the quoted words of a reading). `SiteIndex.quoted` marks exactly
  these, and only when they hold Chinese.

Grades, levels, deduction names, outcomes, readings and event texts have English names in the
example schemes (grade_en, level_en, names_en, outcome_en, …), so none of them may be left.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from gitrepo import make_repo

from kpiledger.pipeline import evaluate
from kpiledger.publish.public import given_name

ROOT = Path(__file__).resolve().parents[1]
HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
SEEN_ATTRS = ("title", "aria-label", "alt", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class VisibleText(HTMLParser):
    """A page's visible text, leaving out scripts, styles and lang="zh" elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden: script, style or lang="zh")
        self.text: list[str] = []
        self.marked: list[str] = []  # what lang="zh" elements hold, to check they exist

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        zh = a.get("lang") == "zh" and tag != "html"
        if not self._hidden() and not zh:
            self.text += [v for k, v in attrs if k in SEEN_ATTRS and v]
        if tag not in VOID:
            self.stack.append((tag, tag in ("script", "style") or zh))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._hidden():
            self.text += [v for k, v in attrs if k in SEEN_ATTRS and v]

    def handle_endtag(self, tag: str) -> None:
        while self.stack:  # close up to the matching tag (HTML may omit end tags)
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.text.append(data)
        elif self.stack and self.stack[-1][0] not in ("script", "style"):
            self.marked.append(data)


def allowed_names(ledger: Path, config: Path) -> list[str]:
    """Proper names the English edition shows as the org chart writes them, longest first."""
    org = evaluate(ledger, use_cache=False).ledger.org
    names = {org.company, yaml.safe_load(config.read_text(encoding="utf-8"))["site_name"]}
    for p in org.people.values():
        names |= {p.name, given_name(p.name), p.title}
    names |= {u.name for u in org.units.values()}
    return sorted((n for n in names if n), key=len, reverse=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("english")
    repo = make_repo(tmp)
    shutil.copy(ROOT / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", repo.path / "site")
    kpi = [sys.executable, "-m", "kpiledger", "build", "--site-dir", str(tmp / "en"),
           "--lang", "en"]
    env = {**os.environ, "KPI_CACHE_DIR": str(tmp / "cache")}
    done = subprocess.run(kpi, cwd=repo.path, capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr
    return tmp / "en"


def leftovers(site: Path, names: list[str]) -> dict[str, list[str]]:
    """page → the Chinese left in its visible text once the allowed names are removed."""
    names_re = re.compile("|".join(map(re.escape, names)))
    out: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        parser = VisibleText()
        parser.feed(page.read_text(encoding="utf-8"))
        text = names_re.sub(" ", "\n".join(parser.text))
        found = [text[max(0, m.start() - 30):m.end() + 30].replace("\n", " ")
                 for m in HAN.finditer(text)]
        if found:
            out[str(page.relative_to(site))] = found
    return out


def test_no_page_of_the_english_edition_shows_chinese_but_names_and_quotes(site: Path) -> None:
    names = allowed_names(ROOT / "ledger", ROOT / "mkdocs.yml")
    # every page kind is among them: home, periods, people, units, schemes, events, rules, …
    for kind in ("index.html", "404.html", "periods", "people", "units", "schemes", "events",
                 "rules", "audit", "submit"):
        assert (site / kind).exists(), kind
    assert leftovers(site, names) == {}


def test_the_checker_finds_chinese_and_lets_names_and_marked_quotes_pass(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<html lang="en"><body><p>王磊 · Pass <span lang="zh">本月表现突出</span>'
                    '</p><p title="合格">x</p><script>"淘汰"</script></body></html>',
                    encoding="utf-8")
    found = leftovers(tmp_path, ["王磊"])
    assert list(found) == ["p.html"] and len(found["p.html"]) == 1
    assert "合格" in found["p.html"][0] and "王磊" not in found["p.html"][0]
    parser = VisibleText()
    parser.feed(page.read_text(encoding="utf-8"))
    assert parser.marked == ["本月表现突出"]


def test_the_english_names_are_what_the_pages_show(site: Path) -> None:
    # the example schemes' English words, as ledger/schemes/*.yaml write them
    parser = VisibleText()
    parser.feed((site / "schemes" / "cs-agent" / "index.html").read_text(encoding="utf-8"))
    shown = "".join(parser.text)
    assert "eliminated" in shown and "extra bonus" in shown and "淘汰" not in shown
    assert "late arrival" in shown and "yuan" in shown
    period = (site / "periods" / "2026-06" / "index.html").read_text(encoding="utf-8")
    assert ">Pass<" in period and ">Fail<" in period
    person = (site / "people" / "E1104" / "index.html").read_text(encoding="utf-8")
    # 刘洋: last place in 2026-04, -05 and -06 (ledger/2026-0*/cs-team-1), eliminated
    assert ("2026-04 total 50.00 (place 4 of 4); 2026-05 total 63.00 (place 4 of 4); 2026-06 "
            "total 60.00 (place 4 of 4): last place in 3 periods running → eliminated") in person
