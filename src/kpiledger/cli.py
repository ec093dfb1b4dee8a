"""The `kpi` command line. Exit codes: 0 clean, 1 problems found, 2 usage."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any

import click

from kpiledger.check.summary import scheme_summaries
from kpiledger.cli_options import (
    LANGS,
    bilingual,
    format_option,
    lang_option,
    ledger_option,
    no_cache_option,
)
from kpiledger.diagnostics import Diagnostic, display_path, has_errors, render, summary
from kpiledger.diagnostics.terminal import colour_wanted
from kpiledger.diagnostics.usage import language_of, usage_text
from kpiledger.gc_tuning import tune_gc
from kpiledger.load.layout import find_root
from kpiledger.model import Role


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


def _report(
    diagnostics: list[Diagnostic], fmt: str, lang: str, root: Path, stream: IO[Any] | None = None
) -> None:
    """Diagnostics with paths from the current folder, in colour on a terminal."""
    out = sys.stdout if stream is None else stream
    text = render(diagnostics, fmt, lang, root, colour=fmt == "text" and colour_wanted(out))
    if text:
        click.echo(text, file=stream)


def _count(diagnostics: list[Diagnostic], lang: str) -> None:
    """The line at the end of a text report: 共 N 个问题，涉及 M 个文件."""
    if diagnostics:
        click.echo(summary(diagnostics, lang), err=True)


class _Group(click.Group):
    """The `kpi` group: usage errors said in the interface's language (`diagnostics.usage`)."""

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, False, **extra)
        try:
            code = super().main(argv, prog_name, complete_var, False, **extra)
        except click.UsageError as e:
            ctx = e.ctx
            usage = ctx.get_usage() if ctx is not None else ""
            command = ctx.command_path if ctx is not None else None
            lang = language_of(argv)
            click.echo(usage_text(usage, command, e.format_message(), lang), err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("已中止 / Aborted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kpiledger")
def main() -> None:
    """kpiledger：把绩效考核保存在 git 中 / performance assessments kept in git."""
    tune_gc()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@ledger_option
@format_option("text", "github", "json")
@lang_option
@no_cache_option
def check(paths: tuple[str, ...], ledger: str | None, fmt: str, lang: str, no_cache: bool) -> None:
    """检查账本中的每个问题 / report every problem in the ledger (never writes to it)."""
    from kpiledger.pipeline import check as check_all

    root = find_root(paths, ledger)
    diagnostics = check_all(root, _only(root, paths), use_cache=not no_cache)
    _report(diagnostics, fmt, lang, root)
    if fmt == "text":  # each scheme checked, with how many readings of its source it states
        for summary in scheme_summaries(root, _only(root, paths)):
            click.echo(summary.line(lang, display_path(root, summary.file)), err=True)
    if fmt == "text" and not diagnostics:
        click.echo("没有发现问题。" if lang == "zh" else "No problems found.", err=True)
    elif fmt == "text":
        _count(diagnostics, lang)
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command()
@ledger_option
@click.option("--period", "periods", multiple=True, help="只看这些考核期 / only these periods")
@format_option("table", "json", "csv")
@click.option("--out", "out", type=click.Path(file_okay=False), default=None,
              help="与 --format json 合用：按考核期写入文件夹（index.json 和每期一个文件），"
              "逐期写出，全部成功才替换 / with --format json: write a folder by period "
              "(index.json and one file per period), one period at a time, all or nothing")
@lang_option
@no_cache_option
def score(
    ledger: str | None, periods: tuple[str, ...], fmt: str, out: str | None, lang: str,
    no_cache: bool,
) -> None:
    """计算得分、等级、名次和金额 / score, grade, rank and pay every assessee."""
    from kpiledger.pipeline import evaluate
    from kpiledger.publish.results import (
        results_for_periods,
        results_to_csv,
        results_to_table,
    )

    if out is not None and fmt != "json":
        raise click.UsageError("--out 只用于 --format json / --out goes with --format json")
    root = find_root((), ledger)
    evaluation = evaluate(root, use_cache=not no_cache)
    known = evaluation.ledger.calendar.periods
    unknown = [p for p in periods if p not in known]
    if unknown:  # an empty table would look like "nobody was assessed"
        from kpiledger.calendar import unknown_period
        from kpiledger.diagnostics import d

        found = [d("periods.yaml", code, **args).at(1, 1)
                 for code, args in map(unknown_period, unknown)]
        _report(found, "text", lang, root, stream=sys.stderr)
        listed = "、".join(sorted(known)) if lang == "zh" else ", ".join(sorted(known))
        click.echo(f"账本中的考核期：{listed}" if lang == "zh" else
                   f"the ledger's periods: {listed}", err=True)
        sys.exit(1)
    _report(evaluation.all_diagnostics, "text", lang, root, stream=sys.stderr)
    _count(evaluation.all_diagnostics, lang)
    results = evaluation.results
    if periods:
        results = results_for_periods(results, set(periods))
    titles = {s.id: s.title_en if lang == "en" and s.title_en else s.title
              for s in evaluation.ledger.schemes.values()}
    if out is not None:
        from kpiledger.cli_publish import write_periods

        write_periods(results, Path(out), lang)
    elif fmt == "json":  # one document, written as it is made; --out splits it by period
        from kpiledger.publish.results_stream import document_parts

        out = sys.stdout.buffer  # UTF-8 bytes, whatever the locale says (as click.echo)
        for part in document_parts(results):
            out.write(part.encode("utf-8"))
        out.write(b"\n")  # as click.echo wrote it
        out.flush()
    elif fmt == "csv":
        click.echo(results_to_csv(results), nl=False)
    else:
        click.echo(results_to_table(results, lang, titles, evaluation.ledger.schemes))
    sys.exit(0 if evaluation.ok and not has_errors(evaluation.results.notices) else 1)


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
@click.option("--target", type=click.Choice(["public", "internal"]), default=None,
              help="发布目标（默认按 mkdocs.yml 的 target）：public 任何人可读，"
              "internal 有访问控制 / where the site goes (default: mkdocs.yml's target)")
@click.option(
    "--lang",
    type=LANGS,
    default=None,
    help="网站与消息的语言（默认按 mkdocs.yml，消息为中文）/ language of the site and the "
    "messages (default: as mkdocs.yml says; messages in Chinese)",
)
@click.option("--shard", default=None, metavar="I/N",
              help="只生成第 I 片（共 N 片）页面，再用 kpi merge 合并 / render only share I of N "
              "of the generated pages; join the shards with kpi merge")
@no_cache_option
def build(
    config_file: str, site_dir: str, public: bool, target: str | None, lang: str | None,
    shard: str | None, no_cache: bool,
) -> None:
    """检查账本并生成网站 / check the ledger, then build the site into public/."""
    import time

    from kpiledger.site.build import build_site
    from kpiledger.site.shard import Shard, ShardError

    started = time.perf_counter()
    try:
        part = Shard.parse(shard) if shard is not None else None
    except ShardError as e:
        raise click.BadParameter(str(e), param_hint="--shard") from None
    built = build_site(
        Path(config_file), site_dir, public=public, use_cache=not no_cache, lang=lang,
        target=target, shard=part,
    )
    lang = lang or "zh"
    root = Path(config_file).resolve().parent  # build_site gives paths from mkdocs.yml's folder
    _report(built.diagnostics, "text", lang, root, stream=sys.stderr)
    _count(built.diagnostics, lang)
    if not built.ok:
        no_site = "账本有错误，未生成网站。" if lang == "zh" else "The ledger has errors; no site."
        reason = built.error or no_site
        click.echo(reason, err=True)
        sys.exit(1)
    seconds = time.perf_counter() - started
    click.echo(
        f"网站已生成：{site_dir}（{seconds:.1f} 秒；{built.rendered} 页重新生成，"
        f"{built.cached} 页取自缓存）"
        if lang == "zh"
        else f"Site built in {site_dir} ({seconds:.1f} s; {built.rendered} pages rendered, "
        f"{built.cached} from the cache)",
        err=True,
    )
    sys.exit(0)


# ---------------------------------------------------------------- authoring: new, fmt, import,
# export, init. The work is done in kpiledger.authoring; these only parse the command line.

ROLES = click.Choice([r.value for r in Role])  # plain text: `kpi new` writes it into YAML


@main.command("new")
@click.argument("period")
@click.argument("assessees", nargs=-1)
@click.option("--unit", help="只为这个部门（及其下级）的人生成 / only this unit and below")
@click.option("--role", type=ROLES, default="superior", show_default=True,
              help="提交角色 / the author's role")
@click.option("--author", help="提交人工号（默认按组织架构）/ the author (default: org chart)")
@ledger_option
@lang_option
def new_command(period: str, assessees: tuple[str, ...], unit: str | None, role: str,
                author: str | None, ledger: str | None, lang: str) -> None:
    """生成待填写的考核记录（已有文件不覆盖）/ write the skeleton records due in PERIOD."""
    from kpiledger.authoring.run import run_new

    if assessees and unit:
        raise click.UsageError("被考核人与 --unit 只能选一个 / give assessees or --unit, not both")
    sys.exit(run_new(find_root((), ledger), period, assessees, unit, role, author, lang))


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--check", "check_only", is_flag=True,
              help="只列出需要整理的文件，有则退出码 1 / list files that would change, exit 1")
