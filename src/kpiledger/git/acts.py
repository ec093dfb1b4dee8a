"""Who made each change to a ledger file, as git proves it: every commit that touched the file
in the whole history up to a commit (the pull requests' own commits included, not only where
they landed), with its author and committer e-mail and, when the ledger lists signing keys,
the person whose key made its good SSH signature.

The review refuses an approval or a signature its person did not commit (`review.acts`);
the site shows, for each signature and approval, the commit that proves it and how
(`site.pages.proof`). One `git log` pass over the ledger folder, plus one signature pass when
keys are listed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kpiledger.git.provenance import LOG_FORMAT, parse_log
from kpiledger.git.repo import GitError, git
from kpiledger.git.signing import signers


@dataclass(frozen=True)
class HistoryAt:
    """Where a ledger's history is read: the repository, the ledger folder in it ("" or
    ending in "/") and the commit it ends at."""

    top: Path
    prefix: str
    commit: str = "HEAD"


@dataclass(frozen=True)
class Act:
    """One commit that touched a file."""

    sha: str
    date: str  # committer date, ISO 8601
    email: str  # the author's e-mail
    committer_email: str
    signer: str | None = None  # the id of the person whose key signed it (None: not proven)


def file_acts(
    at: HistoryAt, keys: Mapping[str, Iterable[str]] | None = None
) -> dict[str, tuple[Act, ...]]:
    """Ledger-relative path → the commits that touched it, newest first. Empty when git
    cannot be read. With `keys` (person id → public keys), each act names its signer."""
    try:
        out = git(["log", "-z", "--no-renames", "--name-status", f"--format={LOG_FORMAT}",
                   at.commit, "--", at.prefix or "."], at.top)
        signed = signers(at.top, [at.commit], keys) if keys else {}
    except GitError:
        return {}
    found: dict[str, list[Act]] = {}
    for commit, files in parse_log(out.decode("utf-8", "surrogateescape")):
        act = Act(commit.sha, commit.date, commit.email, commit.committer_email,
                  signed.get(commit.sha))
        for _, path in files:
            if path.startswith(at.prefix):
                found.setdefault(path[len(at.prefix):], []).append(act)
    return {rel: tuple(acts) for rel, acts in found.items()}
