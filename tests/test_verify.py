"""Verifiable results: `write_manifest` then `kpi verify` recomputing from git."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from gitrepo import LINJING, make_repo

from kpiledger.diagnostics import format_text
from kpiledger.pipeline import evaluate
from kpiledger.publish.manifest import write_manifest
from kpiledger.publish.shards import period_documents
from kpiledger.publish.verify import verify as verify_diagnostics


def verify(manifest, at=None):
    """The problems as the command prints them, one line each."""
    return [line for line in format_text(verify_diagnostics(manifest, at), "en").splitlines()]


def test_verify_honest_then_altered(tmp_path) -> None:
    repo = make_repo(tmp_path)
    public = repo.path / "public"
    evaluation = evaluate(repo.ledger)
    manifest = write_manifest(public, repo.ledger, period_documents(evaluation.results))
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    assert doc["commit"] == repo.git("rev-parse", "HEAD").strip()
    assert "org.yaml" in doc["inputs"] and "schemes/cs-agent.yaml" in doc["schemes"]
    assert verify(manifest) == []
    done = subprocess.run([sys.executable, "-m", "kpiledger", "verify", str(manifest)],
                          cwd=repo.path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout

    # one published result altered
    index = json.loads((public / "results" / "index.json").read_text(encoding="utf-8"))
    shard = public / "results" / index["periods"][0]["file"]  # gzipped; hashed as JSON text
    honest = shard.read_bytes()
    data = json.loads(gzip.decompress(honest))
    first = data["results"][0]
    first["total"] = "100.00"
    altered = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    shard.write_bytes(gzip.compress(altered.encode("utf-8")))
    problems = verify(manifest)
    assert any(shard.name in p for p in problems)
    assert any(f"{first['period']} {first['scheme']} {first['assessee']}" in p and "total" in p
               for p in problems)
    shard.write_bytes(honest)
    assert verify(manifest) == []

    # one input altered and committed: verify at the new commit names the file
    rel = "2026-05/cs-team-1/E1101.yaml"
    repo.edit(rel, "  work: 9", "  work: 10")
    repo.commit(LINJING)
    problems = verify(manifest, at="HEAD")
    assert any(p.startswith(f"ledger/{rel}") for p in problems)
    assert any("2026-05 cs-agent E1101" in p for p in problems)
    done = subprocess.run([sys.executable, "-m", "kpiledger", "verify", "--at", "HEAD",
                           str(manifest)], cwd=repo.path, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 1
