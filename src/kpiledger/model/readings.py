"""A scheme's readings register (`readings:`) → model.Reading.

The source documents are ambiguous in places ("75%以下": with 75 % or without?); a scheme
takes one reading and says so as data, so the site can list it under "对原文的解读" and
`kpi check` can count it. The schema has checked the shape; here only the entries that are
mappings with text in their four required fields are kept.
"""

from __future__ import annotations

from typing import Any

from kpiledger.model import Reading

REQUIRED = ("quote", "reading", "alternative", "why")


def build_readings(raw: Any) -> tuple[Reading, ...]:
    """The register as written, in order; malformed entries (the schema reported them) left out."""
    out = []
    for k, entry in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(f), str) for f in REQUIRED):
            continue
        item, rule = entry.get("item"), entry.get("rule")
        out.append(Reading(
            quote=entry["quote"],
            reading=entry["reading"],
            alternative=entry["alternative"],
            why=entry["why"],
            item=item if isinstance(item, str) else None,
            rule=rule if isinstance(rule, str) else None,
            reading_en=_text(entry.get("reading_en")),
            alternative_en=_text(entry.get("alternative_en")),
            why_en=_text(entry.get("why_en")),
            path=("readings", k),
        ))
    return tuple(out)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
