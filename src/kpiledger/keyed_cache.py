"""A folder of entries by content key (内容寻址缓存): what a build made, kept under a key made
from exactly what it was made from, so that the next build takes it instead of making it.

Keys are SHA-256 digests; an entry is the file `<folder>/<key[:2]>/<key>`, written atomically
(a reader never sees half of one). A CI run restores the folder between builds (the publish
workflow's `actions/cache`), so keys never depend on a file's times, only on content. After a
build the folder keeps only the entries that build used (`prune`): it does not grow. An entry
that cannot be read is a miss; one that cannot be written only costs the next build time.
Whoever stores an entry checks it when reading it back (a page's CRC-32, a gzip trailer).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import fields, is_dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from kpiledger import __version__

# what renders the pages: their versions are part of every key
_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions")


def digest(*parts: Any) -> str:
    """SHA-256 of the parts as canonical JSON (anything else by its repr)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=repr,
                      separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_DATA_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
                 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME)


def data_digest(*parts: Any) -> str:
    """`digest` of plain JSON data (text, numbers, lists, dicts with text keys) at a tenth of
    its cost: a person's key is made for every person on every build. A compressed list
    counts by its digest, anything else by its repr, as in `digest`."""
    text = orjson.dumps(parts, default=_plain_or_repr, option=_DATA_OPTIONS)
    return hashlib.sha256(text).hexdigest()


_FIELD_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def fields_digest(*parts: Any) -> str:
    """`data_digest` of data that holds dataclasses whose every field is content (a record,
    a commit: no derived fields, no sets), serialised field by field in C: their repr took
    seconds over 120,000 records."""
    return hashlib.sha256(orjson.dumps(parts, default=_plain_or_repr,
                                       option=_FIELD_OPTIONS)).hexdigest()


def _plain_or_repr(value: Any) -> Any:
    # what has a digest of its own counts by it (`publish.compressed.CompressedList`:
    # unpacking 120,000 results' items cost seconds), anything else by its repr
    own = getattr(value, "digest", None)
    return own() if callable(own) else repr(value)


def canonical(value: Any) -> Any:
    """A model value as plain data whose JSON is the same in every process: sets sorted (their
    order follows the process's string hashing, and so does their repr), dataclasses by their
    shown fields (the hidden ones are derived: a formula's parsed tree)."""
    if is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__,
                {f.name: canonical(getattr(value, f.name)) for f in fields(value) if f.repr}]
    if isinstance(value, dict):
        return [[canonical(k), canonical(v)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(json.dumps(canonical(v), default=repr, ensure_ascii=False) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)  # Decimal, dates, enums: their repr names the value


def folder_digest(folder: Path | None) -> str:
    """Every file's path and bytes under `folder` ('' when there is none)."""
    h = hashlib.sha256()
    if folder is None or not folder.is_dir():
        return ""
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(p.relative_to(folder).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@cache
def code_digest() -> str:
    """Our code and templates by content (a CI checkout has fresh mtimes, so the load cache's
    stamp would never match there) and the versions of what renders the pages."""
    package = Path(__file__).resolve().parent
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=-")
    return digest(__version__, versions, folder_digest(package))


class KeyedCache:
    """Entries by key in one folder; `None` as the folder keeps nothing."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / key

    def read(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None."""
        if self.folder is None:
            return None
        try:
            data = self._path(key).read_bytes()
        except OSError:  # missing: the caller makes it
            return None
        self.used.add(key)
        return data

    def write(self, key: str, data: bytes) -> None:
        if self.folder is None:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
        except OSError:
            return
        self.used.add(key)

    def forget(self, key: str) -> None:
        """`key`'s entry was read but found damaged: not kept unless written again."""
        self.used.discard(key)

    def prune(self) -> int:
        """Remove the entries this build did not use; how many were removed."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        removed = 0
        for path in self.folder.glob("*/*"):
            if path.name not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
