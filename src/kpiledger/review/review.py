"""`kpi review --base REF`: a pull request's check (提交审核).

What changed between REF and HEAD (`git diff REF...HEAD`, the commits of `REF..HEAD`) is
checked, with what depends on it, and nothing else:

- who may write what comes from the org chart AT REF, so a pull request cannot grant itself
  permissions by editing org.yaml;
- identity is the forge login (`--actor`, matched against `github:<login>`) and the author and
  committer e-mail of every commit in the range (matched against `identities`);
- closed periods (their status at REF) take only correction records;
- deleting a record is always reported, and refused unless done by HR.

Speed: the ledger is never read whole. The shared files are read at REF (`git cat-file`) and
from the work tree; records are read only for the affected (period, unit) folders, plus the
same folders in every other period of the scheme (rules span periods), plus the units the
scheme ranks them with. A file whose bytes are the same on both sides is parsed once, and a
period with no difference is scored once and shared by both sides.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kpiledger.check.ledger import (
    Context,
    Loaded,
    check_loaded,
    load_document,
    shared_context,
    winners,
)
from kpiledger.check.records import check_duplicates, duplicate_key
from kpiledger.diagnostics import Diagnostic, d, has_errors
from kpiledger.evaluate import rule_view
from kpiledger.git.repo import BlobReader, GitError, Where, git, locate, rev, tree_blobs
from kpiledger.load.layout import expected_layout, kind_of, parse_record_path
from kpiledger.load.positions import place
from kpiledger.model import Ledger, Org, Record, Scheme
from kpiledger.model.build import build_record
from kpiledger.numbers import fmt
from kpiledger.rules.streaks import evaluate_rules, period_kind
from kpiledger.score.failures import failure_code, failure_diagnostic, reason
from kpiledger.score.lateness import Landing, days_late, due_moment
from kpiledger.score.ledger import Result, Results, score_ledger

SHARED = ("org", "periods", "scheme")
WEB_FLOW = "noreply@github.com"  # GitHub's own committer for web edits and merges
_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$")
_PERIOD_DIR = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$")


# ------------------------------------------------------------------------------------ model


@dataclass(frozen=True)
class Refusal:
    where: str  # repository path of the file, or "commit <sha>" / "actor @login"
    why_zh: str
    why_en: str
    instead_zh: str  # who may do it instead
    instead_en: str


@dataclass(frozen=True)
class Change:
    period: str
    scheme: str
    assessee: str
    name: str
    before: dict[str, Any] | None  # evaluate.rule_view of the result, plus name and money
    after: dict[str, Any] | None


@dataclass
class Review:
    base: str
    head: str
    changed: list[tuple[str, str]]  # (status A|M|D, repository path) of ledger files
    outside: list[str]  # changed files outside the ledger (not checked here)
    refusals: list[Refusal] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # ledger-relative files
    changes: list[Change] = field(default_factory=list)
    triggered: list[dict[str, Any]] = field(default_factory=list)
    cleared: list[dict[str, Any]] = field(default_factory=list)
    late: list[tuple[str, int, str]] = field(default_factory=list)  # (path, days, due)
    prefix: str = ""
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.refusals) or has_errors(self.diagnostics)


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    committer: str
    date: str  # committer date, ISO 8601
    files: tuple[str, ...]  # repository paths


# ------------------------------------------------------------------------------- identities


class People:
    """Who is who in the org chart at REF: by e-mail, by forge login, and in words."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.by_mail: dict[str, str] = {}
        self.by_login: dict[str, str] = {}
        self.logins: dict[str, list[str]] = {}
        for p in org.people.values():
            for ident in p.identities:
                if ident.lower().startswith("github:"):
                    login = ident.split(":", 1)[1].strip()
                    self.by_login.setdefault(login.lower(), p.id)
                    self.logins.setdefault(p.id, []).append(login)
                else:
                    self.by_mail.setdefault(ident.strip().lower(), p.id)

    def of_mail(self, mail: str) -> str | None:
        mail = mail.strip().lower()
        if mail in self.by_mail:
            return self.by_mail[mail]
        m = _NOREPLY.match(mail)  # GitHub's private address names the login
        return self.by_login.get(m.group(1).lower()) if m else None

    def of_login(self, login: str) -> str | None:
        return self.by_login.get(login.strip().lstrip("@").lower())

    def who(self, ids: Iterable[str]) -> str:
        shown = []
        for pid in sorted(set(ids)):
            p = self.org.people.get(pid)
            logins = " ".join(f"@{x}" for x in self.logins.get(pid, []))
            text = f"{pid} {p.name}" if p else pid
            shown.append(f"{text} ({logins})" if logins else text)
        return "、".join(shown)


