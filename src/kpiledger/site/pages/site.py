"""The generated pages of the site, as Markdown text with raw HTML tables.

Input: the results as the documented JSON contract (schemas/results.schema.json), the ledger
model (org chart, calendar, schemes, records for comments and corrections) and the file
provenance. Output: `{src_uri: Page}`; nothing is written to disk here.

Safety: every piece of ledger text goes through `esc` (html.escape) and sits inside raw HTML
blocks, which Python-Markdown leaves alone, so Markdown syntax such as `[x](javascript:…)` in a
name or comment stays literal. Page titles, which the theme's templates print unescaped, use
`plain_title` (no markup characters at all).
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from kpiledger.git.provenance import Commit, FileProvenance
from kpiledger.model import ROLE_NAMES_ZH, Item, Ledger, Money, Period, Record, Rule, Scheme
from kpiledger.site.labels import labels
from kpiledger.site.svg import bars_svg, trend_svg

ROLES = {
    "zh": ROLE_NAMES_ZH,
    "en": {"self": "Self", "superior": "Superior", "group": "Assessment group",
           "data": "Data owner"},
}
# Two-character surnames: masking keeps the whole surname (欧阳锋 → 欧阳*).
_COMPOUND = (
    "欧阳 司马 诸葛 上官 东方 皇甫 令狐 慕容 尉迟 长孙 宇文 司徒 夏侯 轩辕 公孙 端木 独孤 "
    "南宫 西门 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 呼延 司空 亓官 赫连"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())


@dataclass
class Page:
    title: str
    body: str  # Markdown with raw HTML blocks


@dataclass
class SiteOptions:
    public: bool = False
    lang: str = "zh"
    repo_url_files: str | None = None
    use_directory_urls: bool = True


@dataclass
class SiteData:
    results: dict[str, Any]  # the JSON contract
    ledger: Ledger
    provenance: dict[str, FileProvenance]
    provenance_available: bool
    options: SiteOptions = field(default_factory=SiteOptions)


def esc(x: Any) -> str:
    return _esc("" if x is None else str(x))


@lru_cache(maxsize=1 << 16)
def _esc(text: str) -> str:
    # Cached: the same item titles, rules and ids repeat 24,000 times on a big ledger.
    return escape(text, quote=True)


def plain_title(text: str) -> str:
    """A title safe for templates that do not escape: markup characters removed."""
    cleaned = re.sub(r"[<>&\"'`{}\[\]\\]", "", text)
    return re.sub(r"\s+", " ", cleaned).strip() or "-"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳锋锋 → 欧阳**, Zhang San → Z**** ***: surname kept, the rest hidden."""
    if not name:
        return name
    keep = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    return name[:keep] + "".join(" " if c.isspace() else "*" for c in name[keep:])


