"""What the authoring commands do once click has parsed them: open the ledger, plan, report in
the checker's shape (`where: CODE message`), write only when nothing is wrong. Each returns
the exit code: 0 done, 1 problems found."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from kpiledger.atomic import WriteError, recover
from kpiledger.authoring.feedback import Problem, progress
from kpiledger.calendar import unknown_period
from kpiledger.check.ledger import open_ledger
from kpiledger.diagnostics import (
    Diagnostic,
    allowed_words,
    d,
    display_path,
    format_text,
    has_errors,
    render,
    summary,
)
from kpiledger.diagnostics.terminal import colour_wanted


def _echo_problems(problems: Iterable[Problem], lang: str, file: str = "") -> None:
    for p in problems:
        click.echo(p.text(lang, file), err=True)


def _echo_diagnostics(root: Path, diagnostics: list[Diagnostic], lang: str) -> None:
    """As `kpi check` prints them: colour on a terminal, the count at the end."""
    text = render(diagnostics, "text", lang, root, colour=colour_wanted(sys.stderr))
    if text:
        click.echo(text, err=True)
        click.echo(summary(diagnostics, lang), err=True)


def _recovered(root: Path, lang: str) -> None:
    """Roll back a set of writes a killed command left half done, and say so (KPI625)."""
    restored = recover(root)
    if restored:
        found = d(".", "KPI625", files=", ".join(restored)).at(1, 1)
        _echo_diagnostics(root, [found], lang)


def _failed(e: WriteError, lang: str) -> int:
    """A write that did not happen: KPI620 with the file and the reason, exit 1."""
    click.echo(format_text([e.diagnostic()], lang), err=True)
    return 1


def _shared_errors(root: Path, diagnostics: list[Diagnostic], lang: str) -> bool:
    """Problems in org, calendar or schemes make every skeleton or import suspect: stop."""
    from kpiledger.load.layout import kind_of

    shared = [x for x in diagnostics if kind_of(x.file) in ("org", "orgunit", "periods", "scheme")]
    _echo_diagnostics(root, shared, lang)
    return has_errors(shared)


def run_new(root: Path, period: str, assessees: tuple[str, ...], unit: str | None, role: str,
            author: str | None, lang: str) -> int:
    from kpiledger.authoring.fmt import ledger_files
    from kpiledger.authoring.new import plan_new, write_plan
    from kpiledger.evaluate import rule_view
    from kpiledger.pipeline import evaluate
    from kpiledger.rules.carryover import carried_items, pending_items

    _recovered(root, lang)
    evaluation = evaluate(root)
    if _shared_errors(root, list(evaluation.diagnostics), lang):
        return 1
    ledger = evaluation.ledger
    pending = None
    if any(carried_items(s) for s in ledger.schemes.values()):
        # items failed earlier and carried into this period (the rules' own computation)
        views = [rule_view(r) for r in evaluation.results.results]
        pending = pending_items(views, ledger.schemes, ledger.calendar)
    plan = plan_new(ledger, period, assessees=assessees, unit=unit, role=role, author=author,
                    pending=pending, existing=set(ledger_files(root)))
    shown = [Problem(p.code, display_path(root, p.sheet) if p.code in ("KPI602", "KPI603", "KPI304")
                     else p.sheet, p.row, p.column, p.args) for p in plan.problems + plan.skipped]
    _echo_problems(shown, lang)
    if plan.problems:
        return 1
    try:
        written = write_plan(root, plan, progress("kpi new"))
    except WriteError as e:
        return _failed(e, lang)
    for rel in written:
        click.echo(display_path(root, rel))
    summary = (f"已生成 {len(written)} 份待填写的记录，跳过 {len(plan.skipped)} 份。"
               if lang == "zh" else
               f"{len(written)} skeleton records written, {len(plan.skipped)} skipped.")
    click.echo(summary, err=True)
    return 0


def run_fmt(root: Path, paths: tuple[str, ...], check_only: bool, lang: str) -> int:
    from kpiledger.authoring.fmt import ledger_files
    from kpiledger.authoring.fmt import run_fmt as fmt_files

    for p in paths:
        try:
            Path(p).resolve().relative_to(root.resolve())
        except ValueError:
            raise click.UsageError(f"{p} 不在账本 {root} 之内 / is outside the ledger") from None
    if not check_only:
        _recovered(root, lang)
    rels = ledger_files(root, [Path(p) for p in paths] or None)
    try:
        report = fmt_files(root, rels, check_only=check_only, progress=progress("kpi fmt"))
    except WriteError as e:
        return _failed(e, lang)
    _echo_diagnostics(root, report.diagnostics, lang)
    for rel in report.changed:
        click.echo(display_path(root, rel))
    if check_only:
        if report.changed:
            click.echo(f"{len(report.changed)} 个文件需要整理格式：kpi fmt" if lang == "zh" else
                       f"{len(report.changed)} files would be reformatted: run kpi fmt", err=True)
        return 1 if report.changed or report.diagnostics else 0
    return 1 if report.diagnostics else 0


def run_import(root: Path, file: Path, options, lang: str) -> int:
    from kpiledger.authoring.sheet_import import plan_import, write_import
    from kpiledger.authoring.sheet_read import BookRefused, read_book

    _recovered(root, lang)
    opened = open_ledger(root)
    if _shared_errors(root, opened.diagnostics, lang):
        return 1
    try:
        sheets = read_book(file)
    except BookRefused as e:  # each names the file (and the sheet) itself
        _echo_problems(e.problems, lang)
        return 1
    except Exception as e:  # openpyxl raises many kinds for a damaged or foreign file
        _echo_problems([Problem("KPI613", file.name, args={"reason": str(e) or type(e).__name__})],
                       lang)
        return 1
    plan = plan_import(opened.ledger, sheets, options, progress("kpi import"))
    _echo_problems(plan.problems, lang, str(file))
    if not plan.ok:
        click.echo("有错误，未写入任何文件。" if lang == "zh" else
                   "Nothing was written: fix the problems above first.", err=True)
        return 1
    try:
        written = write_import(root, plan)
    except WriteError as e:
        return _failed(e, lang)
    for rel in written:
        click.echo(display_path(root, rel))
    summary = (f"写入 {len(plan.writes)} 份记录，{len(plan.unchanged)} 份未变，"
               f"{plan.skipped_rows} 行未填写已跳过。" if lang == "zh" else
               f"{len(plan.writes)} records written, {len(plan.unchanged)} unchanged, "
               f"{plan.skipped_rows} empty rows skipped.")
    click.echo(summary, err=True)
    return 0


def run_export(root: Path, period: str, xlsx: Path, role: str, next_period: str | None,
               schemes: tuple[str, ...], lang: str) -> int:
    from kpiledger.authoring.sheet_export import export_workbook
    from kpiledger.pipeline import evaluate

    evaluation = evaluate(root)
    _echo_diagnostics(root, list(evaluation.diagnostics), lang)
    problems = []
    if period not in evaluation.ledger.calendar.periods:
        code, args = unknown_period(period)
        problems.append(Problem(code, period, args=args))
    known = evaluation.ledger.schemes
    problems += [Problem("KPI301", s, args={"kind_zh": "方案", "kind_en": "scheme", "id": s,
                                            **allowed_words(sorted(known))})
                 for s in schemes if s not in known]
    if problems:
        _echo_problems(problems, lang)
        return 1
    try:
        names = export_workbook(evaluation.ledger, evaluation.results.results, period, xlsx,
                                role=role, next_period=next_period, schemes=schemes)
    except WriteError as e:
        return _failed(e, lang)
    click.echo(sheets_written(str(xlsx), names, lang), err=True)
    return 0 if evaluation.ok else 1


def sheets_written(xlsx: str, names: list[str], lang: str, shown: int = 10) -> str:
    """What `kpi export` wrote: the sheets by name, the first few of a company's hundreds."""
    listed = names if len(names) <= shown + 2 else [*names[:shown], "…"]
    if lang == "en":
        return f"{xlsx}: {len(names)} sheets: " + ", ".join(listed)
    return f"{xlsx}：{len(names)} 个工作表：" + "、".join(listed)


