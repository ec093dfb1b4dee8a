"""Signed commits with SSH keys (git's `gpg.format=ssh`), checked offline.

The org chart lists each person's public keys (`signing_keys`); from them an allowed-signers
file is written whose principal is the person's id, so git names the signer by id. One
`git log` with `%G?` / `%GS` asks git to verify every commit of a range (git runs
`ssh-keygen -Y verify` for each, as `git verify-commit` does), in one process.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from kpiledger.git.repo import git

_SEP = "\x1f"


def allowed_signers(keys: Mapping[str, Iterable[str]]) -> str:
    """The allowed-signers text: person id → their public keys, for commits only."""
    return "".join(f'{pid} namespaces="git" {key.strip()}\n'
                   for pid, ks in sorted(keys.items()) for key in ks)


def signers(
    top: Path, revisions: list[str], keys: Mapping[str, Iterable[str]]
) -> dict[str, str | None]:
    """Commit sha → the id of the person whose key made its good signature (None: unsigned,
    bad, or by a key nobody in the org chart holds), for every commit `git log revisions`
    lists. Raises GitError."""
    with tempfile.NamedTemporaryFile("w", suffix=".allowed", encoding="utf-8") as f:
        f.write(allowed_signers(keys))
        f.flush()
        out = git(["-c", "gpg.format=ssh", "-c", f"gpg.ssh.allowedSignersFile={f.name}",
                   "log", f"--format=%H{_SEP}%G?{_SEP}%GS", *revisions, "--"], top)
    found: dict[str, str | None] = {}
    for line in out.decode("utf-8", "replace").splitlines():
        sha, status, who = [*line.split(_SEP), "", ""][:3]
        found[sha] = who if status == "G" and who else None
    return found
