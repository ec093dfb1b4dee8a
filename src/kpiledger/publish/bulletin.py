"""The monthly bulletin (月度考核通报): one period's results in the documents' own form —
rankings per group, the rules that fired, rewards with their amounts and the warnings — as
plain data (`Bulletin`), as Markdown for a forge issue or a chat (`to_markdown`), and as a
print-ready PDF (`publish.bulletin_pdf`).

Document 7 announces each month's ranking in a bulletin (月工作通报) and pays its rewards by
place, ties all paid; the bulletin is made from the published results contract, so it says
exactly what the site and `kpi score` say. While an appeal against one of the period's
results waits for HR's decision, the bulletin says it is provisional (非最终).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kpiledger.model import Ledger
from kpiledger.model.appeals import open_appeals
from kpiledger.publish.public import mask_name

WORDS = {
    "zh": {"title": "{company}{period} 绩效考核通报", "window": "考核期 {start} 至 {end}",
           "rank": "名次", "name": "姓名", "unit": "部门", "total": "总分", "grade": "等级",
           "ranking": "排名", "events": "触发的规则", "rewards": "奖励", "warnings": "预警",
           "amount": "金额（元）", "rule": "规则", "outcome": "结果", "why": "依据",
           "sum": "合计", "none": "无", "status": "本期状态：{status}",
           "open": "开放（结果可能变化）", "closed": "已关闭",
           "from": "依据账本提交 {commit}，与网站和 kpi score 的结果一致。",
           "provisional": "（非最终）", "appeals": "非最终：{count} 件申诉待人力资源裁定（{who}），"
           "裁定后结果可能更正。"},
    "en": {"title": "{company}Performance bulletin {period}", "window": "Period {start} to {end}",
           "rank": "Rank", "name": "Name", "unit": "Unit", "total": "Total", "grade": "Grade",
           "ranking": "Ranking", "events": "Rules fired", "rewards": "Rewards",
           "warnings": "Warnings", "amount": "Amount (yuan)", "rule": "Rule",
           "outcome": "Outcome", "why": "Because", "sum": "Total", "none": "None",
           "status": "Status: {status}", "open": "open (results may still change)",
           "closed": "closed", "from": "From ledger commit {commit}; the same results as the "
           "site and kpi score.", "provisional": " (provisional)",
           "appeals": "Provisional: {count} appeals await HR's decision ({who}); results may "
           "still be corrected."},
}


@dataclass
class Table:
    """A titled table: header and rows of plain text."""

    title: str
    header: list[str]
    rows: list[list[str]]
    widths: tuple[float, ...] = ()  # relative column widths on paper (equal when empty)


@dataclass
class Bulletin:
    """One period's bulletin, ready to be written out in any form."""

    title: str
    lines: list[str]  # what stands under the title: the window, the status, the source
    sections: list[tuple[str, list[Table]]] = field(default_factory=list)


