"""Benchmark `kpi verify` on the 1,000 × 24 synthetic ledger with signature checking on and off.

    python scripts/bench_verify_signed.py [--synth /work/ab/synth] [--runs 3]

Two copies of the synthetic ledger's repository are made in /tmp/kpi-bench-verify (the
original is never touched): `signed`, whose org chart lists an HR key (made with ssh-keygen)
and sets `require_signed_commits: true`, with every commit re-signed by that key; and
`plain`, the same org chart change without the requirement. Each gets a manifest of its
HEAD; `kpi verify --no-site` then runs alternately on the two, `--runs` times each.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

WORK = Path("/tmp/kpi-bench-verify")


def sh(cwd: Path, *args: str) -> str:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True).stdout


def prepare(synth: Path, name: str, key: Path | None) -> Path:
    repo = WORK / name
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(synth, repo, symlinks=True)
    top = (repo / "org.yaml").read_text(encoding="utf-8")
    hr = top.split("hr: [", 1)[1].split("]", 1)[0].split(",")[0].strip()
    pub = (WORK / "hr.pub").read_text(encoding="utf-8").strip()
    # the HR person's unit file (a split org chart), else org.yaml (the old single file)
    unit = next((p for p in sorted((repo / "org").glob("*.yaml"))
                 if f"- id: {hr}\n" in p.read_text(encoding="utf-8")), None)
    if unit is None:
        head, rest = top.split(f"- id: {hr}\n", 1)
        top = head + f"- id: {hr}\n    signing_keys: [\"{pub}\"]\n" + rest
    else:
        head, rest = unit.read_text(encoding="utf-8").split(f"- id: {hr}\n", 1)
        unit.write_text(head + f"- id: {hr}\n    signing_keys: [\"{pub}\"]\n" + rest,
                        encoding="utf-8")
    if key is not None:
        top = top.replace("hr: [", "require_signed_commits: true\nhr: [", 1)
    (repo / "org.yaml").write_text(top, encoding="utf-8")
    who = ["git", "-c", "user.name=hr", "-c", "user.email=hr@bench.invalid"]
    sh(repo, *who, "commit", "-qam", "signing keys")
    if key is not None:
        sign = f"git -c gpg.format=ssh -c user.signingkey={key} commit -q --amend --no-edit -S"
        sh(repo, *who, "rebase", "-q", "--exec", sign, "--root")
    code = ("import sys; from pathlib import Path; from kpiledger.pipeline import evaluate;"
            "from kpiledger.publish.manifest import write_manifest;"
            "from kpiledger.publish.shards import period_documents;"
            "r = Path(sys.argv[1]);"
            "write_manifest(r / 'public', r, period_documents(evaluate(r).results))")
    subprocess.run([sys.executable, "-c", code, str(repo)], check=True)
    return repo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synth", default="/work/ab/synth")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    key = WORK / "hr"
    if not key.exists():
        sh(WORK, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hr", "-f", str(key))
    repos = {"off": prepare(Path(args.synth), "plain", None),
             "on": prepare(Path(args.synth), "signed", key)}
    times: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(args.runs):
        for label, repo in repos.items():
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "kpiledger", "verify", "--no-site",
                                   "--main", "HEAD", "public/manifest.json"], cwd=repo,
                                  capture_output=True, text=True, check=False)
            times[label].append(time.perf_counter() - started)
            if done.returncode != 0:
                sys.exit(f"{label}: kpi verify failed\n{done.stdout}{done.stderr}")
    for label, ts in times.items():
        print(f"signatures {label}: " + " ".join(f"{t:.2f}" for t in ts) + " s")


if __name__ == "__main__":
    main()
