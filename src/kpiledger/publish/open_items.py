"""What is still open (未结事项), per person and per unit: re-tests carried over and not yet
passed (document 1), obligations not yet met (document 7's improvement plan), rewards not yet
marked paid, appeals waiting for HR's decision. Other kinds join through `extra`: functions
that take the `Basis` and the moment and return more `OpenItem`s.

Computed from results in the contract's shape (the results JSON, or `evaluate.rule_view`), so
`kpi status` and the site (which has the results document) say the same.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kpiledger.evaluate import landings_from, rule_view
from kpiledger.git.provenance import FileProvenance
from kpiledger.model import Ledger
from kpiledger.model.appeals import Appeal, open_appeals
from kpiledger.rules.carryover import pending_items
from kpiledger.rules.obligations import Obligation, Reward, obligations, rewards
from kpiledger.rules.streaks import item_passed, result_item

if TYPE_CHECKING:
    from kpiledger.pipeline import Evaluation

KINDS = {"retest": ("待复测", "re-test due"), "obligation": ("待提交", "to hand in"),
         "reward": ("待发放", "unpaid reward"), "appeal": ("待裁定", "appeal to decide")}


@dataclass(frozen=True)
class OpenItem:
    """One thing still open for an assessee."""

    assessee: str
    unit: str
    kind: str  # retest | obligation | reward | appeal (| more, from `extra`)
    period: str
    scheme: str
    zh: str
    en: str
    overdue: bool = False


@dataclass(frozen=True)
class Basis:
    """What open items are computed from."""

    ledger: Ledger
    results: Sequence[Mapping[str, Any]]  # the results contract's shape (items with values)
    events: Sequence[Mapping[str, Any]]
    provenance: Mapping[str, FileProvenance]

    @classmethod
    def of(cls, ev: Evaluation) -> Basis:
        return cls(ev.ledger, [rule_view(r) for r in ev.results.results], ev.results.events,
                   ev.provenance)


OpenSource = Callable[[Basis, dt.datetime], Iterable[OpenItem]]


def _unit(basis: Basis, aid: str) -> str:
    person = basis.ledger.org.people.get(aid)
    return person.unit if person else aid


def open_retests(basis: Basis) -> list[OpenItem]:
    """Carried-over items not passed since: the latest period they are carried into has no
    result saying they passed."""
    ledger = basis.ledger
    views = list(basis.results)  # read, never changed: no copies of 120,000 dicts
    # (assessee, scheme, item) → (the latest period it is carried into, since when)
    latest: dict[tuple[str, str, str], tuple[str, str]] = {}
    for (aid, sid, period), entries in pending_items(views, ledger.schemes,
                                                     ledger.calendar).items():
        for e in entries:
            key = (aid, sid, e["item"])
            if key not in latest or latest[key][0] < period:
                latest[key] = (period, e["since"])
    # the results those periods have, looked up only when something is carried at all
    wanted = {(aid, sid, period) for (aid, sid, _), (period, _) in latest.items()}
    by_key = {} if not wanted else {
        key: v for v in views if (key := (v["assessee"], v["scheme"], v["period"])) in wanted}
    out = []
    for (aid, sid, item_id), (period, since) in sorted(latest.items()):
        scheme = ledger.schemes[sid]
        item = scheme.item(item_id)
        result = by_key.get((aid, sid, period))
        if result is not None and item_passed(result_item(result, item_id), item) is True:
            continue
        title = item.title if item else item_id
        out.append(OpenItem(aid, _unit(basis, aid), "retest", period, sid,
                            f"{title}：{since} 起不合格，{period} 须复测，直至合格",
                            f"{title}: failed since {since}, re-test due in {period}"))
    return out


def obligation_item(basis: Basis, o: Obligation, now: dt.datetime) -> OpenItem:
    state = o.state(now)
    f = o.followup
    when = "" if o.due is None else o.due.astimezone(now.tzinfo).strftime("%Y-%m-%d %H:%M")
    zh = {"waiting": "未开始计时（通报尚未发布）", "open": f"截止 {when}",
          "overdue": f"已逾期（截止 {when}）"}.get(state, "")
    en = {"waiting": "not yet running (bulletin not published)", "open": f"due {when}",
          "overdue": f"overdue (due {when})"}.get(state, "")
    by = basis.ledger.org.name_of(o.owed_by) if o.owed_by else "组织架构未指定"
    return OpenItem(o.assessee, _unit(basis, o.assessee), "obligation", o.period, o.scheme,
                    f"{f.title}（{by}提交，{o.file}）：{zh}",
                    f"{f.title_en or f.title} (by {o.owed_by or 'nobody named'}, {o.file}): {en}",
                    overdue=state == "overdue")


def reward_item(basis: Basis, r: Reward) -> OpenItem:
    return OpenItem(r.assessee, _unit(basis, r.assessee), "reward", r.period, r.scheme,
                    f"{r.title}：{r.amount} 元未标记发放（{r.file}）",
                    f"{r.rule}: {r.amount} not marked paid ({r.file})")


def appeal_item(basis: Basis, a: Appeal) -> OpenItem:
    """An appeal still waiting for HR's decision (its reason stays on the appeal's own page)."""
    return OpenItem(a.assessee, _unit(basis, a.assessee), "appeal", a.period, a.scheme,
                    f"申诉待人力资源裁定（{a.file}）",
                    f"appeal waiting for HR's decision ({a.file})")


def open_items(basis: Basis, now: dt.datetime,
               extra: Iterable[OpenSource] = ()) -> list[OpenItem]:
    """Everything still open, sorted by unit, assessee, period."""
    landed = landings_from(basis.provenance)
    events = basis.events
    items = open_retests(basis)
    items += [obligation_item(basis, o, now) for o in obligations(basis.ledger, events,
                                                                        landed)
              if o.state(now) in ("waiting", "open", "overdue")]
    items += [reward_item(basis, r) for r in rewards(events, landed) if not r.paid]
    items += [appeal_item(basis, a) for a in open_appeals(basis.ledger.appeals, basis.ledger.org)]
    for source in extra:
        items += list(source(basis, now))
    return sorted(items, key=lambda i: (i.unit, i.assessee, i.period, i.kind, i.scheme, i.zh))


def grouped(items: Iterable[OpenItem], by: str) -> Mapping[str, list[OpenItem]]:
    """assessee or unit → its open items, in order."""
    out: dict[str, list[OpenItem]] = defaultdict(list)
    for i in items:
        out[i.assessee if by == "assessee" else i.unit].append(i)
    return dict(out)


def item_json(i: OpenItem) -> dict[str, Any]:
    return {"assessee": i.assessee, "unit": i.unit, "kind": i.kind, "period": i.period,
            "scheme": i.scheme, "text": i.zh, "text_en": i.en, "overdue": i.overdue}
