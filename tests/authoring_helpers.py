"""Shared by the authoring tests: a copy of the example ledger with its schemas beside it
(the command line is `conftest.kpi`)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

JULY = """  - id: 2026-07
    kind: month
    start: 2026-06-26
    end: 2026-07-25
    due: 2026-08-05 17:30
    status: open
"""


def copy_ledger(tmp: Path, *, july: bool = True) -> Path:
    """tmp/ledger (the example) and tmp/schemas, as in the repository; July opened."""
    ledger = tmp / "ledger"
    shutil.copytree(ROOT / "ledger", ledger)
    shutil.copytree(ROOT / "schemas", tmp / "schemas")
    if july:
        periods = ledger / "periods.yaml"
        text = periods.read_text(encoding="utf-8")
        head, sep, tail = text.partition("  - id: 2026-Q1")
        periods.write_text(head + JULY + sep + tail, encoding="utf-8")
    return ledger


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