def members(org: Org, unit: str) -> set[str]:
    return {p.id for p in org.people.values() if unit in org.ancestors(p.unit)}


def writers_for(org: Org, rel: str) -> tuple[set[str], str, str]:
    """Who may write the file at `rel` (by its path), and that rule in words."""
    kind = kind_of(rel)
    if kind in SHARED:
        return set(org.hr), "只有人力资源（hr）可以修改", "only HR may change it"
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


# -------------------------------------------------------------------------------------- git


def diff(where: Where, base: str) -> list[tuple[str, str]]:
    """(status, repository path) of every file changed between REF...HEAD; renames split."""
    out = git(["diff", "--name-status", "-z", "--no-renames", f"{base}...HEAD"], where.top)
    tokens = [t for t in out.decode("utf-8", "surrogateescape").split("\0") if t]
    return [(s[0], p) for s, p in zip(tokens[::2], tokens[1::2], strict=False)]


def commits(where: Where, base: str) -> list[Commit]:
    """The commits of REF..HEAD, newest first, with the files each touched."""
    fmt_ = "%x1e%H%x1f%ae%x1f%ce%x1f%cI%x1f"
    out = git(
        ["log", "-z", "--no-renames", "--name-only", f"--format={fmt_}", f"{base}..HEAD"],
        where.top,
    ).decode("utf-8", "surrogateescape")
    found = []
    for chunk in out.split("\x1e"):
        fields = chunk.split("\x1f")
        if len(fields) < 5:
            continue
        sha, author, committer, date, rest = fields[:5]
        files = tuple(t.strip("\n") for t in rest.split("\0") if t.strip("\n"))
        found.append(Commit(sha, author, committer, date, files))
    return found


# -------------------------------------------------------------------------------- the check


def _correction_name(rel: str, existing: Iterable[str]) -> str:
    """The next free `<name>.correction-<n>.yaml` beside `rel`."""
    stem = rel[: -len(".yaml")]
    taken = [parse_record_path(x) for x in existing if x.startswith(stem + ".correction-")]
    n = max([w.correction or 0 for w in taken if w is not None], default=0) + 1
    return f"{stem}.correction-{n}.yaml"


def _permissions(
    review: Review,
    ctx: Context,
    people: People,
    writers_of: dict[str, set[str]],
    head_docs: dict[str, Loaded],
    base_files: Iterable[str],
) -> None:
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
                        f"{review.prefix}{_correction_name(rel, existing)}",
                        "nothing in a closed period may be deleted; for an amendment "
                        f"{people.who(allowed) or 'the assessor'} submits the correction "
                        f"{review.prefix}{_correction_name(rel, existing)}",
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
            target = _correction_name(rel, existing)
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
        if kind == "correction":
            f = head_docs.get(rel)
            block = f.doc.get("correction") if f is not None and f.doc is not None else None
            approved = str(block.get("approved_by")) if isinstance(block, dict) else None
            approvers = approvers_for(org, rel)
            if approved not in approvers:
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


