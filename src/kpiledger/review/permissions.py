"""Who may write what, from the org chart AT REF (so a pull request cannot grant itself
permissions by editing org.yaml or a unit file under org/): the writers of each file by its
path (a unit file: HR and that unit's reviewers), the approvers of a
correction, closed periods (their status at REF) taking only corrections, and deletes
(always reported, refused unless done by HR)."""

from __future__ import annotations

from collections.abc import Iterable

from kpiledger.check.appeals import APPEAL_KINDS
from kpiledger.check.ledger import SHARED_KINDS, Context, Loaded
from kpiledger.load.layout import kind_of, parse_record_path, unit_file
from kpiledger.model import Org
from kpiledger.review.acts import signer_of
from kpiledger.review.appeals import appeal_writers
from kpiledger.review.filed import filed_writers
from kpiledger.review.findings import Refusal, Review
from kpiledger.review.identity import People


def members(org: Org, unit: str) -> set[str]:
    """Everyone in the unit or below it."""
    return {p.id for p in org.people.values() if unit in org.ancestors(p.unit)}


def writers_for(org: Org, rel: str) -> tuple[set[str], str, str]:
    """Who may write the file at `rel` (by its path), and that rule in words."""
    kind = kind_of(rel)
    if kind == "orgunit":  # a unit's own file: HR and the unit's reviewers AT REF
        unit = org.units.get(rel[len("org/") : -len(".yaml")])
        if unit is not None and rel == unit_file(unit.id):
            return (set(org.hr) | set(unit.reviewers), f"人力资源或 {unit.id} 的复核人",
                    f"HR or the reviewers of {unit.id}")
    if kind in SHARED_KINDS:
        return set(org.hr), "只有人力资源（hr）可以修改", "only HR may change it"
    if kind in APPEAL_KINDS:
        return appeal_writers(org, rel)
    if kind in ("bulletin", "followup"):
        return filed_writers(org, rel, kind)
    where = parse_record_path(rel)
    if where is None:
        return set(), "不是账本文件", "not a ledger file"
    a = where.assessee
    person, unit = org.people.get(a), org.units.get(a)
    if person is None and unit is None:
        return set(), f"组织架构中没有 {a}", f"{a} is not in the org chart"
    if where.role == "superior":
        assessor = person.assessor if person else unit.assessor if unit else None
        return ({assessor} if assessor else set()), f"{a} 的考核人", f"the assessor of {a}"
    if where.role == "self":
        if unit is not None:
            return members(org, a), f"{a} 部门的成员", f"a member of unit {a}"
        return {a}, f"{a} 本人", f"{a} themself"
    if where.role == "group":
        group = set(person.group_assessors) if person else set()
        return group, f"{a} 的考核小组", f"the group assessors of {a}"
    source = where.source_unit or ""
    return members(org, source), f"{source} 部门的成员", f"a member of data-owner unit {source}"


def approvers_for(org: Org, rel: str) -> set[str]:
    """Who may approve a correction: HR, the unit's reviewers, the assessee's reviewer."""
    where = parse_record_path(rel)
    found = set(org.hr)
    if where is not None:
        unit = org.units.get(where.unit)
        found |= set(unit.reviewers) if unit else set()
        person = org.people.get(where.assessee)
        if person is not None and person.reviewer:
            found.add(person.reviewer)
    return found


def correction_name(rel: str, existing: Iterable[str]) -> str:
    """The next free `<name>.correction-<n>.yaml` beside `rel`."""
    stem = rel[: -len(".yaml")]
    taken = [parse_record_path(x) for x in existing if x.startswith(stem + ".correction-")]
    n = max([w.correction or 0 for w in taken if w is not None], default=0) + 1
    return f"{stem}.correction-{n}.yaml"


