"""Benchmark the published site on the synthetic ledger (1,000 people × 24 months).

    python scripts/bench_site.py [--people 1000] [--months 24] [--keep]

Makes the ledger with scripts/make_synthetic_ledger.py unless bench-ledger/p<N>-m<M> exists,
then times the whole `kpi build` (check + score + site) into a temporary public/ folder and
prints the seconds and the size of public/ in MB. Budgets (issue "The published site"):
build ≤ 40 s, site ≤ 80 MB. Also times 1,000 trend charts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_mkdocs import bench_config
from machine_speed import speed_line  # scripts/ is on the path when run as a script

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 40.0
BUDGET_MB = 80.0


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--keep", action="store_true", help="keep the built site and print its path")
    args = ap.parse_args()

    ledger = ROOT / "bench-ledger" / f"p{args.people}-m{args.months}"
    if not (ledger / "org.yaml").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "make_synthetic_ledger.py"), str(ledger),
             "--people", str(args.people), "--months", str(args.months)],
            check=True,
        )
    work = Path(tempfile.mkdtemp(prefix="kpi-bench-site-"))
    config = work / "mkdocs.yml"
    config.write_text(bench_config(ledger, work / "public"), encoding="utf-8")
    env = {**os.environ, "KPI_CACHE_DIR": str(work / "cache"), "NO_MKDOCS_2_WARNING": "1"}
    kpi = [sys.executable, "-m", "kpiledger", "build", "--config", str(config),
           "--site-dir", str(work / "public")]
    started = time.perf_counter()
    done = subprocess.run(kpi, env=env, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
        return done.returncode
    public = work / "public"
    mb = folder_mb(public)
    people = len(list((public / "people").iterdir()))
    pages = sum(1 for _ in public.rglob("index.html"))
    index_mb = (public / "search" / "search_index.json").stat().st_size / 1e6

    from kpiledger.site.svg import trend_svg

    points = [(f"2025-{m:02d}", 60.0 + m) for m in range(1, 13)] * 2
    t0 = time.perf_counter()
    for _ in range(1000):
        trend_svg(points, title="总分趋势")
    svg_ms = (time.perf_counter() - t0)  # seconds for 1,000 = ms per chart

    print(speed_line())
    print(f"ledger            {ledger.relative_to(ROOT)}")
    print(f"kpi build         {seconds:.1f} s   (budget {BUDGET_SECONDS:.0f} s, cold cache)")
    print(f"public/           {mb:.1f} MB  (budget {BUDGET_MB:.0f} MB)")
    print(f"pages             {pages} ({people} assessee pages)")
    print(f"search index      {index_mb:.1f} MB")
    print(f"trend chart       {svg_ms:.3f} ms each (1,000 charts of 24 periods)")
    if args.keep:
        print(f"site kept in      {public}")
    else:
        shutil.rmtree(work)
    return 0 if seconds <= BUDGET_SECONDS and mb <= BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
