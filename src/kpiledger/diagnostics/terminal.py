"""Diagnostics on a terminal: colour when a person is watching, and the count at the end.

Colour only on a terminal: never in a pipe or a file, never when NO_COLOR is set
(no-color.org) or in CI (CI logs and annotations are read as plain text).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import IO, Any

RED, YELLOW, BOLD, DIM, RESET = "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[2m", "\x1b[0m"


def colour_wanted(stream: IO[Any] | None, env: Mapping[str, str] | None = None) -> bool:
    """Whether text written to `stream` may carry colour."""
    env = os.environ if env is None else env
    if env.get("NO_COLOR") or env.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def paint(text: str, *styles: str) -> str:
    return "".join(styles) + text + RESET


def summary_line(problems: Iterable[tuple[str, str]], lang: str = "zh") -> str:
    """The count at the end of a report, from (file, severity) pairs:
    共 5 个问题（其中 1 个警告），涉及 2 个文件 / 5 problems (1 warning) in 2 files."""
    problems = list(problems)
    count = len(problems)
    warnings = sum(1 for _, severity in problems if severity != "error")
    files = len({file for file, _ in problems})
    if lang == "en":
        aside = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
        return (f"{count} problem{'s' if count != 1 else ''}{aside} in {files} "
                f"file{'s' if files != 1 else ''}")
    aside = f"（其中 {warnings} 个警告）" if warnings else ""
    return f"共 {count} 个问题{aside}，涉及 {files} 个文件"
