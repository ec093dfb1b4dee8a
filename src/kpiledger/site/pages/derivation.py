"""The derivation table on a person's page: for every period, each item's inputs as the
records give them, the rule applied, points and contribution, then comments and the commits
behind the records."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kpiledger.model import Item, Record
from kpiledger.score.failures import reason
from kpiledger.score.rule_en import english_item, item_words
from kpiledger.site.pages.cells import commit_html, period_link, scheme_link, status_text
from kpiledger.site.pages.html import esc, table_shell
from kpiledger.site.pages.index import SiteIndex
from kpiledger.site.pages.proof import signature_lines


def derivations(ix: SiteIndex, here: str, rows: list[dict[str, Any]], name_scheme: bool) -> str:
    """Every period's derivation in one table: a heading row per period (its total; the
    scheme when the person has several), the items, then comments and the commits behind
    the records. Grade, rank and money are in the summary table above. One table rather
    than 24 keeps a person's page a seventh smaller: the header and wrapper once."""
    L = ix.L
    body = []
    for r in rows:
        title = period_link(ix, here, r["period"])
        if name_scheme:
            title += f" · {scheme_link(ix, here, r['scheme'])}"
        anchor = esc(f"p-{r['period']}-{r['scheme']}")
        status = "" if r["status"] == "complete" else ix.paren(status_text(ix, r))
        body.append(
            f'<tr id="{anchor}"><th colspan="6">{title} — {esc(L["total"])} '
            f"{esc(r['total'] or '—')}{status}"
        )
        records = sorted(
            ix.records.get((r["period"], r["scheme"], r["assessee"]), []),
            key=lambda x: x.file,
        )
        notes = {} if ix.opt.public else _notes_by_item(ix, records)
        for it in r["items"]:
            item = ix.items_by_id.get((r["scheme"], it["id"]))  # its scheme's definition
            method = item.method if item else None
            # a weight is a percentage of the total (contribution = points × weight / 100)
            size = (
                f"{esc(it['weight'])}%"
                if it.get("weight") is not None
                else f"{esc(L['max'])} {esc(it['max'])}"
                if it.get("max") is not None
                else esc(L["bonus"])
                if method == "bonus"
                else ""
            )
            # the role is named only where several roles score the item
            shown = _inputs_html(ix, it["inputs"], named=len(it["by"]) > 1, item=item)
            shown += "".join(f"<br><small>{note}</small>" for note in notes.get(it["id"], []))
            cells = [
                esc(ix.title(item) if item else it["title"]),
                shown,
                esc(_rule_with_value(ix, it, item)),
                esc(it["points"] if it["points"] is not None else "—"),
                size,
                esc(it["contribution"] if it["contribution"] is not None else "—"),
            ]
            body.append("<tr>" + "".join(f"<td>{c}" for c in cells))
        if not ix.opt.public:
            # notes on ids that are not items of the scheme still show, never lost
            shown_ids = {it["id"] for it in r["items"]}
            stray = [
                f"<strong>{esc(L['notes'])}</strong> {esc(item_id)}{ix.colon}" + ix.sep.join(texts)
                for item_id, texts in sorted(notes.items())
                if item_id not in shown_ids
            ]
            body += [f'<tr><td colspan="6">{c}' for c in [*_comments(ix, records), *stray]]
        body += [f'<tr><td colspan="6">{c}' for c in _formula_notes(ix, r)]
        if records and ix.data.provenance_available:
            lines = "<br>".join(_provenance_lines(ix, records))
            body.append(f'<tr><td colspan="6" class="kpi-prov">{lines}')
    headers = [
        L["item"],
        L["inputs"],
        L["rule"],
        L["points"],
        f"{L['weight']}/{L['max']}",
        L["contribution"],
    ]
    return table_shell(headers, "".join(body), cls="kpi-derivation", search=False)


def _formula_notes(ix: SiteIndex, r: dict[str, Any]) -> list[str]:
    """Why the total or an amount was not computed (a formula failed while it ran), and which
    amounts publishing rounded (their exact values are what later amounts read). Money and
    the values read stay off the public site."""
    L, lines = ix.L, []
    for f in r.get("failures", []):
        if ix.opt.public and f["target"] != "total":
            continue
        target = f["target"]
        what = L["total"] if target == "total" else ix.money_titles.get(target, target)
        line = (
            f"<strong>{esc(L['not_computed'])}</strong> {esc(what)}{ix.colon}"
            f"{esc(reason(f['kind'], ix.opt.lang))} <code>{esc(f['code'])}</code>"
        )
        if not ix.opt.public:
            line += f"{ix.sep}{esc(L['values_read'])}{ix.colon}{esc(f['values'])}"
        lines.append(line)
    exact = {} if ix.opt.public else r.get("money_exact", {})
    if exact:
        shown = ix.sep.join(
            f"{esc(ix.money_titles.get(k, k))} {esc(v)} → {esc(r['money'].get(k, '—'))}"
            for k, v in exact.items()
        )
        lines.append(f"<small>{esc(L['rounded_once'])}{ix.colon}{shown}</small>")
    return lines


