"""Who is who by the traces people leave in git and on the forge: a commit's e-mail
(`identities` in the org chart, GitHub's no-reply addresses by the login they name) and a
forge login (`github:<login>`). The review and the site both read identities through it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kpiledger.load.layout import parse_record_path
from kpiledger.model.org import Org

WEB_FLOW = "noreply@github.com"  # GitHub's own committer for web edits and merges
FORGE_NAMES = ("github", "gitlab", "gitea")  # Gitea's logins serve Forgejo and Gitee alike
# the private commit address each forge gives a user, naming their login
_NOREPLY = {
    "github": re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$"),
    # gitlab.com and self-hosted GitLab: <id>-<username>@users.noreply.<host>
    "gitlab": re.compile(r"^\d+-([A-Za-z0-9_.-]+)@users\.noreply\.[A-Za-z0-9.-]+$"),
    # Gitea / Forgejo: <login>@<NO_REPLY_ADDRESS>, by default noreply.<domain>
    "gitea": re.compile(r"^([A-Za-z0-9_.-]+)@noreply\.[A-Za-z0-9.-]+$"),
}


def split_login(text: str, forge: str = "github") -> tuple[str, str]:
    """("gitlab", "alice") from "gitlab:alice" or "@alice" (then on `forge`)."""
    text = text.strip()
    head, sep, tail = text.partition(":")
    if sep and head.lower() in FORGE_NAMES:
        return head.lower(), tail.strip().lstrip("@")
    return forge, text.lstrip("@")


class People:
    """Who is who in the org chart at REF: by e-mail, by forge login (`github:`, `gitlab:`,
    `gitea:`), and in words."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.by_mail: dict[str, str] = {}
        self.by_login: dict[tuple[str, str], str] = {}
        self.logins: dict[str, list[str]] = {}
        for p in org.people.values():
            for ident in p.identities:
                forge, login = split_login(ident, "")
                if forge:
                    self.by_login.setdefault((forge, login.lower()), p.id)
                    self.logins.setdefault(p.id, []).append(login)
                else:
                    self.by_mail.setdefault(ident.strip().lower(), p.id)

    def of_mail(self, mail: str) -> str | None:
        mail = mail.strip().lower()
        if mail in self.by_mail:
            return self.by_mail[mail]
        for forge, pattern in _NOREPLY.items():  # a forge's private address names the login
            m = pattern.match(mail)
            if m and (forge, m.group(1).lower()) in self.by_login:
                return self.by_login[(forge, m.group(1).lower())]
        return None

    def of_login(self, login: str, forge: str = "github") -> str | None:
        """The person with this login on `forge` ("gitlab:alice" names its forge itself)."""
        forge, name = split_login(login, forge)
        return self.by_login.get((forge, name.lower()))

    def who(self, ids: Iterable[str]) -> str:
        shown = []
        for pid in sorted(set(ids)):
            p = self.org.people.get(pid)
            logins = " ".join(f"@{x}" for x in self.logins.get(pid, []))
            text = f"{pid} {p.name}" if p else pid
            shown.append(f"{text} ({logins})" if logins else text)
        return "、".join(shown)


SIGNERS = {"assessee": ("被考核人", "the assessee"), "assessor": ("考核人", "the assessor"),
           "reviewer": ("复核人", "the reviewer")}


def signer_of(org: Org, rel: str, key: str) -> str | None:
    """Who must sign as `key` (assessee | assessor | reviewer) on the record at `rel`."""
    where = parse_record_path(rel)
    if where is None:
        return None
    person, unit = org.people.get(where.assessee), org.units.get(where.assessee)
    if key == "assessee":
        return where.assessee if person is not None else None
    if key == "assessor":
        return person.assessor if person else unit.assessor if unit else None
    return person.reviewer if person else None
