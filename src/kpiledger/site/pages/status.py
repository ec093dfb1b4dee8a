"""Status pages (status/<period>.md): for each open period, who still owes what — the same
table as `kpi status`, per unit and author role: expected, submitted, missing, late.

The page shows the due time but no countdown: the site is the same for the same commit
(deterministic), and "time left" would change by the minute. In the public edition names are
masked and ids left out, as on every other page.
"""

from __future__ import annotations

from kpiledger.evaluate import landings_from
from kpiledger.publish.status import Owed, PeriodStatus, open_periods, period_status
from kpiledger.site.pages.cells import period_link, unit_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import Page, SiteIndex

WORDS = {
    "zh": {
        "title": "提交情况", "unit": "部门", "role": "角色", "expected": "应交",
        "submitted": "已交", "missing": "未交", "late": "迟交", "who": "被考核人",
        "author": "填写人", "days": "迟交天数", "window": "考核期", "to": "至",
        "due": "截止", "none": "不设截止",
        "note": "按组织架构和考核方案应提交的记录；迟交以记录合入 main 的时间计。"
                "本页随每次合入更新。",
        "all_in": "应交记录已全部提交。", "detail_missing": "未交明细", "detail_late": "迟交明细",
        "nobody": "组织架构未指定",
    },
    "en": {
        "title": "Submissions", "unit": "Unit", "role": "Role", "expected": "Expected",
        "submitted": "Submitted", "missing": "Missing", "late": "Late", "who": "Assessee",
        "author": "Written by", "days": "Days late", "window": "Period", "to": "to",
        "due": "due", "none": "no due time",
        "note": "Records the org chart and the schemes call for; lateness counts from when a "
                "record landed on main. Updated with every merge.",
        "all_in": "Every expected record is in.", "detail_missing": "Missing records",
        "detail_late": "Late records", "nobody": "not named in the org chart",
    },
}


def status_pages(ix: SiteIndex) -> dict[str, Page]:
    """One page per open period, by source path."""
    landed = landings_from(ix.data.provenance)
    return {f"status/{p.id}.md": status_page(ix, period_status(ix.ledger, p, landed))
            for p in open_periods(ix.ledger)}


def _who(ix: SiteIndex, o: Owed) -> str:
    e = o.expected
    name = esc(ix.name(e.assessee))
    if e.source_unit:
        name += ix.paren(esc(ix.unit_name(e.source_unit)))
    return name


def status_page(ix: SiteIndex, status: PeriodStatus) -> Page:
    W = WORDS["en" if ix.opt.lang == "en" else "zh"]
    p, here = status.period, f"status/{status.period.id}.md"
    title = f"{W['title']} {p.id}"
    due = f"{W['due']} {esc(p.due)}{ix.paren(esc(ix.ledger.calendar.timezone))}" if p.due \
        else esc(W["none"])
    parts = [heading(1, esc(title), "status"),
             block(f"<p>{esc(W['window'])} {period_link(ix, here, p.id)}{ix.colon}"
                   f"{esc(p.start)} {esc(W['to'])} {esc(p.end)}{ix.sep}{due}</p>"
                   f"<p>{esc(W['note'])}</p>")]
    rows = [[unit_link(ix, here, r.unit), esc(ix.roles.get(r.role, r.role)), str(len(r.owed)),
             str(len(r.submitted)), str(len(r.missing)), str(len(r.late))]
            for r in status.rows]
    parts.append(html_table([W["unit"], W["role"], W["expected"], W["submitted"], W["missing"],
                             W["late"]], rows, search=False))
    missing = [(r, o) for r in status.rows for o in r.missing]
    if not missing:
        parts.append(block(f"<p>{esc(W['all_in'])}</p>"))
    else:
        parts.append(heading(2, esc(W["detail_missing"]), "missing"))
        parts.append(html_table([W["unit"], W["role"], W["who"], W["author"]], [
            [unit_link(ix, here, r.unit), esc(ix.roles.get(r.role, r.role)), _who(ix, o),
             esc(ix.name(o.author)) if o.author else esc(W["nobody"])]
            for r, o in missing], search=False))
    late = [(r, o) for r in status.rows for o in r.late]
    if late:
        parts.append(heading(2, esc(W["detail_late"]), "late"))
        parts.append(html_table([W["unit"], W["role"], W["who"], W["days"]], [
            [unit_link(ix, here, r.unit), esc(ix.roles.get(r.role, r.role)), _who(ix, o),
             str(o.days_late)] for r, o in late], search=False))
    return Page(title, "".join(parts))
