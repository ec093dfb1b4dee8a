"""Benchmark how kpiledger's cost grows with the ledger: the curve of issue 17 (线性成本).

    python scripts/bench_curve.py [--sizes 500x12,2000x12,5000x12,10000x12]
                                  [--ledgers /tmp/kpiledger-bench] [--repeat 1]
                                  [--table docs/img/curve.md] [--svg docs/img/curve.svg]

For each size (people × months; 500×12 = 6,000 records) the synthetic ledger is generated
under --ledgers (outside the repository) unless it is there, then measured, each in its own
process so that peak memory belongs to one command:

- `kpi check` cold (a fresh KPI_CACHE_DIR) and warm (the same cache, nothing changed);
- scoring and ranking beyond loading, in-process as scripts/bench_score.py does (no JSON
  written), and the whole evaluation (rules, carry-over, aggregates) after it.

Times are CPU seconds (user + system, worker processes included): the machine is shared, so
wall time says more about the neighbours than about us; wall time is printed beside them,
with the load average (`uptime`) at the start of each measurement. Peak memory is the largest
resident set of the command or any worker it waited for (`wait4`). Per-record figures are
compared with the 24,000-record row (issue 17: within 1.3×).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_RECORDS = 24_000  # the existing benchmarks' ledger: every per-record figure is against it
LIMIT = 1.3


@dataclass
class Run:
    cpu: float  # user + system seconds of the process and the workers it waited for
    wall: float
    peak_mib: float  # largest resident set of the process or any of its workers
    load: float  # one-minute load average when the run started
    out: str = ""
    code: int = 0  # the command's exit code


def measure(cmd: list[str], env: dict[str, str], keep_output: bool = True) -> Run:
    """One command run to completion, with its CPU time, wall time and peak memory. Without
    `keep_output` its standard output is thrown away: a large output kept here would count
    in the next command's peak (a forked child's peak starts at its parent's size)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.DEVNULL,
                            stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL)
    out = proc.stdout.read().decode() if proc.stdout is not None else ""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, load, out,
               proc.returncode)


# Scoring in its own process, as scripts/bench_score.py does: load (from the warm cache), then
# time scoring and the whole evaluation; prints CPU and wall seconds of each.
_SCORE = """
import sys, time
from pathlib import Path
from kpiledger.check.ledger import open_ledger
from kpiledger.evaluate import evaluate_ledger
from kpiledger.gc_tuning import tune_gc
from kpiledger.score.ledger import score_ledger
tune_gc()
opened = open_ledger(Path(sys.argv[1]))
for run in (score_ledger, evaluate_ledger):
    cpu, wall = time.process_time(), time.perf_counter()
    result = run(opened.ledger)
    print(time.process_time() - cpu, time.perf_counter() - wall)
    del result
"""


@dataclass
class Row:
    records: int
    cold: Run
    warm: Run
    score: Run  # cpu/wall: scoring only; peak: the whole process (loading included)
    evaluate_cpu: float


def ledger_for(folder: Path, people: int, months: int) -> Path:
    ledger = folder / f"p{people}-m{months}"
    if not (ledger / "org.yaml").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_synthetic_ledger.py"), str(ledger),
             "--people", str(people), "--months", str(months)],
            check=True,
        )
    return ledger


def best(runs: list[Run]) -> Run:
    return min(runs, key=lambda r: r.cpu)


