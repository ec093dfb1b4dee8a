"""Benchmark scoring: load the synthetic ledger once, then time scoring and ranking, the
whole evaluation (rules, carry-over, aggregates) and writing the results JSON: by period
(a folder, one document at a time, as `kpi score --format json --out` and the site write it)
and as one document (`kpi score --format json` on stdout), each with the peak memory of the
process after it (peaks only rise: by period is measured first).

    python scripts/bench_score.py --people 1000 --months 24

Budget (issue: the scheme language and the scoring engine): scoring and ranking 24,000
records in at most 2 s beyond loading.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine_speed import speed_line  # scripts/ is on the path when run as a script

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ledger = ROOT / "bench-ledger" / f"p{args.people}-m{args.months}"
    if not (ledger / "org.yaml").exists():
        ledger.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_synthetic_ledger.py"), str(ledger),
             "--people", str(args.people), "--months", str(args.months)],
            check=True,
        )
    from kpiledger.check.ledger import open_ledger
    from kpiledger.evaluate import evaluate_ledger
    from kpiledger.gc_tuning import tune_gc
    from kpiledger.publish.results import results_to_json
    from kpiledger.publish.shards import period_documents, write_shards
    from kpiledger.score.ledger import score_ledger

    tune_gc()  # as the `kpi` command does
    start = time.perf_counter()
    opened = open_ledger(ledger)
    print(f"load and check: {time.perf_counter() - start:.2f} s "
          f"({len(opened.ledger.records)} records)")
    for label, run in (
        ("score and rank", lambda: score_ledger(opened.ledger)),
        ("evaluate (with rules, carry-over, aggregates)", lambda: evaluate_ledger(opened.ledger)),
    ):
        best = min(_timed(run) for _ in range(args.repeat))
        print(f"{label}: {best:.2f} s (best of {args.repeat})")
    results = evaluate_ledger(opened.ledger)
    print(f"peak memory after evaluating: {_peak_mb():.0f} MiB")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        index = write_shards(Path(tmp) / "results", period_documents(results), compress=False)
        took = time.perf_counter() - start
        size = sum(p.stat().st_size for p in (Path(tmp) / "results").iterdir())
    print(f"results by period: {took:.2f} s, {len(index['periods'])} files, {size / 1e6:.1f} MB;"
          f" peak memory {_peak_mb():.0f} MiB")
    start = time.perf_counter()
    text = results_to_json(results)
    print(f"results JSON (one document): {time.perf_counter() - start:.2f} s, "
          f"{len(text.encode()) / 1e6:.1f} MB; peak memory {_peak_mb():.0f} MiB")
    print(speed_line())


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _timed(run: object) -> float:
    start = time.perf_counter()
    result = run()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    del result  # freeing the previous run's results is not part of the next run's time
    return elapsed


if __name__ == "__main__":
    main()
