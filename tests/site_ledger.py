"""A small ledger with hostile text, two periods, a correction and a late submission, committed
to a real git repository: shared by the site tests and the browser test."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import urlopen

BASE = Path(__file__).parent / "corpus" / "base"
EXAMPLE = Path(__file__).parent.parent / "ledger"
SITE_PAGES = Path(__file__).resolve().parents[1] / "site"

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
JINJA = "{{ config }}"
RAW = "{% raw %}"
HOSTILE = [SCRIPT, IMG, LINK, JINJA, RAW]
HOSTILE_NAME = f"张三{SCRIPT}{IMG}{LINK}{JINJA}{RAW}"
SEARCH_NAME = "李四"  # a plain Chinese name the browser test searches for
COMPOUND_NAME = "欧阳明月"


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    import json

    return json.dumps(text, ensure_ascii=False)


def _record(period: str, assessee: str, *, comment: str, reason: str, conversion: int) -> str:
    return f"""period: {period}
scheme: cs-agent
unit: cs-team-1
assessee: {assessee}
role: superior
author: E0002
items:
  conversion: {{numerator: {conversion}, denominator: 200}}
  payment: 93%
  attitude: A
  work: 9
  attendance:
    - {{kind: late, count: 2, reason: {_q(reason)}}}
  suggestions: 6
notes:
  attendance: {_q(reason)}
comment: {_q(comment)}
"""


def _data(period: str, assessee: str, complaints: int) -> str:
    return f"""period: {period}
scheme: cs-agent
unit: cs-team-1
assessee: {assessee}
role: data
author: E2001
source_unit: finance
items:
  complaints: {complaints}
"""


def make_ledger(root: Path) -> Path:
    """The ledger in `root/ledger`, committed in `root` (a git repository)."""
    ledger = root / "ledger"
    shutil.copytree(BASE, ledger)
    org = (ledger / "org.yaml").read_text(encoding="utf-8")
    org = org.replace("{id: E1001, name: 张三,", f"{{id: E1001, name: {_q(HOSTILE_NAME)},")
    org = org.replace("{id: E1004, name: 吴一,", f"{{id: E1004, name: {COMPOUND_NAME},")
    (ledger / "org.yaml").write_text(org, encoding="utf-8")
    scheme = ledger / "schemes" / "cs-agent.yaml"  # one English item title, for --lang en
    scheme.write_text(
        scheme.read_text(encoding="utf-8").replace(
            "    title: 询单转化率\n",
            "    title: 询单转化率\n    title_en: Inquiry conversion rate\n",
        ),
        encoding="utf-8",
    )
    team = ledger / "2026-03" / "cs-team-1"
    hostile = f"评语{SCRIPT}{IMG}{LINK}{JINJA}{RAW}"
    (team / "E1001.yaml").write_text(
        _record("2026-03", "E1001", comment=hostile, reason=f"迟到{SCRIPT}{LINK}", conversion=150),
        encoding="utf-8",
    )
    for pid, conv in (("2026-03", 120), ("2026-02", 100)):
        folder = ledger / pid / "cs-team-1"
        folder.mkdir(parents=True, exist_ok=True)
        for person, c in (("E1002", conv), ("E1004", conv - 60)):
            (folder / f"{person}.yaml").write_text(
                _record(pid, person, comment="本月表现稳定。", reason="3月5日迟到", conversion=c),
                encoding="utf-8",
            )
            (folder / f"{person}.data-finance.yaml").write_text(
                _data(pid, person, 1), encoding="utf-8"
            )
    (ledger / "2026-03" / "cs-team-1" / "E1001.data-finance.yaml").write_text(
        _data("2026-03", "E1001", 0), encoding="utf-8"
    )
    # a note on an id the scheme does not have: the site still shows it
    (ledger / "2026-02" / "cs-team-1" / "E1001.yaml").write_text(
        _record("2026-02", "E1001", comment="二月评语", reason="迟到", conversion=90).replace(
            "notes:\n", 'notes:\n  retired: "旧指标的备注"\n'
        ),
        encoding="utf-8",
    )
    (ledger / "2026-02" / "cs-team-1" / "E1001.data-finance.yaml").write_text(
        _data("2026-02", "E1001", 2), encoding="utf-8"
    )
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "Alice", "2026-03-01T09:00:00+08:00", "Ledger for the site test", ["."],
            exclude=["ledger/2026-03/cs-team-1/E1002.yaml"])
    # E1002's March record lands after the due time (2026-04-05 17:30 Asia/Shanghai): late.
    _commit(root, "Bob", "2026-04-07T10:00:00+08:00", "Merge pull request #7 from x/y",
            ["ledger/2026-03/cs-team-1/E1002.yaml"])
    # A correction of a closed period (2026-02), with its reason: shown on the audit page.
    correction = (ledger / "2026-02" / "cs-team-1" / "E1002.yaml").read_text(encoding="utf-8")
    correction += (
        f"correction:\n  reason: {_q('数据录入错误' + SCRIPT)}\n  approved_by: E0001\n"
        "  date: 2026-03-10\n"
    )
    correction = correction.replace("numerator: 100,", "numerator: 160,")
    (ledger / "2026-02" / "cs-team-1" / "E1002.correction-1.yaml").write_text(
        correction, encoding="utf-8"
    )
    _commit(root, "Carol", "2026-03-10T12:00:00+08:00", "Correct E1002 2026-02 (#8)", ["."])
    return ledger


def make_example(root: Path) -> Path:
    """The repository's example ledger, committed: its 2026-06 fires 淘汰 twice and warns once."""
    ledger = root / "ledger"
    shutil.copytree(EXAMPLE, ledger)
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "Alice", "2026-07-01T09:00:00+08:00", "The example ledger", ["."])
    return ledger


def _git(root: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)


def _commit(root: Path, author: str, date: str, subject: str, paths: list[str],
            exclude: list[str] | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    _git(root, "add", *paths, env=env)
    for path in exclude or []:
        _git(root, "reset", "-q", "--", path, env=env)
    _git(root, "-c", f"user.name={author}", "-c", f"user.email={author.lower()}@example.com",
         "commit", "-q", "-m", subject, env=env)


def write_config(root: Path, *, public: bool = False, site_dir: str = "public",
                 name: str = "mkdocs.yml") -> Path:
    config = root / name
    config.write_text(
        f"""site_name: 测试 · 绩效考核
docs_dir: {SITE_PAGES}
site_dir: {root / site_dir}
theme:
  name: material
  language: zh
  font: false
  features: [navigation.tabs, navigation.indexes, navigation.prune]
plugins:
  - search:
      lang: [zh, en]
      separator: '[\\s\\u200b\\-]'
  - kpiledger:
      ledger: ledger
      public: {"true" if public else "false"}
      repo_url_files: https://git.example.com/org/repo/blob/
""",
        encoding="utf-8",
    )
    return config


def build_site(config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config)],
        cwd=config.parent, capture_output=True, text=True, env=env, check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1 (`python -m http.server`) while the caller runs; its
    URL, ending in /."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urlopen(url, timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
