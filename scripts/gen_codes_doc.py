"""Write docs/codes.md, the table of every diagnostic code, from kpiledger.diagnostics.codes.

python scripts/gen_codes_doc.py          # rewrite docs/codes.md
python scripts/gen_codes_doc.py --check  # exit 1 if docs/codes.md is stale (used by tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

from kpiledger.diagnostics.codes import CODES

TARGET = Path(__file__).resolve().parent.parent / "docs" / "codes.md"
FAMILIES = {
    "1": "文件与 YAML / the file and its YAML",
    "2": "结构（JSON Schema）/ structure (JSON Schema)",
    "3": "含义：引用、路径、权限、取值 / meaning: references, paths, permissions, values",
    "4": "考核方案 / schemes",
    "5": "跨期规则与日历 / cross-period rules and the calendar",
    "6": "编写记录 / authoring: kpi new, fmt, import, export, init",
    "7": "审核与发布 / review and publishing",
}


def render() -> str:
    lines = [
        "# 诊断代码 / Diagnostic codes",
        "",
        "Every problem `kpi check` reports is `path:line:column: CODE message`. Codes are stable:",
        "a code never changes its meaning. Generated from `src/kpiledger/codes.py` by",
        "`scripts/gen_codes_doc.py`; `{…}` are filled in per problem.",
        "",
    ]
    family = ""
    for code, entry in sorted(CODES.items()):
        if code[3] != family:
            family = code[3]
            lines += ["", f"## {code[3]}xx — {FAMILIES.get(family, '')}", ""]
            lines += ["| code | severity | 中文 | English |", "|---|---|---|---|"]
        zh = entry.zh.replace("|", "\\|")
        en = entry.en.replace("|", "\\|")
        lines.append(f"| `{code}` | {entry.severity} | {zh} | {en} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    text = render()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        sys.exit(0 if current == text else 1)
    TARGET.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
