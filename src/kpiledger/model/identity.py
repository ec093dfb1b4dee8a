"""Who is who by the traces people leave in git and on the forge: a commit's e-mail
(`identities` in the org chart, GitHub's no-reply addresses by the login they name) and a
forge login (`github:<login>`). The review and the site both read identities through it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kpiledger.load.layout import parse_record_path
from kpiledger.model.org import Org

WEB_FLOW = "noreply@github.com"  # GitHub's own committer for web edits and merges
_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$")


class People:
    """Who is who in the org chart at REF: by e-mail, by forge login, and in words."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.by_mail: dict[str, str] = {}
        self.by_login: dict[str, str] = {}
        self.logins: dict[str, list[str]] = {}
        for p in org.people.values():
            for ident in p.identities:
                if ident.lower().startswith("github:"):
                    login = ident.split(":", 1)[1].strip()
                    self.by_login.setdefault(login.lower(), p.id)
                    self.logins.setdefault(p.id, []).append(login)
                else:
                    self.by_mail.setdefault(ident.strip().lower(), p.id)

    def of_mail(self, mail: str) -> str | None:
        mail = mail.strip().lower()
        if mail in self.by_mail:
            return self.by_mail[mail]
        m = _NOREPLY.match(mail)  # GitHub's private address names the login
        return self.by_login.get(m.group(1).lower()) if m else None

    def of_login(self, login: str) -> str | None:
        return self.by_login.get(login.strip().lstrip("@").lower())

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
