"""The cache outside the ledger: reused while files are unchanged, forgotten when old."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kpiledger.check.ledger import scan
from kpiledger.load import cache


def test_old_cache_folders_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path))
    old, fresh, mine = tmp_path / ("a" * 24), tmp_path / ("b" * 24), tmp_path / "photos"
    for folder in (old, fresh, mine):
        folder.mkdir()
        (folder / "result.pickle").write_bytes(b"x")
    long_ago = time.time() - (cache.MAX_AGE_DAYS + 1) * 86400
    for path in (old / "result.pickle", old, mine / "result.pickle", mine):
        os.utime(path, (long_ago, long_ago))
    cache.prune()
    assert not old.exists() and fresh.exists()
    assert mine.exists()  # KPI_CACHE_DIR may point at a folder of other things: never theirs


def test_a_changed_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path / "cache"))
    # an exact clock, so that the file just written counts as settled (see the racy tests)
    monkeypatch.setattr(cache, "RACY_NS", 0)
    root = tmp_path / "ledger"
    root.mkdir()
    (root / "org.yaml").write_text("a: 1\n", encoding="utf-8")
    stats = scan(root)
    cache.save_shard(root, "_shared", {"org.yaml": (stats["org.yaml"], "org", {"a": 1}, [])})
    assert cache.load_shard(root, "_shared")["org.yaml"][0] == stats["org.yaml"]
    (root / "org.yaml").write_text("a: 22\n", encoding="utf-8")
    assert scan(root)["org.yaml"] != stats["org.yaml"]


def test_an_entry_read_within_the_racy_window_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As git's racy entries: a file changed less than RACY_NS before it was read might be
    changed again in the same clock tick without its stat showing it, so it is read again."""
    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "ledger"
    root.mkdir()
    (root / "org.yaml").write_text("a: 1\n", encoding="utf-8")
    stat = scan(root)["org.yaml"]
    newest = max(stat[1], stat[2])
    entry = {"org.yaml": (stat, "org", {"a": 1}, [])}
    cache.save_shard(root, "_shared", entry, newest + cache.RACY_NS // 2)
    assert cache.load_shard(root, "_shared") == {}
    cache.save_shard(root, "_shared", entry, newest + cache.RACY_NS + 1)
    assert cache.load_shard(root, "_shared") == entry


def test_an_edit_keeping_size_and_mtime_is_seen(tmp_path: Path) -> None:
    """The stale read of issue 13: same size, mtime put back, with the whole cache warm (the
    file settled long before the first check). `kpi check` must see the new content."""
    import shutil

    from conftest import kpi

    ledger = tmp_path / "ledger"
    shutil.copytree(Path(__file__).resolve().parent.parent / "ledger", ledger)
    shutil.copytree(Path(__file__).resolve().parent.parent / "schemas", tmp_path / "schemas")
    record = next(p for p in sorted(ledger.rglob("*.yaml")) if "/20" in p.as_posix())
    text = record.read_text(encoding="utf-8")
    assert "assessee: " in text
    st = record.stat()
    time.sleep(cache.RACY_NS / 1e9 + 0.2)  # let every file settle, so the cache is trusted
    first = kpi("check", cwd=ledger)
    assert first.returncode == 0, first.stdout + first.stderr
    # one letter of the assessee's id changed: the same size, a person who does not exist
    head, sep, tail = text.partition("\nassessee: ")
    edited = (head + sep + "Z" + tail[1:]).encode("utf-8")
    assert len(edited) == st.st_size and edited != text.encode("utf-8")
    record.write_bytes(edited)
    os.utime(record, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert record.stat().st_size == st.st_size and record.stat().st_mtime_ns == st.st_mtime_ns
    second = kpi("check", cwd=ledger)
    assert second.returncode == 1, second.stdout + second.stderr
    assert record.name in second.stdout


def test_a_period_none_of_whose_files_changed_is_taken_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a ledger keeps each period folder's outcome (its records, their keys and
    problems); the next opening in the same context takes every unchanged period whole and
    checks a changed one again, with the same model and diagnostics as without a cache."""
    import shutil

    from kpiledger.check.ledger import open_ledger

    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path / "cache"))
    ledger = tmp_path / "ledger"
    shutil.copytree(Path(__file__).resolve().parent.parent / "ledger", ledger)
    # written just now: not settled, so nothing is kept whole yet
    assert open_ledger(ledger) == open_ledger(ledger, use_cache=False)
    assert list((tmp_path / "cache").rglob("*.checked.pickle")) == []

    monkeypatch.setattr(cache, "RACY_NS", 0)  # an exact clock: every file has settled
    want = open_ledger(ledger, use_cache=False)
    assert open_ledger(ledger) == want

    def kept() -> dict[str, int]:
        return {p.name: p.stat().st_mtime_ns
                for p in (tmp_path / "cache").rglob("*.checked.pickle")}

    first = kept()
    periods = {p.parent.parent.name for p in ledger.glob("20*/*/*.yaml")}
    assert {name.split(".")[0] for name in first} == periods
    assert open_ledger(ledger) == want and kept() == first  # none made again

    record = ledger / "2026-01" / "cs-team-1" / "E1101.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("work: 9", "work: 7", 1),
                      encoding="utf-8")
    want = open_ledger(ledger, use_cache=False)
    assert open_ledger(ledger) == want
    assert [name for name, when in kept().items() if first[name] != when] == [
        "2026-01.checked.pickle"]
    # a file gone and one new in another folder: that folder's others are taken as they were
    gone = ledger / "2026-02" / "cs-team-1" / "E1101.yaml"
    (ledger / "2026-02" / "cs-team-1" / "E1199.yaml").write_text(
        gone.read_text(encoding="utf-8").replace("E1101", "E1199"), encoding="utf-8")
    gone.unlink()
    want = open_ledger(ledger, use_cache=False)
    assert open_ledger(ledger) == want
    assert any(x.file.endswith("E1199.yaml") for x in want.diagnostics)  # not in the org

    # a fresh checkout onto a restored cache (CI): every file's times are new, its content
    # the same; the folders are kept by content, so each is taken whole still
    before = kept()
    for path in ledger.rglob("*.yaml"):
        os.utime(path, ns=(time.time_ns() - 10**9, time.time_ns() - 10**9))
    assert open_ledger(ledger) == want
    assert kept() == before


def test_the_manifests_file_hashes_are_read_again_only_for_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from kpiledger.publish.manifest import input_hashes

    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "RACY_NS", 0)  # an exact clock: every file has settled
    ledger = tmp_path / "ledger"
    shutil.copytree(Path(__file__).resolve().parent.parent / "ledger", ledger)
    want = input_hashes(ledger)
    assert input_hashes(ledger, use_cache=True) == want
    stored = next((tmp_path / "cache").rglob("hashes.pickle"))
    when = stored.stat().st_mtime_ns
    assert input_hashes(ledger, use_cache=True) == want
    assert stored.stat().st_mtime_ns == when  # every hash taken as it was
    record = ledger / "2026-01" / "cs-team-1" / "E1101.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "# 改\n", encoding="utf-8")
    (ledger / "2026-02" / "cs-team-1" / "E1101.yaml").unlink()
    want = input_hashes(ledger)
    assert input_hashes(ledger, use_cache=True) == want
    assert len(want) == len(list(ledger.rglob("*.yaml")))


def test_a_files_hash_never_follows_a_link_nor_waits_on_a_pipe(tmp_path: Path) -> None:
    """Every file of the ledger is hashed before any is checked: a link must not lead the
    hashing outside the ledger (the checker refuses it, KPI120) and a named pipe must not
    stop the run."""
    import hashlib

    from kpiledger.load.cache import content_hash

    outside = tmp_path / "secret.yaml"
    outside.write_bytes(b"salary: 1\n")
    (tmp_path / "link.yaml").symlink_to(outside)
    assert content_hash(outside) == hashlib.sha256(b"salary: 1\n").hexdigest()
    assert content_hash(tmp_path / "link.yaml") == hashlib.sha256(
        b"symlink:" + str(outside).encode()).hexdigest()
    os.mkfifo(tmp_path / "pipe.yaml")
    assert content_hash(tmp_path / "pipe.yaml") == ""
    assert content_hash(tmp_path / "gone.yaml") == ""
