"""What every page reads: the site's input (`SiteData`, `SiteOptions`), the `Page` it makes,
and `SiteIndex`, the lookups built once from the input (results by period and by person,
records, events, late submissions) with the names and titles in the site's language.

Input: the results as the documented JSON contract (schemas/results.schema.json), the ledger
model (org chart, calendar, schemes, records for comments and corrections) and the file
provenance. Nothing is written to disk by the pages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kpiledger.calendar import due_moment
from kpiledger.git.acts import Act
from kpiledger.git.provenance import FileProvenance
from kpiledger.keyed_cache import fields_digest
from kpiledger.model import ROLE_NAMES, Item, Ledger, Money, Period, Record, Rule, Scheme
from kpiledger.model.identity import People
from kpiledger.publish.public import pseudonym, public_file, shown_name
from kpiledger.score.lateness import days_late
from kpiledger.site.labels import labels
from kpiledger.site.pages.html import esc

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Page:
    """A generated page: its title (plain text) and its body."""

    title: str
    body: str  # Markdown with raw HTML blocks


@dataclass
class SiteOptions:
    """How the site is published: public edition, language, file links, URL style."""

    public: bool = False
    lang: str = "zh"
    # the public edition's site key: people appear by pseudonym (publish.public)
    site_key: bytes = b""
    repo_url_files: str | None = None
    use_directory_urls: bool = True
    # where the submission form hands files to: the repository (mkdocs.yml `repo_url`), its
    # forge (forge.forges.FORGES), the branch, and the ledger's folder in the repository
    repo_url: str | None = None
    forge: str | None = None
    branch: str = "main"
    ledger_prefix: str = ""


@dataclass
class SiteData:
    """Everything the pages are made from."""

    results: dict[str, Any]  # the JSON contract
    ledger: Ledger
    provenance: dict[str, FileProvenance]
    provenance_available: bool
    options: SiteOptions = field(default_factory=SiteOptions)
    # ledger-relative path → every commit that touched it (git.acts): who signed, approved
    acts: Mapping[str, tuple[Act, ...]] = field(default_factory=dict)


def period_key(p: Period | None, pid: str) -> tuple[str, str]:
    """Periods sort by their end date (their id when the calendar does not know them)."""
    return ((p.end if p else "") or pid, pid)


class SiteIndex:
    """The lookups built once from one `SiteData`, shared by every page."""

    def __init__(self, data: SiteData) -> None:
        self.data = data
        self.opt = data.options
        self.L = labels(self.opt.lang)
        english = self.opt.lang == "en"
        self.roles = {role: names.en if english else names.zh for role, names in ROLE_NAMES.items()}
        # punctuation in the site's language: 部门：A；岗位：B vs Unit: A; Title: B
        zh = self.opt.lang != "en"
        self.colon, self.sep, self.enum = ("：", "；", "、") if zh else (": ", "; ", ", ")
        self.ledger = data.ledger
        self.org = data.ledger.org
        self.people = People(self.org)  # who a commit's e-mail is
        self.results: list[dict[str, Any]] = list(data.results.get("results", []))
        self.events: list[dict[str, Any]] = list(data.results.get("events", []))
        cal = data.ledger.calendar.periods
        self.period_ids = sorted(
            {r["period"] for r in self.results} | set(cal),
            key=lambda p: period_key(cal.get(p), p),
        )
        self.order = {p: i for i, p in enumerate(self.period_ids)}
        self.by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_assessee: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.results:
            self.by_period[r["period"]].append(r)
            self.by_assessee[r["assessee"]].append(r)
        self.records: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        for rec in data.ledger.records:
            self.records[(rec.period, rec.scheme, rec.assessee)].append(rec)
        self.events_by_assessee: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # what marks a row in a ranking: the events fired in its period, and the warnings
        # whose streak ends there (one more such period fires the rule)
        self.events_at: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for e in self.events:
            self.events_by_assessee[e["assessee"]].append(e)
            self.events_at[(e["period"], e["scheme"], e["assessee"])].append(e)
        self.warnings: list[dict[str, Any]] = list(data.results.get("warnings", []))
        self.warned_at: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for w in self.warnings:
            last = w["periods"][-1] if w.get("periods") else w["period"]
            self.warned_at[(last, w["scheme"], w["assessee"])].append(w)
        self.rules = {(s.id, r.id): r for s in data.ledger.schemes.values() for r in s.rules}
        self.late = late_submissions(data, self.order)
        self.money_titles = {
            m.id: self.title(m) for s in data.ledger.schemes.values() for m in s.money
        }
        self._memo: dict[Hashable, Any] = {}
        self._row_keys: dict[int, str] = {}  # id of a result → its digest (`row_keys`)
        self._record_keys: dict[int, str] = {}  # id of a record → its digest (`record_keys`)
        self.items_by_id = {(s.id, i.id): i for s in data.ledger.schemes.values() for i in s.items}

    def memo(self, key: Hashable, make: Callable[..., Any], *args: Any) -> Any:
        """`make(*args)`, computed once per key for the whole build."""
        if key not in self._memo:
            self._memo[key] = make(*args)
        return self._memo[key]

    def row_keys(self, rows: list[dict[str, Any]]) -> list[str]:
        """The digest of each result, made once per build for those of `results`: a page's
        cache key names its results by these (a result is on its person's, its period's and
        its unit's pages, and in its period's published file)."""
        keys = self._row_keys
        if not keys:
            keys.update((id(r), fields_digest(r)) for r in self.results)
        return [keys.get(id(r)) or fields_digest(r) for r in rows]

    def record_keys(self, records: Iterable[Record]) -> list[str]:
        """The digest of each record with its commits and signatures, made once per build (a
        record is on its person's and its period's pages)."""
        keys, out = self._record_keys, []
        for rec in records:
            key = keys.get(id(rec))
            if key is None:
                key = keys[id(rec)] = fields_digest(rec, self.data.provenance.get(rec.file),
                                                    self.data.acts.get(rec.file))
            out.append(key)
        return out

    def paren(self, html: str) -> str:
        """Parentheses in the site's language: 张三（90） vs Zhang San (90)."""
        return f"（{html}）" if self.opt.lang != "en" else f" ({html})"

    def name(self, assessee: str, fallback: str | None = None) -> str:
        """Display name (raw text; escape it where it is used)."""
        return shown_name(self.org, assessee, fallback, self.opt.lang, self.opt.public)

    def slug(self, assessee: str) -> str:
        """The last part of a person's page address: their id, or in the public edition their
        pseudonym (stable, not derivable from the id)."""
        if self.opt.public and assessee in self.org.people:
            return pseudonym(self.opt.site_key, assessee)
        return assessee

    def shown_id(self, assessee: str) -> str:
        """A person's id as shown beside their name ('' in the public edition)."""
        return "" if self.opt.public and assessee in self.org.people else assessee

    def file_text(self, rel: str) -> str:
        """A ledger file's path as shown (raw text): the public edition puts the person's
        pseudonym where the path names their id."""
        if not self.opt.public:
            return rel
        return public_file(rel, self.opt.site_key, self.org.people)

    def unit_name(self, unit: str) -> str:
        """A unit's name (its id when the org chart does not know it)."""
        u = self.org.units.get(unit)
        return u.name if u else unit

    def group_name(self, group: str) -> str:
        """A ranking group's name: its scheme's title or its unit's name."""
        if group in self.ledger.schemes:
            return self.scheme_title(self.ledger.schemes[group])
        return self.unit_name(group)

    def title(self, thing: Scheme | Item | Money | Rule) -> str:
        """A scheme's, item's, money entry's or rule's title in the site's language (the
        Chinese one when no English one is given)."""
        return thing.title_en if self.opt.lang == "en" and thing.title_en else thing.title

    def grade(self, sid: str, grade: str | None) -> str:
        """A result's grade in the site's language (raw text; a dash when it has none)."""
        if not grade:
            return "—"
        s = self.ledger.schemes.get(sid)
        return s.grade_name(grade, self.opt.lang) if s else grade

    def outcome(self, e: Mapping[str, Any]) -> str:
        """An event's or warning's outcome in the site's language (raw text)."""
        if self.opt.lang == "en":
            if e.get("outcome_en"):
                return str(e["outcome_en"])
            rule = self.rules.get((e["scheme"], e["rule"]))
            if rule is not None and rule.outcome_en:
                return rule.outcome_en
        return str(e["outcome"])

    def rule_outcome(self, rule: Rule) -> str:
        """A rule's outcome in the site's language (raw text)."""
        return rule.outcome_en if self.opt.lang == "en" and rule.outcome_en else rule.outcome

    def quoted(self, text: Any) -> str:
        """Words people or the source documents wrote (comments, notes, reasons, quoted
        source text), escaped; the English edition marks those in Chinese lang="zh", the
        only Chinese it shows besides names from the org chart."""
        html = esc(text)
        if self.opt.lang == "en" and _HAN.search(html):
            return f'<span lang="zh">{html}</span>'
        return html

    def scheme_title(self, s: Scheme) -> str:
        """A scheme's title in the site's language."""
        return self.title(s)

    def latest_period(self) -> str | None:
        """The latest month with results (the latest period of any kind when none is a month)."""
        with_results = [p for p in self.period_ids if p in self.by_period]
        if not with_results:
            return None
        months = [p for p in with_results if re.fullmatch(r"\d{4}-\d{2}", p)]
        return (months or with_results)[-1]

    def unit_order(self) -> list[str]:
        """Units depth-first from the roots, so the nav reads like the org chart."""
        children: dict[str | None, list[str]] = defaultdict(list)
        for u in self.org.units.values():
            parent = u.parent if u.parent in self.org.units else None
            children[parent].append(u.id)
        out: list[str] = []
        stack = list(reversed(children[None]))
        while stack:
            u = stack.pop()
            if u in out:
                continue
            out.append(u)
            stack += reversed(children.get(u, []))
        return out + [u for u in self.org.units if u not in out]


