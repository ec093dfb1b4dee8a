"""What git says changed in a ledger's working tree: the files not yet committed.

Used to freeze closed periods: a record of a closed period that is added, edited or deleted
in the working tree is a change to a frozen period, which only a correction may make.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def uncommitted(root: Path) -> dict[str, str] | None:
    """Ledger-relative path → git's two-letter status; None when `root` is not in git or the
    repository has no commit yet (a ledger being set up has nothing frozen)."""
    try:
        subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"],
            cwd=root,
            capture_output=True,
            check=True,
        )
        top = subprocess.run(
            ["git", "rev-parse", "--show-prefix"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        out = subprocess.run(
            ["git", "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", "."],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8", errors="surrogateescape")
    except (OSError, subprocess.CalledProcessError):
        return None
    changed: dict[str, str] = {}
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        status, path = entry[:2], entry[3:]
        if status[0] in "RC":  # a rename is followed by its old path
            old = entries[i]
            i += 1
            if old.startswith(top):
                changed[old[len(top) :]] = "D "
        if path.startswith(top):
            changed[path[len(top) :]] = status
    return changed
