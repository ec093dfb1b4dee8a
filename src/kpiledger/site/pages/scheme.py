"""The scheme pages: the list of schemes, and one page a scheme as readable tables laid out
like the source documents (考核表): items with their scoring standard in words, then the
total, grades, money, the cross-period rules and the readings of the source (对原文的解读)."""

from __future__ import annotations

from kpiledger.model import Scheme
from kpiledger.site.pages.cells import person_link, scheme_link, unit_link
from kpiledger.site.pages.html import block, esc, heading, html_table, plain_title
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.scheme_text import method_text, num, when_text


def schemes_index(ix: SiteIndex) -> Page:
    """schemes/index.md: every scheme with its period kind and source document."""
    L, here = ix.L, "schemes/index.md"
    rows = [
        [
            scheme_link(ix, here, s.id),
            esc(s.id),
            esc(L.get(s.period_kind, s.period_kind)),
            esc(s.source),
        ]
        for s in ix.ledger.schemes.values()
    ]
    body = heading(1, esc(L["all_schemes"]), "schemes") + html_table(
        [L["scheme"], L["id"], L["period_kind"], L["source"]], rows
    )
    return Page(L["all_schemes"], body)


def scheme_page(ix: SiteIndex, sid: str) -> Page:
    """schemes/<id>.md: one scheme as readable tables."""
    s = ix.ledger.schemes[sid]
    return Page(plain_title(ix.scheme_title(s)), scheme_body(ix, s, f"schemes/{sid}.md"))


