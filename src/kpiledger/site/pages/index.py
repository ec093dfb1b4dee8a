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
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from kpiledger.git.provenance import FileProvenance
from kpiledger.model import ROLE_NAMES, Item, Ledger, Money, Period, Record, Rule, Scheme
from kpiledger.site.labels import labels

# Two-character surnames: masking keeps the whole surname (欧阳锋 → 欧阳*).
_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 轩辕 公孙 端木 独孤 "
    "南宫 西门 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 呼延 司空 亓官 赫连"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())


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
    repo_url_files: str | None = None
    use_directory_urls: bool = True


@dataclass
class SiteData:
    """Everything the pages are made from."""

    results: dict[str, Any]  # the JSON contract
    ledger: Ledger
    provenance: dict[str, FileProvenance]
    provenance_available: bool
    options: SiteOptions = field(default_factory=SiteOptions)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳锋锋 → 欧阳**, Zhang San → Z**** ***: surname kept, the rest hidden."""
    if not name:
        return name
    keep = _surname_length(name)
    return name[:keep] + "".join(" " if c.isspace() else "*" for c in name[keep:])


def given_name(name: str) -> str:
    """张晓燕 → 晓燕, 欧阳明月 → 明月: the name after the surname, for search (jieba keeps a
    whole name as one word, so a given name alone found nothing); "" for a name that is not
    two to five Han characters (a Latin name splits at its spaces already)."""
    if not (2 <= len(name) <= 5 and all("\u4e00" <= c <= "\u9fff" for c in name)):
        return ""
    return name[_surname_length(name):]


def _surname_length(name: str) -> int:
    return 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1


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
        self.items_by_id = {(s.id, i.id): i for s in data.ledger.schemes.values() for i in s.items}

    def paren(self, html: str) -> str:
        """Parentheses in the site's language: 张三（90） vs Zhang San (90)."""
        return f"（{html}）" if self.opt.lang != "en" else f" ({html})"

    def name(self, assessee: str, fallback: str | None = None) -> str:
        """Display name (raw text; escape it where it is used)."""
        if assessee in self.org.people:
            p = self.org.people[assessee]
            name = p.name_en if self.opt.lang == "en" and p.name_en else p.name
            return mask_name(name) if self.opt.public else name
        if assessee in self.org.units:
            return self.org.units[assessee].name
        if fallback is not None:
            return mask_name(fallback) if self.opt.public else fallback
        return assessee

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
    """Late submissions from the results when the engine provides them; otherwise derived
    here: a record that landed (first-parent commit date) after its period's due time."""
    given = data.results.get("late")
    if isinstance(given, list):
        return [dict(x) for x in given]
    out = []
    cal = data.ledger.calendar
    for rec in data.ledger.records:
        if rec.correction:  # amends a closed period: after the due time by definition
            continue
        period = cal.periods.get(rec.period)
        prov = data.provenance.get(rec.file)
        if period is None or not period.due or prov is None:
            continue
        due = _parse_local(period.due, cal.timezone)
        landed = _parse_iso(prov.added.date)
        if due is None or landed is None or landed <= due:
            continue
        out.append(
            {
                "period": rec.period,
                "assessee": rec.assessee,
                "scheme": rec.scheme,
                "role": rec.role,
                "file": rec.file,
                "due": period.due,
                "landed": prov.added.date,
                "commit": prov.added.sha,
            }
        )
    out.sort(key=lambda x: (order.get(x["period"], 0), x["file"]))
    return out


def _parse_local(text: str, tz: str) -> datetime | None:
    """A due time as written in periods.yaml ('2026-04-05 17:30'), in the calendar's zone."""
    try:
        naive = datetime.fromisoformat(text.strip().replace("T", " "))
    except ValueError:
        return None
    if len(text.strip()) <= 10:  # a bare date: due by the end of that day
        naive = naive + timedelta(days=1) - timedelta(seconds=1)
    try:
        from zoneinfo import ZoneInfo

        zone: Any = ZoneInfo(tz)
    except Exception:  # no tz database: the calendar's zone is China's in practice
        zone = timezone(timedelta(hours=8))
    return naive.replace(tzinfo=zone)


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
