"""Follow-ups (后续事项): what a rule's outcome obliges someone to hand in, and by when.

A scheme rule may carry `followup:` — document 7's "月考核评比综合排名后三名，分部客户服务部
经理须在月工作通报下发后4天内将整改方案报总部客户服务部备案" is a `improvement-plan` owed by the
assessee's assessor, due 4 days after the monthly bulletin is published. The obligation is met
by a file of that kind landing in the ledger (`<period>/followups/<kind>/<assessee>.yaml`,
`load.layout`); `rules.obligations` works out who owes what and whether it came in time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

# The calendar moments a deadline counts from: the period's bulletin landing on main
# (`kpi bulletin --publish`), or the period's own due time in periods.yaml.
AFTER = ("bulletin", "period_due")
# Who owes it: the assessee, or the assessee's assessor as the org chart names them.
BY = ("assessee", "assessor")
# A built-in kind: a reward marked as paid (`<period>/followups/paid/<assessee>.yaml`).
PAID = "paid"


@dataclass(frozen=True)
class Followup:
    """What a fired rule obliges: a file of `kind`, by `by`, within `days`/`hours` of `after`."""

    kind: str
    title: str
    """What is owed, in the documents' words (整改方案)."""
    by: str = "assessee"
    after: str = "bulletin"
    days: int = 0
    hours: int = 0
    title_en: str = ""

    @property
    def within(self) -> dt.timedelta:
        return dt.timedelta(days=self.days, hours=self.hours)


def build_followup(raw: Any) -> Followup | None:
    """The rule's `followup:` from a schema-valid document (None when absent)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("kind"), str):
        return None
    within = raw.get("within") if isinstance(raw.get("within"), dict) else {}

    def whole(key: str) -> int:
        value = within.get(key, 0)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    by, after = raw.get("by"), raw.get("after")
    return Followup(
        kind=raw["kind"],
        title=raw["title"] if isinstance(raw.get("title"), str) else raw["kind"],
        by=by if by in BY else "assessee",
        after=after if after in AFTER else "bulletin",
        days=whole("days"),
        hours=whole("hours"),
        title_en=raw["title_en"] if isinstance(raw.get("title_en"), str) else "",
    )
