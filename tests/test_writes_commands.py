"""All or nothing, command by command (issue 13, item 4): `kpi build`, `kpi fmt`, `kpi new`,
`kpi init` and `kpi codeowners` against a full disk (injected), a kill at a random moment
and a read-only tree. Each ends with the previous files intact and KPI620, no traceback."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from authoring_helpers import copy_ledger, snapshot
from click.testing import CliRunner
from conftest import kpi

from kpiledger import atomic
from kpiledger.cli import main

AS_ROOT = os.geteuid() == 0


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*")
                  if any(t in p.name for t in (".kpi-new", ".kpi-old", ".kpi-journal")))


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every write of a ledger or site file fails as on a full disk (the check cache's own
    pickles still go through: a full cache must not stop a command either way)."""
    real = atomic.write_fd

    def write(fd: int, data: bytes) -> None:
        if data.startswith(b"\x80"):
            return real(fd, data)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic, "write_fd", write)


def _run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("KPI_CACHE_DIR", str(cwd.parent / ".kpi-cache"))
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def _site(tmp: Path) -> Path:
    repo = tmp / "repo"
    assert kpi("init", str(repo), "--year", "2026", cwd=tmp).returncode == 0
    done = kpi("build", cwd=repo)
    assert done.returncode == 0, done.stderr
    return repo


def test_build_that_cannot_write_keeps_the_previous_site(tmp_path, monkeypatch) -> None:
    repo = _site(tmp_path)
    before = snapshot(repo / "public")
    _full_disk(monkeypatch)
    result = _run(["build"], repo, monkeypatch)
    assert result.exit_code == 1
    assert "KPI620" in result.output and "Traceback" not in result.output
    assert snapshot(repo / "public") == before
    assert [p.name for p in repo.iterdir() if p.name.startswith(".public")] == []


def test_build_killed_at_random_moments_leaves_a_whole_site(tmp_path) -> None:
    repo = _site(tmp_path)
    old = snapshot(repo / "public")
    org = repo / "ledger" / "org" / "company.yaml"  # the company's own unit: on every page
    org.write_text(org.read_text(encoding="utf-8").replace("name: ", "name: 新", 1),
                   encoding="utf-8")
    assert kpi("build", "--site-dir", "fresh", cwd=repo).returncode == 0
    new = snapshot(repo / "fresh")
    assert new != old
    rng = random.Random(4)
    env = {**os.environ, "KPI_CACHE_DIR": str(repo / ".kpi-cache")}
    for _ in range(5):
        child = subprocess.Popen([sys.executable, "-m", "kpiledger", "build"], cwd=repo, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 4.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert snapshot(repo / "public") in (old, new)
    assert kpi("build", cwd=repo).returncode == 0  # leftovers of killed builds are cleared
    assert snapshot(repo / "public") == new
    assert [p.name for p in repo.iterdir() if p.name.startswith(".public")] == []


def test_fmt_new_and_codeowners_on_a_full_disk_change_nothing(tmp_path, monkeypatch) -> None:
    ledger = copy_ledger(tmp_path)
    record = next(p for p in sorted((ledger / "2026-06").rglob("*.yaml")))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\nperiod: ", "\nperiod:     ", 1), encoding="utf-8")
    before = snapshot(tmp_path)
    _full_disk(monkeypatch)
    for args in (["fmt"], ["new", "2026-07"], ["codeowners"]):
        result = _run(args, ledger, monkeypatch)
        assert result.exit_code == 1, (args, result.output)
        assert "KPI620" in result.output and "Traceback" not in result.output, args
        after = {k: v for k, v in snapshot(tmp_path).items() if ".kpi-cache" not in k}
        assert after == {k: v for k, v in before.items() if ".kpi-cache" not in k}, args
        assert _leftovers(tmp_path) == [], args


def test_init_failing_part_way_leaves_nothing(tmp_path, monkeypatch) -> None:
    real, calls = shutil.copyfile, {"n": 0}

    def copy(src, dst, **kw):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
        return real(src, dst, **kw)

    monkeypatch.setattr(shutil, "copyfile", copy)
    result = _run(["init", "repo"], tmp_path, monkeypatch)
    assert result.exit_code == 1 and "KPI620" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """`folder` made read-only for real: by chmod for a normal user; as root (CI), for whom
    permissions do not count, by a read-only bind mount onto itself (skipped if not allowed)."""
    if not AS_ROOT:
        modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    mounted = subprocess.run(["mount", "--bind", str(folder), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("root without mount: covered by the injected failures instead")
    try:
        ro = subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True)
        if ro.returncode != 0:
            pytest.skip("cannot remount read-only: covered by the injected failures instead")
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_every_writer_in_a_read_only_tree_says_so_and_changes_nothing(tmp_path) -> None:
    repo = _site(tmp_path)
    record = repo / "ledger" / "org" / "company.yaml"  # a file that needs formatting
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\nunit:", "\nunit:   ", 1), encoding="utf-8")
    cache = tmp_path / "cache"
    before = snapshot(repo)
    with _read_only(repo):
        with pytest.raises(OSError):
            (repo / "probe").write_text("x")
        for args, cwd in ((["fmt"], repo / "ledger"), (["codeowners"], repo / "ledger"),
                          (["build"], repo), (["init", str(repo / "sub")], tmp_path)):
            done = kpi(*args, cwd=cwd, cache=cache)
            assert done.returncode == 1, (args, done.stdout, done.stderr)
            assert "KPI620" in done.stdout + done.stderr, (args, done.stderr)
            assert "Traceback" not in done.stderr, args
    assert snapshot(repo) == before
