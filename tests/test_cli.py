"""End-to-end: the `kpi` command line on real ledgers, in real git repositories."""

from __future__ import annotations

import hashlib
import json
import os
import pstats
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from conftest import kpi
from gitrepo import Repo

ROOT = Path(__file__).resolve().parent.parent
CLOSED_RECORD = "2026-02/cs-team-1/E1101.yaml"  # 2026-02 is closed in the example calendar


@pytest.fixture
def repo(example_repo: Repo) -> Path:
    """The example ledger, committed in a fresh repository: its top folder."""
    return example_repo.path


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_example_ledger_is_clean_and_check_writes_nothing(repo: Path, tmp_path: Path) -> None:
    before = snapshot(repo / "ledger")
    done = kpi("check", "ledger", cwd=repo, cache=tmp_path / "cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "没有发现问题" in done.stderr
    again = kpi("check", "ledger", cwd=repo, cache=tmp_path / "cache")  # from the cache
    assert again.returncode == 0 and again.stdout == done.stdout
    assert snapshot(repo / "ledger") == before


def test_english_json_and_github_formats(repo: Path, tmp_path: Path) -> None:
    record = repo / "ledger" / "2026-06" / "cs-team-1" / "E1101.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("scheme: cs-agent", "scheme: nope"),
        encoding="utf-8",
    )
    as_json = kpi(
        "check", "ledger", "--format", "json", "--lang", "en", cwd=repo, cache=tmp_path / "c"
    )
    assert as_json.returncode == 1
    problems = json.loads(as_json.stdout)
    assert problems == [
        {
            "file": "ledger/2026-06/cs-team-1/E1101.yaml",
            "line": problems[0]["line"],
            "column": 9,
            "code": "KPI301",
            "severity": "error",
            "message": "unknown scheme 'nope' (allowed: cs-agent, cs-skills)",
            "message_en": "unknown scheme 'nope' (allowed: cs-agent, cs-skills)",
        }
    ]
    assert (
        record.read_text(encoding="utf-8").splitlines()[problems[0]["line"] - 1] == "scheme: nope"
    )
    github = kpi("check", "ledger", "--format", "github", cwd=repo, cache=tmp_path / "c")
    assert github.stdout.startswith(
        f"::error file=ledger/2026-06/cs-team-1/E1101.yaml,line={problems[0]['line']},col=9,"
        "title=KPI301::找不到考核方案“nope”"
    )


def test_usage_errors_exit_2(repo: Path, tmp_path: Path) -> None:
    assert kpi("check", "--no-such-option", cwd=repo, cache=tmp_path / "c").returncode == 2
    assert kpi("check", "missing-folder", cwd=repo, cache=tmp_path / "c").returncode == 2


