"""The site's own style sheet (assets/kpiledger.css): figures, derivation tables, badges and
the phone layout, on top of the theme's."""

from __future__ import annotations

CSS = """.md-typeset figure.kpi-figure{margin:0.5em 0;display:block;width:100%;max-width:640px}
.kpi-figure svg{display:block;width:100%;height:auto}
.kpi-figure figcaption{font-size:0.75em;color:var(--md-default-fg-color--light)}
.kpi-derivation td{vertical-align:top}
.md-typeset .kpi-derivation table th{min-width:0}
.md-typeset .kpi-derivation tbody th{background:var(--md-default-fg-color--lightest);
  border-top:2px solid var(--md-default-fg-color--lighter);text-align:left}
.kpi-derivation td:first-child{min-width:6em}
.kpi-derivation td:nth-child(3){min-width:14em}
.kpi-derivation td:nth-child(n+4){white-space:nowrap}
.md-typeset .kpi-derivation small{font-size:.9em;color:#595959;opacity:1}
.md-typeset .kpi-derivation td.kpi-prov{font-size:.85em;color:var(--md-default-fg-color--light)}
.md-typeset .kpi-table{display:block;max-width:100%;overflow-x:auto}
.kpi-table td{white-space:normal}
.kpi-table code{white-space:nowrap}
.kpi-search-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.md-typeset h1 small{font-size:0.6em;color:#595959;opacity:1}
.md-copyright{color:rgba(255,255,255,.85)}
.kpi-badge{display:inline-block;padding:0 .4em;margin:0 .15em;border-radius:.3em;
  font-size:.85em;font-weight:700;white-space:nowrap;border:1px solid}
.kpi-badge-event{background:#fde0dc;color:#8e0000;border-color:#c62828}
.kpi-badge-warn{background:#fff3cd;color:#6d4c00;border-color:#e0a800}
.kpi-badge-fail{background:#fce4ec;color:#880e4f;border-color:#ad1457}
.kpi-summary{border-left:4px solid var(--md-primary-fg-color);padding:.2em .8em;
  background:var(--md-default-fg-color--lightest);margin:.5em 0}
.md-typeset .kpi-summary ul,.md-typeset ul.kpi-attention{margin:.3em 0;list-style:none}
.md-typeset .kpi-summary li,.md-typeset .kpi-attention li{margin-left:0}
.md-typeset .kpi-alert-event{color:#8e0000}
.md-typeset .kpi-alert-warn{color:#6d4c00}
.md-typeset .kpi-unproven{color:#8e0000;font-weight:700}
.kpi-multiples{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:.5em}
.md-typeset .kpi-multiples figure.kpi-figure{margin:0;max-width:none}
.md-tabs__link{opacity:1}
.md-tabs__item--active .md-tabs__link{font-weight:700;text-decoration:underline}
.md-typeset p a,.md-typeset li a,.md-typeset td a{text-decoration:underline}
@media screen and (max-width:600px){
  .md-typeset .kpi-table table:not([class]) th{min-width:0}
  .md-typeset .kpi-table table:not([class]) td,.md-typeset .kpi-table table:not([class]) th{
    padding:.4em .4em}
  .md-typeset .kpi-table{font-size:.75rem;background:linear-gradient(to left,
    var(--md-default-fg-color--lightest),transparent 1.5em) right/1.5em 100% no-repeat}
  .kpi-ranking td:nth-child(-n+4){white-space:nowrap}
  .kpi-ranking td:nth-child(5){min-width:4.5em}
  .kpi-derivation td:first-child{min-width:4em}
  .kpi-derivation td:nth-child(3){min-width:8em}
  .kpi-derivation td:nth-child(n+4){white-space:normal}
}
"""
