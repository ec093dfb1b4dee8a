"""The `kpi` command line. Exit codes: 0 clean, 1 problems found, 2 usage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .diagnostics import Diagnostic, format_github, format_text, has_errors, to_json
from .ledger import check_ledger, open_ledger

LANGS = click.Choice(["zh", "en"])


def _find_root(paths: tuple[str, ...], ledger: str | None) -> Path:
    if ledger:
        return Path(ledger)
    for p in paths:
        candidate = Path(p).resolve()
        for folder in [candidate, *candidate.parents]:
            if (folder / "org.yaml").exists():
                return folder
    return Path("ledger") if Path("ledger/org.yaml").exists() else Path(".")


def _only(root: Path, paths: tuple[str, ...]) -> list[str] | None:
    """Files named on the command line, relative to the root; None for the whole ledger."""
    if not paths:
        return None
    chosen: list[str] = []
    base = root.resolve()
    for p in paths:
        full = Path(p).resolve()
        if full == base:
            return None
        try:
            rel = full.relative_to(base)
        except ValueError:
            raise click.UsageError(f"{p} 不在账本 {root} 之内 / is outside the ledger") from None
        if full.is_dir():
            chosen += [(rel / x.relative_to(full)).as_posix() for x in full.rglob("*.yaml")]
        else:
            chosen.append(rel.as_posix())
    return chosen


def _report(diagnostics: list[Diagnostic], fmt: str, lang: str, root: Path, stream=None) -> None:
    shown = [x.__class__(**{**x.__dict__, "file": _display(root, x.file)}) for x in diagnostics]
    if fmt == "json":
        text = to_json(shown, lang)
    elif fmt == "github":
        text = format_github(shown, lang)
    else:
        text = format_text(shown, lang)
    if text:
        click.echo(text, file=stream)


def _display(root: Path, rel: str) -> str:
    """Paths as the user would type them from the current folder."""
    full = root / rel
    try:
        return full.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return full.as_posix()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kpiledger")
def main() -> None:
    """kpiledger：把绩效考核保存在 git 中 / performance assessments kept in git."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--ledger", type=click.Path(exists=True, file_okay=False), help="账本目录 / ledger folder"
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    help="输出格式 / output format",
)
@click.option("--lang", type=LANGS, default="zh", help="语言 / language")
@click.option("--no-cache", is_flag=True, help="不使用缓存 / read every file again")
def check(paths: tuple[str, ...], ledger: str | None, fmt: str, lang: str, no_cache: bool) -> None:
    """检查账本中的每个问题 / report every problem in the ledger (never writes to it)."""
    root = _find_root(paths, ledger)
    diagnostics = check_ledger(root, _only(root, paths), use_cache=not no_cache)
    _report(diagnostics, fmt, lang, root)
    if fmt == "text" and not diagnostics:
        click.echo("没有发现问题。" if lang == "zh" else "No problems found.", err=True)
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command()
@click.option(
    "--ledger", type=click.Path(exists=True, file_okay=False), help="账本目录 / ledger folder"
)
@click.option("--period", "periods", multiple=True, help="只看这些考核期 / only these periods")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    help="输出格式 / output format",
)
@click.option("--lang", type=LANGS, default="zh", help="语言 / language")
@click.option("--no-cache", is_flag=True, help="不使用缓存 / read every file again")
def score(
    ledger: str | None, periods: tuple[str, ...], fmt: str, lang: str, no_cache: bool
) -> None:
    """计算得分、等级、名次和金额 / score, grade, rank and pay every assessee."""
    from .evaluate import evaluate_ledger, landings
    from .results import results_to_csv, results_to_json, results_to_table
    from .score import Results

    root = _find_root((), ledger)
    opened = open_ledger(root, use_cache=not no_cache)
    _report(opened.diagnostics, "text", lang, root, stream=sys.stderr)
    results = evaluate_ledger(opened.ledger, landings(root))
    _report(list(results.notices), "text", lang, root, stream=sys.stderr)
    if periods:
        wanted = set(periods)
        results = Results(
            results=tuple(r for r in results.results if r.period in wanted),
            events=tuple(e for e in results.events if e.get("period") in wanted),
            warnings=tuple(w for w in results.warnings if w.get("period") in wanted),
            aggregates=tuple(a for a in results.aggregates if a.get("period") in wanted),
        )
    if fmt == "json":
        click.echo(results_to_json(results))
    elif fmt == "csv":
        click.echo(results_to_csv(results), nl=False)
    else:
        click.echo(results_to_table(results, lang))
    sys.exit(1 if has_errors(opened.diagnostics) else 0)


@main.command()
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False),
    default="mkdocs.yml",
    show_default=True,
    help="MkDocs 配置文件 / MkDocs config file",
)
@click.option("--site-dir", default="public", show_default=True, help="输出目录 / output folder")
@click.option("--public", is_flag=True, help="公开版：隐藏姓名、金额和评语 / public edition")
@click.option("--lang", type=LANGS, default="zh", help="语言 / language")
@click.option("--no-cache", is_flag=True, help="不使用缓存 / read every file again")
def build(config_file: str, site_dir: str, public: bool, lang: str, no_cache: bool) -> None:
    """检查账本并生成网站 / check the ledger, then build the site into public/."""
    import os
    import subprocess
    import time

    started = time.perf_counter()
    root = _ledger_of(Path(config_file))
    diagnostics = check_ledger(root, use_cache=not no_cache)
    _report(diagnostics, "text", lang, root, stream=sys.stderr)
    if has_errors(diagnostics):
        click.echo(
            "账本有错误，未生成网站。"
            if lang == "zh"
            else "The ledger has errors; the site was not built.",
            err=True,
        )
        sys.exit(1)
    env = dict(os.environ)
    if public:
        env["KPI_SITE_PUBLIC"] = "true"  # read by mkdocs.yml: public: !ENV [KPI_SITE_PUBLIC, false]
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    # A subprocess, so mkdocs' own --strict bookkeeping and logging apply exactly as in CI.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            config_file,
            "-d",
            site_dir,
        ],
        env=env,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(done.returncode)
    seconds = time.perf_counter() - started
    click.echo(
        f"网站已生成：{site_dir}（{seconds:.1f} 秒）"
        if lang == "zh"
        else f"Site built in {site_dir} ({seconds:.1f} s)",
        err=True,
    )
    sys.exit(0)


def _ledger_of(config_file: Path) -> Path:
    """The ledger folder the config's kpiledger plugin reads (default: ledger)."""
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config_file))
    plugin = cfg.plugins.get("kpiledger")
    rel = getattr(getattr(plugin, "config", None), "ledger", "ledger")
    return (config_file.resolve().parent / rel).resolve()
