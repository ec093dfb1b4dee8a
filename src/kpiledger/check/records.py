"""Meaning checks, after the schema: references resolve, paths agree with content, one record
per key, authors may assess, items are the scheme's and their values fit.

Every function is pure: model (and the document, for paths) in, diagnostics out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kpiledger.calendar import unknown_period
from kpiledger.diagnostics import Diagnostic, allowed_words, d
from kpiledger.load.layout import parse_record_path, record_path
from kpiledger.model import Calendar, Org, Record, Scheme, role_names
from kpiledger.model.inputs import measure

KIND_ZH = {"month": "月度", "quarter": "季度", "year": "年度"}
KIND_EN = {"month": "month", "quarter": "quarter", "year": "year"}
FIELD_ZH = {
    "period": "考核期",
    "unit": "部门",
    "assessee": "被考核人",
    "role": "角色",
    "id": "编号",
}


def unknown(file: str, path: tuple[str | int, ...], kind: str, value: str) -> Diagnostic:
    names = {
        "unit": ("部门", "unit"),
        "person": ("人员", "person"),
        "scheme": ("考核方案", "scheme"),
        "period": ("考核期", "period"),
        "item": ("指标", "item"),
        "assessee": ("被考核人", "assessee"),
    }
    zh, en = names[kind]
    return d(file, "KPI301", path, kind_zh=zh, kind_en=en, id=value)




def check_scheme_refs(scheme: Scheme, org: Org) -> list[Diagnostic]:
    """The org-chart references a scheme makes (the scheme checker does the rest)."""
    out: list[Diagnostic] = []
    f = scheme.file
    for i, u in enumerate(scheme.applies_units):
        if u not in org.units:
            out.append(unknown(f, ("applies_to", "units", i), "unit", u))
    for i, u in enumerate(scheme.applies_assessee_units):
        if u not in org.units:
            out.append(unknown(f, ("applies_to", "assessee_units", i), "unit", u))
    for i, p in enumerate(scheme.applies_people):
        if p not in org.people:
            out.append(unknown(f, ("applies_to", "people", i), "person", p))
    for item in scheme.items:
        if item.source_unit and item.source_unit not in org.units:
            out.append(unknown(f, (*item.path, "source_unit"), "unit", item.source_unit))
    return out


def applies(scheme: Scheme, org: Org, assessee: str) -> bool:
    if assessee in org.units:
        return assessee in scheme.applies_assessee_units
    person = org.people.get(assessee)
    if person is None:
        return False
    if assessee in scheme.applies_people:
        return True
    if not scheme.applies_units:
        return False
    if not set(org.ancestors(person.unit)) & set(scheme.applies_units):
        return False
    return not scheme.applies_titles or person.title in scheme.applies_titles


def may_author(org: Org, record: Record) -> tuple[bool, str, str]:
    """Whether the record's author may write it, and who may (in Chinese and English)."""
    assessee, author, role = record.assessee, record.author, record.role
    person = org.people.get(assessee)
    unit = org.units.get(assessee)
    if role == "self" and unit is not None:
        # a unit assesses itself through its own people (its head writes the report)
        writer = org.people.get(author)
        ok = writer is not None and assessee in org.ancestors(writer.unit)
        return (
            ok,
            f"部门自评须由 {assessee} 部门的成员提交",
            f"a member of {assessee} must write it",
        )
    if role == "self":
        return (
            author == assessee,
            f"自评只能由 {assessee} 本人提交",
            f"only {assessee} may self-assess",
        )
    if role == "superior":
        allowed = person.assessor if person else unit.assessor if unit else None
        return (
            author == allowed,
            f"考核人应为 {allowed or '（组织架构未指定）'}",
            f"the assessor is {allowed or '(not set in org.yaml)'}",
        )
    if role == "group":
        group = person.group_assessors if person else ()
        names = "、".join(group) or "（组织架构未指定）"
        return (
            author in group,
            f"考核小组成员为 {names}",
            f"the group is {', '.join(group) or '(none)'}",
        )
    source = record.source_unit or ""
    writer = org.people.get(author)
    ok = writer is not None and source in org.ancestors(writer.unit)
    return ok, f"资料须由 {source} 部门的成员提交", f"data must come from a member of unit {source}"


