"""`kpi bulletin PERIOD`: evaluate the ledger, make the period's bulletin and write it as
Markdown (stdout or a file) or as a PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from kpiledger.publish.bulletin import WORDS, make_bulletin, to_markdown


def run_bulletin(root: Path, period: str, fmt: str, out: str | None, lang: str,
                 masked: bool, publish: bool = False, by: str | None = None) -> int:
    """`kpi bulletin`: Markdown to stdout (or `out`), or the PDF to `out` (default
    bulletin-<period>.pdf); with `publish`, <period>/bulletin.yaml (publish.bulletin_publish).
    0 written, 1 the ledger has errors, the period is unknown or cannot be published."""
    import sys

    from kpiledger.atomic import WriteError, write_bytes
    from kpiledger.diagnostics import format_text
    from kpiledger.git.repo import GitError, locate, rev
    from kpiledger.pipeline import evaluate
    from kpiledger.publish.shards import period_documents

    evaluation = evaluate(root)
    if not evaluation.ok:
        print(format_text(list(evaluation.diagnostics), lang), file=sys.stderr)
        return 1
    known = set(evaluation.ledger.calendar.periods) | {r.period for r in
                                                       evaluation.results.results}
    if period not in known:
        print(f"kpi bulletin: 考核期“{period}”不在日历中，也没有结果 / period {period} is not "
              "in the calendar and has no results", file=sys.stderr)
        return 1
    where = locate(root)
    try:
        commit = rev(where, "HEAD") if where is not None else None
    except GitError:
        commit = None  # a repository with no commit yet
    # that period's results only: the whole document is 2 GiB at 120,000 records
    document = next((doc for _, doc in period_documents(evaluation.results, only=period)), {})
    bulletin = make_bulletin(document, evaluation.ledger, period, lang=lang, commit=commit,
                             masked=masked)
    _add_followups(bulletin, evaluation, period, lang)
    none = WORDS["en" if lang == "en" else "zh"]["none"]
    if publish:
        from kpiledger.publish.bulletin_publish import publish as write_publication

        code, said = write_publication(root, evaluation.ledger, period, bulletin.title,
                                       to_markdown(bulletin, none), by)
        print(said if code == 0 else f"kpi bulletin: {said}", file=sys.stdout if code == 0
              else sys.stderr)
        if code == 0:
            print("提交并合入 main 后即为发布时间 / commit and merge it: its landing on main is "
                  "the publication time", file=sys.stderr)
        return code
    if fmt == "markdown" and out is None:
        print(to_markdown(bulletin, none), end="")
        return 0
    from kpiledger.publish.bulletin_pdf import FontMissing, to_pdf

    try:
        data = to_markdown(bulletin, none).encode("utf-8") if fmt == "markdown" else \
            to_pdf(bulletin, none=none, created=_commit_date(where, commit))
        target = Path(out or f"bulletin-{period}.pdf")
        write_bytes(target, data)  # all or nothing
    except (FontMissing, WriteError) as e:
        print(f"kpi bulletin: {e}", file=sys.stderr)
        return 1
    print(target.as_posix())
    return 0


def _commit_date(where: Any, commit: str | None) -> dt.datetime | None:
    """The commit's date: the PDF's creation date, so the same bulletin has the same bytes."""
    if where is None or commit is None:
        return None
    from kpiledger.git.repo import GitError, git

    try:
        text = git(["show", "-s", "--format=%cI", commit], where.top).decode().strip()
        return dt.datetime.fromisoformat(text)
    except (GitError, ValueError):
        return None


def _add_followups(bulletin: Any, evaluation: Any, period: str, lang: str) -> None:
    """The obligations the period's rules created, with their due times."""
    from kpiledger.evaluate import landings_from
    from kpiledger.publish.bulletin_publish import followups_section
    from kpiledger.publish.status import zone_of
    from kpiledger.rules.obligations import obligations

    ledger = evaluation.ledger
    found = obligations(ledger, evaluation.results.events, landings_from(evaluation.provenance))
    if any(o.period == period for o in found):
        followups_section(bulletin, ledger, found, period, lang, zone_of(ledger))
