"""What the change moves: scores, ranks, grades and money before and after, the rule events
it triggers or clears, and the records it submits late (if merged now)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kpiledger.calendar import due_moment
from kpiledger.check.ledger import Context, Loaded
from kpiledger.evaluate import landings
from kpiledger.load.layout import parse_record_path
from kpiledger.review.findings import Change, Review, View
from kpiledger.rules.streaks import evaluate_rules
from kpiledger.score.lateness import Landing, days_late


def landing_times(
    root: Path,
    base_ctx: Context,
    head_ctx: Context,
    changed: dict[str, str],
    head_sha: str,
    now: dt.datetime | None,
) -> tuple[dict[str, Landing] | None, dict[str, Landing] | None]:
    """Landing times, only when a scheme deducts for lateness (one git pass): a changed record
    lands when this pull request merges, taken as now."""
    uses = any(s.deducts_lateness for ctx in (base_ctx, head_ctx) for s in ctx.schemes.values())
    if not uses:
        return None, None
    landed = landings(root) or {}
    moment = (now or dt.datetime.now(dt.UTC)).isoformat()
    head = dict(landed)
    for rel, status in changed.items():
        if status != "D":
            head[rel] = Landing(head_sha, moment)
    return head, landed


def compare(
    review: Review,
    base_ctx: Context,
    head_ctx: Context,
    before: list[View],
    after: list[View],
    changed: dict[str, str],
) -> None:
    """Note the results that moved and the rule events the change triggers or clears, for the
    assessees of the changed records and those whose results moved."""
    old = {(v["period"], v["scheme"], v["assessee"]): v for v in before}
    new = {(v["period"], v["scheme"], v["assessee"]): v for v in after}
    touched = {w.assessee for rel in changed if (w := parse_record_path(rel)) is not None}
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if _shown(a) != _shown(b):
            name = (b or a or {}).get("name", key[2])
            review.changes.append(Change(key[0], key[1], key[2], name, a, b))
            touched.add(key[2])
    if not touched:
        return
    ev_old = {_event_key(e): e for e in _events(base_ctx, before, touched)}
    ev_new = {_event_key(e): e for e in _events(head_ctx, after, touched)}
    review.triggered = [ev_new[k] for k in sorted(set(ev_new) - set(ev_old))]
    review.events_after = [ev_new[k] for k in sorted(ev_new)]
    review.cleared = [ev_old[k] for k in sorted(set(ev_old) - set(ev_new))]


def lateness(
    review: Review, ctx: Context, changed: dict[str, Loaded], now: dt.datetime | None
) -> None:
    """Records this change submits after their period's due time (if merged now)."""
    moment = (now or dt.datetime.now(dt.UTC)).isoformat()
    for rel in sorted(changed):
        where = parse_record_path(rel)
        period = ctx.calendar.periods.get(where.period) if where else None
        due = due_moment(period, ctx.calendar.timezone) if period else None
        if period is None or due is None:
            continue
        days = days_late(moment, due)
        if days > 0:
            review.late.append((review.prefix + rel, days, period.due or ""))


def _events(ctx: Context, views: list[View], touched: set[str]) -> list[dict[str, Any]]:
    """The rule events of the touched assessees. The others stay in only with what their
    group's places are computed from (period, scheme, group, rank): without a complete status
    no streak of theirs is walked, which is most of the work."""
    slim = [
        v if v["assessee"] in touched else
        {k: v[k] for k in ("period", "scheme", "assessee", "group", "rank", "of")}
        for v in views
    ]
    events, _ = evaluate_rules(slim, ctx.schemes, ctx.calendar)
    return [e for e in events if e["assessee"] in touched]


def _event_key(e: dict[str, Any]) -> tuple[Any, ...]:
    return (e["period"], e["scheme"], e["assessee"], e["rule"], tuple(e.get("periods", ())))


def _shown(v: View | None) -> tuple[Any, ...]:
    if v is None:
        return ()
    return (
        v["total"], v["rank"], v["of"], v["grade"], tuple(v["money"].items()), v["status"],
        v["failures"],
    )

