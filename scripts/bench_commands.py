"""Peak memory and time of every command that reads a whole ledger (issue 17: "peak memory of
any command ≤ 1.5 GB" at 120,000 records).

    python scripts/bench_commands.py LEDGER PERIOD [--site PUBLIC] [--base REF]

LEDGER is a synthetic ledger (`scripts/make_synthetic_ledger.py`; a git repository for
`--base`), PERIOD one of its periods. Each command runs in its own process, one after the
other, with one cache folder (KPI_CACHE_DIR) that the first `kpi check` fills, as a CI job
that restores its cache would: the figures beyond the first check are those of a warm cache.
`kpi build` runs twice with scripts/bench_mkdocs.py's config (pages rendered, then from
the page cache), and `kpi verify` checks that site, or with `--site` the folder another
`kpi build` wrote (of the script's own site, `kpi verify` recomputes every period and then
exits 1 with KPI720: its mkdocs.yml is not in the ledger's repository, so the site cannot be
built again at the commit); with `--base`, `kpi review --base REF` of the ledger's checked-out
branch. Peak memory is the largest resident set of the command or any worker it waited for
(`wait4`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench_curve import Run, measure  # scripts/ is on the path when run as a script
from bench_mkdocs import bench_config

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MIB = 1.5e9 / 2**20


def commands(period: str, scratch: Path, site: Path | None, base: str | None
             ) -> list[tuple[str, list[str]]]:
    found = [
        ("`kpi check`, cold cache", ["check", "."]),
        ("`kpi check`, warm", ["check", "."]),
        ("`kpi score (table)`", ["score"]),
        ("`kpi score --format csv`", ["score", "--format", "csv"]),
        ("`kpi score --format json`", ["score", "--format", "json"]),
        ("`kpi score --format json --out`", ["score", "--format", "json", "--out",
                                       str(scratch / "results")]),
        ("`kpi status`", ["status", period]),
        ("`kpi bulletin`", ["bulletin", period]),
        ("`kpi export`", ["export", period, "--xlsx", str(scratch / "export.xlsx")]),
    ]
    # the site: pages rendered (the check filled the load cache), then again from the page
    # cache; `kpi verify` of that site unless another one is named
    config = scratch / "mkdocs.yml"
    found += [
        ("`kpi build`, pages rendered", ["build", "--config", str(config)]),
        ("`kpi build`, pages from the cache", ["build", "--config", str(config)]),
    ]
    manifest = (site or scratch / "public") / "manifest.json"
    found.append(("`kpi verify`", ["verify", str(manifest)]))
    if base is not None:
        found.append(("`kpi review`", ["review", "--base", base]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ledger", type=Path)
    parser.add_argument("period")
    parser.add_argument("--site", type=Path, default=None)
    parser.add_argument("--base", default=None)
    args = parser.parse_args()
    ledger = args.ledger.resolve()
    print("| command | wall | CPU (user + sys) | peak | ≤ 1.5 GB | exit |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"),
               "KPI_CACHE_DIR": str(scratch / "cache")}
        (scratch / "mkdocs.yml").write_text(bench_config(ledger, scratch / "public"),
                                            encoding="utf-8")
        os.chdir(ledger)
        for name, argv in commands(args.period, scratch, args.site, args.base):
            run: Run = measure([sys.executable, "-m", "kpiledger", *argv], env,
                               keep_output=False)
            print(f"| {name} | {run.wall:.1f} s | {run.cpu:.1f} s | "
                  f"{run.peak_mib:,.0f} MiB | {'yes' if run.peak_mib <= BUDGET_MIB else '**no**'} "
                  f"| {run.code} |", flush=True)


if __name__ == "__main__":
    main()
