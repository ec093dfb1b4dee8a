"""A cache of loaded, schema-checked files, keyed by each file's size and mtime.

It lives outside the ledger (`kpi check` never writes there): in $KPI_CACHE_DIR, else
$XDG_CACHE_HOME/kpiledger, else ~/.cache/kpiledger, one file per ledger path. A file whose
size or mtime changed is read again; anything unreadable in the cache is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from . import __version__

Stat = tuple[int, int]  # size, mtime in ns


def cache_dir() -> Path:
    explicit = os.environ.get("KPI_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kpiledger"


def _file_for(root: Path) -> Path:
    key = hashlib.sha256(f"{__version__}\0{root.resolve()}".encode()).hexdigest()[:24]
    return cache_dir() / f"files-{key}.pickle"


def stat_all(root: Path, rels: list[str] | tuple[str, ...]) -> dict[str, Stat]:
    stats = {}
    for rel in rels:
        try:
            st = os.stat(root / rel)
        except OSError:
            continue
        stats[rel] = (st.st_size, st.st_mtime_ns)
    return stats


def load_files(root: Path) -> dict[str, tuple[Any, ...]]:
    try:
        with open(_file_for(root), "rb") as f:
            data = pickle.load(f)
    except Exception:  # a missing, old or damaged cache is simply no cache
        return {}
    return data if isinstance(data, dict) else {}


def save_files(root: Path, entries: dict[str, tuple[Any, ...]]) -> None:
    _write(_file_for(root), entries)


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


def _result_file(root: Path) -> Path:
    return _file_for(root).with_name(_file_for(root).name.replace("files-", "result-"))


def fingerprint(stats: dict[str, Stat], only: list[str] | None) -> str:
    """Names every input of a check: each file's size and mtime, the selection, our version."""
    h = hashlib.sha256(__version__.encode())
    for rel in sorted(stats):
        size, mtime = stats[rel]
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
    h.update(repr(sorted(only) if only is not None else None).encode())
    return h.hexdigest()


def load_result(root: Path, key: str) -> Any | None:
    try:
        with open(_result_file(root), "rb") as f:
            stored_key, value = pickle.load(f)
    except Exception:
        return None
    return value if stored_key == key else None


def save_result(root: Path, key: str, value: Any) -> None:
    _write(_result_file(root), (key, value))
