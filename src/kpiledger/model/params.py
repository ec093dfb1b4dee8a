"""A scheme's params: named constants for its formulas, written as a number or a percentage
(`perf_pay_total: 750`), or with the title and unit the site shows
(`perf_pay_total: {value: 750, title: 绩效工资总值, unit: 元}`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from kpiledger.model import Param, Path
from kpiledger.numbers import is_percent_text


def build_params(
    raw: dict[str, Any], number: Callable[[Any, Path], Decimal | None]
) -> dict[str, Param]:
    """Each param by name; `number` reads a value at a path (reporting what it cannot read),
    and a param whose value cannot be read is left out."""
    out: dict[str, Param] = {}
    for name, entry in raw.items():
        spec = entry if isinstance(entry, dict) else {"value": entry}
        path: Path = ("params", name, "value") if isinstance(entry, dict) else ("params", name)
        value = number(spec.get("value"), path)
        if value is None:
            continue
        out[str(name)] = Param(
            id=str(name),
            value=value,
            title=_text(spec.get("title")),
            title_en=_text(spec.get("title_en")),
            unit=_text(spec.get("unit")),
            unit_en=_text(spec.get("unit_en")),
            percent=is_percent_text(spec.get("value")),
        )
    return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
