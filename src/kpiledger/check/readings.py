"""The readings register in the scheme checker: each entry names an item or rule of its own
scheme (KPI432). `check.summary` counts a scheme's readings in `kpi check`'s output."""

from __future__ import annotations

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.model import Scheme


def check_readings(scheme: Scheme) -> list[Diagnostic]:
    """A reading that names an item or rule the scheme does not have."""
    items = {i.id for i in scheme.items}
    rules = {r.id for r in scheme.rules}
    out = []
    for r in scheme.readings:
        for field, name, known, zh, en in (("item", r.item, items, "指标", "item"),
                                          ("rule", r.rule, rules, "规则", "rule")):
            if name is not None and name not in known:
                out.append(d(scheme.file, "KPI432", (*r.path, field), kind_zh=zh, kind_en=en,
                             id=name, known=", ".join(sorted(known)) or "—"))
    return out
