"""`kpi period open P` and `kpi period close P [--reason TEXT]`: the calendar's status changed
by a command, in periods.yaml itself (comments, order and quoting kept: ruamel round trip;
written all or nothing: `atomic`).

Opening a period the file does not list adds `- id: P / status: open` beside the periods of
its kind; its window and due time follow from the `pattern:`. Closing refuses while records
the period needs are missing (KPI344), unless `--reason` says why; the reason is kept in the
file as `close_reason`. It likewise refuses while appeals against the period's results
wait for HR's decision (KPI367): a result under appeal is not final.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from kpiledger.atomic import write_text
from kpiledger.authoring.feedback import Problem
from kpiledger.authoring.yamlio import dump_rt, load_rt
from kpiledger.calendar import unknown_period
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load
from kpiledger.model import Ledger, role_names
from kpiledger.model.appeals import open_appeals
from kpiledger.model.pattern import kind_of, window
from kpiledger.publish.status import period_status

FILE = "periods.yaml"
KIND_ZH = {"month": "月度", "quarter": "季度", "year": "年度"}


@dataclass
class Change:
    """What a period command would write: the new text of periods.yaml (None: nothing to
    write), what to say, and the problems that stop it."""

    text: str | None = None
    said_zh: str = ""
    said_en: str = ""
    problems: list[Problem] = field(default_factory=list)


def _entries(doc: Any) -> CommentedSeq:
    periods = doc.get("periods")
    if not isinstance(periods, CommentedSeq):
        periods = CommentedSeq()
        doc["periods"] = periods
    return periods


def _find(periods: CommentedSeq, pid: str) -> CommentedMap | None:
    return next((p for p in periods if isinstance(p, CommentedMap) and str(p.get("id")) == pid),
                None)


def _place(periods: CommentedSeq, pid: str) -> int:
    """Where a new period goes: after the last of its kind that comes before it, else before
    the first of its kind, else at the end."""
    kind = kind_of(pid)
    same = [(i, str(p.get("id"))) for i, p in enumerate(periods)
            if isinstance(p, CommentedMap) and kind_of(str(p.get("id"))) == kind]
    before = [i for i, other in same if other < pid]
    if before:
        return before[-1] + 1
    return same[0][0] if same else len(periods)


def _checked(doc: Any) -> tuple[str | None, list[Problem]]:
    """The document as text, schema-checked the way `kpi check` reads it."""
    text = dump_rt(doc)
    data, found = load(text.encode("utf-8"), FILE)
    if data is not None and not found:
        found = validate("periods", data, FILE)
    return (None, [Problem(x.code, FILE, args=x.args) for x in found]) if found else (text, [])


def open_period(ledger: Ledger, text: str, pid: str) -> Change:
    """Open `pid`: reopen it when closed, add it when the file does not list it yet."""
    code, args = unknown_period(pid)
    if code != "KPI340":
        return Change(problems=[Problem(code, pid, args=args)])
    doc = load_rt(text)
    periods = _entries(doc)
    entry = _find(periods, pid)
    if entry is not None and str(entry.get("status")) == "open":
        return Change(said_zh=f"考核期 {pid} 已是开放状态，未修改。",
                      said_en=f"Period {pid} is open already; nothing changed.")
    if entry is not None:
        entry["status"] = "open"
        entry.pop("close_reason", None)
    else:
        pattern = ledger.calendar.pattern
        kind = kind_of(pid) or ""
        if pattern is None or window(pattern, pid) is None:
            return Change(problems=[Problem("KPI342", FILE, args={
                "id": pid, "missing": "start、end", "kind_zh": KIND_ZH.get(kind, kind),
                "kind_en": kind})])
        new = CommentedMap()
        new["id"] = DoubleQuotedScalarString(pid) if kind == "year" else pid
        new["status"] = "open"
        periods.insert(_place(periods, pid), new)
    written, problems = _checked(doc)
    return Change(written, f"已开放考核期 {pid}。", f"Period {pid} opened.", problems)


def close_period(ledger: Ledger, text: str, pid: str, reason: str | None) -> Change:
    """Close `pid`; refused while records are missing or appeals against its results wait
    for HR's decision, unless `reason` says why."""
    period = ledger.calendar.periods.get(pid)
    if period is None:
        code, args = unknown_period(pid)
        return Change(problems=[Problem(code, pid, args=args)])
    reason = (reason or "").strip() or None
    missing = period_status(ledger, period, None).missing
    waiting = open_appeals(ledger.appeals, ledger.org, period=pid)
    problems: list[Problem] = []
    if missing and reason is None:
        first = [(ledger.org.name_of(o.expected.assessee), o.expected.assessee,
                  role_names(o.expected.role)) for o in missing[:3]]
        more = len(missing) > 3
        sample_zh = "、".join(f"{n}（{a}，{r.holder_zh}）" for n, a, r in first)
        sample_en = ", ".join(f"{n} ({a}, {r.holder_en})" for n, a, r in first)
        problems.append(Problem("KPI344", pid, args={
            "period": pid, "count": len(missing), "sample_zh": sample_zh + (" 等" if more else ""),
            "sample_en": sample_en + (", …" if more else "")}))
    if waiting and reason is None:  # a result under appeal is not final yet
        sample = "、".join(f"{ledger.org.name_of(a.assessee)}（{a.file}）" for a in waiting[:3])
        problems.append(Problem("KPI367", pid, args={
            "period": pid, "count": len(waiting),
            "sample": sample + (" 等" if len(waiting) > 3 else "")}))
    if problems:
        return Change(problems=problems)
    doc = load_rt(text)
    entry = _find(_entries(doc), pid)
    if entry is None:  # the calendar holds it, so the file lists it; kept as a guard
        code, args = unknown_period(pid)
        return Change(problems=[Problem(code, pid, args=args)])
    if str(entry.get("status")) == "closed" and reason is None:
        return Change(said_zh=f"考核期 {pid} 已关闭，未修改。",
                      said_en=f"Period {pid} is closed already; nothing changed.")
    entry["status"] = "closed"
    if reason is not None:
        entry["close_reason"] = reason
    written, problems = _checked(doc)
    left = (f"（仍缺 {len(missing)} 份记录，原因：{reason}）" if missing else "")
    left_en = (f" ({len(missing)} records still missing: {reason})" if missing else "")
    if waiting:
        left += f"（{len(waiting)} 件申诉未裁定，原因：{reason}）"
        left_en += f" ({len(waiting)} appeals undecided: {reason})"
    return Change(written, f"已关闭考核期 {pid}{left}。", f"Period {pid} closed{left_en}.",
                  problems)


def apply(root: Path, change: Change) -> None:
    """Write the change, all or nothing (raises `atomic.WriteError`)."""
    if change.text is not None:
        write_text(root / FILE, change.text)