def page_url(src: str, directory_urls: bool) -> str:
    stem = src[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def href(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """Relative URL from one page to another, as MkDocs will lay them out."""
    a = page_url(from_src, directory_urls)
    return _relative(a.rsplit("/", 1)[0] if "/" in a else "", page_url(to_src, directory_urls))


@lru_cache(maxsize=1 << 14)
def _relative(base: str, b: str) -> str:
    # Cached by folder: every person page links to the same periods and units.
    rel = posixpath.relpath(b.rstrip("/") or ".", base or ".")
    if b.endswith("/") or b == "":
        rel = rel.rstrip("/") + "/"
    return rel


def period_key(p: Period | None, pid: str) -> tuple[str, str]:
    return ((p.end if p else "") or pid, pid)


def html_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    search: bool = True,
) -> str:
    """Cells are HTML already (escaped by the caller). `search=False` keeps the table out of
    the search index (data-search-exclude), which keeps the index small. The class goes on the
    wrapper: mkdocs-material styles only tables without a class."""
    # HTML leaves the end tags of cells and rows optional; without them a person's page with
    # 24 derivation tables is a tenth smaller, and every browser builds the same table.
    body = "".join("<tr>" + "".join(f"<td>{c}" for c in row) for row in rows)
    return table_shell(headers, body, cls=cls, search=search)


def table_shell(headers: Sequence[str], body: str, *, cls: str = "", search: bool = True) -> str:
    """A table around finished body rows (`<tr>…`), with html_table's wrapper and header."""
    # not mkdocs-material's own `md-typeset__table`: its script wraps the table again inside,
    # and the outer box then grows to the table's width and widens the page on a phone
    wrap = f"kpi-table {cls}".strip()
    attrs = " data-search-exclude" if not search else ""
    head = "".join(f"<th>{h}" for h in headers)
    # A blank line before and after: Python-Markdown treats the block as raw HTML.
    return (
        f'\n\n<div class="{wrap}"{attrs}><table><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>\n\n"
    )


def link(url: str, text_html: str) -> str:
    return f'<a href="{esc(url)}">{text_html}</a>'


def block(html: str) -> str:
    return f"\n\n<div>{html}</div>\n\n"


def heading(level: int, text_html: str, anchor: str) -> str:
    return f'\n\n<h{level} id="{esc(anchor)}">{text_html}</h{level}>\n\n'


def _dec(x: str | None) -> float | None:
    return None if x is None else float(Decimal(x))


class Site:
    """Builds every generated page from one `SiteData`."""

    def __init__(self, data: SiteData) -> None:
        self.data = data
        self.opt = data.options
        self.L = labels(self.opt.lang)
        self.roles = ROLES.get(self.opt.lang, ROLES["zh"])
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
        for e in self.events:
            self.events_by_assessee[e["assessee"]].append(e)
        self.late = self._late_submissions()
        self.money_titles = {
            m.id: self.title(m) for s in data.ledger.schemes.values() for m in s.money
        }
        self.items_by_id = {(s.id, i.id): i for s in data.ledger.schemes.values() for i in s.items}

    # ---- small helpers -------------------------------------------------------------------

    def paren(self, html: str) -> str:
        return f"（{html}）" if self.opt.lang != "en" else f" ({html})"

    def href(self, here: str, target: str) -> str:
        return href(here, target, self.opt.use_directory_urls)

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

    def person_link(
        self, here: str, assessee: str, fallback: str | None = None, anchor: str = ""
    ) -> str:
        """A link to a person's page; `anchor` lands on one period's derivation there."""
        text = esc(self.name(assessee, fallback))
        if assessee in self.by_assessee:
            target = self.href(here, f"people/{assessee}.md")
            return link(f"{target}#{anchor}" if anchor else target, text)
        return text

    def unit_name(self, unit: str) -> str:
        u = self.org.units.get(unit)
        return u.name if u else unit

    def unit_link(self, here: str, unit: str) -> str:
        if unit in self.org.units:
            return link(self.href(here, f"units/{unit}.md"), esc(self.unit_name(unit)))
        return esc(unit)

    def group_name(self, group: str) -> str:
        if group in self.ledger.schemes:
            return self.scheme_title(self.ledger.schemes[group])
        return self.unit_name(group)

    def period_link(self, here: str, pid: str) -> str:
        return link(self.href(here, f"periods/{pid}.md"), esc(pid))

    def scheme_link(self, here: str, sid: str) -> str:
        s = self.ledger.schemes.get(sid)
        text = esc(self.scheme_title(s) if s else sid)
        if s is None:
            return text
        return link(self.href(here, f"schemes/{sid}.md"), text)

    def title(self, thing: Scheme | Item | Money | Rule) -> str:
        """A scheme's, item's, money entry's or rule's title in the site's language (the
        Chinese one when no English one is given)."""
        return thing.title_en if self.opt.lang == "en" and thing.title_en else thing.title

    def scheme_title(self, s: Scheme) -> str:
        return self.title(s)


    def money_cells(self, r: dict[str, Any], ids: list[str]) -> list[str]:
        return [esc(r["money"].get(m, "")) for m in ids]

    def money_ids(self, rows: Iterable[dict[str, Any]]) -> list[str]:
        if self.opt.public:
            return []
        return sorted({m for r in rows for m in r.get("money", {})})

    def rank_text(self, r: dict[str, Any]) -> str:
        if r.get("rank") is None:
            return "—"
        return f"{r['rank']} / {r['of']}"

    def status_text(self, r: dict[str, Any]) -> str:
        return esc(self.L.get(r["status"], r["status"]))

    def grade_text(self, r: dict[str, Any]) -> str:
        return esc(r.get("grade") or "—")

    def latest_period(self) -> str | None:
        with_results = [p for p in self.period_ids if p in self.by_period]
        if not with_results:
            return None
        months = [p for p in with_results if re.fullmatch(r"\d{4}-\d{2}", p)]
        return (months or with_results)[-1]

    # ---- late submissions ------------------------------------------------------------------

    def _late_submissions(self) -> list[dict[str, Any]]:
        """Late submissions from the results when the engine provides them; otherwise derived
        here: a record that landed (first-parent commit date) after its period's due time."""
        given = self.data.results.get("late")
        if isinstance(given, list):
            return [dict(x) for x in given]
        out = []
        cal = self.ledger.calendar
        for rec in self.ledger.records:
            if rec.correction:  # amends a closed period: after the due time by definition
                continue
            period = cal.periods.get(rec.period)
            prov = self.data.provenance.get(rec.file)
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
        out.sort(key=lambda x: (self.order.get(x["period"], 0), x["file"]))
        return out

    # ---- pages ---------------------------------------------------------------------------

    def pages(self) -> dict[str, Page]:
        out: dict[str, Page] = {}
        out["periods/index.md"] = self.periods_index()
        for pid in self.period_ids:
            if pid in self.by_period or pid in self.ledger.calendar.periods:
                out[f"periods/{pid}.md"] = self.period_page(pid)
        out["units/index.md"] = self.units_index()
        for uid in self.org.units:
            out[f"units/{uid}.md"] = self.unit_page(uid)
        out["schemes/index.md"] = self.schemes_index()
        for sid in self.ledger.schemes:
            out[f"schemes/{sid}.md"] = self.scheme_page(sid)
        for aid in self.by_assessee:
            out[f"people/{aid}.md"] = self.person_page(aid)
        out["events.md"] = self.events_page()
        out["audit.md"] = self.audit_page()
        return out

    def nav(self, pages: dict[str, Page], static: dict[str, bool]) -> list[Any]:
        """The navigation: home, periods, units, schemes, rules & events, audit. Assessee
        pages stay out of it, so each page's HTML does not grow with head count."""
        L = self.L

        def entry(src: str) -> Any:
            return {pages[src].title: src}

        home: list[Any] = ["index.md"] if static.get("index.md") else []
        if static.get("submit.md"):
            home.append({L["submit"]: "submit.md"})
        periods = ["periods/index.md"] + [
            entry(f"periods/{p}.md")
            for p in reversed(self.period_ids)
            if f"periods/{p}.md" in pages
        ]
        units = ["units/index.md"] + [entry(f"units/{u}.md") for u in self.unit_order()]
        schemes = ["schemes/index.md"] + [entry(f"schemes/{s}.md") for s in self.ledger.schemes]
        rules: list[Any] = [{L["rules"]: "rules.md"}] if static.get("rules.md") else []
        rules.append({L["events"]: "events.md"})
        nav: list[Any] = []
        nav.append({L["home"]: home} if len(home) > 1 else {L["home"]: home[0]} if home else {})
        nav += [
            {L["periods"]: periods},
            {L["units"]: units},
            {L["schemes"]: schemes},
            {L["rules_events"]: rules},
            {L["audit"]: "audit.md"},
        ]
        return [x for x in nav if x]

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

    # home ------------------------------------------------------------------------------------

    def home_section(self) -> str:
        """The generated part of the home page, appended to the hand-written site/index.md."""
        L, here = self.L, "index.md"
        latest = self.latest_period()
        parts = []
        if self.opt.public:
            parts.append(block(f"<p><em>{esc(L['public_note'])}</em></p>"))
        if latest is None:
            return "".join(parts) + block(f"<p>{esc(L['no_results'])}</p>")
        rows = self.by_period[latest]
        latest_link = self.period_link(here, latest)
        parts.append(heading(2, f"{esc(L['latest'])}{self.colon}{latest_link}", "latest"))
        parts.append(self.distribution(rows))
        parts.append(heading(3, esc(L["top_bottom"]), "top-bottom"))
        table = []
        for (sid, group), members in self.grouped(rows):
            ranked = [r for r in members if r.get("rank") is not None]
            if not ranked:
                continue
            top = min(ranked, key=lambda r: r["rank"])
            bottom = max(ranked, key=lambda r: (r["rank"], r["assessee"]))
            table.append(
                [
                    self.scheme_link(here, sid),
                    esc(self.group_name(group)),
                    self.person_link(here, top["assessee"], top["name"])
                    + self.paren(esc(top["total"])),
                    self.person_link(here, bottom["assessee"], bottom["name"])
                    + self.paren(esc(bottom["total"])),
                ]
            )
        parts.append(
            html_table([L["scheme"], L["group"], L["top"], L["bottom"]], table, search=False)
        )
        parts.append(heading(3, esc(L["events"]), "latest-events"))
        parts.append(self.events_table(here, [e for e in self.events if e["period"] == latest]))
        return "".join(parts)

    def grouped(
        self, rows: list[dict[str, Any]]
    ) -> list[tuple[tuple[str, str], list[dict[str, Any]]]]:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            groups[(r["scheme"], r["group"])].append(r)
        for members in groups.values():
            members.sort(key=lambda r: (r.get("rank") is None, r.get("rank") or 0, r["assessee"]))
        return sorted(groups.items())

    def distribution(self, rows: list[dict[str, Any]]) -> str:
        """One grade bar chart per scheme, grades in the scheme's order."""
        out = []
        by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_scheme[r["scheme"]].append(r)
        for sid, members in sorted(by_scheme.items()):
            scheme = self.ledger.schemes.get(sid)
            counts = Counter(r.get("grade") or "—" for r in members)
            order = [g.grade for g in scheme.grades] if scheme else []
            order += sorted(g for g in counts if g not in order)
            bars = [(g, counts.get(g, 0)) for g in order if g in counts or scheme]
            name = self.scheme_title(scheme) if scheme else sid
            title = f"{self.L['distribution']}{self.colon}{name}"
            chart = bars_svg(bars, title=title, y_label=self.L["count"])
            out.append(
                f'<figure class="kpi-figure" data-search-exclude>{chart}'
                f"<figcaption>{esc(title)}</figcaption></figure>"
            )
        return block("".join(out))

    # periods -------------------------------------------------------------------------------

    def periods_index(self) -> Page:
        L, here = self.L, "periods/index.md"
        rows = []
        for pid in reversed(self.period_ids):
            p = self.ledger.calendar.periods.get(pid)
            rows.append(
                [
                    self.period_link(here, pid),
                    esc(L.get(p.kind, p.kind) if p else ""),
                    esc(f"{p.start} – {p.end}" if p else ""),
                    esc(p.due if p and p.due else ""),
                    esc(L.get(p.status, p.status) if p else ""),
                    str(len(self.by_period.get(pid, []))),
                ]
            )
        body = heading(1, esc(L["all_periods"]), "periods") + html_table(
            [L["period"], L["period_kind"], L["window"], L["due"], L["status"], L["count"]], rows
        )
        return Page(L["all_periods"], body)

    def period_page(self, pid: str) -> Page:
        L, here = self.L, f"periods/{pid}.md"
        p = self.ledger.calendar.periods.get(pid)
        rows = self.by_period.get(pid, [])
        parts = [heading(1, f"{esc(L['period'])} {esc(pid)}", "period")]
        if p:
            parts.append(
                block(
                    f"<p>{esc(L['window'])}{self.colon}{esc(p.start)} – {esc(p.end)}{self.sep}"
                    f"{esc(L['due'])}{self.colon}{esc(p.due or '—')}{self.sep}"
                    f"{esc(L['status'])}{self.colon}{esc(L.get(p.status, p.status))}</p>"
                )
            )
        if not rows:
            parts.append(block(f"<p>{esc(L['no_results'])}</p>"))
        else:
            parts.append(heading(2, esc(L["distribution"]), "distribution"))
            parts.append(self.distribution(rows))
            parts.append(heading(2, esc(L["ranking"]), "ranking"))
            for (sid, group), members in self.grouped(rows):
                money = self.money_ids(members)
                title = self.scheme_link(here, sid)
                if group not in self.ledger.schemes:  # ranked within a unit: name it too
                    title += f" · {esc(self.group_name(group))}"
                parts.append(heading(3, title, f"g-{sid}-{group}"))
                # columns that would say the same on every row are left out: the unit when
                # the group is that unit (the heading names it), the status when all complete
                unit = any(r["unit"] != group for r in members)
                status = any(r["status"] != "complete" for r in members)
                table = [
                    [
                        esc(self.rank_text(r)),
                        esc(r["assessee"]),
                        self.person_link(
                            here, r["assessee"], r["name"], f"p-{pid}-{r['scheme']}"
                        ),
                        *([self.unit_link(here, r["unit"])] if unit else []),
                        esc(r["total"] or "—"),
                        self.grade_text(r),
                        *([self.status_text(r)] if status else []),
                        *self.money_cells(r, money),
                    ]
                    for r in members
                ]
                parts.append(
                    html_table(
                        [
                            L["rank"],
                            L["id"],
                            L["name"],
                            *([L["unit"]] if unit else []),
                            L["total"],
                            L["grade"],
                            *([L["status"]] if status else []),
                            *[esc(self.money_titles.get(m, m)) for m in money],
                        ],
                        table,
                        search=False,
                    )
                )
        parts.append(heading(2, esc(L["events"]), "events"))
        parts.append(self.events_table(here, [e for e in self.events if e["period"] == pid]))
        late = [x for x in self.late if x.get("period") == pid]
        if late:
            parts.append(heading(2, esc(L["late"]), "late"))
            parts.append(self.late_table(here, late))
        return Page(f"{pid}", "".join(parts))

    # units ---------------------------------------------------------------------------------

    def units_index(self) -> Page:
        L, here = self.L, "units/index.md"
        rows = []
        for uid in self.unit_order():
            depth = len(self.org.ancestors(uid)) - 1
            indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * max(depth, 0)
            members = sum(1 for p in self.org.people.values() if p.unit == uid)
            rows.append([indent + self.unit_link(here, uid), esc(uid), str(members)])
        body = heading(1, esc(L["all_units"]), "units") + html_table(
            [L["unit"], L["id"], L["members"]], rows
        )
        return Page(L["all_units"], body)

    def unit_page(self, uid: str) -> Page:
        L, here = self.L, f"units/{uid}.md"
        u = self.org.units[uid]
        parts = [heading(1, esc(u.name), "unit")]
        info = [f"{esc(L['id'])}{self.colon}{esc(uid)}"]
        if u.parent and u.parent in self.org.units:
            info.append(f"{esc(L['parent'])}{self.colon}{self.unit_link(here, u.parent)}")
        subs = [x.id for x in self.org.units.values() if x.parent == uid]
        if subs:
            info.append(
                f"{esc(L['subunits'])}{self.colon}"
                + self.enum.join(self.unit_link(here, s) for s in subs)
            )
        if uid in self.by_assessee:
            info.append(f"{esc(L['assessee'])}{self.colon}{self.person_link(here, uid)}")
        parts.append(block("<p>" + "<br>".join(info) + "</p>"))
        members = sorted(p.id for p in self.org.people.values() if p.unit == uid)
        parts.append(heading(2, esc(L["members"]), "members"))
        parts.append(
            html_table(
                [L["id"], L["name"], L["title"]],
                [
                    [esc(m), self.person_link(here, m), esc(self.org.people[m].title)]
                    for m in members
                ],
                search=False,
            )
        )
        # Totals by period: one row per assessee of this unit, one column per period.
        unit_results = [r for r in self.results if r["unit"] == uid or r["assessee"] == uid]
        by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in unit_results:
            by_scheme[r["scheme"]].append(r)
        if by_scheme:
            parts.append(heading(2, esc(L["results_by_period"]), "totals"))
        for sid, rows in sorted(by_scheme.items()):
            periods = sorted({r["period"] for r in rows}, key=lambda p: self.order.get(p, 0))
            cell = {(r["assessee"], r["period"]): r for r in rows}
            people = sorted({r["assessee"] for r in rows})
            parts.append(heading(3, self.scheme_link(here, sid), f"s-{sid}"))
            table = []
            for a in people:
                name = next(r["name"] for r in rows if r["assessee"] == a)
                row = [self.person_link(here, a, name)]
                for pid in periods:
                    r = cell.get((a, pid))
                    row.append(esc(r["total"] or "—") if r else "")
                table.append(row)
            parts.append(
                html_table(
                    [L["name"], *[self.period_link(here, pid) for pid in periods]],
                    table,
                    search=False,
                )
            )
        return Page(plain_title(u.name), "".join(parts))

    # people --------------------------------------------------------------------------------

    def person_page(self, aid: str) -> Page:
        L, here = self.L, f"people/{aid}.md"
        rows = sorted(
            self.by_assessee[aid], key=lambda r: (self.order.get(r["period"], 0), r["scheme"])
        )
        display = self.name(aid, rows[0]["name"])
        parts = [heading(1, f"{esc(display)} <small>{esc(aid)}</small>", "person")]
        info = []
        person = self.org.people.get(aid)
        unit = person.unit if person else rows[-1]["unit"]
        info.append(f"{esc(L['unit'])}{self.colon}{self.unit_link(here, unit)}")
        if person:
            if person.title:
                info.append(f"{esc(L['title'])}{self.colon}{esc(person.title)}")
            if person.assessor:
                info.append(f"{esc(L['assessor'])}{self.colon}{esc(self.name(person.assessor))}")
            if person.reviewer:
                info.append(f"{esc(L['reviewer'])}{self.colon}{esc(self.name(person.reviewer))}")
        parts.append(block("<p>" + self.sep.join(info) + "</p>"))
        if self.opt.public:
            parts.append(block(f"<p><em>{esc(L['public_note'])}</em></p>"))
        by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            by_scheme[r["scheme"]].append(r)
        for sid, srows in by_scheme.items():
            parts.append(
                heading(2, f"{esc(L['trend'])} · {self.scheme_link(here, sid)}", f"trend-{sid}")
            )
            scheme = self.ledger.schemes.get(sid)
            y_max = float(scheme.total_max) if scheme and scheme.total_max else 100.0
            chart = trend_svg(
                [(r["period"], _dec(r["total"])) for r in srows],
                y_label=L["total"],
                x_label=L["period"],
                title=f"{L['trend']} {display}",
                y_max=y_max,
            )
            parts.append(block(f'<figure class="kpi-figure" data-search-exclude>{chart}</figure>'))
            money = self.money_ids(srows)
            # the status column only when some period is incomplete ("完整" 24 times says little)
            status = any(r["status"] != "complete" for r in srows)
            parts.append(
                html_table(
                    [
                        L["period"],
                        L["total"],
                        L["grade"],
                        L["rank"],
                        *([L["status"]] if status else []),
                        *[esc(self.money_titles.get(m, m)) for m in money],
                    ],
                    [
                        [
                            self.period_link(here, r["period"]),
                            esc(r["total"] or "—"),
                            self.grade_text(r),
                            esc(self.rank_text(r)),
                            *([self.status_text(r)] if status else []),
                            *self.money_cells(r, money),
                        ]
                        for r in reversed(srows)
                    ],
                    search=False,
                )
            )
        parts.append(heading(2, esc(L["derivation"]), "derivation"))
        if not self.data.provenance_available:
            parts.append(block(f"<p><em>{esc(L['provenance_unavailable'])}</em></p>"))
        parts.append(self.derivations(here, list(reversed(rows)), len(by_scheme) > 1))
        events = self.events_by_assessee.get(aid, [])
        parts.append(heading(2, esc(L["events"]), "events"))
        parts.append(self.events_table(here, events, who=False))
        return Page(f"{plain_title(display)} {aid}", "".join(parts))

    def derivations(self, here: str, rows: list[dict[str, Any]], name_scheme: bool) -> str:
        """Every period's derivation in one table: a heading row per period (its total; the
        scheme when the person has several), the items, then comments and the commits behind
        the records. Grade, rank and money are in the summary table above. One table rather
        than 24 keeps a person's page a seventh smaller: the header and wrapper once."""
        L = self.L
        body = []
        for r in rows:
            title = self.period_link(here, r["period"])
            if name_scheme:
                title += f" · {self.scheme_link(here, r['scheme'])}"
            anchor = esc(f"p-{r['period']}-{r['scheme']}")
            status = "" if r["status"] == "complete" else self.paren(self.status_text(r))
            body.append(
                f'<tr id="{anchor}"><th colspan="6">{title} — {esc(L["total"])} '
                f"{esc(r['total'] or '—')}{status}"
            )
            records = sorted(
                self.records.get((r["period"], r["scheme"], r["assessee"]), []),
                key=lambda x: x.file,
            )
            notes = {} if self.opt.public else self.notes_by_item(records)
            for it in r["items"]:
                item = self.items_by_id.get((r["scheme"], it["id"]))  # its scheme's definition
                method = item.method if item else None
                # a weight is a percentage of the total (contribution = points × weight / 100)
                size = (
                    f"{esc(it['weight'])}%"
                    if it.get("weight") is not None
                    else f"{esc(L['max'])} {esc(it['max'])}"
                    if it.get("max") is not None
                    else esc(L["bonus"])
                    if method == "bonus"
                    else ""
                )
                # the role is named only where several roles score the item
                kinds = (item.spec.get("names") or {}) if item and method == "deductions" else {}
                shown = self.inputs_html(it["inputs"], named=len(it["by"]) > 1, kinds=kinds)
                shown += "".join(f"<br><small>{note}</small>" for note in notes.get(it["id"], []))
                cells = [
                    esc(self.title(item) if item else it["title"]),
                    shown,
                    esc(self.rule_with_value(it)),
                    esc(it["points"] if it["points"] is not None else "—"),
                    size,
                    esc(it["contribution"] if it["contribution"] is not None else "—"),
                ]
                body.append("<tr>" + "".join(f"<td>{c}" for c in cells))
            if not self.opt.public:
                # notes on ids that are not items of the scheme still show, never lost
                shown_ids = {it["id"] for it in r["items"]}
                stray = [
                    f"<strong>{esc(L['notes'])}</strong> {esc(item_id)}{self.colon}"
                    + self.sep.join(texts)
                    for item_id, texts in sorted(notes.items())
                    if item_id not in shown_ids
                ]
                body += [f'<tr><td colspan="6">{c}' for c in [*self.comments(records), *stray]]
            if records and self.data.provenance_available:
                lines = "<br>".join(self.provenance_lines(records))
                body.append(f'<tr><td colspan="6" class="kpi-prov">{lines}')
        headers = [
            L["item"],
            L["inputs"],
            L["rule"],
            L["points"],
            f"{L['weight']}/{L['max']}",
            L["contribution"],
        ]
        return table_shell(headers, "".join(body), cls="kpi-derivation", search=False)

    def notes_by_item(self, records: list[Record]) -> dict[str, list[str]]:
        """Each record's note on an item, as HTML, next to that item's inputs (named by role
        when several records hold notes)."""
        out: dict[str, list[str]] = defaultdict(list)
        several = sum(1 for rec in records if rec.notes) > 1
        for rec in records:
            who = f"{esc(self.roles.get(rec.role, rec.role))}{self.colon}" if several else ""
            for item_id, note in rec.notes.items():
                out[item_id].append(who + esc(note))
        return out

    def comments(self, records: list[Record]) -> list[str]:
        L = self.L
        return [
            f"<strong>{esc(L['comment'])}</strong> "
            f"{esc(self.roles.get(rec.role, rec.role))}"
            f"{self.paren(esc(self.name(rec.author)))}{self.colon}{esc(rec.comment)}"
            for rec in records
            if rec.comment
        ]

    def inputs_html(
        self, inputs: dict[str, Any], named: bool = True, kinds: dict[str, str] | None = None
    ) -> str:
        parts = []
        for role, raw in inputs.items():
            label = f"{esc(self.roles.get(role, role))}{self.colon}" if named else ""
            parts.append(f"{label}{self.raw_html(raw, kinds)}")
        return "<br>".join(parts)

    def rule_with_value(self, item: dict[str, Any]) -> str:
        """The rule applied; led by the measured value unless the rule text already shows it
        (bands read "X = 72.77%：75% > X ≥ 65% → 80分"). One column instead of two keeps a
        person's page small: 24 periods × 10 items are on it."""
        rule, value = item["rule"], item.get("value")
        if value is None or "=" in rule:
            return rule
        inputs = list(item["inputs"].values())
        if len(inputs) == 1 and not isinstance(inputs[0], dict | list) and str(inputs[0]) == value:
            return rule  # the input column already shows the value: "7" → "直接评分"
        return f"{self.L['value']} {value}{self.colon}{rule}"

    def raw_html(self, raw: Any, kinds: dict[str, str] | None = None) -> str:
        """A record's input as written; a deduction's kind by the name its scheme gives it."""
        kinds = kinds or {}
        if isinstance(raw, dict):
            if set(raw) >= {"numerator", "denominator"}:
                return f"{esc(raw['numerator'])} / {esc(raw['denominator'])}"
            if "kind" in raw:
                kind = raw["kind"]
                text = f"{esc(kinds.get(kind, kind) if isinstance(kind, str) else kind)}"
                text += f" × {esc(raw.get('count', 1))}"
                if raw.get("points") is not None:
                    text += self.paren(esc(raw['points']))
                if raw.get("date"):
                    text += f" {esc(raw['date'])}"
                if raw.get("reason") and not self.opt.public:
                    text += f"{self.colon}{esc(raw['reason'])}"
                return text
            return "，".join(
                f"{esc(k)}: {self.raw_html(v, kinds)}"
                for k, v in raw.items()
                if not (self.opt.public and k == "reason")
            )
        if isinstance(raw, list):  # an empty list: nothing happened (no deductions)
            return "<br>".join(self.raw_html(x, kinds) for x in raw) or esc(self.L["none"])
        if isinstance(raw, bool):
            return "合格" if raw else "不合格"
        return esc(raw)

    def commit_html(self, c: Commit, repo_path: str) -> str:
        author = mask_name(c.author) if self.opt.public else c.author
        text = f"<code>{esc(c.short)}</code> {esc(author)} {esc(c.date[:10])}"
        if c.pr is not None:
            text += f" #{c.pr}"
        if self.opt.repo_url_files:
            url = f"{self.opt.repo_url_files.rstrip('/')}/{c.sha}/{repo_path}"
            text = f'<a href="{esc(url)}">{text}</a>'
        return text

    def provenance_lines(self, records: list[Record]) -> list[str]:
        """Per record: its file, author role and person, the commit that added it and the
        one that last changed it (linked to the file at that commit when configured)."""
        L = self.L
        lines = []
        for rec in records:
            prov = self.data.provenance.get(rec.file)
            head = (
                f"<code>{esc(rec.file)}</code> "
                f"{esc(self.roles.get(rec.role, rec.role))}{self.colon}{esc(self.name(rec.author))}"
            )
            if prov is None:
                lines.append(f"{head} · <em>{esc(L['not_committed'])}</em>")
                continue
            line = f"{head} · {esc(L['added'])} {self.commit_html(prov.added, prov.repo_path)}"
            if prov.changed.sha != prov.added.sha:
                line += f" · {esc(L['changed'])} {self.commit_html(prov.changed, prov.repo_path)}"
            lines.append(line)
        return lines

    # schemes -------------------------------------------------------------------------------

    def schemes_index(self) -> Page:
        L, here = self.L, "schemes/index.md"
        rows = [
            [
                self.scheme_link(here, s.id),
                esc(s.id),
                esc(L.get(s.period_kind, s.period_kind)),
                esc(s.source),
            ]
            for s in self.ledger.schemes.values()
        ]
        body = heading(1, esc(L["all_schemes"]), "schemes") + html_table(
            [L["scheme"], L["id"], L["period_kind"], L["source"]], rows
        )
        return Page(L["all_schemes"], body)

    def scheme_page(self, sid: str) -> Page:
        from kpiledger.site.pages.scheme_text import scheme_body

        s = self.ledger.schemes[sid]
        return Page(plain_title(self.scheme_title(s)), scheme_body(self, s, f"schemes/{sid}.md"))

    # events and audit ----------------------------------------------------------------------

    def events_table(
        self, here: str, events: list[dict[str, Any]], *, who: bool = True
    ) -> str:
        """Events as a table; `who=False` on a person's own page, where every row is theirs."""
        L = self.L
        if not events:
            return block(f"<p>{esc(L['no_events'])}</p>")
        rules = {(s.id, r.id): r for s in self.ledger.schemes.values() for r in s.rules}
        headers = [L["period"], *([L["assessee"]] if who else []), L["scheme"], L["rule"],
                   L["outcome"]]
        if not self.opt.public:
            headers.append(L["amount"])
        headers += [L["trigger_periods"], L["detail"]]
        rows = []
        for e in sorted(events, key=lambda e: (self.order.get(e["period"], 0), e["assessee"])):
            rule = rules.get((e["scheme"], e["rule"]))
            row = [
                self.period_link(here, e["period"]),
                *([self.person_link(here, e["assessee"])] if who else []),
                self.scheme_link(here, e["scheme"]),
                esc(self.title(rule) if rule else e["rule"]),
                esc(e["outcome"]),
            ]
            if not self.opt.public:
                row.append(esc(e.get("amount") or ""))
            row += [
                self.enum.join(self.period_link(here, p) for p in e.get("periods", [])),
                esc(e.get("detail", "")),
            ]
            rows.append(row)
        return html_table(headers, rows, search=False)

    def events_page(self) -> Page:
        L, here = self.L, "events.md"
        parts = [heading(1, esc(L["events"]), "events")]
        rules_rows = [
            [
                self.scheme_link(here, s.id),
                esc(self.title(r)),
                esc(_when_text(r.when, self.opt.lang)),
                esc(r.consecutive),
                esc(r.outcome),
            ]
            for s in self.ledger.schemes.values()
            for r in s.rules
        ]
        if rules_rows:
            parts.append(heading(2, esc(L["rules"]), "rules"))
            parts.append(
                html_table(
                    [L["scheme"], L["rule"], L["when"], L["consecutive"], L["outcome"]], rules_rows
                )
            )
        parts.append(heading(2, esc(L["events"]), "all-events"))
        parts.append(self.events_table(here, self.events))
        return Page(L["events"], "".join(parts))

    def late_table(self, here: str, late: list[dict[str, Any]]) -> str:
        L = self.L
        rows = []
        for x in late:
            rows.append(
                [
                    self.period_link(here, x["period"]) if x.get("period") else "",
                    self.person_link(here, x["assessee"]) if x.get("assessee") else "",
                    esc(self.roles.get(x.get("role", ""), x.get("role", ""))),
                    f"<code>{esc(x.get('file', ''))}</code>",
                    esc(x.get("due", "")),
                    esc(str(x.get("landed", ""))[:16].replace("T", " ")),
                    f"<code>{esc(str(x.get('commit', ''))[:8])}</code>",
                ]
            )
        return html_table(
            [L["period"], L["assessee"], L["role"], L["file"], L["due"], L["landed"], L["commit"]],
            rows,
            search=False,
        )

    def audit_page(self) -> Page:
        L, here = self.L, "audit.md"
        parts = [heading(1, esc(L["audit"]), "audit")]
        parts.append(heading(2, esc(L["corrections"]), "corrections"))
        corrections = sorted(
            (r for r in self.ledger.records if r.correction),
            key=lambda r: (self.order.get(r.period, 0), r.file),
        )
        if not corrections:
            parts.append(block(f"<p>{esc(L['no_corrections'])}</p>"))
        else:
            rows = []
            for rec in corrections:
                c = rec.correction or {}
                original = re.sub(r"\.correction-\d+(\.ya?ml)$", r"\1", rec.file)
                prov = self.data.provenance.get(rec.file)
                rows.append(
                    [
                        self.period_link(here, rec.period),
                        self.person_link(here, rec.assessee),
                        f"<code>{esc(rec.file)}</code>",
                        f"<code>{esc(original)}</code>",
                        esc(c.get("reason", "")),
                        esc(self.name(str(c.get("approved_by", "")))),
                        esc(c.get("date", "")),
                        self.commit_html(prov.added, prov.repo_path)
                        if prov
                        else f"<em>{esc(L['not_committed'])}</em>",
                    ]
                )
            parts.append(
                html_table(
                    [
                        L["period"],
                        L["assessee"],
                        L["file"],
                        L["original"],
                        L["reason"],
                        L["approved_by"],
                        L["date"],
                        L["commit"],
                    ],
                    rows,
                    search=False,
                )
            )
        parts.append(heading(2, esc(L["late"]), "late"))
        if not self.data.provenance_available and "late" not in self.data.results:
            parts.append(block(f"<p><em>{esc(L['provenance_unavailable'])}</em></p>"))
        elif not self.late:
            parts.append(block(f"<p>{esc(L['no_late'])}</p>"))
        else:
            parts.append(self.late_table(here, self.late))
        return Page(L["audit"], "".join(parts))


def _when_text(when: dict[str, Any], lang: str) -> str:
    zh = lang != "en"
    parts = []
    for k, v in when.items():
        if k == "total_below":
            parts.append(f"总分低于 {v}" if zh else f"total below {v}")
        elif k == "last_place":
            parts.append("组内最后一名" if zh else "last place in the group")
        elif k == "first_place":
            parts.append("组内第一名" if zh else "first place in the group")
        elif k == "rank_top":
            parts.append(f"组内前 {v} 名" if zh else f"top {v} in the group")
        elif k == "rank_bottom":
            parts.append(f"组内后 {v} 名" if zh else f"bottom {v} in the group")
        elif k == "grade_in":
            grades = ("、" if zh else ", ").join(map(str, v)) if isinstance(v, list) else str(v)
            parts.append(f"等级为 {grades}" if zh else f"grade in {grades}")
        elif k == "item_failed":
            parts.append(f"指标 {v} 不合格" if zh else f"item {v} failed")
        else:
            parts.append(f"{k}: {v}")
    return ("；" if zh else "; ").join(parts)


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
