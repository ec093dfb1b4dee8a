"""A cache of loaded, schema-checked files, and of whole check results.

It lives outside the ledger (`kpi check` never writes there): in $KPI_CACHE_DIR, else
$XDG_CACHE_HOME/kpiledger, else ~/.cache/kpiledger, one folder per ledger path. Loaded files
are kept in shards, one per period folder (plus one for the shared files), so that each worker
process reads and writes its own shard. An entry is used only while the file's size,
modification and change times and inode are unchanged, and only if the file had not been
changed within RACY_NS before it was read: an edit in the same clock tick as the read (or one
that puts the old mtime back) would otherwise look unchanged — git's "racy" entries, which
are read again until they settle. Anything unreadable is ignored; writes are atomic.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import shutil
import stat
import time
from functools import cache
from pathlib import Path
from typing import Any

from kpiledger import __version__
from kpiledger.atomic import WriteError, write_bytes

Stat = tuple[int, int, int, int]  # size, mtime and ctime in ns, inode
# Timestamps closer than this to the moment a file was read may not tell two versions apart
# (coarse file-system clocks: FAT 2 s, NFS and HFS+ 1 s; ext4 a few ms).
RACY_NS = 2_000_000_000


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
    """Write atomically (a failed write leaves no temporary file); a read-only or full home
    must not stop a check."""
    with contextlib.suppress(WriteError):
        write_bytes(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def settled(stat: Stat | None, read_from: int) -> bool:
    """Whether a file with this stat, read after `read_from` (ns), can be told from any later
    edit by its stat alone."""
    return stat is not None and max(stat[1], stat[2]) < read_from - RACY_NS


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
            if any(f.is_dir() or not f.name.endswith((".pickle", ".tmp", ".kpi-new"))
                   for f in files):
                continue
            for f in files:  # left by a check that was killed while writing
                if f.name.startswith(".") and now - f.stat().st_mtime > 3600:
                    f.unlink()
            newest = max((f.stat().st_mtime for f in files), default=0.0)
            if now - max(newest, folder.stat().st_mtime) > MAX_AGE_DAYS * 86400:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


def load_shard(root: Path, shard: str) -> dict[str, tuple[Any, ...]]:
    """The entries of a shard whose files had settled when they were read (`settled`)."""
    data = _read(_folder(root) / f"{shard}.pickle")
    if not (isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], dict)):
        return {}
    read_from, entries = data
    return {rel: e for rel, e in entries.items() if settled(e[0], read_from)}


def save_shard(
    root: Path, shard: str, entries: dict[str, tuple[Any, ...]], read_from: int | None = None
) -> None:
    """Keep `entries` (rel → (stat, …)); `read_from` is a time (ns) before any of them was
    read, the time of saving by default."""
    _write(_folder(root) / f"{shard}.pickle", (read_from or time.time_ns(), entries))


def file_hashes(root: Path, stats: dict[str, Stat]) -> dict[str, str]:
    """The SHA-256 of every file in `stats` (rel → its stat from `files.scan`), each read
    only when its stat changed since it was last hashed, or it had not settled then (see
    `settled`): a build's manifest names 120,000 files' hashes."""
    read_from = time.time_ns()
    stored = _read(_folder(root) / "hashes.pickle")
    known: dict[str, tuple[Stat, str]] = {}
    if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[1], dict):
        known = {rel: e for rel, e in stored[1].items() if settled(e[0], stored[0])}
    out: dict[str, str] = {}
    read = False
    for rel, st in stats.items():
        entry = known.get(rel)
        if entry is not None and entry[0] == st:
            out[rel] = entry[1]
        else:
            out[rel] = content_hash(Path(root) / rel)
            read = True
    if read or known.keys() != out.keys():  # a file read, added or gone
        _write(_folder(root) / "hashes.pickle",
               (read_from, {rel: (st, sha) for rel, st in stats.items()
                            if (sha := out[rel])}))
    return out


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes; of a symbolic link, of the link itself (never followed:
    the checker refuses it, KPI120); '' when it cannot be read (the checker says why)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: a named pipe must not stop the run
    except OSError:
        try:
            return hashlib.sha256(b"symlink:" + os.fsencode(os.readlink(path))).hexdigest()
        except OSError:
            return ""
    try:
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return ""  # a folder, a pipe, a device: not a ledger file
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return ""


def fingerprint(stats: dict[str, Stat], only: list[str] | None, extra: Any = None) -> str:
    """Names every input of a check: each file's size and mtime, the selection, our version."""
    h = hashlib.sha256(code_stamp().encode())
    for rel in sorted(stats):
        h.update(f"{rel}\0{stats[rel]}\n".encode())
    h.update(repr(sorted(only) if only is not None else None).encode())
    h.update(repr(sorted(extra.items()) if isinstance(extra, dict) else extra).encode())
    return h.hexdigest()


def load_result(root: Path, key: str, name: str = "result") -> Any | None:
    """What was saved as `name` under `key`; None when nothing, or something else, was."""
    stored = _read(_folder(root) / f"{name}.pickle")
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key:
        return stored[1]
    return None


def save_result(root: Path, key: str, value: Any, name: str = "result") -> None:
    _write(_folder(root) / f"{name}.pickle", (key, value))
