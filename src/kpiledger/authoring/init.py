"""`kpi init`: a new ledger repository from the template packaged with kpiledger.

The template (src/kpiledger/templates/repo) holds an org chart, the customer-service scheme of
document 4, the site's pages, mkdocs.yml, CODEOWNERS and a README for HR. The calendar is
written for the year asked for, and the JSON Schemas are copied from the package, so the new
ledger passes `kpi check` at once and editors complete its files.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from kpiledger.atomic import WriteError, staging_dir, swap_dir
from kpiledger.authoring.yamlio import package_schemas

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "repo"
# Hidden names are stored without their dot: setuptools' package-data globs skip dot files.
RENAMES = {"dot-github": ".github", "dot-gitignore": ".gitignore",
           "dot-gitlab-ci.yml": ".gitlab-ci.yml"}
# what only one forge reads: GitHub (and Gitea, which runs .github/workflows as they are) the
# workflows; GitLab its pipeline
FORGE_ONLY = {"dot-github": ("github", "gitea"), "dot-gitlab-ci.yml": ("gitlab",)}


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _target(rel: Path) -> Path:
    return Path(*(RENAMES.get(part, part) for part in rel.parts))


def periods_yaml(year: int) -> str:
    """The year's months (the 26th to the 25th, due on the 5th at 17:30), quarters and the
    year itself, all open; windows and due times come from the `pattern`, so each period is
    only its id and status, and `kpi period open` adds the next one."""
    ids = [f"{year}-{m:02d}" for m in range(1, 13)] + [f"{year}-Q{q}" for q in range(1, 5)]
    lines = [
        "# yaml-language-server: $schema=../schemas/periods.schema.json",
        f"# {year} 年考核期日历：月度窗口为上月26日至本月25日，次月5日17:30前提交。",
        "# 新的一期用 kpi period open 开放；收齐后用 kpi period close 关闭，此后只能提交更正记录。",
        "timezone: Asia/Shanghai",
        "pattern:",
        "  month_start_day: 26 # 月度窗口：上月26日至本月25日",
        "  due:",
        '    month: {months_after: 1, day: 5, time: "17:30"} # 次月5日17:30',
        '    quarter: {months_after: 1, day: 10, time: "17:30"} # 次季首月10日17:30',
        '    year: {months_after: 1, day: 15, time: "17:30"} # 次年1月15日17:30',
        "periods:",
    ]
    for pid in ids:
        lines.extend([f"  - id: {pid}", "    status: open"])
    lines.extend(["  # 年度考核。年份须加引号。", f'  - id: "{year}"', "    status: open"])
    return "\n".join(lines) + "\n"


def init_repo(target: Path, year: int | None = None, forge: str = "github") -> list[str]:
    """Write the new repository into `target` (which must be missing or empty): built whole
    in a hidden folder beside it, then moved into place (raises `atomic.WriteError`). `forge`
    (github | gitlab | gitea) chooses the CI files and where CODEOWNERS goes."""
    year = year or dt.date.today().year
    try:
        staged = staging_dir(target)
    except OSError as e:
        raise WriteError(target, e.strerror or str(e)) from e
    try:
        written = _fill(staged, year, forge)
    except OSError as e:
        shutil.rmtree(staged, ignore_errors=True)
        raise WriteError(getattr(e, "filename", None) or target, e.strerror or str(e)) from e
    swap_dir(staged, target)
    return written


def _fill(target: Path, year: int, forge: str = "github") -> list[str]:
    written: list[str] = []
    for src in template_files():
        first = src.relative_to(TEMPLATE).parts[0]
        if forge not in FORGE_ONLY.get(first, (forge,)):
            continue
        if first == "CODEOWNERS" and forge != "github":
            continue  # made from the org chart below, in the forge's own place and syntax
        rel = _target(src.relative_to(TEMPLATE))
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(rel.as_posix())
    periods = target / "ledger" / "periods.yaml"
    periods.write_text(periods_yaml(year), encoding="utf-8")
    written.append("ledger/periods.yaml")
    schemas = target / "schemas"
    schemas.mkdir(exist_ok=True)
    for src in sorted(package_schemas().glob("*.schema.json")):
        shutil.copyfile(src, schemas / src.name)
        written.append(f"schemas/{src.name}")
    if forge != "github":
        written.append(_codeowners(target, forge))
    return sorted(written)


def _codeowners(target: Path, forge: str) -> str:
    from kpiledger.check.ledger import read_org
    from kpiledger.forge.codeowners import render
    from kpiledger.forge.forges import FORGES

    org, _ = read_org(target / "ledger")  # org.yaml and the unit files under org/
    rel = FORGES[forge].codeowners
    (target / rel).parent.mkdir(parents=True, exist_ok=True)
    (target / rel).write_text(render(org, "ledger/", FORGES[forge]), encoding="utf-8")
    return rel