@ledger_option
@lang_option
def fmt_command(paths: tuple[str, ...], check_only: bool, ledger: str | None, lang: str) -> None:
    """统一 YAML 格式，保留注释 / one canonical layout for ledger files, comments kept."""
    from kpiledger.authoring.run import run_fmt

    sys.exit(run_fmt(find_root(paths, ledger), paths, check_only, lang))


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--period", help="考核期（表格首行未写明时）/ the period, if the sheet does not say")
@click.option("--scheme", help="考核方案 / the scheme, if the sheet does not say")
@click.option("--role", type=ROLES, help="提交角色（默认 superior）/ the role (default superior)")
@click.option("--source-unit", help="data 记录的资料来源部门 / data records: the source unit")
@click.option("--author", help="提交人工号（默认按组织架构）/ the author (default: org chart)")
@click.option("--sheet", "sheets", multiple=True, help="只导入这些工作表 / only these sheets")
@click.option("--update", is_flag=True, help="覆盖内容不同的已有记录 / overwrite differing records")
@ledger_option
@lang_option
def import_command(file: str, period: str | None, scheme: str | None, role: str | None,
                   source_unit: str | None, author: str | None, sheets: tuple[str, ...],
                   update: bool, ledger: str | None, lang: str) -> None:
    """把填好的 Excel/CSV 考核表导入为记录（有错则不写）/ import a filled-in sheet."""
    from kpiledger.authoring.run import run_import
    from kpiledger.authoring.sheet_import import Options

    options = Options(period=period, scheme=scheme, role=role, source_unit=source_unit,
                      author=author, update=update, sheets=sheets)
    sys.exit(run_import(find_root((), ledger), Path(file), options, lang))


