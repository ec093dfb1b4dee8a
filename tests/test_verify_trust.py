"""A verifier that cannot be steered: every manifest field is checked before it reaches git,
every published page is hashed and built again, the commit must be on the main branch, and
every mismatch is a coded message with a non-zero exit, never a traceback. Real git
repositories and real MkDocs builds in tmp dirs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import HR, LINJING, Repo, make_repo

from kpiledger.pipeline import evaluate
from kpiledger.publish.manifest import sha256, write_manifest
from kpiledger.publish.shards import period_documents
from kpiledger.publish.verify import verify

TOP = Path(__file__).resolve().parents[1]


def kpi(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=repo.path,
                          capture_output=True, text=True, check=False)


def codes(manifest: Path, **kw: object) -> list[str]:
    return [x.code for x in verify(manifest, **kw)]  # type: ignore[arg-type]


def published(tmp_path: Path) -> tuple[Repo, Path]:
    repo = make_repo(tmp_path)
    evaluation = evaluate(repo.ledger)
    return repo, write_manifest(repo.path / "public", repo.ledger,
                                period_documents(evaluation.results))


def rewrite(manifest: Path, **fields: object) -> None:
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc.update(fields)
    manifest.write_text(json.dumps(doc), encoding="utf-8")


@pytest.mark.parametrize("field, value", [
    ("commit", "--output=PWNED"),
    ("commit", "HEAD"),  # a name, not a commit: the manifest must pin one
    ("ledger", "--output=PWNED"),
    ("ledger", "../outside"),
    ("ledger", "/etc"),
    ("results", {"path": "../../PWNED.json", "sha256": "0" * 64}),
    ("inputs", {"../x.yaml": "0" * 64}),
    ("build", {"config": "--output=PWNED.yml", "lang": "zh"}),
])
def test_a_steering_field_is_refused_before_git_sees_it(tmp_path, field, value) -> None:
    repo, manifest = published(tmp_path)
    rewrite(manifest, **{field: value})
    done = kpi(repo, "verify", "--no-site", str(manifest))
    assert done.returncode == 1, done.stdout
    assert "KPI711" in done.stdout and field in done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    assert not list(repo.path.rglob("PWNED*"))


def test_at_given_as_an_option_is_refused(tmp_path) -> None:
    repo, manifest = published(tmp_path)
    done = kpi(repo, "verify", "--no-site", "--at", "--output=PWNED", str(manifest))
    assert done.returncode == 1 and "KPI713" in done.stdout, done.stdout + done.stderr
    assert not list(repo.path.rglob("PWNED*"))


def test_unreadable_manifest_is_a_coded_message(tmp_path) -> None:
    repo, manifest = published(tmp_path)
    manifest.write_text("{not json", encoding="utf-8")
    done = kpi(repo, "verify", str(manifest))
    assert done.returncode == 1 and "KPI710" in done.stdout
    assert "Traceback" not in done.stderr
    done = kpi(repo, "verify", "public/none.json")
    assert done.returncode == 2 and "KPI710" in done.stdout


def test_commit_must_be_on_the_main_branch(tmp_path) -> None:
    repo = make_repo(tmp_path)
    repo.branch("side")
    repo.edit("2026-05/cs-team-1/E1101.yaml", "  work: 9", "  work: 10")
    repo.commit(LINJING, "未合并的修改")
    evaluation = evaluate(repo.ledger)
    manifest = write_manifest(repo.path / "public", repo.ledger,
                              period_documents(evaluation.results))
    repo.git("checkout", "-q", "main")
    assert codes(manifest) == ["KPI712"]
    assert codes(manifest, main="side") == []
    assert codes(manifest, main="no-such-branch") == ["KPI713"]
    done = kpi(repo, "verify", "--no-site", str(manifest))
    assert done.returncode == 1 and "KPI712" in done.stdout and "main" in done.stdout


def site_repo(tmp_path: Path) -> tuple[Repo, Path]:
    """The example ledger with mkdocs.yml and the hand-written pages, built by `kpi build`."""
    repo = make_repo(tmp_path)
    shutil.copy(TOP / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(TOP / "site", repo.path / "site")
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "网站", email=HR)
    done = kpi(repo, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    return repo, repo.path / "public" / "manifest.json"


def test_every_published_page_is_hashed_and_built_again(tmp_path) -> None:
    repo, manifest = site_repo(tmp_path)
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    assert doc["build"] == {"config": "mkdocs.yml", "lang": None}
    pages = [rel for rel in doc["site"] if rel.endswith("index.html")]
    assert "index.html" in pages and "search/search_index.json" in doc["site"]
    done = kpi(repo, "verify", str(manifest))
    assert done.returncode == 0, done.stdout + done.stderr

    # a total changed on a person's page: its hash no longer matches
    rel = "people/E1101/index.html"
    page = repo.path / "public" / rel
    text = page.read_text(encoding="utf-8")
    forged = text.replace("<td", "<td data-x=1", 1) + "<!-- 100.00 -->"
    page.write_text(forged, encoding="utf-8")
    done = kpi(repo, "verify", str(manifest))
    assert done.returncode == 1 and f"{rel}:1:1: KPI714" in done.stdout, done.stdout

    # ...and with the manifest's hash changed to match, the rebuild still tells
    doc["site"][rel] = sha256(forged.encode("utf-8"))
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    done = kpi(repo, "verify", str(manifest))
    assert done.returncode == 1 and f"{rel}:1:1: KPI718" in done.stdout, done.stdout
    assert "KPI714" not in done.stdout
