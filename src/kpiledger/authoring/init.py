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
    """Months (the 26th to the 25th, due on the 5th), quarters and the year, all open."""
    lines = [
        "# yaml-language-server: $schema=../schemas/periods.schema.json",
        f"# {year} 年考核期日历：月度窗口为上月26日至本月25日，次月5日17:30前提交。",
        "# 月末结账后把 status 改为 closed；此后只能提交更正记录。",
        "timezone: Asia/Shanghai",
        "periods:",
    ]

    def add(pid: str, kind: str, start: dt.date, end: dt.date, due: dt.date) -> None:
        lines.extend([
            f'  - id: {pid if kind != "year" else repr(pid).replace(chr(39), chr(34))}',
            f"    kind: {kind}",
            f"    start: {start.isoformat()}",
            f"    end: {end.isoformat()}",
            f"    due: {due.isoformat()} 17:30",
            "    status: open",
        ])

    def start_of(y: int, m: int) -> dt.date:  # the 26th of the month before
        return dt.date(y - 1, 12, 26) if m == 1 else dt.date(y, m - 1, 26)

    def after(y: int, m: int, day: int) -> dt.date:
        return dt.date(y + 1, 1, day) if m == 12 else dt.date(y, m + 1, day)

    for m in range(1, 13):
        add(f"{year}-{m:02d}", "month", start_of(year, m), dt.date(year, m, 25),
            after(year, m, 5))
    for q in range(1, 5):
        first, last = 3 * q - 2, 3 * q
        add(f"{year}-Q{q}", "quarter", start_of(year, first), dt.date(year, last, 25),
            after(year, last, 10))
    add(str(year), "year", start_of(year, 1), dt.date(year, 12, 25), dt.date(year + 1, 1, 15))
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
