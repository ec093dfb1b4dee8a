"""What the theme puts around every page: the footer (who owns the ledger, which commit the
site was built from) and the 404 page, in the site's language.

The plugin puts `overrides/` in front of mkdocs-material's templates (as a theme `custom_dir`
would, behind a custom_dir of the site's own) and hands the templates the `kpi` values below
through the Jinja environment, so every site built with the plugin gets them without a line
in mkdocs.yml.

The 404 page is served for any missing address at any depth (`/repo/people/E9999/`), so
MkDocs gives it links from `site_url` — absolute, and `/` when `site_url` is unset, which
breaks a site served under a sub-path (GitHub Pages: `https://org.github.io/repo/`). With
`site_url` set MkDocs' own links are right and nothing is added. Without it the page's links
are made relative to a `<base>` that a short script sets first thing: the address up to the
first of the site's own top-level names (`periods`, `people`, …), or the address's parent
folder when none appears (a mistyped top-level page); the theme's script reads its base from
its config, so that is set to the same address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpiledger.git.repo import GitError, locate, rev
from kpiledger.site.pages.html import esc

OVERRIDES = Path(__file__).parent / "overrides"
SHORT_SHA = 8  # as the derivation's provenance lines show commits (git.provenance.Commit)

WORDS = {
    "zh": {
        "not_found": "页面不存在",
        "not_found_text": "没有找到这个地址的页面。它可能已经改名，或者地址输入有误。",
        "go_home": "返回首页",
        "search": "搜索本站",
        "search_hint": "也可以按姓名、工号、部门或考核期搜索：",
        "built_from": "本站由提交 {commit} 构建",
        "uncommitted": "本站由未提交到 git 的账本构建",
        "credit": "使用 {link} 制作",
    },
    "en": {
        "not_found": "Page not found",
        "not_found_text": "There is no page at this address. It may have been renamed, "
        "or the address was mistyped.",
        "go_home": "Back to the home page",
        "search": "Search this site",
        "search_hint": "Or search by name, employee id, unit or period:",
        "built_from": "built from commit {commit}",
        "uncommitted": "built from a ledger not committed to git",
        "credit": "made with {link}",
    },
}
CREDIT = (
    '<a href="https://squidfunk.github.io/mkdocs-material/" rel="noopener">Material for MkDocs</a>'
)

# runs before anything in <head> is fetched: `<base>` is the site's root (see above)
_ROOT_SCRIPT = """(function(){var top=%s,p=location.pathname.split("/"),k=-1;
for(var i=1;i<p.length-1;i++){if(top.indexOf(p[i])>=0){k=i;break;}}
if(k<0){k=p[p.length-1]===""?p.length-2:p.length-1;}
var b=document.createElement("base");b.href=p.slice(0,Math.max(k,1)).join("/")+"/";
document.head.appendChild(b);})();"""
# after the theme's config: its base, read by the theme's script, made the same root
_CONFIG_SCRIPT = """(function(){var c=document.getElementById("__config"),
j=JSON.parse(c.textContent);j.base=document.baseURI;c.textContent=JSON.stringify(j);})();"""


@dataclass(frozen=True)
class Chrome:
    """The values the overridden templates read (`kpi.*`)."""

    words: dict[str, str]
    footer: str  # HTML: owner · commit · credit
    root_script: str  # "" when site_url is set: MkDocs' absolute links are right
    config_script: str

    def as_context(self) -> dict[str, Any]:
        return {"words": self.words, "footer": self.footer,
                "root_script": self.root_script, "config_script": self.config_script}


def head_commit(root: Path) -> str | None:
    """The commit checked out where the ledger is; None outside git or before a commit."""
    where = locate(root)
    if where is None:
        return None
    try:
        return rev(where, "HEAD") or None
    except GitError:
        return None


def commit_url(sha: str, repo_url: str | None, repo_url_files: str | None) -> str | None:
    """The commit's page on the forge: from mkdocs.yml's `repo_url` (GitHub and GitLab both
    answer `<repo>/commit/<sha>`), else from the plugin's `repo_url_files` (`…/blob/`)."""
    if repo_url:
        return f"{repo_url.rstrip('/')}/commit/{sha}"
    if repo_url_files and repo_url_files.rstrip("/").endswith("/blob"):
        return f"{repo_url_files.rstrip('/')[: -len('/blob')]}/commit/{sha}"
    return None


def footer_html(lang: str, owner: str, sha: str | None, url: str | None) -> str:
    """`示例商贸有限公司 · 本站由提交 1a2b3c4d 构建 · 使用 Material for MkDocs 制作`."""
    w = WORDS[lang]
    if sha:
        short = f"<code>{esc(sha[:SHORT_SHA])}</code>"
        commit = f'<a href="{esc(url)}">{short}</a>' if url else short
        built = w["built_from"].format(commit=commit)
    else:
        built = esc(w["uncommitted"])
    parts = [f"<strong>{esc(owner)}</strong>", built, w["credit"].format(link=CREDIT)]
    return " · ".join(parts)


def make_chrome(
    lang: str, owner: str, sha: str | None, url: str | None, site_url: str | None,
    top_names: list[str],
) -> Chrome:
    words = WORDS["en" if lang == "en" else "zh"]
    root = "" if site_url else _ROOT_SCRIPT % json.dumps(sorted(set(top_names)))
    return Chrome(words, footer_html("en" if lang == "en" else "zh", owner, sha, url), root,
                  "" if site_url else _CONFIG_SCRIPT)


def top_level_names(paths: list[str]) -> list[str]:
    """The first path segment of every file of the site (`periods`, `people`, `audit`, …):
    `periods/2026-03.md` → `periods`, `audit.md` → `audit` (its folder under directory URLs,
    `audit.html` otherwise — both are listed)."""
    names: set[str] = set()
    for path in paths:
        first = path.split("/", 1)[0]
        if "/" in path:
            names.add(first)
        elif first.endswith(".md") and first != "index.md":
            names |= {first[:-3], first[:-3] + ".html"}
    return sorted(names)
