"""Follow-ups in a review: a follow-up file this change hands in lands when it merges (taken
as now), so it is on time or late against its obligation's deadline (KPI741, a warning: late
is still better than never); and the rule events the change triggers that oblige someone to
hand something in are named with their deadline; and the obligations of the assessees it
touches that are overdue now (a warning line: the change is not theirs to fix)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kpiledger.check.ledger import Context
from kpiledger.diagnostics import Diagnostic, d
from kpiledger.evaluate import landings
from kpiledger.load.layout import parse_followup_path
from kpiledger.model import Followup
from kpiledger.publish.followups_text import within_words
from kpiledger.review.findings import Review
from kpiledger.rules.obligations import obligations, start_of
from kpiledger.score.lateness import days_late


def _declared(ctx: Context, kind: str) -> Followup | None:
    return next((r.followup for s in ctx.schemes.values() for r in s.rules
                 if r.followup and r.followup.kind == kind), None)


def followup_lateness(review: Review, root: Path, ctx: Context, changed: dict[str, str],
                      now: dt.datetime | None) -> list[Diagnostic]:
    """KPI741 for each follow-up file the change adds that would land after its deadline."""
    files = [(rel, where) for rel, status in sorted(changed.items())
             if status != "D" and (where := parse_followup_path(rel)) is not None]
    wanted = [(rel, where, f) for rel, where in files if (f := _declared(ctx, where.kind))]
    if not wanted:
        return []
    landed = landings(root) or {}
    moment = (now or dt.datetime.now(dt.UTC)).isoformat()
    ledger = ctx.ledger([])
    out = []
    for rel, where, f in wanted:
        start = start_of(ledger, where.period, f.after, landed)
        if start is None:
            continue  # not yet running: handed in before the clock started is on time
        due = start + f.within
        days = days_late(moment, due)
        if days > 0:
            shown = due.astimezone(start.tzinfo).strftime("%Y-%m-%d %H:%M")
            out.append(d(rel, "KPI741", title=f.title, due=shown, days=days).at(1, 1))
    return out


def obligations_created(review: Review, ctx: Context) -> None:
    """The triggered events whose rule asks for a follow-up: what, by whom, by when."""
    rules = {(s.id, r.id): r for s in ctx.schemes.values() for r in s.rules}
    for e in review.triggered:
        rule = rules.get((e["scheme"], e["rule"]))
        if rule is None or rule.followup is None:
            continue
        f = rule.followup
        review.followups.append((
            f"{e['period']} {e['assessee']}：须提交{f.title}，{within_words(f, 'zh')}",
            f"{e['period']} {e['assessee']}: {f.title_en or f.title} due "
            f"{within_words(f, 'en')}",
        ))


def overdue_of_touched(review: Review, root: Path, ctx: Context, changed: dict[str, str],
                       now: dt.datetime | None) -> None:
    """The obligations of the assessees this change touches that are overdue now and not
    handed in by this change (a file it adds is judged by `followup_lateness`)."""
    if not any(r.followup for s in ctx.schemes.values() for r in s.rules):
        return
    moment = now or dt.datetime.now(dt.UTC)
    ledger = ctx.ledger([])
    for o in obligations(ledger, review.events_after, landings(root)):
        if o.file in changed or o.state(moment) != "overdue" or o.due is None:
            continue
        shown = o.due.astimezone(o.start.tzinfo if o.start else dt.UTC).strftime(
            "%Y-%m-%d %H:%M")
        name = ledger.org.name_of(o.assessee)
        review.followups.append((
            f"⚠ {o.period} {name}（{o.assessee}）：{o.followup.title}已逾期（截止 {shown}），"
            f"尚未提交 {o.file}",
            f"⚠ {o.period} {o.assessee}: {o.followup.title_en or o.followup.title} overdue "
            f"(due {shown}), {o.file} not handed in",
        ))
