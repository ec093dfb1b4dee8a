"""Results by period (issue 17, item 3): `kpi score --format json --out DIR` and the published
results/ folder hold one document per period and an index; `kpi verify` checks and recomputes
them period by period and names the period that differs."""

from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from gitrepo import HR, Repo, make_repo

from kpiledger import atomic
from kpiledger.atomic import WriteError
from kpiledger.diagnostics import Diagnostic
from kpiledger.pipeline import evaluate
from kpiledger.publish.manifest import sha256, write_manifest
from kpiledger.publish.results import results_document
from kpiledger.publish.shards import event_period, period_documents, read_shards, write_shards
from kpiledger.publish.verify import verify

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
INDEX = json.loads((REPO / "schemas" / "resultsindex.schema.json").read_text(encoding="utf-8"))


def kpi(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=repo.path,
                          capture_output=True, text=True, check=False)


def _key(entry: dict) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def test_every_entry_lives_in_exactly_one_period(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    done = kpi(repo, "score", "--ledger", "ledger", "--format", "json", "--out", "by-period")
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout == ""  # the folder holds the results; stderr says where
    assert "by-period" in done.stderr
    folder = repo.path / "by-period"
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    jsonschema.validate(index, INDEX)
    whole = results_document(evaluate(repo.ledger).results)
    seen: dict[str, Counter[str]] = {name: Counter() for name in
                                     ("results", "events", "warnings", "aggregates")}
    for entry, shard in read_shards(folder):
        assert shard is not None
        jsonschema.validate(shard, SCHEMA)
        text = (folder / entry["file"]).read_bytes()
        assert sha256(text) == entry["sha256"]
        for name in seen:
            assert entry[name] == len(shard[name])
            seen[name].update(_key(x) for x in shard[name])
        assert all(r["period"] == entry["period"] for r in shard["results"])
        assert all(a["period"] == entry["period"] for a in shard["aggregates"])
        # an event or warning: in the last period of the streak that raised it
        assert all(event_period(e) == entry["period"]
                   for e in shard["events"] + shard["warnings"])
    for name, counted in seen.items():  # the same entries as the whole document, each once
        assert counted == Counter(_key(x) for x in whole[name]), name
    assert seen["results"] and seen["aggregates"]
    assert [e["period"] for e in index["periods"]] == sorted(e["period"] for e in index["periods"])

    # the same command again: the same bytes; the single document stays on stdout without --out
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert kpi(repo, "score", "--ledger", "ledger", "--format", "json", "--out",
               "by-period").returncode in (0, 1)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    single = kpi(repo, "score", "--ledger", "ledger", "--format", "json")
    assert json.loads(single.stdout)["results"] == whole["results"]


def test_out_never_replaces_a_folder_of_other_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    done = kpi(repo, "score", "--ledger", "ledger", "--format", "json", "--out", "ledger")
    assert done.returncode == 2 and "KPI725" in done.stderr, done.stderr
    assert (repo.ledger / "org.yaml").is_file()  # untouched
    done = kpi(repo, "score", "--ledger", "ledger", "--format", "csv", "--out", "x")
    assert done.returncode == 2 and "--out" in done.stderr
    assert not (repo.path / "x").exists()


def published(tmp_path: Path) -> tuple[Path, Path]:
    """A manifest with the results by period beside it; the results folder."""
    repo = make_repo(tmp_path)
    manifest = write_manifest(repo.path / "public", repo.ledger,
                              period_documents(evaluate(repo.ledger).results))
    return manifest, repo.path / "public" / "results"


def where(problems: list[Diagnostic]) -> list[tuple[str, str]]:
    return sorted((x.code, Path(x.file).name) for x in problems)


def _rewrite(path: Path, doc: dict) -> str:
    text = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return text


def test_a_changed_period_is_named_even_with_every_hash_made_to_match(tmp_path: Path) -> None:
    manifest, folder = published(tmp_path)
    assert verify(manifest) == []
    assert {p.name for p in folder.iterdir()} >= {"index.json", "2026-03.json.gz"}
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    assert doc["version"] == 3 and doc["results"]["path"] == "results/index.json"
    assert set(doc["results"]["shards"]) == {f"results/{p.name}" for p in folder.iterdir()
                                             if p.name != "index.json"}

    # changed, hashes left alone: the file's hash, and the recomputation names the result
    shard = folder / "2026-04.json.gz"
    honest = shard.read_bytes()
    data = json.loads(gzip.decompress(honest))
    row = data["results"][0]
    row["total"] = "100.00"
    text = _rewrite(shard, data)
    problems = verify(manifest)
    assert where(problems) == [("KPI714", "2026-04.json.gz"), ("KPI717", "manifest.json"),
                               ("KPI724", "2026-04.json.gz")]
    words = [x.message("en") for x in problems if x.code == "KPI717"]
    assert f"2026-04 {row['scheme']} {row['assessee']}: total" in words[0]

    # ...and with the index and the manifest rewritten to match: only the recomputation
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    next(e for e in index["periods"] if e["period"] == "2026-04")["sha256"] = sha256(
        text.encode("utf-8"))
    index_text = _rewrite(folder / "index.json", index)
    doc["results"]["sha256"] = sha256(index_text.encode("utf-8"))
    doc["results"]["shards"]["results/2026-04.json.gz"] = sha256(text.encode("utf-8"))
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    problems = verify(manifest)
    assert [x.code for x in problems] == ["KPI717", "KPI717"]
    assert "2026-04" in problems[0].message("en")
    assert problems[1].message("en").endswith("the recomputed one (2026-04)")


def test_a_missing_or_extra_period_file_is_named(tmp_path: Path) -> None:
    manifest, folder = published(tmp_path)
    honest = (folder / "2026-05.json.gz").read_bytes()
    (folder / "2026-05.json.gz").unlink()
    problems = verify(manifest)
    assert where(problems) == [("KPI715", "2026-05.json.gz"), ("KPI717", "manifest.json")]
    assert "2026-05: " in problems[-1].message("en") and "missing" in problems[-1].message("en")

    (folder / "2026-05.json.gz").write_bytes(honest)
    (folder / "2026-07.json.gz").write_bytes(honest)  # a period nobody published
    assert where(verify(manifest)) == [("KPI716", "2026-07.json.gz")]


def test_an_index_that_lies_is_caught(tmp_path: Path) -> None:
    manifest, folder = published(tmp_path)
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))

    # a count changed, the manifest's hash of the index made to match
    entry = next(e for e in index["periods"] if e["period"] == "2026-03")
    entry["results"] += 1
    text = _rewrite(folder / "index.json", index)
    doc["results"]["sha256"] = sha256(text.encode("utf-8"))
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    problems = verify(manifest)
    assert where(problems) == [("KPI717", "manifest.json"), ("KPI724", "2026-03.json.gz")]
    said = {x.code: x.message("en") for x in problems}
    assert f"the index says {entry['results']} results" in said["KPI724"]
    assert said["KPI717"].endswith("the recomputed one (2026-03)")

    # a period left out of the index (its file and hash still in the manifest)
    entry["results"] -= 1
    index["periods"].remove(entry)
    text = _rewrite(folder / "index.json", index)
    doc["results"]["sha256"] = sha256(text.encode("utf-8"))
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    codes = where(verify(manifest))
    assert ("KPI724", "2026-03.json.gz") in codes and ("KPI717", "manifest.json") in codes


