"""A cache of loaded, schema-checked files, and of whole check results.

It lives outside the ledger (`kpi check` never writes there): in $KPI_CACHE_DIR, else
$XDG_CACHE_HOME/kpiledger, else ~/.cache/kpiledger, one folder per ledger path. Loaded files
are kept in shards, one per period folder (plus one for the shared files), so that each worker
process reads and writes its own shard. An entry is used only while the file's size and
modification time are unchanged (as git's index does); anything unreadable is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import time
from functools import cache
from pathlib import Path
from typing import Any

from kpiledger import __version__

Stat = tuple[int, int]  # size, mtime in ns


def cache_dir() -> Path:
    explicit = os.environ.get("KPI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kpiledger"


@cache
def code_stamp() -> str:
    """Our version and the size and mtime of our own code and schemas: results computed by
    other code, even an edited checkout of this version, are never reused."""
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for path in sorted([*package.rglob("*.py"), *package.glob("schemas/*.json")]):
        st = path.stat()
        rel = path.relative_to(package).as_posix()
        h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _folder(root: Path) -> Path:
    key = hashlib.sha256(f"{code_stamp()}\0{Path(root).resolve()}".encode()).hexdigest()[:24]
    return cache_dir() / key


def _read(target: Path) -> Any:
    try:
        with open(target, "rb") as f:
            return pickle.load(f)
    except Exception:  # a missing, old or damaged cache is simply no cache
        return None


def _write(target: Path, value: Any) -> None:
    """Write atomically; a read-only home must not stop a check."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
    except OSError:
        pass


MAX_AGE_DAYS = 14
_OURS = re.compile(r"[0-9a-f]{24}")  # see _folder


def prune(now: float | None = None) -> None:
    """Forget caches untouched for MAX_AGE_DAYS: each code version and ledger path gets its
    own folder, and nothing else would ever remove the old ones."""
    now = time.time() if now is None else now
    try:
        folders = [p for p in cache_dir().iterdir() if p.is_dir()]
    except OSError:
        return
    for folder in folders:
        if not _OURS.fullmatch(folder.name):
            continue  # KPI_CACHE_DIR may point anywhere: touch only folders we made
        try:
            files = list(folder.iterdir())
            if any(f.is_dir() or not f.name.endswith((".pickle", ".tmp")) for f in files):
                continue
            newest = max((f.stat().st_mtime for f in files), default=0.0)
            if now - max(newest, folder.stat().st_mtime) > MAX_AGE_DAYS * 86400:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def load_shard(root: Path, shard: str) -> dict[str, tuple[Any, ...]]:
    data = _read(_folder(root) / f"{shard}.pickle")
    return data if isinstance(data, dict) else {}


def save_shard(root: Path, shard: str, entries: dict[str, tuple[Any, ...]]) -> None:
    _write(_folder(root) / f"{shard}.pickle", entries)


def fingerprint(stats: dict[str, Stat], only: list[str] | None, extra: Any = None) -> str:
    """Names every input of a check: each file's size and mtime, the selection, our version."""
    h = hashlib.sha256(code_stamp().encode())
    for rel in sorted(stats):
        size, mtime = stats[rel]
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
    h.update(repr(sorted(only) if only is not None else None).encode())
    h.update(repr(sorted(extra.items()) if isinstance(extra, dict) else extra).encode())
    return h.hexdigest()


def load_result(root: Path, key: str) -> Any | None:
    stored = _read(_folder(root) / "result.pickle")
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1]
    return None


def save_result(root: Path, key: str, value: Any) -> None:
    _write(_folder(root) / "result.pickle", (key, value))
