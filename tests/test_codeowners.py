"""`kpi codeowners` and the KPI701 warning of `kpi check`, in a real git repository."""

from __future__ import annotations

import subprocess
import sys

from gitrepo import HR, make_repo


def kpi(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kpiledger", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_codeowners_from_the_org_chart(tmp_path) -> None:
    repo = make_repo(tmp_path)
    done = kpi("codeowners", "--ledger", "ledger", cwd=repo.path)
    assert done.returncode == 0, done.stderr
    text = (repo.path / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/ledger/*/cs-team-1/ @hxl-cs\n" in text  # reviewer E1001
    assert "/ledger/schemes/ @zhoulishan @chenjian-hr\n" in text
    assert "/ledger/org.yaml @zhoulishan @chenjian-hr\n" in text
    # a split org chart: a unit's file is its reviewers' and HR's, new unit files HR's
    assert "/ledger/org/ @zhoulishan @chenjian-hr\n" in text
    assert "/ledger/org/cs-team-1.yaml @hxl-cs @zhoulishan @chenjian-hr\n" in text
    assert text.index("/ledger/org/ ") < text.index("/ledger/org/cs-team-1.yaml")  # last wins
    assert "/ledger/org/workshop.yaml @zhoulishan @chenjian-hr\n" in text  # no login: HR
    assert "/ledger/periods.yaml @zhoulishan @chenjian-hr\n" in text
    # workshop's reviewer E2001 has no forge login: named in a comment, HR reviews instead
    assert "# workshop: " in text and "E2001" in text
    assert "/ledger/*/workshop/ @zhoulishan @chenjian-hr\n" in text
    assert kpi("codeowners", "--check", "--ledger", "ledger", cwd=repo.path).returncode == 0
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "CODEOWNERS", email=HR)
    assert "KPI701" not in kpi("check", "ledger", "--no-cache", cwd=repo.path).stdout

    # the org chart changes, the committed file does not: stale
    org = repo.read("org/cs-team-1.yaml").replace("reviewers: [E1001]", "reviewers: [E0001]", 1)
    repo.write("org/cs-team-1.yaml", org)
    assert kpi("codeowners", "--check", "--ledger", "ledger", cwd=repo.path).returncode == 1
    checked = kpi("check", "ledger", "--lang", "en", cwd=repo.path)
    assert "KPI701" in checked.stdout and "CODEOWNERS" in checked.stdout
    assert checked.returncode == 0  # a warning only
    assert kpi("codeowners", "--ledger", "ledger", cwd=repo.path).returncode == 0
    assert "KPI701" not in kpi("check", "ledger", cwd=repo.path).stdout


def test_no_codeowners_file_no_warning(tmp_path) -> None:
    repo = make_repo(tmp_path)
    assert "KPI701" not in kpi("check", "ledger", "--no-cache", cwd=repo.path).stdout
