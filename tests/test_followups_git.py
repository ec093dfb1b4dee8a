"""Follow-ups end to end in a real git repository: the bulletin is published by landing
<period>/bulletin.yaml on main, the improvement plans (文档7《客户服务人员绩效考核方案》: within
4 days of the monthly bulletin) land on time, one minute late, or not at all; `kpi status`,
`kpi review` and the site say so. Times are the committer dates of the landing commits, in
whatever zone git records them; the deadline is a moment in the calendar's zone.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from conftest import kpi
from gitrepo import HR, LEDGER, WANGTAO, Repo

from kpiledger.pipeline import evaluate
from kpiledger.publish.results import results_document
from kpiledger.review.run import review
from kpiledger.site.pages.index import SiteData
from kpiledger.site.pages.site import Site

TIANYE = "tianye@example.com"  # E3200, assessor of E3202 and E3203 (branch-south-cs)
PUBLISHED = "2026-05-06T09:00:00+08:00"  # the 2026-04 bulletin lands on main
DUE = "2026-05-10 09:00"  # 4 × 24 h later, Asia/Shanghai
PLAN = "2026-04/followups/improvement-plan/{}.yaml"


def _plan(repo: Repo, aid: str, by: str) -> None:
    repo.write(PLAN.format(aid), f"""period: "2026-04"
kind: improvement-plan
assessee: {aid}
by: {by}
summary: 5 月整改重点为回访及时率。
""")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """The example ledger without 2026-04's bulletin and plans, committed before the
    bulletin; then the bulletin published through `kpi bulletin --publish`; then E3202's
    plan at the due minute (+08:00) and E3203's one minute after it (written in UTC)."""
    path = tmp_path_factory.mktemp("followups") / "repo"
    path.mkdir()
    shutil.copytree(LEDGER, path / "ledger")
    (path / "ledger" / "2026-04" / "bulletin.yaml").unlink()
    shutil.rmtree(path / "ledger" / "2026-04" / "followups")
    r = Repo(path)
    r.git("init", "-q", "-b", "main")
    r.commit(HR, "账本", when="2026-05-06T08:00:00+08:00")
    return r


def _status(repo: Repo, at: str) -> dict:
    done = kpi("status", "--at", at, "--format", "json", cwd=repo.ledger)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def _states(doc: dict, period: str = "2026-04") -> dict[str, tuple[str, int]]:
    return {o["assessee"]: (o["state"], o["days_late"]) for o in doc["obligations"]
            if o["period"] == period}


