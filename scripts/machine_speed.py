"""How fast this machine runs Python right now, to read benchmark figures against.

The project's VM drifts by a third or more from one minute to the next, and not only in raw
CPU speed: scoring and the site build walk large heaps, so memory speed counts as much.
`python scripts/machine_speed.py` prints the best of three runs of two fixed loops — 20
million additions (CPU) and a walk over 2 million shuffled dicts (memory); the benchmarks
print the same line. Compare figures only between runs taken at similar speeds.
"""

from __future__ import annotations

import random
import time

STEPS = 20_000_000
DICTS = 2_000_000


def _best(run: object, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def cpu_seconds() -> float:
    def run() -> int:
        total = 0
        for i in range(STEPS):
            total += i
        return total

    return _best(run)


def memory_seconds() -> float:
    data = [{"a": i, "b": str(i)} for i in range(DICTS)]
    random.Random(1).shuffle(data)  # out of allocation order: every step misses the cache

    def run() -> int:
        total = 0
        for d in data:
            total += d["a"]
        return total

    return _best(run)


def speed_line() -> str:
    return (
        f"machine speed     cpu {cpu_seconds():.2f} s (20M additions), "
        f"memory {memory_seconds():.2f} s (2M shuffled dicts)"
    )


if __name__ == "__main__":
    print(speed_line())
