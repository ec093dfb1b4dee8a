"""Benchmark `kpi import` with the largest legitimate workbook: every person of the synthetic
company (1,000 agents), every item, one month.

    python scripts/bench_import.py [--people 1000] [--months 24]

Makes the git ledger with scripts/make_synthetic_ledger.py (--with-git) into a temporary
folder, removes its last month (committed), runs `kpi export` of the month before (which adds
the blank 录入 sheet for the removed month), fills that sheet from the removed records as an
HR clerk would (ratios as 分子/分母 columns, occurrences as `leave_day×2`), then times
`kpi import` of the filled workbook and checks that every record came back. Budget (issue
"Nothing silent, nothing partial"): the import takes seconds.
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

import openpyxl
from machine_speed import speed_line  # scripts/ is on the path when run as a script
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
# the 录入 sheet's headers (item titles of the synthetic cs-agent scheme) → record fields
COLUMNS = {
    "询单转化率分子": ("conversion", "numerator"), "询单转化率分母": ("conversion", "denominator"),
    "支付率": ("payment", None), "落实客单价": ("unit_price", None),
    "旺旺回复率分子": ("reply_rate", "numerator"), "旺旺回复率分母": ("reply_rate", "denominator"),
    "旺旺响应率": ("response_time", None),
    "客户退款率分子": ("refund_rate", "numerator"),
    "客户退款率分母": ("refund_rate", "denominator"),
    "工作任务": ("work", None), "客户关系管理": ("suggestions", None),
    "工作态度": ("attitude", None), "考勤": ("attendance", None),
}


def kpi(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def fill(book: Path, sheet: str, records: dict[str, dict]) -> int:
    """Fill the blank input sheet from the removed records; the number of rows filled."""
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    header = [c.value for c in ws[2]]
    filled = 0
    for row in ws.iter_rows(min_row=3):
        doc = records.get(row[0].value)
        if doc is None:
            continue
        filled += 1
        for j, head in enumerate(header):
            if head == "评语":
                row[j].value = doc.get("comment")
            elif head in COLUMNS:
                key, part = COLUMNS[head]
                value = doc["items"].get(key)
                if part:
                    value = value[part]
                elif key == "attendance":
                    value = "; ".join(f"{o['kind']}×{o.get('count', 1)}" for o in value or [])
                row[j].value = value
    wb.save(book)
    return filled


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=1000)
    ap.add_argument("--months", type=int, default=24)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kpi-bench-import-"))
    ledger = work / "ledger"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_synthetic_ledger.py"),
                    str(ledger), "--people", str(args.people), "--months", str(args.months),
                    "--with-git"], check=True, capture_output=True)
    env = {**os.environ, "KPI_CACHE_DIR": str(work / "cache")}
    months = sorted(p.name for p in ledger.iterdir() if p.is_dir() and p.name[:2] == "20")
    last, before = months[-1], months[-2]
    safe = YAML(typ="safe")
    removed = {}
    for path in (ledger / last).rglob("*.yaml"):
        doc = safe.load(path.read_text(encoding="utf-8"))
        removed[doc["assessee"]] = doc
    shutil.rmtree(ledger / last)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "commit", "-qam", f"remove {last}"], cwd=ledger, check=True)
    book = work / "book.xlsx"
    started = time.perf_counter()
    done = kpi(["export", before, "--xlsx", str(book)], ledger, env)
    exported = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
        return 1
    title = next(ws for ws in openpyxl.load_workbook(book, read_only=True).sheetnames
                 if ws.startswith(f"录入 {last}"))
    filled = fill(book, title, removed)
    started = time.perf_counter()
    done = kpi(["import", str(book)], ledger, env)
    seconds = time.perf_counter() - started
    written = len(list((ledger / last).rglob("*.yaml"))) if (ledger / last).is_dir() else 0
    print(speed_line())
    print(f"kpi export {before}: {exported:.1f} s; workbook {book.stat().st_size / 1e3:.0f} KB")
    print(f"kpi import, {filled} filled rows: {seconds:.1f} s, {written} records written, "
          f"exit {done.returncode}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if done.returncode == 0 and written == filled == len(removed) else 1


if __name__ == "__main__":
    raise SystemExit(main())
