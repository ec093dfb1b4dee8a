"""The scorer's rule texts in English, for the English edition of the site.

The rule text of an item's result (`ItemResult.rule`, the results contract's `rule`) is
written in Chinese by `score/methods.py`, `score/item.py` and `model/conditions.rule_text`,
from a small fixed vocabulary around numbers and the scheme's own words (a level's name and
text, a deduction's name). `english` replaces that vocabulary — and only it — so
"X = 72.77%：75% > X ≥ 65% → 80分" reads "X = 72.77%: 75% > X ≥ 65% → 80 pts". What a scheme
writes (level names, deduction names) is data: `item_words` pairs it with the English the
scheme gives (level_en, text_en, names_en) and `english_item` puts that in as well.
`tests/test_rule_en.py` scores the example ledger and checks that no Chinese is left beyond
the schemes' own words, so a new phrase in the scorer shows up there."""

from __future__ import annotations

import re
from functools import lru_cache

from kpiledger.model import Item
from kpiledger.model.enums import QUANTITY_WORDS, ROLE_NAMES

# longest first where one phrase contains another (不合格 before 合格)
PHRASES: tuple[tuple[str, str], ...] = (
    ("分母为 0 → 不计入，权重按比例分给其他指标",
     "denominator 0 → left out, its weight shared among the other items"),
    ("分母为 0，方案未规定 → 0分", "denominator 0, not provided for by the scheme → 0 pts"),
    ("分母为 0 → ", "denominator 0 → "),
    ("仅记录，不计分", "recorded only, not scored"),
    (" 不在任何分档 → ", " is in no band → "),
    ("，限定在 ", ", limited to "),
    ("，不低于 ", ", at least "),
    ("无扣分 → ", "no deductions → "),
    ("，上限 ", ", capped at "),
    ("，下期继续考核直至合格", "; assessed again next period until passed"),
    ("不合格 → ", "fail → "),
    ("合格 → ", "pass → "),
    ("直接评分", "scored directly"),
    ("无法取值", "no value"),
    ("未知等级", "unknown level"),
    ("公式错误：", "formula error: "),
    ("（不计权）", " (not weighted)"),
    ("0（未提交）", "0 (not submitted)"),
    (" 未提交", " not submitted"),
    ("未提交", "not submitted"),
    ("及以上×", " or more ×"),
    *((zh, en) for zh, en, _, _ in ROLE_NAMES.values()),
)
_PHRASE = re.compile("|".join(re.escape(zh) for zh, _ in PHRASES))
_WORDS = dict(PHRASES)
# a number's unit: 80分, 2次, 3天 (not inside a scheme's words: only right after a digit)
_UNITS = {"分": " pts", **{zh: f" {en}" for zh, en in QUANTITY_WORDS.values()}}
_UNIT = re.compile(
    r"(?:(?<![\d.])(1)|(?<=\d))(" + "|".join(sorted(map(re.escape, _UNITS), key=len)[::-1]) + ")"
)
_PUNCT = str.maketrans({"：": ": ", "，": ", ", "；": "; ", "、": ", ", "（": " (", "）": ")"})


def _unit(m: re.Match[str]) -> str:
    word = _UNITS[m.group(2)]
    # exactly one: "1 time", "1 day"; the number stays where it was
    if m.group(1) and word.endswith("s") and word != " yuan":
        return "1" + word[:-1]
    return (m.group(1) or "") + word


@lru_cache(maxsize=1 << 14)  # the same texts repeat on every person's page
def english(text: str) -> str:
    """A rule text of the scorer in English; the scheme's own words as written."""
    out = _PHRASE.sub(lambda m: _WORDS[m.group(0)], text)
    out = _UNIT.sub(_unit, out)
    return re.sub(r" {2,}", " ", out.translate(_PUNCT)).replace("( ", "(")


_HAN = re.compile(r"[\u3400-\u9fff]")
Words = tuple[tuple[str, str], ...]


def item_words(item: Item) -> Words:
    """The scheme's own Chinese words in an item's rule texts (level names and meanings,
    deduction names) paired with the English the scheme gives them, longest first."""
    pairs: dict[str, str] = {}
    for lv in item.levels:
        if lv.level_en:
            pairs[lv.level] = lv.level_en
        if lv.text and lv.text_en:
            pairs[lv.text] = lv.text_en
    names = item.spec.get("names") or {}
    for kind, en in (item.spec.get("names_en") or {}).items():
        if kind in names:
            pairs[str(names[kind])] = str(en)
    # only words with Chinese in them: a level "A" must not replace the A inside other words
    return tuple(sorted(((zh, en) for zh, en in pairs.items() if _HAN.search(zh)),
                        key=lambda p: -len(p[0])))


@lru_cache(maxsize=1 << 14)
def english_item(text: str, words: Words) -> str:
    """A rule text in English with the scheme's words (`item_words`) in English too."""
    for zh, en in words:
        text = text.replace(zh, en)
    return english(text)
