"""Identity you can prove offline: SSH-signed commits (git's gpg.format=ssh), keys made with
ssh-keygen in the test, public keys listed in the org chart; `kpi review` and `kpi verify`
check every commit's signature when the ledger requires them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from gitrepo import HR, LINJING, Repo, make_repo

from kpiledger.pipeline import evaluate
from kpiledger.publish.manifest import write_manifest
from kpiledger.publish.shards import period_documents
from kpiledger.publish.verify import verify
from kpiledger.review.run import review

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
E1101 = "2026-05/cs-team-1/E1101.yaml"


def keypair(tmp: Path, name: str) -> tuple[Path, str]:
    key = tmp / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
                   check=True)
    return key, (tmp / f"{name}.pub").read_text(encoding="utf-8").strip()


def signed_commit(repo: Repo, email: str, key: Path | None, message: str) -> None:
    repo.git("add", "-A")
    sign = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key}", "commit", "-S"] if key \
        else ["commit"]
    repo.git(*sign, "-q", "-m", message, email=email)


def signing_repo(tmp_path: Path) -> tuple[Repo, dict[str, Path]]:
    """The example ledger requiring signed commits; HR and 林静 hold keys; every commit of
    main is signed by HR."""
    keys = {who: keypair(tmp_path, who) for who in ("hr", "linjing", "stranger")}
    repo = make_repo(tmp_path)
    repo.edit("org.yaml", "maintainers: [E0601]\n",
              "maintainers: [E0601]\nrequire_signed_commits: true\n")
    for unit, email, (_, pub) in (("hr", HR, keys["hr"]), ("cs-team-1", LINJING, keys["linjing"])):
        repo.edit(f"org/{unit}.yaml", f"identities: [{email}",
                  f"signing_keys: [\"{pub}\"]\n    identities: [{email}")
    signed_commit(repo, HR, keys["hr"][0], "签名提交")
    repo.git("rebase", "-q", "--exec", f"git -c gpg.format=ssh -c user.signingkey="
             f"{keys['hr'][0]} commit -q --amend --no-edit -S", "--root", email=HR)
    return repo, {k: v[0] for k, v in keys.items()}


def whys(repo: Repo) -> list[str]:
    return [x.why_en for x in review(repo.ledger, "main", "linjing-cs", now=NOW).refusals]


def test_review_checks_every_commits_signature(tmp_path) -> None:
    repo, keys = signing_repo(tmp_path)
    assert evaluate(repo.ledger).ledger.org.require_signed_commits
    repo.branch("signed")
    repo.edit(E1101, "  work: 9", "  work: 10")
    signed_commit(repo, LINJING, keys["linjing"], "评分")
    assert whys(repo) == []
    repo.branch("unsigned", "signed")
    repo.edit(E1101, "  work: 10", "  work: 8")
    signed_commit(repo, LINJING, None, "未签名")
    assert any("no good SSH signature" in w for w in whys(repo))
    repo.branch("impostor", "main")  # a key nobody in the org chart holds, 林静's e-mail
    repo.edit(E1101, "  work: 9", "  work: 10")
    signed_commit(repo, LINJING, keys["stranger"], "冒名")
    assert any("no good SSH signature" in w for w in whys(repo))
    repo.branch("borrowed", "main")  # HR's key signing a commit that claims 林静
    repo.edit(E1101, "  work: 9", "  work: 10")
    signed_commit(repo, LINJING, keys["hr"], "借用")
    assert any("signed by E0001" in w and "claims E1100" in w for w in whys(repo))


def test_verify_checks_every_commits_signature(tmp_path) -> None:
    repo, _ = signing_repo(tmp_path)
    manifest = write_manifest(repo.path / "public", repo.ledger,
                              period_documents(evaluate(repo.ledger).results))
    assert verify(manifest) == []
    repo.edit(E1101, "  work: 9", "  work: 10")
    signed_commit(repo, LINJING, None, "未签名")
    manifest = write_manifest(repo.path / "public", repo.ledger,
                              period_documents(evaluate(repo.ledger).results))
    assert [x.code for x in verify(manifest)] == ["KPI722"]


def test_in_ci_review_needs_an_actor(tmp_path) -> None:
    repo = make_repo(tmp_path)
    env = {**os.environ, "CI": "true", "GITHUB_STEP_SUMMARY": ""}
    done = subprocess.run([sys.executable, "-m", "kpiledger", "review", "--base", "main"],
                          cwd=repo.path, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "--actor" in done.stderr
