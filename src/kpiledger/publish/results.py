"""The output contract: results as JSON (schemas/results.schema.json), CSV and a text table.

Every number is a decimal string rounded half up to the scheme's precision, keys are sorted
where order is not meaningful, and nothing depends on dict or hash order, so the same commit
gives byte-identical output.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson

from kpiledger.git.provenance import Commit, FileProvenance
from kpiledger.model import Scheme
from kpiledger.numbers import fmt, plain, round_half_up, to_decimal
from kpiledger.publish.compressed import CompressedList, as_plain
from kpiledger.score.failures import failure_code, reason, values_text
from kpiledger.score.ledger import Results
from kpiledger.score.results import ItemResult, Result, result_head

HEADERS = {
    "zh": [
        "考核期",
        "方案",
        "被考核人",
        "姓名",
        "部门",
        "排名组",
        "总分",
        "等级",
        "名次",
        "人数",
        "状态",
        "绩效工资",
    ],
    "en": [
        "Period",
        "Scheme",
        "Assessee",
        "Name",
        "Unit",
        "Group",
        "Total",
        "Grade",
        "Rank",
        "Of",
        "Status",
        "Pay",
    ],
}
STATUS = {
    "zh": {"complete": "完整", "incomplete": "未完成"},
    "en": {"complete": "complete", "incomplete": "incomplete"},
}


def _num(d: Decimal | None, places: int) -> str | None:
    return None if d is None else fmt(d, places)


def _plain(d: Decimal | None) -> str | None:
    if d is None:
        return None
    try:  # -0 equals 0 but is written "-0": the sign is part of the key, as in `plain`
        return _plain6(d, d.is_signed())
    except TypeError:  # a signalling NaN cannot be hashed: said by round_half_up below
        return _plain6.__wrapped__(d, d.is_signed())


@lru_cache(maxsize=1 << 12)  # weights and maxima: each item's constants, 1.2 million times
def _plain6(d: Decimal, signed: bool) -> str:
    return plain(round_half_up(d, 6))


def _raw(x: Any) -> Any:
    """Raw record input made JSON-safe: numbers as decimal text, keys as text.

    Hot on large ledgers (every input of every item), hence the exact-type fast paths."""
    kind = type(x)
    if kind is str or kind is bool or x is None:
        return x
    if kind is int:
        return str(x)
    if kind is float:
        text = repr(x)  # the shortest repr is the number as written in the YAML
        if "e" not in text and "n" not in text:
            return text
    if kind is dict:
        return {str(k): _raw(v) for k, v in x.items()}
    if kind is list or kind is tuple:
        return [_raw(v) for v in x]
    if isinstance(x, int | float | Decimal):
        try:
            return f"{to_decimal(x):f}"
        except ValueError:
            return str(x)
    return str(x)


raw_value = _raw  # events and warnings as the contract writes them


def item_to_dict(i: ItemResult, places: int) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": i.title,
        "by": list(i.by),
        "inputs": _raw(i.inputs),
        "value": i.value,
        "rule": i.rule,
        "points": _num(i.points, places),
        "weight": _plain(i.weight),
        "max": _plain(i.max),
        "contribution": _num(i.contribution, places),
    }


def _commit(c: Commit) -> dict[str, Any]:
    return {"commit": c.sha, "author": c.author, "date": c.date, "pr": c.pr}


def records_to_list(
    files: tuple[str, ...], provenance: Mapping[str, FileProvenance]
) -> list[dict[str, Any]]:
    """The records behind a result, each with the commit that added it and the one that last
    changed it (None outside git or before the file is committed)."""
    out = []
    for file in sorted(files):
        p = provenance.get(file)
        out.append(
            {
                "file": file,
                "added": _commit(p.added) if p else None,
                "changed": _commit(p.changed) if p else None,
            }
        )
    return out


def result_to_dict(
    r: Result, provenance: Mapping[str, FileProvenance] | None = None
) -> dict[str, Any]:
    p = r.precision
    out = {
        **result_head(r),
        "money": {k: fmt(v, p) for k, v in sorted(r.money.items())},
        "items": [item_to_dict(i, p) for i in r.items],
        "pending": [dict(x) for x in r.pending],
        "records": records_to_list(r.files, provenance or {}),
    }
    if r.money_exact:
        rounded = {
            k: plain(v) for k, v in sorted(r.money_exact.items()) if v != round_half_up(v, p)
        }
        if rounded:
            out["money_exact"] = rounded
    if r.failures:
        out["failures"] = [
            {"target": f.target, "code": failure_code(f), "kind": f.kind, "values": values_text(f)}
            for f in r.failures
        ]
    return out


def document_entries(results: Results, dicts: Iterable[dict[str, Any]] | None = None
                     ) -> dict[str, Any]:
    """The JSON contract's entries (schemas/results.schema.json), each list made as it is read
    (`publish.results_stream` writes them one at a time); `dicts`: the results already made."""
    return {
        "version": 1,
        "results": iter(dicts) if dicts is not None else
        (result_to_dict(r, results.provenance) for r in results.results),
        "events": (_raw(e) for e in results.events),
        "warnings": (_raw(w) for w in results.warnings),
        "aggregates": iter(results.aggregates),  # already in the contract's shape
    }


def results_document(results: Results) -> dict[str, Any]:
    """The results as the plain data of the JSON contract (schemas/results.schema.json)."""
    return _listed(document_entries(results))


def draining_document(results: Results, scored: list[Result | None]) -> dict[str, Any]:
    """`results_document` of `results` with `scored` in place of its results (the same, in
    order), each let go (set to None) once it is a dict: a caller that holds no other
    reference to them never has both shapes of every result in memory (at 120,000 results,
    0.8 GB of results and 1.1 GB of dicts)."""
    out = []
    for i, r in enumerate(scored):
        assert r is not None
        out.append(held_entry(r, results.provenance))
        scored[i] = None
    return document_with(results, out)


def held_entry(r: Result, provenance: Mapping[str, FileProvenance]) -> dict[str, Any]:
    """A result's entry of the document as the site holds it: its items and records
    compressed (`publish.compressed`), 0.9 GB of dicts at 120,000 results."""
    entry = result_to_dict(r, provenance)
    entry["items"] = CompressedList(entry["items"])
    entry["records"] = CompressedList(entry["records"])
    return entry


def document_with(results: Results, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The document of `results` (its events, warnings, aggregates) with `entries` as its
    results."""
    return _listed(document_entries(results, entries))


