"""The bad-input corpus: every broken file is reported, at its line, by the real command line.

`tests/corpus/base/` is a small clean ledger. Each file in `tests/corpus/cases/` is one broken
file whose leading comment lines say where it goes and what `kpi check` must report:

    # place: 2026-03/cs-team-1/E1001.yaml   (its path in a copy of base; replaces a file there)
    # named: yes                            (optional: check it by naming the file)
    # expect: KPI105 line 3 column 1        (one or more; column optional)
    # tolerate: KPI403 (why)                  (optional: a known follow-on report, allowed but
                                              not required; say why)

Files that cannot carry such a comment (bad UTF-8, too big, BOM only, absurdly deep) are made
by GENERATED below.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kpiledger.diagnostics.codes import CODES
from kpiledger.load.yaml_loader import MAX_BYTES

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "base"
CASES = CORPUS / "cases"
CJK = re.compile(r"[\u4e00-\u9fff]")
GITHUB = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=(KPI\d{3})::(.+)$")


@dataclass(frozen=True)
class Expect:
    code: str
    line: int
    column: int | None = None


@dataclass(frozen=True)
class Case:
    name: str
    place: str
    data: bytes
    expect: tuple[Expect, ...]
    named: bool = False
    tolerate: frozenset[str] = frozenset()

    @property
    def exit_code(self) -> int:
        return 1 if any(CODES[e.code].severity == "error" for e in self.expect) else 0


_EXPECT = re.compile(r"#\s*expect:\s*(KPI\d{3})\s+line\s+(\d+)(?:\s+column\s+(\d+))?\s*$")


def parse_case(path: Path) -> Case:
    data = path.read_bytes()
    place, named, expect, tolerate = None, False, [], set()
    for line in data.decode("utf-8").splitlines():
        if not line.startswith("#"):
            break
        if m := re.match(r"#\s*place:\s*(\S+)", line):
            place = m[1]
        elif re.match(r"#\s*named:\s*yes\b", line):
            named = True
        elif m := re.match(r"#\s*tolerate:\s*(KPI\d{3})", line):
            tolerate.add(m[1])
        elif m := _EXPECT.match(line):
            expect.append(Expect(m[1], int(m[2]), int(m[3]) if m[3] else None))
    assert place and expect, f"{path.name}: needs '# place:' and at least one '# expect:'"
    return Case(path.stem, place, data, tuple(expect), named, frozenset(tolerate))


def _deep(n: int) -> bytes:
    return b"a: " + b"[" * n + b"]" * n + b"\n"


T1 = "2026-03/cs-team-1/"
GENERATED = [
    Case("g1-not-utf8", T1 + "G1.yaml", b"period: 2026-03\ncomment: \xb1\xbe\xd4\xc2\n",
         (Expect("KPI102", 2, 10),)),
    Case("g2-gbk-file", T1 + "G2.yaml", "period: 2026-03\ncomment: 本月良好\n".encode("gbk"),
         (Expect("KPI102", 2, 10),)),
    Case("g3-too-big", T1 + "G3.yaml", b"comment: '" + b"x" * MAX_BYTES + b"'\n",
         (Expect("KPI101", 1, 1),)),
    Case("g4-bom-only", T1 + "G4.yaml", b"\xef\xbb\xbf", (Expect("KPI109", 1, 1),)),
    Case("g5-deep-200000", T1 + "G5.yaml", _deep(200_000), (Expect("KPI113", 1, 103),)),
    Case("g6-nul-byte", T1 + "G6.yaml", b"period: 2026-03\x00\n", (Expect("KPI103", 1, 16),)),
]

ALL = sorted([parse_case(p) for p in CASES.glob("*.yaml")], key=lambda c: c.name) + GENERATED


def place_case(root: Path, case: Case) -> Path:
    target = root / case.place
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.data)
    return target


def copy_base(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(BASE, root)
    return root


def kpi_check(root: Path, cache: Path, *args: str, fmt: str = "json", lang: str | None = None):
    env = {**os.environ, "KPI_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "kpiledger", "check", *args, "--format", fmt]
    if lang:
        command += ["--lang", lang]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=120)


def parse_json(stdout: str) -> list[dict]:
    if not stdout.strip():
        return []
    entries = json.loads(stdout)
    assert isinstance(entries, list)
    for e in entries:
        assert {"file", "line", "column", "code", "message"} <= set(e), e
        assert isinstance(e["line"], int) and e["line"] >= 1, e
        assert isinstance(e["column"], int) and e["column"] >= 1, e
        assert e["code"] in CODES, e
    return entries


def missing(case: Case, entries: list[dict]) -> list[Expect]:
    found = [e for e in entries if e["file"] == case.place]
    return [
        x
        for x in case.expect
        if not any(
            e["code"] == x.code
            and e["line"] == x.line
            and (x.column is None or e["column"] == x.column)
            for e in found
        )
    ]


def test_base_is_clean(tmp_path: Path) -> None:
    result = kpi_check(BASE, tmp_path / "cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert parse_json(result.stdout) == []


def test_corpus_is_big_enough() -> None:
    assert len([c for c in ALL if c not in GENERATED]) >= 45
    assert len({c.name for c in ALL}) == len(ALL)


@pytest.mark.parametrize("case", ALL, ids=lambda c: c.name)
def test_case(case: Case, tmp_path: Path) -> None:
    root = copy_base(tmp_path)
    place_case(root, case)
    args = [case.place] if case.named else ["."]
    result = kpi_check(root, tmp_path / "cache", *args)
    assert "Traceback" not in result.stderr, result.stderr
    entries = parse_json(result.stdout)
    shown = "\n".join(f"{e['file']}:{e['line']}:{e['column']} {e['code']} {e['message']}"
                      for e in entries)
    assert not missing(case, entries), f"expected {missing(case, entries)}, got:\n{shown}"
    # One problem per case: nothing else is reported in this file, nor in any other file
    # unless the case replaces a shared file (a broken org.yaml rightly affects records).
    codes = {x.code for x in case.expect} | case.tolerate
    shared = (BASE / case.place).exists() and "/" not in case.place
    extra = [
        e
        for e in entries
        if (e["file"] == case.place and e["code"] not in codes)
        or (e["file"] != case.place and not shared)
    ]
    assert not extra, f"unexpected:\n{shown}"
    assert result.returncode == case.exit_code, shown + result.stderr
    for e in entries:  # Chinese by default, English alongside
        assert CJK.search(e["message"]), e
        assert e["message_en"], e


def test_english_github_annotations(tmp_path: Path) -> None:
    case = next(c for c in ALL if c.name == "214-braces-percent-key")
    root = copy_base(tmp_path)
    place_case(root, case)
    result = kpi_check(root, tmp_path / "cache", ".", fmt="github", lang="en")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines
    for line in lines:
        m = GITHUB.match(line)
        assert m, line
        kind, file, row, col, code, message = m.groups()
        assert kind == "error" and file == case.place and code == "KPI202"
        assert (int(row), int(col)) == (case.expect[0].line, case.expect[0].column)
        assert message.startswith("unknown field '{name} 100%25'"), message  # % escaped
        assert not CJK.search(message)


def test_every_problem_in_one_run(tmp_path: Path) -> None:
    """All cases that add a file of their own, in one ledger: each is still reported."""
    root = copy_base(tmp_path)
    chosen: dict[str, Case] = {}
    for case in ALL:
        if case.named or (BASE / case.place).exists() or case.place in chosen:
            continue  # replacing a shared file would change what every other case sees
        chosen[case.place] = case
    assert len(chosen) >= 60
    for case in chosen.values():
        place_case(root, case)
    result = kpi_check(root, tmp_path / "cache", ".")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    entries = parse_json(result.stdout)
    lost = {c.name: missing(c, entries) for c in chosen.values() if missing(c, entries)}
    assert not lost, lost
    # …and nothing that no case asked for
    wanted = {(c.place, x.code) for c in chosen.values() for x in c.expect}
    wanted |= {(c.place, code) for c in chosen.values() for code in c.tolerate}
    extra = [e for e in entries if (e["file"], e["code"]) not in wanted]
    assert not extra, extra
