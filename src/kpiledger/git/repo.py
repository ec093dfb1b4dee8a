"""Small git helpers for `kpi review`, `kpi verify` and `kpi codeowners`: where the ledger sits
in its repository, a tree's blob ids, and many blobs through ONE `git cat-file --batch`.

One process per file would cost ~2 ms each (fork + exec); a batch process streams thousands of
blobs in tens of milliseconds.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


class GitError(RuntimeError):
    pass


def git(args: list[str], cwd: Path, *, check: bool = True) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=cwd, capture_output=True, check=False
        )
    except OSError as e:
        raise GitError(f"git: {e}") from None
    if check and done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


@dataclass(frozen=True)
class Where:
    """A ledger folder inside its repository."""

    top: Path  # the repository's top level
    prefix: str  # the ledger folder relative to top, "" or ending in "/"

    def repo_path(self, rel: str) -> str:
        return self.prefix + rel


def locate(root: Path) -> Where | None:
    """Where the ledger `root` sits in its git repository; None outside git."""
    try:
        top = git(["rev-parse", "--show-toplevel"], root).decode().strip()
    except GitError:
        return None
    rel = Path(root).resolve().relative_to(Path(top).resolve()).as_posix()
    return Where(Path(top), "" if rel == "." else rel + "/")


def rev(where: Where, ref: str) -> str:
    if ref.startswith("-"):  # git would read it as an option (`--output=…` writes a file)
        raise GitError(f"“{ref}” 不是提交号 / is not a revision")
    return git(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], where.top).decode().strip()


def tree_blobs(where: Where, commit: str) -> dict[str, str]:
    """Ledger-relative path → blob id of every file of the ledger at `commit`."""
    spec = [where.prefix] if where.prefix else []
    out = git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *spec], where.top)
    blobs: dict[str, str] = {}
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        if not entry:
            continue
        meta, path = entry.split("\t", 1)
        _, kind, sha = meta.split()
        if kind == "blob" and path.startswith(where.prefix):
            blobs[path[len(where.prefix) :]] = sha
    return blobs


class BlobReader:
    """One long-lived `git cat-file --batch`; `read` streams many blobs through it."""

    def __init__(self, top: Path) -> None:
        self._proc = subprocess.Popen(
            ["git", "cat-file", "--batch"],
            cwd=top,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def read(self, shas: list[str]) -> dict[str, bytes]:
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        unique = list(dict.fromkeys(shas))
        request = "".join(f"{s}\n" for s in unique).encode()

        def feed() -> None:  # a writer thread: a full pipe would otherwise deadlock us
            assert proc.stdin is not None
            proc.stdin.write(request)
            proc.stdin.flush()

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        found: dict[str, bytes] = {}
        for sha in unique:
            header = proc.stdout.readline().split()
            if len(header) < 3:  # "<sha> missing"
                continue
            size = int(header[2])
            found[sha] = proc.stdout.read(size)
            proc.stdout.read(1)  # the newline after each object
        writer.join()
        return found

    def read_files(self, index: Mapping[str, str], rels: Iterable[str]) -> dict[str, bytes]:
        """The bytes of the files `rels` by their blob ids in `index` (`tree_blobs`), in the
        order asked; a blob git does not have is left out."""
        rels = list(rels)
        got = self.read([index[r] for r in rels])
        return {r: got[index[r]] for r in rels if index[r] in got}

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
