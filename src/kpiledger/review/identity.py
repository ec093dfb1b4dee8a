"""Who is acting in a pull request: the forge login (`--actor`, matched against
`github:<login>` in the org chart), and the author and committer e-mail of every commit
(matched against `identities`, GitHub's no-reply addresses by the login they name)."""

from __future__ import annotations

from kpiledger.git.provenance import Commit
from kpiledger.model.identity import WEB_FLOW, People
from kpiledger.review.findings import Refusal, Review

__all__ = ["WEB_FLOW", "People", "unsigned", "writers"]

def writers(
    review: Review, people: People, actor: str | None, found: list[tuple[Commit, list[str]]],
    merge_shas: frozenset[str] | set[str] = frozenset(),
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Refuse unknown identities; return repository path → people who wrote it. `found` is
    `commits_between(REF, HEAD)`; what a merge commit (`merge_shas`) changes on its own is
    the committer's: whoever made the merge answers for it. Also returns, apart, who made
    each path's commits themself (the actor left out): approvals and signatures are acts."""
    hr = people.who(people.org.hr)
    actor_id: str | None = None
    if actor:
        actor_id = people.of_login(actor)
        if actor_id is None:
            review.refusals.append(
                Refusal(
                    actor if ":" in actor else f"@{actor}",
                    f"账号 {actor} 不属于组织架构中的任何人（identities 中没有 {actor}）",
                    f"account {actor} belongs to no one in the org chart (no {actor} in "
                    "identities)",
                    f"请人力资源在组织架构（org/<部门>.yaml）中登记：{hr}",
                    f"HR registers it in the org chart (org/<unit>.yaml): {hr}",
                )
            )
    found_writers: dict[str, set[str]] = {}
    for c, files in found:
        merged_by_hand = c.sha in merge_shas and c.committer_email.lower() != WEB_FLOW
        author = people.of_mail(c.committer_email if merged_by_hand else c.email)
        # a merge's committer is checked just below, like every committer
        unknown = [("author", "作者", c.email)] if author is None and not merged_by_hand else []
        # GitHub commits web edits and merges itself; the author still has to be known
        if c.committer_email.lower() != WEB_FLOW and people.of_mail(c.committer_email) is None:
            unknown.append(("committer", "提交者", c.committer_email))
        for role_en, role_zh, mail in unknown:
            review.refusals.append(
                Refusal(
                    f"commit {c.sha[:10]}",
                    f"提交的{role_zh}邮箱 {mail} 不属于组织架构中的任何人",
                    f"the {role_en} e-mail {mail} belongs to no one in the org chart",
                    f"用组织架构中登记的邮箱重新提交，或请人力资源登记：{hr}",
                    f"commit with an e-mail listed in the org chart, or ask HR to add it: {hr}",
                )
            )
        for path in files:
            if author is not None:
                found_writers.setdefault(path, set()).add(author)
    acted = {path: set(people_) for path, people_ in found_writers.items()}
    if actor_id is not None:
        for path in [p for _, p in review.changed] + review.outside:
            found_writers.setdefault(path, set()).add(actor_id)
    return found_writers, acted


def unsigned(review: Review, people: People, found: list[tuple[Commit, list[str]]],
             merge_shas: frozenset[str] | set[str], signed: dict[str, str | None]) -> None:
    """When the ledger requires signed commits: every commit of the range carries a good SSH
    signature by the key of the person it is attributed to (the author; a merge's
    committer), so an e-mail typed into a commit proves nothing on its own."""
    for c, _ in found:
        by_hand = c.sha in merge_shas and c.committer_email.lower() != WEB_FLOW
        claimed = people.of_mail(c.committer_email if by_hand else c.email)
        signer = signed.get(c.sha)
        if signer is not None and signer == claimed:
            continue
        shown = people.who([claimed]) if claimed else (c.email or "?")
        review.refusals.append(Refusal(
            f"commit {c.sha[:10]}",
            ("提交没有有效的 SSH 签名" if signer is None else
             f"提交由 {people.who([signer])} 的密钥签名，却署名为 {shown}") +
            "（账本要求签名提交）",
            ("the commit has no good SSH signature" if signer is None else
             f"the commit is signed by {people.who([signer])}'s key but claims {shown}") +
            " (the ledger requires signed commits)",
            f"{shown} 用组织架构中登记的密钥签名后重新提交（git commit -S）",
            f"{shown} signs it with a key listed in the org chart (git commit -S)",
        ))
