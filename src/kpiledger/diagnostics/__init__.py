"""Diagnostics: every problem found in a ledger, with its place, stable code and message.

A diagnostic is found with a JSON path into its document; the line and column are filled in
later, only for files that have something to report (see `positions.locate`), so that clean
files never pay for a position-keeping parse.
"""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from kpiledger.diagnostics.codes import CODES
from kpiledger.diagnostics.terminal import BOLD, RED, YELLOW, paint, summary_line

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Diagnostic:
    file: str
    code: str
    args: dict[str, Any] = field(default_factory=dict)
    path: Path = ()  # where in the document; () is the whole file
    at_key: bool = False  # point at the key of `path` rather than its value
    line: int | None = None  # 1-based, once known
    column: int | None = None

    @property
    def severity(self) -> str:
        return CODES[self.code].severity

    def message(self, lang: str = "zh") -> str:
        code = CODES[self.code]
        template = code.en if lang == "en" else code.zh
        try:
            return template.format_map(_Defaults(self.args))
        except (ValueError, IndexError):  # a stray brace in user text must never crash us
            return template

    def at(self, line: int, column: int) -> Diagnostic:
        return replace(self, line=line, column=column)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.code)


class _Defaults(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        # an item named by id alone, where no stage knew its title (see `item_words`)
        if key in ("item_zh", "item_en") and "item" in self:
            return f"“{self['item']}”" if key == "item_zh" else f"'{self['item']}'"
        return ""


def allowed_words(values: Iterable[str]) -> dict[str, str]:
    """The args that list what may be written instead: （可填：a、b）/ (allowed: a, b)."""
    values = list(values)
    if not values:
        return {}
    return {"allowed_zh": f"（可填：{'、'.join(values)}）",
            "allowed_en": f" (allowed: {', '.join(values)})"}


def item_words(item_id: str, title: str = "", title_en: str = "") -> dict[str, str]:
    """The args that name an item in a message: its title beside its id, as the reader
    knows it (“工作任务”（work）), or the id alone when it has no title."""
    zh = f"“{title}”（{item_id}）" if title and title != item_id else f"“{item_id}”"
    en_title = title_en or title
    en = f"'{en_title}' ({item_id})" if en_title and en_title != item_id else f"'{item_id}'"
    return {"item": item_id, "item_zh": zh, "item_en": en}


def d(file: str, code: str, path: Path = (), *, at_key: bool = False, **args: Any) -> Diagnostic:
    """Shorthand used by every stage."""
    if code not in CODES:
        raise KeyError(f"unknown diagnostic code {code}")
    return Diagnostic(file=file, code=code, args=args, path=path, at_key=at_key)


def display_path(root: pathlib.Path, rel: str) -> str:
    """A ledger file's path as the user would type it from the current folder."""
    full = root / rel
    try:
        return full.resolve().relative_to(pathlib.Path.cwd().resolve()).as_posix()
    except ValueError:
        return full.as_posix()


def display_paths(root: pathlib.Path, rels: Iterable[str]) -> dict[str, str]:
    """`display_path` of many files at once, each the same: the current folder is resolved
    once, and each folder once (a file resolves as its folder plus its name unless it is a
    link). Per diagnostic, 360,000 of them took 100 s to print (issue 17)."""
    cwd = pathlib.Path.cwd().resolve()
    folders: dict[pathlib.Path, pathlib.Path] = {}
    out: dict[str, str] = {}
    for rel in set(rels):
        full = root / rel
        if full.name in ("", ".", "..") or full.is_symlink():
            resolved = full.resolve()
        else:
            if full.parent not in folders:
                folders[full.parent] = full.parent.resolve()
            resolved = folders[full.parent] / full.name
        try:
            out[rel] = resolved.relative_to(cwd).as_posix()
        except ValueError:
            out[rel] = full.as_posix()
    return out


def render(
    diagnostics: list[Diagnostic], fmt: str, lang: str, root: pathlib.Path, *,
    colour: bool = False,
) -> str:
    """Diagnostics as text, GitHub annotations or JSON, with paths as the user types them
    (from the current folder); `colour` marks text for a terminal."""
    places = display_paths(root, [x.file for x in diagnostics])
    shown = [replace(x, file=places[x.file]) for x in diagnostics]
    if fmt == "json":
        return to_json(shown, lang)
    if fmt == "github":
        return format_github(shown, lang)
    return format_text(shown, lang, colour=colour)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(x.severity == "error" for x in diagnostics)


def format_text(diagnostics: list[Diagnostic], lang: str = "zh", *, colour: bool = False) -> str:
    lines = []
    for x in diagnostics:
        where = f"{x.file}:{x.line or 1}:{x.column or 1}"
        level = "" if x.severity == "error" else ("警告 " if lang != "en" else "warning ")
        code = x.code
        if colour:  # the place in bold, the code red for an error, yellow for a warning
            where, code = paint(where, BOLD), paint(code, RED if level == "" else YELLOW)
        lines.append(f"{where}: {code} {level}{x.message(lang)}")
    return "\n".join(lines)


def summary(diagnostics: Iterable[Diagnostic], lang: str = "zh") -> str:
    """共 N 个问题，涉及 M 个文件 (warnings counted aside), for the end of a report."""
    return summary_line(((x.file, x.severity) for x in diagnostics), lang)


def _gh_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(diagnostics: list[Diagnostic], lang: str = "zh") -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for x in diagnostics:
        kind = "error" if x.severity == "error" else "warning"
        props = (
            f"file={_gh_escape(x.file, prop=True)},line={x.line or 1},col={x.column or 1},"
            f"title={x.code}"
        )
        lines.append(f"::{kind} {props}::{_gh_escape(x.message(lang))}")
    return "\n".join(lines)


def to_json(diagnostics: list[Diagnostic], lang: str = "zh") -> str:
    return json.dumps(
        [
            {
                "file": x.file,
                "line": x.line or 1,
                "column": x.column or 1,
                "code": x.code,
                "severity": x.severity,
                "message": x.message(lang),
                "message_en": x.message("en"),
            }
            for x in diagnostics
        ],
        ensure_ascii=False,
        indent=2,
    )