def _identities(
    review: Review, people: People, actor: str | None, found: list[Commit]
) -> dict[str, set[str]]:
    """Refuse unknown identities; return repository path → people who wrote it."""
    hr = people.who(people.org.hr)
    actor_id: str | None = None
    if actor:
        actor_id = people.of_login(actor)
        if actor_id is None:
            review.refusals.append(
                Refusal(
                    f"@{actor}",
                    f"登录名 @{actor} 不属于组织架构中的任何人（identities 中的 github:{actor}）",
                    f"login @{actor} belongs to no one in the org chart (github:{actor})",
                    f"请人力资源在 org.yaml 中登记：{hr}",
                    f"HR registers it in org.yaml: {hr}",
                )
            )
    writers: dict[str, set[str]] = {}
    for c in found:
        author = people.of_mail(c.author)
        unknown = [("author", "作者", c.author)] if author is None else []
        # GitHub commits web edits and merges itself; the author still has to be known
        if c.committer.lower() != WEB_FLOW and people.of_mail(c.committer) is None:
            unknown.append(("committer", "提交者", c.committer))
        for role_en, role_zh, mail in unknown:
            review.refusals.append(
                Refusal(
                    f"commit {c.sha[:10]}",
                    f"提交的{role_zh}邮箱 {mail} 不属于组织架构中的任何人",
                    f"the {role_en} e-mail {mail} belongs to no one in the org chart",
                    f"用 org.yaml 中登记的邮箱重新提交，或请人力资源登记：{hr}",
                    f"commit with an e-mail listed in org.yaml, or ask HR to add it: {hr}",
                )
            )
        for path in c.files:
            if author is not None:
                writers.setdefault(path, set()).add(author)
    if actor_id is not None:
        for _, path in review.changed:
            writers.setdefault(path, set()).add(actor_id)
    return writers


# ------------------------------------------------------------------------------ the subset


def _scheme_units(scheme: Scheme, org: Org) -> set[str]:
    """Every unit whose folder can hold a record of the scheme."""
    units = {u for u in org.units if set(org.ancestors(u)) & set(scheme.applies_units)}
    units |= set(scheme.applies_assessee_units)
    units |= {org.people[p].unit for p in scheme.applies_people if p in org.people}
    return units


def _rank_units(scheme: Scheme | None, org: Org, unit: str, assessee: str) -> set[str]:
    """The unit folders holding everyone ranked with this assessee (see score.ranking_group);
    generous where unsure, since reading a folder too many only costs time."""
    if scheme is not None and scheme.ranking_group == "scheme":
        return _scheme_units(scheme, org) | {unit}
    group = unit
    if assessee in org.units:  # a unit assessee ranks among its siblings, each in its folder
        group = org.units[assessee].parent or unit
    elif scheme is None or scheme.ranking_group == "unit":
        return {unit}
    if scheme is not None and scheme.ranking_group == "parent" and group in org.units:
        group = org.units[group].parent or group
    below = {u for u in org.units if group in org.ancestors(u)}
    return below | {unit}


def _folders(
    record_scopes: list[tuple[str, str, str, set[str]]],
    shared_changed: set[str],
    base_ctx: Context,
    head_ctx: Context,
    periods_seen: set[str],
) -> set[tuple[str, str]] | None:
    """(period, unit) folders to read on both sides; None for every folder."""
    if {"org.yaml", "periods.yaml"} & shared_changed:
        return None  # everything may depend on the org chart or the calendar
    wanted: set[tuple[str, str]] = set()
    scopes = list(record_scopes)
    for rel in shared_changed:  # a changed scheme: every unit it covers on either side
        sid = rel[len("schemes/") : -len(".yaml")]
        units: set[str] = set()
        for ctx in (base_ctx, head_ctx):
            s = ctx.schemes.get(sid)
            if s is not None:
                units |= _scheme_units(s, ctx.org)
        scopes += [(p, u, "", {sid}) for p in periods_seen for u in units]
    for period, unit, assessee, scheme_ids in scopes:
        kind = period_kind(period)
        for ctx in (base_ctx, head_ctx):
            units = {unit}
            for sid in scheme_ids or {""}:
                units |= _rank_units(ctx.schemes.get(sid), ctx.org, unit, assessee)
            for p in periods_seen:
                if period_kind(p) == kind:
                    wanted |= {(p, u) for u in units}
    return wanted


def _shared(rel: str) -> bool:
    return rel in ("org.yaml", "periods.yaml") or rel.startswith("schemes/")


