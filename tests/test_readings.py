"""The readings register and escalation by repeats in the scheme language: the schema takes
them, the model keeps them, the checker warns about escalated quantities (KPI430, KPI431) and
readings naming nothing (KPI432), `kpi check` counts readings per scheme, and the band linter
finds a boundary value left out or claimed twice."""

from __future__ import annotations

from pathlib import Path

from conftest import build_scheme_yaml, kpi

from kpiledger.check.schemes import check_scheme
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load

ROOT = Path(__file__).resolve().parents[1]
HEAD = "id: t\ntitle: T\nperiod_kind: month\napplies_to: {units: [cs]}\n"


def codes(text: str) -> list[tuple[str, tuple]]:
    doc, problems = load(text.encode(), "schemes/t.yaml")
    assert problems == []
    assert validate("scheme", doc, "schemes/t.yaml") == []  # the schema takes it
    scheme, diags = build_scheme_yaml(text)
    assert scheme is not None
    return [(x.code, x.path) for x in diags + check_scheme(scheme) if x.code != "KPI402"]


def deductions(extra: str, names: str = "") -> str:
    return f"""{HEAD}items:
  - id: ops
    title: 扣分
    by: superior
    input: occurrences
    max: 100
    deductions:
      full: 100
      per: {{entry_error: 0.1, month_end_delay: 3}}
{names}{extra}"""


def test_a_measured_kind_is_not_escalated_and_raises_no_warning() -> None:
    text = deductions("      measured_in: {month_end_delay: day}\n"
                      "      escalate: {at: 3, factor: 2}\n")
    assert codes(text) == []
    scheme, _ = build_scheme_yaml(text)
    assert scheme is not None
    assert scheme.items[0].spec["measured_in"] == {"month_end_delay": "day"}
    assert scheme.items[0].spec["escalate_quantities"] == ()


def test_opting_a_quantity_in_is_warned_kpi430() -> None:
    text = deductions("      measured_in: {month_end_delay: day}\n"
                      "      escalate: {at: 3, factor: 2, quantities: [month_end_delay]}\n")
    assert codes(text) == [("KPI430", ("items", 0, "deductions", "escalate", "quantities", 0))]


def test_a_kind_that_reads_as_days_escalated_as_a_count_is_warned_kpi431() -> None:
    text = deductions("      escalate: {at: 3, factor: 2}\n",
                      "      names: {month_end_delay: 月结延误（天）}\n")
    assert codes(text) == [("KPI431", ("items", 0, "deductions", "per", "month_end_delay"))]
    # no escalation: nothing to warn about
    assert codes(deductions("", "      names: {month_end_delay: 月结延误（天）}\n")) == []


def test_measured_in_must_name_a_kind_of_per() -> None:
    text = deductions("      measured_in: {late_day: day}\n")
    assert codes(text) == [("KPI419", ("items", 0, "deductions", "measured_in", "late_day"))]


READINGS = HEAD + """items:
  - id: rate
    title: 回访完成率
    by: superior
    input: percent
    max: 100
    bands:
      - {when: "X ≥ 75%", points: 100}
      - {when: "X < 75%", points: 0}
readings:
  - quote: "75%以下"
    reading: "不含 75%：X < 75%"
    alternative: "含 75%"
    why: "上一档已写出 75%"
    item: rate
  - quote: "连续三次"
    reading: "三个月"
    alternative: "三个季度"
    why: "按月考核"
    rule: nowhere
"""


def test_readings_are_kept_and_a_reading_naming_nothing_is_kpi432() -> None:
    assert codes(READINGS) == [("KPI432", ("readings", 1, "rule"))]
    scheme, _ = build_scheme_yaml(READINGS)
    assert scheme is not None
    first = scheme.readings[0]
    assert (first.quote, first.reading, first.alternative, first.item, first.path) == (
        "75%以下", "不含 75%：X < 75%", "含 75%", "rate", ("readings", 0))


def test_a_reading_without_its_alternative_breaks_the_schema() -> None:
    doc, _ = load(b"id: t\ntitle: T\nitems: []\nreadings:\n  - {quote: a, reading: b, why: c}\n",
                  "schemes/t.yaml")
    assert [x.code for x in validate("scheme", doc, "schemes/t.yaml")]


def bands(*whens: str) -> str:
    rows = "".join(f'      - {{when: "{w}", points: {100 - 10 * n}}}\n'
                   for n, w in enumerate(whens))
    return f"{HEAD}items:\n  - id: r\n    title: R\n    by: superior\n    input: percent\n" \
           f"    max: 100\n    bands:\n{rows}"


def test_band_linter_finds_the_boundary_value_left_out_or_claimed_twice() -> None:
    # "80%~75% 扣3分" and "75%以下 扣5分" both read with 75 %: claimed twice
    assert codes(bands("X ≥ 80%", "75% ≤ X < 80%", "X ≤ 75%")) == [
        ("KPI404", ("items", 0, "bands", 2, "when"))]
    # both read without 75 %: 75 % itself falls in no band
    assert codes(bands("X ≥ 80%", "75% < X < 80%", "X < 75%")) == [
        ("KPI403", ("items", 0, "bands"))]
    # the reading branch-cs takes: one side each
    assert codes(bands("X ≥ 80%", "75% ≤ X < 80%", "X < 75%")) == []


def test_kpi_check_counts_each_schemes_readings(tmp_path: Path) -> None:
    done = kpi("check", "--ledger", str(ROOT / "ledger"), cwd=ROOT, cache=tmp_path / "c")
    assert done.returncode == 0, done.stderr
    assert "ledger/schemes/it-ops.yaml：方案 it-ops，1 个指标，对原文的解读 6 条" in done.stderr
    lines = [x for x in done.stderr.splitlines() if "对原文的解读" in x]
    assert len(lines) == len(list((ROOT / "ledger" / "schemes").glob("*.yaml")))
    assert all(not x.endswith("解读 0 条") for x in lines)  # every example states some
    assert "没有发现问题" in done.stderr
    # the JSON format stays a JSON list of diagnostics only
    done = kpi("check", "--ledger", str(ROOT / "ledger"), "--format", "json", cwd=ROOT,
               cache=tmp_path / "c")
    assert done.stdout.strip() == "[]" and "对原文的解读" not in done.stderr
