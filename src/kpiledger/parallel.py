"""Work spread over forked processes: the workers inherit their context (a ledger's org chart,
calendar and schemes, or both sides of a pull request) by fork instead of receiving it
pickled, which for such a context costs more than the work it saves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, TypeVar

J = TypeVar("J")
R = TypeVar("R")
_inherited: Any = None  # what `fork_map`'s workers read, inherited by fork


def fork_map(work: Callable[[J], R], jobs: Sequence[J], context: object, workers: int) -> list[R]:
    """`work` over `jobs`: in `workers` forked processes when there are two or more of both,
    else here. `work` reads `context` with `inherited()`; the workers inherit it by fork
    instead of receiving it pickled, which for a ledger's context costs more than it saves."""
    global _inherited
    _inherited = context
    try:
        if workers < 2 or len(jobs) < 2:
            return [work(job) for job in jobs]
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            return list(pool.map(work, jobs))
    finally:
        _inherited = None


def inherited() -> Any:
    """The `context` of the `fork_map` that runs the calling `work`."""
    return _inherited
