"""A scheme as readable tables, laid out like the source documents (考核表): items with their
scoring standard in words, then grades, money, ranking and the cross-period rules."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kpiledger.model import Item, Scheme
from kpiledger.site.pages import _when_text, block, esc, heading, html_table

if TYPE_CHECKING:
    from kpiledger.site.pages import Site

PERCENT_INPUTS = ("percent", "ratio")


def _num(x: Any) -> str:
    if isinstance(x, Decimal):
        return f"{x.normalize():f}" if x == x.to_integral() else f"{x:f}".rstrip("0")
    return str(x)


def method_text(item: Item, zh: bool) -> str:
    """The item's scoring standard in words (escaped HTML)."""
    pts = "分" if zh else " pts"
    spec = item.spec
    m = item.method
    if m == "bands":
        return "<br>".join(f"{esc(b.when)} → {esc(_num(b.points))}{pts}" for b in item.bands)
    if m == "levels":
        return "<br>".join(
            f"{esc(lv.level)}：{esc(_num(lv.points))}{pts}"
            + (f"（{esc(lv.text)}）" if lv.text else "")
            for lv in item.levels
        )
    if m == "linear":
        target = spec.get("target")
        shown = (
            f"{_num(target * 100)}%"
            if isinstance(target, Decimal) and item.input in PERCENT_INPUTS
            else _num(target)
        )
        if zh:
            return esc(
                f"得分 = {_num(spec['full'])} × 实际值 / 目标值（{shown}），"
                f"不低于 {_num(spec['floor'])}，不高于 {_num(spec['cap'])}"
            )
        return esc(
            f"points = {_num(spec['full'])} × value / target ({shown}), "
            f"between {_num(spec['floor'])} and {_num(spec['cap'])}"
        )
    if m == "deductions":
        lines = [esc(f"满分 {_num(spec['full'])} 分" if zh else f"full marks {_num(spec['full'])}")]
        names = spec.get("names") or {}
        for kind, v in spec.get("per", {}).items():
            amount = f"{_num(v[0])}–{_num(v[1])}" if isinstance(v, tuple) else _num(v)
            # the name the scheme gives the kind, and the id a record writes
            label = f"{names[kind]}（{kind}）" if kind in names else kind
            lines.append(esc(f"{label}：每次扣 {amount} 分" if zh else f"{label}: −{amount} each"))
        esc_spec = spec.get("escalate")
        if esc_spec and esc_spec.get("at") is not None:
            lines.append(
                esc(
                    f"同类 {_num(esc_spec['at'])} 次及以上 × {_num(esc_spec['factor'])}"
                    if zh
                    else f"{_num(esc_spec['at'])} or more of a kind × {_num(esc_spec['factor'])}"
                )
            )
        lines.append(
            esc(f"最低 {_num(spec['floor'])} 分" if zh else f"never below {_num(spec['floor'])}")
        )
        return "<br>".join(lines)
    if m == "bonus":
        cap = spec.get("cap")
        text = (
            (
                f"每 {_num(spec['every'])} 项加 {_num(spec['points'])} 分"
                + (f"，最多 {_num(cap)} 分" if cap is not None else "")
            )
            if zh
            else (
                f"+{_num(spec['points'])} per {_num(spec['every'])}"
                + (f", at most {_num(cap)}" if cap is not None else "")
            )
        )
        return esc(text)
    if m == "pass":
        text = (
            (
                f"合格 {_num(spec['pass_points'])} 分，不合格 {_num(spec['fail_points'])} 分"
                + ("；不合格顺延至下期直至合格" if spec.get("carry_over") else "")
            )
            if zh
            else (
                f"pass {_num(spec['pass_points'])}, fail {_num(spec['fail_points'])}"
                + ("; a failed item is due again next period" if spec.get("carry_over") else "")
            )
        )
        return esc(text)
    if m == "direct":
        return esc("直接打分" if zh else "points given directly")
    if m == "formula":
        return f"<code>{esc(spec.get('formula', ''))}</code>"
    return esc("仅作输入（供公式使用）" if zh else "input only (used by formulas)")


