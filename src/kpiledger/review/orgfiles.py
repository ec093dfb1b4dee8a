"""A unit's reviewers may change their unit's file `org/<unit>.yaml` (`permissions`), but
only its day-to-day fields: assessors, reviewers of people, titles, names, dates. Who people
are (their ids, identities and signing keys), where the unit hangs and who owns the file (its
reviewers) stay HR's, so a unit's head can never make someone else's commits count as theirs
or hand the file to someone else — and what the change grants is judged at REF anyway."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpiledger.check.ledger import Loaded
from kpiledger.load.layout import kind_of
from kpiledger.model import Org
from kpiledger.review.findings import Refusal, Review
from kpiledger.review.identity import People

HR_ONLY_UNIT = ("id", "parent", "reviewers")
HR_ONLY_PERSON = ("identities", "signing_keys")


def hr_fields(doc: Any) -> tuple[Any, ...]:
    """What only HR may change in a unit file's document (None for a missing file)."""
    if not isinstance(doc, dict):
        return (None,)
    unit = doc.get("unit") if isinstance(doc.get("unit"), dict) else {}
    people = [p for p in doc.get("people") or [] if isinstance(p, dict)]
    who = sorted((str(p.get("id")), *(repr(p.get(k)) for k in HR_ONLY_PERSON)) for p in people)
    return (*(repr(unit.get(k)) for k in HR_ONLY_UNIT), tuple(who))


def judge_unit_files(
    review: Review,
    org: Org,
    people: People,
    writers_of: dict[str, set[str]],
    base: Mapping[str, Loaded],
    head: Mapping[str, Loaded],
) -> None:
    """Refuse a unit file's change to HR's fields by anyone but HR (`org` is the chart at
    REF; `base` and `head` the changed files as loaded on each side)."""
    for status, path in review.changed:
        rel = path[len(review.prefix) :]
        if kind_of(rel) != "orgunit" or status == "D":  # deletes: HR only (permissions)
            continue
        strangers = writers_of.get(path, set()) - set(org.hr)
        before = base[rel].doc if rel in base else None
        after = head[rel].doc if rel in head else None
        if not strangers or hr_fields(before) == hr_fields(after):
            continue
        hr = people.who(org.hr)
        review.refusals.append(
            Refusal(
                path,
                f"{people.who(strangers)} 修改了只有人力资源能改的内容：人员的增减、身份"
                "（identities）、签名公钥（signing_keys），或部门的编号、上级部门、复核人",
                f"{people.who(strangers)} changed what only HR may: which people there are, "
                "identities, signing_keys, or the unit's id, parent or reviewers",
                f"请人力资源提交这部分修改：{hr}",
                f"ask HR to submit that part: {hr}",
            )
        )
