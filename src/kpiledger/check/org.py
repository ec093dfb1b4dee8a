"""Meaning checks of the org chart: org.yaml (company-wide settings, and the units and people
of a small company or of the old single-file shape) and the unit files `org/<unit>.yaml`
(one unit and its people each). Every unit and person is checked where it is written, so a
problem is placed in its own file: ids used twice across files, references that resolve
nowhere, cycles of units, a unit file named after another unit, a person filed under the
wrong unit."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kpiledger.check.dates import real_date
from kpiledger.check.reading import Loaded, place_in, read_many, read_one
from kpiledger.check.records import unknown
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.files import scan
from kpiledger.load.layout import kind_of, unit_file
from kpiledger.model import Org
from kpiledger.model.build import build_org, empty_org

# (file, JSON path of the entry, the entry's mapping)
Entry = tuple[str, tuple[str | int, ...], dict[str, Any]]


def _mappings(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The mappings of a list with their positions; anything else the schema reports."""
    return [(i, x) for i, x in enumerate(value if isinstance(value, list) else [])
            if isinstance(x, dict)]


def entries(
    top: dict[str, Any], top_file: str, unit_docs: Iterable[tuple[str, dict[str, Any]]]
) -> tuple[list[Entry], list[Entry]]:
    """Every unit and every person with its place: org.yaml's first, then each unit file's
    in path order (the order the model keeps)."""
    units: list[Entry] = [(top_file, ("units", i), u) for i, u in _mappings(top.get("units"))]
    people: list[Entry] = [(top_file, ("people", i), p) for i, p in _mappings(top.get("people"))]
    for rel, doc in unit_docs:
        if isinstance(doc.get("unit"), dict):
            units.append((rel, ("unit",), doc["unit"]))
        people += [(rel, ("people", i), p) for i, p in _mappings(doc.get("people"))]
    return units, people


def check_org(
    top: dict[str, Any],
    org: Org,
    file: str = "org.yaml",
    unit_docs: Iterable[tuple[str, dict[str, Any]]] = (),
) -> list[Diagnostic]:
    """The org chart's problems of meaning, each in the file that holds it."""
    unit_docs = list(unit_docs)
    units, people = entries(top, file, unit_docs)
    out = _duplicates(units, people) + _placement(unit_docs)
    for f, at, u in units:
        parent = u.get("parent")
        if parent is not None and str(parent) not in org.units:
            out.append(unknown(f, (*at, "parent"), "unit", str(parent)))
        if u.get("assessor") is not None and str(u["assessor"]) not in org.people:
            out.append(unknown(f, (*at, "assessor"), "person", str(u["assessor"])))
        for j, r in enumerate(u.get("reviewers") or []):
            if str(r) not in org.people:
                out.append(unknown(f, (*at, "reviewers", j), "person", str(r)))
    out += _cycles(units, org)
    for f, at, p in people:
        if str(p.get("unit")) not in org.units:
            out.append(unknown(f, (*at, "unit"), "unit", str(p.get("unit"))))
        for key in ("assessor", "reviewer"):
            if p.get(key) is not None and str(p[key]) not in org.people:
                out.append(unknown(f, (*at, key), "person", str(p[key])))
        for j, g in enumerate(p.get("group_assessors") or []):
            if str(g) not in org.people:
                out.append(unknown(f, (*at, "group_assessors", j), "person", str(g)))
        for key in ("active_from", "active_to"):
            out.extend(real_date(f, (*at, key), key, p.get(key)))
    for key in ("hr", "maintainers"):
        for i, h in enumerate(top.get(key) or []):
            if str(h) not in org.people:
                out.append(unknown(file, (key, i), "person", str(h)))
    return out


