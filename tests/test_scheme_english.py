"""English names in the scheme language (grade_en, level_en/text_en, names_en, outcome_en,
definition_en, unit_en, the readings' *_en): optional, valid beside the old form, carried by
the model, and a names_en key for a kind that does not exist is KPI426 at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import build_scheme_yaml, kpi, scheme_from_yaml, valid_doc

EXAMPLE = Path(__file__).parent.parent / "ledger"

ENGLISH = """
id: att
title: 考勤方案
period_kind: month
applies_to: {units: [cs]}
params:
  pay: {value: 750, title: 绩效工资总值, title_en: Performance pay in full, unit: 元,
        unit_en: yuan}
items:
  - id: att
    title: 考勤
    definition: 每月迟到情况
    definition_en: Late arrivals each month
    by: superior
    input: occurrences
    max: 10
    deductions:
      full: 10
      per: {late: 2, leave_day: 1}
      names: {late: 迟到, leave_day: 请假（天）}
      names_en: {late: late arrival}
  - id: work
    title: 工作态度
    by: superior
    input: level
    weight: 100
    levels:
      - {level: 优, level_en: Excellent, points: 100, text: 全面达到要求,
         text_en: Meets every requirement}
      - {level: 差, points: 0}
grades:
  - {grade: 合格, grade_en: Pass, min: 35}
  - {grade: 不合格, min: 0}
rules:
  - {id: low, title: 连续两次低于35分淘汰, when: {total_below: 35}, consecutive: 2,
     outcome: 淘汰, outcome_en: eliminated}
readings:
  - quote: 低于35分
    reading: 总分 < 35
    reading_en: a total below 35
    alternative: 含 35 分
    alternative_en: 35 itself too
    why: 按通常用法
    why_en: as the words are usually read
"""


def test_the_english_names_are_valid_and_carried_by_the_model() -> None:
    valid_doc("scheme", ENGLISH, "schemes/att.yaml")
    s = scheme_from_yaml(ENGLISH, "schemes/att.yaml")
    att, work = s.items
    assert att.definition_en == "Late arrivals each month"
    assert att.spec["names_en"] == {"late": "late arrival"}
    # names_en, then names, then the id
    assert [att.kind_name(k, "en") for k in ("late", "leave_day", "sick")] == [
        "late arrival", "请假（天）", "sick"]
    assert [att.kind_name(k, "zh") for k in ("late", "leave_day")] == ["迟到", "请假（天）"]
    assert (work.levels[0].level_en, work.levels[0].text_en) == ("Excellent",
                                                                  "Meets every requirement")
    assert [work.level_name(lv, "en") for lv in ("优", "差")] == ["Excellent", "差"]
    assert work.level_name("优", "zh") == "优"
    assert [s.grade_name(g, "en") for g in ("合格", "不合格")] == ["Pass", "不合格"]
    assert s.grade_name("合格", "zh") == "合格"
    assert s.rules[0].outcome_en == "eliminated"
    assert s.param_info["pay"].unit_en == "yuan"
    r = s.readings[0]
    assert (r.reading_en, r.alternative_en, r.why_en) == (
        "a total below 35", "35 itself too", "as the words are usually read")


def test_the_old_form_stays_valid_and_reads_in_chinese() -> None:
    old = ENGLISH
    for line in ("        unit_en: yuan}\n", "    definition_en: Late arrivals each month\n",
                 "      names_en: {late: late arrival}\n"):
        old = old.replace(line, "}\n" if line.endswith("yuan}\n") else "")
    for field in (", level_en: Excellent", ",\n         text_en: Meets every requirement",
                  ", grade_en: Pass", ", outcome_en: eliminated",
                  "    reading_en: a total below 35\n", "    alternative_en: 35 itself too\n",
                  "    why_en: as the words are usually read\n"):
        old = old.replace(field, "")
    assert "_en: " not in old.replace("title_en", "")
    valid_doc("scheme", old, "schemes/att.yaml")
    s = scheme_from_yaml(old, "schemes/att.yaml")
    assert s.grade_name("合格", "en") == "合格" and s.rules[0].outcome_en == ""
    assert s.items[0].kind_name("late", "en") == "迟到"
    assert s.items[1].level_name("优", "en") == "优"


def test_an_english_name_for_a_kind_per_lacks_is_kpi426() -> None:
    text = ENGLISH.replace("names_en: {late: late arrival}",
                           "names_en: {late: late arrival, absent: absence}")
    _, diags = build_scheme_yaml(text)
    assert [(x.code, x.path) for x in diags] == [
        ("KPI426", ("items", 0, "deductions", "names_en", "absent"))]


def test_kpi_check_names_kpi426_at_its_line(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger"
    shutil.copytree(EXAMPLE, ledger)
    scheme = ledger / "schemes" / "it-ops.yaml"
    text = scheme.read_text(encoding="utf-8")
    assert "      names_en:\n" in text
    text = text.replace("      names_en:\n", "      names_en:\n        absent: absence\n", 1)
    scheme.write_text(text, encoding="utf-8")
    line = text.splitlines().index("        absent: absence") + 1
    out = kpi("check", "--lang", "en", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert f"schemes/it-ops.yaml:{line}:9" in out.stdout + out.stderr
    assert "KPI426" in out.stdout + out.stderr and "'absent'" in out.stdout + out.stderr
