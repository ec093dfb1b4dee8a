"""`kpi org split`: an org chart in the old single-file shape (every unit and person in
org.yaml) rewritten into the split shape: org.yaml keeps the company-wide settings, each unit
moves with its people to `org/<unit>.yaml`. Comments and key order travel with their entries
(ruamel.yaml round trip); the files are written all together or not at all, and only when the
new files make exactly the org chart the old one made (checked before anything is written).
CODEOWNERS, when the repository has one, is brought in line afterwards: the unit files get
their units' reviewers as owners."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kpiledger.atomic import write_all
from kpiledger.authoring.yamlio import dump_rt, load_rt, schema_line, with_schema_line
from kpiledger.check.ledger import load_bytes, org_of, read_org
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.forge import codeowners
from kpiledger.load.files import scan
from kpiledger.load.layout import kind_of, unit_file
from kpiledger.load.yaml_loader import MIGRATION_SCALE
from kpiledger.model import Org

POINTER = (
    "部门与人员见 org/<部门编号>.yaml（每个部门一个文件）/ units and their people are in "
    "org/<unit-id>.yaml"
)


@dataclass
class Split:
    written: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    codeowners: str | None = None  # the CODEOWNERS file brought in line, if any


def split_texts(root: Path) -> Split | dict[str, str]:
    """The new texts (path relative to the ledger → text), or a Split holding why not."""
    org, problems = read_org(root, MIGRATION_SCALE)  # the old file may be past the limits
    errors = [x for x in problems if x.severity == "error"]
    if errors:
        return Split(problems=errors)
    text = (root / "org.yaml").read_text(encoding="utf-8-sig")
    doc = load_rt(text)
    units, people = doc.get("units") or [], doc.get("people") or []
    if not units and not people:
        return {}
    out: dict[str, str] = {}
    for unit in units:
        rel = unit_file(str(unit["id"]))
        if (root / rel).exists():
            return Split(problems=[d(rel, "KPI312", ("unit", "id"), id=str(unit["id"]),
                                     where="org.yaml 中也有 / also in org.yaml").at(1, 1)])
        own = CommentedMap()
        own["unit"] = unit
        members = _members(people, str(unit["id"]))
        if members:
            own["people"] = members
        out[rel] = with_schema_line(dump_rt(own), schema_line(root, rel))
    for key in ("units", "people"):
        if key in doc:
            del doc[key]
    out["org.yaml"] = dump_rt(doc).rstrip("\n") + f"\n# {POINTER}\n"
    kept = {r: (root / r).read_text(encoding="utf-8-sig") for r in scan(root)
            if kind_of(r) == "orgunit"}  # units split before: they count as they are
    new = sorted({**kept, **out}.items())
    after, _ = org_of([load_bytes(rel, t.encode("utf-8")) for rel, t in new])
    if _plain(after) != _plain(org):  # never a lossy rewrite
        return Split(problems=[d("org.yaml", "KPI100", reason="拆分结果与原组织架构不一致 / "
                                 "the split chart differs from the original").at(1, 1)])
    return out


def _members(people: CommentedSeq, unit: str) -> CommentedSeq:
    """The unit's people, each with the comment lines written before it in the old list
    (ruamel keeps those on the list, by position, not on the entry)."""
    before = dict(people.ca.items)
    if people.ca.comment and people.ca.comment[1]:  # the lines before the first entry
        before.setdefault(0, [None, people.ca.comment[1], None, None])
    out = CommentedSeq()
    for i, person in enumerate(people):
        if str(person.get("unit")) == unit:
            out.append(person)  # first: an insert moves the comments at and after it
            if i in before:
                out.ca.items[len(out) - 1] = before[i]
    return out


def _plain(org: Org) -> Org:
    return dataclasses.replace(org, unit_files=frozenset())


def split_org(root: Path) -> Split:
    """Split the org chart of the ledger at `root`; raises atomic.WriteError."""
    texts = split_texts(root)
    if isinstance(texts, Split):
        return texts
    result = Split(written=write_all(root, [(r, t.encode("utf-8")) for r, t in texts.items()]))
    if result.written and codeowners.stamp(root):
        org, _ = read_org(root)
        path, current = codeowners.sync(root, org, check_only=False)
        result.codeowners = None if current else str(path)
    return result
