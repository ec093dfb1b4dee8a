"""Scoring shares one item result between everyone who gave the same input (`score.item.Scoring`).
Property: for random schemes and records drawn from small pools of inputs (so they repeat),
every result scored with the whole ledger equals the same assessee scored alone, down to the
sign of a zero and the key order of a dict. The inputs are the kinds YAML can produce, good and
bad; the schemes mix every method, assessor sets, missing-assessor policies, formulas, money
and lateness."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpiledger.load.yaml_loader import load
from kpiledger.model import Calendar, Ledger, Org, Period, Person, Record, Unit
from kpiledger.model.schemes import build_scheme
from kpiledger.score.item import Scoring
from kpiledger.score.lateness import Landing, record_lateness
from kpiledger.score.ledger import score_assessee, score_ledger

ORG = Org(
    company="x",
    hr=("E0001",),
    units={"cs": Unit("cs", "CS", None), "t1": Unit("t1", "T1", "cs"),
           "t2": Unit("t2", "T2", "cs"), "da": Unit("da", "DA", None)},
    people={f"E{n}": Person(f"E{n}", f"P{n}", "t1" if n < 5 else "t2") for n in range(1, 10)},
)
CALENDAR = Calendar("Asia/Shanghai", {
    "2026-03": Period("2026-03", "month", "2026-03-01", "2026-03-31", "2026-04-05 17:30", "open"),
})

ITEMS = {
    "rs": 'input: ratio, zero_denominator: skip, {w}, bands: [{{when: "X >= 75%", points: 100}},'
          ' {{when: "75% > X >= 50%", points: 60}}, {{when: "X < 50%", points: 0}}]',
    "rz": "input: ratio, zero_denominator: 50, {w}, linear: {{target: 100%}}",
    "nb": 'input: number, {w}, bands: [{{when: "T <= 30", points: 100}}, {{when: "T > 30",'
          ' points: 0}}]',
    "pl": "input: percent, {w}, linear: {{target: 5%, full: 100, floor: 0, cap: 100}}",
    "cb": "input: count, bonus: {{every: 5, points: 1, cap: 5}}",
    "cv": 'input: count, veto: {{when: "X > 0", total: 0}}',
    "lv": "input: level, {w}, levels: [{{level: A, points: 100}}, {{level: 8, points: 60}}]",
    "ps": "input: pass, {w}, pass: {{pass_points: 100, fail_points: 0}}",
    "oc": "input: occurrences, {w}, deductions: {{full: 100, per: {{late: 2, small: 0.1, big:"
          " {{min: 1, max: 3}}}}, names: {{late: 迟到}}, escalate: {{at: 3, factor: 2}},"
          " late: late}}",
    "av": "input: average, {w}, linear: {{target: 90}}",
    "pd": "input: points, direct: true, max: 10",
    "nf": "input: number, {w}, formula: clamp(X * k, 0, 100)",
    "ni": "input: number",
}
ROLE_SETS = ["superior", "self", "data", "[self, superior]", "[self, superior, group]",
             "[superior, data]"]

scalars = st.sampled_from([
    0, 1, 3, -1, 10, 30, 99, 100, 10**40, 0.0, -0.0, 1.0, 30.0, 2.675, 1e300, float("inf"),
    True, False, None, "1", "A", "8", "", "92%", " 5% ", "-0%", "80％", "NaN",
])
numbers = st.sampled_from([0, 1, 3, 47, 50, 100, 0.0, -0.0, 1.0, 100.0, -1, True, None, "1"])
ratios = st.builds(lambda n, d, extra: {"numerator": n, "denominator": d, **extra},
                   numbers, numbers, st.sampled_from([{}, {}, {"note": "a"}]))
entries = st.fixed_dictionaries(
    {"kind": st.sampled_from(["late", "small", "big", "unknown"])},
    optional={"count": st.sampled_from([1, 2, 3, 0, 1.0, 2.5, -1, True, "2"]),
              "points": st.sampled_from([1, 3, 1.5, 4, None]),
              "reason": st.sampled_from(["地铁故障", "暴雨", ""]),
              "date": st.sampled_from(["2026-03-02", "2026-03-09"])},
)
occurrences = st.one_of(st.lists(entries, max_size=4), st.just(None), st.just([1]))
averages = st.lists(st.sampled_from([95, 82, 90.0, -0.0, "x"]), min_size=0, max_size=3)
raws = st.one_of(scalars, ratios, occurrences, averages)
# Inputs that are equal in Python but not to scoring: a key that merged them would be wrong.
TWINS = [
    [0, 0.0, -0.0, False],
    [1, 1.0, True, "1"],
    [{"numerator": 0, "denominator": 0}, {"numerator": -0.0, "denominator": 0.0}],
    [[{"kind": "late"}], [{"kind": "late", "count": 1.0}], [{"kind": "late", "count": True}]],
]


@st.composite
def schemes(draw: st.DrawFn) -> tuple[str, list[str]]:
    keys = draw(st.lists(st.sampled_from(sorted(ITEMS)), min_size=1, max_size=5, unique=True))
    lines = []
    for k in keys:
        size = draw(st.sampled_from(["weight: 40", "weight: 60", "max: 100", "max: 20"]))
        by = draw(st.sampled_from(ROLE_SETS))
        source = ", source_unit: da" if "data" in by else ""
        lines.append(f"  - {{id: {k}, title: {k}, by: {by}{source}, "
                     f"{ITEMS[k].format(w=size)}}}")
    policy = draw(st.sampled_from(["renormalise", "zero", "incomplete"]))
    total = draw(st.sampled_from(["", f"total: {{formula: {keys[0]} * 2, max: 80}}",
                                  f"total: {{formula: {keys[0]}_value + base}}"]))
    money = draw(st.sampled_from([
        "", "money: [{id: pay, title: P, formula: perf * total / 100, min: 0}]",
        f"money: [{{id: pay, title: P, formula: perf * total / 100}}, {{id: tip, title: T, "
        f"formula: pay * 2 + {keys[-1]}_value, max: 5000}}]",
    ]))
    text = f"""id: t
