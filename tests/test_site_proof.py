"""The site shows who signed and approved, and how git proves it: a signature or approval is
"proven" only by the person's own commit to the file (their SSH signature, or else their
e-mail), and a date typed by someone else shows as not proven. The audit page gives every
time in the ledger's zone, the days late as scoring counts them, counts per period and how to
verify the site. Real git repositories and real `kpi build`s in tmp dirs."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from gitrepo import HR, LINJING, WANGTAO, Repo, make_repo
from test_trust_signing import signed_commit, signing_repo

from kpiledger.calendar import due_moment
from kpiledger.pipeline import evaluate
from kpiledger.score.lateness import days_late

TOP = Path(__file__).resolve().parents[1]
CORRECTION = "2026-04/branch-east-cs/E3101.correction-1.yaml"
ZHONGLIHUA = "zhonglihua@example.com"


def build(repo: Repo) -> Path:
    if not (repo.path / "mkdocs.yml").exists():
        shutil.copy(TOP / "mkdocs.yml", repo.path / "mkdocs.yml")
        shutil.copytree(TOP / "site", repo.path / "site")
        repo.git("add", "-A")
        repo.git("commit", "-q", "-m", "网站", email=HR)
    done = subprocess.run([sys.executable, "-m", "kpiledger", "build"], cwd=repo.path,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return repo.path / "public"


def text(page: Path) -> str:
    """The page's visible text, tags removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))


def test_approval_and_signature_proven_by_their_own_commits(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    repo.branch("correction")
    base = repo.read("2026-04/branch-east-cs/E3101.yaml").split("signatures:")[0]
    repo.write(CORRECTION, base + "correction:\n  reason: 录入错误\n  approved_by: E0001\n"
               "  date: 2026-05-10\nsignatures:\n  assessee: 2026-05-10\n")
    repo.commit(WANGTAO, "更正")
    repo.edit(CORRECTION, "date: 2026-05-10\n", "date: 2026-05-11\n")
    approval = repo.commit(HR, "人力资源批准")
    repo.edit(CORRECTION, "assessee: 2026-05-10", "assessee: 2026-05-12")
    signature = repo.commit(ZHONGLIHUA, "被考核人确认")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from org/correction",
             "correction")
    site = build(repo)
    person = text(site / "people" / "E3101" / "index.html")
    assert f"被考核人确认：钟丽华 2026-05-12 · 本人提交 {signature[:8]}" in person, person
    assert "按提交邮箱认定，未签名" in person
    # the other records' signatures were typed and committed by HR: not proven, said in one
    # line (the latest date, how many)
    assert "考核小组：罗敏 · 添加" in person
    assert "考核小组：罗敏 · 添加 " in person and "⚠ 签字未经本人提交证实" in person, person
    audit = text(site / "audit" / "index.html")
    assert f"周立山 · 本人提交 {approval[:8]}" in audit, audit


def test_an_approval_by_the_author_is_not_proven(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    base = repo.read("2026-04/branch-east-cs/E3101.yaml").split("signatures:")[0]
    repo.write(CORRECTION, base +
               "correction:\n  reason: 录入错误\n  approved_by: E3100\n  date: 2026-05-10\n")
    repo.commit(WANGTAO, "考核人自己更正并批准")
    audit = text(build(repo) / "audit" / "index.html")
    assert "汪涛 · ⚠ 未证实：批准人也是作者，不能自己批准" in audit, audit


def test_a_signature_proven_by_an_ssh_key(tmp_path: Path) -> None:
    repo, keys = signing_repo(tmp_path)
    rel = "2026-05/cs-team-1/E1101.yaml"
    repo.edit(rel, "  assessor: 2026-06-03", "  assessor: 2026-06-04")
    signed_commit(repo, LINJING, keys["linjing"], "考核人签字")
    sha = repo.git("rev-parse", "HEAD").strip()
    shutil.copy(TOP / "mkdocs.yml", repo.path / "mkdocs.yml")
    shutil.copytree(TOP / "site", repo.path / "site")
    signed_commit(repo, HR, keys["hr"], "网站")
    person = text(build(repo) / "people" / "E1101" / "index.html")
    assert f"考核人签字：林静 2026-06-04 · 本人提交 {sha[:8]}" in person, person
    assert "SSH 签名已验证" in person


def test_the_audit_page_an_auditor_can_use(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    site = build(repo)
    html = (site / "audit" / "index.html").read_text(encoding="utf-8")
    audit = text(site / "audit" / "index.html")
    assert "本页所有时间均为账本时区 Asia/Shanghai 的时间。" in audit
    # how to verify: the manifest is linked and exists; the exact command is given
    assert 'href="../manifest.json"' in html and (site / "manifest.json").is_file()
    assert "kpi verify manifest.json" in audit
    # late submissions by period, newest first, with the days late scoring counts
    evaluation = evaluate(repo.ledger)
    cal = evaluation.ledger.calendar
    rec = next(r for r in evaluation.ledger.records if r.file == "2026-06/cs-team-1/E1101.yaml")
    landed = evaluation.provenance[rec.file].added.date
    days = days_late(landed, due_moment(cal.periods["2026-06"], cal.timezone))
    # git dates the commit in this machine's zone; the page says it in the ledger's
    local = dt.datetime.fromisoformat(landed).astimezone(ZoneInfo("Asia/Shanghai"))
    local_text = local.strftime("%Y-%m-%d %H:%M")
    assert days > 0
    row = f"张晓燕 上级 2026-06/cs-team-1/E1101.yaml 2026-07-05 17:30 {local_text} {days}"
    assert row in audit, audit
    headings = re.findall(r"<summary>([^<]*)</summary>", html)
    assert headings[0].startswith("2026-06：逾期"), headings
    assert html.count("<details open>") == 1
    # counts per period, newest first
    assert re.search(r"各期概况 考核期 记录数 逾期 更正 未证实的签字与批准 2026-06 \d+ \d+ 0 \d+",
                     audit), audit


def test_acknowledgement_is_the_assessees_own_act(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    rel = "2026-05/cs-team-1/E1101.yaml"
    repo.edit(rel, "  assessee: 2026-06-03", "  assessee: 2026-06-04")
    sha = repo.commit("zhangxiaoyan@example.com", "张晓燕确认五月结果")
    site = build(repo)
    period = text(site / "periods" / "2026-05" / "index.html")
    # HR sees who has not acknowledged: 张晓燕 did, by her own commit; the others' dates
    # were typed by someone else
    assert "被考核人确认 已由本人确认 1 / " in period, period
    assert "张晓燕 · 客服部客服绩效考核表" not in period
    assert "王磊 · 客服部客服绩效考核表 ： ⚠ 写有确认日期 2026-06-03，但不是本人提交" in period
    person = text(site / "people" / "E1101" / "index.html")
    # the summary speaks of the latest result (2026-06), whose date she did not commit
    assert "2026-06 ：总分 87.00" in person
    assert "被考核人确认： ⚠ 写有确认日期 2026-07-03，但不是本人提交" in person
    assert f"被考核人确认：张晓燕 2026-06-04 · 本人提交 {sha[:8]}" in person
