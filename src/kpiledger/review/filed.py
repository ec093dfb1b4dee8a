"""Who may write the files that follow a period's results (the org chart AT REF): a bulletin's
publication (`<period>/bulletin.yaml`) is HR's act; a reward marked paid
(`<period>/followups/paid/<assessee>.yaml`) too; any other follow-up (an improvement plan, a
re-test) may come from HR, the assessee or the assessee's assessor — the two a rule's
`followup.by` can name. Closed periods take these files: they arrive after the close."""

from __future__ import annotations

from kpiledger.load.layout import parse_followup_path
from kpiledger.model import Org
from kpiledger.model.followups import PAID


def filed_writers(org: Org, rel: str, kind: str) -> tuple[set[str], str, str]:
    """Who may write a bulletin or follow-up file, and that rule in words."""
    hr = set(org.hr)
    where = parse_followup_path(rel)
    if kind == "bulletin" or where is None or where.kind == PAID:
        return hr, "只有人力资源（hr）可以发布或标记发放", "only HR may publish or mark paid"
    person, unit = org.people.get(where.assessee), org.units.get(where.assessee)
    assessor = person.assessor if person else unit.assessor if unit else None
    allowed = hr | ({where.assessee} if person else set()) | ({assessor} if assessor else set())
    return (allowed, f"人力资源、{where.assessee} 本人或其考核人",
            f"HR, {where.assessee} or their assessor")
