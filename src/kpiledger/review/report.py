"""The Markdown summary of a review, for a pull request's check page ($GITHUB_STEP_SUMMARY):
the verdict, refusals, deletes, problems, moved scores and ranks, rule events, late
submissions and the changed files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpiledger.model import Scheme, title_in
from kpiledger.review.findings import Review, View
from kpiledger.score.failures import failure_code, reason


def _md(text: Any) -> str:
    """User text made safe inside a Markdown table cell."""
    s = "" if text is None else str(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return s.replace("|", "\\|").replace("\n", " ")


def _arrow(a: Any, b: Any) -> str:
    a = "—" if a in (None, "") else a
    b = "—" if b in (None, "") else b
    return _md(a) if a == b else f"{_md(a)} → {_md(b)}"


def _scheme_title(schemes: Mapping[str, Scheme], scheme: str, lang: str) -> str:
    return title_in(schemes[scheme], lang) if scheme in schemes else scheme


def _money_md(v: View | None, schemes: Mapping[str, Scheme], lang: str) -> str | None:
    """Amounts, then what could not be computed and why: `奖金 —（除数为零 KPI504）`."""
    if v is None:
        return None
    scheme = schemes.get(v["scheme"])
    titles = {m.id: title_in(m, lang) for m in scheme.money} if scheme else {}
    titles["total"] = "total" if lang == "en" else "总分"
    parts = [f"{titles.get(k, k)} {x}" for k, x in v["money"].items()]
    parts += [f"{titles.get(f.target, f.target)} —（{reason(f.kind, lang)} {failure_code(f)}）"
              for f in v["failures"]]
    return ", ".join(parts)


def _rule_title(schemes: Mapping[str, Scheme], event: dict[str, Any], lang: str) -> str:
    scheme = schemes.get(event["scheme"])
    rules = {r.id: r for r in scheme.rules} if scheme else {}
    rule = rules.get(event["rule"])
    return title_in(rule, lang) if rule else str(event["rule"])


def _place(v: View | None) -> str | None:
    return None if v is None or v["rank"] is None else f"{v['rank']}/{v['of']}"


def render(review: Review, lang: str = "zh") -> str:
    """The summary in `lang` (zh or en; headings are in both)."""
    en = lang == "en"
    head = f"`{review.base[:10]}`…`{review.head[:10]}`"
    lines = [f"## kpi review {head}", ""]
    errors = sum(1 for x in review.diagnostics if x.severity == "error")
    if review.failed:
        lines.append(
            f"**❌ {len(review.refusals)} refused, {errors} errors**" if en
            else f"**❌ 拒绝 {len(review.refusals)} 项，错误 {errors} 个**"
        )
    else:
        lines.append("**✅ OK to merge**" if en else "**✅ 可以合并**")
    lines.append("")
    if review.refusals:
        lines += ["### 拒绝 / Refused", "", "| 文件 / where | 原因 / why | 应由 / instead |",
                  "|---|---|---|"]
        for r in review.refusals:
            why, instead = (r.why_en, r.instead_en) if en else (r.why_zh, r.instead_zh)
            lines.append(f"| `{_md(r.where)}` | {_md(why)} | {_md(instead)} |")
        lines.append("")
    if review.deleted:
        lines += ["### 删除的文件 / Deleted files", ""]
        lines += [f"- `{_md(p)}`" for p in review.deleted] + [""]
    if review.diagnostics:
        lines += ["### 问题 / Problems", ""]
        for x in review.diagnostics:
            level = "error" if x.severity == "error" else "warning"
            lines.append(
                f"- `{_md(review.prefix + x.file)}:{x.line or 1}:{x.column or 1}` "
                f"{x.code} ({level}) {_md(x.message(lang))}"
            )
        lines.append("")
    if review.changes:
        lines += [
            "### 分数与名次 / Scores and ranks",
            "",
            "| 考核期 / period | 方案 / scheme | 被考核人 / assessee | 总分 / total | "
            "名次 / rank | 等级 / grade | 金额 / money |",
            "|---|---|---|---|---|---|---|",
        ]
        for c in review.changes:
            a, b = c.before, c.after
            ta, tb = (a or {}).get("total"), (b or {}).get("total")
            ma, mb = _money_md(a, review.schemes, lang), _money_md(b, review.schemes, lang)
            scheme = _scheme_title(review.schemes, c.scheme, lang)
            lines.append(
                f"| {_md(c.period)} | {_md(scheme)} | {_md(c.assessee)} {_md(c.name)} | "
                f"{_arrow(ta, tb)} | {_arrow(_place(a), _place(b))} | "
                f"{_arrow((a or {}).get('grade'), (b or {}).get('grade'))} | {_arrow(ma, mb)} |"
            )
        lines.append("")
    if review.triggered or review.cleared:
        lines += ["### 规则事件 / Rule events", ""]
        for label, events in (("触发 / triggered", review.triggered),
                              ("解除 / cleared", review.cleared)):
            for e in events:
                lines.append(
                    f"- **{label}** {_md(e['period'])} {_md(e['assessee'])} "
                    f"{_md(_rule_title(review.schemes, e, lang))} {_md(e.get('outcome'))}: "
                    f"{_md(e.get('detail'))}"
                )
        lines.append("")
    if review.late:
        lines += ["### 迟交 / Late submissions", ""]
        for path, days, due in review.late:
            lines.append(
                f"- `{_md(path)}`: {days} day(s) after the due time {_md(due)}" if en
                else f"- `{_md(path)}`：晚于截止时间 {_md(due)} {days} 天"
            )
        lines.append("")
    if review.followups:
        lines += ["### 后续事项 / Follow-ups", ""]
        lines += [f"- {_md(en if lang == 'en' else zh)}" for zh, en in review.followups] + [""]
    lines += ["### 变更的文件 / Changed files", ""]
    lines += [f"- {s} `{_md(p)}`" for s, p in review.changed] or ["- (none)"]
    if review.outside:
        lines += ["", "账本以外的文件（仅维护者可改）/ outside the ledger (maintainers only):", ""]
        lines += [f"- `{_md(p)}`" for p in review.outside]
    lines += ["", f"<sub>{review.seconds:.2f} s</sub>", ""]
    return "\n".join(lines)

