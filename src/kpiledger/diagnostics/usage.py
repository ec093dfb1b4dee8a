"""Usage errors (a mistyped option, a missing argument) in the interface's language.

The command line is parsed by click, whose messages are English. A person who reads Chinese
gets them in Chinese: the message click made is matched against the shapes click writes
(`Invalid value for '--format': 'x' is not one of 'text', 'json'.`) and said again in
words; a shape not listed stays as click wrote it. The language is the command's `--lang`
when given (parsing failed, so it is read from the words typed), Chinese otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_Q = r"'([^']*)'"  # click quotes names and values with repr(): 'x'
# (pattern, Chinese) in the order tried; groups are put back as typed
_SHAPES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^No such option {_Q}\.?(?: Did you mean {_Q}\?)?$"), "没有选项“{0}”{1}"),
    (re.compile(rf"^No such option {_Q}\.? \(Did you mean one of: (.*)\?\)$"),
     "没有选项“{0}”（是否想写其中之一：{1}？）"),
    (re.compile(r"^No such option: (\S+)$"), "没有选项“{0}”"),
    (re.compile(rf"^No such command {_Q}\.$"), "没有命令“{0}”；可用的命令见 kpi -h"),
    (re.compile(rf"^No such command {_Q}\. Did you mean {_Q}\?$"),
     "没有命令“{0}”（是否想写“{1}”？）"),
    (re.compile(rf"^Missing argument {_Q}\.?$"), "缺少参数 {0}"),
    (re.compile(rf"^Missing option {_Q}\.?$"), "缺少选项“{0}”"),
    (re.compile(r"^Missing command\.?$"), "缺少命令；可用的命令见 kpi -h"),
    (re.compile(rf"^Option {_Q} requires an argument\.$"), "选项“{0}”后面要写一个值"),
    (re.compile(rf"^Option {_Q} requires (\d+) arguments\.$"), "选项“{0}”后面要写 {1} 个值"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$"), "多余的参数：{0}"),
    (re.compile(rf"^Invalid value for {_Q}: {_Q} is not one of (.*)\.$"),
     "{0} 的值“{1}”不可用；可选：{2}"),
    (re.compile(rf"^Invalid value for {_Q}: {_Q} is not {_Q}\.$"),
     "{0} 的值“{1}”不可用；只能是 {2}"),
    (re.compile(rf"^Invalid value for {_Q}: (?:Path|File|Directory) {_Q} does not exist\.$"),
     "{0}：路径“{1}”不存在"),
    (re.compile(rf"^Invalid value for {_Q}: (?:Path|File) {_Q} is a directory\.$"),
     "{0}：“{1}”是文件夹，这里要一个文件"),
    (re.compile(rf"^Invalid value for {_Q}: (?:Path|Directory) {_Q} is a file\.$"),
     "{0}：“{1}”是文件，这里要一个文件夹"),
    (re.compile(rf"^Invalid value for {_Q}: {_Q} is not a valid integer( range)?\.$"),
     "{0} 的值“{1}”不是整数"),
    (re.compile(rf"^Invalid value for {_Q}: (.*)$", re.S), "{0}：{1}"),  # our own words
]


def _choices(text: str) -> str:
    return "、".join(re.findall(r"'([^']*)'", text)) or text


def usage_message(message: str, lang: str) -> str:
    """Click's message about a usage error, in `lang` (zh or en)."""
    if lang == "en":
        return message
    for pattern, zh in _SHAPES:
        m = pattern.match(message.strip())
        if m is None:
            continue
        groups = [g or "" for g in m.groups()]
        if pattern.pattern.startswith("^No such option") and len(groups) == 2 and "one of" \
                not in pattern.pattern:
            groups[1] = f"（是否想写“{groups[1]}”？）" if groups[1] else ""
        if "is not one of" in pattern.pattern or "one of:" in pattern.pattern:
            groups[-1] = _choices(groups[-1])
        return zh.format(*groups)
    return message


def usage_text(usage: str, hint_command: str | None, message: str, lang: str) -> str:
    """What is printed for a usage error: the usage line, where to find help, the error."""
    usage = re.sub(r"^用法 / Usage: ?", "Usage: ", usage)  # the bilingual help's prefix
    if lang == "en":
        hint = f"Try '{hint_command} -h' for help.\n" if hint_command else ""
        head = f"{usage}\n{hint}\n" if usage else ""
        return f"{head}Error: {message}"
    usage = re.sub(r"^Usage: ?", "用法：", usage).replace("[OPTIONS]", "[选项]")
    usage = usage.replace("COMMAND [ARGS]...", "命令 [参数]...")
    hint = f"查看帮助：{hint_command} -h\n" if hint_command else ""
    head = f"{usage}\n{hint}\n" if usage else ""
    return f"{head}错误：{usage_message(message, lang)}"


def language_of(argv: Sequence[str]) -> str:
    """The language asked for on the command line: `--lang en` or `--lang=en`; else zh."""
    for k, word in enumerate(argv):
        if word == "--lang" and k + 1 < len(argv):
            return "en" if argv[k + 1] == "en" else "zh"
        if word.startswith("--lang="):
            return "en" if word.split("=", 1)[1] == "en" else "zh"
    return "zh"
