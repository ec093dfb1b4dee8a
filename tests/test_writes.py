"""All or nothing (issue 13, item 4): every command that writes leaves either the previous
files or the new ones, never half, whatever stops it — a write failing part-way (a full disk,
a refused permission), a process killed at a random moment, a read-only tree — and says why
with a code, never a traceback."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from authoring_helpers import copy_ledger, snapshot
from conftest import kpi

from kpiledger import atomic
from kpiledger.atomic import WriteError, recover, write_all, write_bytes

ROOT = Path(__file__).resolve().parent.parent
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0  # chmod does not stop root


def _leftovers(folder: Path) -> list[str]:
    """Temporary files, backups and journals a write may leave: there must be none."""
    return sorted(p.name for p in folder.rglob(".*")
                  if any(t in p.name for t in (".kpi-new", ".kpi-old", ".kpi-journal")))


def _fail_on(n: int, err: int):
    """A low-level write that fails with `err` on its n-th call (1-based); the check cache's
    own writes (pickles) are not counted."""
    real = atomic.write_fd
    calls = {"n": 0}

    def write(fd: int, data: bytes) -> None:
        if data.startswith(b"\x80"):
            return real(fd, data)
        calls["n"] += 1
        if calls["n"] == n:
            os.write(fd, data[: len(data) // 2])  # half of it lands, as on a full disk
            raise OSError(err, os.strerror(err))
        real(fd, data)

    return write


def test_one_file_failing_part_way_keeps_the_old_content(tmp_path, monkeypatch) -> None:
    target = tmp_path / "a.yaml"
    target.write_bytes(b"old\n")
    monkeypatch.setattr(atomic, "write_fd", _fail_on(1, errno.ENOSPC))
    with pytest.raises(WriteError) as e:
        write_bytes(target, b"new content\n" * 100)
    assert target.read_bytes() == b"old\n"
    assert _leftovers(tmp_path) == []
    found = e.value.diagnostic()
    assert found.code == "KPI620" and "No space left" in found.message("en")
    assert "没有写入任何文件" in found.message("zh")


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EACCES])
def test_a_set_failing_while_staged_writes_nothing(tmp_path, monkeypatch, err) -> None:
    for name in "abc":
        (tmp_path / f"{name}.yaml").write_bytes(b"old " + name.encode())
    before = snapshot(tmp_path)
    monkeypatch.setattr(atomic, "write_fd", _fail_on(3, err))
    files = [(f"{name}.yaml", b"new " + name.encode()) for name in "abcd"]
    with pytest.raises(WriteError):
        write_all(tmp_path, files)
    assert snapshot(tmp_path) == before and _leftovers(tmp_path) == []


def test_a_set_failing_while_moved_into_place_is_rolled_back(tmp_path, monkeypatch) -> None:
    """The third rename fails after two files are in: both are put back, the new one removed."""
    (tmp_path / "sub").mkdir()
    for name in ("a.yaml", "b.yaml", "sub/c.yaml"):
        (tmp_path / name).write_bytes(b"old " + name.encode())
    before = snapshot(tmp_path)
    real, calls = os.replace, {"n": 0}

    def replace(src, dst) -> None:
        if ".kpi-new" in str(src) and "journal" not in str(dst):
            calls["n"] += 1
            if calls["n"] == 3:
                raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(dst))
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    files = [(n, b"new " + n.encode()) for n in ("a.yaml", "b.yaml", "new.yaml", "sub/c.yaml")]
    with pytest.raises(WriteError) as e:
        write_all(tmp_path, files)
    assert e.value.reason == os.strerror(errno.EACCES)
    assert snapshot(tmp_path) == before and _leftovers(tmp_path) == []


def test_new_only_never_replaces_a_file_that_appeared(tmp_path) -> None:
    (tmp_path / "b.yaml").write_bytes(b"someone else's")
    with pytest.raises(WriteError):
        write_all(tmp_path, [("a.yaml", b"a"), ("b.yaml", b"b")], new_only=True)
    assert snapshot(tmp_path) == {"b.yaml": b"someone else's"} and _leftovers(tmp_path) == []


# A child that writes a set of 40 files and is killed between two renames.
_CHILD = """
import os, sys, time
from pathlib import Path
from kpiledger import atomic
real = os.replace
def slow(src, dst):
    real(src, dst)
    if ".kpi-new" in str(src) and "journal" not in str(dst):
        print("moved", flush=True)
        time.sleep(0.05)
