"""What a manifest may say, checked before any of it reaches git or the file system.

A manifest comes from a published site: anyone who can change the site can change it. So
every value is checked for its shape first: a commit is 40 hex digits, a hash 64, a path is
relative, stays inside its folder and cannot be read by git as an option (`--output=…`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kpiledger.diagnostics import Diagnostic, d

_COMMIT = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# a git ref a user may name with --at / --main: no option, no range, no control characters
_REF = re.compile(r"[A-Za-z0-9_\u4e00-\u9fff][A-Za-z0-9_./\u4e00-\u9fff~^-]*")


def safe_relative(value: object) -> bool:
    """A relative POSIX path that stays inside its folder and that git cannot take for an
    option: no absolute path, no `..`, no part starting with '-', no backslash or control
    character."""
    if not isinstance(value, str) or not value or len(value) > 1000:
        return False
    if value.startswith("/") or "\\" in value or any(ord(c) < 32 or c == "\x7f" for c in value):
        return False
    parts = value.split("/")
    return all(p not in ("", "..") and not p.startswith("-") for p in parts)


def safe_ref(value: str) -> bool:
    """A commit or branch name a user typed, which git must read as a revision only."""
    return bool(_REF.fullmatch(value)) and ".." not in value


def read_manifest(path: Path) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """The manifest at `path` and what is wrong with its fields (None when unreadable)."""
    file = path.as_posix()
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        return None, [d(file, "KPI710", reason=str(e))]
    if not isinstance(doc, dict):
        return None, [d(file, "KPI710", reason="not a JSON object / 不是 JSON 对象")]
    return doc, check_fields(file, doc)


def _bad(file: str, field: str, value: object, zh: str, en: str) -> Diagnostic:
    shown = repr(value) if not isinstance(value, str) else value
    return d(file, "KPI711", (field,), field=field, value=shown[:80], expected_zh=zh,
             expected_en=en)


def _hash_map(file: str, field: str, value: object) -> list[Diagnostic]:
    if not isinstance(value, dict):
        return [_bad(file, field, value, "应为 路径→SHA-256 的对象", "a path → SHA-256 object")]
    out = []
    for rel, h in value.items():
        if not safe_relative(rel):
            out.append(_bad(file, field, rel, "应为仓库内的相对路径", "a relative path inside"))
        elif not isinstance(h, str) or not _SHA256.fullmatch(h):
            out.append(_bad(file, f"{field}.{rel}", h, "应为 64 位十六进制", "64 hex digits"))
    return out


def check_fields(file: str, doc: dict[str, Any]) -> list[Diagnostic]:
    """Every field a verifier will use, by its shape."""
    return _head(file, doc) + _rest(file, doc)


def _head(file: str, doc: dict[str, Any]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if doc.get("version") != 3:  # 3: results by period; older manifests name one file
        out.append(_bad(file, "version", doc.get("version"), "应为 3", "3"))
    commit = doc.get("commit")
    if commit is not None and not (isinstance(commit, str) and _COMMIT.fullmatch(commit)):
        out.append(_bad(file, "commit", commit, "应为 40 位十六进制提交号", "40 hex digits"))
    ledger = doc.get("ledger", ".")
    if ledger != "." and not safe_relative(ledger):
        out.append(_bad(file, "ledger", ledger, "应为仓库内的相对路径",
                        "a path inside the repository"))
    return out + _results(file, doc.get("results"))


def _results(file: str, results: object) -> list[Diagnostic]:
    """The index's path and hash, and every period's file beside it with its hash."""
    if not isinstance(results, dict):
        return [_bad(file, "results", results, "应为对象", "an object")]
    out = []
    name = results.get("path")
    if not (safe_relative(name) and name.endswith(".json")):
        out.append(_bad(file, "results.path", name, "应为清单旁的结果索引 .json 文件",
                        "the results index, a .json file beside the manifest"))
        return out
    if not (isinstance(results.get("sha256"), str) and _SHA256.fullmatch(results["sha256"])):
        out.append(_bad(file, "results.sha256", results.get("sha256"), "应为 64 位十六进制",
                        "64 hex digits"))
    shards = results.get("shards")
    out += _hash_map(file, "results.shards", shards)
    folder = name.rpartition("/")[0]
    for rel in shards if isinstance(shards, dict) else ():
        if rel.rpartition("/")[0] != folder or not rel.endswith((".json", ".json.gz")):
            out.append(_bad(file, "results.shards", rel, "应为索引旁的 .json(.gz) 文件",
                            "a .json(.gz) file beside the index"))
    return out


def _rest(file: str, doc: dict[str, Any]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    if "inputs_digest" in doc and "inputs" not in doc:  # a public edition's manifest
        if not (isinstance(doc["inputs_digest"], str) and _SHA256.fullmatch(doc["inputs_digest"])):
            out.append(_bad(file, "inputs_digest", doc["inputs_digest"], "应为 64 位十六进制",
                            "64 hex digits"))
    else:
        out += _hash_map(file, "inputs", doc.get("inputs"))
    out += _hash_map(file, "schemes", doc.get("schemes", {}))
    if "site" in doc:
        out += _hash_map(file, "site", doc["site"])
    build = doc.get("build")
    if build is not None:
        config = build.get("config") if isinstance(build, dict) else None
        if not (safe_relative(config) and config.endswith((".yml", ".yaml"))):
            out.append(_bad(file, "build.config", config, "应为仓库内的 mkdocs.yml 路径",
                            "a mkdocs.yml path inside the repository"))
        if isinstance(build, dict) and build.get("public", False) not in (True, False):
            out.append(_bad(file, "build.public", build.get("public"), "应为 true 或 false",
                            "true or false"))
        if isinstance(build, dict) and build.get("lang") not in (None, "zh", "en"):
            out.append(_bad(file, "build.lang", build.get("lang"), "应为 zh 或 en", "zh or en"))
    return out
