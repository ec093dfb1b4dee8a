"""The rules page (rules.md, under 规则与事件): made from the schemes in the ledger — each
scheme's cross-period rules with their conditions in words, outcomes and amounts, and the
items that carry over until passed — after a short note on how results are formed. Nothing
the ledger does not have. `rules_table` also serves each scheme's page."""

from __future__ import annotations

from kpiledger.model import Item, Scheme
from kpiledger.site.pages.cells import scheme_link, site_href
from kpiledger.site.pages.html import block, esc, heading, html_table, link
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.scheme_text import item_titles, num, when_text

_INTRO = {
    "zh": (
        "本页由账本中的考核方案生成，列出每个方案的跨期规则：某一条件在连续若干个考核期都成立时，"
        "产生规则的结论（事件）；再有一期成立即触发时，给出预警。已产生的事件和预警见{events}。",
        [
            "每个指标按方案的评分标准得分，总分、等级和金额按方案的规定计算，详见各{schemes}页。",
            "公布的数字按方案规定的小数位四舍五入（0.5 进位），只舍入一次。",
            "名次在排名组内按总分从高到低排列，同分者名次相同。",
            "已关闭考核期的记录只能通过更正记录修改，原记录保留；截止时间之后合入的记录为逾期。"
            "两者都列在{audit}页。",
        ],
    ),
    "en": (
        "This page is made from the ledger's schemes and lists each scheme's cross-period rules: "
        "when a condition holds in a run of consecutive periods, the rule's outcome follows (an "
        "event); one period short of that, a warning. Events and warnings so far: {events}.",
        [
            "Each item is scored by its scheme's standard; the total, grade and amounts follow "
            "the scheme (see the {schemes} pages).",
            "Published numbers are rounded half up, once, to the scheme's decimals.",
            "Places are by total within the ranking group, highest first; equal totals share "
            "a place.",
            "Records of a closed period change only through corrections, which keep the original; "
            "records merged after the due time are late. Both are on the {audit} page.",
        ],
    ),
}


def rules_page(ix: SiteIndex) -> Page:
    """rules.md: how results are formed, in brief, then every scheme's rules."""
    L, here = ix.L, "rules.md"
    lang = "en" if ix.opt.lang == "en" else "zh"
    links = {
        "events": link(site_href(ix, here, "events.md"), esc(L["events"])),
        "schemes": link(site_href(ix, here, "schemes/index.md"), esc(L["schemes"])),
        "audit": link(site_href(ix, here, "audit.md"), esc(L["audit"])),
    }
    intro, points = _INTRO[lang]
    parts = [
        heading(1, esc(L["rules"]), "rules"),
        block(f"<p>{_fill(intro, links)}</p><ul>"
              + "".join(f"<li>{_fill(p, links)}</li>" for p in points) + "</ul>"),
    ]
    with_rules = [s for s in ix.ledger.schemes.values() if s.rules or _carried(s)]
    for s in with_rules:
        parts.append(heading(2, scheme_link(ix, here, s.id), f"rules-{s.id}"))
        if s.rules:
            parts.append(rules_table(ix, s))
        carried = [ix.title(i) for i in _carried(s)]
        if carried:
            words = ("、" if lang == "zh" else ", ").join(carried)
            parts.append(block("<p>" + esc(
                f"不合格顺延至下期、直至合格的指标：{words}。" if lang == "zh"
                else f"Items that fall due again next period until passed: {words}."
            ) + "</p>"))
    if not with_rules:
        parts.append(block("<p>" + esc("账本中的方案没有跨期规则。" if lang == "zh"
                                       else "No scheme in the ledger has cross-period rules.")
                           + "</p>"))
    return Page(L["rules"], "".join(parts))


def rules_table(ix: SiteIndex, s: Scheme) -> str:
    """A scheme's cross-period rules: title, condition in words, how many periods running,
    outcome (and amounts by place, internal edition only), and what a missing period does."""
    L = ix.L
    zh = ix.opt.lang != "en"
    titles = item_titles(s, ix.opt.lang)
    rows = []
    for r in s.rules:
        outcome = esc(ix.rule_outcome(r))
        if r.amounts and not ix.opt.public:
            outcome += "<br>" + esc(
                "，".join(f"第{k}名 {num(v)}" for k, v in sorted(r.amounts.items())) if zh
                else ", ".join(f"place {k}: {num(v)}" for k, v in sorted(r.amounts.items()))
            )
        rows.append([
            esc(ix.title(r)),
            esc(when_text(r.when, ix.opt.lang, titles, s)),
            esc(_running(r.consecutive, zh)),
            outcome,
            # a missing period can break only a run of two or more
            esc(L.get(f"mi_{r.missing}", r.missing) if r.consecutive > 1 else "—"),
        ])
    return html_table([L["rule"], L["when"], L["consecutive"], L["outcome"], L["missing"]], rows)


def _running(n: int, zh: bool) -> str:
    """连续 3 期 / 当期 (a rule of one period fires in the period itself)."""
    if n == 1:
        return "当期即触发" if zh else "in the period itself"
    return f"连续 {n} 期" if zh else f"{n} in a row"


def _carried(s: Scheme) -> list[Item]:
    return [i for i in s.items if i.method == "pass" and i.spec.get("carry_over")]


def _fill(text: str, links: dict[str, str]) -> str:
    """Escaped text with the named links put in."""
    return esc(text).format(**links)