def _in(folders: set[tuple[str, str]] | None, rel: str) -> bool:
    """Whether a record path lies in one of the folders (a cheap split: 24,000 paths)."""
    parts = rel.split("/")
    if len(parts) != 3 or _shared(rel):
        return False
    return folders is None or (parts[0], parts[1]) in folders


def _head_files(root: Path, folders: set[tuple[str, str]] | None) -> list[str]:
    """Record files of the work tree in the folders (all folders when None)."""
    found: list[str] = []
    if folders is None:
        periods = [p for p in os.listdir(root) if _PERIOD_DIR.match(p)]
        folders = {(p, u) for p in periods for u in _listdir(root / p) if (root / p / u).is_dir()}
    for period, unit in sorted(folders):
        found += [f"{period}/{unit}/{n}" for n in _listdir(root / period / unit) if
                  n.endswith((".yaml", ".yml"))]
    return found


def _listdir(folder: Path) -> list[str]:
    try:
        return sorted(x for x in os.listdir(folder) if not x.startswith("."))
    except OSError:
        return []


def _read(root: Path, rel: str) -> bytes | None:
    try:
        return (root / rel).read_bytes()
    except OSError:
        return None


class Parsed:
    """Loaded files by (path, bytes): a file the same on both sides is parsed once."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, bytes], Loaded] = {}

    def get(self, rel: str, data: bytes) -> Loaded:
        key = (rel, data)
        if key not in self._seen:
            kind = kind_of(rel)
            if kind is None:
                problem = d(rel, "KPI313", expected=expected_layout()).at(1, 1)
                self._seen[key] = Loaded(rel, None, None, [problem])
            else:
                self._seen[key] = load_document(rel, kind, data)
        return self._seen[key]


def _records(files: dict[str, Loaded]) -> dict[str, Record]:
    return {
        rel: build_record(f.doc, rel)
        for rel, f in files.items()
        if f.kind in ("record", "correction") and f.doc is not None and not f.diagnostics
    }


def _score(
    ctx: Context, records: Iterable[Record], landed: dict[str, Landing] | None
) -> Results:
    ledger = Ledger("", ctx.org, ctx.calendar, ctx.schemes, tuple(winners(list(records))))
    return score_ledger(ledger, landed)


def _view(r: Result) -> dict[str, Any]:
    view = rule_view(r)
    view["name"] = r.name
    view["money"] = {k: fmt(v, r.precision) for k, v in sorted(r.money.items())}
    view["failures"] = tuple(r.failures)  # why a total or an amount is missing
    view["files"] = r.files
    return view


def _events(ctx: Context, views: list[dict[str, Any]], touched: set[str]) -> list[dict[str, Any]]:
    """The rule events of the touched assessees. The others stay in only with what their
    group's places are computed from (period, scheme, group, rank): without a complete status
    no streak of theirs is walked, which is most of the work."""
    slim = [
        v if v["assessee"] in touched else
        {k: v[k] for k in ("period", "scheme", "assessee", "group", "rank", "of")}
        for v in views
    ]
    events, _ = evaluate_rules(slim, ctx.schemes, ctx.calendar)
    return [e for e in events if e["assessee"] in touched]


def _event_key(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e["period"], e["scheme"], e["assessee"], e["rule"], tuple(e.get("periods", ())))


def _money_md(v: View | None, lang: str) -> str | None:
    """Amounts, then what could not be computed and why: `bonus —（除数为零 KPI504）`."""
    if v is None:
        return None
    parts = [f"{k} {x}" for k, x in v["money"].items()]
    parts += [
        f"{f.target} —（{reason(f.kind, lang)} {failure_code(f)}）" for f in v["failures"]
    ]
    return ", ".join(parts)


def _shown(v: View | None) -> tuple[Any, ...]:
    if v is None:
        return ()
    return (
        v["total"], v["rank"], v["of"], v["grade"], tuple(v["money"].items()), v["status"],
        v["failures"],
    )


# --------------------------------------------------------------- parsing and scoring, split


@dataclass(frozen=True)
class Job:
    base_ctx: Context
    head_ctx: Context
    base_data: dict[str, bytes]
    head_data: dict[str, bytes]
    moved: set[str]  # periods whose files differ between the sides
    everything_moved: bool  # a shared file changed: every period is scored on both sides
    landed_base: dict[str, Landing] | None
    landed_head: dict[str, Landing] | None


View = dict[str, Any]  # evaluate.rule_view plus name and money: plain data, cheap to pickle
Part = tuple[list[View], list[View], list[tuple[str, Any]]]
_job: Job | None = None  # the workers' copy, inherited by fork (never pickled)
PARALLEL_FROM = 600  # files; below this a process pool costs more than it saves


def _work(periods: list[str]) -> Part:
    """Parse, build and score these periods on both sides: (before, after, head keys)."""
    job = _job
    assert job is not None
    wanted = set(periods)
    parsed = Parsed()
    base = {r: parsed.get(r, b) for r, b in job.base_data.items() if r.split("/", 1)[0] in wanted}
    head = {r: parsed.get(r, b) for r, b in job.head_data.items() if r.split("/", 1)[0] in wanted}
    base_records, head_records = _records(base), _records(head)
    before = [_view(r) for r in _score(job.base_ctx, base_records.values(), job.landed_base)
              .results]
    redo = [r for r in head_records.values() if job.everything_moved or r.period in job.moved]
    after = [_view(r) for r in _score(job.head_ctx, redo, job.landed_head).results] if redo else []
    if not job.everything_moved:
        after += [v for v in before if v["period"] not in job.moved]
    keys = [(rel, duplicate_key(r)) for rel, r in head_records.items()]
    return before, after, keys


def _run(job: Job) -> Part:
    """`_work` over every period, split across the cores by file count."""
    global _job
    _job = job
    sizes: dict[str, int] = {}
    for rel in [*job.base_data, *job.head_data]:
        period = rel.split("/", 1)[0]
        sizes[period] = sizes.get(period, 0) + (2 if period in job.moved else 1)
    workers = min(os.cpu_count() or 1, 4)
    if sum(sizes.values()) < PARALLEL_FROM or workers < 2 or len(sizes) < 2:
        return _work(sorted(sizes))
    bins: list[list[str]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for period in sorted(sizes, key=lambda p: -sizes[p]):  # largest first, to the lightest bin
        i = loads.index(min(loads))
        bins[i].append(period)
        loads[i] += sizes[period]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
        parts = list(pool.map(_work, [b for b in bins if b]))
    return (
        [r for p in parts for r in p[0]],
        [r for p in parts for r in p[1]],
        [k for p in parts for k in p[2]],
    )


# ------------------------------------------------------------------------------ the review


def review(root: Path, base: str, actor: str | None = None, now: dt.datetime | None = None
           ) -> Review:
    """Check the change REF...HEAD of the ledger at `root`."""
    import time

    started = time.perf_counter()
    root = Path(root)
    where = locate(root)
    if where is None:
        raise GitError(f"{root} 不在 git 仓库中 / is not inside a git repository")
    base_sha = rev(where, base)
    head_sha = rev(where, "HEAD")
    changed_all = diff(where, base_sha)
    prefix = where.prefix
    result = Review(
        base=base_sha,
        head=head_sha,
        changed=[(s, p) for s, p in changed_all if p.startswith(prefix)],
        outside=[p for _, p in changed_all if not p.startswith(prefix)],
        prefix=prefix,
    )
    changed_rels = {p[len(prefix) :]: s for s, p in result.changed}
    base_index = tree_blobs(where, base_sha)
    parsed = Parsed()
    with BlobReader(where.top) as blobs:
        # 1. the shared files at REF and in the work tree
        shared_rels = [r for r in base_index if _shared(r)]
        wanted_first = shared_rels + [r for r in changed_rels if r in base_index]
        base_bytes = {
            r: b
            for r, b in zip(
                wanted_first, _by_sha(blobs, [base_index[r] for r in wanted_first]), strict=True
            )
            if b is not None
        }
        base_ctx, _ = shared_context([parsed.get(r, base_bytes[r]) for r in shared_rels], None)
        head_shared = ["org.yaml", "periods.yaml"] + [
            f"schemes/{n}" for n in _listdir(root / "schemes") if n.endswith(".yaml")
        ]
        head_bytes = {r: b for r in head_shared if (b := _read(root, r)) is not None}
        shared_changed = {
            r for r in set(shared_rels) | set(head_bytes) if base_bytes.get(r) != head_bytes.get(r)
        }
        wanted = frozenset(changed_rels)
        if shared_changed:
            head_shared_loaded = [parsed.get(r, b) for r, b in head_bytes.items()]
            head_ctx, shared_diags = shared_context(head_shared_loaded, wanted)
            shared_diags += [x for f in head_shared_loaded for x in f.diagnostics]
            result.diagnostics += [x for x in shared_diags if x.file in changed_rels]
        else:
            head_ctx = replace(base_ctx, wanted=wanted)

        # 2. who wrote what, and may they
        people = People(base_ctx.org)
        found = commits(where, base_sha)
        writers = _identities(result, people, actor, found)
        changed_head: dict[str, Loaded] = {}
        for rel, status in changed_rels.items():
            if status != "D" and kind_of(rel) not in SHARED and rel.endswith((".yaml", ".yml")):
                data = _read(root, rel)
                if data is not None:
                    changed_head[rel] = parsed.get(rel, data)
        _permissions(result, base_ctx, people, writers, changed_head, base_index)

        # 3. the folders the change reaches, read on both sides
        scopes: list[tuple[str, str, str, set[str]]] = []
        for rel in changed_rels:
            w = parse_record_path(rel)
            if w is None:
                continue
            schemes = set()
            for f in (changed_head.get(rel), _maybe(parsed, rel, base_bytes.get(rel))):
                if f is not None and f.doc is not None and isinstance(f.doc.get("scheme"), str):
                    schemes.add(f.doc["scheme"])
            scopes.append((w.period, w.unit, w.assessee, schemes))
        periods_seen = {r.split("/", 1)[0] for r in base_index if "/" in r and
                        _PERIOD_DIR.match(r.split("/", 1)[0])}
        periods_seen |= {p for p in _listdir(root) if _PERIOD_DIR.match(p)}
        folders = _folders(scopes, shared_changed, base_ctx, head_ctx, periods_seen)
        base_rels = [r for r in base_index if _in(folders, r)]
        base_data = dict(zip(base_rels, _by_sha(blobs, [base_index[r] for r in base_rels]),
                             strict=True))
    head_rels = _head_files(root, folders)
    head_data = {r: b for r in head_rels if (b := _read(root, r)) is not None}

    # 4. scores and ranks on both sides; a period with no difference is scored once
    differing = {r for r in set(base_data) | set(head_data) if base_data.get(r) != head_data.get(r)}
    landed_head, landed_base = _landings(root, base_ctx, head_ctx, changed_rels, head_sha, now)
    job = Job(
        base_ctx, head_ctx, {r: b for r, b in base_data.items() if b is not None}, head_data,
        {r.split("/", 1)[0] for r in differing}, bool(shared_changed), landed_base, landed_head,
    )
    before, after, keys = _run(job)

    # 5. the checker's problems in the changed files (closed periods are judged above)
    diags: list[Diagnostic] = []
    for rel in sorted(changed_head):
        _, problems = check_loaded(changed_head[rel], head_ctx)
        diags += [x for x in changed_head[rel].diagnostics + problems if x.code != "KPI309"]
    diags += [x for x in check_duplicates(keys) if x.file in changed_rels]
    head_schemes = head_ctx.schemes
    diags += [  # a formula that fails for someone this change touches blocks it too
        failure_diagnostic(head_schemes[v["scheme"]], v["period"], v["assessee"], v["files"], f)
        for v in after
        if v["failures"] and v["scheme"] in head_schemes and set(v["files"]) & changed_rels.keys()
        for f in v["failures"]
    ]
    texts = {x.file: (head_data.get(x.file) or _read(root, x.file) or b"").decode(
        "utf-8-sig", "replace") for x in diags + result.diagnostics if x.line is None}
    result.diagnostics = place(result.diagnostics + diags, texts)

    _compare(result, base_ctx, head_ctx, before, after, changed_rels)
    _lateness(result, head_ctx, changed_head, now)
    result.seconds = time.perf_counter() - started
    return result


def _maybe(parsed: Parsed, rel: str, data: bytes | None) -> Loaded | None:
    return None if data is None else parsed.get(rel, data)


def _by_sha(blobs: BlobReader, shas: list[str]) -> list[bytes | None]:
    got = blobs.read(shas)
    return [got.get(s) for s in shas]


def _landings(
    root: Path,
    base_ctx: Context,
    head_ctx: Context,
    changed: dict[str, str],
    head_sha: str,
    now: dt.datetime | None,
) -> tuple[dict[str, Landing] | None, dict[str, Landing] | None]:
    """Landing times, only when a scheme deducts for lateness (one git pass): a changed record
    lands when this pull request merges, taken as now."""
    uses = any(
        i.method == "deductions" and i.spec.get("late")
        for ctx in (base_ctx, head_ctx)
        for s in ctx.schemes.values()
        for i in s.items
    )
    if not uses:
        return None, None
    from kpiledger.evaluate import landings

    landed = landings(root) or {}
    moment = (now or dt.datetime.now(dt.UTC)).isoformat()
    head = dict(landed)
    for rel, status in changed.items():
        if status != "D":
            head[rel] = Landing(head_sha, moment)
    return head, landed


def _compare(
    review: Review,
    base_ctx: Context,
    head_ctx: Context,
    before: list[View],
    after: list[View],
    changed: dict[str, str],
) -> None:
    old = {(v["period"], v["scheme"], v["assessee"]): v for v in before}
    new = {(v["period"], v["scheme"], v["assessee"]): v for v in after}
    touched = {w.assessee for rel in changed if (w := parse_record_path(rel)) is not None}
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if _shown(a) != _shown(b):
            name = (b or a or {}).get("name", key[2])
            review.changes.append(Change(key[0], key[1], key[2], name, a, b))
            touched.add(key[2])
    if not touched:
        return
    ev_old = {_event_key(e): e for e in _events(base_ctx, before, touched)}
    ev_new = {_event_key(e): e for e in _events(head_ctx, after, touched)}
    review.triggered = [ev_new[k] for k in sorted(set(ev_new) - set(ev_old))]
    review.cleared = [ev_old[k] for k in sorted(set(ev_old) - set(ev_new))]


def _lateness(
    review: Review, ctx: Context, changed: dict[str, Loaded], now: dt.datetime | None
) -> None:
    """Records this change submits after their period's due time (if merged now)."""
    moment = (now or dt.datetime.now(dt.UTC)).isoformat()
    for rel in sorted(changed):
        where = parse_record_path(rel)
        period = ctx.calendar.periods.get(where.period) if where else None
        due = due_moment(period, ctx.calendar.timezone) if period else None
        if period is None or due is None:
            continue
        days = days_late(moment, due)
        if days > 0:
            review.late.append((review.prefix + rel, days, period.due or ""))


