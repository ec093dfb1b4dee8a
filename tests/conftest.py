"""Shared test setup: schemes, org charts, calendars, records and whole ledgers, built through
kpiledger's own loader (`load`), schema check (`validate`) and builders, so a test reads its
input exactly as `kpi` would.

Plain functions for what a test needs at import time or many times over (`scheme_from_yaml`,
`org_from_yaml`, `record`, …); fixtures for what needs a folder (`ledger_dir`, `ledger_repo`,
`example_repo`). Test modules import the functions: `from conftest import scheme_from_yaml`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from gitrepo import HR, Repo, make_repo

from kpiledger.diagnostics import Diagnostic
from kpiledger.load.layout import kind_of, record_path
from kpiledger.load.schema import validate
from kpiledger.load.yaml_loader import load
from kpiledger.model import Calendar, Org, Record, Scheme
from kpiledger.model.build import build_calendar, build_org, build_record
from kpiledger.model.schemes import build_scheme

# The public edition needs a site key from outside the repository (publish.public); tests get
# a fixed one, and tests of a missing key remove it.
os.environ.setdefault("KPI_SITE_KEY", "kpiledger-tests-site-key-0123456789abcdef")

# ---------------------------------------------------------------- YAML text → model


def load_yaml(text: str, file: str = "t.yaml") -> Any:
    """Plain data of YAML text as the project's loader reads it (dates stay text)."""
    doc, problems = load(text.encode("utf-8"), file)
    assert problems == [], [x.message("en") for x in problems]
    return doc


def valid_doc(kind: str, text: str, file: str) -> dict[str, Any]:
    """A document of `kind` (org, periods, scheme, record, correction) that must be valid."""
    doc = load_yaml(text, file)
    problems = validate(kind, doc, file)
    assert problems == [], [x.message("en") for x in problems]
    return doc


def build_scheme_yaml(
    text: str, file: str = "schemes/t.yaml"
) -> tuple[Scheme | None, list[Diagnostic]]:
    """The scheme builder's answer for YAML text: no schema check, so tests can feed it what
    the schema would refuse and see that the builder copes."""
    return build_scheme(load_yaml(text, file), file)


def scheme_from_yaml(text: str, file: str = "schemes/t.yaml") -> Scheme:
    """A scheme the builder accepts without a single diagnostic."""
    scheme, problems = build_scheme_yaml(text, file)
    assert scheme is not None and problems == [], [x.message("en") for x in problems]
    return scheme


def org_from_yaml(text: str) -> Org:
    """The org chart of a valid org.yaml text."""
    return build_org(valid_doc("org", text, "org.yaml"))


def calendar_from_yaml(text: str) -> Calendar:
    """The calendar of a valid periods.yaml text."""
    return build_calendar(valid_doc("periods", text, "periods.yaml"))


def record_from_yaml(text: str, rel: str) -> Record:
    """The record a valid record (or correction) file at `rel` holds."""
    kind = kind_of(rel)
    assert kind in ("record", "correction"), f"{rel} is not a record's path"
    return build_record(valid_doc(kind, text, rel), rel)


# ---------------------------------------------------------------- a small ledger as text

# A sales department of two teams; HR assesses the lead, the lead assesses the team members.
SMALL_ORG = """company: 测试公司
hr: [E0001]
units:
  - {id: company, name: 测试公司, parent: null}
  - {id: sales, name: 销售部, parent: company, assessor: E0001}
  - {id: t1, name: 销售一组, parent: sales}
  - {id: t2, name: 销售二组, parent: sales}
people:
  - {id: E0001, name: 人事, unit: company, title: 人事经理}
  - {id: E0002, name: 主管, unit: sales, title: 销售主管, assessor: E0001}
  - {id: E1, name: 甲, unit: t1, title: 销售员, assessor: E0002}
  - {id: E2, name: 乙, unit: t1, title: 销售员, assessor: E0002}
  - {id: E3, name: 丙, unit: t1, title: 销售员, assessor: E0002}
  - {id: E4, name: 丁, unit: t2, title: 销售员, assessor: E0002}
"""

