"""Options several `kpi` commands share (cli, cli_calendar, cli_publish)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

LANGS = click.Choice(["zh", "en"])
# options several commands share
ledger_option = click.option(
    "--ledger", type=click.Path(exists=True, file_okay=False), help="账本目录 / ledger folder"
)
lang_option = click.option("--lang", type=LANGS, default="zh", help="语言 / language")


def format_option(*choices: str) -> Callable[[Any], Any]:
    """`--format`, its first choice the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        help="输出格式 / output format")


no_cache_option = click.option(
    "--no-cache", is_flag=True, help="不使用缓存 / read every file again"
)
