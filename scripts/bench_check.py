"""Benchmark `kpi check` against check-jsonschema on a synthetic ledger.

    python scripts/bench_check.py --people 1000 --months 24

Generates the ledger (scripts/make_synthetic_ledger.py) unless it exists, then times, each in
its own process: `kpi check` cold (empty cache), `kpi check` again on the unchanged ledger
(warm), and check-jsonschema with the same schemas on the same files, in one process and in
two (one per core). Prints seconds, peak memory and the ratios; budgets from the issues are
printed beside them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (MiB) of one command run to completion: the
    largest of the command's own process and the worker processes it started and waited for
    (each run starts from a fresh intermediate process, so earlier runs do not count)."""
    start = time.perf_counter()
    wrapper = [sys.executable, "-c", _PEAK, *cmd]
    proc = subprocess.Popen(wrapper, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    code, peak_kib = (int(x) for x in out.split())
    return seconds, code, peak_kib // 1024


# Runs the command and prints its exit code and the peak RSS (KiB) over it and its children.
_PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
    "stderr=subprocess.DEVNULL).returncode\n"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def files_of(ledger: Path, kind: str) -> list[str]:
    if kind == "record":
        return sorted(str(p) for p in ledger.glob("[0-9]*/*/*.yaml"))
    return sorted(str(p) for p in ledger.glob("schemes/*.yaml"))


def check_jsonschema(ledger: Path, workers: int) -> tuple[float, int]:
    """check-jsonschema over the records, split across `workers` processes run at once."""
    records = files_of(ledger, "record")
    schema = str(ROOT / "schemas" / "record.schema.json")
    chunks = [records[i::workers] for i in range(workers)]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [str(BIN / "check-jsonschema"), "--schemafile", schema, *chunk],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for chunk in chunks
    ]
    peak = 0
    for p in procs:
        _, _, usage = os.wait4(p.pid, 0)
        peak = max(peak, usage.ru_maxrss // 1024)
    return time.perf_counter() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--ledger", type=Path, help="use this ledger instead of generating one")
    parser.add_argument("--skip-reference", action="store_true", help="skip check-jsonschema")
    args = parser.parse_args()

    ledger = args.ledger or ROOT / "bench-ledger" / f"p{args.people}-m{args.months}"
    if not (ledger / "org.yaml").exists():
        ledger.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_synthetic_ledger.py"),
                str(ledger),
                "--people",
                str(args.people),
                "--months",
                str(args.months),
            ],
            check=True,
        )
    records = len(files_of(ledger, "record"))
    print(f"ledger: {ledger} ({records} records), {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KPI_CACHE_DIR": cache}
        kpi = [str(BIN / "kpi"), "check", str(ledger)]
        cold, code, cold_mem = run(kpi, env)
        warm, _, warm_mem = run(kpi, env)
    print(f"kpi check cold:   {cold:6.2f} s  peak {cold_mem} MiB  exit {code}  (budget 8 s, 1 GiB)")
    print(f"kpi check warm:   {warm:6.2f} s  peak {warm_mem} MiB  (budget 1 s)")
    if args.skip_reference:
        return
    one, one_mem = check_jsonschema(ledger, 1)
    two, _ = check_jsonschema(ledger, 2)
    print(f"check-jsonschema: {one:6.2f} s  peak {one_mem} MiB (one process), {two:.2f} s (two)")
    print(
        f"ratio: kpi check cold is {one / cold:.1f}x faster than check-jsonschema "
        f"({two / cold:.1f}x against two processes; budget at least 4x)"
    )


if __name__ == "__main__":
    main()