def make_bulletin(document: Mapping[str, Any], ledger: Ledger, period: str, *,
                  lang: str = "zh", commit: str | None = None,
                  masked: bool = False) -> Bulletin:
    """The bulletin of `period` from the results contract's `document`. `masked`: names
    masked (张*) for posting where not everyone may see them."""
    w = WORDS["en" if lang == "en" else "zh"]
    org = ledger.org
    cal = ledger.calendar.periods.get(period)

    def name(r: Mapping[str, Any]) -> str:
        person = org.people.get(str(r["assessee"]))
        shown = (person.name_en if lang == "en" and person and person.name_en
                 else person.name if person else str(r.get("name") or r["assessee"]))
        return mask_name(shown) if masked and person else shown

    def scheme_title(sid: str) -> str:
        s = ledger.schemes.get(sid)
        return (s.title_en if lang == "en" and s and s.title_en else s.title) if s else sid

    def grade(r: Mapping[str, Any]) -> str:
        s = ledger.schemes.get(str(r["scheme"]))
        g = str(r.get("grade") or "")
        return (s.grade_name(g, lang) if s else g) if g else "—"

    def said(e: Mapping[str, Any], key: str) -> str:  # an event's words in the language
        return str((e.get(f"{key}_en") if lang == "en" else None) or e.get(key) or "")

    def unit_name(uid: str) -> str:
        return org.units[uid].name if uid in org.units else uid

    company = f"{org.company} " if org.company else ""
    lines = []
    if cal is not None:
        lines.append(w["window"].format(start=cal.start, end=cal.end))
        lines.append(w["status"].format(status=w.get(cal.status, cal.status)))
    waiting = open_appeals(ledger.appeals, org, period=period)
    if waiting:  # a result under appeal may still change: the bulletin is not final
        lines.append(w["appeals"].format(count=len(waiting), who="、".join(
            name({"assessee": a.assessee}) for a in waiting)))
    if commit:
        lines.append(w["from"].format(commit=commit[:8]))
    title = w["title"].format(company=company, period=period)
    bulletin = Bulletin(title + (w["provisional"] if waiting else ""), lines)

    results = [r for r in document.get("results", []) if r.get("period") == period]
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for r in results:
        groups[(str(r["scheme"]), str(r.get("group") or r["scheme"]))].append(r)
    tables = []
    for (sid, group), rows in sorted(groups.items()):
        rows = sorted(rows, key=lambda r: (r.get("rank") is None, r.get("rank") or 0, name(r)))
        title = scheme_title(sid) + ("" if group == sid else f" · {unit_name(group)}")
        # a ranking within one unit names it in its title: no column repeats it on every row
        one_unit = len({r.get("unit") for r in rows}) == 1 and group != sid
        tables.append(Table(
            title, [w["rank"], w["name"], *([] if one_unit else [w["unit"]]), w["total"],
                    w["grade"]],
            [[f"{r['rank']}/{r['of']}" if r.get("rank") is not None else "—", name(r),
              *([] if one_unit else [unit_name(str(r.get("unit") or ""))]),
              str(r.get("total") or "—"), grade(r)] for r in rows],
            (1, 1.4, 1, 1) if one_unit else (1, 1.4, 2.4, 1, 1)))
    bulletin.sections.append((w["ranking"], tables))

    events = [e for e in document.get("events", []) if e.get("period") == period]
    by_name = {str(r["assessee"]): r for r in results}

    def who(e: Mapping[str, Any]) -> str:
        return name(by_name.get(str(e["assessee"]), {"assessee": e["assessee"]}))

    fired = Table(w["events"], [w["name"], w["rule"], w["outcome"], w["why"]], [
        [who(e), said(e, "title") or str(e.get("rule")), said(e, "outcome"), said(e, "detail")]
        for e in events], (1, 2.6, 1.2, 3.4))
    bulletin.sections.append((w["events"], [fired]))
    paid = [e for e in events if e.get("amount")]
    total = sum((Decimal(str(e["amount"])) for e in paid), Decimal(0))
    rewards = Table(w["rewards"], [w["name"], w["rule"], w["amount"]], [
        [who(e), said(e, "title") or str(e.get("rule")), str(e["amount"])] for e in paid],
        (1, 4, 1.2))
    if paid:
        rewards.rows.append([w["sum"], "", f"{total:.2f}"])
    bulletin.sections.append((w["rewards"], [rewards]))
    warned = [x for x in document.get("warnings", []) if (x.get("periods") or [None])[-1]
              == period or x.get("period") == period]
    warnings = Table(w["warnings"], [w["name"], w["rule"], w["why"]], [
        [who(x), said(x, "title") or str(x.get("rule")), said(x, "detail")]
        for x in warned], (1, 2.6, 4.6))
    bulletin.sections.append((w["warnings"], [warnings]))
    return bulletin


def to_markdown(b: Bulletin, none: str = "无") -> str:
    """The bulletin as Markdown (GitHub / GitLab issues, chat): headings and pipe tables."""
    out = [f"# {b.title}", ""]
    out += [f"{line}  " for line in b.lines] + [""]
    for heading, tables in b.sections:
        out += [f"## {heading}", ""]
        for t in tables:
            if len(tables) > 1 or t.title != heading:
                out += [f"### {t.title}", ""]
            if not t.rows:
                out += [none, ""]
                continue
            out.append("| " + " | ".join(_cell(h) for h in t.header) + " |")
            out.append("|" + "---|" * len(t.header))
            out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    """A table cell's text: no pipe or line break can break the table."""
    return text.replace("|", "｜").replace("\n", " ")