def judge(
    review: Review,
    ctx: Context,
    people: People,
    writers_of: dict[str, set[str]],
    head_docs: dict[str, Loaded],
    base_files: Iterable[str],
) -> None:
    """Refuse what the change's writers may not do (`writers_of`: repository path → people,
    from `identity.writers`) and note its deletes. `ctx` is the context at REF, `head_docs`
    the changed files as loaded from the work tree, `base_files` the ledger's files at REF."""
    org, calendar = ctx.org, ctx.calendar
    hr = people.who(org.hr)
    existing = set(base_files) | set(head_docs)
    for status, path in review.changed:
        rel = path[len(review.prefix) :]
        kind = kind_of(rel)
        if kind is None:
            continue  # the checker reports a misplaced YAML file (KPI313)
        writers = writers_of.get(path, set())
        where = parse_record_path(rel)
        period = calendar.periods.get(where.period) if where else None
        closed = period is not None and period.status == "closed"
        allowed, rule_zh, rule_en = writers_for(org, rel)
        if status == "D":
            review.deleted.append(path)
            if closed and kind == "record":
                review.refusals.append(
                    Refusal(
                        path,
                        f"删除了已关闭考核期 {period.id} 的记录",
                        f"deletes a record of closed period {period.id}",
                        "已关闭的考核期不能删除记录；如需更正，由"
                        f"{people.who(allowed) or '考核人'}提交更正记录 "
                        f"{review.prefix}{correction_name(rel, existing)}",
                        "nothing in a closed period may be deleted; for an amendment "
                        f"{people.who(allowed) or 'the assessor'} submits the correction "
                        f"{review.prefix}{correction_name(rel, existing)}",
                    )
                )
            elif writers - set(org.hr) or not writers:
                review.refusals.append(
                    Refusal(
                        path,
                        f"删除记录须由人力资源完成（提交者：{people.who(writers) or '未知'}）",
                        f"deleting a file is for HR only (by: {people.who(writers) or 'unknown'})",
                        f"请人力资源删除：{hr}",
                        f"ask HR to delete it: {hr}",
                    )
                )
            continue
        if closed and kind == "record":
            target = correction_name(rel, existing)
            review.refusals.append(
                Refusal(
                    path,
                    f"考核期 {period.id} 已关闭，只接受更正记录",
                    f"period {period.id} is closed: only corrections are accepted",
                    f"由{people.who(allowed) or rule_zh}提交更正记录 {review.prefix}{target}"
                    f"（含 correction:，由人力资源或复核人 {people.who(approvers_for(org, rel))} "
                    "批准）",
                    f"{people.who(allowed) or rule_en} submits the correction "
                    f"{review.prefix}{target} (with a correction: block approved by HR or a "
                    f"reviewer: {people.who(approvers_for(org, rel))})",
                )
            )
        doc = head_docs[rel].doc if rel in head_docs else None
        signs = doc.get("signatures") if isinstance(doc, dict) else None
        if isinstance(signs, dict):  # signing is committing to the record (review.acts)
            allowed = allowed | {s for k in signs if (s := signer_of(org, rel, str(k)))}
        if kind == "correction":
            f = head_docs.get(rel)
            block = f.doc.get("correction") if f is not None and f.doc is not None else None
            approved = str(block.get("approved_by")) if isinstance(block, dict) else None
            approvers = approvers_for(org, rel)
            if approved in approvers:  # approving is committing to the correction
                allowed = allowed | {approved}
            else:
                review.refusals.append(
                    Refusal(
                        path,
                        f"更正记录的批准人 {approved or '（缺失）'} 不是人力资源或该部门的复核人",
                        f"the correction's approved_by ({approved or 'missing'}) is neither HR "
                        "nor a reviewer of the unit",
                        f"须由以下人员之一批准：{people.who(approvers)}",
                        f"it must be approved by one of: {people.who(approvers)}",
                    )
                )
        for writer in sorted(writers - allowed):
            instead_zh = people.who(allowed) or f"（组织架构未指定{rule_zh}）"
            instead_en = people.who(allowed) or f"(the org chart names no one: {rule_en})"
            review.refusals.append(
                Refusal(
                    path,
                    f"{people.who([writer])} 无权修改此文件：{rule_zh}才可以",
                    f"{people.who([writer])} may not write this file: {rule_en} may",
                    f"应由 {instead_zh} 提交",
                    f"to be submitted by {instead_en}",
                )
            )



def judge_outside(review: Review, org: Org, people: People,
                  writers_of: dict[str, set[str]]) -> None:
    """Files outside the ledger (the engine, workflows, site pages, mkdocs.yml) are the
    maintainers' alone, and never travel with records: a pull request that changes both
    would have its records judged by the very code it changes."""
    if not review.outside:
        return
    keepers = set(org.maintainers)
    named = people.who(keepers) or "（组织架构未指定 maintainers）"
    named_en = people.who(keepers) or "(the org chart names no maintainers)"
    if review.changed:
        review.refusals.append(
            Refusal(
                review.outside[0],
                f"同一合并请求既改账本以外的文件（{len(review.outside)} 个）又改账本记录",
                f"one pull request changes both files outside the ledger "
                f"({len(review.outside)}) and ledger files",
                "拆成两个合并请求：程序与网站的修改由维护者单独提交",
                "split it in two: changes to the engine and site go in a pull request of "
                "their own, by a maintainer",
            )
        )
    for path in review.outside:
        writers = writers_of.get(path, set())
        strangers = sorted(writers - keepers) or ([] if writers else ["?"])
        for who in strangers:
            shown = people.who([who]) if who != "?" else "未知 / unknown"
            review.refusals.append(
                Refusal(
                    path,
                    f"账本以外的文件只有维护者可以修改（提交者：{shown}）",
                    f"only a maintainer may change files outside the ledger (by: {shown})",
                    f"应由维护者提交：{named}",
                    f"to be submitted by a maintainer: {named_en}",
                )
            )
