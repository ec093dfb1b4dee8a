"""`kpi verify`: recompute a published manifest's results from git and compare.

The ledger is exported at the manifest's commit with `git archive`, evaluated through the one
pipeline with the history up to that commit, and compared: input hashes by file, results by
period and assessee.
"""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from kpiledger import __version__
from kpiledger.git.provenance import provenance_at
from kpiledger.git.repo import GitError, git, locate, rev
from kpiledger.pipeline import evaluate
from kpiledger.publish.manifest import RESULTS_FILE, input_hashes, read_results, sha256
from kpiledger.publish.results import results_to_json


def _export(top: Path, commit: str, prefix: str, into: Path) -> Path:
    """The ledger folder at `commit`, unpacked from `git archive` into `into`."""
    spec = [prefix.rstrip("/")] if prefix and prefix != "./" else []
    data = git(["archive", "--format=tar", commit, *spec], top)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")  # no links out, no absolute paths
    return into / prefix if prefix else into


def _results_by_key(text: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    try:
        doc = json.loads(text)
    except ValueError:
        return {}
    return {
        (str(r.get("period")), str(r.get("scheme")), str(r.get("assessee"))): r
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
        out.append("结果文件不同（事件、警告或格式）/ results.json differs (events, warnings or "
                   "layout)")
    return out


def verify(manifest_path: Path, at: str | None = None) -> list[str]:
    """Every difference between a published manifest (and its results.json) and what git
    recomputes at `at` (default: the manifest's commit). Empty when all agree."""
    manifest_path = Path(manifest_path)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    problems: list[str] = []
    results_file = manifest_path.parent / manifest.get("results", {}).get("path", RESULTS_FILE)
    published = read_results(results_file)
    if sha256(published.encode("utf-8")) != manifest.get("results", {}).get("sha256"):
        problems.append(f"{results_file.name}: SHA-256 与清单不符 / does not match the manifest")
    commit = at or manifest.get("commit")
    if not commit:
        return [*problems, "清单没有提交号，请用 --at 指定 / the manifest names no commit"]
    where = locate(manifest_path.parent) or locate(Path.cwd())
    if where is None:
        raise GitError("不在 git 仓库中 / not inside a git repository")
    ledger = manifest.get("ledger", ".")
    prefix = "" if ledger in (".", "") else ledger.rstrip("/") + "/"
    with tempfile.TemporaryDirectory(prefix="kpi-verify-") as tmp:
        sha = rev(where, commit)
        root = _export(where.top, sha, prefix, Path(tmp))
        recorded = manifest.get("inputs", {})
        actual = input_hashes(root)
        for rel in sorted(set(recorded) | set(actual)):
            if rel not in actual:
                problems.append(f"{prefix}{rel}: 提交中没有 / in the manifest, not in git")
            elif rel not in recorded:
                problems.append(f"{prefix}{rel}: 清单中没有 / in git, not in the manifest")
            elif recorded[rel] != actual[rel]:
                problems.append(f"{prefix}{rel}: SHA-256 不同 / hash differs")
        for rel, h in sorted(manifest.get("schemes", {}).items()):
            if actual.get(rel) != h:
                problems.append(f"{prefix}{rel}: 方案的 SHA-256 不同 / scheme hash differs")
        history = provenance_at(where.top, prefix, sha)  # the history up to the build's commit
        recomputed = evaluate(root, use_cache=False, provenance=history)
        problems += compare_results(published, results_to_json(recomputed.results))
    if manifest.get("tool_version") != __version__:
        problems.append(
            f"工具版本 {manifest.get('tool_version')} ≠ {__version__} / tool version differs"
        )
    return problems


def run_verify(manifest: str, at: str | None) -> int:
    """The `kpi verify` command."""
    path = Path(manifest)
    if not path.is_file():
        print(f"{path}: 找不到清单 / no such manifest")
        return 2
    try:
        problems = verify(path, at)
    except GitError as e:
        print(f"kpi verify: {e}")
        return 2
    for p in problems:
        print(p)
    if not problems:
        print("一致：结果可由 git 重新计算得到 / verified: git recomputes the same results")
    return 1 if problems else 0
