"""Finding a ledger's files: one walk of its folders with each file's stat, for the checker's
cache. Hidden folders and files are skipped; symbolic links are listed but never followed, so
that `check.ledger.read_one` refuses them (KPI120) instead of reading a file outside."""

from __future__ import annotations

import os
from pathlib import Path

from kpiledger.load.cache import Stat

YAML = (".yaml", ".yml")


def scan(root: Path) -> dict[str, Stat]:
    """Every YAML file below `root` (hidden folders skipped) with its size, mtime, ctime and
    inode; a symbolic link to a folder or named like a YAML file with its own (lstat) stat."""
    found: dict[str, Stat] = {}
    pending = [("", str(root))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                if entry.name.endswith(YAML) or entry.is_dir():
                    st = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                                  st.st_ino)
            elif entry.is_dir():
                pending.append((f"{prefix}{entry.name}/", entry.path))
            elif entry.name.endswith(YAML):
                st = entry.stat()
                found[prefix + entry.name] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                                              st.st_ino)
    return found


def discover(root: Path) -> list[str]:
    """Every YAML file below `root` as a relative path with forward slashes, sorted."""
    return sorted(scan(root))


def link_target(root: Path | str, rel: str) -> str | None:
    """Where the file at `rel` points when it is a symbolic link; None for a plain file."""
    path = os.path.join(root, rel)
    return os.readlink(path) if os.path.islink(path) else None