def measure_size(ledger: Path, records: int, repeat: int) -> Row:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    kpi = [sys.executable, "-m", "kpiledger", "check", str(ledger)]
    colds, warms, scores, evaluates = [], [], [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            env["KPI_CACHE_DIR"] = cache
            colds.append(measure(kpi, env))
            warms.append(measure(kpi, env))
            run = measure([sys.executable, "-c", _SCORE, str(ledger)], env)
        (score_cpu, score_wall), (evaluate_cpu, _) = (
            tuple(float(x) for x in line.split()) for line in run.out.splitlines()[-2:]
        )
        scores.append(Run(score_cpu, score_wall, run.peak_mib, run.load))
        evaluates.append(evaluate_cpu)
    return Row(records, best(colds), best(warms), best(scores), min(evaluates))


def per_record(row: Row) -> dict[str, float]:
    """µs of CPU and KiB of peak memory per record, for the curve."""
    n = row.records
    return {
        "check_cold_us": row.cold.cpu / n * 1e6,
        "score_us": row.score.cpu / n * 1e6,
        "check_kib": row.cold.peak_mib * 1024 / n,
        "score_kib": row.score.peak_mib * 1024 / n,
    }


def table(rows: list[Row]) -> str:
    """The curve as a Markdown table: figures, per-record figures and their ratio to the
    24,000-record row."""
    base = next((per_record(r) for r in rows if r.records == BASE_RECORDS), None)
    lines = [
        "| 记录 records | `kpi check` 冷 cold: CPU / wall, peak | 热 warm: CPU / wall | "
        "评分 scoring CPU / wall (evaluation CPU) | 评分进程峰值 scoring process peak | "
        "每条记录 per record: check µs, score µs, check KiB, score KiB | "
        "× 24,000 行 (≤ 1.3) | 负载 load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        p = per_record(row)
        ratios = "—" if base is None else " / ".join(
            f"{p[k] / base[k]:.2f}" for k in ("check_cold_us", "score_us", "check_kib", "score_kib")
        )
        loads = f"{row.cold.load:.1f} / {row.warm.load:.1f} / {row.score.load:.1f}"
        lines.append(
            f"| {row.records:,} | {row.cold.cpu:.1f} s / {row.cold.wall:.1f} s, "
            f"{row.cold.peak_mib:.0f} MiB | {row.warm.cpu:.2f} s / {row.warm.wall:.2f} s | "
            f"{row.score.cpu:.2f} s / {row.score.wall:.2f} s ({row.evaluate_cpu:.2f} s) | "
            f"{row.score.peak_mib:.0f} MiB | {p['check_cold_us']:.0f}, {p['score_us']:.0f}, "
            f"{p['check_kib']:.1f}, {p['score_kib']:.1f} | {ratios} | {loads} |"
        )
    return "\n".join(lines) + "\n"


_SERIES = (  # key, label, colour: time in the left panel, memory in the right
    ("check_cold_us", "kpi check 冷 cold", "#1f77b4"),
    ("score_us", "评分 scoring", "#d62728"),
    ("check_kib", "kpi check 峰值 peak", "#1f77b4"),
    ("score_kib", "评分进程峰值 scoring peak", "#d62728"),
)


def svg(rows: list[Row]) -> str:
    """Two line charts side by side: CPU µs per record and peak KiB per record, against the
    number of records (a straight flat line is linear cost)."""
    w, h, pad = 360, 240, 48
    xs = [r.records for r in rows]
    points = [per_record(r) for r in rows]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {2 * w} {h + 40}" '
        'font-family="sans-serif" font-size="11">'
    ]
    panels = (
        ("每条记录的 CPU 时间 µs / CPU time per record", _SERIES[:2]),
        ("每条记录的峰值内存 KiB / peak memory per record", _SERIES[2:]),
    )
    for panel, (title, series) in enumerate(panels):
        left = panel * w
        top = max(p[k] for p in points for k, _, _ in series) * 1.15 or 1.0

        def px(x: float, left: int = left) -> float:
            return left + pad + (x / max(xs)) * (w - 2 * pad)

        def py(y: float, top: float = top) -> float:
            return h - pad + 20 - (y / top) * (h - 2 * pad)

        out.append(f'<text x="{left + w / 2}" y="16" text-anchor="middle">{title}</text>')
        out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(max(xs))}" y2="{py(0)}" '
                   'stroke="#888"/>')
        out.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(0)}" y2="{py(top)}" '
                   'stroke="#888"/>')
        for x in xs:
            out.append(f'<text x="{px(x):.1f}" y="{py(0) + 14:.1f}" text-anchor="middle">'
                       f'{x // 1000}k</text>')
        out.append(f'<text x="{left + w / 2}" y="{h + 30}" text-anchor="middle">'
                   '记录数 / records</text>')
        for i, (key, label, colour) in enumerate(series):
            pairs = zip(xs, points, strict=True)
            line = " ".join(f"{px(x):.1f},{py(p[key]):.1f}" for x, p in pairs)
            dash = ' stroke-dasharray="4 3"' if i else ""
            out.append(f'<polyline points="{line}" fill="none" stroke="{colour}"{dash}/>')
            for x, p in zip(xs, points, strict=True):
                out.append(f'<circle cx="{px(x):.1f}" cy="{py(p[key]):.1f}" r="2.5" '
                           f'fill="{colour}"/>')
                out.append(f'<text x="{px(x):.1f}" y="{py(p[key]) - 5:.1f}" '
                           f'text-anchor="middle" fill="{colour}">{p[key]:.0f}</text>')
            out.append(f'<text x="{left + pad + 6}" y="{34 + 14 * i}" fill="{colour}">'
                       f"{label}</text>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500x12,2000x12,5000x12,10000x12",
                        help="people x months, comma-separated")
    parser.add_argument("--ledgers", type=Path, default=Path(tempfile.gettempdir()) /
                        "kpiledger-bench", help="where the ledgers are generated (not the repo)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the best is kept")
    parser.add_argument("--table", type=Path, help="write the Markdown table here")
    parser.add_argument("--svg", type=Path, help="write the chart here")
    args = parser.parse_args()
    rows = []
    for size in args.sizes.split(","):
        people, months = (int(x) for x in size.split("x"))
        ledger = ledger_for(args.ledgers, people, months)
        rows.append(measure_size(ledger, people * months, args.repeat))
        print(table(rows[-1:]).splitlines()[-1], flush=True)
    text = table(rows)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores\n")
    print(text)
    if args.table:
        args.table.parent.mkdir(parents=True, exist_ok=True)
        args.table.write_text(text, encoding="utf-8")
    if args.svg:
        args.svg.parent.mkdir(parents=True, exist_ok=True)
        args.svg.write_text(svg(rows), encoding="utf-8")


if __name__ == "__main__":
    main()