def scheme_body(ix: SiteIndex, s: Scheme, here: str) -> str:
    """A scheme's page body: its facts, items, total, grades, money and rules."""
    L = ix.L
    zh = ix.opt.lang != "en"
    parts = [heading(1, esc(ix.scheme_title(s)), "scheme")]
    info = [
        (L["id"], esc(s.id)),
        (L["source"], esc(s.source or "—")),
        (L["period_kind"], esc(L.get(s.period_kind, s.period_kind))),
    ]
    applies = []
    if s.applies_units:
        applies.append("、".join(unit_link(ix, here, u) for u in s.applies_units))
    if s.applies_titles:
        applies.append(esc("、".join(s.applies_titles)))
    if s.applies_people:
        applies.append("、".join(person_link(ix, here, p) for p in s.applies_people))
    if s.applies_assessee_units:
        applies.append("、".join(unit_link(ix, here, u) for u in s.applies_assessee_units))
    info.append((L["applies_to"], "；".join(applies) or "—"))
    if s.assessors:
        info.append(
            (
                L["assessors"],
                esc("，".join(f"{ix.roles.get(r, r)} {num(w)}" for r, w in s.assessors.items())),
            )
        )
        ma = s.missing_assessor
        info.append((L["missing_assessor"], esc(L.get(f"ma_{ma}", ma))))
    group = {
        "unit": "本部门" if zh else "own unit",
        "parent": "上级部门" if zh else "parent unit",
        "scheme": "本方案全体" if zh else "everyone under the scheme",
    }
    info.append((L["ranking_group"], esc(group.get(s.ranking_group, s.ranking_group))))
    info.append((L["precision"], esc(s.precision)))
    parts.append(html_table([L["field"], L["content"]], [[esc(k), v] for k, v in info]))

    parts.append(heading(2, esc(L["items"]), "items"))
    rows = []
    for n, item in enumerate(s.items, 1):
        size = (
            f"{esc(L['weight'])} {esc(num(item.weight))}%"
            if item.weight is not None
            else f"{esc(L['max'])} {esc(num(item.max))}"
            if item.max is not None
            else ""
        )
        definition = esc(item.definition)
        if item.veto:
            definition += (
                f"<br><strong>{esc(L['veto'])}</strong>："
                f"{esc(item.veto.when)} → {esc(L['total'])} "
                f"{esc(num(item.veto.total))}"
            )
        if item.zero_denominator is not None:
            zd = item.zero_denominator
            separator = ("；" if zh else "; ") if definition else ""
            definition += esc(
                separator
                + ("分母为 0 时：" if zh else "zero denominator: ")
                + ("不计入" if zh and zd == "skip" else num(zd))
            )
        rows.append(
            [
                str(n),
                esc(ix.title(item)),
                definition,
                esc("、".join(ix.roles.get(b, b) for b in item.by)),
                esc(L.get(f"in_{item.input}", item.input)),
                size,
                method_text(item, zh),
            ]
        )
    parts.append(
        html_table(
            [
                L["no"],
                L["item"],
                L["definition"],
                L["by"],
                L["input"],
                f"{L['weight']}/{L['max']}",
                L["method"],
            ],
            rows,
            cls="kpi-scheme",
        )
    )

    parts.append(heading(2, esc(L["total_rule"]), "total"))
    total = (
        f"<code>{esc(s.total_formula)}</code>"
        if s.total_formula
        else esc("各指标贡献之和（加分项另加）" if zh else "sum of contributions plus bonus points")
    )
    if s.total_max is not None:
        total += esc(f"，最高 {num(s.total_max)} 分" if zh else f", at most {num(s.total_max)}")
    parts.append(block(f"<p>{total}</p>"))
    if s.params:
        parts.append(
            html_table(
                [L["params"], L["value"]], [[esc(k), esc(num(v))] for k, v in s.params.items()]
            )
        )
    if s.grades:
        parts.append(heading(2, esc(L["grades"]), "grades"))
        parts.append(
            html_table(
                [L["grade"], L["min"]], [[esc(g.grade), f"≥ {esc(num(g.min))}"] for g in s.grades]
            )
        )
    if s.money and not ix.opt.public:
        parts.append(heading(2, esc(L["money"]), "money"))
        parts.append(
            html_table(
                [L["money"], L["formula"], L["range"]],
                [
                    [
                        esc(ix.title(m)),
                        f"<code>{esc(m.formula)}</code>",
                        esc(
                            f"{num(m.min) if m.min is not None else '—'} – "
                            f"{num(m.max) if m.max is not None else '—'}"
                        ),
                    ]
                    for m in s.money
                ],
            )
        )
    if s.rules:
        parts.append(heading(2, esc(L["rules"]), "rules"))
        rows = []
        for r in s.rules:
            outcome = esc(r.outcome)
            if r.amounts and not ix.opt.public:
                outcome += "<br>" + esc(
                    "，".join(
                        f"{'第' if zh else '#'}{k}{'名' if zh else ''} {num(v)}"
                        for k, v in sorted(r.amounts.items())
                    )
                )
            rows.append(
                [
                    esc(ix.title(r)),
                    esc(when_text(r.when, ix.opt.lang)),
                    esc(r.consecutive),
                    outcome,
                    esc(L.get(f"mi_{r.missing}", r.missing)),
                ]
            )
        parts.append(
            html_table([L["rule"], L["when"], L["consecutive"], L["outcome"], L["missing"]], rows)
        )
    if s.readings:
        parts.append(readings_section(ix, s))
    return "".join(parts)


def readings_section(ix: SiteIndex, s: Scheme) -> str:
    """对原文的解读: every ambiguous phrase of the source and the reading the scheme takes."""
    L = ix.L
    items = {i.id: i for i in s.items}
    rules = {r.id: r for r in s.rules}
    rows = []
    for r in s.readings:
        about = []
        if r.item is not None:
            about.append(ix.title(items[r.item]) if r.item in items else r.item)
        if r.rule is not None:
            about.append(ix.title(rules[r.rule]) if r.rule in rules else r.rule)
        reading = r.reading_en if ix.opt.lang == "en" and r.reading_en else r.reading
        rows.append([esc("、".join(about) or "—"), f"“{esc(r.quote)}”", esc(reading),
                     esc(r.alternative), esc(r.why)])
    return heading(2, esc(L["readings"]), "readings") + html_table(
        [L["concerns"], L["quote"], L["reading"], L["alternative"], L["why"]], rows
    )