# January is closed; February and March are open; the first quarter has no due time.
SMALL_PERIODS = """timezone: Asia/Shanghai
periods:
  - id: 2026-01
    kind: month
    start: 2026-01-01
    end: 2026-01-31
    due: 2026-02-05 17:30
    status: closed
  - id: 2026-02
    kind: month
    start: 2026-02-01
    end: 2026-02-28
    due: 2026-03-05 17:30
    status: open
  - id: 2026-03
    kind: month
    start: 2026-03-01
    end: 2026-03-31
    due: 2026-04-05 17:30
    status: open
  - {id: 2026-Q1, kind: quarter, start: 2026-01-01, end: 2026-03-31, status: open}
"""

# One item given directly in points: a record's `result` is its total.
SMALL_SCHEME = """id: sales
title: 销售员月度考核
period_kind: month
applies_to: {units: [sales], titles: [销售员]}
items:
  - {id: result, title: 业绩, by: superior, input: points, direct: true, max: 100}
"""

SMALL_LEDGER = {
    "org.yaml": SMALL_ORG,
    "periods.yaml": SMALL_PERIODS,
    "schemes/sales.yaml": SMALL_SCHEME,
}


def record_head(
    period: str,
    scheme: str,
    unit: str,
    assessee: str,
    role: str,
    author: str,
    source_unit: str | None = None,
) -> list[str]:
    """The lines of a record's fields before `items` (a year is quoted: it is text)."""
    lines = [
        f'period: "{period}"' if len(period) == 4 else f"period: {period}",
        f"scheme: {scheme}",
        f"unit: {unit}",
        f"assessee: {assessee}",
        f"role: {role}",
        f"author: {author}",
    ]
    if source_unit is not None:
        lines.append(f"source_unit: {source_unit}")
    return lines


def record(
    period: str,
    assessee: str,
    items: Mapping[str, Any],
    *,
    unit: str = "t1",
    scheme: str = "sales",
    author: str = "E0002",
    role: str = "superior",
    source_unit: str | None = None,
    correction: int | None = None,
) -> dict[str, str]:
    """One record file as {path: text}, at the path its content calls for, so that
    `{**SMALL_LEDGER, **record(...), **record(...)}` is a whole ledger."""
    lines = record_head(period, scheme, unit, assessee, role, author, source_unit)
    lines.append("items: " + json.dumps(dict(items), ensure_ascii=False))  # JSON is YAML
    if correction is not None:
        lines += ["correction:", "  reason: 录入错误", "  approved_by: E0001", "  date: 2026-03-10"]
    rel = record_path(period, unit, assessee, role, source_unit, correction)
    return {rel: "\n".join(lines) + "\n"}


def write_files(root: Path, files: Mapping[str, str]) -> Path:
    """Write {relative path: text} below `root`; `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


# ---------------------------------------------------------------- folders and repositories


def fresh(tmp_path: Path, name: str) -> Path:
    """`tmp_path/name`, or `name-2`, `name-3`… when a test asks for a second one."""
    path, n = tmp_path / name, 1
    while path.exists():
        n += 1
        path = tmp_path / f"{name}-{n}"
    return path


@pytest.fixture
def ledger_dir(tmp_path: Path) -> Callable[[Mapping[str, str]], Path]:
    """A factory: files → a new ledger folder outside any git repository."""

    def make(files: Mapping[str, str]) -> Path:
        return write_files(fresh(tmp_path, "ledger"), files)

    return make


@pytest.fixture
def ledger_repo(tmp_path: Path) -> Callable[..., Repo]:
    """A factory: files → a new git repository (`main`) with them in `ledger/`, committed by
    HR (at `when`, ISO 8601, if given)."""

    def make(files: Mapping[str, str], *, when: str | None = None) -> Repo:
        repo = Repo(fresh(tmp_path, "repo"))
        write_files(repo.ledger, files)
        repo.git("init", "-q", "-b", "main")
        repo.commit(HR, "账本", when=when)
        return repo

    return make


@pytest.fixture
def example_repo(tmp_path: Path) -> Repo:
    """The example ledger committed on `main` by HR."""
    return make_repo(tmp_path)


# ---------------------------------------------------------------- the command line


def kpi(
    *args: str, cwd: Path, cache: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`kpi` run in `cwd` with its own cache folder (by default `cwd/.kpi-cache`)."""
    return subprocess.run(
        [sys.executable, "-m", "kpiledger", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "KPI_CACHE_DIR": str(cache or cwd / ".kpi-cache"), **(env or {})},
    )
