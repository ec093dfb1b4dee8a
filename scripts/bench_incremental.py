"""Benchmark incremental and sharded site builds on the synthetic ledger (issue 17, items 4, 5).

    python scripts/bench_incremental.py [--people 1000] [--months 24] [--edits 10]
                                        [--shards 0] [--verify]

Copies bench-ledger/p<N>-m<M> (made with --with-git unless it exists) into a temporary
repository, then times, with one cache folder (KPI_CACHE_DIR) for all runs:

1. `kpi build` with empty caches (the first build of a CI cache);
2. after `--edits` records of the last month are changed and committed (a pull request's
   worth), `kpi build` again: the warm build, with its pages rendered and taken from the cache;
3. with `--verify`, `kpi build --no-cache` of the same commit, and whether every file of the
   two sites is byte-identical;
4. with `--shards N`, each `kpi build --shard i/N` one after another (each with its own
   empty page cache, as N CI jobs) and `kpi merge`; the slowest shard plus the merge is the
   wall time of the CI matrix on N machines.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_mkdocs import bench_config
from machine_speed import speed_line  # scripts/ is on the path when run as a script

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def counts(stderr: str) -> str:
    found = re.search(r"(\d+) 页重新生成，(\d+) 页取自缓存", stderr)
    return f"{found.group(1)} rendered, {found.group(2)} from the cache" if found else "?"


def edit_records(repo: Path, edits: int) -> None:
    """Change the conversion numerator of `edits` records of the last month; commit them."""
    last = sorted(p for p in repo.iterdir() if re.fullmatch(r"\d{4}-\d{2}", p.name))
    paths = sorted(last[-1].rglob("*.yaml"))[:: max(1, len(list(last[-1].rglob("*.yaml")))
                                                  // edits)][:edits]
    for path in paths:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"numerator: (\d+)", lambda m: f"numerator: {max(0, int(m.group(1)) - 9)}",
                      text, count=1)
        path.write_text(text, encoding="utf-8")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", f"edit {edits} records"], cwd=repo, check=True)


def same_tree(a: Path, b: Path) -> bool:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all((a / p).read_bytes() == (b / p).read_bytes()
                                      for p in files_a)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--shards", type=int, default=0)
    ap.add_argument("--verify", action="store_true")
    args = ap.parse_args()
    source = ROOT / "bench-ledger" / f"p{args.people}-m{args.months}-git"
    if not (source / "org.yaml").exists():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic_ledger.py"),
                        str(source), "--people", str(args.people), "--months",
                        str(args.months), "--with-git"], check=True)
    work = Path(tempfile.mkdtemp(prefix="kpi-bench-inc-"))
    repo = work / "ledger"  # the ledger is the repository, its history one commit a month
    shutil.copytree(source, repo, symlinks=True)
    (work / "mkdocs.yml").write_text(bench_config(repo), encoding="utf-8")
    env = {**os.environ, "KPI_CACHE_DIR": str(work / "cache"), "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(ROOT / "src")}
    kpi = [sys.executable, "-m", "kpiledger", "build", "--config", "mkdocs.yml"]
    print(speed_line())
    print(f"ledger            {source.relative_to(ROOT)}")
    first, err = run([*kpi, "--site-dir", "first"], work, env)
    print(f"first build       {first:.1f} s  ({counts(err)}; empty caches)")
    edit_records(repo, args.edits)
    warm, err = run([*kpi, "--site-dir", "warm"], work, env)
    print(f"after {args.edits} edits    {warm:.1f} s  ({counts(err)})")
    if args.verify:
        full, _ = run([*kpi, "--site-dir", "full", "--no-cache"], work, env)
        same = same_tree(work / "warm", work / "full")
        print(f"--no-cache build  {full:.1f} s  byte-identical to the warm build: {same}")
    if args.shards:
        times = []
        for i in range(1, args.shards + 1):
            shard_env = {**env, "KPI_CACHE_DIR": str(work / f"cache-shard{i}")}
            seconds, _ = run([*kpi, "--site-dir", f"shard{i}", "--shard",
                              f"{i}/{args.shards}", "--no-cache"], work, shard_env)
            times.append(seconds)
        merge, _ = run([sys.executable, "-m", "kpiledger", "merge",
                        *[f"shard{i}" for i in range(1, args.shards + 1)],
                        "--site-dir", "merged"], work, env)
        print(f"{args.shards} shards         " + ", ".join(f"{t:.1f}" for t in times)
              + f" s; merge {merge:.1f} s; matrix wall time {max(times) + merge:.1f} s")
        if args.verify:
            print(f"merged == single  {same_tree(work / 'merged', work / 'full')}")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
