"""Submission pages (forms/<period>/<unit>.md; submit/ is the hand-written guide): for each
open period and unit, the records its assessor still owes as a form, and the unit's Excel
sheet to download.

The form is made here from the scheme and the org chart (names, item titles, allowed levels);
`assets/kpiledger/submit.js` reads it in the browser, validates each record against
schemas/record.schema.json and the scheme's items (ajv, vendored in site/static), fills the
`kpi new` skeleton's nulls and hands each file to the forge's "new file" page
(forge.forges.new_file_url). Not in the public edition: it names people and their ids.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any

from kpiledger.authoring.submit_data import (
    ROLE,
    Blank,
    Control,
    blanks,
    role_title,
    unit_workbook,
)
from kpiledger.check.records import items_for
from kpiledger.forge.forges import FORGES
from kpiledger.model import Period
from kpiledger.publish.status import open_periods
from kpiledger.site.pages.cells import site_href
from kpiledger.site.pages.html import block, esc, heading, html_table, link, page_url
from kpiledger.site.pages.index import Page, SiteIndex
from kpiledger.site.pages.submit_words import WORDS, item_schema

ASSETS = "assets/kpiledger"
_HAN = re.compile(r"[\u3400-\u9fff]")
# one column on a phone; label, control and hint side by side from 760 px
FORM_CSS = """.kpi-submit fieldset{border:1px solid var(--md-default-fg-color--lighter);
  border-radius:.3em;margin:1em 0;padding:.4em .8em;min-width:0}
