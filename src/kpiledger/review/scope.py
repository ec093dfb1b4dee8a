"""What a change reaches: the files it changed, and the (period, unit) folders that must be
read on both sides to score it. The ledger is never read whole: only the affected folders,
the same folders in every other period of the scheme's kind (rules span periods), and the
units the scheme ranks them with."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from kpiledger.calendar import period_kind
from kpiledger.check.ledger import Context, Loaded
from kpiledger.git.repo import Where, git
from kpiledger.load.layout import is_period_folder, kind_of, parse_record_path
from kpiledger.model import Org, Scheme

Scope = tuple[str, str, str, set[str]]  # (period, unit, assessee, scheme ids) of a record
Folders = set[tuple[str, str]] | None  # (period, unit) folders; None for every folder


def changed_files(where: Where, base: str) -> list[tuple[str, str]]:
    """(status, repository path) of every file changed between REF...HEAD; renames split."""
    out = git(["diff", "--name-status", "-z", "--no-renames", f"{base}...HEAD"], where.top)
    tokens = [t for t in out.decode("utf-8", "surrogateescape").split("\0") if t]
    return [(s[0], p) for s, p in zip(tokens[::2], tokens[1::2], strict=False)]


def shared_files(root: Path) -> list[str]:
    """The org chart (org.yaml and its unit files), the calendar and the schemes a work tree
    may hold."""
    schemes = [f"schemes/{n}" for n in listdir(root / "schemes") if n.endswith(".yaml")]
    units = [f"org/{n}" for n in listdir(root / "org") if n.endswith(".yaml")]
    return ["org.yaml", *units, "periods.yaml", *schemes]


def record_scopes(changed: Iterable[str], sides: Iterable[Mapping[str, Loaded]]) -> list[Scope]:
    """Each changed record's place, with the schemes it names on either side."""
    sides = list(sides)
    scopes: list[Scope] = []
    for rel in changed:
        w = parse_record_path(rel)
        if w is None:
            continue
        schemes = set()
        for side in sides:
            f = side.get(rel)
            if f is not None and f.doc is not None and isinstance(f.doc.get("scheme"), str):
                schemes.add(f.doc["scheme"])
        scopes.append((w.period, w.unit, w.assessee, schemes))
    return scopes


def periods_present(base_files: Iterable[str], root: Path) -> set[str]:
    """The period folders at REF or in the work tree."""
    tops = {r.split("/", 1)[0] for r in base_files if "/" in r}
    return {p for p in tops | set(listdir(root)) if is_period_folder(p)}


def scheme_units(scheme: Scheme, org: Org) -> set[str]:
    """Every unit whose folder can hold a record of the scheme."""
    units = {u for u in org.units if set(org.ancestors(u)) & set(scheme.applies_units)}
    units |= set(scheme.applies_assessee_units)
    units |= {org.people[p].unit for p in scheme.applies_people if p in org.people}
    return units


def rank_units(scheme: Scheme | None, org: Org, unit: str, assessee: str) -> set[str]:
    """The unit folders holding everyone ranked with this assessee (see score.ranking_group);
    generous where unsure, since reading a folder too many only costs time."""
    if scheme is not None and scheme.ranking_group == "scheme":
        return scheme_units(scheme, org) | {unit}
    group = unit
    if assessee in org.units:  # a unit assessee ranks among its siblings, each in its folder
        group = org.units[assessee].parent or unit
    elif scheme is None or scheme.ranking_group == "unit":
        return {unit}
    if scheme is not None and scheme.ranking_group == "parent" and group in org.units:
        group = org.units[group].parent or group
    below = {u for u in org.units if group in org.ancestors(u)}
    return below | {unit}


def folders_to_read(
    record_scopes: list[Scope],
    shared_changed: set[str],
    base_ctx: Context,
    head_ctx: Context,
    periods_seen: set[str],
) -> Folders:
    """(period, unit) folders to read on both sides; None for every folder."""
    if any(kind_of(rel) in ("org", "orgunit", "periods") for rel in shared_changed):
        return None  # everything may depend on the org chart or the calendar
    wanted: set[tuple[str, str]] = set()
    scopes = list(record_scopes)
    for rel in shared_changed:  # a changed scheme: every unit it covers on either side
        sid = rel[len("schemes/") : -len(".yaml")]
        units: set[str] = set()
        for ctx in (base_ctx, head_ctx):
            s = ctx.schemes.get(sid)
            if s is not None:
                units |= scheme_units(s, ctx.org)
        scopes += [(p, u, "", {sid}) for p in periods_seen for u in units]
    for period, unit, assessee, scheme_ids in scopes:
        kind = period_kind(period)
        for ctx in (base_ctx, head_ctx):
            units = {unit}
            for sid in scheme_ids or {""}:
                units |= rank_units(ctx.schemes.get(sid), ctx.org, unit, assessee)
            for p in periods_seen:
                if period_kind(p) == kind:
                    wanted |= {(p, u) for u in units}
    return wanted


def in_folders(folders: Folders, rel: str) -> bool:
    """Whether a record path lies in one of the folders (a cheap split: 24,000 paths)."""
    parts = rel.split("/")
    if len(parts) != 3:
        return False
    return is_period_folder(parts[0]) if folders is None else (parts[0], parts[1]) in folders


def head_files(root: Path, folders: Folders) -> list[str]:
    """Record files of the work tree in the folders (all folders when None)."""
    found: list[str] = []
    if folders is None:
        periods = [p for p in os.listdir(root) if is_period_folder(p)]
        folders = {(p, u) for p in periods for u in listdir(root / p) if (root / p / u).is_dir()}
    for period, unit in sorted(folders):
        found += [f"{period}/{unit}/{n}" for n in listdir(root / period / unit) if
                  n.endswith((".yaml", ".yml"))]
    return found


def listdir(folder: Path) -> list[str]:
    """The names in a folder, hidden ones left out, sorted; none for a missing folder."""
    try:
        return sorted(x for x in os.listdir(folder) if not x.startswith("."))
    except OSError:
        return []


def read(root: Path, rel: str) -> bytes | None:
    """The bytes of a work-tree file; None when it cannot be read."""
    try:
        return (root / rel).read_bytes()
    except OSError:
        return None
