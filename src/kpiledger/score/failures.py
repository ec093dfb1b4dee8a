"""Formulas that failed while they ran, as words and as diagnostics.

A total or money formula can be sound and still fail for one person (a division by an item
that is zero for them, an overflow, the root of a negative). The result then has no total
or lacks that amount, and says why (`Result.failures`); here those reasons become text for
the outputs and diagnostics (KPI503 total, KPI504 money) placed at the formula's line in the
scheme, naming the record and the values the formula read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.positions import place
from kpiledger.model import Scheme
from kpiledger.numbers import plain
from kpiledger.score.results import FormulaFailure, Result

# FormulaError.kind (and "depends") → why, in Chinese and English
REASONS: dict[str, tuple[str, str]] = {
    "zero": ("除数为零", "division by zero"),
    "overflow": ("数值过大", "a number too large"),
    "invalid": ("无效运算，如 0/0 或负数开方", "invalid: 0/0 or a negative root"),
    "unknown": ("公式中的名称没有取值", "a name in the formula has no value"),
    "depends": ("所引用的金额未能算出", "it reads an amount that could not be computed"),
    "other": ("无法计算", "cannot be computed"),
}
TOTAL = "total"


def failure_code(f: FormulaFailure) -> str:
    return "KPI503" if f.target == TOTAL else "KPI504"


def reason(kind: str, lang: str = "zh") -> str:
    zh, en = REASONS.get(kind, REASONS["other"])
    return en if lang == "en" else zh


def values_text(f: FormulaFailure) -> str:
    """The values the formula read: `work_days_value = 0, qc_value = 0.9`."""
    if f.kind == "depends":
        return ", ".join(name for name, _ in f.values)
    return ", ".join(f"{n} = {plain(v)}" for n, v in f.values if isinstance(v, Decimal)) or "—"


def formula_path(scheme: Scheme, target: str) -> tuple[str | int, ...]:
    if target == TOTAL:
        return ("total", "formula")
    index = next((k for k, m in enumerate(scheme.money) if m.id == target), 0)
    return ("money", index, "formula")


def failure_diagnostic(
    scheme: Scheme, period: str, assessee: str, files: Iterable[str], f: FormulaFailure
) -> Diagnostic:
    """The diagnostic of one failed formula, at the formula (placed later, with the rest)."""
    money = next((m for m in scheme.money if m.id == f.target), None)
    return d(
        scheme.file,
        failure_code(f),
        formula_path(scheme, f.target),
        period=period,
        assessee=assessee,
        record=", ".join(files),
        money=money.title if money else f.target,
        money_id=f.target,
        reason_zh=reason(f.kind, "zh"),
        reason=reason(f.kind, "en"),
        values=values_text(f),
    )


def failure_diagnostics(
    results: Iterable[Result], schemes: Mapping[str, Scheme], root: str
) -> list[Diagnostic]:
    """One diagnostic per failed formula per result, at the formula's line in the scheme."""
    found = [
        failure_diagnostic(schemes[r.scheme], r.period, r.assessee, r.files, f)
        for r in results
        if r.failures and r.scheme in schemes
        for f in r.failures
    ]
    if not found:
        return []
    texts = {}
    for x in found:
        if x.file not in texts:
            try:
                texts[x.file] = (Path(root) / x.file).read_bytes().decode("utf-8-sig", "replace")
            except OSError:
                texts[x.file] = ""
    return [x if x.line is not None else x.at(1, 1) for x in place(found, texts)]
