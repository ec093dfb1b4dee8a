"""`kpi status` as a terminal table, Markdown (the status issue) and JSON, Chinese first.

Times are shown in the ledger's time zone; "now" is passed in, so the same ledger and moment
give the same text.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kpiledger.calendar import unknown_period
from kpiledger.check.reading import place_in
from kpiledger.diagnostics import Diagnostic, d, has_errors
from kpiledger.model import Ledger, role_names
from kpiledger.publish.appeals import appeals_json, appeals_lines, waiting
from kpiledger.publish.followups_text import AfterScores
from kpiledger.publish.results import _pad, _width
from kpiledger.publish.status import (
    Owed,
    PeriodStatus,
    Row,
    logins,
    open_periods,
    period_status,
    zone_of,
)

FILE = "periods.yaml"
ISSUE_LIMIT = 60_000  # characters; a forge issue body holds 65,536

HEADERS = {
    "zh": ["部门", "角色", "应交", "已交", "未交", "迟交"],
    "en": ["Unit", "Role", "Expected", "Submitted", "Missing", "Late"],
}


def left_text(left: dt.timedelta | None, lang: str) -> str:
    """"剩 3 天 4 小时" / "已逾期 2 天 3 小时" (whole hours, rounded down)."""
    if left is None:
        return "不设截止" if lang == "zh" else "no due time"
    hours = int(abs(left).total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    if lang == "zh":
        span = (f"{days} 天 " if days else "") + f"{hours} 小时"
        return f"剩 {span}" if left >= dt.timedelta(0) else f"已逾期 {span}"
    span = (f"{days} d " if days else "") + f"{hours} h"
    return f"{span} left" if left >= dt.timedelta(0) else f"overdue by {span}"


def heading(ledger: Ledger, status: PeriodStatus, now: dt.datetime, lang: str) -> str:
    p = status.period
    zone = ledger.calendar.timezone
    if lang == "zh":
        due = f"截止 {p.due}（{zone}）" if p.due else "不设截止"
        return (f"考核期 {p.id}（{p.start} 至 {p.end}），{due}，{left_text(status.left(now), lang)}"
                f"；迟交以合入 main 的时间计")
    due = f"due {p.due} ({zone})" if p.due else "no due time"
    return (f"Period {p.id} ({p.start} to {p.end}), {due}, {left_text(status.left(now), lang)}; "
            "lateness counts from when a record landed on main")


def unit_name(ledger: Ledger, unit: str, lang: str) -> str:
    u = ledger.org.units.get(unit)
    return u.name if u and lang == "zh" else unit if u is None else f"{u.name} ({unit})"


def role_label(role: str, lang: str) -> str:
    names = role_names(role)
    return names.holder_zh if lang == "zh" else names.holder_en


def cells(ledger: Ledger, row: Row, lang: str) -> list[str]:
    return [unit_name(ledger, row.unit, lang), role_label(row.role, lang), str(len(row.owed)),
            str(len(row.submitted)), str(len(row.missing)), str(len(row.late))]


def who(ledger: Ledger, o: Owed, lang: str = "zh") -> str:
    """"张晓燕（E1101）"; a data record also names the unit that supplies it."""
    e = o.expected
    name = ledger.org.name_of(e.assessee)
    if not e.source_unit:
        return f"{name}（{e.assessee}）" if lang == "zh" else f"{name} ({e.assessee})"
    source = ledger.org.name_of(e.source_unit)
    return (f"{name}（{e.assessee}，{source}提供）" if lang == "zh"
            else f"{name} ({e.assessee}, from {source})")


def _author(ledger: Ledger, o: Owed, lang: str) -> str:
    if o.author is None:
        return "组织架构未指定填写人" if lang == "zh" else "the org chart names no author"
    name = ledger.org.name_of(o.author)
    return f"{name}（{o.author}）" if lang == "zh" else f"{name} ({o.author})"


def details(ledger: Ledger, status: PeriodStatus, lang: str) -> list[str]:
    """One line per unit and role with missing or late records: who, and who writes them."""
    lines: list[str] = []
    for row in status.rows:
        place = f"{unit_name(ledger, row.unit, lang)} · {role_label(row.role, lang)}"
        by_author: dict[str, list[str]] = {}
        for o in row.missing:
            by_author.setdefault(_author(ledger, o, lang), []).append(who(ledger, o, lang))
        for author, names in by_author.items():
            lines.append(f"{'未交' if lang == 'zh' else 'missing'} {place}："
                         f"{'、'.join(names)} — {'填写人' if lang == 'zh' else 'by'} {author}")
        for o in row.late:
            days = f"迟 {o.days_late} 天" if lang == "zh" else f"{o.days_late} d late"
            late = "迟交" if lang == "zh" else "late"
            lines.append(f"{late} {place}：{who(ledger, o, lang)} {days}（{o.file}）")
    return lines


def status_table(ledger: Ledger, statuses: list[PeriodStatus], now: dt.datetime,
                 lang: str) -> str:
    out: list[str] = []
    for status in statuses:
        out.append(heading(ledger, status, now, lang))
        rows = [cells(ledger, r, lang) for r in status.rows]
        heads = HEADERS[lang]
        widths = [max([_width(h)] + [_width(r[k]) for r in rows]) for k, h in enumerate(heads)]
        for line in [heads, ["-" * w for w in widths], *rows]:
            out.append("  ".join(_pad(c, widths[k], k >= 2) for k, c in enumerate(line)).rstrip())
        out += ["  " + x for x in details(ledger, status, lang)]
        out.append("")
    if not statuses:
        out.append("没有开放的考核期。" if lang == "zh" else "No open period.")
    return "\n".join(out).rstrip() + "\n"


def status_markdown(ledger: Ledger, statuses: list[PeriodStatus], now: dt.datetime,
                    lang: str) -> str:
    """For the status issue: a table per period; the assessors who still owe records are
    @-mentioned by their forge logins."""
    stamp = now.strftime("%Y-%m-%d %H:%M")
    title = "# 提交情况" if lang == "zh" else "# Who still owes what"
    out = [title, "", (f"更新于 {stamp}（{ledger.calendar.timezone}），由 kpi status 生成。"
                       if lang == "zh" else f"Updated {stamp} ({ledger.calendar.timezone}) "
                       "by kpi status.")]
    heads = [*HEADERS[lang], "待提交" if lang == "zh" else "Owed by"]
    for status in statuses:
        out += ["", f"## {heading(ledger, status, now, lang)}", "",
                "| " + " | ".join(heads) + " |",
                "|" + "---|" * 2 + "---:|" * 4 + "---|"]
        for row in status.rows:
            mention = " ".join(f"@{x}" for x in logins(ledger, (o.author for o in row.missing)))
            row_cells = [c.replace("|", "\\|") for c in cells(ledger, row, lang)]
            out.append("| " + " | ".join([*row_cells, mention]) + " |")
        lines = details(ledger, status, lang)
        if lines:
            out += ["", *[f"- {x}" for x in lines]]
    if not statuses:
        out += ["", "没有开放的考核期。" if lang == "zh" else "No open period."]
    text = "\n".join(out) + "\n"
    if len(text) > ISSUE_LIMIT and any(details(ledger, s, lang) for s in statuses):
        # an issue body holds 65,536 characters: keep the tables, point to the full list
        short = [line for line in out if not line.startswith("- ")]
        short += ["", "明细过长，请运行 kpi status 或查看网站的提交情况页面。" if lang == "zh"
                  else "Too many to list here: run kpi status or see the site's status pages."]
        text = "\n".join(short) + "\n"
    return text


def _owed(ledger: Ledger, o: Owed) -> dict[str, Any]:
    e = o.expected
    return {"assessee": e.assessee, "name": ledger.org.name_of(e.assessee), "scheme": e.scheme,
            "source_unit": e.source_unit, "author": o.author,
            "logins": logins(ledger, [o.author]), "file": o.file, "landed": o.landed,
            "days_late": o.days_late}


def status_json(ledger: Ledger, statuses: list[PeriodStatus], now: dt.datetime) -> str:
    doc = {
        "timezone": ledger.calendar.timezone,
        "now": now.isoformat(timespec="minutes"),
        "periods": [{
            "period": s.period.id, "kind": str(s.period.kind), "start": s.period.start,
            "end": s.period.end, "due": s.period.due, "status": s.period.status,
            "seconds_left": None if (left := s.left(now)) is None else int(left.total_seconds()),
            "overdue": s.overdue(now),
            "rows": [{
                "unit": r.unit, "unit_name": unit_name(ledger, r.unit, "zh"), "role": r.role,
                "expected": len(r.owed), "submitted": len(r.submitted),
                "missing": [_owed(ledger, o) for o in r.missing],
                "late": [_owed(ledger, o) for o in r.late],
            } for r in s.rows],
        } for s in statuses],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def status_report(root: Path, period: str | None, fmt: str, lang: str,
                  now: dt.datetime | None = None) -> tuple[str, list[Diagnostic], int]:
    """`kpi status`: the text to print, the problems to report and the exit code — 1 when a
    period's records are overdue or the ledger has errors, 0 otherwise."""
    from kpiledger.evaluate import landings_from
    from kpiledger.pipeline import evaluate

    evaluation = evaluate(root)
    ledger = evaluation.ledger
    problems = list(evaluation.diagnostics)
    now = (now or dt.datetime.now(zone_of(ledger))).astimezone(zone_of(ledger))
    if period is not None and period not in ledger.calendar.periods:
        code, args = unknown_period(period)
        return "", [*problems, d(FILE, code, **args).at(1, 1)], 1
    chosen = [ledger.calendar.periods[period]] if period else open_periods(ledger)
    landed = landings_from(evaluation.provenance)
    statuses = [period_status(ledger, p, landed) for p in chosen]
    after = AfterScores(evaluation, now, period)  # follow-ups, acknowledgements, still open
    problems += place_in(root, after.warnings)
    appeals = waiting(ledger, period)
    if fmt == "json":
        doc = {**json.loads(status_json(ledger, statuses, now)), **after.json(),
               "appeals": appeals_json(ledger, appeals)}
        text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "markdown":
        lines = appeals_lines(ledger, appeals, lang)
        text = status_markdown(ledger, statuses, now, lang) + "".join(
            [f"\n## {lines[0]}\n\n"] + [f"- {x}\n" for x in lines[1:]] if lines else [])
        more = after.markdown(lang)
        if len(text) + len(more) > ISSUE_LIMIT:  # an issue body holds 65,536 characters
            more = ("\n后续事项、结果确认与未结事项过长，请运行 kpi status 或查看网站。\n"
                    if lang == "zh"
                    else "\nFollow-ups, acknowledgements and open items: run kpi status.\n")
        text += more
    else:
        lines = appeals_lines(ledger, appeals, lang)
        text = status_table(ledger, statuses, now, lang) + "".join(
            [f"\n{lines[0]}\n"] + [f"  {x}\n" for x in lines[1:]] if lines else [])
        text += "\n".join(after.lines(lang)) + "\n"
    late = any(s.overdue(now) for s in statuses) or has_errors(problems)
    return text, problems, 1 if late else 0