def test_deadlines_count_from_the_bulletin_landing_met_and_missed_by_a_minute(repo: Repo) -> None:
    before = _status(repo, "2026-05-06T08:30:00+08:00")
    assert _states(before) == {a: ("waiting", 0) for a in ("E3103", "E3202", "E3203")}
    unpublished = kpi("bulletin", "2026-04", cwd=repo.ledger).stdout
    assert "| 袁梦 | 整改方案 | 汪涛 | 通报发布后 4 天内 | " in unpublished
    assert all(o["due"] is None for o in before["obligations"] if o["period"] == "2026-04")

    published = kpi("bulletin", "2026-04", "--publish", "--by", "E0001", cwd=repo.ledger)
    assert published.returncode == 0, published.stderr
    assert "2026-04/bulletin.yaml" in published.stdout
    again = kpi("bulletin", "2026-04", "--publish", cwd=repo.ledger)
    assert again.returncode == 1 and "已存在" in again.stderr
    repo.commit(HR, "发布 2026-04 通报", when=PUBLISHED)
    running = _status(repo, "2026-05-06T10:00:00+08:00")
    assert _states(running) == {a: ("open", 0) for a in ("E3103", "E3202", "E3203")}
    assert {o["due"] for o in running["obligations"] if o["period"] == "2026-04"} == {
        "2026-05-10T09:00+08:00"}
    bulletin = kpi("bulletin", "2026-04", cwd=repo.ledger).stdout
    assert f"| 袁梦 | 整改方案 | 汪涛 | {DUE} | {PLAN.format('E3103')} |" in bulletin

    _plan(repo, "E3202", "E3200")
    repo.commit(TIANYE, "E3202 整改方案", when="2026-05-10T09:00:00+08:00")  # the due minute
    _plan(repo, "E3203", "E3200")
    repo.commit(TIANYE, "E3203 整改方案", when="2026-05-10T01:01:00+00:00")  # 09:01 in Beijing
    after = _status(repo, "2026-05-10T12:00:00+08:00")
    assert _states(after) == {"E3103": ("overdue", 0), "E3202": ("met", 0),
                              "E3203": ("late", 1)}
    [mine] = [o for o in after["open"] if o["kind"] == "obligation" and o["period"] == "2026-04"]
    assert mine["assessee"] == "E3103" and mine["overdue"] is True

    text = kpi("status", "--at", "2026-05-10T12:00:00+08:00", cwd=repo.ledger)
    overdue = f"已逾期 2026-04 整改方案：袁梦（E3103），由 汪涛（E3100） 提交，期限 {DUE}"
    assert overdue in text.stdout
    assert "迟交 1 天 2026-04 整改方案：董雪（E3203）" in text.stdout
    assert "已按时提交 2026-04 整改方案：蔡俊杰（E3202）" in text.stdout
    assert "KPI740" in text.stderr and PLAN.format("E3103") in text.stderr

    # the site, as of the newest landing (09:01 on the due day): E3103's plan is not yet
    # overdue there, E3203's is late
    ev = evaluate(repo.ledger)
    pages = Site(SiteData(results_document(ev.results), ev.ledger, dict(ev.provenance),
                          True)).pages()
    body = pages["followups.md"].body
    assert "2026-05-10 09:01" in body and "迟交 1 天" in body and "已按时提交" in body
    person = next(p.body for src, p in pages.items() if src.startswith("people/")
                  and "E3103" in src)
    assert "未结事项" in person and "整改方案" in person
    assert "未结事项" in pages["units/branch-south-cs.md"].body

    # a pull request handing in E3103's plan late: a warning, not a refusal
    repo.branch("plan-e3103")
    _plan(repo, "E3103", "E3100")
    repo.commit(WANGTAO, "E3103 整改方案")
    found = review(repo.ledger, "main", None,
                   now=dt.datetime.fromisoformat("2026-05-11T09:00:00+08:00"))
    assert not found.refusals, found.refusals
    [late] = [x for x in found.diagnostics if x.code == "KPI741"]
    assert late.file == PLAN.format("E3103") and late.args["days"] == 1
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo.path, check=True)

    # a pull request that touches E3103 while their plan is overdue: the review says so
    repo.branch("may-e3103")
    record = repo.read("2026-05/branch-east-cs/E3103.yaml")
    repo.write("2026-05/branch-east-cs/E3103.yaml", record + "# 复核后补充说明\n")
    repo.commit(WANGTAO, "E3103 五月记录补充说明")
    found = review(repo.ledger, "main", None,
                   now=dt.datetime.fromisoformat("2026-05-11T09:00:00+08:00"))
    overdue_lines = [zh for zh, _ in found.followups if "已逾期" in zh]
    assert overdue_lines == [f"⚠ 2026-04 袁梦（E3103）：整改方案已逾期（截止 {DUE}），"
                             f"尚未提交 {PLAN.format('E3103')}"], found.followups
    subprocess.run(["git", "checkout", "-q", "main"], cwd=repo.path, check=True)


def test_only_a_closed_period_is_published(repo: Repo) -> None:
    done = kpi("bulletin", "2026-05", "--publish", cwd=repo.ledger)
    assert done.returncode == 1 and "尚未关闭" in done.stderr
    assert not (repo.ledger / "2026-05" / "bulletin.yaml").exists()


def test_status_lists_who_has_not_acknowledged_a_closed_period(repo: Repo) -> None:
    # the example's 2026-04 signatures were committed by HR: typed, not the assessees' acts
    # (claimed); E3202 then signs their own self-assessment in their own commit (proven)
    repo.git("checkout", "-q", "main")
    repo.edit("2026-04/branch-south-cs/E3202.self.yaml", "  assessee: 2026-05-01",
              "  assessee: 2026-05-07")
    repo.commit("caijunjie@example.com", "蔡俊杰确认 2026-04", when="2026-05-07T10:00:00+08:00")
    doc = _status(repo, "2026-05-11T09:00:00+08:00")
    assert "2026-04" in doc["acknowledgement_periods"]
    acks = {u["assessee"]: u["state"] for u in doc["unacknowledged"]
            if u["period"] == "2026-04" and u["scheme"] == "branch-cs"}
    assert "E3202" not in acks
    assert acks["E3203"] == "claimed" and acks["E3201"] == "claimed"
    text = kpi("status", "--at", "2026-05-11T09:00:00+08:00", cwd=repo.ledger)
    assert "2026-04 branch-cs：董雪（E3203） 签字日期 2026-05-01 未经本人提交证明" in text.stdout
    assert "蔡俊杰（E3202） 签字日期" not in text.stdout
