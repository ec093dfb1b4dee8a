"""Past one machine (跨机器构建): `kpi build --shard i/N` builds the whole site but renders and
writes only its share of the generated pages; `kpi merge` puts N such folders together into
the site a single build would have made, byte for byte.

Every shard reads and scores the whole ledger and builds everything that is one piece —
the hand-written pages, the search index (every page's heading and title: the cheap part),
the sitemap, the theme's files, the results and the manifest; only the generated pages'
bodies and renders, the dominant cost, are divided. A page belongs to the shard its source
path hashes to, so the shares stay even and do not move when pages are added.

Each shard writes `kpi-shard.json`: its number, the count, a digest of the site around the
pages (`render_cache.site_digest`: config, navigation, code) and the pages it wrote. `merge`
refuses shards of different builds or an incomplete set, takes the shared files from shard 1
and each generated page from its shard, and hashes the assembled site into the manifest
again (each shard's manifest hashed only its own folder).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpiledger.atomic import WriteError, staging_dir, swap_dir, write_all
from kpiledger.publish.manifest import MANIFEST_FILE, site_hashes

SHARD_FILE = "kpi-shard.json"
SHARD_VERSION = 1


class ShardError(Exception):
    """A shard spec or a set of shard folders that cannot be used; the message says why in
    Chinese and English."""


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`2/4` → Shard(2, 4)."""
        left, _, right = text.partition("/")
        if not (left.isdigit() and right.isdigit()) or not 1 <= int(left) <= int(right):
            raise ShardError(f"分片应写作 i/N（1 ≤ i ≤ N），而不是 {text!r} / a shard is "
                             f"i/N with 1 ≤ i ≤ N, not {text!r}")
        return cls(int(left), int(right))

    def owns(self, src: str) -> bool:
        """Whether the generated page at `src` is this shard's to render."""
        h = int.from_bytes(hashlib.sha256(src.encode("utf-8")).digest()[:8], "big")
        return h % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_record(shard: Shard, site: str, pages: list[str]) -> bytes:
    """The text of `kpi-shard.json`."""
    data = {"version": SHARD_VERSION, "shard": shard.index, "of": shard.count,
            "site": site, "pages": sorted(pages)}
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _read_record(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / SHARD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ShardError(f"{folder} 不是分片的输出（缺少或无法读取 {SHARD_FILE}）/ {folder} is "
                         f"not a shard's output ({SHARD_FILE} missing or unreadable: {e})"
                         ) from None
    if not isinstance(data, dict) or data.get("version") != SHARD_VERSION:
        raise ShardError(f"{folder}/{SHARD_FILE} 的版本不对 / has the wrong version")
    return data


def _manifest_without_site(folder: Path) -> Any:
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict):
        data.pop("site", None)
    return data


def merge_shards(folders: list[Path], site_dir: Path) -> int:
    """Assemble the shards' folders into `site_dir` (swapped in whole); how many pages came
    from the shards. Raises ShardError when the shards are not one complete build."""
    records = [(f, _read_record(f)) for f in folders]
    counts = {r["of"] for _, r in records}
    sites = {r["site"] for _, r in records}
    if len(counts) != 1 or len(sites) != 1:
        raise ShardError("这些分片不是同一次构建的（分片数或网站摘要不同）/ the shards are not "
                         "of one build (their count or site digest differ)")
    count = counts.pop()
    got = sorted(r["shard"] for _, r in records)
    if got != list(range(1, count + 1)):
        raise ShardError(f"需要分片 1…{count} 各一个，收到 {got} / need shards 1…{count} once "
                         f"each, got {got}")
    manifests = {json.dumps(_manifest_without_site(f), sort_keys=True) for f, _ in records}
    if len(manifests) != 1:
        raise ShardError("分片的 manifest.json 不一致（账本或结果不同）/ the shards' manifests "
                         "differ (another ledger or other results)")
    first = next(f for f, r in records if r["shard"] == 1)
    staged = staging_dir(site_dir)
    try:
        shutil.copytree(first, staged, dirs_exist_ok=True)
        (staged / SHARD_FILE).unlink()
        moved = 0
        for folder, record in records:
            for rel in record["pages"]:
                if record["shard"] != 1:
                    target = staged / rel
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(folder / rel, target)
                moved += 1
        _rehash(staged)
        swap_dir(staged, site_dir)
    except OSError as e:
        raise ShardError(f"无法合并到 {site_dir} / cannot merge into {site_dir}: {e}") from None
    except WriteError as e:
        raise ShardError(str(e)) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return moved


def _rehash(site: Path) -> None:
    """The manifest's hashes of every file, now over the whole site (as `write_manifest`
    takes them: every file but the manifest itself)."""
    path = site / MANIFEST_FILE
    if not path.exists():
        return
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if "site" in manifest:
        manifest["site"] = site_hashes(site)
        text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
        write_all(site, [(MANIFEST_FILE, text.encode())])
