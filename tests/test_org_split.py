"""The split org chart (org.yaml for the company, org/<unit>.yaml for each unit and its
people) and `kpi org split`, which migrates a ledger from the single-file shape."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import kpi
from ruamel.yaml import YAML

from kpiledger.check.ledger import check_ledger, open_ledger
from kpiledger.load.yaml_loader import MAX_BYTES, MAX_NODES

TOP = Path(__file__).resolve().parents[1]
SCRIPT = TOP / "scripts" / "make_synthetic_ledger.py"
BASE = TOP / "tests" / "corpus" / "base"  # the corpus's ledger: still the single-file shape


def synthetic(out: Path, people: int, *, single: bool, months: int = 2) -> Path:
    args = [sys.executable, str(SCRIPT), str(out / "ledger"), "--people", str(people),
            "--months", str(months)] + (["--single-org"] if single else [])
    subprocess.run(args, check=True, capture_output=True)
    shutil.copytree(TOP / "schemas", out / "schemas")
    return out / "ledger"


def test_split_keeps_every_score_byte_for_byte(tmp_path: Path) -> None:
    ledger = synthetic(tmp_path, 40, single=True)
    before = kpi("score", "--format", "json", "--ledger", "ledger", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    done = kpi("org", "split", "--ledger", "ledger", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (ledger / "org" / "hq.yaml").is_file() and (ledger / "org" / "cs-01.yaml").is_file()
    assert "\npeople:" not in (ledger / "org.yaml").read_text(encoding="utf-8")
    checked = kpi("check", "--ledger", "ledger", "--no-cache", cwd=tmp_path)
    assert checked.returncode == 0 and "KPI" not in checked.stdout, checked.stdout
    after = kpi("score", "--format", "json", "--ledger", "ledger", cwd=tmp_path)
    assert after.stdout == before.stdout and len(after.stdout) > 10_000
    # the split shape is what the generator writes
    fresh = synthetic(tmp_path / "fresh", 40, single=False)
    for rel in ("org.yaml", "org/cs-01.yaml"):
        assert kpi("fmt", "--check", str(ledger / rel), cwd=tmp_path).returncode == 0
        assert (fresh / rel).read_text(encoding="utf-8").splitlines()[1:] == (
            ledger / rel).read_text(encoding="utf-8").splitlines()[1:len(
                (fresh / rel).read_text(encoding="utf-8").splitlines())]


def test_split_keeps_comments_and_is_done_once(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "ledger")
    shutil.copytree(TOP / "schemas", tmp_path / "schemas")
    org = tmp_path / "ledger" / "org.yaml"
    text = org.read_text(encoding="utf-8").replace(
        "    parent: cs\n    reviewers: [E0002]\n",
        "    parent: cs\n    reviewers: [E0002]   # 组长复核 / the team lead reviews\n", 1)
    org.write_text(text, encoding="utf-8")
    assert kpi("org", "split", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    top = org.read_text(encoding="utf-8")
    assert top.splitlines()[1].startswith("# 测试语料的基础账本")  # the header stays on top
    assert "company: 测试商贸有限公司\nhr: [E0001]\n" in top and "units:" not in top
    team = (tmp_path / "ledger" / "org" / "cs-team-1.yaml").read_text(encoding="utf-8")
    assert team.startswith("# yaml-language-server: $schema=../../schemas/orgunit.schema.json\n"
                           "unit:\n  id: cs-team-1\n")
    # the comment stays at its column (the key moved two to the left)
    assert "  reviewers: [E0002]     # 组长复核 / the team lead reviews\n" in team
    assert "  # 客服专员：考核人 E0002，考核小组 E0003\n" in team  # a comment between people
    again = kpi("org", "split", "--ledger", "ledger", cwd=tmp_path)
    assert again.returncode == 0 and "已是拆分格式" in again.stdout
    assert open_ledger(tmp_path / "ledger", use_cache=False).diagnostics == []


def test_split_writes_nothing_when_it_cannot_finish(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "ledger")
    ledger = tmp_path / "ledger"
    (ledger / "org").mkdir()
    (ledger / "org" / "finance.yaml").write_text("unit: {id: finance, name: 财务部, parent: "
                                                 "company}\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in ledger.rglob("*") if p.is_file()}
    done = kpi("org", "split", "--ledger", "ledger", cwd=tmp_path)
    assert done.returncode == 1
    assert "KPI312" in done.stderr and "未做任何修改" in done.stderr
    assert {p: p.read_bytes() for p in ledger.rglob("*") if p.is_file()} == before
    # a broken chart is never split: the checker's problems are shown instead
    (ledger / "org" / "finance.yaml").unlink()
    org = ledger / "org.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("unit: cs,", "unit: nowhere,", 1),
                   encoding="utf-8")
    done = kpi("org", "split", "--ledger", "ledger", cwd=tmp_path)
    assert done.returncode == 1 and "KPI301" in done.stderr and "nowhere" in done.stderr
    assert sorted(p.name for p in (ledger / "org").iterdir()) == []


def test_unit_files_are_checked_where_they_are_written(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "ledger")
    ledger = tmp_path / "ledger"
    assert kpi("org", "split", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    team = ledger / "org" / "cs-team-2.yaml"
    text = team.read_text(encoding="utf-8")
    # 钱进 (E0002, of cs) listed again in cs-team-2's file, and filed under the wrong unit
    again = "  - {id: E0002, name: 钱进, unit: cs}"
    team.write_text(text + again + "\n", encoding="utf-8")
    (ledger / "org" / "sales.yaml").write_text(  # a file named after another unit
        "unit:\n  id: finance2\n  name: 财务二部\n  parent: company\n  reviewers: [E9999]\n",
        encoding="utf-8")
    found = {(x.file, x.code, x.line, x.column) for x in
             open_ledger(ledger, use_cache=False).diagnostics}
    lines = len(text.splitlines())
    line = lines + 1
    assert ("org/cs-team-2.yaml", "KPI302", line, again.index("cs}") + 1) in found  # not cs-team-2
    # the files are read in path order (cs-team-2.yaml before cs.yaml): the later use is
    # reported, naming the first
    assert ("org/cs.yaml", "KPI312", 9, 10) in found
    assert any("org/cs-team-2.yaml" in x.message() for x in
               open_ledger(ledger, use_cache=False).diagnostics if x.code == "KPI312")
    assert ("org/sales.yaml", "KPI302", 2, 7) in found  # expected at org/finance2.yaml
    assert ("org/sales.yaml", "KPI301", 5, 15) in found  # unknown reviewer E9999


def test_every_unit_file_is_part_of_the_check_cache_key(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "ledger")
    ledger = tmp_path / "ledger"
    assert kpi("org", "split", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    assert check_ledger(ledger) == []
    assert check_ledger(ledger) == []  # now remembered
    team = ledger / "org" / "cs-team-1.yaml"
    team.write_text(team.read_text(encoding="utf-8").replace("reviewers: [E0002]",
                                                             "reviewers: [E0404]"),
                    encoding="utf-8")
    assert [(x.file, x.code) for x in check_ledger(ledger)] == [("org/cs-team-1.yaml", "KPI301")]


def test_a_chart_too_big_for_one_file_loads_split(tmp_path: Path) -> None:
    # 5,000 people: org.yaml alone passes the 1 MiB limit that protects the loader (KPI101);
    # one file per unit keeps every file far below it, with the limits unchanged
    assert (MAX_BYTES, MAX_NODES) == (1 << 20, 100_000)  # the limits, unchanged
    single = synthetic(tmp_path / "single", 5000, single=True, months=1)
    assert (single / "org.yaml").stat().st_size > MAX_BYTES
    codes = {x.code for x in open_ledger(single, use_cache=False).diagnostics}
    assert {"KPI101", "KPI324"} <= codes  # too big, and the way out: kpi org split
    split = synthetic(tmp_path / "split", 5000, single=False, months=1)
    assert max(p.stat().st_size for p in (split / "org").iterdir()) < 64 << 10
    opened = open_ledger(split, use_cache=False)
    assert opened.diagnostics == []
    assert len(opened.ledger.org.people) > 5000 and len(opened.ledger.records) == 5000
    # the migration reads the oversized file (one explicit command, 64× the limits) ...
    done = kpi("org", "split", "--ledger", "ledger", cwd=tmp_path / "single")
    assert done.returncode == 0, done.stderr
    migrated = open_ledger(single, use_cache=False)
    assert migrated.diagnostics == [] and migrated.ledger.org == opened.ledger.org


def test_the_migration_still_refuses_an_alias_bomb(tmp_path: Path) -> None:
    shutil.copytree(BASE, tmp_path / "ledger")
    org = tmp_path / "ledger" / "org.yaml"
    bomb = "x0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, "
        f"*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 9))
    org.write_text(org.read_text(encoding="utf-8") + bomb, encoding="utf-8")
    done = kpi("org", "split", "--ledger", "ledger", cwd=tmp_path)
    assert done.returncode == 1 and "KPI107" in done.stderr
    assert not (tmp_path / "ledger" / "org").exists()


def test_the_example_ledger_scores_the_same_in_both_shapes(tmp_path: Path) -> None:
    shutil.copytree(TOP / "ledger", tmp_path / "ledger")
    shutil.copytree(TOP / "schemas", tmp_path / "schemas")
    ledger = tmp_path / "ledger"
    split = kpi("score", "--format", "json", "--ledger", "ledger", cwd=tmp_path)
    assert split.returncode == 0, split.stderr
    # the example joined back into the old shape, in the old order (company first)
    yaml = YAML(typ="safe")
    top = yaml.load((ledger / "org.yaml").read_text(encoding="utf-8"))
    order = ["company", *sorted(p.stem for p in (ledger / "org").glob("*.yaml"))]
    files = [yaml.load((ledger / "org" / f"{u}.yaml").read_text(encoding="utf-8"))
             for u in dict.fromkeys(order)]
    top["units"] = [f["unit"] for f in files]
    top["people"] = [p for f in files for p in f.get("people", [])]
    shutil.rmtree(ledger / "org")
    out = io.StringIO()
    YAML().dump(top, out)
    (ledger / "org.yaml").write_text(out.getvalue(), encoding="utf-8")
    single = kpi("score", "--format", "json", "--ledger", "ledger", "--no-cache", cwd=tmp_path)
    assert single.stdout == split.stdout
    assert kpi("org", "split", "--ledger", "ledger", cwd=tmp_path).returncode == 0
    again = kpi("score", "--format", "json", "--ledger", "ledger", "--no-cache", cwd=tmp_path)
    assert again.stdout == split.stdout and len(again.stdout) > 100_000
