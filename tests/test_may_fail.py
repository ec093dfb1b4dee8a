"""The static "may this formula fail while it runs?" test (`kpi check` scores only schemes whose
formulas may fail, to find KPI503/504). It may answer "may fail" too often, never too rarely:
random formulas over random values in their bounds either run to a value inside the computed
bound, or the formula was classed "may fail"; every formula the contract's property test can
make fail (文档14's GS bonus) is classed "may fail"; the example schemes' simple formulas
(750 × total / 100, total × 80%, a sum of items) are classed "cannot fail"."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from test_contract import _ledger, params, person
from test_golden import LEDGER, rec

from kpiledger.check.ledger import open_ledger
from kpiledger.model.formula import FormulaError, compile_formula
from kpiledger.model.formula_bounds import Bound, may_fail, result_bound
from kpiledger.pipeline import check, evaluate
from kpiledger.score.may_fail import failing_formulas, formulas_may_fail

BIG = 10**12


def _schemes(root: Path) -> dict:
    return open_ledger(root, use_cache=False).ledger.schemes


def test_the_example_schemes_simple_formulas_cannot_fail() -> None:
    schemes = _schemes(LEDGER)
    # cs-agent: perf_pay_total * total / 100 (750 × total%), and a sum of params and pay;
    # dept-user-service: a product of 0–100 points, total * 80%, total * 20%;
    # product-staff: (a + b + c + d + e) * 100 / 50 over points items
    for name in ("cs-agent", "dept-user-service", "product-staff"):
        assert failing_formulas(schemes[name]) == [], name
    assert not formulas_may_fail(schemes["it-ops"])  # no formula at all


def test_750_times_total_over_100_cannot_fail() -> None:
    formula = compile_formula("750 × total / 100")
    assert result_bound(formula, {"total": Bound(0, 100)}) == Bound(0, 750)
    # a total of points items scored up to ±10^12 still stays under the 1e15 limit
    assert not may_fail(formula, {"total": Bound(-BIG, BIG)})
    assert may_fail(formula, {"total": Bound(0, 10**14)})  # 7.5e15 > 1e15


def test_gs_bonus_every_formula_may_fail() -> None:
    # Its items are input-only (a record may leave them out), its params reach ±10^12 in the
    # property test, and QC can take the factor anywhere: each formula can fail.
    assert failing_formulas(_schemes(LEDGER)["gs-bonus"]) == [
        "total", "workload_pay", "qc_factor", "base_bonus_pay", "bonus"]


def test_what_may_fail() -> None:
    sure = {"a": Bound(0, 10), "b": Bound(1, 5), "z": Bound(-1, 1)}
    fails = {
        "a / z": "a divisor that may be 0",
        "a / (b - 1)": "b - 1 may be 0",
        "a ** 2": "**",
        "round_half_up(a, b)": "digits not a constant",
        "clamp(a, b, z)": "low may be above high",
        "a + missing": "a name without a value",
        "a + c": "a name that not every assessee has",
        "(a > b) + 1": "a yes/no in arithmetic",
        "a > b": "the result is not a number",
        "a * 1e14": "past 1e15",
        "a * 1e12 * 1e12 / 1e20": "an intermediate past the limit",
    }
    names = {**sure, "c": Bound(0, 1, sure=False)}
    for text, why in fails.items():
        assert may_fail(compile_formula(text), names), why
    for text in ("a / b", "a / 4", "a * 80%", "clamp(a * z, 0, 500)", "min(a, b) + max(z, 2)",
                 "abs(z) + floor(a) + ceil(b) + round_half_up(a / b, 2)",
                 "(a if a > b else b) * 2", "a / -2"):
        assert not may_fail(compile_formula(text), names), text


# Random formulas over three names, checked against the evaluator on random values.
_LEAF = st.one_of(st.sampled_from(["a", "b", "c"]),
                  st.sampled_from(["0", "1", "2", "100", "0.5", "1000000"]))


def _grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    two = st.tuples(inner, inner)
    return st.one_of(
        st.builds(lambda p, op: f"({p[0]} {op} {p[1]})", two, st.sampled_from("+-*/")),
        st.builds(lambda p: f"min({p[0]}, {p[1]})", two),
        st.builds(lambda p: f"max({p[0]}, {p[1]})", two),
        st.builds(lambda x: f"abs({x})", inner),
        st.builds(lambda x: f"(-{x})", inner),
        st.builds(lambda x: f"round_half_up({x}, 2)", inner),
        st.builds(lambda x: f"floor({x})", inner),
        st.builds(lambda p, lo: f"clamp({p[0]}, {lo}, {p[1]})", two, _LEAF),
        st.builds(lambda p, q: f"({p[0]} if {q[0]} > {q[1]} else {p[1]})", two, two),
        st.builds(lambda p: f"({p[0]} ** {p[1]})", two),
    )


_FORMULAS = st.recursive(_LEAF, _grow, max_leaves=8)
@settings(max_examples=500, deadline=None, database=None)
@given(text=_FORMULAS, scale=st.sampled_from([10, 10**6, BIG]), data=st.data())
def test_a_formula_classed_cannot_fail_never_fails(
    text: str, scale: int, data: st.DataObject
) -> None:
    edge = [Decimal(0), Decimal(1), Decimal(-1), Decimal(scale), Decimal(-scale),
            Decimal("0.001")]
    numbers = st.one_of(st.integers(-scale, scale).map(Decimal), st.sampled_from(edge))
    values = {n: data.draw(numbers, label=n) for n in ("a", "b", "c")}
    formula = compile_formula(text)
    bound = result_bound(formula, dict.fromkeys(values, Bound(-scale, scale)))
    try:
        value = formula.evaluate(values)
    except FormulaError:
        assert bound is None, f"{text} failed for {values} but was classed cannot fail"
        return
    if bound is not None:
        assert bound.low <= float(value) <= bound.high, (text, values, bound)


@settings(max_examples=8, deadline=None, database=None)
@given(params=params, people=st.lists(person, min_size=1, max_size=3))
def test_every_formula_the_contract_can_make_fail_is_classed_may_fail(
    tmp_path_factory: object, params: dict[str, str], people: list[dict[str, str]]
) -> None:
    """The contract test's ledgers (文档14 GS bonus, params and inputs up to ±10^12): every
    formula that fails for someone is among `failing_formulas`, and `kpi check` reports it."""
    root = tmp_path_factory.mktemp("contract") / "ledger"  # type: ignore[attr-defined]
    _ledger(root, params)
    for who, items in zip(("E1301", "E1302", "E1303"), people, strict=False):
        rel, text = rec("2026-05", "gs-bonus", "cs-gs", who, "superior", "E1300", items)
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    evaluation = evaluate(root, use_cache=False)
    failed = {f.target for r in evaluation.results.results for f in r.failures}
    classed = set(failing_formulas(evaluation.ledger.schemes["gs-bonus"]))
    assert failed <= classed
    codes = {x.code for x in check(root, use_cache=False)}
    if "total" in failed:
        assert "KPI503" in codes
    if failed - {"total"}:
        assert "KPI504" in codes


def test_the_random_formulas_are_not_all_classed_may_fail() -> None:
    """The property above checks something: formulas of the kind it draws are classed
    "cannot fail" when their bounds allow it."""
    small = {n: Bound(-10, 10) for n in "abc"}
    for text in ("(a + b) * c", "clamp((a * 1000000), 0, 100)", "(a if b > c else -c) / 2",
                 "round_half_up(abs(a - b), 2) + floor(c)"):
        assert not may_fail(compile_formula(text), small), text
