"""The gate's and publication's commands: `kpi review`, `kpi codeowners`, `kpi bulletin`,
`kpi verify` and `kpi merge` (the shards of a site). Registered on the main group by `cli`;
each parses its options and calls one function (review.run, forge.codeowners,
publish.bulletin_run, site.reverify, site.shard). And how `kpi score --format json --out DIR`
writes its folder (publish.shards)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kpiledger.cli_options import lang_option, ledger_option
from kpiledger.load.layout import find_root

if TYPE_CHECKING:
    from kpiledger.score.ledger import Results


@click.command("review")
@click.option("--base", required=True, help="基准提交，如 origin/main / the base ref")
@click.option("--actor", help="提交者在代码平台上的账号（如 alice 或 gitlab:alice）/ the forge "
              "login behind the change (alice, or gitlab:alice)")
@click.option("--forge", "forge_name", type=click.Choice(["github", "gitlab", "gitea"]),
              help="代码平台（默认按 CI 环境判断）/ the forge (default: from the CI run)")
@click.option("--summary", type=click.Path(dir_okay=False),
              help="把审核摘要写入此文件（GitLab、Gitea 作为制品展示）/ also write the summary "
              "to this file (an artifact on GitLab and Gitea)")
@ledger_option
@lang_option
def review_command(base: str, actor: str | None, forge_name: str | None, summary: str | None,
                   ledger: str | None, lang: str) -> None:
    """审核一个拉取请求：权限、已关闭考核期、分数与名次变化 / check a pull request."""
    from kpiledger.review.run import run_review

    sys.exit(run_review(base, actor, ledger, lang, forge_name, summary))


@click.command("codeowners")
@ledger_option
@click.option("--check", is_flag=True, help="只检查是否过期 / exit 1 if the file is stale")
@click.option("--forge", "forge_name", type=click.Choice(["github", "gitlab", "gitea"]),
              help="代码平台（默认：仓库已有的 CODEOWNERS 所在平台，否则 GitHub）/ the forge "
              "(default: where the repository keeps CODEOWNERS, else GitHub)")
def codeowners_command(ledger: str | None, check: bool, forge_name: str | None) -> None:
    """根据组织架构生成 CODEOWNERS / CODEOWNERS from the org chart, for the ledger's forge."""
    from kpiledger.atomic import WriteError
    from kpiledger.check.ledger import read_org
    from kpiledger.diagnostics import format_text, has_errors
    from kpiledger.forge.codeowners import sync
    from kpiledger.forge.forges import FORGES

    root = find_root((), ledger)
    org, problems = read_org(root)  # only the org chart (org.yaml and org/): no records
    if has_errors(problems):
        click.echo(f"{root / 'org.yaml'}: 有错误，请先运行 kpi check / has errors: run kpi check")
        sys.exit(1)
    try:
        path, current = sync(root, org, check_only=check,
                             forge=FORGES[forge_name] if forge_name else None)
    except WriteError as e:  # a read-only checkout, a full disk: the old file is left whole
        click.echo(format_text([e.diagnostic()]), err=True)
        sys.exit(1)
    if check and not current:
        click.echo(f"{path}: 与组织架构不一致，请运行 kpi codeowners / stale: run kpi codeowners")
        sys.exit(1)
    click.echo(f"{path}: 与组织架构一致 / up to date" if check else f"{path}")
    sys.exit(0)


@click.command("bulletin")
@click.argument("period")
@ledger_option
@click.option("--format", "fmt", type=click.Choice(["pdf", "markdown"]), default="markdown",
              show_default=True, help="PDF（打印、存档）或 Markdown（议题、聊天）/ PDF or Markdown")
@click.option("-o", "--output", help="写入的文件（PDF 默认 bulletin-<考核期>.pdf）/ the file")
@click.option("--masked", is_flag=True, help="姓名部分隐藏 / names masked (张*)")
@click.option("--publish", is_flag=True, help="写出 <考核期>/bulletin.yaml：合入 main 即发布，"
              "以通报起算的期限由此开始 / write <period>/bulletin.yaml: its landing on main is the "
              "publication, from which bulletin-relative deadlines count")
@click.option("--by", help="发布人编号（与 --publish 同用）/ who publishes (with --publish)")
@lang_option
def bulletin_command(period: str, ledger: str | None, fmt: str, output: str | None,
                     masked: bool, publish: bool, by: str | None, lang: str) -> None:
    """生成某期的绩效考核通报 / the period's bulletin: rankings, rules fired, rewards,
    follow-ups."""
    from kpiledger.publish.bulletin_run import run_bulletin

    sys.exit(run_bulletin(find_root((), ledger), period, fmt, output, lang, masked, publish, by))


@click.command("verify")
@click.argument("manifest", default="public/manifest.json")
@click.option("--at", "commit", help="在此提交重新计算（默认清单中的提交）/ recompute at COMMIT")
@click.option("--main", "main_branch", default="main", show_default=True,
              help="主分支：提交须在其上 / the main branch the commit must be on")
@click.option("--no-site", is_flag=True,
              help="不重新构建网站，只比较结果 / skip rebuilding the site, compare results only")
@lang_option
def verify_command(manifest: str, commit: str | None, main_branch: str, no_site: bool,
                   lang: str) -> None:
    """从 git 重新计算并与发布的清单比较 / recompute from git and compare with the manifest."""
    from kpiledger.site.reverify import run_full_verify

    sys.exit(run_full_verify(manifest, commit, main_branch, lang, not no_site))


@click.command("merge")
@click.argument("shards", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False))
@click.option("--site-dir", default="public", show_default=True, help="输出目录 / output folder")
def merge_command(shards: tuple[str, ...], site_dir: str) -> None:
    """把 kpi build --shard 的各分片合并成完整网站 / merge the folders of `kpi build --shard
    i/N` into the whole site."""
    from kpiledger.site.shard import ShardError, merge_shards

    try:
        pages = merge_shards([Path(x) for x in shards], Path(site_dir))
    except ShardError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    click.echo(f"已合并 {len(shards)} 个分片、{pages} 个生成页面：{site_dir} / merged "
               f"{len(shards)} shards, {pages} generated pages into {site_dir}", err=True)
    sys.exit(0)


COMMANDS = (review_command, codeowners_command, bulletin_command, verify_command, merge_command)


def write_periods(results: Results, out: Path, lang: str) -> None:
    """`kpi score --format json --out DIR`: the results by period, all or nothing."""
    from kpiledger.atomic import WriteError
    from kpiledger.diagnostics import d, format_text
    from kpiledger.publish.shards import period_documents, replaceable, write_shards

    if not replaceable(out):
        click.echo(format_text([d(str(out), "KPI725", path=str(out)).at(1, 1)], lang), err=True)
        sys.exit(2)
    try:
        index = write_shards(out, period_documents(results), compress=False)
    except WriteError as e:
        click.echo(format_text([e.diagnostic()], lang), err=True)
        sys.exit(2)
    count = len(index["periods"])
    click.echo(f"已写入 {count} 个考核期的结果 → {out}" if lang == "zh" else
               f"wrote the results of {count} periods → {out}", err=True)
