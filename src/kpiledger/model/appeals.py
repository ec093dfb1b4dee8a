"""Appeals (申诉 / 异议) and HR's decisions on them, as the model holds them.

An appeal is the assessee's own file `<period>/<unit>/<assessee>.appeal-<n>.yaml` contesting
one result (period, scheme, optionally some items) with a reason; HR decides it in the file
beside it, `….appeal-<n>.decision.yaml`: upheld (a correction of the result follows) or
rejected (with a reason). Who made each file is proven by git, not by the fields
(`git.acts`, `review.acts`, `site.pages.appeals`); an appeal is open while it has no decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from kpiledger.load.layout import parse_appeal_path
from kpiledger.model.org import Org

UPHELD, REJECTED = "upheld", "rejected"
WINDOW_DAYS = 5  # the default appeal window: 5 days after the period's due time
WINDOW_FROM = ("due",)  # the moments a window may count from


@dataclass(frozen=True)
class Decision:
    """HR's decision on one appeal, as written."""

    file: str
    decision: str
    """upheld | rejected (text as written when the file breaks its schema)."""
    decided_by: str
    reason: str = ""
    correction: str = ""
    """The correction an upheld appeal comes with ('' : any correction of the result)."""


@dataclass(frozen=True)
class Appeal:
    """One appeal against one result, with HR's decision once there is one."""

    file: str
    period: str
    unit: str
    """The folder it is filed in: the assessee's unit."""
    assessee: str
    scheme: str
    reason: str
    items: tuple[str, ...] = ()
    """The contested items; empty: the whole result."""
    decision: Decision | None = None

    @property
    def open(self) -> bool:
        """Not decided yet."""
        return self.decision is None

    @property
    def decision_file(self) -> str:
        return self.file[: -len(".yaml")] + ".decision.yaml"


def appeal_window(spec: Any) -> tuple[int, str]:
    """A scheme's `appeals:` → (days, counted from); the default where left out or broken
    (the schema reports what is wrong; the default keeps appeals measurable meanwhile)."""
    spec = spec if isinstance(spec, dict) else {}
    days = spec.get("window_days", WINDOW_DAYS)
    start = spec.get("from", WINDOW_FROM[0])
    ok = isinstance(days, int) and not isinstance(days, bool) and days >= 0
    return (days if ok else WINDOW_DAYS), (start if start in WINDOW_FROM else WINDOW_FROM[0])


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def build_appeal(doc: dict[str, Any], rel: str) -> Appeal:
    """An appeal document at `rel` → Appeal (undecided); the folder gives its unit."""
    where = parse_appeal_path(rel)
    items = doc.get("items") if isinstance(doc.get("items"), list) else []
    return Appeal(
        file=rel,
        period=_s(doc.get("period")),
        unit=where.unit if where else "",
        assessee=_s(doc.get("assessee")),
        scheme=_s(doc.get("scheme")),
        reason=_s(doc.get("reason")).strip(),
        items=tuple(_s(i) for i in items),
    )


def build_decision(doc: dict[str, Any], rel: str) -> Decision:
    return Decision(
        file=rel,
        decision=_s(doc.get("decision")),
        decided_by=_s(doc.get("decided_by")),
        reason=_s(doc.get("reason")).strip(),
        correction=_s(doc.get("correction")),
    )


def joined(appeals: Iterable[Appeal], decisions: Iterable[Decision]) -> tuple[Appeal, ...]:
    """Each appeal with the decision beside it, in path order. A decision without its appeal
    is left out here (the checker reports it)."""
    by_file = {x.file: x for x in decisions}
    out = []
    for a in sorted(appeals, key=lambda x: x.file):
        found = by_file.get(a.decision_file)
        out.append(a if found is None else replace(a, decision=found))
    return tuple(out)


def open_appeals(appeals: Iterable[Appeal], org: Org, *, person: str | None = None,
                 unit: str | None = None, period: str | None = None) -> list[Appeal]:
    """The appeals still waiting for HR's decision: of one person, of everyone in a unit or
    below it, of one period, or all. Pure: what `kpi status`, the site and `kpi period close`
    ask, and what a "still open" list adds per person and unit."""
    out = []
    for a in appeals:
        if not a.open or (person is not None and a.assessee != person):
            continue
        if period is not None and a.period != period:
            continue
        if unit is not None:
            owner = org.people.get(a.assessee)
            if unit not in org.ancestors(owner.unit if owner else a.unit):
                continue
        out.append(a)
    return out
