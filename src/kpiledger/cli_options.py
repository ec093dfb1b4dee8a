"""Options several `kpi` commands share (cli, cli_calendar, cli_publish)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

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


class BilingualFormatter(click.HelpFormatter):
    """`kpi -h` in both languages, as every command's own help text is: click writes its
    headings and its help option's text in English only."""

    HEADINGS: ClassVar[dict[str, str]] = {
        "Options": "选项 / Options", "Commands": "命令 / Commands", "Arguments": "参数 / Arguments",
    }
    TEXTS: ClassVar[dict[str, str]] = {
        "Show this message and exit.": "显示此帮助 / show this message and exit",
        "Show the version and exit.": "显示版本 / show the version and exit",
    }

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法 / Usage: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        super().write_dl([(term, self.TEXTS.get(text, text)) for term, text in rows],
                         col_max, col_spacing)


class BilingualContext(click.Context):
    formatter_class = BilingualFormatter


def bilingual(command: click.Command) -> None:
    """Give `command` and every command under it the bilingual help."""
    command.context_class = BilingualContext
    for sub in getattr(command, "commands", {}).values():
        bilingual(sub)
