"""Hand-written pages in the English edition: `site/index.en.md` beside `site/index.md`.

`kpi build --lang en` builds the English file in the Chinese one's place (same address, same
place in the nav, the home page's generated part still appended); the Chinese edition leaves
every `*.en.md` out. A page without an English file stays Chinese in both editions."""

from __future__ import annotations

from mkdocs.structure.files import Files

SUFFIX = ".en.md"


def pick_language(files: Files, lang: str) -> list[str]:
    """Drop the `*.en.md` pages from `files`; in the English edition read each one in place of
    its Chinese page. Returns the pages that were replaced."""
    replaced = []
    for f in list(files):
        if f.generated_by is not None or not f.src_uri.endswith(SUFFIX):
            continue
        files.remove(f)
        original = files.get_file_from_path(f.src_uri[: -len(SUFFIX)] + ".md")
        if lang == "en" and original is not None and f.abs_src_path is not None:
            # the same File (its address and nav entry), its text read from the English file
            original.abs_src_path = f.abs_src_path  # type: ignore[misc]
            replaced.append(original.src_uri)
    return replaced
