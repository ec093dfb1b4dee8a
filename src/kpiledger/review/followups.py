"""Follow-ups in a review: a follow-up file this change hands in lands when it merges (taken
as now), so it is on time or late against its obligation's deadline (KPI741, a warning: late
is still better than never); and the rule events the change triggers that oblige someone to
hand something in are named with their deadline."""

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
from kpiledger.rules.obligations import start_of
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
