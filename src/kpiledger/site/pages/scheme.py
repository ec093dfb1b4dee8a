"""The scheme pages: the list of schemes, and one page a scheme as readable tables laid out
like the source documents (考核表): items with their scoring standard in words, then the
total, grades, money, the cross-period rules and the readings of the source (对原文的解读)."""

from __future__ import annotations

from kpiledger.model import Scheme, title_in
from kpiledger.model.formula import FormulaError, compile_formula
from kpiledger.site.pages.cells import person_link, scheme_link, unit_link
from kpiledger.site.pages.formula_words import scheme_names
from kpiledger.site.pages.html import block, esc, heading, html_table, plain_title
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.rules import rules_table
from kpiledger.site.pages.scheme_text import (
    formula_text,
    grade_ranges,
    method_text,
    num,
    range_text,
)


def schemes_index(ix: SiteIndex) -> Page:
    """schemes/index.md: every scheme with its period kind and source document."""
    L, here = ix.L, "schemes/index.md"
    rows = [
        [scheme_link(ix, here, s.id), esc(L.get(s.period_kind, s.period_kind)),
         ix.quoted(s.source)]
        for s in ix.ledger.schemes.values()
    ]
    body = heading(1, esc(L["all_schemes"]), "schemes") + html_table(
        [L["scheme"], L["period_kind"], L["source"]], rows
    )
    return Page(L["all_schemes"], body)


def scheme_page(ix: SiteIndex, sid: str) -> Page:
    """schemes/<id>.md: one scheme as readable tables."""
    s = ix.ledger.schemes[sid]
    return Page(plain_title(ix.scheme_title(s)), scheme_body(ix, s, f"schemes/{sid}.md"))


def scheme_body(ix: SiteIndex, s: Scheme, here: str) -> str:
    """A scheme's page body: its facts, items, total, grades, money and rules, in words:
    titles for ids, formulas as HR writes them (formula_words)."""
    L = ix.L
    zh = ix.opt.lang != "en"
    names = scheme_names(s, ix.opt.lang)
    parts = [heading(1, esc(ix.scheme_title(s)), "scheme")]
    info = [
        (L["source"], ix.quoted(s.source or "—")),  # a document's title, as printed
        (L["period_kind"], esc(L.get(s.period_kind, s.period_kind))),
    ]
    applies = []
    if s.applies_units:
        applies.append(ix.enum.join(unit_link(ix, here, u) for u in s.applies_units))
    if s.applies_titles:
        applies.append(esc(ix.enum.join(s.applies_titles)))
    if s.applies_people:
        applies.append(ix.enum.join(person_link(ix, here, p) for p in s.applies_people))
    if s.applies_assessee_units:
        applies.append(ix.enum.join(unit_link(ix, here, u) for u in s.applies_assessee_units))
    info.append((L["applies_to"], ix.sep.join(applies) or "—"))
    if s.assessors:
        info.append(
            (
                L["assessors"],
                esc(("，" if zh else ", ").join(
                    f"{ix.roles.get(r, r)} {num(w)}" for r, w in s.assessors.items())),
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
        # the source document's words, unless the scheme gives them in English
        definition = (esc(item.definition_en) if not zh and item.definition_en
                      else ix.quoted(item.definition))
        if item.veto:
            definition += (
                f"<br><strong>{esc(L['veto'])}</strong>{ix.colon}"
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
                esc(ix.enum.join(ix.roles.get(b, b) for b in item.by)),
                esc(L.get(f"in_{item.input}", item.input)),
                size,
                method_text(item, zh, names),
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
        esc(f"{L['total']} = {formula_text(s.total_formula, names, ix.opt.lang)}")
        if s.total_formula
        else esc("各指标贡献之和（加分项另加）" if zh else "sum of contributions plus bonus points")
    )
    if s.total_max is not None:
        total += esc(f"，最高 {num(s.total_max)} 分" if zh else f", at most {num(s.total_max)}")
    parts.append(block(f"<p>{total}</p>"))
    if s.params:
        parts.append(params_table(ix, s))
    if s.grades:
        parts.append(heading(2, esc(L["grades"]), "grades"))
        parts.append(
            html_table(
                [L["grade"], L["total_range"]],
                [[esc(g), esc(words)] for g, words in grade_ranges(s.grades, zh)],
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
                        esc(formula_text(m.formula, names, ix.opt.lang)),
                        esc(range_text(m.min, m.max, zh)),
                    ]
                    for m in s.money
                ],
            )
        )
    if s.rules:
        parts.append(heading(2, esc(L["rules"]), "rules"))
        parts.append(rules_table(ix, s))
    if s.readings:
        parts.append(readings_section(ix, s))
    return "".join(parts)


def params_table(ix: SiteIndex, s: Scheme) -> str:
    """The scheme's params: title, value as written (70% stays 70%) and unit, each with what
    uses it. The public edition lists only those its scores use, not pay (money) alone."""
    L = ix.L
    zh = ix.opt.lang != "en"
    users: dict[str, list[str]] = {}
    formulas = [(L["total"], s.total_formula or "")]
    formulas += [(ix.title(i), i.spec.get("formula", "")) for i in s.items if i.method == "formula"]
    scoring = len(formulas)
    formulas += [(ix.title(m), m.formula) for m in s.money]
    for n, (title, text) in enumerate(formulas):
        for name in _names(text):
            users.setdefault(name, []).append(title if n < scoring or not ix.opt.public else "")
    rows = []
    for key, value in s.params.items():
        used = [u for u in users.get(key, []) if u]
        if ix.opt.public and not used:
            continue
        info = s.param_info.get(key)
        shown = f"{num(value * 100)}%" if info is not None and info.percent else num(value)
        rows.append([
            esc(title_in(info, ix.opt.lang) if info is not None and info.title else "—"),
            esc(shown),
            esc("" if info is None else info.unit_en if not zh and info.unit_en else info.unit),
            esc(("、" if zh else ", ").join(dict.fromkeys(used))),
        ])
    if not rows:
        return ""
    return html_table([L["params"], L["param_value"], L["param_unit"], L["used_in"]], rows)


def _names(text: str) -> frozenset[str]:
    try:
        return compile_formula(text).names if text else frozenset()
    except FormulaError:
        return frozenset()


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
        en = ix.opt.lang == "en"
        rows.append([esc(ix.enum.join(about) or "—"), f"“{ix.quoted(r.quote)}”",
                     esc(r.reading_en if en and r.reading_en else r.reading),
                     esc(r.alternative_en if en and r.alternative_en else r.alternative),
                     esc(r.why_en if en and r.why_en else r.why)])
    return heading(2, esc(L["readings"]), "readings") + html_table(
        [L["concerns"], L["quote"], L["reading"], L["alternative"], L["why"]], rows
    )
