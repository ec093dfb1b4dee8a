"""What a reader must notice first: events (a rule fired), warnings (one period short of
firing) and failing grades, as badges with colour *and* words, as sentences ("再一次倒数第一
（2026-07）将淘汰"), a person's summary and a period's "需要关注" list."""

from __future__ import annotations

from typing import Any

from kpiledger.model import Scheme
from kpiledger.rules.streaks import phrase
from kpiledger.site.pages.cells import (
    grade_text,
    money_ids,
    period_link,
    person_link,
    rank_text,
    scheme_link,
    site_href,
)
from kpiledger.site.pages.html import block, esc, heading, link
from kpiledger.site.pages.index import SiteIndex
from kpiledger.site.pages.proof import acknowledgement_html
from kpiledger.site.pages.scheme_text import item_titles, when_text


def failing_grade(scheme: Scheme | None, grade: str | None) -> bool:
    """The scheme's lowest grade (不合格, 不称职) when it has more than one: the grade a
    reader must not miss in a ranking."""
    if scheme is None or grade is None or len(scheme.grades) < 2:
        return False
    return grade == min(scheme.grades, key=lambda g: g.min).grade


def threshold(scheme: Scheme | None) -> float | None:
    """The total a rule of the scheme watches (total_below: 35), to mark on its charts."""
    if scheme is None:
        return None
    marks = [float(r.when["total_below"]) for r in scheme.rules if "total_below" in r.when]
    return max(marks) if marks else None


def _badge(kind: str, text: str, tip: str = "") -> str:
    title = f' title="{esc(tip)}"' if tip else ""
    return f'<span class="kpi-badge kpi-badge-{kind}"{title}>{esc(text)}</span>'


def badges(ix: SiteIndex, r: dict[str, Any]) -> str:
    """The badges of one result: events fired in its period, warnings, a failing grade."""
    key = (r["period"], r["scheme"], r["assessee"])
    out = [_badge("event", ix.outcome(e), event_words(ix, e)) for e in ix.events_at.get(key, ())]
    out += [
        _badge("warn", f"{ix.L['warning']}·{ix.outcome(w)}", warning_words(ix, w))
        for w in ix.warned_at.get(key, ())
    ]
    if failing_grade(ix.ledger.schemes.get(r["scheme"]), r.get("grade")):
        out.append(_badge("fail", ix.grade(r["scheme"], r["grade"])))
    return " ".join(out)


def event_words(ix: SiteIndex, e: dict[str, Any]) -> str:
    """An event as a sentence naming the totals behind it (the results' `detail`, or
    `detail_en` in the English edition)."""
    if ix.opt.lang != "en":
        return str(e.get("detail") or f"{e.get('title', e['rule'])} → {e['outcome']}")
    if e.get("detail_en"):
        return str(e["detail_en"])
    rule = ix.rules.get((e["scheme"], e["rule"]))  # results published before detail_en
    title = ix.title(rule) if rule else e["rule"]
    return f"{', '.join(e.get('periods', []))}: {title} → {ix.outcome(e)}"


def warning_words(ix: SiteIndex, w: dict[str, Any]) -> str:
    """再一次倒数第一（2026-07）将淘汰 / one more period of last place (2026-07) → 淘汰."""
    rule = ix.rules.get((w["scheme"], w["rule"]))
    scheme = ix.ledger.schemes.get(w["scheme"])
    if ix.opt.lang == "en":
        cond = when_text(rule.when, "en", item_titles(scheme, "en"), scheme) if rule else w["rule"]
        return f"one more period with {cond} ({w['period']}) → {ix.outcome(w)}"
    cond = phrase(rule, scheme) if rule and scheme else w.get("title", w["rule"])
    return f"再一次{cond}（{w['period']}）将{w['outcome']}"


def person_summary(ix: SiteIndex, here: str, rows: list[dict[str, Any]]) -> str:
    """The person's latest result per scheme, what fired then and what they are warned of."""
    L = ix.L
    latest: dict[str, dict[str, Any]] = {}
    for r in rows:  # rows in period order: the last one per scheme wins
        latest[r["scheme"]] = r
    items = []
    for sid, r in latest.items():
        facts = [
            f"{esc(L['total'])} <strong>{esc(r['total'] or '—')}</strong>",
            f"{esc(L['rank'])} {esc(rank_text(r))}",
            f"{esc(L['grade'])} {grade_text(ix, r)}",
            *[
                f"{esc(ix.money_titles.get(m, m))} {esc(r['money'][m])}"
                for m in money_ids(ix, [r])
            ],
        ]
        ack = acknowledgement_html(ix, r)
        if ack:
            facts.append(f"{esc(L['ack'])}{ix.colon}{ack}")
        head = f"{scheme_link(ix, here, sid)} · {period_link(ix, here, r['period'])}"
        items.append(f"<li>{head}{ix.colon}{ix.sep.join(facts)} {badges(ix, r)}</li>")
    aid = rows[-1]["assessee"]
    fired = [e for e in ix.events_by_assessee.get(aid, ()) if latest.get(e["scheme"], {}).get(
        "period") == e["period"]]
    warned = [w for w in ix.warnings if w["assessee"] == aid]
    notes = [f'<li class="kpi-alert-event">{esc(L["fired"])}{ix.colon}{esc(event_words(ix, e))}'
             "</li>" for e in fired]
    notes += [f'<li class="kpi-alert-warn">{esc(L["warning"])}{ix.colon}'
              f"{esc(warning_words(ix, w))}</li>" for w in warned]
    older = len(ix.events_by_assessee.get(aid, ())) - len(fired)
    if older > 0:
        notes.append(f'<li><a href="#events">{esc(L["earlier_events"].format(n=older))}</a></li>')
    return block(
        f'<section class="kpi-summary" aria-label="{esc(L["summary"])}"><ul>{"".join(items)}</ul>'
        + (f'<ul class="kpi-alerts">{"".join(notes)}</ul>' if notes else "")
        + "</section>"
    )


def period_attention(ix: SiteIndex, here: str, pid: str, level: int = 2,
                     limit: int | None = None) -> str:
    """Who fired a rule in this period and who is one period short of one: events first;
    with `limit`, that many lines and a link to the period's whole list (the home page: at
    10,000 people a period has a thousand)."""
    L = ix.L
    fired = [e for e in ix.events if e["period"] == pid]
    warned = [w for w in ix.warnings if (w.get("periods") or [w["period"]])[-1] == pid]
    parts = [heading(level, esc(L["attention"]), "attention")]
    if not fired and not warned:
        return "".join(parts) + block(f"<p>{esc(L['no_attention'])}</p>")
    shown = len(fired) + len(warned) if limit is None else limit
    # every item closed: MkDocs' search parser rescans the open ones for each piece of text
    lines = [
        f'<li class="kpi-alert-event">{person_link(ix, here, e["assessee"])} '
        f'{_badge("event", ix.outcome(e))}{ix.colon}{esc(event_words(ix, e))}</li>'
        for e in fired[:shown]
    ]
    lines += [
        f'<li class="kpi-alert-warn">{person_link(ix, here, w["assessee"])} '
        f'{_badge("warn", L["warning"])}{ix.colon}{esc(warning_words(ix, w))}</li>'
        for w in warned[: shown - len(lines)]
    ]
    rest = len(fired) + len(warned) - len(lines)
    if rest > 0:
        whole = site_href(ix, here, f"periods/{pid}.md") + "#attention"
        lines.append(f"<li>{link(whole, esc(L['attention_more'].format(n=rest)))}</li>")
    return "".join(parts) + block(f'<ul class="kpi-attention">{"".join(lines)}</ul>')
