"""Incremental builds and shards (issue 17, items 4 and 5), with real `kpi build` runs of the
example ledger committed to a real git repository: a build with a warm page cache after a
change, and shards built by separate processes then merged, give every file of the site
byte for byte as a full build of the same commit does."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from site_ledger import make_example, write_config

from kpiledger.publish.compressed import CompressedList
from kpiledger.publish.results import document_to_bytes
from kpiledger.publish.shards import gzipped, period_file
from kpiledger.site.render_cache import RenderCache, unpack
from kpiledger.site.shard import Shard, ShardError, merge_shards


def kpi(root: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KPI_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=root, env=env,
                          capture_output=True, text=True, check=False)


def commit(root: Path, subject: str, *paths: str, date: str = "2026-07-02T09:00:00+08:00"
           ) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    for args in (["add", *paths], ["-c", "user.name=Dora", "-c", "user.email=dora@example.com",
                                   "commit", "-q", "-m", subject]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def build(root: Path, cache: Path, site: str, *extra: str) -> tuple[int, int]:
    """`kpi build` into root/site; (pages rendered, pages from the cache) as it reports."""
    done = kpi(root, cache, "build", "--config", "mkdocs.yml", "--site-dir", site, *extra)
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.search(r"(\d+) 页重新生成，(\d+) 页取自缓存", done.stderr)
    assert found, done.stderr[-500:]
    return int(found.group(1)), int(found.group(2))


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(got: Path, want: Path) -> None:
    a, b = files_of(got), files_of(want)
    assert sorted(a) == sorted(b)
    differ = [rel for rel in a if a[rel] != b[rel]]
    assert differ == [], differ[:10]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    make_example(root)
    write_config(root, site_dir="public")
    return root


def _edit_one_record(root: Path) -> str:
    """Lower one number in one 2026-06 record and commit it; the record's path."""
    records = sorted((root / "ledger" / "2026-06").rglob("*.yaml"))
    for path in records:
        text = path.read_text(encoding="utf-8")
        changed = re.sub(r"(:\s)(\d{2,3})(\s*(#.*)?)$", lambda m: f"{m.group(1)}"
                         f"{int(m.group(2)) - 7}{m.group(3)}", text, count=1, flags=re.M)
        if changed != text:
            path.write_text(changed, encoding="utf-8")
            rel = path.relative_to(root).as_posix()
            commit(root, "Edit one record", rel)
            return rel
    raise AssertionError("no record with a number to change")


