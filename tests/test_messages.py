"""Messages in the reader's words (issue 15, item 4), end to end: `kpi` run in a temporary copy
of the example ledger, its output compared with the exact text a department head reads —
items by title, allowed values listed, every problem of a file in one run, the count at the
end, colour only on a terminal, one path root, usage errors in Chinese, unknown periods and
schemes refused."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from authoring_helpers import copy_ledger
from conftest import kpi
from site_ledger import write_config

from kpiledger.diagnostics import d, display_path, display_paths, render

RECORD = "ledger/2026-05/cs-team-1/E1101.yaml"
# 文档4 客服部客服绩效考核表, as ledger/schemes/cs-agent.yaml holds it; five mistakes of five
# kinds: text for points, points above the item's max, a kind written in Chinese, an item the
# scheme does not have, a field the schema does not have
MISTAKES = """period: 2026-05
scheme: cs-agent
unit: cs-team-1
assessee: E1101
role: superior
author: E1100
source_unit: null
items:
  conversion: {numerator: 284, denominator: 376}
  payment: {numerator: 325, denominator: 337}
  unit_price: {numerator: 137.14, denominator: 123.96}
  reply_rate: {numerator: 452, denominator: 455}
  response_time: 22
  refund_rate: {numerator: 4, denominator: 325}
  work: 九
  attitude: 50
  attendance: [{kind: 迟到, count: 1}]
  suggestions: 3
  colour: 1
comment: 本月表现突出
extra_field: 1
"""
EXPECTED = [
    f"{RECORD}:15:9: KPI307 指标“工作任务”（work）的值类型不对：应为分值（数字）",
    f"{RECORD}:16:13: KPI308 指标“工作态度”（attitude）的值 50 超出范围（0–5 分）",
    f"{RECORD}:17:23: KPI301 找不到指标“考勤”（attendance）的扣分类别“迟到”；请写作 late"
    "（可填：late（迟到）、early_leave（早退）、leave_day（有效请假（天）））",
    f"{RECORD}:19:3: KPI306 指标“colour”不属于方案 cs-agent 中由考核人填写的指标（可填："
    "conversion（询单转化率）、payment（支付率）、unit_price（落实客单价）、reply_rate（旺旺回复率）、"
    "response_time（旺旺响应率）、refund_rate（客户退款率）、work（工作任务）、attitude（工作态度）、"
    "attendance（考勤）、suggestions（客户关系管理（经验建议）））",
    f"{RECORD}:21:1: KPI202 未知字段“extra_field”",
]
ESC = "\x1b["


def _with_mistakes(tmp_path: Path) -> Path:
    copy_ledger(tmp_path)
    (tmp_path / RECORD).write_text(MISTAKES, encoding="utf-8")
    return tmp_path


def test_every_problem_of_a_file_in_one_run_with_the_count(tmp_path: Path) -> None:
    """Before, the schema problems (迟到's format, extra_field) hid the other three: fixing
    two revealed three more."""
    done = kpi("check", RECORD, cwd=_with_mistakes(tmp_path), env={"NO_COLOR": "1"})
    assert done.returncode == 1
    assert done.stdout.splitlines() == EXPECTED
    assert done.stderr.splitlines()[-1] == "共 5 个问题，涉及 1 个文件"
    en = kpi("check", "--lang", "en", RECORD, cwd=tmp_path, env={"NO_COLOR": "1"})
    assert en.stdout.splitlines()[0] == (
        f"{RECORD}:15:9: KPI307 item 'Work tasks' (work) has the wrong kind of value: "
        "expected points (a number)")
    assert en.stderr.splitlines()[-1] == "5 problems in 1 file"


def test_missing_fields_each_reported_once(tmp_path: Path) -> None:
    copy_ledger(tmp_path)
    (tmp_path / RECORD).write_text("period: 2026-05\nscheme: cs-agent\nitems: {}\n",
                                   encoding="utf-8")
    done = kpi("check", RECORD, cwd=tmp_path, env={"NO_COLOR": "1"})
    assert done.stdout.splitlines() == [
        f"{RECORD}:1:1: KPI201 缺少必填字段“{name}”"
        for name in ("unit", "assessee", "role", "author")
    ]  # was 16 lines: each field once per schema path that requires it
    assert done.stderr.splitlines()[-1] == "共 4 个问题，涉及 1 个文件"


def test_no_colour_in_a_pipe_with_no_color_or_in_ci(tmp_path: Path) -> None:
    _with_mistakes(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    for extra in ({}, {"NO_COLOR": "1"}, {"CI": "true"}):
        done = subprocess.run(
            [sys.executable, "-m", "kpiledger", "check", RECORD], cwd=tmp_path,
            capture_output=True, text=True, check=False,
            env={**env, "KPI_CACHE_DIR": str(tmp_path / ".c"), **extra},
        )
        assert done.returncode == 1
        assert ESC not in done.stdout and ESC not in done.stderr, extra


def _on_a_terminal(tmp_path: Path, extra: dict[str, str]) -> str:
    """`kpi check` with its output on a pseudo-terminal, as a person runs it."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    main, side = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpiledger", "check", RECORD], cwd=tmp_path,
        stdout=side, stderr=side, env={**env, "KPI_CACHE_DIR": str(tmp_path / ".c"), **extra},
    )
    os.close(side)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the command has finished
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    assert proc.wait() == 1
    return b"".join(chunks).decode("utf-8")