title: T
assessors: {{self: 20, superior: 50, group: 30, data: {draw(st.sampled_from([0, 10]))}}}
missing_assessor: {policy}
precision: {draw(st.sampled_from([0, 2, 3]))}
params: {{k: 1.5, base: 70, perf: 750}}
grades: [{{grade: G1, min: 90}}, {{grade: G2, min: 0}}]
{total}
{money}
items:
""" + "\n".join(lines) + "\n"
    return text, keys


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[Ledger, dict[str, Landing]]:
    text, keys = draw(schemes())
    data, problems = load(text.encode(), "schemes/t.yaml")
    assert not problems
    scheme, _ = build_scheme(data, "schemes/t.yaml")
    assert scheme is not None
    # a small pool, so inputs repeat; half the time it holds look-alike twins
    pool = draw(st.lists(raws, min_size=1, max_size=3))
    if draw(st.booleans()):
        pool += draw(st.sampled_from(TWINS))
    records, landings = [], {}
    for person in draw(st.lists(st.sampled_from(sorted(ORG.people)), min_size=1, max_size=7,
                                unique=True)):
        for role, source in (("superior", None), ("self", None), ("group", None),
                             ("data", "da")):
            if draw(st.integers(0, 4)) == 0:
                continue
            items: dict[str, Any] = {}
            for k in keys:
                choice = draw(st.integers(0, 5))
                if choice:
                    items[k] = draw(raws) if choice == 1 else draw(st.sampled_from(pool))
            name = f"2026-03/{person}.{role}.yaml"
            records.append(Record(file=name, period="2026-03", scheme="t",
                                  unit=ORG.people[person].unit, assessee=person, role=role,
                                  author="E0001", items=items, source_unit=source))
            days = draw(st.sampled_from([None, 0, 1, 3]))
            if days is not None:  # landed `days` started days after the due time
                when = dt.datetime.fromisoformat("2026-04-05T17:30:00+08:00")
                when += dt.timedelta(hours=24 * days - 1)
                landings[name] = Landing("abcdef0123456789", when.isoformat())
    ledger = Ledger(root=".", org=ORG, calendar=CALENDAR, schemes={"t": scheme},
                    records=tuple(records))
    return ledger, landings


def _exact(x: Any) -> Any:
    """Equality that also sees the sign of a zero, float text and dict key order."""
    if isinstance(x, Decimal):
        return ("D", str(x.normalize()) if x.is_finite() else str(x))
    if isinstance(x, tuple | list):
        return (type(x).__name__, *[_exact(v) for v in x])
    if isinstance(x, dict):
        return ("M", *[(k, _exact(v)) for k, v in x.items()])
    return (type(x).__name__, repr(x))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(ledgers())
def test_results_scored_together_equal_results_scored_alone(case: tuple[Ledger, Any]) -> None:
    ledger, landings = case
    together = score_ledger(ledger, landings)
    late = record_lateness(ledger, landings)
    for result in together.results:
        records = [r for r in ledger.records if r.assessee == result.assessee]
        alone = score_assessee(ledger.schemes["t"], records, ORG, Scoring(late=late))
        alone = alone._replace(rank=result.rank, of=result.of)
        assert _exact(alone) == _exact(result)
