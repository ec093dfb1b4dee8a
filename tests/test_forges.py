"""GitLab and Gitea (Forgejo) as well as GitHub: identities `gitlab:` / `gitea:` matched from
each CI's own variables, each forge's private commit addresses, merge commits in each forge's
shape read for their request numbers and landing times, CODEOWNERS in each forge's place and
syntax, and the GitLab pipeline valid against GitLab's CI schema. End to end in real git
repositories: review, provenance, lateness and verify."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import HR, LINJING, Repo, make_repo

from kpiledger.calendar import due_moment
from kpiledger.forge.codeowners import render
from kpiledger.forge.forges import FORGES, detect
from kpiledger.git.provenance import file_provenance, pr_number
from kpiledger.pipeline import evaluate
from kpiledger.score.lateness import days_late

TOP = Path(__file__).resolve().parents[1]
E1101 = "2026-05/cs-team-1/E1101.yaml"
# 林静 (E1100, cs-team-1's assessor) on each forge
LOGINS = '"github:linjing-cs", "gitlab:lin.jing", "gitea:linjing"'


def forge_repo(tmp_path: Path) -> Repo:
    repo = make_repo(tmp_path)
    org = repo.read("org/cs-team-1.yaml").replace('"github:linjing-cs"]', LOGINS + "]", 1)
    repo.write("org/cs-team-1.yaml", org)
    repo.commit(HR, "林静在 GitLab、Gitea 上的账号")
    return repo


def kpi(repo: Repo, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("GITHUB_", "GITLAB_", "GITEA_", "FORGEJO_", "KPI_FORGE"))}
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=repo.path,
                          env={**clean, "CI": "true", **env}, capture_output=True, text=True,
                          check=False)


def merge(repo: Repo, branch: str, message: str, when: str) -> str:
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", message, branch, email=HR, when=when)
    return repo.git("rev-parse", "HEAD").strip()


@pytest.mark.parametrize("forge, env, author, message, number", [
    ("gitlab", {"GITLAB_CI": "true", "GITLAB_USER_LOGIN": "lin.jing"},
     "1234-lin.jing@users.noreply.gitlab.com",
     "Merge branch 'linjing-2026-05' into 'main'\n\n五月评分\n\nSee merge request acme/kpi!12", 12),
    ("gitea", {"GITEA_ACTIONS": "true", "GITHUB_ACTOR": "linjing"},
     "linjing@noreply.gitea.example.com",
     "Merge pull request '五月评分' (#7) from linjing/2026-05 into main", 7),
    ("gitea", {"KPI_FORGE": "gitea", "GITHUB_ACTOR": "linjing"},  # Forgejo, told by a variable
     LINJING, "五月评分 (#8)", 8),
])
def test_a_merge_request_on_each_forge(tmp_path, forge, env, author, message, number) -> None:
    repo = forge_repo(tmp_path)
    repo.branch("linjing-2026-05")
    repo.edit(E1101, "  work: 9", "  work: 10")
    repo.commit(author, "五月评分")
    # the gate: who acts is read from the forge's own CI variables, matched as forge:login
    assert detect(env).name == forge
    done = kpi(repo, "review", "--base", "main", "--actor", env.get("GITLAB_USER_LOGIN")
               or env["GITHUB_ACTOR"], "--summary", "review.md", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo.path / "review.md").read_text(encoding="utf-8").strip()
    # a login from another forge is nobody here
    done = kpi(repo, "review", "--base", "main", "--actor", "linjing-cs", env=env)
    assert done.returncode == 1 and f"{forge}:linjing-cs" in done.stdout, done.stdout
    # landed by the forge's merge: its number and its time, which lateness counts from
    sha = merge(repo, "linjing-2026-05", message, "2026-06-07T10:00:00+08:00")
    landed = file_provenance(repo.ledger)[E1101].changed
    assert (landed.sha, landed.pr) == (sha, number)
    ledger = evaluate(repo.ledger).ledger
    due = due_moment(ledger.calendar.periods["2026-05"], ledger.calendar.timezone)
    assert days_late(landed.date, due) == 2  # due 06-05 17:30, landed 06-07 10:00
    # and the published site verifies
    shutil.copy(TOP / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(TOP / "site", repo.path / "site")
    repo.commit(HR, "网站")
    assert kpi(repo, "build", env={}).returncode == 0
    done = kpi(repo, "verify", "public/manifest.json", env={})
    assert done.returncode == 0, done.stdout + done.stderr


def test_merge_subjects_of_each_forge() -> None:
    assert pr_number("Merge pull request #12 from acme/linjing") == 12  # GitHub
    assert pr_number("五月评分 (#13)") == 13  # GitHub and Gitea squash
    assert pr_number("Merge pull request '五月评分 (草稿)' (#7) from a/b into main") == 7
    assert pr_number("Merge branch 'a' into 'main'", "标题\n\nSee merge request acme/kpi!12") == 12
    assert pr_number("Merge branch 'a' into 'main'", "See merge request !3") == 3  # older GitLab
    # a number only where the forge writes it
    assert pr_number("修改 (#12) 的记录") is None
    assert pr_number("五月评分", "See merge request acme/kpi!12") is None


def test_commit_text_cannot_end_its_own_record(tmp_path: Path) -> None:
    """A commit's subject and author are the submitter's text: separators in them must not
    cut the commit's record short and leave the files it touched unattributed."""
    repo = forge_repo(tmp_path)
    repo.branch("hostile")
    repo.edit("2026-05/cs-team-2/E1201.yaml", "  work: ", "  work: 1")
    repo.git("add", "-A")
    repo.git("-c", "user.name=x\x1fy\x1ez", "commit", "-q", "-m",
             "评分\x1e\x1fzz\x1f\x1e" + "\x1f" * 7, email=LINJING)
    done = kpi(repo, "review", "--base", "main", "--actor", "linjing-cs",
               env={"GITHUB_ACTIONS": "true"})
    # 林静 may not write cs-team-2's records: her commit is attributed and refused
    assert done.returncode == 1 and "E1201" in done.stdout, done.stdout


