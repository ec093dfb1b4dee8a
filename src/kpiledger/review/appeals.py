"""Who may file an appeal and who may decide it (申诉由本人提出，由人力资源裁定).

An appeal (`….appeal-<n>.yaml`) is the assessee's own act: only the person it is filed for
may commit it, so nobody appeals in someone else's name. The decision beside it
(`….appeal-<n>.decision.yaml`) is HR's: only HR (org.yaml's `hr`, at the base) may commit
it, and the person it names in `decided_by` must have made a commit touching it in the
pull request themself — a typed name proves nothing.
"""

from __future__ import annotations

from typing import Any

from kpiledger.load.layout import parse_appeal_path
from kpiledger.model import Org
from kpiledger.model.identity import People
from kpiledger.review.findings import Refusal, Review


def appeal_writers(org: Org, rel: str) -> tuple[set[str], str, str]:
    """Who may write the appeal or decision at `rel`, and that rule in words."""
    where = parse_appeal_path(rel)
    if where is None:
        return set(), "不是账本文件", "not a ledger file"
    if where.decision:
        return set(org.hr), "人力资源（hr）裁定申诉", "HR decides appeals"
    if where.assessee not in org.people:
        return set(), f"组织架构中没有人员 {where.assessee}（只有人员本人可以申诉）", \
            f"{where.assessee} is not a person of the org chart (people appeal themselves)"
    return {where.assessee}, f"{where.assessee} 本人（申诉须本人提出）", \
        f"{where.assessee} themself (an appeal is the assessee's own act)"


def judge_decision(review: Review, people: People, path: str, doc: dict[str, Any],
                   made: set[str]) -> None:
    """Refuse a decision whose `decided_by` did not commit it in this pull request.
    `made`: the people whose own commits in the range touch the file."""
    decider = str(doc.get("decided_by") or "")
    if not decider or decider in made:
        return  # a missing decider is the schema's; one who committed has acted
    who = people.who([decider])
    review.refusals.append(Refusal(
        path,
        f"裁定写明由 {who} 作出，但本合并请求中没有 {who} 的提交：裁定须本人完成",
        f"the decision names {who} as its decider, but no commit in this pull request is "
        "theirs: deciding is their own act",
        f"请 {who} 本人提交裁定", f"{who} commits the decision themself",
    ))
