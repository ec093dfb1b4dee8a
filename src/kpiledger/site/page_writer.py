"""Cached pages written beside MkDocs' own work (缓存页面的后台写入).

A build after a small change takes 10,000 pages whole from the cache; each is decompressed,
given the footer and written. zlib and file writes release the GIL, so one thread does that
while MkDocs goes on with the next page (the search index, the next template): about 3 s of
a 120,000-record build off its path. `wait` is called before anything reads the written
site (the manifest hashes every file) and when a build fails, so no thread writes into a
folder that is being removed.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor

from kpiledger.site.render_cache import FOOTER_MARK, unpack


class PageWriter:
    """Writes cached pages (`RenderCache.get`'s entries) in a thread, in the order given."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future[None]] = []
        self._folders: set[str] = set()

    def write(self, entry: bytes, footer: str, path: str) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="kpi-pages")
        self._pending.append(self._pool.submit(self._write, entry, footer.encode(), path))

    def _write(self, entry: bytes, footer: bytes, path: str) -> None:
        folder = os.path.dirname(path)
        if folder not in self._folders:  # one makedirs per folder, not per page
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        with open(path, "wb") as f:
            f.write(unpack(entry).replace(FOOTER_MARK.encode(), footer))

    def wait(self) -> None:
        """Every page given so far written; the first error any write met is raised."""
        pending, self._pending = self._pending, []
        try:
            for done in pending:
                done.result()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
            self._folders.clear()
