"""Scheme pages and the rules page in words HR would write: formulas rendered from their parsed
tree with titles and values (750 × 总分 ÷ 100), ranges in words, rule conditions by title, and
no id or Python token anywhere a reader sees — checked on the real example site, built by
mkdocs, in the internal, public and English editions."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_ledger import EXAMPLE, build_site, make_example, write_config

from kpiledger.check.ledger import open_ledger
from kpiledger.model import Grade, Ledger
from kpiledger.model.formula import compile_formula, formula_name
from kpiledger.site.pages.formula_words import formula_words, scheme_names
from kpiledger.site.pages.scheme_text import grade_ranges, range_text, when_text

# What a formula written in Python looks like; none of it may reach a reader.
PYTHON_TOKENS = ("==", "!=", "**", "<=", ">=", " if ", " else ", "min(", "max(", "clamp(",
                 "abs(", "floor(", "ceil(", "round_half_up(", "– —", "0 – ")


@pytest.fixture(scope="module")
def ledger() -> Ledger:
    opened = open_ledger(EXAMPLE)
    assert not [d for d in opened.diagnostics if d.severity == "error"]
    return opened.ledger


def formulas(ledger: Ledger) -> dict[tuple[str, str], str]:
    """Every formula of the example schemes: (scheme, total | money id | item id) → text."""
    out = {}
    for s in ledger.schemes.values():
        if s.total_formula:
            out[(s.id, "total")] = s.total_formula
        out.update({(s.id, m.id): m.formula for m in s.money})
        out.update({(s.id, i.id): i.spec["formula"] for i in s.items if i.method == "formula"})
    return out


def test_hand_picked_formulas_read_as_hr_writes_them(ledger: Ledger) -> None:
    def words(sid: str, key: str, lang: str = "zh") -> str:
        s = ledger.schemes[sid]
        return formula_words(formulas(ledger)[(sid, key)], scheme_names(s, lang), lang)

    # 文档4: 绩效工资 总值750，如50分 750*50%=375 — the param by its value, total as 总分
    assert words("cs-agent", "perf_pay") == "750 × 总分 ÷ 100"
    assert words("cs-agent", "perf_pay", "en") == "750 × total ÷ 100"
    # the conditional, with an amount's title for the earlier amount
    assert words("cs-agent", "salary") == (
        "800 + 200 + 200 + 绩效工资（指标考核） + (考勤 ＝ 10 时为 50，否则为 0)"
    )
    assert words("cs-agent", "salary", "en") == (
        "800 + 200 + 200 + Performance pay + (50 when Attendance = 10, otherwise 0)"
    )
    # 文档14: a chain of conditions is one list of cases; percentages stay percentages
    qc = ("QC质量 < 70% 时为 1 − (70% − QC质量) × 5，QC质量 > 80% 时为 1 + (QC质量 − 80%) × 5，"
          "否则为 1")
    assert words("gs-bonus", "qc_factor") == qc
    workload = ("300 − (60 × 实际上班天数 − (电话处理量 × 1 + 在线处理量 × 1 + 邮件处理量 × 1.5"
                " + 论坛操作量 × 0.5)) × 1")
    assert words("gs-bonus", "workload_pay") == workload
    # clamp as a phrase; the conditional inside a product is bracketed
    assert words("gs-bonus", "total") == (
        f"({workload}) × ({qc}) + 贡献度 + 其他附加，限定在 0 至 500 之间"
    )
    assert words("gs-bonus", "total", "en").endswith(", kept between 0 and 500")
    assert words("gs-bonus", "base_bonus_pay") == "工作量绩效 × QC质量加/减成比例"
    # division, and brackets only where the arithmetic needs them
    assert words("product-staff", "total") == (
        "(各类文档质量 + 市场调查研究 + 针对用户需求所做的产品优化 + 项目间规划与协调"
        " + 单个产品周期内工作的规划与协调) × 100 ÷ 50"
    )
    assert words("dept-user-service", "manager_part") == "总分 × 80%"


def test_every_example_formula_in_words_has_no_id_or_python(ledger: Ledger) -> None:
    found = formulas(ledger)
    assert len(found) >= 10
    for (sid, key), text in found.items():
        s = ledger.schemes[sid]
        ids = {*s.params, *(m.id for m in s.money),
               *(x for i in s.items for x in (i.id, f"{formula_name(i.id)}_value"))}
        for lang in ("zh", "en"):
            shown = scheme_names(s, lang)
            words = formula_words(compile_formula(text), shown, lang)
            assert not [t for t in PYTHON_TOKENS if t in words], (sid, key, words)
            # every name is put in words ("total" is the English for 总分)
            assert all(shown[n] != n for n in compile_formula(text).names - {"total"})
            # English titles use English words that are ids too (survey): there, only the
            # ids no English text writes
            left = [i for i in ids if (lang == "zh" or "_" in i)
                    and re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", words)]
            assert not left, (sid, key, lang, left)


NAMES = {"a": "甲", "b": "乙", "c": "丙", "X": "实际值"}


@pytest.mark.parametrize(("formula", "zh", "en"), [
    ("min(a, b) * 2", "(甲 与 乙 中的较小值) × 2", "(the smaller of 甲 and 乙) × 2"),
    ("max(a, b, c)", "甲、乙、丙 中的最大值", "the largest of 甲, 乙, 丙"),
    ("clamp(X * 2, 0, 100)", "实际值 × 2，限定在 0 至 100 之间",
     "实际值 × 2, kept between 0 and 100"),
    ("a - (b - c)", "甲 − (乙 − 丙)", "甲 − (乙 − 丙)"),
    ("a - (b + c) + (a - b)", "甲 − (乙 + 丙) + 甲 − 乙", "甲 − (乙 + 丙) + 甲 − 乙"),
    ("a / (b * c) * (a / b)", "甲 ÷ (乙 × 丙) × 甲 ÷ 乙", "甲 ÷ (乙 × 丙) × 甲 ÷ 乙"),
    ("(a + b) * c", "(甲 + 乙) × 丙", "(甲 + 乙) × 丙"),
    ("-(a + b) + -c", "−(甲 + 乙) + −丙", "−(甲 + 乙) + −丙"),
    ("abs(a - b)", "(甲 − 乙) 的绝对值", "the absolute value of (甲 − 乙)"),
    # a phrase inside arithmetic is bracketed, so it is clear what it covers
    ("floor(a) + ceil(b)", "(甲 向下取整) + (乙 向上取整)", "(甲 rounded down) + (乙 rounded up)"),
    ("round_half_up(a / 3, 2)", "(甲 ÷ 3) 四舍五入到 2 位小数",
     "(甲 ÷ 3) rounded half up to 2 decimals"),
    ("round_half_up(a)", "甲 四舍五入取整", "甲 rounded half up"),
    ("a ** 2", "甲 的 2 次方", "甲 to the power 2"),
    ("a if b >= 1 and c != 2 else 0", "乙 ≥ 1 且 丙 ≠ 2 时为 甲，否则为 0",
     "甲 when 乙 ≥ 1 and 丙 ≠ 2, otherwise 0"),
    ("a if not (b == 1 or c <= 2) else b", "不满足 (乙 ＝ 1 或 丙 ≤ 2) 时为 甲，否则为 乙",
     "甲 when not (乙 = 1 or 丙 ≤ 2), otherwise 乙"),
    ("80% * a + 0.5", "80% × 甲 + 0.5", "80% × 甲 + 0.5"),
    ("unknown_name + 1", "unknown_name + 1", "unknown_name + 1"),
])
def test_formula_words_forms(formula: str, zh: str, en: str) -> None:
    assert formula_words(formula, NAMES, "zh") == zh
    assert formula_words(compile_formula(formula), NAMES, "en") == en


def test_ranges_grades_and_conditions_in_words() -> None:
    assert range_text(Decimal(0), None, True) == "不低于 0"
    assert range_text(None, Decimal(500), True) == "不高于 500"
    assert range_text(Decimal(0), Decimal(500), True) == "0 至 500"
    assert range_text(None, None, True) == "不限"
    assert range_text(None, None, False) == "no limit"
    grades = (Grade("优秀", Decimal(90)), Grade("达标", Decimal(60)), Grade("未达标", Decimal(0)))
    assert grade_ranges(grades, True) == [
        ("优秀", "90 分及以上"), ("达标", "60 分及以上、不足 90 分"),
        ("未达标", "0 分及以上、不足 60 分"),
    ]
    assert grade_ranges(grades, False)[1] == ("达标", "60 or more, below 90")
    assert when_text({"item_failed": "drawing"}, "zh", {"drawing": "识图"}) == "指标“识图”不合格"
    assert when_text({"item_failed": "drawing"}, "en", {"drawing": "Drawing reading"}) == (
        "item “Drawing reading” failed"
    )


class _Text(HTMLParser):
    """The text a reader sees: no tags, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.parts)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example ledger's site: internal, public and English."""
    root = tmp_path_factory.mktemp("words")
    make_example(root)
    for config in (write_config(root), write_config(root, public=True, site_dir="public-pub",
                                                   name="pub.yml")):
        done = build_site(config)
        assert done.returncode == 0, done.stderr
    kpi = [sys.executable, "-m", "kpiledger", "build", "--config", str(root / "mkdocs.yml"),
           "--site-dir", str(root / "public-en"), "--lang", "en"]
    env = {**os.environ, "KPI_CACHE_DIR": str(root / "cache")}
    done = subprocess.run(kpi, cwd=root, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    return {"zh": root / "public", "public": root / "public-pub", "en": root / "public-en"}


def ids_of(ledger: Ledger, english: bool) -> set[str]:
    """Every scheme, item, param and money id (and `<item>_value`). In English many item ids
    are English words (satisfaction, email), so only the ones no English text would write."""
    ids: set[str] = set()
    for s in ledger.schemes.values():
        ids |= {s.id, *s.params, *(m.id for m in s.money)}
        ids |= {x for i in s.items for x in (i.id, f"{formula_name(i.id)}_value")}
    return {i for i in ids if "_" in i} if english else ids


@pytest.mark.parametrize("edition", ["zh", "public", "en"])
def test_scheme_and_rules_pages_show_no_id_or_code(
    sites: dict[str, Path], ledger: Ledger, edition: str
) -> None:
    site = sites[edition]
    pages = [*sorted(site.glob("schemes/*/index.html")), site / "rules" / "index.html"]
    assert len(pages) == len(ledger.schemes) + 1
    ids = ids_of(ledger, edition == "en")
    for page in pages:
        text = visible(page)
        if edition == "public":  # a name in the scheme's own words is masked there: 王**
            text = re.sub(r"[\u4e00-\u9fff]{1,2}\*+", "", text)
        left = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
        assert not left, (page, left)
        assert not [t for t in PYTHON_TOKENS if t in text], page


def test_scheme_page_in_words(sites: dict[str, Path]) -> None:
    page = visible(sites["zh"] / "schemes" / "cs-agent" / "index.html")
    assert "750 × 总分 ÷ 100" in page and "(考勤 ＝ 10 时为 50，否则为 0)" in page
    assert "绩效工资总值 750 元" in " ".join(page.split())  # the param: title, value, unit
    assert "不低于 0" in page and "不限" in page  # the amounts' ranges
    assert "35 分及以上" in page and "0 分及以上、不足 35 分" in page
    gs = visible(sites["zh"] / "schemes" / "gs-bonus" / "index.html")
    assert "QC质量基准值 70%" in " ".join(gs.split())  # written as a percentage, shown as one
    assert "总分 = (300 − (60 × 实际上班天数" in gs
    en = visible(sites["en"] / "schemes" / "cs-agent" / "index.html")
    assert "750 × total ÷ 100" in en and "Performance pay in full" in en and "no limit" in en
    # the public edition: no pay, so no money table and no params used by pay alone
    public = visible(sites["public"] / "schemes" / "cs-agent" / "index.html")
    assert "750" not in public and "绩效工资" not in public
    assert "单位" not in public  # and no params table with nothing in it
    # gs-bonus's params make its total (the bonus is its score): the public edition lists them
    assert "QC质量基准值" in visible(sites["public"] / "schemes" / "gs-bonus" / "index.html")


def test_rules_page_is_made_from_the_ledger(sites: dict[str, Path], ledger: Ledger) -> None:
    rules = visible(sites["zh"] / "rules" / "index.html")
    every = [r for s in ledger.schemes.values() for r in s.rules]
    assert len(every) >= 5
    for r in every:
        assert r.title in rules and r.outcome in rules
    for s in ledger.schemes.values():
        assert (s.title in rules) == bool(s.rules or any(i.spec.get("carry_over")
                                                         for i in s.items))
    # what no scheme has is not described (the hand-written page named 约谈 and 改进计划)
    assert "约谈" not in rules and "改进计划" not in rules
    assert "指标“识图”不合格" in rules and "当期即触发" in rules and "连续 3 期" in rules
    assert "第1名 500，第2名 300，第3名 200" in rules
    assert "第1名 500" not in visible(sites["public"] / "rules" / "index.html")
    en = visible(sites["en"] / "rules" / "index.html")
    assert "item “Drawing reading” failed" in en and "in the period itself" in en
    assert "本页" not in en
    # under 规则与事件 in the navigation, beside the events
    events = (sites["zh"] / "events" / "index.html").read_text(encoding="utf-8")
    assert 'href="../rules/"' in events