def late_submissions(data: SiteData, order: dict[str, int]) -> list[dict[str, Any]]:
    """Records that landed (first-parent commit date) after their period's due time, with the
    days late as scoring counts them (`score.lateness.days_late`, the due time from
    `calendar.due_moment`: one rule for the scores and the site). Times are in the ledger's
    zone, as the due times are written."""
    out = []
    cal = data.ledger.calendar
    for rec in data.ledger.records:
        if rec.correction:  # amends a closed period: after the due time by definition
            continue
        period = cal.periods.get(rec.period)
        prov = data.provenance.get(rec.file)
        due = due_moment(period, cal.timezone) if period is not None else None
        if due is None or prov is None:
            continue
        days = days_late(prov.added.date, due)
        if not days:
            continue
        landed = datetime.fromisoformat(prov.added.date).astimezone(due.tzinfo)
        out.append(
            {
                "period": rec.period,
                "assessee": rec.assessee,
                "scheme": rec.scheme,
                "role": rec.role,
                "file": rec.file,
                "due": period.due if period else "",
                "landed": landed.strftime("%Y-%m-%d %H:%M"),
                "days": days,
                "commit": prov.added.sha,
            }
        )
    out.sort(key=lambda x: (order.get(x["period"], 0), x["file"]))
    return out
