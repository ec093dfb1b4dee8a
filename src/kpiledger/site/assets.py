"""Theme files a published site does not need, removed after the build.

mkdocs-material copies source maps (1.3 MB, only read by a browser's developer tools) and the
search stemmers of some thirty languages, with the Thai and Japanese word splitters (0.9 MB),
into every site. Its search worker loads just the files for the languages in the search
index's `config.lang` (see `search.*.min.js`: `lunr.<lang>.min.js`, `lunr.multi` for several,
`lunr.stemmer.support`, `tinyseg.js` for ja, `wordcut.js` for th and hi); the rest go.
"""

from __future__ import annotations

import json
from pathlib import Path

_SEGMENTERS = {"ja": "tinyseg.js", "th": "wordcut.js", "hi": "wordcut.js"}


def search_files_needed(langs: list[str]) -> set[str]:
    """The files under assets/javascripts/lunr/ that the search worker loads for `langs`."""
    needed = {"min/lunr.stemmer.support.min.js"}
    needed |= {f"min/lunr.{lang}.min.js" for lang in langs if lang != "en"}
    needed |= {_SEGMENTERS[lang] for lang in langs if lang in _SEGMENTERS}
    if len(langs) > 1:
        needed.add("min/lunr.multi.min.js")
    return needed


def prune_theme_assets(site_dir: Path) -> int:
    """Remove source maps and unused search languages from a built site; bytes removed."""
    removed = 0
    assets = site_dir / "assets"
    doomed = list(assets.rglob("*.map"))
    lunr = assets / "javascripts" / "lunr"
    index = site_dir / "search" / "search_index.json"
    if lunr.is_dir() and index.is_file():  # without a search index, no language is known
        langs = json.loads(index.read_text(encoding="utf-8")).get("config", {}).get("lang", [])
        keep = search_files_needed(list(langs))
        doomed += [
            f for f in lunr.rglob("*") if f.is_file() and f.relative_to(lunr).as_posix() not in keep
        ]
    for f in doomed:
        removed += f.stat().st_size
        f.unlink()
    return removed
