"""Escalation counts repeats, not days: the part of the scheme checker that looks at a
`deductions` item's `escalate` and `measured_in`.

文档13 doubles "同类问题在同一个部门重复出现三次以上的" — the same problem three times. A kind
measured in days, hours or money (每延误1天扣3分) is one problem of some size: three days late
is not three repeats. The scorer leaves measured kinds out of escalation; this module warns
when a scheme opts one in (`escalate.quantities`, KPI430) and when a kind that reads like a
quantity (月结延误（天）, leave_day) is escalated as if it were a count (KPI431).
"""

from __future__ import annotations

import re

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.model import Item
from kpiledger.model.enums import QUANTITY_WORDS, Quantity

# Words of a kind's id or name that say it is measured, not counted.
_LOOKS_MEASURED: tuple[tuple[re.Pattern[str], Quantity], ...] = (
    (re.compile(r"(^|_)(day|days)($|_)|天|日数"), Quantity.DAY),
    (re.compile(r"(^|_)(hour|hours)($|_)|小时|工时"), Quantity.HOUR),
    (re.compile(r"(^|_)(amount|money|yuan)($|_)|金额|元"), Quantity.MONEY),
)


def looks_measured(kind: str, name: str) -> Quantity | None:
    """The quantity a kind's id or name suggests (leave_day, 月结延误（天）), or None."""
    for pattern, quantity in _LOOKS_MEASURED:
        if pattern.search(kind) or pattern.search(name):
            return quantity
    return None


def check_escalation(file: str, item: Item) -> list[Diagnostic]:
    """Findings about which kinds a deductions item escalates (see the module's docstring)."""
    spec = item.spec
    p = (*item.path, "deductions")
    per = spec.get("per") or {}
    measured = spec.get("measured_in") or {}
    opted = spec.get("escalate_quantities") or ()
    names = spec.get("names") or {}
    out = []
    for kind in measured:
        if kind not in per:
            out.append(d(file, "KPI419", (*p, "measured_in", kind), at_key=True,
                         detail_zh=f"measured_in 中的“{kind}”不在 per 的扣分类型中",
                         detail_en=f"measured_in names '{kind}', which is not a kind in `per`"))
    esc = spec.get("escalate")
    if esc is None:
        return out
    for n, kind in enumerate(opted):
        where = (*p, "escalate", "quantities", n)
        if kind not in measured:
            out.append(d(file, "KPI419", where,
                         detail_zh=f"escalate.quantities 中的“{kind}”没有在 measured_in 中写明单位",
                         detail_en=f"escalate.quantities names '{kind}', which measured_in "
                         "gives no unit"))
            continue
        zh, en = QUANTITY_WORDS[measured[kind]]
        out.append(d(file, "KPI430", where, kind=kind, unit_zh=zh, unit_en=en,
                     at=_plain(esc.get("at"))))
    for kind in per:
        if kind in measured:
            continue
        guess = looks_measured(kind, names.get(kind, ""))
        if guess is not None:
            zh, en = QUANTITY_WORDS[guess]
            out.append(d(file, "KPI431", (*p, "per", kind), at_key=True, kind=kind,
                         unit=str(guess), unit_zh=zh, unit_en=en))
    return out


def _plain(value: object) -> str:
    return "?" if value is None else f"{value}"
