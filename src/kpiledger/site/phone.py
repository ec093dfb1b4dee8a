"""The derivation table on a phone: below 600 px each row is a stack of labelled cells, so the
item, its inputs, the rule and the points never need sideways scrolling (a 390 px phone showed
a three-character input column before). A cell stays a block, its label beside it, so
the links, notes and line breaks inside it flow as before.

The labels come from the stylesheet (`::before` with the column's name), not from attributes
on every cell: a person's page holds 24 periods × 10 items × 6 cells, and the stylesheet is
written once per site, in the site's language. The theme's script wraps every table in a
scrolling box with negative margins (`md-typeset__scrollwrap`); a stacked table needs neither."""

from __future__ import annotations

import json

# the derivation's columns in order (site/pages/derivation.py `headers`); the fifth is
# weight or full marks, labelled by both
COLUMNS = ("item", "inputs", "rule", "points", None, "contribution")

_STACKED = """@media screen and (max-width:600px){
  .md-typeset .kpi-derivation{overflow-x:visible;background:none}
  .kpi-derivation .md-typeset__scrollwrap{margin:0;overflow-x:visible}
  .kpi-derivation .md-typeset__table{display:block;padding:0}
  .md-typeset .kpi-derivation table:not([class]),.kpi-derivation tbody,.kpi-derivation tr{
    display:block;width:100%;box-sizing:border-box}
  .kpi-derivation thead{position:absolute;width:1px;height:1px;overflow:hidden;
    clip:rect(0 0 0 0);white-space:nowrap}
  .md-typeset .kpi-derivation table:not([class]) tbody th{display:block;padding:.5em .6em}
  .md-typeset .kpi-derivation table:not([class]) td{display:block;position:relative;
    min-width:0;padding:.15em .6em .15em 6.4em;border-top:0;white-space:normal;
    overflow-wrap:anywhere}
  .md-typeset .kpi-derivation table:not([class]) td[colspan]{padding:.3em .6em}
  .kpi-derivation tbody tr{border-top:.05rem solid var(--md-typeset-table-color);
    padding:.3em 0}
  .kpi-derivation td:not([colspan])::before{position:absolute;left:.6em;width:5.4em;
    font-weight:700;color:var(--md-default-fg-color--light)}
/*labels*/
}
"""


def stacked_derivation_css(labels: dict[str, str]) -> str:
    """The phone rules for the derivation table, its cell labels in the site's language."""
    rules = []
    for n, key in enumerate(COLUMNS, start=1):
        text = labels[key] if key else f"{labels['weight']}/{labels['max']}"
        # json.dumps gives a double-quoted string CSS reads the same way (no quotes inside)
        rules.append(
            f"  .kpi-derivation td:not([colspan]):nth-child({n})::before"
            f"{{content:{json.dumps(text, ensure_ascii=False)}}}"
        )
    return _STACKED.replace("/*labels*/", "\n".join(rules))
