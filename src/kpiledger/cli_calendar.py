"""The calendar's commands: `kpi period open|close` and `kpi status`. Registered on the main
group by `cli`; they parse options and call one function each (authoring.run, publish)."""

from __future__ import annotations

import datetime as dt
import sys

import click

from kpiledger.cli_options import lang_option, ledger_option
from kpiledger.load.layout import find_root


@click.group("period")
def period_group() -> None:
    """开放或关闭考核期（修改 periods.yaml，保留注释）/ open or close a period."""


@period_group.command("open")
@click.argument("period")
@ledger_option
@lang_option
def open_command(period: str, ledger: str | None, lang: str) -> None:
    """开放考核期；日历中没有的按 pattern 加入 / open PERIOD, adding it if not listed."""
    from kpiledger.authoring.run import run_period

    sys.exit(run_period(find_root((), ledger), "open", period, None, lang))


@period_group.command("close")
@click.argument("period")
@click.option("--reason", help="仍缺记录时关闭的原因（写入 periods.yaml）/ why close with "
              "records missing (kept in periods.yaml)")
@ledger_option
@lang_option
def close_command(period: str, reason: str | None, ledger: str | None, lang: str) -> None:
    """关闭考核期；仍缺记录时须 --reason / close PERIOD; refused while records are missing."""
    from kpiledger.authoring.run import run_period

    sys.exit(run_period(find_root((), ledger), "close", period, reason, lang))


@click.command("status")
@click.argument("period", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text",
              help="输出格式 / output format")
@click.option("--at", "at", help="按此时刻计算剩余时间，如 2026-07-01T09:00+08:00（默认现在）/ "
              "the moment to count time left from (default: now)")
@ledger_option
@lang_option
def status_command(period: str | None, fmt: str, at: str | None, ledger: str | None,
                   lang: str) -> None:
    """谁还欠哪些记录：已交、未交、迟交和剩余时间；有逾期则退出码 1 / who still owes what."""
    from kpiledger.diagnostics import render
    from kpiledger.publish.status_text import status_report

    try:
        now = dt.datetime.fromisoformat(at) if at else None
    except ValueError:
        raise click.BadParameter(f"{at}：请写 ISO 时间，如 2026-07-01T09:00+08:00 / write an ISO "
                                 "8601 time", param_hint="--at") from None
    root = find_root((), ledger)
    text, problems, code = status_report(root, period, fmt, lang, now)
    shown = render(problems, "text", lang, root)
    if shown:
        click.echo(shown, err=True)
    click.echo(text, nl=False)
    sys.exit(code)
