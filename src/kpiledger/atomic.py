"""All-or-nothing writes: a file is either its old content or its new content, never half of
one, and a set of files is either all old or all new.

One file: written to a hidden temporary file in the same folder, flushed to disk (fsync), then
renamed over the target (`os.replace`, atomic on POSIX). A set of files: every file is staged
first; only when all are on disk are they renamed into place, each old file kept as a hard
link beside it until the whole set is in. A journal in the root names every move, so a set
interrupted by a kill between two renames is rolled back by `recover` (every writing command
calls it first). A folder (the site) is built beside its target and exchanged with it in one
rename (`swap_dir`).

Every failure is raised as `WriteError` (path and reason) after the temporary files are gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

from kpiledger.diagnostics import Diagnostic, d

JOURNAL = ".kpi-journal-"  # + token + ".json", in the root of a set
_NEW, _OLD = ".kpi-new", ".kpi-old"


class WriteError(Exception):
    """A write that did not happen; nothing of it is left on disk."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason

    def diagnostic(self) -> Diagnostic:
        """KPI620 at the file that could not be written."""
        return d(self.path, "KPI620", path=self.path, reason=self.reason).at(1, 1)


def _reason(e: OSError) -> str:
    return e.strerror or str(e)


def _side(path: Path, token: str, tag: str) -> Path:
    """A hidden name beside `path` (the scanner and `kpi fmt` skip hidden files)."""
    return path.with_name(f".{path.name}.{token}{tag}")


def write_fd(fd: int, data: bytes) -> None:
    """Write all of `data` and flush it to disk; the seam the fault-injection tests use."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _stage(path: Path, data: bytes, token: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _side(path, token, _NEW)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        write_fd(fd, data)
    except BaseException:
        os.close(fd)
        _unlink(tmp)
        raise
    os.close(fd)
    return tmp


def _unlink(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _sync_dir(folder: Path) -> None:
    """Make a rename durable; folders that cannot be opened (some platforms) are skipped."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(path: Path | str, data: bytes) -> None:
    """Replace `path` with `data` atomically."""
    path = Path(path)
    tmp: Path | None = None
    try:
        tmp = _stage(path, data, uuid.uuid4().hex[:12])
        os.replace(tmp, path)
        _sync_dir(path.parent)
    except OSError as e:
        if tmp is not None:
            _unlink(tmp)
        raise WriteError(path, _reason(e)) from e


def write_text(path: Path | str, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def write_all(root: Path | str, files: Iterable[tuple[str, bytes]], *, new_only: bool = False
              ) -> list[str]:
    """Write every (path relative to `root`, bytes) or none. With `new_only`, a file that
    already exists is never replaced: the set fails instead. Returns the paths written."""
    root = Path(root)
    token = uuid.uuid4().hex[:12]
    wanted = list(files)
    if not wanted:
        return []
    moves = [{"target": rel, "existed": os.path.lexists(root / rel)} for rel, _ in wanted]
    for move in moves:
        if new_only and move["existed"]:
            target = root / move["target"]
            raise WriteError(target, _reason(FileExistsError(
                errno.EEXIST, os.strerror(errno.EEXIST), str(target))))
    # the journal first: a kill while the files are staged leaves them named in it, so
    # `recover` removes them (staged before it, they would be left behind unnamed)
    journal = root / f"{JOURNAL}{token}.json"
    write_bytes(journal, json.dumps({"token": token, "moves": moves}).encode())
    staged: list[tuple[str, Path, Path]] = []  # rel, temporary file, target
    try:
        for rel, data in wanted:
            staged.append((rel, _stage(root / rel, data, token), root / rel))
    except OSError as e:
        with contextlib.suppress(OSError):
            _roll_back(root, token, moves)
        raise WriteError(getattr(e, "filename", None) or root, _reason(e)) from e
    try:
        for (_, tmp, target), move in zip(staged, moves, strict=True):
            if move["existed"]:
                os.link(target, _side(target, token, _OLD))  # the old file, kept until done
            if new_only:
                os.link(tmp, target)  # fails if the file appeared since: never overwrite
                os.unlink(tmp)
            else:
                os.replace(tmp, target)
    except OSError as e:
        with contextlib.suppress(OSError):  # else the journal stays: `recover` finishes it
            _roll_back(root, token, moves)
        raise WriteError(getattr(e, "filename", None) or root, _reason(e)) from e
    for folder in {t.parent for _, _, t in staged}:
        _sync_dir(folder)
    _unlink(journal)  # the commit point: from here on the new files are the ledger
    for (_, _, target), move in zip(staged, moves, strict=True):
        if move["existed"]:
            _unlink(_side(target, token, _OLD))
    return [rel for rel, _, _ in staged]


def _roll_back(root: Path, token: str, moves: list[dict]) -> None:
    """Put every target of an unfinished set back as it was, and forget the set."""
    for move in moves:
        target = root / move["target"]
        old, tmp = _side(target, token, _OLD), _side(target, token, _NEW)
        if os.path.lexists(old):
            os.replace(old, target)
        elif not move["existed"] and os.path.lexists(target) and (
            not os.path.lexists(tmp) or os.path.samefile(tmp, target)
        ):
            _unlink(target)  # it was moved in: the set never happened
        _unlink(tmp)
    _unlink(root / f"{JOURNAL}{token}.json")


def recover(root: Path | str) -> list[str]:
    """Roll back every set of writes below `root` that a killed process left unfinished;
    the targets it restored. Leftover backups of finished sets are removed."""
    root = Path(root)
    restored: list[str] = []
    try:
        journals = sorted(root.glob(f"{JOURNAL}*.json"))
    except OSError:
        return restored
    for journal in journals:
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            token, moves = str(entry["token"]), list(entry["moves"])
        except (OSError, ValueError, KeyError, TypeError):
            _unlink(journal)  # a journal cut short: no rename had started yet
            continue
        try:
            _roll_back(root, token, moves)
        except OSError:
            continue  # still read-only, say: the journal stays for the next command
        restored += [m["target"] for m in moves]
    return restored


# ------------------------------------------------------------------------------ folders

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that is unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def staging_dir(target: Path | str) -> Path:
    """A fresh hidden folder beside `target` to build its replacement in; leftovers of
    killed builds are removed first."""
    target = Path(target).absolute()
    for old in target.parent.glob(f".{target.name}.*{_NEW}"):
        shutil.rmtree(old, ignore_errors=True)
    for old in target.parent.glob(f".{target.name}.*{_OLD}"):
        shutil.rmtree(old, ignore_errors=True)
    staged = _side(target, uuid.uuid4().hex[:12], _NEW)
    staged.mkdir(parents=True)
    return staged


def swap_dir(staged: Path, target: Path | str) -> None:
    """Put the folder `staged` where `target` is, in one step where the system allows it
    (else two renames, the old folder kept under a hidden name until the new one is in)."""
    target = Path(target).absolute()
    try:
        if not os.path.lexists(target):
            os.rename(staged, target)
        elif _exchange(staged, target):
            shutil.rmtree(staged, ignore_errors=True)  # now holds the old site
        else:
            old = _side(target, uuid.uuid4().hex[:12], _OLD)
            os.rename(target, old)
            try:
                os.rename(staged, target)
            except OSError:
                os.rename(old, target)
                raise
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        shutil.rmtree(staged, ignore_errors=True)
        raise WriteError(target, _reason(e)) from e