def _notes_by_item(ix: SiteIndex, records: list[Record]) -> dict[str, list[str]]:
    """Each record's note on an item, as HTML, next to that item's inputs (named by role
    when several records hold notes)."""
    out: dict[str, list[str]] = defaultdict(list)
    several = sum(1 for rec in records if rec.notes) > 1
    for rec in records:
        who = f"{esc(ix.roles.get(rec.role, rec.role))}{ix.colon}" if several else ""
        for item_id, note in rec.notes.items():
            out[item_id].append(who + ix.quoted(note))
    return out


def _comments(ix: SiteIndex, records: list[Record]) -> list[str]:
    """The records' comments, each with its author's role and name."""
    L = ix.L
    return [
        f"<strong>{esc(L['comment'])}</strong> "
        f"{esc(ix.roles.get(rec.role, rec.role))}"
        f"{ix.paren(esc(ix.name(rec.author)))}{ix.colon}{ix.quoted(rec.comment)}"
        for rec in records
        if rec.comment
    ]


def _inputs_html(ix: SiteIndex, inputs: dict[str, Any], named: bool, item: Item | None) -> str:
    """An item's inputs, one line per role (named when `named`): a deduction's kind and a
    rubric's level by the names the scheme gives them in the site's language."""
    kinds: dict[str, str] = {}
    if item is not None and item.method == "deductions":
        kinds = {k: item.kind_name(k, ix.opt.lang) for k in item.spec.get("per", {})}
    parts = []
    for role, raw in inputs.items():
        label = f"{esc(ix.roles.get(role, role))}{ix.colon}" if named else ""
        if item is not None and item.levels and isinstance(raw, str):
            raw = item.level_name(raw, ix.opt.lang)
        parts.append(f"{label}{_raw_html(ix, raw, kinds)}")
    return "<br>".join(parts)


def _rule_with_value(ix: SiteIndex, item: dict[str, Any], model: Item | None) -> str:
    """The rule applied; led by the measured value unless the rule text already shows it
    (bands read "X = 72.77%：75% > X ≥ 65% → 80分"). One column instead of two keeps a
    person's page small: 24 periods × 10 items are on it."""
    rule, value = item["rule"], item.get("value")
    if ix.opt.lang == "en":  # the scorer writes Chinese; its vocabulary in English
        rule = english_item(rule, ix.memo(("words", model.id, id(model)), item_words, model)
                            if model else ())
    if value is None or "=" in rule:
        return rule
    inputs = list(item["inputs"].values())
    if len(inputs) == 1 and not isinstance(inputs[0], dict | list) and str(inputs[0]) == value:
        return rule  # the input column already shows the value: "7" → "直接评分"
    return f"{ix.L['value']} {value}{ix.colon}{rule}"


def _raw_html(ix: SiteIndex, raw: Any, kinds: dict[str, str] | None = None) -> str:
    """A record's input as written; a deduction's kind by the name its scheme gives it."""
    kinds = kinds or {}
    if isinstance(raw, dict):
        if set(raw) >= {"numerator", "denominator"}:
            return f"{esc(raw['numerator'])} / {esc(raw['denominator'])}"
        if "kind" in raw:
            kind = raw["kind"]
            text = f"{esc(kinds.get(kind, kind) if isinstance(kind, str) else kind)}"
            text += f" × {esc(raw.get('count', 1))}"
            if raw.get("points") is not None:
                text += ix.paren(esc(raw["points"]))
            if raw.get("date"):
                text += f" {esc(raw['date'])}"
            if raw.get("reason") and not ix.opt.public:
                text += f"{ix.colon}{ix.quoted(raw['reason'])}"
            return text
        return ("，" if ix.opt.lang != "en" else ", ").join(
            f"{esc(k)}: {_raw_html(ix, v, kinds)}"
            for k, v in raw.items()
            if not (ix.opt.public and k == "reason")
        )
    if isinstance(raw, list):  # an empty list: nothing happened (no deductions)
        return "<br>".join(_raw_html(ix, x, kinds) for x in raw) or esc(ix.L["none"])
    if isinstance(raw, bool):
        return esc(ix.L["passed"] if raw else ix.L["failed"])
    return esc(raw)


def _provenance_lines(ix: SiteIndex, records: list[Record]) -> list[str]:
    """Per record: its file, author role and person, the commit that added it and the
    one that last changed it (linked to the file at that commit when configured)."""
    L = ix.L
    lines = []
    for rec in records:
        prov = ix.data.provenance.get(rec.file)
        head = (
            f"<code>{esc(ix.file_text(rec.file))}</code> "
            f"{esc(ix.roles.get(rec.role, rec.role))}{ix.colon}{esc(ix.name(rec.author))}"
        )
        if prov is None:
            lines.append(f"{head} · <em>{esc(L['not_committed'])}</em>")
            continue
        line = f"{head} · {esc(L['added'])} {commit_html(ix, prov.added, prov.repo_path)}"
        if prov.changed.sha != prov.added.sha:
            line += f" · {esc(L['changed'])} {commit_html(ix, prov.changed, prov.repo_path)}"
        lines.append(line)
        lines += signature_lines(ix, rec)
    return lines