def _listed(entries: dict[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in entries.items()}


def results_to_json(results: Results) -> str:
    return document_to_json(results_document(results))


def document_to_json(document: dict[str, Any]) -> str:
    return document_to_bytes(document).decode("utf-8")


def document_to_bytes(document: dict[str, Any]) -> bytes:
    """The document's JSON text in UTF-8. A period of 10,000 results is ~50 MB: made as bytes
    it is one copy, where text, then bytes, held three at once."""
    # orjson: the same sorted, indented UTF-8 text as json.dumps, ~50× faster on large ledgers
    return orjson.dumps(document, default=as_plain,
                        option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def _money_ids(results: Results) -> list[str]:
    return sorted({k for r in results.results for k in r.money})


def _rows(
    results: Results, lang: str, schemes: Mapping[str, Scheme] | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows; with `schemes`, grades and amounts are named in `lang` (the scheme's
    English names where it has them)."""
    money = _money_ids(results)
    base = HEADERS.get(lang, HEADERS["zh"])
    english = lang == "en" and schemes is not None
    titles: dict[str, str] = {}
    for r in results.results:
        scheme = schemes.get(r.scheme) if english and schemes else None
        named = {m.id: m.title_en for m in scheme.money if m.title_en} if scheme else {}
        for k, t in r.money_titles.items():
            titles.setdefault(k, named.get(k, t))
    headers = base[:-1] + ([titles.get(m, m) for m in money] or [base[-1]])
    why = any(r.failures for r in results.results)
    rows = []
    for r in results.results:
        row = [
            r.period,
            r.scheme,
            r.assessee,
            r.name,
            r.unit,
            r.group,
            _num(r.total, r.precision) or "",
            _grade(r, lang, schemes),
            "" if r.rank is None else str(r.rank),
            str(r.of),
            STATUS.get(lang, STATUS["zh"]).get(r.status, r.status),
        ]
        row += [fmt(r.money[m], r.precision) if m in r.money else "" for m in money] or [""]
        if why:
            row.append(_why(r, lang))
        rows.append(row)
    if why:
        headers.append(WHY[lang if lang in WHY else "zh"])
    return headers, rows


WHY = {"zh": "未算出的原因", "en": "Not computed because"}


def _grade(r: Result, lang: str, schemes: Mapping[str, Scheme] | None) -> str:
    scheme = schemes.get(r.scheme) if schemes and r.grade else None
    return scheme.grade_name(r.grade or "", lang) if scheme else r.grade or ""


def _why(r: Result, lang: str) -> str:
    """Why a result has no total or lacks an amount: `总分：除数为零（KPI503）`."""
    total = "总分" if lang != "en" else "total"
    return "; ".join(
        f"{total if f.target == 'total' else r.money_titles.get(f.target, f.target)}"
        f"{'：' if lang != 'en' else ': '}{reason(f.kind, lang)} ({failure_code(f)})"
        for f in r.failures
    )


def results_to_csv(results: Results, lang: str = "zh") -> str:
    headers, rows = _rows(results, lang)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def results_for_periods(results: Results, wanted: Collection[str]) -> Results:
    """Only the periods in `wanted`, every other field (provenance, notices) kept. A warning
    belongs to the periods of its streak as well as to the period it warns about."""
    return dataclasses.replace(
        results,
        results=tuple(r for r in results.results if r.period in wanted),
        events=tuple(e for e in results.events if e.get("period") in wanted),
        warnings=tuple(
            w for w in results.warnings
            if w.get("period") in wanted or any(p in wanted for p in w.get("periods", ()))
        ),
        aggregates=tuple(a for a in results.aggregates if a.get("period") in wanted),
    )


EVENT_WORDS = {
    "zh": ("事件", "预警"),
    "en": ("Events", "Warnings"),
}


def _event_lines(results: Results, lang: str, scheme_titles: Mapping[str, str]) -> list[str]:
    """Events and warnings under the table, per scheme, by rule title (not id)."""
    head_events, head_warnings = EVENT_WORDS.get(lang, EVENT_WORDS["zh"])
    names = {r.assessee: r.name for r in results.results}
    en = lang == "en"  # results carry each event's words in English too (rules.words_en)
    lines: list[str] = []
    for heading, rows in ((head_events, results.events), (head_warnings, results.warnings)):
        for sid in sorted({e["scheme"] for e in rows}):
            lines.append(f"\n{heading} · {scheme_titles.get(sid, sid)}")
            for e in (e for e in rows if e["scheme"] == sid):
                who = f"{e['assessee']} {names.get(e['assessee'], '')}".rstrip()
                title = (en and e.get("title_en")) or e.get("title") or e["rule"]
                lines.append(f"  {e['period']}  {who}  {title}")
                lines.append(f"      {(en and e.get('detail_en')) or e.get('detail', '')}")
    return lines


def results_to_table(
    results: Results,
    lang: str = "zh",
    scheme_titles: Mapping[str, str] | None = None,
    schemes: Mapping[str, Scheme] | None = None,
) -> str:
    """A plain-text table, with several money ids each in its own column; then the events and
    warnings per scheme (`scheme_titles`: id → title, for their headings; `schemes`: for the
    names of grades and amounts in English)."""
    headers, rows = _rows(results, lang, schemes)
    widths = [max([_width(h)] + [_width(row[k]) for row in rows]) for k, h in enumerate(headers)]
    last = len(headers) - (headers[-1] in WHY.values())  # the reason column is text
    numeric = {6, 8, 9, *range(11, last)}
    lines = ["  ".join(_pad(h, widths[k], k in numeric) for k, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(_pad(c, widths[k], k in numeric) for k, c in enumerate(row)).rstrip()
        for row in rows
    ]
    lines += _event_lines(results, lang, scheme_titles or {})
    return "\n".join(lines) + "\n"
