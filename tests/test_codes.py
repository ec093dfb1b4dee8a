"""The code catalogue: complete, bilingual, documented, and used."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from kpiledger.diagnostics import d
from kpiledger.diagnostics.codes import CODES

ROOT = Path(__file__).resolve().parent.parent


def test_every_code_has_both_languages_and_a_severity() -> None:
    for code, entry in CODES.items():
        assert re.fullmatch(r"KPI[1-7]\d\d", code)
        assert entry.severity in ("error", "warning")
        assert entry.zh and entry.en
        assert re.search(r"[\u4e00-\u9fff]", entry.zh), code


def test_messages_format_with_missing_arguments() -> None:
    for code in CODES:
        assert d("f.yaml", code).message("zh")
        assert d("f.yaml", code).message("en")


def test_docs_table_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "gen_codes_doc.py"), "--check"], check=False
    )
    assert result.returncode == 0, "run: python scripts/gen_codes_doc.py"


def test_every_code_is_used_somewhere() -> None:
    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "src" / "kpiledger").rglob("*.py")
        if p.name != "codes.py"
    )
    unused = [code for code in CODES if f'"{code}"' not in source]
    assert unused == []


def test_every_schema_pattern_is_explained_in_words() -> None:
    """KPI205 says what a value should look like ("日期，如 2026-04-02"), never a raw regex."""
    from kpiledger.load.schema import SHAPES

    patterns = set()
    for path in (ROOT / "schemas").glob("*.json"):
        for match in re.finditer(r'"pattern": ("(?:[^"\\]|\\.)*")', path.read_text("utf-8")):
            patterns.add(json.loads(match.group(1)))
    assert patterns and sorted(patterns - set(SHAPES)) == []