def test_the_site_publishes_every_period_byte_identically(tmp_path: Path) -> None:
    """Two builds of the same commit: the same results/ folder and manifest, byte for byte
    (gzip with mtime 0); no results.json.gz of the whole any more."""
    repo = make_repo(tmp_path)
    shutil.copy(REPO / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(REPO / "site", repo.path / "site")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "网站", email=HR)
    for site in ("a", "b"):
        done = kpi(repo, "build", "--site-dir", site)
        assert done.returncode == 0, done.stdout + done.stderr

    def files(site: str) -> dict[str, bytes]:
        top = repo.path / site
        return {p.relative_to(top).as_posix(): p.read_bytes() for p in sorted(top.rglob("*"))
                if p.is_file() and (p.parent.name == "results" or p.name == "manifest.json")}

    a = files("a")
    assert a == files("b")
    assert not (repo.path / "a" / "results.json.gz").exists()
    manifest = json.loads(a["manifest.json"])
    shards = {rel for rel in a if rel.endswith(".json.gz")}
    assert shards and set(manifest["results"]["shards"]) == shards
    assert shards | {"results/index.json"} <= set(manifest["site"])
    for rel in shards:  # the site's hash is the file's; the results' hash is its text's
        assert manifest["site"][rel] == sha256(a[rel])
        assert manifest["results"]["shards"][rel] == sha256(gzip.decompress(a[rel]))


def test_a_failed_write_leaves_the_previous_folder(tmp_path: Path, monkeypatch) -> None:
    """The disk fills up at the third period's file: the previous results stay whole and no
    half-written folder is left beside them."""
    repo = make_repo(tmp_path)
    results = evaluate(repo.ledger).results
    folder = tmp_path / "out"
    write_shards(folder, period_documents(results), compress=False)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real, calls = atomic.write_fd, {"n": 0}

    def full_disk(fd: int, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd, data)

    monkeypatch.setattr(atomic, "write_fd", full_disk)
    with pytest.raises(WriteError):
        write_shards(folder, period_documents(results), compress=True)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "repo"]