def scheme_body(site: Site, s: Scheme, here: str) -> str:
    L = site.L
    zh = site.opt.lang != "en"
    parts = [heading(1, esc(site.scheme_title(s)), "scheme")]
    info = [
        (L["id"], esc(s.id)),
        (L["source"], esc(s.source or "—")),
        (L["period_kind"], esc(L.get(s.period_kind, s.period_kind))),
    ]
    applies = []
    if s.applies_units:
        applies.append("、".join(site.unit_link(here, u) for u in s.applies_units))
    if s.applies_titles:
        applies.append(esc("、".join(s.applies_titles)))
    if s.applies_people:
        applies.append("、".join(site.person_link(here, p) for p in s.applies_people))
    if s.applies_assessee_units:
        applies.append("、".join(site.unit_link(here, u) for u in s.applies_assessee_units))
    info.append((L["applies_to"], "；".join(applies) or "—"))
    if s.assessors:
        info.append(
            (
                L["assessors"],
                esc("，".join(f"{site.roles.get(r, r)} {_num(w)}" for r, w in s.assessors.items())),
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
            f"{esc(L['weight'])} {esc(_num(item.weight))}%"
            if item.weight is not None
            else f"{esc(L['max'])} {esc(_num(item.max))}"
            if item.max is not None
            else ""
        )
        definition = esc(item.definition)
        if item.veto:
            definition += (
                f"<br><strong>{esc(L['veto'])}</strong>："
                f"{esc(item.veto.when)} → {esc(L['total'])} "
                f"{esc(_num(item.veto.total))}"
            )
        if item.zero_denominator is not None:
            zd = item.zero_denominator
            separator = ("；" if zh else "; ") if definition else ""
            definition += esc(
                separator
                + ("分母为 0 时：" if zh else "zero denominator: ")
                + ("不计入" if zh and zd == "skip" else _num(zd))
            )
        rows.append(
            [
                str(n),
                esc(site.title(item)),
                definition,
                esc("、".join(site.roles.get(b, b) for b in item.by)),
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
        total += esc(f"，最高 {_num(s.total_max)} 分" if zh else f", at most {_num(s.total_max)}")
    parts.append(block(f"<p>{total}</p>"))
    if s.params:
        parts.append(
            html_table(
                [L["params"], L["value"]], [[esc(k), esc(_num(v))] for k, v in s.params.items()]
            )
        )
    if s.grades:
        parts.append(heading(2, esc(L["grades"]), "grades"))
        parts.append(
            html_table(
                [L["grade"], L["min"]], [[esc(g.grade), f"≥ {esc(_num(g.min))}"] for g in s.grades]
            )
        )
    if s.money and not site.opt.public:
        parts.append(heading(2, esc(L["money"]), "money"))
        parts.append(
            html_table(
                [L["money"], L["formula"], L["range"]],
                [
                    [
                        esc(site.title(m)),
                        f"<code>{esc(m.formula)}</code>",
                        esc(
                            f"{_num(m.min) if m.min is not None else '—'} – "
                            f"{_num(m.max) if m.max is not None else '—'}"
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
            if r.amounts and not site.opt.public:
                outcome += "<br>" + esc(
                    "，".join(
                        f"{'第' if zh else '#'}{k}{'名' if zh else ''} {_num(v)}"
                        for k, v in sorted(r.amounts.items())
                    )
                )
            rows.append(
                [
                    esc(site.title(r)),
                    esc(_when_text(r.when, site.opt.lang)),
                    esc(r.consecutive),
                    outcome,
                    esc(L.get(f"mi_{r.missing}", r.missing)),
                ]
            )
        parts.append(
            html_table([L["rule"], L["when"], L["consecutive"], L["outcome"], L["missing"]], rows)
        )
    return "".join(parts)
