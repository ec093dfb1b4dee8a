"""The unit pages: the org chart as a list, and one page a unit with its members and their
totals by period."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from kpiledger.site.pages.alerts import threshold
from kpiledger.site.pages.cells import period_link, person_link, scheme_link, unit_link
from kpiledger.site.pages.followups import open_for, open_section
from kpiledger.site.pages.html import block, esc, heading, html_table, plain_title
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.svg import trend_svg


def units_index(ix: SiteIndex) -> Page:
    """units/index.md: every unit, indented like the org chart."""
    L, here = ix.L, "units/index.md"
    rows = []
    for uid in ix.unit_order():
        depth = len(ix.org.ancestors(uid)) - 1
        indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * max(depth, 0)
        members = sum(1 for p in ix.org.people.values() if p.unit == uid)
        rows.append([indent + unit_link(ix, here, uid), esc(uid), str(members)])
    body = heading(1, esc(L["all_units"]), "units") + html_table(
        [L["unit"], L["id"], L["members"]], rows
    )
    return Page(L["all_units"], body)


def unit_head(ix: SiteIndex, uid: str) -> Page:
    """A unit's page title and first heading only (see `period.period_head`)."""
    u = ix.org.units[uid]
    return Page(plain_title(u.name), heading(1, esc(u.name), "unit"))


def unit_inputs(ix: SiteIndex, uid: str) -> list[Any]:
    """What `unit_page` reads besides what every page reads (`render_cache.ledger_digest`:
    the org chart, which names the unit's members, the calendar, the schemes, the site
    options): its members' and its own results, and what is still open for them."""
    return [uid, ix.row_keys(ix.memo("results_by_unit", _results_by_unit, ix).get(uid, [])),
            [repr(i) for i in open_for(ix, uid, "unit")]]


def unit_page(ix: SiteIndex, uid: str) -> Page:
    """units/<id>.md: a unit's place in the org chart, its members and their totals."""
    L, here = ix.L, f"units/{uid}.md"
    u = ix.org.units[uid]
    parts = [unit_head(ix, uid).body]
    info = [f"{esc(L['id'])}{ix.colon}{esc(uid)}"]
    if u.parent and u.parent in ix.org.units:
        info.append(f"{esc(L['parent'])}{ix.colon}{unit_link(ix, here, u.parent)}")
    subs = [x.id for x in ix.org.units.values() if x.parent == uid]
    if subs:
        info.append(
            f"{esc(L['subunits'])}{ix.colon}" + ix.enum.join(unit_link(ix, here, s) for s in subs)
        )
    if uid in ix.by_assessee:
        info.append(f"{esc(L['assessee'])}{ix.colon}{person_link(ix, here, uid)}")
    parts.append(block("<p>" + "<br>".join(info) + "</p>"))
    members = sorted(p.id for p in ix.org.people.values() if p.unit == uid)
    parts.append(heading(2, esc(L["members"]), "members"))
    if ix.opt.public:  # neither ids nor job titles: in a small team either names someone
        table = html_table([L["name"]], [[person_link(ix, here, m)] for m in members],
                           search=False)
    else:
        table = html_table(
            [L["id"], L["name"], L["title"]],
            [[esc(m), person_link(ix, here, m), esc(ix.org.people[m].title)] for m in members],
            search=False,
        )
    parts.append(table)
    parts.append(open_section(ix, here, uid, "unit"))  # members' re-tests, obligations, rewards
    # Totals by period: one row per assessee of this unit, one column per period.
    unit_results = ix.memo("results_by_unit", _results_by_unit, ix).get(uid, [])
    by_scheme: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in unit_results:
        by_scheme[r["scheme"]].append(r)
    if by_scheme:
        parts.append(heading(2, esc(L["results_by_period"]), "totals"))
    for sid, rows in sorted(by_scheme.items()):
        periods = sorted({r["period"] for r in rows}, key=lambda p: ix.order.get(p, 0))
        cell = {(r["assessee"], r["period"]): r for r in rows}
        people = sorted({r["assessee"] for r in rows})
        parts.append(heading(3, scheme_link(ix, here, sid), f"s-{sid}"))
        parts.append(side_by_side(ix, here, sid, rows, periods))
        table = []
        for a in people:
            name = next(r["name"] for r in rows if r["assessee"] == a)
            row = [person_link(ix, here, a, name)]
            for pid in periods:
                r = cell.get((a, pid))
                row.append(esc(r["total"] or "—") if r else "")
            table.append(row)
        parts.append(
            html_table(
                [L["name"], *[period_link(ix, here, pid) for pid in periods]],
                table,
                search=False,
            )
        )
    return Page(plain_title(u.name), "".join(parts))


def side_by_side(
    ix: SiteIndex, here: str, sid: str, rows: list[dict[str, Any]], periods: list[str]
) -> str:
    """One small trend chart per person, on a common scale and threshold, side by side."""
    scheme = ix.ledger.schemes.get(sid)
    y_max = float(scheme.total_max) if scheme and scheme.total_max else 100.0
    cell = {(r["assessee"], r["period"]): r for r in rows}
    figures = []
    for a in sorted({r["assessee"] for r in rows}):
        name = next(r["name"] for r in rows if r["assessee"] == a)
        points = [(p, _total(cell.get((a, p)))) for p in periods]
        chart = trend_svg(
            points, y_label=ix.L["total"], x_label=ix.L["period"], title=ix.name(a, name),
            y_max=y_max, threshold=threshold(scheme), width=320, height=180,
        )
        figures.append(
            f'<figure class="kpi-figure">{chart}'
            f"<figcaption>{person_link(ix, here, a, name)}</figcaption></figure>"
        )
    return block(f'<div class="kpi-multiples" data-search-exclude>{"".join(figures)}</div>')


def _total(r: dict[str, Any] | None) -> float | None:
    return None if r is None or r.get("total") is None else float(Decimal(r["total"]))


def _results_by_unit(ix: SiteIndex) -> dict[str, list[dict[str, Any]]]:
    """Unit → the results of its members and its own (a unit assessed itself), in the
    results' order: one pass for every unit page (one pass per page took minutes at 870
    units and 120,000 results)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in ix.results:
        out[r["unit"]].append(r)
        if r["assessee"] != r["unit"]:
            out[r["assessee"]].append(r)
    return out
