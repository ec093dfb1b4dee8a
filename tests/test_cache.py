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
    root = tmp_path / "ledger"
    root.mkdir()
    (root / "org.yaml").write_text("a: 1\n", encoding="utf-8")
    stats = scan(root)
    cache.save_shard(root, "_shared", {"org.yaml": (stats["org.yaml"], "org", {"a": 1}, [])})
    assert cache.load_shard(root, "_shared")["org.yaml"][0] == stats["org.yaml"]
    (root / "org.yaml").write_text("a: 22\n", encoding="utf-8")
    assert scan(root)["org.yaml"] != stats["org.yaml"]