def run_init(target: Path, year: int | None, lang: str, forge: str = "github") -> int:
    from kpiledger.authoring.init import init_repo

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        _echo_problems([Problem("KPI615", str(target), args={"path": str(target)})], lang)
        return 1
    try:
        written = init_repo(target, year, forge)
    except WriteError as e:
        return _failed(e, lang)
    for rel in written:
        click.echo((target / rel).as_posix())
    click.echo("新账本已生成；下一步：kpi check " + (target / "ledger").as_posix()
               if lang == "zh" else f"New ledger ready; next: kpi check {target / 'ledger'}",
               err=True)
    return 0


def run_period(root: Path, action: str, period: str, reason: str | None, lang: str) -> int:
    """`kpi period open|close`: change the period's status in periods.yaml, or say why not."""
    from kpiledger.authoring.period import apply, close_period, open_period

    _recovered(root, lang)
    opened = open_ledger(root)
    if _shared_errors(root, list(opened.diagnostics), lang):
        return 1
    text = (root / "periods.yaml").read_text(encoding="utf-8")
    if action == "open":
        change = open_period(opened.ledger, text, period)
    else:
        change = close_period(opened.ledger, text, period, reason)
    _echo_problems(change.problems, lang)
    if change.problems:
        return 1
    try:
        apply(root, change)
    except WriteError as e:
        return _failed(e, lang)
    click.echo(change.said_zh if lang == "zh" else change.said_en, err=True)
    return 0
