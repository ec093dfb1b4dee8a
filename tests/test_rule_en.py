"""The scorer's rule texts in English (the site's English edition): every rule text the
example ledger scores to, put through `english`, holds no Chinese but the schemes' own words
(level names and meanings, deduction names), which are data and stay as written."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import scheme_from_yaml

from kpiledger.pipeline import evaluate
from kpiledger.score.rule_en import english, english_item, item_words

EXAMPLE = Path(__file__).parent.parent / "ledger"
HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_every_rule_text_of_the_example_ledger_reads_in_english() -> None:
    evaluation = evaluate(EXAMPLE, use_cache=False)
    words: set[str] = set()
    for scheme in evaluation.ledger.schemes.values():
        for item in scheme.items:
            words |= {w for lv in item.levels for w in (lv.level, lv.text) if w}
            words |= set((item.spec.get("names") or {}).values())
    rules = {it.rule for r in evaluation.results.results for it in r.items}
    assert len(rules) > 100
    left = {}
    for rule in rules:
        text = english(rule)
        for w in sorted(words, key=len, reverse=True):  # as written, and as punctuated
            text = text.replace(w, "").replace(english(w), "")
        if HAN.search(text):
            left[rule] = english(rule)
    assert left == {}


def test_english_reads_each_kind_of_rule() -> None:
    # written from the scorer's phrases (score/methods.py, score/item.py), not from its output
    assert english("X = 72.77%：75% > X ≥ 65% → 80分") == "X = 72.77%: 75% > X ≥ 65% → 80 pts"
    assert english("直接评分") == "scored directly"
    assert english("早退 1次 2 − 请假 0.5天 1 → 11分") == "早退 1 time 2 − 请假 0.5 days 1 → 11 pts"
    assert english("无扣分 → 10分") == "no deductions → 10 pts"
    assert english("10 − 迟到 3次 6（3次及以上×2） = 4，不低于 5 → 5分") == (
        "10 − 迟到 3 times 6 (3 times or more ×2) = 4, at least 5 → 5 pts")
    shared = "(上级 90 × 0.6 + 本人 0（未提交） × 0.4) / 1 = 54.00；考核小组 80（不计权）"
    assert english(shared) == (
        "(Superior 90 × 0.6 + Self 0 (not submitted) × 0.4) / 1 = 54.00; "
        "Assessment group 80 (not weighted)")
    assert english("不合格 → 0分，下期继续考核直至合格") == (
        "fail → 0 pts; assessed again next period until passed")
    assert english("分母为 0 → 不计入，权重按比例分给其他指标") == (
        "denominator 0 → left out, its weight shared among the other items")


def test_with_the_schemes_english_words_no_chinese_is_left() -> None:
    # the example schemes name every level and deduction kind in English (level_en, text_en,
    # names_en), so the English edition's rule texts hold no Chinese at all
    evaluation = evaluate(EXAMPLE, use_cache=False)
    items = {(s.id, i.id): i for s in evaluation.ledger.schemes.values() for i in s.items}
    left = {}
    for r in evaluation.results.results:
        for it in r.items:
            text = english_item(it.rule, item_words(items[(r.scheme, it.id)]))
            if HAN.search(text):
                left[it.rule] = text
    assert left == {}


def test_english_item_puts_the_schemes_words_in_english() -> None:
    item = scheme_from_yaml("""
id: s
title: 方案
period_kind: month
applies_to: {units: [u]}
items:
  - {id: att, title: 考勤, by: superior, input: occurrences, max: 10,
     deductions: {full: 10, per: {late: 2, absent: 5}, names: {late: 迟到, absent: 旷工},
                  names_en: {late: late arrival}}}
  - id: skill
    title: 技能
    by: superior
    input: level
    weight: 100
    levels:
      - {level: 达标, level_en: Met, points: 100, text: 完全符合全部要求,
         text_en: Meets every requirement}
      - {level: A, level_en: Top, points: 90}
""").items
    att, skill = item
    assert english_item("10 − 迟到 2次 4 = 6 → 6分", item_words(att)) == (
        "10 − late arrival 2 times 4 = 6 → 6 pts")
    # 旷工 has no English name: as written
    assert english_item("10 − 旷工 1次 5 = 5 → 5分", item_words(att)) == (
        "10 − 旷工 1 time 5 = 5 → 5 pts")
    assert english_item("达标（完全符合全部要求） → 100分", item_words(skill)) == (
        "Met (Meets every requirement) → 100 pts")
    # a level without Chinese is not replaced inside other words
    assert english_item("A → 90分", item_words(skill)) == "A → 90 pts"
