"""Provenance (来源): for every ledger file, the commit that added it and the one that last
changed it, read from ONE `git log --first-parent` pass over the ledger folder.

First-parent history is the history of the main branch: each commit on it is where a change
*landed* (a merge of a pull request, or a direct commit), so its committer date is when the
file became part of the published ledger, which is what the late-submission check needs.
Starting one git process per file would take minutes on 24,000 records; one pass takes well
under a second.
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kpiledger.git.repo import git

# The number of the pull (merge) request a landing commit names, as each forge writes it:
# GitHub "Merge pull request #12 from owner/branch" and squash "Title (#12)"; Gitea / Forgejo
# "Merge pull request 'Title' (#12) from user/branch into main" and squash "Title (#12)";
# GitLab "Merge branch 'x' into 'main'" with "See merge request group/project!12" in the body
# (its squash commits carry no number).
_PR_PATTERNS = (
    re.compile(r"^Merge pull request #(\d+)\b"),
    re.compile(r"^Merge pull request '.*' \(#(\d+)\) from "),
    re.compile(r"\(#(\d+)\)\s*$"),
)
_MR_PATTERN = re.compile(r"^See merge request (?:[\w.\-/]+)?!(\d+)\s*$", re.MULTILINE)
# Separators no commit can contain: a commit's author, subject or body is the submitter's
# text, and git lets it hold any byte but NUL, so a fixed control character could end a
# commit's record early and leave the files it touched unattributed. A nonce per process
# cannot be guessed when the commit is written.
_NONCE = secrets.token_hex(8)
_RECORD_SEP = f"\x1e{_NONCE}\x1e"
_FIELD_SEP = f"\x1f{_NONCE}\x1f"
# One commit's header; with --name-status -z its files follow as "STATUS\0path\0".
LOG_FORMAT = _RECORD_SEP + _FIELD_SEP.join(["%H", "%an", "%ae", "%ce", "%cI", "%s", "%b"]) + \
    _FIELD_SEP


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    email: str
    date: str  # committer date, ISO 8601 with offset: when it landed on the branch
    subject: str
    pr: int | None
    committer_email: str = ""  # GitHub's own address for web edits and merges

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass(frozen=True)
class FileProvenance:
    repo_path: str  # path relative to the repository root (for links to the file at a commit)
    added: Commit
    changed: Commit


def pr_number(subject: str, body: str = "") -> int | None:
    """The pull (merge) request number a commit's subject (or GitLab's body) names, if it
    looks like the landing of one."""
    for pattern in _PR_PATTERNS:
        m = pattern.search(subject)
        if m:
            return int(m.group(1))
    m = _MR_PATTERN.search(body) if subject.startswith("Merge branch ") else None
    return int(m.group(1)) if m else None


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
    )


def file_provenance(ledger_root: Path) -> dict[str, FileProvenance]:
    """Ledger-relative path → provenance, for every file present in first-parent history.

    Empty when the ledger is not inside a git repository (or git is missing): pages then say
    that provenance is unavailable instead of failing the build.
    """
    root = Path(ledger_root).resolve()
    try:
        top = _git(["rev-parse", "--show-toplevel"], root)
    except OSError:
        return {}
    if top.returncode != 0:
        return {}
    toplevel = Path(top.stdout.decode().strip()).resolve()
    prefix = root.relative_to(toplevel).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    return provenance_at(toplevel, prefix, "HEAD")


def provenance_at(toplevel: Path, prefix: str, commit: str) -> dict[str, FileProvenance]:
    """The same, for the ledger folder `prefix` of the repository at `toplevel`, in the
    history up to `commit` (what `kpi verify` needs to recompute a past build)."""
    log = _git(
        [
            "log",
            "--first-parent",
            "--diff-merges=first-parent",  # a merge's changes against the branch it landed on
            "--no-renames",  # a rename is a deletion and an addition: simple and exact
            "--name-status",
            "-z",
            f"--format={LOG_FORMAT}",
            commit,
            "--",
            prefix or ".",
        ],
        toplevel,
    )
    if log.returncode != 0:
        return {}
    return _parse(log.stdout.decode("utf-8", errors="replace"), prefix)


def commits_between(top: Path, base: str, head: str = "HEAD") -> list[tuple[Commit, list[str]]]:
    """The commits of `base..head` in the repository at `top`, newest first, each with the
    repository paths it touched (who wrote what in a pull request). Raises GitError.

    A merge commit lists the files it changed on its own (dense combined diff: what differs
    from every parent, such as a hand-made conflict resolution), so nothing a merge brings in
    goes unattributed; `merges` says which commits are merges."""
    out = git(["log", "-z", "--no-renames", "--name-status", "--diff-merges=dense-combined",
               f"--format={LOG_FORMAT}", f"{base}..{head}"], top)
    return [
        (commit, [path for _, path in files])
        for commit, files in parse_log(out.decode("utf-8", "surrogateescape"))
    ]


def merges(top: Path, base: str, head: str = "HEAD") -> set[str]:
    """The merge commits of `base..head`. Raises GitError."""
    return set(git(["rev-list", "--merges", f"{base}..{head}"], top).decode().split())


def parse_log(log: str) -> Iterator[tuple[Commit, list[tuple[str, str]]]]:
    """Each commit of a `git log --name-status -z --format=LOG_FORMAT`, with its (status, path)
    pairs."""
    for chunk in log.split(_RECORD_SEP):
        fields = chunk.split(_FIELD_SEP, 7)
        if len(fields) < 8:
            continue
        sha, author, email, committer, date, subject, body, rest = fields
        commit = Commit(sha, author, email, date, subject, pr_number(subject, body), committer)
        # With -z: "\n" after the header, then "STATUS\0path\0" per file.
        tokens = [t for t in (t.strip("\n") for t in rest.split("\0")) if t]
        yield commit, list(zip(tokens[::2], tokens[1::2], strict=False))


def _parse(text: str, prefix: str) -> dict[str, FileProvenance]:
    """Newest commit first: the first sighting of a path is its last change; its oldest
    addition (before any later deletion) is where it was added."""
    changed: dict[str, Commit] = {}
    added: dict[str, Commit] = {}
    repo_paths: dict[str, str] = {}
    gone: set[str] = set()  # deleted in a newer commit: older history is another file's
    for commit, files in parse_log(text):
        for status, path in files:
            if not path.startswith(prefix):
                continue
            rel = path[len(prefix) :]
            if rel in gone:
                continue
            if status.startswith("D"):
                # Deleted here: if never seen since, it is not a current file; if re-added
                # since, what came before belongs to an earlier file of the same name.
                gone.add(rel)
                continue
            changed.setdefault(rel, commit)
            repo_paths.setdefault(rel, path)
            added[rel] = commit  # keeps being overwritten until the oldest sighting
    return {
        rel: FileProvenance(repo_paths[rel], added[rel], changed[rel]) for rel in sorted(changed)
    }