# ------------------------------------------------------------------------------- the report


def _md(text: Any) -> str:
    """User text made safe inside a Markdown table cell."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("|", "\\|").replace("\n", " ")


def _arrow(a: Any, b: Any) -> str:
    a = "—" if a in (None, "") else a
    b = "—" if b in (None, "") else b
    return _md(a) if a == b else f"{_md(a)} → {_md(b)}"


def _place(v: dict[str, Any] | None) -> str | None:
    return None if v is None or v["rank"] is None else f"{v['rank']}/{v['of']}"


def render(review: Review, lang: str = "zh") -> str:
    en = lang == "en"
    head = f"`{review.base[:10]}`…`{review.head[:10]}`"
    lines = [f"## kpi review {head}", ""]
    errors = sum(1 for x in review.diagnostics if x.severity == "error")
    if review.failed:
        lines.append(
            f"**❌ {len(review.refusals)} refused, {errors} errors**" if en
            else f"**❌ 拒绝 {len(review.refusals)} 项，错误 {errors} 个**"
        )
    else:
        lines.append("**✅ OK to merge**" if en else "**✅ 可以合并**")
    lines.append("")
    if review.refusals:
        lines += ["### 拒绝 / Refused", "", "| 文件 / where | 原因 / why | 应由 / instead |",
                  "|---|---|---|"]
        for r in review.refusals:
            why, instead = (r.why_en, r.instead_en) if en else (r.why_zh, r.instead_zh)
            lines.append(f"| `{_md(r.where)}` | {_md(why)} | {_md(instead)} |")
        lines.append("")
    if review.deleted:
        lines += ["### 删除的文件 / Deleted files", ""]
        lines += [f"- `{_md(p)}`" for p in review.deleted] + [""]
    if review.diagnostics:
        lines += ["### 问题 / Problems", ""]
        for x in review.diagnostics:
            level = "error" if x.severity == "error" else "warning"
            lines.append(
                f"- `{_md(review.prefix + x.file)}:{x.line or 1}:{x.column or 1}` "
                f"{x.code} ({level}) {_md(x.message(lang))}"
            )
        lines.append("")
    if review.changes:
        lines += [
            "### 分数与名次 / Scores and ranks",
            "",
            "| 考核期 / period | 方案 / scheme | 被考核人 / assessee | 总分 / total | "
            "名次 / rank | 等级 / grade | 金额 / money |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in review.changes:
            a, b = c.before, c.after
            ta, tb = (a or {}).get("total"), (b or {}).get("total")
            ma, mb = _money_md(a, lang), _money_md(b, lang)
            lines.append(
                f"| {_md(c.period)} | {_md(c.scheme)} | {_md(c.assessee)} {_md(c.name)} | "
                f"{_arrow(ta, tb)} | {_arrow(_place(a), _place(b))} | "
                f"{_arrow((a or {}).get('grade'), (b or {}).get('grade'))} | {_arrow(ma, mb)} |"
            )
        lines.append("")
    if review.triggered or review.cleared:
        lines += ["### 规则事件 / Rule events", ""]
        for label, events in (("触发 / triggered", review.triggered),
                              ("解除 / cleared", review.cleared)):
            for e in events:
                lines.append(
                    f"- **{label}** {_md(e['period'])} {_md(e['assessee'])} "
                    f"`{_md(e['rule'])}` {_md(e.get('outcome'))}: {_md(e.get('detail'))}"
                )
        lines.append("")
    if review.late:
        lines += ["### 迟交 / Late submissions", ""]
        for path, days, due in review.late:
            lines.append(
                f"- `{_md(path)}`: {days} day(s) after the due time {_md(due)}" if en
                else f"- `{_md(path)}`：晚于截止时间 {_md(due)} {days} 天"
            )
        lines.append("")
    lines += ["### 变更的文件 / Changed files", ""]
    lines += [f"- {s} `{_md(p)}`" for s, p in review.changed] or ["- (none)"]
    if review.outside:
        lines += ["", "不在账本中、未检查 / outside the ledger, not checked here:", ""]
        lines += [f"- `{_md(p)}`" for p in review.outside]
    lines += ["", f"<sub>{review.seconds:.2f} s</sub>", ""]
    return "\n".join(lines)


def run_review(base: str, actor: str | None, ledger: str | None, lang: str) -> int:
    """The `kpi review` command: the summary to $GITHUB_STEP_SUMMARY (else stdout)."""
    import sys

    from kpiledger.diagnostics import format_github

    root = Path(ledger) if ledger else (Path("ledger") if Path("ledger/org.yaml").exists()
                                        else Path("."))
    try:
        found = review(root, base, actor or None)
    except GitError as e:
        print(f"kpi review: {e}", file=sys.stderr)
        return 2
    text = render(found, lang)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(text + "\n")
        if os.environ.get("GITHUB_ACTIONS") == "true":  # annotations on the changed lines
            shown = [replace(x, file=found.prefix + x.file) for x in found.diagnostics]
            if shown:
                print(format_github(shown, lang))
        print(text.split("\n\n", 2)[1] if "\n\n" in text else text)  # the verdict line
    else:
        print(text)
    return 1 if found.failed else 0
