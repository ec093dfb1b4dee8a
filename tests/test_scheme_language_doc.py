"""docs/scheme-language.md is checked against the real code.

Every block marked `<!-- example: item -->` or `<!-- example: scheme -->` is built into a scheme
and must pass the schema, the scheme builder and the scheme checker (KPI402 is allowed: a
one-item scheme cannot weigh 100). Every `<!-- mistake: item|scheme KPIxxx -->` block must be
caught with that code. The page must name every scoring method and input kind the schema
knows, and a few worked numbers written on the page are recomputed by the engine.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kpiledger.check.schemes import check_scheme
from kpiledger.diagnostics import Diagnostic
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load
from kpiledger.model import Org, Person, Record, Scheme, Unit
from kpiledger.model.inputs import measure
from kpiledger.model.schemes import build_scheme
from kpiledger.numbers import fmt
from kpiledger.score.ledger import score_assessee
from kpiledger.score.methods import score_item

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "scheme-language.md"
TEXT = DOC.read_text(encoding="utf-8")
FILE = "schemes/x.yaml"
ALLOWED = {"KPI402"}  # weights not adding up to 100: expected for a one-item scheme

_BLOCK = re.compile(
    r"^<!-- (example|mistake): (item|scheme)(?: (KPI\d{3}))? -->\n```yaml\n(.*?)^```",
    re.M | re.S,
)


def _blocks(marker: str) -> list[tuple[int, str, str | None, str]]:
    """(line, kind, expected code, yaml text) of each block marked with `marker`."""
    return [
        (TEXT.count("\n", 0, m.start()) + 1, m.group(2), m.group(3), m.group(4))
        for m in _BLOCK.finditer(TEXT)
        if m.group(1) == marker
    ]


EXAMPLES = _blocks("example")
MISTAKES = _blocks("mistake")

BASE: dict[str, Any] = {
    "id": "x",
    "title": "示例方案",
    "period_kind": "month",
    "applies_to": {"units": ["u"]},
    "assessors": {"superior": 100},
    "items": [
        {
            "id": "score",
            "title": "综合得分",
            "by": "superior",
            "input": "points",
            "direct": True,
            "max": 100,
        },
    ],
}


def _roles(items: list[dict[str, Any]]) -> list[str]:
    roles: list[str] = []
    for item in items:
        by = item.get("by", "superior")
        for role in [by] if isinstance(by, str) else by:
            if role != "data" and role not in roles:
                roles.append(role)
    return roles or ["superior"]


def scheme_doc(kind: str, text: str) -> dict[str, Any]:
    """The block wrapped into (item) or merged over (scheme) a minimal scheme."""
    block, diags = load(text.encode("utf-8"), "docs/scheme-language.md")
    assert not diags, [x.message("en") for x in diags]
    if kind == "item":
        items = block if isinstance(block, list) else [block]
        return {**BASE, "assessors": dict.fromkeys(_roles(items), 100), "items": items}
    assert isinstance(block, dict), "a scheme example is a mapping of top-level keys"
    return {**BASE, **block}


def build(kind: str, text: str) -> tuple[Scheme | None, list[Diagnostic]]:
    doc = scheme_doc(kind, text)
    diags = validate("scheme", doc, FILE)
    scheme, built = build_scheme(doc, FILE)
    diags += built
    if scheme is not None:
        diags += check_scheme(scheme)
    return scheme, diags


def _id(block: tuple[int, str, str | None, str]) -> str:
    line, kind, code, _ = block
    return f"line{line}-{kind}" + (f"-{code}" if code else "")


def test_the_page_has_examples_of_both_kinds() -> None:
    kinds = {kind for _, kind, _, _ in EXAMPLES}
    assert kinds == {"item", "scheme"} and len(EXAMPLES) >= 25
    # every yaml block on the page is marked, so none escapes the checks below
    assert TEXT.count("```yaml") == len(EXAMPLES) + len(MISTAKES)


@pytest.mark.parametrize("block", EXAMPLES, ids=_id)
def test_example_builds_and_checks_clean(block: tuple[int, str, str | None, str]) -> None:
    _, kind, _, text = block
    scheme, diags = build(kind, text)
    assert scheme is not None
    errors = [
        f"{x.code} {x.message('en')}"
        for x in diags
        if x.severity == "error" and x.code not in ALLOWED
    ]
    assert not errors


@pytest.mark.parametrize("block", MISTAKES, ids=_id)
def test_mistake_is_caught_with_its_code(block: tuple[int, str, str | None, str]) -> None:
    _, kind, code, text = block
    _, diags = build(kind, text)
    assert code in {x.code for x in diags}
    shown = next(x for x in diags if x.code == code)
    # the page quotes the message the user sees (up to any list of available names)
    quoted = shown.message("zh").split("；这里可用")[0]
    assert quoted in TEXT, quoted


def _schema() -> dict[str, Any]:
    return json.loads((ROOT / "schemas" / "scheme.schema.json").read_text(encoding="utf-8"))


def test_every_method_and_input_kind_is_documented() -> None:
    schema = _schema()
    item = schema["$defs"]["item"]
    inputs = item["properties"]["input"]["enum"]
    methods = {
        rule["if"]["required"][0]
        for rule in item["allOf"]
        if list(rule["if"]) == ["required"]
        and sum(v == {"not": {}} for v in rule["then"].get("properties", {}).values()) > 2
    }  # a scoring method is a field that rules out all the other methods
    assert {"bands", "linear", "deductions", "formula"} <= methods
    props = schema["properties"]
    enums = {
        "missing_assessor": props["missing_assessor"]["enum"],
        "ranking.group": props["ranking"]["properties"]["group"]["enum"],
        "aggregate.method": props["aggregate"]["properties"]["method"]["enum"],
        "rule when": list(schema["$defs"]["rule"]["properties"]["when"]["properties"]),
        "deductions": list(item["properties"]["deductions"]["properties"]),
        "veto": ["veto"],
    }
    names = [*inputs, *sorted(methods), *(n for v in enums.values() for n in v)]
    missing = [n for n in names if f"`{n}`" not in TEXT]
    assert not missing, f"not documented on {DOC.name}: {missing}"
    for name in inputs:
        assert f"input: {name}" in TEXT, f"no example with input: {name}"


def _item_example(item_id: str):
    """The built item of the one item example that defines `item_id`."""
    found = []
    for _, kind, _, text in EXAMPLES:
        if kind == "item" and re.search(rf"^- id: {re.escape(item_id)}$", text, re.M):
            scheme, _ = build(kind, text)
            assert scheme is not None
            found.append((scheme, scheme.item(item_id)))
    assert len(found) == 1, f"{item_id}: {len(found)} examples"
    return found[0]


@pytest.mark.parametrize(
    ("item_id", "raw", "points", "written"),
    [
        (
            "conversion",
            {"numerator": 150, "denominator": 200},
            "100",
            "150/200 = 75% → `X ≥ 75%` → 100 分 × 35% = 35",
        ),
        (
            "conversion",
            {"numerator": 140, "denominator": 200},
            "80",
            "140/200 = 70% → `75% > X ≥ 65%` → 80 分 × 35% = 28",
        ),
        ("response_time", 40, "80", "平均 40 秒 → `30 < T ≤ 45` → 80 分 × 5% = 4"),
        ("feedback_timely", {"numerator": 0, "denominator": 0}, "100", "0/0 → 100 分 × 15% = 15"),
        ("survey_score", [95, 88, 82], "98.15", "98.15 分 × 20% = 19.63"),
        ("productivity", "6%", "100", "提高 6% → 120 → 封顶 100 分 × 10% = 10"),
        (
            "attendance",
            [{"kind": "late", "count": 2}, {"kind": "leave_day", "count": 3}],
            "3",
            "迟到 2 次、请假 3 天 → 10 − 2×2 − 3×1 = 3 分",
        ),
        (
            "annual_plan",
            [
                {"kind": "critical_path_omission"},
                {"kind": "interface_omission", "count": 2},
                {"kind": "node_omission"},
            ],
            "60",
            "100 − 15 − 20 − 5 = 60 分 × 50% = 30",
        ),
        (
            "operation",
            [
                {"kind": "entry_error", "count": 2},
                {"kind": "flow_impact", "points": 1},
                {"kind": "flow_impact", "points": 2},
                {"kind": "flow_impact", "points": 3},
            ],
            "87.8",
            "(1+2+3) × 2 = 12 → 100 − 0.2 − 12 = 87.8 分",
        ),
        ("suggestions", 32, "5", "32 条 → 6 → 上限 5 分"),
        ("workload", 1300, "80", "实际工作量 1300 → 100 − 20 = 80 分"),
    ],
)
def test_worked_number_is_what_the_engine_scores(
    item_id: str, raw: Any, points: str, written: str
) -> None:
    assert written in TEXT
    scheme, item = _item_example(item_id)
    measured, problems = measure(item, raw)
    assert not problems and measured is not None
    scored = score_item(item, measured, scheme.precision, scheme.params)
    assert scored.points is not None
    assert fmt(scored.points, 2) == fmt(Decimal(points), 2)
    if item.weight is not None:
        share = fmt(scored.points * item.weight / 100, 2)
        assert f"= {Decimal(share).normalize():f}" in written


# Whole-scheme worked numbers, scored by score_assessee on one assessee --------------------

ORG = Org(
    company="示例",
    hr=(),
    units={"u": Unit(id="u", name="U", parent=None)},
    people={"p": Person(id="p", name="P", unit="u")},
)


def _scheme_example(heading: str) -> Scheme:
    start = TEXT.index(heading)
    line = TEXT.count("\n", 0, start) + 1
    _, kind, _, text = next(b for b in EXAMPLES if b[0] > line)
    scheme, _ = build(kind, text)
    assert scheme is not None
    return scheme


def _score(scheme: Scheme, by_role: dict[str, dict[str, Any]]):
    records = [
        Record(
            file=f"2026-03/u/p.{role}.yaml",
            period="2026-03",
            scheme=scheme.id,
            unit="u",
            assessee="p",
            role=role,
            author="a",
            items=items,
        )
        for role, items in by_role.items()
    ]
    return score_assessee(scheme, records, ORG)


def _skill(failures: int) -> list[dict[str, Any]]:
    return [{"kind": "spot_check_fail", "count": failures}]


def test_several_assessors_worked_numbers() -> None:
    scheme = _scheme_example("## 10. 多个考核主体")
    records = {
        "self": {"skill": _skill(1)},
        "superior": {"skill": _skill(2), "other": 0},
        "group": {"skill": _skill(3)},
    }
    assert _score(scheme, records).total == Decimal("25.80")
    del records["group"]
    assert _score(scheme, records).total == Decimal("26.57")
    for policy, total in (("zero", Decimal("18.60")), ("incomplete", None)):
        changed = Scheme(**{**scheme.__dict__, "missing_assessor": policy})
        assert _score(changed, records).total == total
    assert "(28×20 + 26×50 + 24×30) / 100 = 25.8" in TEXT
    assert "`renormalise` (28×20 + 26×50) / 70 = 26.57，`zero` → 18.6" in TEXT


def test_document_8_total_formula() -> None:
    scheme = _scheme_example("## 11. 总分公式")
    result = _score(
        scheme,
        {
            "superior": {"duties": 100, "plan": 96, "survey": 100, "key": 90},
            "self": {"duties": 100, "plan": 96, "survey": 100, "key": 100},
        },
    )
    assert result.total == Decimal("70.92")
    assert "78.8 × 0.9 = 70.92" in TEXT


def test_document_4_pay_and_document_14_qc_factor() -> None:
    pay = _scheme_example("### 13.1 绩效工资")
    assert _score(pay, {"superior": {"score": 50}}).money["perf_pay"] == Decimal("375.00")
    assert "50 分 → 750 × 50 / 100 = 375 元" in TEXT
    qc = _scheme_example("### 13.2 QC")
    items = {"work_days": 22, "workload": 1300, "qc": "85%", "contribution": 100}
    money = _score(qc, {"superior": items}).money
    assert (money["workload_pay"], money["qc_factor"], money["bonus"]) == (
        Decimal("280.00"),
        Decimal("1.25"),
        Decimal("450.00"),
    )
    money = _score(qc, {"superior": {**items, "contribution": 200}}).money
    assert money["bonus"] == Decimal("500.00")
    money = _score(qc, {"superior": {**items, "qc": "60%"}}).money
    assert (money["qc_factor"], money["bonus"]) == (Decimal("0.50"), Decimal("240.00"))
    assert "280 × 1.25 = 350，加贡献度 100 → 450 元" in TEXT


def test_document_4_skip_shares_the_weight() -> None:
    path = ROOT / "ledger" / "schemes" / "cs-agent.yaml"
    doc, _ = load(path.read_bytes(), "schemes/cs-agent.yaml")
    scheme, _ = build_scheme(doc, "schemes/cs-agent.yaml")
    assert scheme is not None
    records = {
        "superior": {
            "conversion": {"numerator": 150, "denominator": 200},
            "payment": {"numerator": 0, "denominator": 0},
            "unit_price": {"numerator": 1, "denominator": 1},
            "reply_rate": {"numerator": 1, "denominator": 1},
            "response_time": 10,
            "refund_rate": {"numerator": 0, "denominator": 1},
            "work": 10,
            "attitude": 5,
            "attendance": [],
            "suggestions": 0,
        }
    }
    result = _score(scheme, records)
    conversion = next(i for i in result.items if i.id == "conversion")
    assert fmt(conversion.contribution, 2) == "47.73"
    assert "35 × 75/55 = 47.73，得 100 分时贡献 47.73" in TEXT
