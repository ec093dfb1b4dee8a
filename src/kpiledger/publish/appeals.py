"""The appeals still waiting for HR's decision, as `kpi status` says them: a line each in the
terminal and the status issue, an entry each in its JSON. Chinese first."""

from __future__ import annotations

from typing import Any

from kpiledger.model import Ledger
from kpiledger.model.appeals import Appeal, open_appeals


def waiting(ledger: Ledger, period: str | None = None) -> list[Appeal]:
    """The open appeals of `period`, or of every period (an appeal may be filed after its
    period closed, within its window)."""
    return open_appeals(ledger.appeals, ledger.org, period=period)


def _hr(ledger: Ledger, lang: str) -> str:
    names = [f"{ledger.org.name_of(h)}（{h}）" if lang == "zh" else f"{ledger.org.name_of(h)} "
             f"({h})" for h in ledger.org.hr]
    return "、".join(names) if lang == "zh" else ", ".join(names)


def appeal_line(ledger: Ledger, a: Appeal, lang: str = "zh") -> str:
    """"申诉待裁定 2026-05 张晓燕（E1101）· cs-agent · 指标 work（…）— 裁定：人力资源 …"."""
    name = ledger.org.name_of(a.assessee)
    items = "、".join(a.items) if lang == "zh" else ", ".join(a.items)
    if lang == "zh":
        what = f"指标 {items}" if a.items else "整个结果"
        return (f"申诉待裁定 {a.period} {name}（{a.assessee}）· {a.scheme} · {what}（{a.file}）"
                f"— 裁定：人力资源 {_hr(ledger, lang)}")
    what = f"items {items}" if a.items else "the whole result"
    return (f"appeal awaiting decision {a.period} {name} ({a.assessee}) · {a.scheme} · {what} "
            f"({a.file}) — decided by HR: {_hr(ledger, lang)}")


def appeals_lines(ledger: Ledger, appeals: list[Appeal], lang: str = "zh") -> list[str]:
    """A heading and a line per open appeal; nothing when there is none."""
    if not appeals:
        return []
    head = (f"未裁定的申诉（{len(appeals)} 件；未裁定前考核期不能作为最终结果关闭）" if lang == "zh"
            else f"Appeals awaiting HR's decision ({len(appeals)}; the period cannot close as "
            "final before they are decided)")
    return [head, *(appeal_line(ledger, a, lang) for a in appeals)]


def appeals_json(ledger: Ledger, appeals: list[Appeal]) -> list[dict[str, Any]]:
    return [{"period": a.period, "assessee": a.assessee, "name": ledger.org.name_of(a.assessee),
             "scheme": a.scheme, "items": list(a.items), "reason": a.reason, "file": a.file,
             "decided_by": list(ledger.org.hr)} for a in appeals]