def test_warm_cache_after_an_edit_is_byte_identical_to_a_full_build(
    repo: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    rendered, cached = build(repo, cache, "first")
    assert cached == 0 and rendered > 20
    total = rendered
    # nothing changed: every generated page comes from the cache
    assert build(repo, cache, "again") == (0, total)
    _edit_one_record(repo)
    rendered, cached = build(repo, cache, "warm")
    # only what the record reaches is made again: its scheme's people, its period, units
    assert 0 < rendered < total // 2 and rendered + cached == total
    build(repo, tmp_path / "cold", "full", "--no-cache")
    assert_same_site(repo / "warm", repo / "full")
    assert files_of(repo / "warm") != files_of(repo / "first")  # the edit is in the site


def test_a_navigation_change_renders_every_page_again_and_stays_identical(
    repo: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    rendered, _ = build(repo, cache, "before")
    org = next(p for p in [repo / "ledger" / "org.yaml", *sorted(
        (repo / "ledger" / "org").glob("*.yaml"))] if "name:" in p.read_text(encoding="utf-8"))
    text = org.read_text(encoding="utf-8")
    # a unit's name is in every page's navigation
    org.write_text(re.sub(r"(?m)^(\s*name:\s*)(\S+)", r"\1\2（新）", text, count=1),
                   encoding="utf-8")
    commit(repo, "Rename a unit", "ledger")
    after, cached = build(repo, cache, "after")
    assert cached == 0 and after == rendered
    build(repo, tmp_path / "cold", "full2", "--no-cache")
    assert_same_site(repo / "after", repo / "full2")


def test_an_appeal_and_the_passing_of_time_reach_the_persons_page(
    repo: Path, tmp_path: Path
) -> None:
    """A person's page shows more than their results: appeals (files of their own) and what
    is still open, whose state moves with the newest commit (the site's "now")."""
    cache = tmp_path / "cache"
    build(repo, cache, "before")
    appeal = repo / "ledger" / "2026-05" / "cs-team-1" / "E1101.appeal-1.yaml"
    appeal.write_text("period: 2026-05\nscheme: cs-agent\nassessee: E1101\n"
                      "reason: 协助处理的售后工单未计入\n", encoding="utf-8")
    commit(repo, "申诉", "ledger")
    build(repo, cache, "appealed")
    build(repo, tmp_path / "cold1", "appealed-full", "--no-cache")
    assert_same_site(repo / "appealed", repo / "appealed-full")
    # months later, an unrelated commit: deadlines that were running are now overdue
    (repo / "NOTE.md").write_text("note\n", encoding="utf-8")
    commit(repo, "A note", "NOTE.md", date="2027-03-01T09:00:00+08:00")
    build(repo, cache, "later")
    build(repo, tmp_path / "cold2", "later-full", "--no-cache")
    assert_same_site(repo / "later", repo / "later-full")


def test_shards_built_apart_merge_into_the_single_build(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in (1, 2, 3):  # three processes, each with its own cache, as three CI jobs
        build(repo, tmp_path / f"cache{i}", f"shard{i}", "--shard", f"{i}/3")
    shares = [set(json.loads((repo / f"shard{i}" / "kpi-shard.json").read_text())["pages"])
              for i in (1, 2, 3)]
    assert all(len(s) > 10 for s in shares)  # the example's 101 pages, about a third each
    assert not shares[0] & shares[1] and not shares[0] & shares[2] and not shares[1] & shares[2]
    # a shard writes none of another's pages
    assert not any((repo / "shard1" / rel).exists() for rel in shares[1] | shares[2])
    build(repo, tmp_path / "cold", "single", "--no-cache")
    done = kpi(repo, tmp_path / "c", "merge", "shard3", "shard1", "shard2", "--site-dir", "merged")
    assert done.returncode == 0, done.stderr
    assert_same_site(repo / "merged", repo / "single")
    # the public edition too: masked names, pseudonymous addresses
    monkeypatch.setenv("KPI_SITE_KEY", "the key of the people's page addresses")
    for i in (1, 2):
        build(repo, tmp_path / "pc", f"pshard{i}", "--public", "--shard", f"{i}/2")
    build(repo, tmp_path / "pcold", "psingle", "--public", "--no-cache")
    merge_shards([repo / "pshard1", repo / "pshard2"], repo / "pmerged")
    assert_same_site(repo / "pmerged", repo / "psingle")


def test_merge_refuses_an_incomplete_or_mixed_set(repo: Path, tmp_path: Path) -> None:
    for i in (1, 2):
        build(repo, tmp_path / "cache", f"m{i}", "--shard", f"{i}/2")
    with pytest.raises(ShardError, match="1…2"):
        merge_shards([repo / "m1"], tmp_path / "out")
    build(repo, tmp_path / "cache", "other", "--shard", "2/3")
    with pytest.raises(ShardError, match="同一次构建"):
        merge_shards([repo / "m1", repo / "other"], tmp_path / "out")
    with pytest.raises(ShardError, match="i/N"):
        Shard.parse("3/2")
    assert not (tmp_path / "out").exists()
    done = kpi(repo, tmp_path / "c", "build", "--shard", "0/2")
    assert done.returncode == 2 and "i/N" in done.stderr


def test_shares_cover_every_page_once() -> None:
    sources = [f"people/E{n:04d}.md" for n in range(2000)]
    shards = [Shard(i, 4) for i in range(1, 5)]
    owners = [sum(s.owns(src) for s in shards) for src in sources]
    assert owners == [1] * len(sources)
    sizes = [sum(s.owns(src) for src in sources) for s in shards]
    assert min(sizes) > 400  # even shares: 500 each, give or take


def test_a_results_period_is_made_once_and_a_damaged_entry_made_again(
    tmp_path: Path,
) -> None:
    items = CompressedList([{"id": "work", "points": "90.00"}])
    document = {"version": 1, "period": "2026-03",
                "results": [{"assessee": f"E{n:04d}", "items": items} for n in range(3000)]}
    data = document_to_bytes(document)
    sha = hashlib.sha256(data).hexdigest()
    made = period_file(document)
    assert made == (sha, gzipped(data)) and gzip.decompress(made[1]) == data
    store = RenderCache(tmp_path / "cache")
    assert store.period_file(document) == made
    # the second build takes the stored file: an entry of the same text gzipped otherwise
    # (level 1) is what comes back, so it was not made again
    entry = next(p for p in (tmp_path / "cache").rglob("*") if p.is_file())
    other = gzip.compress(data, compresslevel=1, mtime=0)
    stored = sha.encode() + other
    entry.write_bytes(struct.pack("<I", zlib.crc32(stored)) + stored)
    again = RenderCache(tmp_path / "cache")
    assert again.period_file(document) == (sha, other)
    assert (again.hits, again.misses) == (0, 0)  # not counted as a page
    # another document is another entry
    changed = {**document, "period": "2026-04"}
    assert again.period_file(changed) == period_file(changed) != made
    # a damaged (cut short) entry is never published: made again and stored
    entry.write_bytes(entry.read_bytes()[:-3])
    assert RenderCache(tmp_path / "cache").period_file(document) == made
    assert RenderCache(tmp_path / "cache").period_file(document) == made
    assert entry.read_bytes()[68:] == made[1]
    # no folder: nothing kept, the file still made
    assert RenderCache(None).period_file(document) == made


def _page_entries(cache: Path) -> list[Path]:
    """The cached pages (zlib-compressed HTML behind its CRC-32) among the cache's entries."""
    out = []
    for path in sorted((cache / "site").rglob("*")):
        try:
            if path.is_file() and b"<!doctype html>" in unpack(path.read_bytes())[:100]:
                out.append(path)
        except zlib.error:
            continue
    return out


def test_a_damaged_page_in_the_cache_is_rendered_again(repo: Path, tmp_path: Path) -> None:
    """Cached pages are looked up (and checked) before any is written and unpacked only as
    each is written: a damaged entry is a miss, rendered again, and the site is the same."""
    cache = tmp_path / "cache"
    rendered, _ = build(repo, cache, "first")
    pages = _page_entries(cache)
    assert len(pages) == rendered
    pages[0].write_bytes(pages[0].read_bytes()[:-20])  # cut short
    pages[1].write_bytes(b"not a page")
    assert build(repo, cache, "again") == (2, rendered - 2)
    assert len(_page_entries(cache)) == rendered  # both made again
    build(repo, tmp_path / "cold", "full", "--no-cache")
    assert_same_site(repo / "again", repo / "full")
