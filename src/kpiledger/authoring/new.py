"""`kpi new`: the skeleton records that are due in a period, one per assessee and author role.

Every item the scheme asks of the role is listed with its document wording and scoring as a
comment, its value left null: a skeleton is not yet a valid record, and `kpi check` names each
empty item (KPI601) until it is filled in. Existing files are never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from kpiledger.atomic import write_all
from kpiledger.authoring.describe import comment_lines
from kpiledger.authoring.feedback import Problem
from kpiledger.authoring.fmt import format_text
from kpiledger.authoring.yamlio import dump_rt
from kpiledger.calendar import unknown_period
from kpiledger.check.expected import active as active  # re-exported: sheet_export reads it here
from kpiledger.check.expected import default_author, expected_records
from kpiledger.check.records import items_for, may_author
from kpiledger.load.layout import record_path
from kpiledger.model import Ledger, Period, Record, Scheme, role_names


@dataclass(frozen=True)
class Skeleton:
    rel: str
    text: str


@dataclass
class Plan:
    skeletons: list[Skeleton] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors stop everything
    skipped: list[Problem] = field(default_factory=list)  # warnings: what was left alone


def candidates(ledger: Ledger, assessees: Iterable[str], unit: str | None) -> list[str]:
    """The assessees asked for: named ones, everyone in a unit (and the units in it), or all."""
    org = ledger.org
    named = list(assessees)
    if named:
        return named
    people = sorted(org.people)
    units = sorted(org.units)
    if unit is None:
        return people + units
    return [p for p in people if unit in org.ancestors(org.people[p].unit)] + [
        u for u in units if unit in org.ancestors(u)
    ]


def plan_new(
    ledger: Ledger,
    period_id: str,
    *,
    assessees: Iterable[str] = (),
    unit: str | None = None,
    role: str = "superior",
    author: str | None = None,
    pending: dict[tuple[str, str, str], list[dict[str, str]]] | None = None,
    existing: set[str] | None = None,
) -> Plan:
    """What `kpi new` would write; `existing` are the files already in the ledger."""
    plan = Plan()
    org = ledger.org
    period = ledger.calendar.periods.get(period_id)
    if period is None:
        code, args = unknown_period(period_id)
        plan.problems.append(Problem(code, period_id, args=args))
        return plan
    if period.status == "closed":
        plan.problems.append(Problem("KPI309", period_id, args={"period": period_id}))
        return plan
    if unit is not None and unit not in org.units:
        plan.problems.append(Problem("KPI301", unit, args={"kind_zh": "部门", "kind_en": "unit",
                                                            "id": unit}))
        return plan
    named = list(assessees)
    for a in named:
        if a not in org.people and a not in org.units:
            plan.problems.append(Problem("KPI301", a, args={"kind_zh": "被考核人",
                                                            "kind_en": "assessee", "id": a}))
    if plan.problems:
        return plan
    held = {r.key: r.file for r in ledger.records}
    existing = existing or set()
    due_for: set[str] = set()
    for e in expected_records(ledger, period, candidates(ledger, named, unit), (role,)):
        due_for.add(e.assessee)
        _plan_one(plan, ledger, period, ledger.schemes[e.scheme], e.assessee, role,
                  e.source_unit, author, (pending or {}).get((e.assessee, e.scheme, period.id), []),
                  held, existing)
    for a in named:
        if a not in due_for:
            plan.skipped.append(Problem("KPI616", a, args={
                "period": period.id, "role": role_names(role).holder_zh,
                "role_en": role_names(role).holder_en, "assessee": a}))
    return plan


def _plan_one(
    plan: Plan,
    ledger: Ledger,
    period: Period,
    scheme: Scheme,
    assessee: str,
    role: str,
    source_unit: str | None,
    author: str | None,
    pending: list[dict[str, str]],
    held: dict[tuple[str, str, str, str, str], str],
    existing: set[str],
) -> None:
    org = ledger.org
    unit = org.unit_of(assessee) or ""
    rel = record_path(period.id, unit, assessee, role, source_unit)
    other = held.get((period.id, assessee, scheme.id, role, source_unit or ""))
    if rel in existing or other is not None:
        plan.skipped.append(Problem("KPI602", other or rel, args={"path": other or rel}))
        return
    writer = author or default_author(ledger, assessee, role, source_unit)
    if writer is None:
        plan.skipped.append(Problem("KPI603", rel, args={
            "role": role_names(role).holder_zh, "role_en": role_names(role).holder_en,
            "assessee": assessee}))
        return
    probe = Record(rel, period.id, scheme.id, unit, assessee, role, writer, {}, source_unit)
    ok, who_zh, who_en = may_author(org, probe)
    if not ok:
        plan.problems.append(Problem("KPI304", rel, args={
            "author": writer, "role": role, "role_zh": role_names(role).holder_zh,
            "assessee": assessee,
            "who_zh": who_zh, "who_en": who_en}))
        return
    since = {p["item"]: p["since"] for p in pending}
    doc = skeleton_doc(ledger, period, scheme, assessee, unit, role, writer, source_unit, since)
    root = Path(ledger.root)
    plan.skeletons.append(Skeleton(rel, format_text(dump_rt(doc), rel, root)))


def skeleton_doc(
    ledger: Ledger,
    period: Period,
    scheme: Scheme,
    assessee: str,
    unit: str,
    role: str,
    author: str,
    source_unit: str | None,
    since: dict[str, str],
) -> CommentedMap:
    org = ledger.org
    doc = CommentedMap()
    for key, value in (("period", period.id), ("scheme", scheme.id), ("unit", unit),
                       ("assessee", assessee), ("role", role), ("author", author),
                       ("source_unit", source_unit)):
        doc[key] = value
    if source_unit is None:  # only items' nulls are to be filled; this one stays
        doc.yaml_add_eol_comment("保持 null：只有资料来源部门（data）的记录填写", "source_unit")
    items = CommentedMap()
    for item_id, item in items_for(scheme, role, source_unit).items():
        items[item_id] = _empty(item.input)
        lines = comment_lines(item, role, since.get(item_id))
        items.yaml_set_comment_before_after_key(item_id, before="\n".join(lines), indent=2)
    doc["items"] = items
    head = [
        f"{scheme.title}（{scheme.id}）—— {period.id} {org.name_of(assessee)}（{assessee}）",
        f"填写人：{org.name_of(author)}（{author}），{role_names(role).holder_zh}"
        + (f"；截止 {period.due}" if period.due else ""),
        "请把 items 下每个 null 换成数值（写法见各指标上方的注释），然后运行 kpi check 检查。",
    ]
    if role == "data" or (role == "self" and assessee in org.units):
        head.append("author 为组织架构中该部门的第一位成员，请改为实际提交人的工号。")
    doc.yaml_set_start_comment("\n".join(head))
    return doc


def _empty(kind: str) -> Any:
    if kind == "ratio":
        ratio = CommentedMap([("numerator", None), ("denominator", None)])
        ratio.fa.set_flow_style()
        return ratio
    return None


def write_plan(
    root: Path, plan: Plan, progress: Callable[[list[Skeleton]], Iterable[Skeleton]] | None = None
) -> list[str]:
    """Write every skeleton or none (`atomic.write_all`); an existing file is never replaced.
    Raises `atomic.WriteError`."""
    items = [sk for sk in plan.skeletons if not (root / sk.rel).exists()]
    shown = progress(items) if progress else items
    return write_all(root, ((sk.rel, sk.text.encode("utf-8")) for sk in shown), new_only=True)
