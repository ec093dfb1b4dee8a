"""Appeals (申诉) on the site: each appeal with the result it contests, its reason, when it
landed against its window (in the ledger's zone) and the assessee's own commit that proves
it; HR's decision with its reason, the decider's own commit, and the correction an upheld
appeal comes with. On the audit page (all of them) and on the person's page (theirs); left
out of the public edition, whose pages name no one (an appeal's reason is personal)."""

from __future__ import annotations

import datetime as dt

from kpiledger.check.appeals import appeal_deadline
from kpiledger.model.appeals import Appeal, open_appeals
from kpiledger.site.pages.cells import period_link, person_link, scheme_link
from kpiledger.site.pages.html import block, esc, heading, html_table
from kpiledger.site.pages.index import SiteIndex
from kpiledger.site.pages.proof import act_proof, unproven

FORMAT = "%Y-%m-%d %H:%M"


def _filed(ix: SiteIndex, a: Appeal) -> str:
    """When the appeal landed on the main branch, against its deadline, and its proof."""
    L = ix.L
    deadline = appeal_deadline(ix.ledger, a)
    parts = []
    prov = ix.data.provenance.get(a.file)
    if prov is not None:
        landed = dt.datetime.fromisoformat(prov.added.date)
        shown = landed.astimezone(deadline.tzinfo) if deadline else landed
        text = f"{esc(shown.strftime(FORMAT))} <code>{esc(prov.added.short)}</code>"
        if deadline is not None:  # late in words and colour, as an unproven act is
            late = landed > deadline
            text += " · " + (unproven(L["appeal_late"]) if late else esc(L["appeal_in_time"]))
        parts.append(text)
    if deadline is not None:
        parts.append(f"{esc(L['appeal_deadline'])}{ix.colon}{esc(deadline.strftime(FORMAT))}")
    parts.append(f"{esc(L['appeal_by'])}{ix.colon}{esc(ix.name(a.assessee))} · "
                 f"{act_proof(ix, a.file, a.assessee)}")
    return "<br>".join(parts)


def _decision(ix: SiteIndex, a: Appeal) -> list[str]:
    """The decision's cells: what, why, by whom with its proof, the correction."""
    L, x = ix.L, a.decision
    if x is None:
        return [f'<strong class="kpi-appeal-open">{esc(L["appeal_open"])}</strong>', "", "", ""]
    state = L.get(f"appeal_{x.decision}", x.decision)
    if x.decided_by in ix.org.hr:  # proven only by the decider's own commit to the file
        by = f"{esc(ix.name(x.decided_by))} · {act_proof(ix, x.file, x.decided_by)}"
    else:
        by = f"{esc(ix.name(x.decided_by))} · {unproven(L['proof_none'].format(who='HR'))}"
    fix = f"<code>{esc(ix.file_text(x.correction))}</code>" if x.correction else ""
    return [esc(state), esc(x.reason), by, fix]


def appeals_table(ix: SiteIndex, here: str, appeals: list[Appeal], with_person: bool) -> str:
    L = ix.L
    rows = []
    for a in appeals:
        items = ix.enum.join(a.items) if a.items else L["appeal_whole"]
        rows.append([
            period_link(ix, here, a.period),
            *([person_link(ix, here, a.assessee)] if with_person else []),
            scheme_link(ix, here, a.scheme),
            esc(items),
            esc(a.reason),
            _filed(ix, a),
            *_decision(ix, a),
        ])
    return html_table(
        [L["period"], *([L["assessee"]] if with_person else []), L["scheme"],
         L["appeal_items"], L["appeal_reason"], L["appeal_filed"], L["appeal_state"],
         L["decision_reason"], L["decided_by"], L["appeal_correction"]],
        rows, search=False,
    )


def appeals_section(ix: SiteIndex, here: str, appeals: list[Appeal], *,
                    with_person: bool = True, always: bool = True) -> str:
    """The appeals heading, words and table, newest period first ('' in the public edition,
    and when there are none and `always` is False)."""
    if ix.opt.public or (not appeals and not always):
        return ""
    L = ix.L
    waiting = open_appeals(appeals, ix.org)
    title = esc(L["appeals"]) + (f" · {esc(L['appeals_open_n'])} {len(waiting)}" if waiting
                                 else "")
    out = heading(2, title, "appeals")
    out += block(f"<p>{esc(L['appeals_intro'].format(tz=ix.ledger.calendar.timezone))}</p>")
    if not appeals:
        return out + block(f"<p>{esc(L['no_appeals'])}</p>")
    ordered = sorted(appeals, key=lambda a: (-ix.order.get(a.period, 0), a.file))
    return out + appeals_table(ix, here, ordered, with_person)