.kpi-submit legend{font-weight:700;padding:0 .3em}
.md-typeset .kpi-submit small{font-weight:400;color:#595959;opacity:1}
.md-typeset .kpi-submit p.kpi-who{margin:.2em 0;color:#595959}
.kpi-field{margin:.6em 0}
.kpi-field>label,.kpi-field>.kpi-label{display:block;font-weight:700}
.kpi-field>small{display:block}
.kpi-submit input[type=text],.kpi-submit select{font:inherit;padding:.3em .4em;max-width:100%;
  border:1px solid #767676;border-radius:.2em;background:var(--md-default-bg-color)}
.kpi-submit input[type=text]{width:10em}
.kpi-field[data-item=comment] input[type=text]{width:100%}
.kpi-ratio input[type=text]{width:6em}
.kpi-kinds{display:flex;flex-wrap:wrap;gap:.3em 1em}
.kpi-kind label{margin-right:.3em}
.kpi-kind input[type=text]{width:4em}
.md-typeset .kpi-error{color:#b00020;font-weight:700;margin:.2em 0}
.kpi-invalid input,.kpi-invalid select{border-color:#b00020;border-width:2px}
.md-typeset pre.kpi-yaml{white-space:pre-wrap;word-break:break-all;font-size:.7rem;
  max-height:16em;overflow:auto;background:var(--md-code-bg-color);padding:.5em}
.md-typeset .kpi-file .md-button{margin:.2em .4em .2em 0}
@media screen and (min-width:760px){
  .kpi-field{display:grid;grid-template-columns:14em 1fr;column-gap:1em}
  .kpi-field>small,.kpi-field>.kpi-error{grid-column:2}
}
"""


def submit_plan(ix: SiteIndex) -> dict[tuple[str, str], list[Blank]]:
    """(period, unit) → the records still missing, for every open period."""
    if ix.opt.public:
        return {}
    out: dict[tuple[str, str], list[Blank]] = {}
    for p in open_periods(ix.ledger):
        for unit, found in sorted(blanks(ix.ledger, p.id).items()):
            out[(p.id, unit)] = found
    return out


def workbooks(ix: SiteIndex, plan: dict[tuple[str, str], list[Blank]]) -> dict[str, bytes]:
    """Site path → the unit's Excel sheet for the period."""
    return {f"forms/{pid}/{unit}.xlsx": unit_workbook(ix.ledger, pid, found)
            for (pid, unit), found in plan.items()}


def submit_pages(ix: SiteIndex, plan: dict[tuple[str, str], list[Blank]]) -> dict[str, Page]:
    """The index of submission pages and one page per open period and unit."""
    if not plan:
        return {}
    W = WORDS["en" if ix.opt.lang == "en" else "zh"]
    here = "forms/index.md"
    rows = []
    for (pid, unit), found in plan.items():
        p = ix.ledger.calendar.periods[pid]
        rows.append([esc(pid), esc(ix.unit_name(unit)), str(len(found)), esc(p.due or ""),
                     link(site_href(ix, here, f"forms/{pid}/{unit}.md"), esc(W["open"]))])
    pages = {here: Page(W["index_title"], heading(1, esc(W["index_title"]), "submit")
                        + block(f"<p>{esc(W['index_note'])}</p>")
                        + html_table([W["period"], W["unit"], W["count"], W["due"], ""], rows,
                                     search=False))}
    for (pid, unit), found in plan.items():
        src = f"forms/{pid}/{unit}.md"
        pages[src] = unit_form(ix, src, ix.ledger.calendar.periods[pid], unit, found, W)
    return pages


def _asset(src: str, name: str, directory_urls: bool) -> str:
    """Relative URL from page `src` to a file under the site's top."""
    url = page_url(src, directory_urls)
    folder = url.rsplit("/", 1)[0] if "/" in url else ""
    return posixpath.relpath(name, folder or ".")


def forge_target(ix: SiteIndex) -> dict[str, str] | None:
    """Where the browser hands files to: the forge's new-file page, or None (no repo_url)."""
    o = ix.opt
    if not o.repo_url or not o.forge or o.forge not in FORGES:
        return None
    f = FORGES[o.forge]
    return {"title": f.title, "new": f.new_file.format(repo=o.repo_url.rstrip("/"),
                                                      branch=o.branch)}


def unit_form(ix: SiteIndex, src: str, p: Period, unit: str, found: list[Blank],
              W: dict[str, str]) -> Page:
    title = f"{W['title']} {p.id} {ix.unit_name(unit)}"
    d = ix.opt.use_directory_urls
    sheet = _asset(src, f"forms/{p.id}/{unit}.xlsx", d)
    due = f"{W['due']} {esc(p.due)}{ix.paren(esc(ix.ledger.calendar.timezone))}" if p.due else ""
    target = forge_target(ix)
    parts = [
        heading(1, esc(title), "submit"),
        block(f"<p>{esc(W['window'])} {esc(p.start)} {esc(W['to'])} {esc(p.end)}{ix.sep}{due}"
              f"</p><p>{esc(W['intro'])}</p>"),
        heading(2, esc(W["excel"]), "excel"),
        block(f'<p><a href="{esc(sheet)}" download>{esc(W["excel_link"])}</a>'
              f"{ix.colon}{esc(W['excel_note'])}</p>"),
        heading(2, esc(W["form"]), "form"),
        block(f"<p>{esc(W['form_note'] if target else W['form_note_local'])}</p>"),
    ]
    records = []
    fields = []
    for k, b in enumerate(found):
        fields.append(_fieldset(ix, k, b, W))
        records.append({
            "path": ix.opt.ledger_prefix + b.rel, "file": b.rel.rsplit("/", 1)[-1],
            "name": ix.name(b.assessee), "text": b.text, "base": b.base,
            "controls": [c.as_json(ix.opt.lang) for c in b.controls],
            "schema": item_schema(b.controls),
        })
    data = {"words": W, "forge": target, "records": records}
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    parts.append(
        f'\n\n<form id="kpi-submit" class="kpi-submit" novalidate>{"".join(fields)}'
        f'<p><button type="submit" class="md-button md-button--primary">{esc(W["make"])}'
        f'</button></p><div id="kpi-submit-out" aria-live="polite"></div></form>'
        f'<script type="application/json" id="kpi-submit-data">{payload}</script>'
        f'<script src="{esc(_asset(src, ASSETS + "/ajv2020.min.js", d))}"></script>'
        f'<script src="{esc(_asset(src, ASSETS + "/record-schema.js", d))}"></script>'
        f'<script src="{esc(_asset(src, ASSETS + "/submit.js", d))}"></script>\n\n')
    return Page(title, "".join(parts))


def _fieldset(ix: SiteIndex, k: int, b: Blank, W: dict[str, str]) -> str:
    scheme = ix.ledger.schemes[b.scheme]
    legend = (f"{esc(ix.name(b.assessee))}<small>{ix.paren(ix.quoted(ix.scheme_title(scheme)))}"
              f"</small>")
    who = (f"{esc(W['author'])}{ix.colon}{esc(ix.name(b.author))}"
           f"{ix.paren(esc(role_title(ix.opt.lang)))}")
    items = items_for(scheme, ROLE, None)
    inner = "".join(_control(ix, f"r{k}-{c.id}", c, ix.quoted(ix.title(items[c.id])), W)
                    for c in b.controls)
    comment = (f'<div class="kpi-field" data-item="comment"><label for="r{k}-comment">'
               f'{esc(W["comment"])}</label><input type="text" id="r{k}-comment" '
               f'maxlength="500" autocomplete="off"></div>')
    return (f'<fieldset class="kpi-record" data-record="{k}"><legend>{legend}</legend>'
            f'<p class="kpi-who">{who}</p><p class="kpi-error" data-for="record" role="alert" '
            f'hidden></p>{inner}{comment}</fieldset>')


def _control(ix: SiteIndex, fid: str, c: Control, title: str, W: dict[str, str]) -> str:
    """One item's label, control, hint and (hidden) problem; `title` is HTML already."""
    en = ix.opt.lang == "en"
    label = f'<label for="{fid}">{title}</label>'
    hint = (f'<small id="{fid}-hint">{esc(W["fill"])}'
            f'{ix.quoted(c.hint_en if en else c.hint)}</small>')
    described = f'aria-describedby="{fid}-hint {fid}-err"'
    if c.input in ("level", "pass"):
        words = [o["label"] for o in c.options]
        if c.input == "pass" and en:
            words = ["Pass", "Fail"]
        opts = "".join(
            f'<option value="{n}"{_zh(en, w)}>{esc(w)}</option>' for n, w in enumerate(words))
        box = (f'<select id="{fid}" {described}><option value="">{esc(W["choose"])}</option>'
               f"{opts}</select>")
    elif c.input == "ratio":
        named = _zh(en, c.title)  # the aria-label names the item: Chinese marked as such
        box = (f'<span class="kpi-ratio"><input type="text" inputmode="decimal" id="{fid}" '
               f'data-part="numerator" aria-label="{esc(c.title)} {esc(W["numerator"])}"'
               f'{named} {described}> / <input type="text" inputmode="decimal" '
               f'data-part="denominator" aria-label="{esc(c.title)} {esc(W["denominator"])}"'
               f'{named} {described}></span>')
        label = f'<label for="{fid}">{title}<small>{ix.paren(esc(W["ratio"]))}</small></label>'
    elif c.input == "occurrences":
        rows = "".join(
            f'<span class="kpi-kind"><label for="{fid}-{esc(kd["id"])}">'
            f'{ix.quoted(kd["label"])}</label><input type="text" inputmode="numeric" '
            f'id="{fid}-{esc(kd["id"])}" data-kind="{esc(kd["id"])}" placeholder="0" '
            f'{described}></span>' for kd in c.kinds)
        box = f'<span class="kpi-kinds" id="{fid}">{rows}</span>'
        label = (f'<span class="kpi-label">{title}<small>{ix.paren(esc(W["times"]))}</small>'
                 f"</span>")
    else:
        mode = "numeric" if c.input == "count" else "decimal"
        unit = '<span class="kpi-suffix">%</span>' if c.input == "percent" else ""
        box = (f'<input type="text" inputmode="{mode}" id="{fid}" autocomplete="off" '
               f"{described}>{unit}")
    return (f'<div class="kpi-field" data-item="{esc(c.id)}" data-input="{esc(c.input)}">'
            f'{label}<div class="kpi-control">{box}</div>{hint}'
            f'<p class="kpi-error" id="{fid}-err" role="alert" hidden></p></div>')


def _zh(en: bool, text: str) -> str:
    """` lang="zh"` on an element of the English edition that shows Chinese."""
    return ' lang="zh"' if en and _HAN.search(text) else ""


def asset_files() -> dict[str, Any]:
    """Site path → content of the script files every submission page loads."""
    from importlib.resources import files

    static = files("kpiledger.site") / "static"
    schema = (files("kpiledger") / "schemas" / "record.schema.json").read_text(encoding="utf-8")
    return {
        f"{ASSETS}/ajv2020.min.js": (static / "ajv2020.min.js").read_text(encoding="utf-8"),
        f"{ASSETS}/ajv.LICENSE.txt": (static / "ajv.LICENSE").read_text(encoding="utf-8"),
        f"{ASSETS}/submit.js": (static / "submit.js").read_text(encoding="utf-8"),
        # the checker's own schema, unchanged, as a script (no fetch: works from any folder)
        f"{ASSETS}/record-schema.js": "window.KPI_RECORD_SCHEMA = " + schema.strip() + ";\n",
    }
