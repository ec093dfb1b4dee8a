"""Publishing a bulletin as a git act, and the bulletin's follow-ups section.

`kpi bulletin PERIOD --publish` writes `<period>/bulletin.yaml` (the period, the title, the
SHA-256 of the Markdown bulletin). It is committed and merged like any ledger file; the
moment it lands on main (first-parent committer date, as a record's lateness is measured) is
the bulletin's publication, from which bulletin-relative deadlines count (document 7: the
improvement plan within 4 days of the monthly bulletin). Until then those obligations are not
yet running. Only a closed period's bulletin is published: an open one may still change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from kpiledger.load.layout import bulletin_path
from kpiledger.model import Ledger
from kpiledger.publish.bulletin import Bulletin, Table
from kpiledger.publish.followups_text import within_words
from kpiledger.rules.obligations import Obligation

WORDS = {
    "zh": {"section": "后续事项", "name": "被考核人", "what": "须提交", "by": "提交人",
           "due": "期限", "file": "文件", "nobody": "组织架构未指定"},
    "en": {"section": "Follow-ups", "name": "Assessee", "what": "Owed", "by": "By",
           "due": "Due", "file": "File", "nobody": "not named"},
}


def followups_section(bulletin: Bulletin, ledger: Ledger, found: Iterable[Obligation],
                      period: str, lang: str, zone: dt.tzinfo) -> None:
    """Add the period's obligations, each with its due time (or how it will be set)."""
    w = WORDS["en" if lang == "en" else "zh"]
    rows = []
    for o in found:
        if o.period != period:
            continue
        due = (within_words(o.followup, "en" if lang == "en" else "zh") if o.due is None
               else o.due.astimezone(zone).strftime("%Y-%m-%d %H:%M"))
        title = o.followup.title_en if lang == "en" and o.followup.title_en else o.followup.title
        rows.append([ledger.org.name_of(o.assessee), title,
                     ledger.org.name_of(o.owed_by) if o.owed_by else w["nobody"], due, o.file])
    bulletin.sections.append((w["section"], [Table(w["section"], [
        w["name"], w["what"], w["by"], w["due"], w["file"]], rows, (1, 1.2, 1, 1.6, 2.6))]))


def publication_text(period: str, title: str, markdown: str, by: str | None = None) -> str:
    """The content of `<period>/bulletin.yaml`."""
    digest = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
    lines = ["# yaml-language-server: $schema=../../schemas/bulletin.schema.json",
             "# 本期通报已发布：此文件合入 main 的时间即发布时间，以通报起算的期限由此开始。",
             f"period: \"{period}\"", f"title: {json.dumps(title, ensure_ascii=False)}"]
    lines += [f"by: {by}"] if by else []
    lines.append(f"sha256: {digest}")
    return "\n".join(lines) + "\n"


def publish(root: Path, ledger: Ledger, period: str, title: str, markdown: str,
            by: str | None = None) -> tuple[int, str]:
    """Write `<period>/bulletin.yaml`: (0, the path written) or (1, why not)."""
    from kpiledger.atomic import WriteError, write_text

    p = ledger.calendar.periods.get(period)
    if p is None or p.status != "closed":
        return 1, (f"考核期 {period} 尚未关闭，通报不能发布（先运行 kpi period close {period}）"
                   f" / period {period} is not closed; close it before publishing its bulletin")
    target = root / bulletin_path(period)
    if target.exists():
        return 1, (f"{target.as_posix()} 已存在：本期通报已发布 / already published")
    if by is not None and by not in ledger.org.people:
        return 1, f"“{by}”不在组织架构中 / '{by}' is not in the org chart"
    try:
        write_text(target, publication_text(period, title, markdown, by))
    except WriteError as e:
        return 1, str(e)
    return 0, target.as_posix()