@main.command("export")
@click.argument("period")
@click.option("--xlsx", type=click.Path(dir_okay=False), required=True,
              help="输出的 Excel 文件 / the workbook to write")
@click.option("--scheme", "schemes", multiple=True, help="只导出这些方案 / only these schemes")
@click.option("--role", type=ROLES, default="superior", show_default=True,
              help="录入表的提交角色 / the role of the blank input sheets")
@click.option("--next-period", help="录入表的考核期（默认下一期）/ the input sheets' period")
@ledger_option
@lang_option
def export_command(period: str, xlsx: str, schemes: tuple[str, ...], role: str,
                   next_period: str | None, ledger: str | None, lang: str) -> None:
    """导出结果表和下一期的空白录入表 / results per ranking group plus blank input sheets."""
    from kpiledger.authoring.run import run_export

    sys.exit(run_export(find_root((), ledger), period, Path(xlsx), role, next_period, schemes,
                        lang))


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--year", type=int, help="考核期日历的年份（默认今年）/ the calendar's year")
@click.option("--forge", type=click.Choice(["github", "gitlab", "gitea"]), default="github",
              show_default=True,
              help="代码平台：决定 CI 文件和 CODEOWNERS 的位置 / the forge: its CI files and "
              "CODEOWNERS")
@lang_option
def init_command(directory: str, year: int | None, forge: str, lang: str) -> None:
    """从模板新建一个考核账本仓库 / a new ledger repository from the packaged template."""
    from kpiledger.authoring.run import run_init

    sys.exit(run_init(Path(directory), year, lang, forge))


# the calendar (kpi period, kpi status) and the gate and publication (kpi review,
# codeowners, bulletin, verify): in cli_calendar and cli_publish, registered here
def _more_commands() -> None:
    from kpiledger.cli_calendar import period_group, status_command
    from kpiledger.cli_publish import COMMANDS

    for command in (period_group, status_command, *COMMANDS):
        main.add_command(command)


_more_commands()


@main.group("org")
def org_group() -> None:
    """组织架构 / the org chart."""


@org_group.command("split")
@ledger_option
def org_split_command(ledger: str | None) -> None:
    """把 org.yaml 拆分为每个部门一个文件 org/<部门>.yaml / split org.yaml into one file per
    unit, org/<unit>.yaml; company-wide settings stay in org.yaml."""
    from kpiledger.atomic import WriteError
    from kpiledger.authoring.org_split import split_org
    from kpiledger.diagnostics import format_text

    root = find_root((), ledger)
    try:
        done = split_org(root)
    except WriteError as e:  # nothing was written: the old files are whole
        click.echo(format_text([e.diagnostic()]), err=True)
        sys.exit(1)
    if done.problems:
        click.echo(format_text(done.problems), err=True)
        click.echo("有错误，未做任何修改 / nothing was changed", err=True)
        sys.exit(1)
    if not done.written:
        click.echo(f"{root / 'org.yaml'}: 已是拆分格式，无需修改 / already split")
        sys.exit(0)
    click.echo(f"已写入 {len(done.written)} 个文件 / wrote {len(done.written)} files: {root}")
    if done.codeowners:
        click.echo(f"{done.codeowners}: 已按新的部门文件更新 / updated for the unit files")
    sys.exit(0)


bilingual(main)
