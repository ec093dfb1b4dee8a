"""`kpi verify`: recompute a published manifest's results from git and compare.

The manifest's fields are checked for their shape first (`manifest_fields`): nothing it says
reaches git or the file system unchecked. Then: the published files against their hashes, the
commit on the main branch, the ledger exported at that commit with `git archive` and
evaluated through the one pipeline with the history up to it, input hashes by file, results
by period and assessee, and (when the manifest says how the site was built) the whole site
built again and compared page by page. Every mismatch is a diagnostic with a code.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from kpiledger import __version__
from kpiledger.diagnostics import Diagnostic, d, format_text, has_errors
from kpiledger.git.acts import HistoryAt
from kpiledger.git.provenance import FileProvenance, provenance_at
from kpiledger.git.repo import GitError, Where, git, locate, rev
from kpiledger.git.signing import signers
from kpiledger.model import Org
from kpiledger.pipeline import evaluate
from kpiledger.publish.manifest import input_hashes, inputs_digest, sha256
from kpiledger.publish.manifest_fields import read_manifest, safe_ref
from kpiledger.publish.public import SiteKeyError, public_document, site_key
from kpiledger.publish.shards import Shard, period_documents
from kpiledger.publish.verify_shards import compare_periods, published_results

# (the whole tree at the commit, the ledger folder in it, the manifest, the history, where
# it was read) → what differs in the rebuilt site; `site.reverify` provides it (a layer above)
Rebuild = Callable[[Path, Path, dict[str, Any], Mapping[str, FileProvenance], HistoryAt],
                   list[Diagnostic]]


def _export(top: Path, commit: str, prefix: str, into: Path) -> Path:
    """The folder `prefix` (or the whole tree) at `commit`, unpacked from `git archive`."""
    spec = ["--", prefix.rstrip("/")] if prefix else []
    data = git(["archive", "--format=tar", commit, *spec], top)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")  # no links out, no absolute paths
    return into / prefix if prefix else into


def _results_by_key(text: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    try:
        doc = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(doc, dict):
        return {}
    # a public edition names people by pseudonym ("person")
    return {
        (str(r.get("period")), str(r.get("scheme")), str(r.get("assessee", r.get("person")))): r
        for r in doc.get("results", [])
        if isinstance(r, dict)
    }


def compare_results(published: str, recomputed: str) -> list[str]:
    """Differences by period and assessee (and in events), in words."""
    if published == recomputed:
        return []
    out = []
    old, new = _results_by_key(published), _results_by_key(recomputed)
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        where = f"{key[0]} {key[1]} {key[2]}"
        if a is None:
            out.append(f"{where}: 发布的结果中缺少 / missing from the published results")
        elif b is None:
            out.append(f"{where}: 重新计算没有这个结果 / not in the recomputed results")
        elif a != b:
            fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            shown = ", ".join(f"{k}: {a.get(k)!r} ≠ {b.get(k)!r}" if k in ("total", "rank",
                              "grade", "of", "status") else k for k in fields)
            out.append(f"{where}: {shown}")
    if not out:
        out.append("结果文件不同（事件、警告、汇总或格式）/ the results file differs (events, "
                   "warnings, aggregates or layout)")
    return out


def _published_files(folder: Path, manifest: dict[str, Any]) -> list[Diagnostic]:
    """The results by period, then every listed site file beside the manifest, against its
    hash."""
    out = published_results(folder, manifest)
    site: dict[str, str] | None = manifest.get("site")
    if site is None:
        return out
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    on_disk.discard(Path(manifest.get("_name", "manifest.json")).name)
    for rel in sorted(set(site) | on_disk):
        path = (folder / rel).as_posix()
        if rel not in on_disk:
            out.append(d(path, "KPI715"))
        elif rel not in site:
            out.append(d(path, "KPI716"))
        elif sha256((folder / rel).read_bytes()) != site[rel]:
            out.append(d(path, "KPI714"))
    return out


def _on_main(where: Where, file: str, sha: str, main: str) -> list[Diagnostic]:
    """The commit must be reachable from the main branch: a build of an unmerged pull request
    (or of a commit made only for the occasion) is not a publication."""
    if not safe_ref(main):
        return [d(file, "KPI713", ref=main, reason="not a branch name / 不是分支名")]
    try:
        main_sha = rev(where, main)
    except GitError as e:
        return [d(file, "KPI713", ref=main, reason=str(e) or "unknown")]
    done = subprocess.run(["git", "merge-base", "--is-ancestor", sha, main_sha], cwd=where.top,
                          capture_output=True, check=False)  # both are 40-hex shas here
    return [] if done.returncode == 0 else [d(file, "KPI712", commit=sha[:12], branch=main)]


def verify(
    manifest_path: Path, at: str | None = None, main: str = "main",
    rebuild: Rebuild | None = None,
) -> list[Diagnostic]:
    """Every difference between a published manifest (with the files beside it) and what git
    recomputes at `at` (default: the manifest's commit). Empty when all agree."""
    manifest_path = Path(manifest_path)
    file = manifest_path.as_posix()
    manifest, problems = read_manifest(manifest_path)
    if manifest is None or problems:
        return problems
    manifest["_name"] = manifest_path.name
    key = b""
    if isinstance(manifest.get("build"), dict) and manifest["build"].get("public"):
        try:  # the public edition's pseudonyms are made with the site key
            key = site_key()
        except SiteKeyError:
            return [d(file, "KPI723")]
    problems += _published_files(manifest_path.parent, manifest)
    commit = at or manifest.get("commit")
    if not commit:
        return [*problems, d(file, "KPI711", ("commit",), field="commit", value="null",
                             expected_zh="清单没有提交号，请用 --at 指定",
                             expected_en="the manifest names no commit: give --at")]
    if not safe_ref(commit):
        return [*problems, d(file, "KPI713", ref=commit, reason="not a revision / 不是提交号")]
    where = locate(manifest_path.parent) or locate(Path.cwd())
    if where is None:
        return [*problems, d(file, "KPI713", ref=commit, reason="不在 git 仓库中 / not in git")]
    try:
        sha = rev(where, commit)
    except GitError as e:
        return [*problems, d(file, "KPI713", ref=commit, reason=str(e) or "unknown")]
    problems += _on_main(where, file, sha, main)
    ledger = manifest.get("ledger", ".")
    prefix = "" if ledger == "." else ledger.rstrip("/") + "/"
    build = manifest.get("build") if rebuild is not None and "site" in manifest else None
    with tempfile.TemporaryDirectory(prefix="kpi-verify-") as tmp:
        try:  # the whole tree when the site is built again (mkdocs.yml, hand-written pages)
            root = _export(where.top, sha, "" if build else prefix, Path(tmp))
        except GitError as e:
            return [*problems, d(file, "KPI713", ref=commit, reason=str(e))]
        root = root / prefix if build else root
        problems += _inputs(manifest, input_hashes(root) if root.is_dir() else {}, prefix)
        history = provenance_at(where.top, prefix, sha)  # the history up to the build's commit
        recomputed = evaluate(root, use_cache=False, provenance=history)
        problems += _signatures(where, file, sha, recomputed.ledger.org)
        shards: Iterable[Shard] = period_documents(recomputed.results)
        if key:
            lang = str(manifest["build"].get("lang") or "zh")
            org = recomputed.ledger.org
            shards = ((p, public_document(doc, key, org, lang)) for p, doc in shards)
        problems += [d(file, "KPI717", detail=x) for x in compare_periods(
            manifest_path.parent, manifest, shards, compare_results,
            "public" if key else None)]
        if build and rebuild is not None:
            problems += rebuild(Path(tmp), root, manifest, history,
                                HistoryAt(where.top, prefix, sha))
    if manifest.get("tool_version") != __version__:
        problems.append(d(file, "KPI719", published=str(manifest.get("tool_version")),
                          current=__version__))
    return _once(problems)


def _once(problems: list[Diagnostic]) -> list[Diagnostic]:
    """A period's file is checked as results and as a site file: each finding said once."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for x in problems:
        key = (x.code, x.file, x.message("en"))
        if key not in seen:
            seen.add(key)
            out.append(x)
    return out


def _signatures(where: Where, file: str, sha: str, org: Org) -> list[Diagnostic]:
    """When the org chart at the commit requires signed commits, every commit of the history
    that leads to it must carry a good SSH signature by a key the org chart lists."""
    if not org.require_signed_commits:
        return []
    keys = {p.id: p.signing_keys for p in org.people.values()}
    return [d(file, "KPI722", commit=c[:12])
            for c, who in signers(where.top, [sha], keys).items() if who is None]


def _inputs(manifest: dict[str, Any], actual: dict[str, str], prefix: str) -> list[Diagnostic]:
    out = []
    if "inputs" not in manifest:  # a public edition's manifest: one digest over them all
        same = manifest.get("inputs_digest") == inputs_digest(actual)
        return [] if same else [d(prefix or ".", "KPI714")]
    recorded: dict[str, str] = manifest["inputs"]
    for rel in sorted(set(recorded) | set(actual)):
        if rel not in actual:
            out.append(d(prefix + rel, "KPI715"))
        elif rel not in recorded:
            out.append(d(prefix + rel, "KPI716"))
        elif recorded[rel] != actual[rel]:
            out.append(d(prefix + rel, "KPI714"))
    for rel, h in sorted(manifest.get("schemes", {}).items()):
        if actual.get(rel) != h and rel in actual and recorded.get(rel) == actual.get(rel):
            out.append(d(prefix + rel, "KPI714"))
    return out


def run_verify(manifest: str, at: str | None, main: str = "main", lang: str = "zh",
               rebuild: Rebuild | None = None) -> int:
    """The `kpi verify` command: 0 verified, 1 a mismatch, 2 no manifest to check."""
    path = Path(manifest)
    if not path.is_file():
        print(f"{path}: KPI710 {d(str(path), 'KPI710', reason='no such file').message(lang)}")
        return 2
    problems = verify(path, at, main, rebuild)
    if problems:
        print(format_text(problems, lang))
    if not has_errors(problems):
        print("一致：结果可由 git 重新计算得到 / verified: git recomputes the same results")
    return 1 if has_errors(problems) else 0