def test_closed_periods_are_frozen_until_a_correction(
    repo: Path, example_repo: Repo, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    path = repo / "ledger" / CLOSED_RECORD
    # Naming a closed period's record means submitting it: refused.
    named = kpi("check", f"ledger/{CLOSED_RECORD}", cwd=repo, cache=cache)
    assert named.returncode == 1 and "KPI309" in named.stdout
    # An uncommitted edit of a closed period is refused on a whole-ledger check too…
    path.write_text(
        path.read_text(encoding="utf-8").replace("comment:", "comment: 改\n# ", 1), encoding="utf-8"
    )
    edited = kpi("check", "ledger", cwd=repo, cache=cache)
    assert edited.returncode == 1 and f"ledger/{CLOSED_RECORD}" in edited.stdout
    assert "KPI309" in edited.stdout
    example_repo.git("checkout", "--", ".")
    assert kpi("check", "ledger", cwd=repo, cache=cache).returncode == 0
    # …while the same change as a correction is accepted.
    fixed = path.with_name("E1101.correction-1.yaml")
    text = path.read_text(encoding="utf-8").replace("comment:", "comment: 更正\n# ", 1)
    fixed.write_text(
        text + "correction:\n  reason: 录入错误\n  approved_by: E0001\n  date: 2026-03-10\n",
        encoding="utf-8",
    )
    corrected = kpi("check", "ledger", cwd=repo, cache=cache)
    assert corrected.returncode == 0, corrected.stdout


def test_score_json_is_deterministic_and_valid(repo: Path, tmp_path: Path) -> None:
    first = kpi("score", "--ledger", "ledger", "--format", "json", cwd=repo, cache=tmp_path / "a")
    second = kpi(
        "score",
        "--ledger",
        "ledger",
        "--format",
        "json",
        "--no-cache",
        cwd=repo,
        cache=tmp_path / "b",
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    schema = json.loads((ROOT / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(json.loads(first.stdout))
    # written one entry at a time, it is the whole document's text, byte for byte
    from kpiledger.pipeline import evaluate
    from kpiledger.publish.results import results_to_json

    whole = results_to_json(evaluate(repo / "ledger", use_cache=False).results)
    assert first.stdout == whole + "\n"


def test_score_csv_and_table(repo: Path, tmp_path: Path) -> None:
    csv = kpi(
        "score",
        "--ledger",
        "ledger",
        "--format",
        "csv",
        "--period",
        "2026-04",
        cwd=repo,
        cache=tmp_path / "a",
    )
    lines = csv.stdout.splitlines()
    assert lines[0].startswith("考核期,方案,被考核人,姓名")
    assert all(line.startswith("2026-04,") for line in lines[1:])
    # document 4's worked example: 50 points → 750 × 50% = 375
    assert any(",E1104," in line and ",50.00," in line and ",375.00" in line for line in lines)
    table = kpi("score", "--ledger", "ledger", "--lang", "en", cwd=repo, cache=tmp_path / "a")
    assert table.stdout.startswith("Period")


def test_score_for_one_period_keeps_provenance_and_lists_events(
    repo: Path, tmp_path: Path
) -> None:
    done = kpi("score", "--ledger", "ledger", "--format", "json", "--period", "2026-06",
               cwd=repo, cache=tmp_path / "a")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {r["period"] for r in doc["results"]} == {"2026-06"}
    # every record's provenance is kept when one period is asked for
    records = [rec for r in doc["results"] for rec in r["records"]]
    assert records and all(rec["added"] and rec["added"]["commit"] for rec in records)
    # the warning about 2026-07 comes from a streak ending in 2026-06: it belongs here too
    assert any(w["assessee"] == "E1203" and w["rule"] == "three-last" for w in doc["warnings"])
    table = kpi("score", "--ledger", "ledger", "--period", "2026-06", cwd=repo,
                cache=tmp_path / "a").stdout
    # events and warnings per scheme, by the scheme's and the rule's titles
    assert "事件 · 客服部客服绩效考核表" in table
    assert "E1104 刘洋  连续三次分数倒数第一，淘汰" in table
    assert "预警 · 客服部客服绩效考核表" in table
    assert "再有一次倒数第一（2026-07）将触发：淘汰" in table


def test_the_program_leaves_fast_with_all_its_output_and_its_exit_code(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m kpiledger` skips the interpreter's teardown (`__main__.run`): what it
    prints through a pipe is all of what the same command prints in process, and the exit
    codes are the commands' own."""
    from click.testing import CliRunner

    from kpiledger.cli import main

    piped = kpi("score", "--ledger", "ledger", "--format", "json", cwd=repo,
                cache=tmp_path / "a")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("KPI_CACHE_DIR", str(tmp_path / "b"))
    inside = CliRunner().invoke(main, ["score", "--ledger", "ledger", "--format", "json"])
    assert piped.returncode == inside.exit_code == 0
    assert len(piped.stdout) > 10_000 and piped.stdout == inside.stdout
    usage = kpi("check", "no-such-folder", cwd=repo, cache=tmp_path / "a")
    assert usage.returncode == 2 and "no-such-folder" in usage.stderr


def test_under_a_profiler_the_program_exits_normally(repo: Path, tmp_path: Path) -> None:
    """`python -m cProfile -m kpiledger …` still gets its profile written (the fast exit
    would skip it)."""
    out = tmp_path / "kpi.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "kpiledger", "check",
         "ledger"], cwd=repo, capture_output=True, text=True, check=False,
        env={**os.environ, "KPI_CACHE_DIR": str(tmp_path / "c")})
    assert done.returncode == 0, done.stderr
    assert "check" in str(pstats.Stats(str(out)).stats)  # the profile names our code