def owners(text: str, path: str) -> set[str]:
    """Who Gitea asks to review `path`: the owners of every matching rule (a rule starting
    with ! matches what its pattern does not), patterns anchored as Gitea anchors them."""
    found: set[str] = set()
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        pattern, *people = line.split()
        negative = pattern.startswith("!")
        if bool(re.fullmatch(pattern.lstrip("!"), path)) != negative:
            found |= set(people)
    return found


def test_codeowners_in_each_forges_place_and_syntax(tmp_path: Path) -> None:
    repo = forge_repo(tmp_path)
    org = evaluate(repo.ledger).ledger.org
    gitlab = render(org, "ledger/", FORGES["gitlab"])
    assert "[绩效考核账本 kpiledger]" in gitlab
    assert "/ledger/*/cs-team-1/ @lin.jing" not in gitlab  # owners are cs-team-1's reviewers
    gitea = render(org, "ledger/", FORGES["gitea"])
    github = render(org, "ledger/")
    assert "@zhoulishan" in github and "@zhoulishan" not in gitea  # HR has no Gitea login
    for forge in ("gitlab", "gitea"):
        done = kpi(repo, "codeowners", "--forge", forge, env={})
        assert done.returncode == 0, done.stdout
        path = repo.path / FORGES[forge].codeowners
        assert path.read_text(encoding="utf-8") == render(org, "ledger/", FORGES[forge])
        repo.commit(HR, f"{forge} CODEOWNERS")
        assert "KPI701" not in kpi(repo, "check", "ledger", env={}).stdout
        # the org chart changes: the forge's own file is stale, and says so
        hr = '"github:zhoulishan"'
        repo.edit("org/hr.yaml", hr, f'{hr}, "{forge}:zhoulishan"')
        done = kpi(repo, "check", "ledger", env={})
        out = done.stdout + done.stderr
        assert "KPI701" in out and FORGES[forge].codeowners in out, out
        repo.edit("org/hr.yaml", f'{hr}, "{forge}:zhoulishan"', hr)
        path.unlink()
    # Gitea asks every matching rule's owners: no rule may reach into another's files.
    # HR, the maintainer and cs-team-1's reviewer get Gitea logins.
    for unit, login in (("hr", "zhoulishan"), ("it-center", "penglei-it"), ("cs", "hxl-cs")):
        repo.edit(f"org/{unit}.yaml", f'"github:{login}"', f'"github:{login}", "gitea:{login}"')
    gitea = render(evaluate(repo.ledger).ledger.org, "ledger/", FORGES["gitea"])
    assert owners(gitea, "ledger/2026-05/cs-team-1/E1101.yaml") == {"@hxl-cs"}
    assert owners(gitea, "src/kpiledger/cli.py") == {"@penglei-it"}
    assert owners(gitea, ".gitea/CODEOWNERS") == {"@penglei-it"}
    for shared in ("ledger/org.yaml", "ledger/periods.yaml", "ledger/schemes/cs-agent.yaml"):
        assert owners(gitea, shared) == {"@zhoulishan"}, shared
    # a unit's file: its reviewer (E1001) and HR; cs's reviewer E0010 has no login: HR
    assert owners(gitea, "ledger/org/cs-team-1.yaml") == {"@hxl-cs", "@zhoulishan"}
    assert owners(gitea, "ledger/org/cs.yaml") == {"@zhoulishan"}


@pytest.mark.parametrize("path", [".gitlab-ci.yml",
                                  "src/kpiledger/templates/repo/dot-gitlab-ci.yml"])
def test_the_gitlab_pipeline_is_valid(path: str) -> None:
    done = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"),
                           "--builtin-schema", "vendor.gitlab-ci", str(TOP / path)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (TOP / path).read_text(encoding="utf-8")
    assert "--forge gitlab" in text and "$GITLAB_USER_LOGIN" in text
    assert "kpi build --public --target public" in text  # the public edition by default


def test_init_for_each_forge(tmp_path: Path) -> None:
    for forge, present, absent in (
        ("gitlab", [".gitlab-ci.yml", ".gitlab/CODEOWNERS"], [".github", "CODEOWNERS"]),
        ("gitea", [".github/workflows/review.yml", ".gitea/CODEOWNERS"],
         [".gitlab-ci.yml", "CODEOWNERS"]),
        ("github", [".github/workflows/review.yml", "CODEOWNERS"], [".gitlab-ci.yml"]),
    ):
        target = tmp_path / forge
        done = subprocess.run([sys.executable, "-m", "kpiledger", "init", str(target),
                               "--forge", forge, "--year", "2026"],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert all((target / p).exists() for p in present), forge
        assert not any((target / p).exists() for p in absent), forge
