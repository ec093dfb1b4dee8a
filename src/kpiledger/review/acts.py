"""Approvals and signatures are acts, not fields (批准与签字须本人完成).

Anyone can type `approved_by: E0001` or a signing date into a file. What counts is who made
the change: a correction is approved only when the approver named in it made a commit in the
pull request that touches the file themself (their commit identity, or their SSH signature
when the ledger requires signed commits), and the approver is not the correction's author
(separation of duties: 考核人 submits, 复核人 / HR approves). A signature (被考核人确认,
考核人 / 复核人 签字) added or changed in a record is likewise its signer's own commit.
"""

from __future__ import annotations

from typing import Any

from kpiledger.check.ledger import Loaded
from kpiledger.load.layout import kind_of
from kpiledger.model import Org
from kpiledger.model.identity import SIGNERS, People, signer_of
from kpiledger.review.appeals import judge_decision
from kpiledger.review.findings import Refusal, Review


def _doc(f: Loaded | None) -> dict[str, Any]:
    return f.doc if f is not None and isinstance(f.doc, dict) else {}


def judge_acts(review: Review, org: Org, people: People, acted: dict[str, set[str]],
               head_docs: dict[str, Loaded], base_docs: dict[str, Loaded]) -> None:
    """Refuse approvals and signatures their person did not make. `acted`: repository path →
    people whose own commits in the range touch it (not the actor of the pull request)."""
    for _, path in review.changed:
        rel = path[len(review.prefix):]
        head, base = _doc(head_docs.get(rel)), _doc(base_docs.get(rel))
        made = acted.get(path, set())
        if kind_of(rel) == "correction":
            _approval(review, people, path, head, made)
        if kind_of(rel) == "decision":
            judge_decision(review, people, path, head, made)
        old = base.get("signatures") if isinstance(base.get("signatures"), dict) else {}
        new = head.get("signatures") if isinstance(head.get("signatures"), dict) else {}
        for key, (zh, en) in SIGNERS.items():
            if not new.get(key) or new.get(key) == old.get(key):
                continue  # no signature, or the one already there
            signer = signer_of(org, rel, key)
            if signer is None or signer not in made:
                who = people.who([signer]) if signer else f"（组织架构未指定{zh}）"
                review.refusals.append(Refusal(
                    path,
                    f"{zh}签字（signatures.{key}）须由{zh}本人提交，本合并请求中没有{who}的提交",
                    f"the {key} signature (signatures.{key}) must be {en}'s own commit; no "
                    f"commit in this pull request is by {who}",
                    f"请{who}本人提交签字", f"{who} commits the signature themself",
                ))


def _approval(review: Review, people: People, path: str, doc: dict[str, Any],
              made: set[str]) -> None:
    block = doc.get("correction")
    approver = str(block.get("approved_by")) if isinstance(block, dict) else ""
    author = str(doc.get("author") or "")
    if not approver:
        return  # a missing approver is refused by `permissions.judge`
    who = people.who([approver])
    if approver == author or (not (made - {approver}) and approver in made):
        review.refusals.append(Refusal(
            path,
            f"批准人 {who} 也是这条更正的作者：考核人提交、复核人或人力资源批准，不能自己批准",
            f"the approver {who} is also the correction's author: one person submits, "
            "another approves",
            "请另一位有权批准的人批准", "another approver approves it",
        ))
    elif approver not in made:
        review.refusals.append(Refusal(
            path,
            f"更正写明由 {who} 批准，但本合并请求中没有 {who} 的提交：批准须本人完成",
            f"the correction names {who} as approver, but no commit in this pull request is "
            f"theirs: approving is their own act",
            f"请 {who} 在此合并请求中提交批准（如修改 correction.date 后提交）",
            f"{who} approves by committing to this pull request (e.g. setting "
            "correction.date)",
        ))
