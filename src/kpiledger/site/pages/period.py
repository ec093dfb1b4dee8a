"""The period pages: the list of periods, and one page a period with its grade distribution,
the ranking of every group, the events and the late submissions."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from kpiledger.site.pages.alerts import badges, period_attention
from kpiledger.site.pages.audit import late_table
from kpiledger.site.pages.bulletin import bulletin_periods
from kpiledger.site.pages.cells import (
    grade_text,
    money_cells,
    money_ids,
    period_link,
    person_link,
    rank_text,
    scheme_link,
    site_href,
    status_text,
    unit_link,
)
from kpiledger.site.pages.events import events_table
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.proof import acknowledgement, acknowledgement_html
from kpiledger.site.svg import bars_svg


def periods_index(ix: SiteIndex) -> Page:
    """periods/index.md: every period, latest first."""
    L, here = ix.L, "periods/index.md"
    rows = []
    for pid in reversed(ix.period_ids):
        p = ix.ledger.calendar.periods.get(pid)
        rows.append(
            [
                period_link(ix, here, pid),
                esc(L.get(p.kind, p.kind) if p else ""),
                esc(f"{p.start} – {p.end}" if p else ""),
                esc(p.due if p and p.due else ""),
                esc(L.get(p.status, p.status) if p else ""),
                str(len(ix.by_period.get(pid, []))),
            ]
        )
    body = heading(1, esc(L["all_periods"]), "periods") + html_table(
        [L["period"], L["period_kind"], L["window"], L["due"], L["status"], L["count"]], rows
    )
    return Page(L["all_periods"], body)


def period_head(ix: SiteIndex, pid: str) -> Page:
    """A period's page title and first heading only: with 10,000 people a period's page takes
    half a second to make, and a build takes most from its cache (site/render_cache.py)."""
    return Page(f"{pid}", heading(1, f"{esc(ix.L['period'])} {esc(pid)}", "period"))


def period_inputs(ix: SiteIndex, pid: str) -> list[Any]:
    """What `period_page` reads besides what every page reads (`render_cache.ledger_digest`:
    org chart, calendar, schemes, site options): the period's results, its records (the
    acknowledgements) with their commits and signatures, which periods have a bulletin, and
    the events, warnings, late submissions and appeals, all of them (few)."""
    rows = ix.by_period.get(pid, [])
    records = [rec for r in rows for rec in ix.records.get((pid, r["scheme"], r["assessee"]), [])]
    return [pid, ix.row_keys(rows), ix.record_keys(records), bulletin_periods(ix), ix.events,
            ix.warnings, ix.late, ix.ledger.appeals]


def period_page(ix: SiteIndex, pid: str) -> Page:
    """periods/<id>.md: one period's distribution, rankings, events and late submissions."""
    L, here = ix.L, f"periods/{pid}.md"
    p = ix.ledger.calendar.periods.get(pid)
    rows = ix.by_period.get(pid, [])
    parts = [period_head(ix, pid).body]
    if p:
        parts.append(
            block(
                f"<p>{esc(L['window'])}{ix.colon}{esc(p.start)} – {esc(p.end)}{ix.sep}"
                f"{esc(L['due'])}{ix.colon}{esc(p.due or '—')}{ix.sep}"
                f"{esc(L['status'])}{ix.colon}{esc(L.get(p.status, p.status))}</p>"
            )
        )
    if pid in bulletin_periods(ix):
        link = site_href(ix, here, f"bulletins/{pid}.md")
        parts.append(block(f'<p><a href="{link}">{esc(L["bulletin"])}</a></p>'))
    parts.append(period_attention(ix, here, pid))
    if not rows:
        parts.append(block(f"<p>{esc(L['no_results'])}</p>"))
    else:
        parts.append(heading(2, esc(L["distribution"]), "distribution"))
        parts.append(distribution(ix, rows))
        parts.append(heading(2, esc(L["ranking"]), "ranking"))
        for (sid, group), members in grouped(rows):
            money = money_ids(ix, members)
            title = scheme_link(ix, here, sid)
            if group not in ix.ledger.schemes:  # ranked within a unit: name it too
                title += f" · {esc(ix.group_name(group))}"
            parts.append(heading(3, title, f"g-{sid}-{group}"))
            # columns that would say the same on every row are left out: the unit when
            # the group is that unit (the heading names it), the status when all complete
            unit = any(r["unit"] != group for r in members)
            status = any(r["status"] != "complete" for r in members)
            # the key columns first (rank, name, total, grade, flags): on a phone they fit
            # the screen and the rest scrolls
            table = [
                [
                    esc(rank_text(r)),
                    person_link(ix, here, r["assessee"], r["name"], f"p-{pid}-{r['scheme']}"),
                    esc(r["total"] or "—"),
                    grade_text(ix, r),
                    badges(ix, r),
                    *([] if ix.opt.public else [esc(r["assessee"])]),
                    *([unit_link(ix, here, r["unit"])] if unit else []),
                    *([status_text(ix, r)] if status else []),
                    *money_cells(r, money),
                ]
                for r in members
            ]
            parts.append(
                html_table(
                    [
                        L["rank"],
                        L["name"],
                        L["total"],
                        L["grade"],
                        L["flags"],
                        *([] if ix.opt.public else [L["id"]]),
                        *([L["unit"]] if unit else []),
                        *([L["status"]] if status else []),
                        *[esc(ix.money_titles.get(m, m)) for m in money],
                    ],
                    table,
                    cls="kpi-ranking",
                    search=False,
                )
            )
    if rows:
        parts.append(acknowledgements(ix, here, rows))
    parts.append(heading(2, esc(L["events"]), "events"))
    parts.append(events_table(ix, here, [e for e in ix.events if e["period"] == pid]))
    late = [x for x in ix.late if x.get("period") == pid]
    if late:
        parts.append(heading(2, esc(L["late"]), "late"))
        parts.append(late_table(ix, here, late, with_period=False))
    return Page(f"{pid}", "".join(parts))