def test_colour_on_a_terminal(tmp_path: Path) -> None:
    _with_mistakes(tmp_path)
    shown = _on_a_terminal(tmp_path, {})
    # the place in bold, an error's code in red
    assert f"\x1b[1m{RECORD}:15:9\x1b[0m: \x1b[31mKPI307\x1b[0m 指标“工作任务”（work）" in shown
    assert ESC not in _on_a_terminal(tmp_path, {"NO_COLOR": "1"})


def test_usage_errors_in_chinese(tmp_path: Path) -> None:
    copy_ledger(tmp_path)
    done = kpi("check", "--formt", "json", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "用法：python -m kpiledger check [选项] [PATHS]...",  # `kpi` when run as kpi
        "查看帮助：python -m kpiledger check -h",
        "",
        "错误：没有选项“--formt”（是否想写“--format”？）",
    ]
    wrong = kpi("check", "--format", "xml", cwd=tmp_path)
    assert wrong.stderr.splitlines()[-1] == (
        "错误：--format 的值“xml”不可用；可选：text、github、json")
    missing = kpi("new", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.splitlines()[-1] == "错误：缺少参数 PERIOD"
    typo = kpi("chek", cwd=tmp_path)
    assert typo.stderr.splitlines()[-1] == "错误：没有命令“chek”（是否想写“check”？）"
    en = kpi("check", "--formt", "json", "--lang", "en", cwd=tmp_path)
    assert en.stderr.splitlines()[-1] == "Error: No such option '--formt'. Did you mean '--format'?"
    assert en.stderr.splitlines()[0] == "Usage: python -m kpiledger check [OPTIONS] [PATHS]..."


def test_help_in_both_languages(tmp_path: Path) -> None:
    """Every command's own text is "中文 / English"; click's headings and help option too."""
    for args in (("-h",), ("check", "-h"), ("period", "close", "-h"), ("org", "split", "-h")):
        shown = kpi(*args, cwd=tmp_path)
        assert shown.returncode == 0, shown.stderr
        lines = shown.stdout.splitlines()
        assert lines[0].startswith("用法 / Usage: python -m kpiledger"), lines[0]
        assert "选项 / Options:" in lines
        assert "显示此帮助 / show this message and exit" in shown.stdout
        assert "Show this message" not in shown.stdout
    assert "命令 / Commands:" in kpi("-h", cwd=tmp_path).stdout


def test_unknown_period_and_scheme_are_errors(tmp_path: Path) -> None:
    copy_ledger(tmp_path)
    done = kpi("score", "--period", "2026-13", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""  # was an empty table and exit 0
    assert "KPI341 “2026-13”不是考核期编号；请写 YYYY-MM（月）、YYYY-Qn（季度）或 YYYY（年）" \
        in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "账本中的考核期：2025、2026、2026-01、2026-02、"
        "2026-03、2026-04、2026-05、2026-06、2026-07、2026-Q1、2026-Q2")
    export = kpi("export", "2026-05", "--xlsx", "out.xlsx", "--scheme", "cs-agnet", cwd=tmp_path)
    assert export.returncode == 1 and not (tmp_path / "out.xlsx").exists()
    assert export.stderr.splitlines()[-1] == (
        "cs-agnet: KPI301 找不到方案“cs-agnet”（可填：branch-cs、call-centre、cs-agent、cs-dept、"
        "cs-skills、dept-user-service、gs-bonus、it-dept、it-ops、kpi-notice-2014-02、prod-dept、"
        "product-staff、team-leader、tech-dept、workshop-director）")


def test_build_and_check_print_paths_from_one_root(tmp_path: Path) -> None:
    """`kpi build` printed paths from mkdocs.yml's folder joined to ledger-relative names
    (`2026-05/…`, a path that does not exist); now both print them from where they run."""
    _with_mistakes(tmp_path)
    write_config(tmp_path)
    check = kpi("check", cwd=tmp_path, env={"NO_COLOR": "1"})
    build = kpi("build", cwd=tmp_path, env={"NO_COLOR": "1"})
    assert build.returncode == 1
    assert [x for x in check.stdout.splitlines() if x.startswith(RECORD)] == EXPECTED
    assert [x for x in build.stderr.splitlines() if x.startswith(RECORD)] == EXPECTED
    assert "共 5 个问题，涉及 1 个文件" in build.stderr.splitlines()
    below = kpi("check", "2026-05/cs-team-1/E1101.yaml", cwd=tmp_path / "ledger",
                env={"NO_COLOR": "1"})
    assert below.stdout.splitlines()[0].startswith("2026-05/cs-team-1/E1101.yaml:15:9: KPI307")


def test_skeleton_says_which_null_stays(tmp_path: Path) -> None:
    copy_ledger(tmp_path)
    assert kpi("new", "2026-07", "E1101", cwd=tmp_path).returncode == 0
    text = (tmp_path / "ledger/2026-07/cs-team-1/E1101.yaml").read_text(encoding="utf-8")
    assert ("# 请把 items 下每个 null 换成数值（写法见各指标上方的注释），"
            "然后运行 kpi check 检查。") in text
    assert "source_unit: null  # 保持 null：只有资料来源部门（data）的记录填写\n" in text


def test_an_unknown_scheme_lists_the_assessees_schemes(tmp_path: Path) -> None:
    _with_mistakes(tmp_path)
    path = tmp_path / RECORD
    path.write_text(MISTAKES.replace("scheme: cs-agent", "scheme: cs-agnet"), encoding="utf-8")
    done = kpi("check", RECORD, cwd=tmp_path, env={"NO_COLOR": "1"})
    # E1101 is a 客服专员 of cs-team-1: the schemes that apply to them are listed
    assert done.stdout.splitlines()[0] == (
        f"{RECORD}:2:9: KPI301 找不到考核方案“cs-agnet”（可填：cs-agent、cs-skills）")


def test_paths_shown_for_many_diagnostics_are_those_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`render` places every diagnostic's file once per folder (issue 17: resolving the path
    per diagnostic took 100 s for 360,000), and shows each file as `display_path` does: from
    the current folder, through a linked folder, a linked file and a file that is gone."""
    ledger = tmp_path / "work" / "ledger"
    (ledger / "2026-01" / "t1").mkdir(parents=True)
    (ledger / "2026-01" / "t1" / "E1.yaml").write_text("x: 1\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "real.yaml").write_text("x: 1\n", encoding="utf-8")
    (ledger / "2026-01" / "t1" / "E2.yaml").symlink_to(elsewhere / "real.yaml")
    (ledger / "linked").symlink_to(elsewhere, target_is_directory=True)
    rels = ["2026-01/t1/E1.yaml", "2026-01/t1/E2.yaml", "linked/real.yaml", "2026-01/t1/gone.yaml",
            "org.yaml"]
    for cwd in (tmp_path / "work", ledger / "2026-01", tmp_path):
        monkeypatch.chdir(cwd)
        for root in (ledger, Path(os.path.relpath(ledger, cwd))):
            many = [d(rel, "KPI100", reason="x").at(1, 1) for rel in rels * 3]
            text = render(many, "text", "en", root)
            wanted = [display_path(root, rel) for rel in rels * 3]
            assert [line.split(":")[0] for line in text.splitlines()] == wanted
    monkeypatch.chdir(tmp_path / "work")
    assert display_paths(ledger, rels)["2026-01/t1/E1.yaml"] == "ledger/2026-01/t1/E1.yaml"
    # a link leading out of the current folder is shown as the ledger's path, not the target's
    assert display_paths(ledger, rels)["2026-01/t1/E2.yaml"] == str(ledger / "2026-01/t1/E2.yaml")
