"""A real git repository holding a copy of the example ledger, for end-to-end tests of
`kpi review`, `kpi codeowners` and `kpi verify`. People commit as themselves
(`git -c user.name=… -c user.email=…`), with the e-mails org.yaml gives them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

LEDGER = Path(__file__).resolve().parents[1] / "ledger"

# e-mails from ledger/org.yaml
HR = "zhoulishan@example.com"  # E0001, github:zhoulishan
LINJING = "linjing@example.com"  # E1100, assessor of cs-team-1, github:linjing-cs
HEJUN = "hejun@example.com"  # E1200, assessor of cs-team-2, github:hejun-cs
WANGTAO = "wangtao@example.com"  # E3100, assessor of branch-east-cs
ZHONGLIHUA = "zhonglihua@example.com"  # E3101
FANZHIWEI = "fanzhiwei@example.com"  # E3102
LUOMIN = "luomin@example.com"  # E1002, group assessor of branch-east-cs people
LIUFANG = "liufang@example.com"  # E0301, finance


class Repo:
    """A git repository at `path` with the ledger in `path/ledger`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ledger = path / "ledger"

    def git(self, *args: str, email: str = HR, when: str | None = None) -> str:
        """Run git as the person with this e-mail; `when` (ISO 8601) dates the commit."""
        name = email.split("@", 1)[0]
        env = None
        if when is not None:  # lateness is measured from the committer date
            env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        done = subprocess.run(
            ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return done.stdout

    def branch(self, name: str, start: str = "main") -> None:
        self.git("checkout", "-q", "-B", name, start)

    def write(self, rel: str, text: str) -> Path:
        path = self.ledger / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.ledger / rel).unlink()

    def read(self, rel: str) -> str:
        return (self.ledger / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def commit(self, email: str = HR, message: str = "change", *, when: str | None = None) -> str:
        """Commit everything as `email`; the new commit's sha."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, email=email, when=when)
        return self.git("rev-parse", "HEAD").strip()


def make_repo(tmp_path: Path) -> Repo:
    """The example ledger committed on `main` by HR."""
    path = tmp_path / "repo"
    path.mkdir()
    shutil.copytree(LEDGER, path / "ledger")
    repo = Repo(path)
    repo.git("init", "-q", "-b", "main")
    repo.commit(HR, "账本")
    return repo