def distribution(ix: SiteIndex, rows: list[dict[str, Any]]) -> str:
    """One grade bar chart per scheme, grades in the scheme's order."""
    out = []
    by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_scheme[r["scheme"]].append(r)
    for sid, members in sorted(by_scheme.items()):
        scheme = ix.ledger.schemes.get(sid)
        counts = Counter(r.get("grade") or "—" for r in members)
        order = [g.grade for g in scheme.grades] if scheme else []
        order += sorted(g for g in counts if g not in order)
        bars = [(ix.grade(sid, g) if g != "—" else g, counts.get(g, 0))
                for g in order if g in counts or scheme]
        name = ix.scheme_title(scheme) if scheme else sid
        title = f"{ix.L['distribution']}{ix.colon}{name}"
        chart = bars_svg(bars, title=title, y_label=ix.L["count"])
        out.append(
            f'<figure class="kpi-figure" data-search-exclude>{chart}'
            f"<figcaption>{esc(title)}</figcaption></figure>"
        )
    return block("".join(out))


def grouped(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, str], list[dict[str, Any]]]]:
    """Results by (scheme, ranking group), each group in rank order."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["scheme"], r["group"])].append(r)
    for members in groups.values():
        members.sort(key=lambda r: (r.get("rank") is None, r.get("rank") or 0, r["assessee"]))
    return sorted(groups.items())


def acknowledgements(ix: SiteIndex, here: str, rows: list[dict[str, Any]]) -> str:
    """Who has acknowledged their result as their own act, and who not yet (for HR)."""
    L = ix.L
    states = [(r, acknowledgement(ix, r)[0]) for r in rows]
    people = [(r, state) for r, state in states if state]
    if not people:
        return ""
    missing = [r for r, state in people if state != "proven"]
    out = heading(2, esc(L["ack"]), "acknowledged")
    if not missing:
        return out + block(f"<p>{esc(L['ack_all'])}</p>")
    n = len(people) - len(missing)
    period = ix.ledger.calendar.periods.get(str(rows[0]["period"]))
    if period is not None and period.status == "closed":
        # a closed period's count only: the names are for chasing while it is open (a list
        # of 1,000 people on every past period cost a large company 5 MB of site)
        return out + block(f"<p>{esc(L['ack_closed'].format(n=n, total=len(people)))}</p>")
    items = "".join(
        f"<li>{person_link(ix, here, r['assessee'], r['name'])} · "
        f"{scheme_link(ix, here, r['scheme'])}{ix.colon}{acknowledgement_html(ix, r)}</li>"
        for r in sorted(missing, key=lambda r: (r["scheme"], r["assessee"])))
    return out + block(f"<p>{esc(L['ack_count'].format(n=n, total=len(people)))}</p>"
                       f"<ul>{items}</ul>")

