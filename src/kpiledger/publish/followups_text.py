"""The part of `kpi status` after the records: obligations with their deadlines (overdue ones
also as KPI740 warnings), who has not acknowledged a closed period's result, and what is still
open per unit and person. Chinese first; times in the calendar's zone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.model import Followup
from kpiledger.publish.acks import Unacknowledged, closed_to_ask, signing_acts, unacknowledged
from kpiledger.publish.open_items import (
    Basis,
    OpenItem,
    OpenSource,
    grouped,
    item_json,
    open_items,
)
from kpiledger.rules.obligations import Obligation, obligations

if TYPE_CHECKING:
    from kpiledger.pipeline import Evaluation

STATE_WORDS = {
    "waiting": ("未开始计时（通报尚未发布）", "not yet running (bulletin not published)"),
    "open": ("未到期", "not yet due"),
    "overdue": ("已逾期", "overdue"),
    "met": ("已按时提交", "handed in on time"),
    "late": ("迟交", "handed in late"),
}


def _when(moment: dt.datetime | None, now: dt.datetime) -> str:
    return "—" if moment is None else moment.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")


def within_words(f: Followup, lang: str) -> str:
    """"通报发布后 4 天内" / "within 4 d of the bulletin": a deadline not yet running."""
    zh = lang == "zh"
    span = " ".join(([f"{f.days} 天" if zh else f"{f.days} d"] if f.days else [])
                    + ([f"{f.hours} 小时" if zh else f"{f.hours} h"] if f.hours else []))
    if f.after == "bulletin":
        return f"通报发布后 {span}内" if zh else f"within {span} of the bulletin"
    return f"截止时间后 {span}内" if zh else f"within {span} of the period's due time"


def due_words(o: Obligation, now: dt.datetime, lang: str) -> str:
    return within_words(o.followup, lang) if o.due is None else _when(o.due, now)


def obligation_line(ev: Evaluation, o: Obligation, now: dt.datetime, lang: str) -> str:
    org, f = ev.ledger.org, o.followup
    state = o.state(now)
    word = STATE_WORDS[state][0 if lang == "zh" else 1]
    if state == "late":
        word += f" {o.days_late} 天" if lang == "zh" else f" by {o.days_late} d"
    owed = f"{org.name_of(o.owed_by)}（{o.owed_by}）" if o.owed_by else "—"
    about = f"{org.name_of(o.assessee)}（{o.assessee}）"
    if lang == "zh":
        return (f"{word} {o.period} {f.title}：{about}，由 {owed} 提交，期限 "
                f"{due_words(o, now, lang)} → {o.file}")
    return (f"{word} {o.period} {f.title_en or f.title}: {about}, by {owed}, "
            f"due {due_words(o, now, lang)} → {o.file}")


def overdue_warnings(ev: Evaluation, found: Iterable[Obligation],
                     now: dt.datetime) -> list[Diagnostic]:
    """KPI740 at the rule's `followup:` in its scheme file, one per overdue obligation."""
    out = []
    for o in found:
        if o.state(now) != "overdue":
            continue
        scheme = ev.ledger.schemes[o.scheme]
        rule = next(r for r in scheme.rules if r.id == o.rule)
        out.append(d(scheme.file, "KPI740", (*rule.path, "followup"), title=o.followup.title,
                     assessee=o.assessee, period=o.period, due=_when(o.due, now), where=o.file))
    return out


def ack_line(ev: Evaluation, u: Unacknowledged, lang: str) -> str:
    name = f"{ev.ledger.org.name_of(u.assessee)}（{u.assessee}）"
    if lang == "zh":
        how = f"签字日期 {u.date} 未经本人提交证明" if u.state == "claimed" else "未确认"
        return f"{u.period} {u.scheme}：{name} {how}"
    how = (f"signed {u.date}, not proven as their act" if u.state == "claimed"
           else "not acknowledged")
    return f"{u.period} {u.scheme}: {name} {how}"


def open_lines(ev: Evaluation, items: Iterable[OpenItem], lang: str) -> list[str]:
    lines = []
    for unit, its in grouped(items, "unit").items():
        lines.append(f"{ev.ledger.org.name_of(unit)}（{unit}）" if lang == "zh"
                     else f"{ev.ledger.org.name_of(unit)} ({unit})")
        for i in its:
            mark = "⚠ " if i.overdue else ""
            text = i.zh if lang == "zh" else i.en
            lines.append(f"  {mark}{ev.ledger.org.name_of(i.assessee)}（{i.assessee}） "
                         f"{i.period}：{text}")
    return lines


class AfterScores:
    """Everything `kpi status` says after the records, computed once."""

    def __init__(self, ev: Evaluation, now: dt.datetime, period: str | None = None,
                 extra: Iterable[OpenSource] = ()) -> None:
        from kpiledger.evaluate import landings_from

        self.ev, self.now = ev, now
        self.obligations = obligations(ev.ledger, ev.results.events,
                                       landings_from(ev.provenance))
        asked = closed_to_ask(ev.ledger, period)
        acts = signing_acts(ev) if asked else {}
        self.unacknowledged = unacknowledged(
            ev.ledger, (r._asdict() for r in ev.results.results), acts, asked)
        self.asked = [p.id for p in asked]
        self.open = open_items(Basis.of(ev), now, extra)

    @property
    def warnings(self) -> list[Diagnostic]:
        return overdue_warnings(self.ev, self.obligations, self.now)

    def lines(self, lang: str) -> list[str]:
        zh = lang == "zh"
        out = ["后续事项：" if zh else "Follow-ups:"]
        out += ["  " + obligation_line(self.ev, o, self.now, lang) for o in self.obligations] \
            or ["  （无）" if zh else "  (none)"]
        if self.asked:
            out.append(("结果确认（" if zh else "Acknowledgements (") + "、".join(self.asked)
                       + ("）：" if zh else "):"))
            out += ["  " + ack_line(self.ev, u, lang) for u in self.unacknowledged] \
                or ["  全部已确认" if zh else "  all acknowledged"]
        out.append("未结事项：" if zh else "Still open:")
        out += ["  " + x for x in open_lines(self.ev, self.open, lang)] \
            or ["  （无）" if zh else "  (none)"]
        return out

    def markdown(self, lang: str) -> str:
        """The same lines for the status issue: headings, then one list entry per line."""
        out = []
        for line in self.lines(lang):
            if not line.startswith(" "):
                out += ["", f"## {line.rstrip('：:')}", ""]
            else:
                out.append(("  - " if line.startswith("    ") else "- ") + line.strip())
        return "\n".join(out) + "\n"

    def json(self) -> dict[str, Any]:
        return {
            "obligations": [{
                "period": o.period, "scheme": o.scheme, "rule": o.rule, "assessee": o.assessee,
                "kind": o.followup.kind, "title": o.followup.title, "owed_by": o.owed_by,
                "file": o.file, "state": o.state(self.now),
                "due": None if o.due is None else o.due.isoformat(timespec="minutes"),
                "landed": o.landed, "days_late": o.days_late,
            } for o in self.obligations],
            "unacknowledged": [{"period": u.period, "scheme": u.scheme, "assessee": u.assessee,
                                "state": u.state, "date": u.date} for u in self.unacknowledged],
            "acknowledgement_periods": self.asked,
            "open": [item_json(i) for i in self.open],
        }