def _duplicates(units: list[Entry], people: list[Entry]) -> list[Diagnostic]:
    """KPI312 for every later use of an id (units and people share one namespace)."""
    out: list[Diagnostic] = []
    seen: dict[str, tuple[str, str]] = {}
    for section, found in (("units", units), ("people", people)):
        kind = "部门 / unit" if section == "units" else "人员 / person"
        for f, at, entry in found:
            ident = str(entry.get("id"))
            if ident not in seen:
                seen[ident] = (f, f"第 {at[1] + 1} 个{kind}" if len(at) > 1 else kind)
                continue
            first_file, first = seen[ident]
            where = f"已用于{first}" if first_file == f else f"已用于 {first_file}：{first}"
            out.append(d(f, "KPI312", (*at, "id"), id=ident, where=where))
    return out


def _placement(unit_docs: list[tuple[str, dict[str, Any]]]) -> list[Diagnostic]:
    """KPI302 for a unit file named after another unit, or holding another unit's person."""
    out: list[Diagnostic] = []
    for rel, doc in unit_docs:
        unit = doc.get("unit")
        ident = str(unit.get("id")) if isinstance(unit, dict) else None
        if ident is not None and rel != unit_file(ident):
            out.append(d(rel, "KPI302", ("unit", "id"), field="id", field_zh="部门编号",
                         content=ident, path_value=rel, expected=unit_file(ident)))
        for i, p in _mappings(doc.get("people")):
            if ident is not None and str(p.get("unit")) != ident:
                out.append(d(rel, "KPI302", ("people", i, "unit"), field="unit",
                             field_zh="部门", content=str(p.get("unit")), path_value=ident,
                             expected=unit_file(str(p.get("unit")))))
    return out


def _cycles(units: list[Entry], org: Org) -> list[Diagnostic]:
    """KPI314 once per cycle of parents, at the first unit found on it."""
    out: list[Diagnostic] = []
    reported: set[frozenset[str]] = set()
    for f, at, u in units:
        chain = [str(u.get("id"))]
        current = org.units.get(chain[0])
        while current is not None and current.parent is not None:
            if current.parent in chain:
                cycle = frozenset(chain[chain.index(current.parent) :])
                if cycle not in reported:
                    reported.add(cycle)
                    text = " → ".join([*chain[chain.index(current.parent) :], current.parent])
                    out.append(d(f, "KPI314", (*at, "parent"), chain=text))
                break
            chain.append(current.parent)
            current = org.units.get(current.parent)
    return out


def org_of(loaded: list[Loaded]) -> tuple[Org, list[Diagnostic]]:
    """The org chart org.yaml and the unit files under org/ make, and its meaning problems;
    the unit files in path order (`loaded` comes sorted), so the first of two entries with
    one id is always the same one."""
    top = next((dict(f.doc) for f in loaded if f.kind == "org" and f.doc is not None), None)
    unit_docs = [(f.rel, dict(f.doc)) for f in loaded if f.kind == "orgunit" and f.doc]
    if top is None and not unit_docs:
        return empty_org(), []
    org = build_org(top or {}, [doc for _, doc in unit_docs])
    return org, check_org(top or {}, org, "org.yaml", unit_docs)


def read_org(root: Path, scale: int = 1) -> tuple[Org, list[Diagnostic]]:
    """The org chart alone (for commands that need no records): org.yaml and org/*.yaml
    read, and every load, schema and meaning problem of theirs. `scale` applies to org.yaml
    (`yaml_loader.MIGRATION_SCALE` for `kpi org split`)."""
    rels = sorted(rel for rel in scan(root) if kind_of(rel) in ("org", "orgunit"))
    loaded = read_many(root, [r for r in rels if r != "org.yaml"])
    if "org.yaml" in rels:
        loaded.insert(0, read_one(str(root), "org.yaml", scale))
    org, problems = org_of(loaded)
    if not any(f.kind == "org" for f in loaded):
        problems.append(d("org.yaml", "KPI100", reason="文件不存在 / missing").at(1, 1))
    return org, place_in(root, problems + [x for f in loaded for x in f.diagnostics])
