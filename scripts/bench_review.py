"""Benchmark `kpi review` on a 10-record pull request against the 24,000-record synthetic ledger.

    python scripts/bench_review.py [--ledger DIR] [--runs 3]

DIR (default /tmp/kpi-bench-review/ledger) is made with
`scripts/make_synthetic_ledger.py DIR --people 1000 --months 24 --with-git` unless it is a git
repository already. A branch is then cut from `main`, and 10 records of the latest month, in
10 different units, get new scores — each committed by that unit's assessor (their e-mail in
org.yaml), as real pull requests are. `kpi review --base main` is run `--runs` times in its own
process; the wall seconds of each run are printed (the budget is 2 s).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 2.0


def git(repo: Path, *args: str, email: str | None = None) -> str:
    who = ["-c", "user.name=bench", "-c", f"user.email={email}"] if email else []
    done = subprocess.run(["git", *who, *args], cwd=repo, capture_output=True, text=True,
                          check=True)
    return done.stdout


def ensure_ledger(ledger: Path) -> None:
    if (ledger / ".git").exists():
        return
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_synthetic_ledger.py"), str(ledger),
         "--people", "1000", "--months", "24", "--with-git"],
        check=True,
    )


def assessor_mail(org: str, person: str) -> str:
    """The first e-mail of the person's assessor (the synthetic org.yaml's simple layout)."""
    block = org.split(f"  - id: {person}\n", 1)[1].split("\n  - id:", 1)[0]
    assessor = re.search(r"assessor: (\S+)", block).group(1)  # type: ignore[union-attr]
    block = org.split(f"  - id: {assessor}\n", 1)[1].split("\n  - id:", 1)[0]
    return re.search(r'identities: \["([^"]+)"', block).group(1)  # type: ignore[union-attr]


def make_change(ledger: Path, branch: str) -> None:
    git(ledger, "checkout", "-q", "-B", branch, "main")
    charts = [ledger / "org.yaml", *sorted((ledger / "org").glob("*.yaml"))]  # one per unit
    org = "".join(p.read_text(encoding="utf-8") for p in charts)
    latest = sorted(p.name for p in ledger.iterdir() if re.fullmatch(r"\d{4}-\d{2}", p.name))[-1]
    units = sorted(p.name for p in (ledger / latest).iterdir())[::8][:10]
    for unit in units:
        record = sorted((ledger / latest / unit).glob("*.yaml"))[0]
        text = record.read_text(encoding="utf-8")
        # a new work score and attitude: totals, ranks and maybe rule events move
        text = re.sub(r"(?m)^  work: (\d+)$", lambda m: f"  work: {10 if m[1] != '10' else 2}",
                      text)
        text = re.sub(r"(?m)^  attitude: (\d+)$",
                      lambda m: f"  attitude: {5 if m[1] != '5' else 1}", text)
        record.write_text(text, encoding="utf-8")
        mail = assessor_mail(org, record.stem)
        git(ledger, "commit", "-q", "-am", f"{record.stem} 考核记录", email=mail)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ledger", type=Path, default=Path("/tmp/kpi-bench-review/ledger"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_ledger(args.ledger)
    make_change(args.ledger, "bench-review")
    kpi = Path(sys.executable).parent / "kpi"
    seconds = []
    for _ in range(args.runs):
        start = time.perf_counter()
        done = subprocess.run([str(kpi), "review", "--base", "main", "--lang", "en"],
                              cwd=args.ledger, capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            sys.exit(done.stderr)
    print(done.stdout)
    shown = ", ".join(f"{s:.2f}" for s in seconds)
    print(f"kpi review, 10 changed records of 24,000: {shown} s "
          f"(best {min(seconds):.2f} s, budget {BUDGET:.1f} s)")


if __name__ == "__main__":
    main()
