"""How often Python's cycle collector runs while kpiledger works.

A ledger run makes hundreds of thousands of long-lived objects (records, results) that hold
no reference cycles. With CPython's default threshold (a collection every 700 allocations)
the collector walks them again and again: a third of the time of scoring 24,000 records
(`scripts/bench_score.py`). mypy, another batch tool of this shape, sets the same threshold.
"""

from __future__ import annotations

import gc
import platform

THRESHOLD = (200_000, 30, 30)


def tune_gc() -> None:
    """Collect cycles less often; memory held by real cycles is still reclaimed."""
    if platform.python_implementation() == "CPython":
        gc.set_threshold(*THRESHOLD)
