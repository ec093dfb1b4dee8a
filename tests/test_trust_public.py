"""The public edition names no one: no employee id, full name or e-mail anywhere in what it
publishes (pages, search index, sitemap, results, manifest); a person's page address is a
pseudonym that stays the same from build to build with the same site key, yet cannot be
worked out from the id without it; and the public edition can be verified like the full one.
Real git repositories and real MkDocs builds in tmp dirs."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from gitrepo import HR, Repo, make_repo
from ruamel.yaml import YAML

from kpiledger.publish.manifest import sha256
from kpiledger.publish.public import pseudonym

TOP = Path(__file__).resolve().parents[1]
KEY = "a-public-site-key-for-these-tests-0123456789"


def kpi(repo: Repo, *args: str, key: str | None = KEY) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KPI_SITE_KEY"}
    if key is not None:
        env["KPI_SITE_KEY"] = key
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=repo.path, env=env,
                          capture_output=True, text=True, check=False)


def site_repo(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path)
    shutil.copy(TOP / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(TOP / "site", repo.path / "site")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "网站", email=HR)
    return repo


def published_text(site: Path) -> dict[str, str]:
    """Every published file's text (gzip opened), by its path in the site."""
    out = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".gz", ".txt"):
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            out[path.relative_to(site).as_posix()] = data.decode("utf-8")
    return out


def test_the_public_edition_names_no_one(tmp_path: Path) -> None:
    repo = site_repo(tmp_path)
    done = kpi(repo, "build", "--public", "--site-dir", "pub")
    assert done.returncode == 0, done.stderr
    charts = [repo.ledger / "org.yaml", *sorted((repo.ledger / "org").glob("*.yaml"))]
    docs = [YAML(typ="safe").load(f.read_text(encoding="utf-8")) for f in charts]
    people = [p for doc in docs for p in doc.get("people") or []]
    assert len(people) > 30  # every unit file read
    ids = [p["id"] for p in people]
    secrets = [p["name"] for p in people] + [p.get("name_en") for p in people if p.get("name_en")]
    secrets += [i for p in people for i in p.get("identities", []) if "@" in i or ":" in i]
    id_pattern = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(ids) + r")(?![0-9])")
    files = published_text(repo.path / "pub")
    assert {"results/index.json", "manifest.json", "search/search_index.json",
            "sitemap.xml"} <= set(files)
    for rel, text in files.items():
        found = id_pattern.search(text)
        assert found is None, f"{rel}: {text[max(found.start() - 80, 0):found.end() + 40]}"
        assert not [s for s in secrets if s in text], rel
    # every person with results has a page at their pseudonym, found from the results
    index = json.loads(files["results/index.json"])
    assert index["edition"] == "public" and index["periods"]
    shards = [json.loads(files[f"results/{e['file']}"]) for e in index["periods"]]
    assert all(s["edition"] == "public" for s in shards)
    rows = [r for s in shards for r in s["results"]]
    assert rows
    row = rows[0]
    assert "assessee" not in row and "money" not in row and "records" not in row
    assert all("inputs" not in i for i in row["items"])
    tokens = {r["person"] for r in rows}
    for token in tokens:
        assert (repo.path / "pub" / "people" / token / "index.html").is_file()
    assert tokens == {p.name for p in (repo.path / "pub" / "people").iterdir()}


def test_a_page_address_is_stable_but_not_derivable(tmp_path: Path) -> None:
    repo = site_repo(tmp_path)

    def people(site: str) -> list[str]:  # people's pages (a unit assessed as a whole keeps its id)
        return sorted(p.name for p in (repo.path / site / "people").iterdir()
                      if re.fullmatch("[0-9a-f]{16}", p.name))

    assert kpi(repo, "build", "--public", "--site-dir", "a").returncode == 0
    assert kpi(repo, "build", "--public", "--site-dir", "b").returncode == 0
    assert people("a") == people("b")  # the same key: the same addresses, build after build
    assert kpi(repo, "build", "--public", "--site-dir", "c", key="another-key-" + "9" * 32
               ).returncode == 0
    assert not set(people("a")) & set(people("c"))
    # the address is the keyed hash of the id, and no plain hash of it
    assert pseudonym(KEY.encode(), "E1101") in people("a")
    plain = {hashlib.sha256(b"E1101").hexdigest()[:16], hashlib.md5(b"E1101").hexdigest()[:16]}
    assert not plain & set(people("a"))


def test_no_public_build_without_a_site_key(tmp_path: Path) -> None:
    repo = site_repo(tmp_path)
    for key in (None, "short"):
        done = kpi(repo, "build", "--public", "--site-dir", "pub", key=key)
        assert done.returncode == 1 and "KPI_SITE_KEY" in done.stderr, done.stderr
        assert "公开版需要站点密钥" in done.stderr and "Traceback" not in done.stderr
        assert not (repo.path / "pub").exists()
    # the full edition needs none
    assert kpi(repo, "build", "--site-dir", "full", key=None).returncode == 0


def test_the_public_edition_is_verified_with_its_key(tmp_path: Path) -> None:
    repo = site_repo(tmp_path)
    assert kpi(repo, "build", "--public", "--site-dir", "pub").returncode == 0
    manifest = repo.path / "pub" / "manifest.json"
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    assert doc["build"] == {"config": "mkdocs.yml", "lang": None, "public": True}
    assert "inputs" not in doc and len(doc["inputs_digest"]) == 64  # paths name people
    done = kpi(repo, "verify", "pub/manifest.json")
    assert done.returncode == 0, done.stdout + done.stderr
    done = kpi(repo, "verify", "pub/manifest.json", key=None)
    assert done.returncode == 1 and "KPI723" in done.stdout, done.stdout
    done = kpi(repo, "verify", "pub/manifest.json", key="a-wrong-key-" + "0" * 32)
    assert done.returncode == 1 and "KPI717" in done.stdout, done.stdout

    # a total changed in the published results, with its hashes made to match (the period's
    # file, the index that lists it and the manifest)
    index_file = repo.path / "pub" / "results" / "index.json"
    index = json.loads(index_file.read_text(encoding="utf-8"))
    entry = next(e for e in index["periods"] if e["results"])
    results = repo.path / "pub" / "results" / entry["file"]
    published = json.loads(gzip.decompress(results.read_bytes()))
    published["results"][0]["total"] = "100.00"
    text = json.dumps(published, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    data = gzip.compress(text.encode("utf-8"), mtime=0)
    results.write_bytes(data)
    entry["sha256"] = sha256(text.encode("utf-8"))
    index_text = json.dumps(index, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    index_file.write_text(index_text, encoding="utf-8")
    doc["results"]["sha256"] = sha256(index_text.encode("utf-8"))
    doc["results"]["shards"][f"results/{entry['file']}"] = entry["sha256"]
    doc["site"][f"results/{entry['file']}"] = sha256(data)
    doc["site"]["results/index.json"] = sha256(index_text.encode("utf-8"))
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    done = kpi(repo, "verify", "pub/manifest.json")
    assert done.returncode == 1 and "KPI717" in done.stdout and "total" in done.stdout, done.stdout