os.replace = slow
root = Path(sys.argv[1])
atomic.write_all(root, [(f"r{i:02d}.yaml", b"new %d" % i) for i in range(40)])
print("done", flush=True)
"""


@pytest.mark.parametrize("moved", [1, 7, 23])
def test_a_set_killed_between_renames_is_rolled_back(tmp_path, moved) -> None:
    for i in range(0, 40, 2):  # half the files exist, half are new
        (tmp_path / f"r{i:02d}.yaml").write_bytes(b"old %d" % i)
    before = snapshot(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(tmp_path)],
                             stdout=subprocess.PIPE, text=True, env=env)
    assert child.stdout is not None
    for _ in range(moved):
        assert child.stdout.readline().strip() == "moved"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert snapshot(tmp_path) != before  # the kill did land half-way
    assert sorted(recover(tmp_path))[:1] == ["r00.yaml"]
    assert snapshot(tmp_path) == before and _leftovers(tmp_path) == []


def _bigger_ledger(tmp: Path) -> tuple[Path, Path]:
    """The example ledger and a filled workbook for July (exported, then filled in)."""
    from openpyxl import load_workbook

    ledger = copy_ledger(tmp)
    assert kpi("export", "2026-06", "--xlsx", "book.xlsx", cwd=tmp).returncode == 0
    book = load_workbook(tmp / "book.xlsx")
    ws = book["录入 cs-agent 2026-07"] if "录入 cs-agent 2026-07" in book.sheetnames else None
    if ws is None:
        ws = next(s for s in book.worksheets if s.title.startswith("录入"))
    heads = {c.value: c.column for c in ws[2]}
    for r in range(3, ws.max_row + 1):
        for head, column in heads.items():
            if head not in ("工号", "姓名", "评语", "序号", "部门", "岗位") and head:
                ws.cell(row=r, column=column, value=_value(str(head)))
    book.save(tmp / "filled.xlsx")
    return ledger, tmp / "filled.xlsx"


def _value(head: str) -> object:
    if head.endswith(("分子", "分母")):
        return 99 if head.endswith("分子") else 100
    return {"考勤": "late×1", "客户关系管理（经验建议）": 3, "工作态度": 4, "工作任务": 9,
            "旺旺响应率": 28}.get(head, "95%")


def test_import_killed_at_random_moments_leaves_old_or_new(tmp_path) -> None:
    """A real `kpi import` killed after a random delay: after `recover` (which every writing
    command runs first) the ledger is exactly as before or exactly as a finished import."""
    ledger, book = _bigger_ledger(tmp_path)
    before = snapshot(ledger)
    done = kpi("import", str(book), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = snapshot(ledger)
    assert after != before
    rng = random.Random(13)
    env = {**os.environ, "KPI_CACHE_DIR": str(tmp_path / ".kpi-cache")}
    for _ in range(6):
        for rel in set(after) - set(before):
            (ledger / rel).unlink(missing_ok=True)
        assert snapshot(ledger) == before
        child = subprocess.Popen([sys.executable, "-m", "kpiledger", "import", str(book)],
                                 cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        child.send_signal(signal.SIGKILL)
        child.wait()
        recover(ledger)
        state = snapshot(ledger)
        assert state in (before, after)
        assert _leftovers(ledger) == []
    assert kpi("check", cwd=ledger).returncode == 0


def test_import_that_cannot_write_says_so_and_writes_nothing(tmp_path, monkeypatch) -> None:
    """In-process, as the command line runs it, with the disk full at the second record."""
    from click.testing import CliRunner

    from kpiledger.cli import main

    ledger, book = _bigger_ledger(tmp_path)
    before = snapshot(ledger)
    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path / ".kpi-cache"))
    monkeypatch.setattr(atomic, "write_fd", _fail_on(2, errno.ENOSPC))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", str(book)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "KPI620" in result.output and "Traceback" not in result.output
    assert snapshot(ledger) == before and _leftovers(ledger) == []


def test_a_kill_while_files_are_staged_leaves_nothing_behind(tmp_path, monkeypatch) -> None:
    """Killed after the first file of a set is staged (KeyboardInterrupt stands for the kill:
    nothing below catches it): the journal already names the set, so `recover` removes the
    staged file. (The journal used to be written after staging, leaving such files behind.)"""
    (tmp_path / "a.yaml").write_text("old\n", encoding="utf-8")
    before = snapshot(tmp_path)
    calls = {"n": 0}
    real = atomic.write_fd

    def killed_at_third(fd: int, data: bytes) -> None:
        calls["n"] += 1  # 1: the journal, 2: a.yaml staged, 3: b.yaml staged
        if calls["n"] == 3:
            raise KeyboardInterrupt
        real(fd, data)

    monkeypatch.setattr(atomic, "write_fd", killed_at_third)
    with pytest.raises(KeyboardInterrupt):
        write_all(tmp_path, [("a.yaml", b"new\n"), ("sub/b.yaml", b"new\n")])
    monkeypatch.setattr(atomic, "write_fd", real)
    assert _leftovers(tmp_path)  # the journal and a staged file, as a kill leaves them
    recover(tmp_path)
    assert _leftovers(tmp_path) == [] and snapshot(tmp_path) == before