def check_record(
    record: Record,
    org: Org,
    calendar: Calendar,
    schemes: dict[str, Scheme],
    *,
    flag_closed: bool = False,
    broken: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """The problems of meaning of one record. `broken`: schemes that exist but cannot be
    read; their records are not measured against them (the scheme file says why)."""
    f = record.file
    out: list[Diagnostic] = []
    where = parse_record_path(f)
    period = calendar.periods.get(record.period)
    if period is None:
        code, args = unknown_period(record.period)
        out.append(d(f, code, ("period",), **args))
    scheme = schemes.get(record.scheme)
    known = record.assessee in org.people or record.assessee in org.units
    # an unknown scheme: list the schemes that would apply, the assessee's when known
    if scheme is None and record.scheme not in broken:
        fitting = [k for k, s in sorted(schemes.items())
                   if not known or applies(s, org, record.assessee)]
        out.append(d(f, "KPI301", ("scheme",), kind_zh="考核方案", kind_en="scheme",
                     id=record.scheme, **allowed_words(fitting or sorted(schemes))))
    if not known:
        out.append(unknown(f, ("assessee",), "assessee", record.assessee))
    if record.unit not in org.units:
        out.append(unknown(f, ("unit",), "unit", record.unit))
    if record.author not in org.people:
        out.append(unknown(f, ("author",), "person", record.author))
    if record.role == "data":
        if not record.source_unit or (where and where.source_unit != record.source_unit):
            out.append(d(f, "KPI315", ("source_unit",)))
        elif record.source_unit not in org.units:
            out.append(unknown(f, ("source_unit",), "unit", record.source_unit))
    if where is not None:
        expected = record_path(
            record.period,
            record.unit,
            record.assessee,
            record.role,
            record.source_unit,
            where.correction,
        )
        for field, content, from_path in (
            ("period", record.period, where.period),
            ("unit", record.unit, where.unit),
            ("assessee", record.assessee, where.assessee),
            ("role", record.role, where.role),
        ):
            if content != from_path:
                out.append(
                    d(
                        f,
                        "KPI302",
                        (field,),
                        field=field,
                        field_zh=FIELD_ZH.get(field, field),
                        content=content,
                        path_value=from_path,
                        expected=expected,
                    )
                )
    org_unit = org.unit_of(record.assessee)
    if known and org_unit != record.unit and record.unit in org.units:
        out.append(
            d(
                f,
                "KPI316",
                ("unit",),
                record_unit=record.unit,
                assessee=record.assessee,
                org_unit=org_unit,
            )
        )
    if known and record.author in org.people:
        ok, who_zh, who_en = may_author(org, record)
        if not ok:
            out.append(
                d(
                    f,
                    "KPI304",
                    ("author",),
                    author=record.author,
                    role=record.role,
                    role_zh=role_names(record.role).holder_zh,
                    assessee=record.assessee,
                    who_zh=who_zh,
                    who_en=who_en,
                )
            )
    if flag_closed and period is not None and period.status == "closed" and not record.correction:
        out.append(d(f, "KPI309", ("period",), period=record.period))
    if scheme is not None:
        if known and not applies(scheme, org, record.assessee):
            out.append(d(f, "KPI310", ("scheme",), scheme=scheme.id, assessee=record.assessee))
        if period is not None and period.kind != scheme.period_kind:
            out.append(
                d(
                    f,
                    "KPI311",
                    ("period",),
                    period=period.id,
                    scheme=scheme.id,
                    period_kind_zh=KIND_ZH.get(period.kind, period.kind),
                    period_kind_en=KIND_EN.get(period.kind, period.kind),
                    scheme_kind_zh=KIND_ZH.get(scheme.period_kind, scheme.period_kind),
                    scheme_kind_en=KIND_EN.get(scheme.period_kind, scheme.period_kind),
                )
            )
        out.extend(check_items(record, scheme))
    return out


def items_for(scheme: Scheme, role: str, source_unit: str | None) -> dict[str, Any]:
    """The items the author of this role fills in under the scheme."""
    return {
        item.id: item
        for item in scheme.items
        if role in item.by and (role != "data" or item.source_unit in (None, source_unit))
    }


def check_items(record: Record, scheme: Scheme) -> list[Diagnostic]:
    f = record.file
    out: list[Diagnostic] = []
    wanted = items_for(scheme, record.role, record.source_unit)
    role_zh = role_names(record.role).holder_zh
    for item_id, item in wanted.items():
        if item_id not in record.items:
            out.append(
                d(
                    f,
                    "KPI305",
                    ("items",),
                    at_key=True,  # at `items:`, where the missing item belongs
                    item=item_id,
                    title=item.title,
                    scheme=scheme.id,
                    role=role_zh,
                )
            )
    for item_id, raw in record.items.items():
        item = wanted.get(item_id)
        if item is None:
            out.append(
                d(
                    f,
                    "KPI306",
                    ("items", item_id),
                    at_key=True,
                    item=item_id,
                    scheme=scheme.id,
                    role=role_zh,
                    allowed_zh="（可填：" + "、".join(f"{i}（{x.title}）" for i, x in
                                                     wanted.items()) + "）",
                    allowed_en=" (allowed: " + ", ".join(wanted) + ")",
                )
            )
            continue
        _, problems = measure(item, raw)
        for code, args, subpath in problems:
            out.append(d(f, code, ("items", item_id, *subpath), **args))
    # a note may explain any item of the scheme (also one another role fills in)
    known = {item.id for item in scheme.items}
    for item_id in record.notes:
        if item_id not in known:
            out.append(d(f, "KPI321", ("notes", item_id), at_key=True, item=item_id,
                         scheme=scheme.id))
    return out


def duplicate_key(record: Record) -> tuple[Any, ...]:
    """One record per period, assessee, scheme and role; each correction counts on its own."""
    where = parse_record_path(record.file)
    return (*record.key, where.correction if where else None)


def check_duplicates(keys: Iterable[tuple[str, tuple[Any, ...]]]) -> list[Diagnostic]:
    """Every file whose duplicate key (see `duplicate_key`) an earlier file already holds."""
    out: list[Diagnostic] = []
    first: dict[tuple[Any, ...], str] = {}
    for file, key in sorted(keys):
        if key in first:
            out.append(d(file, "KPI303", ("assessee",), other=first[key]))
        else:
            first[key] = file
    return out
