"""The forges kpiledger runs on — GitHub, GitLab, Gitea (and Forgejo, Gitee, which speak
Gitea's dialect) — and what differs between them: where each reads CODEOWNERS, which CI
variable names the person acting, and how a CI run says which forge it is on.

Identities in the org chart name their forge (`github:zhangsan`, `gitlab:zhangsan`,
`gitea:zhangsan`, `model.identity`); merge subjects of each forge are read in
`git.provenance`; the CODEOWNERS text of each is made in `forge.codeowners`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Forge:
    name: str  # as identities name it: github | gitlab | gitea
    title: str
    codeowners: str  # where the forge reads CODEOWNERS, from the repository's top
    actor_env: str  # the CI variable naming who acts (the pull request's trigger)
    marker_envs: tuple[str, ...]  # "true" in a CI run on this forge
    # the web editor's "new file" page, prefilled: {repo} {branch}, then the file's path and
    # its URL-encoded text are appended by the site's submission form
    new_file: str = ""


FORGES: dict[str, Forge] = {
    "github": Forge("github", "GitHub", ".github/CODEOWNERS", "GITHUB_ACTOR",
                    ("GITHUB_ACTIONS",),
                    "{repo}/new/{branch}?filename={{path}}&value={{value}}"),
    # GitLab reads CODEOWNERS at the top, in docs/ or in .gitlab/ (the first found)
    "gitlab": Forge("gitlab", "GitLab", ".gitlab/CODEOWNERS", "GITLAB_USER_LOGIN",
                    ("GITLAB_CI",),
                    "{repo}/-/new/{branch}?file_name={{path}}&content={{value}}"),
    # Gitea reads ./CODEOWNERS, ./docs/CODEOWNERS, ./.gitea/CODEOWNERS; its Actions keep
    # GitHub's variable names (GITHUB_ACTOR) beside their own marker
    "gitea": Forge("gitea", "Gitea / Forgejo", ".gitea/CODEOWNERS", "GITHUB_ACTOR",
                   ("GITEA_ACTIONS", "FORGEJO_ACTIONS"),
                   "{repo}/_new/{branch}/?filename={{path}}&value={{value}}"),
}


def from_url(url: str | None) -> str | None:
    """The forge a repository URL is on, by its host (github.com, gitlab.*, gitea.*, codeberg,
    forgejo.*); None when the host does not say (set the site's `forge` option then)."""
    if not url:
        return None
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    for name, words in (("github", ("github",)), ("gitlab", ("gitlab",)),
                        ("gitea", ("gitea", "forgejo", "codeberg"))):
        if any(w in host for w in words):
            return name
    return None


def detect(environ: Mapping[str, str]) -> Forge:
    """The forge a CI run is on: KPI_FORGE when set (a repository variable, e.g. on a Forgejo
    whose runner names itself like GitHub's), else from the forge's own variables, else
    GitHub."""
    if environ.get("KPI_FORGE") in FORGES:
        return FORGES[environ["KPI_FORGE"]]
    for forge in (FORGES["gitlab"], FORGES["gitea"]):
        if any(environ.get(v) == "true" for v in forge.marker_envs):
            return forge
    return FORGES["github"]


def qualified(actor: str, forge: Forge) -> str:
    """`gitlab:alice` from `alice` on GitLab; an actor that names its forge stays as it is."""
    head, sep, _ = actor.partition(":")
    return actor if sep and head.lower() in FORGES else f"{forge.name}:{actor.lstrip('@')}"
