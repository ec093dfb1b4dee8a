"""`kpi review --base REF`: a pull request's check (提交审核).

What changed between REF and HEAD (`git diff REF...HEAD`, the commits of `REF..HEAD`) is
checked, with what depends on it, and nothing else:

- who may write what comes from the org chart AT REF (`permissions`);
- identity is the forge login and the e-mails of every commit in the range (`identity`);
- the changed files get the ledger checker's problems (`check.ledger`), and the results
  they move are scored on both sides (`scope`, `rescore`, `compare`).

Speed: the ledger is never read whole. The shared files are read at REF (`git cat-file`) and
from the work tree; records only in the folders the change reaches (`scope`).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from pathlib import Path

from kpiledger.atomic import write_text
from kpiledger.check.ledger import Context, Loaded, check_loaded, place_in, shared_context
from kpiledger.check.records import check_duplicates
from kpiledger.diagnostics import Diagnostic
from kpiledger.forge.forges import FORGES, detect, qualified
from kpiledger.git.provenance import commits_between, merges
from kpiledger.git.repo import BlobReader, GitError, locate, rev, tree_blobs
from kpiledger.git.signing import signers
from kpiledger.load.layout import find_root, kind_of, shared_kind
from kpiledger.review.acts import judge_acts
from kpiledger.review.compare import compare, landing_times, lateness
from kpiledger.review.findings import Review
from kpiledger.review.followups import (
    followup_lateness,
    obligations_created,
    overdue_of_touched,
)
from kpiledger.review.identity import People, unsigned, writers
from kpiledger.review.orgfiles import judge_unit_files
from kpiledger.review.permissions import judge, judge_outside
from kpiledger.review.report import render
from kpiledger.review.rescore import Parsed, Sides, rescore
from kpiledger.review.scope import (
    changed_files,
    folders_to_read,
    head_files,
    in_folders,
    periods_present,
    read,
    record_scopes,
    shared_files,
)
from kpiledger.score.failures import failure_diagnostic


def review(
    root: Path, base: str, actor: str | None = None, now: dt.datetime | None = None
) -> Review:
    """Check the change REF...HEAD of the ledger at `root`."""
    started = time.perf_counter()
    root = Path(root)
    where = locate(root)
    if where is None:
        raise GitError(f"{root} 不在 git 仓库中 / is not inside a git repository")
    base_sha = rev(where, base)
    head_sha = rev(where, "HEAD")
    changed_all = changed_files(where, base_sha)
    prefix = where.prefix
    result = Review(
        base=base_sha,
        head=head_sha,
        changed=[(s, p) for s, p in changed_all if p.startswith(prefix)],
        outside=[p for _, p in changed_all if not p.startswith(prefix)],
        prefix=prefix,
    )
    changed_rels = {p[len(prefix) :]: s for s, p in result.changed}
    base_index = tree_blobs(where, base_sha)
    parsed = Parsed()
    with BlobReader(where.top) as blobs:
        # 1. the shared files at REF and in the work tree
        shared_rels = [r for r in base_index if shared_kind(r) is not None]
        base_bytes = blobs.read_files(
            base_index, shared_rels + [r for r in changed_rels if r in base_index]
        )
        base_ctx, head_ctx, shared_changed = _contexts(
            root, result, parsed, {r: base_bytes[r] for r in shared_rels}, frozenset(changed_rels)
        )

        # 2. who wrote what, and may they
        people = People(base_ctx.org)
        found, merge_shas = commits_between(where.top, base_sha), merges(where.top, base_sha)
        writers_of, acted = writers(result, people, actor, found, merge_shas)
        if base_ctx.org.require_signed_commits:
            keys = {p.id: p.signing_keys for p in base_ctx.org.people.values()}
            unsigned(result, people, found, merge_shas,
                     signers(where.top, [f"{base_sha}..{head_sha}"], keys))
        judge_outside(result, base_ctx.org, people, writers_of)
        changed_head: dict[str, Loaded] = {}
        for rel, status in changed_rels.items():
            if status != "D" and shared_kind(rel) is None and rel.endswith((".yaml", ".yml")):
                data = read(root, rel)
                if data is not None:
                    changed_head[rel] = parsed.get(rel, data)
        judge(result, base_ctx, people, writers_of, changed_head, base_index)
        unit_files = [r for r in changed_rels if kind_of(r) == "orgunit"]
        judge_unit_files(
            result, base_ctx.org, people, writers_of,
            {r: parsed.get(r, base_bytes[r]) for r in unit_files if r in base_bytes},
            {r: parsed.get(r, b) for r in unit_files if (b := read(root, r)) is not None},
        )
        changed_base = {r: parsed.get(r, base_bytes[r]) for r in changed_rels if r in base_bytes}
        judge_acts(result, base_ctx.org, people, acted, changed_head, changed_base)

        # 3. the folders the change reaches, read on both sides
        folders = folders_to_read(
            record_scopes(changed_rels, [changed_head, changed_base]),
            shared_changed,
            base_ctx,
            head_ctx,
            periods_present(base_index, root),
        )
        base_data = blobs.read_files(base_index, [r for r in base_index if in_folders(folders, r)])
    head_data = {r: b for r in head_files(root, folders) if (b := read(root, r)) is not None}

    # 4. scores and ranks on both sides; a period with no difference is scored once
    differing = {r for r in set(base_data) | set(head_data) if base_data.get(r) != head_data.get(r)}
    landed_head, landed_base = landing_times(root, base_ctx, head_ctx, changed_rels, head_sha, now)
    sides = Sides(
        base_ctx, head_ctx, base_data, head_data, {r.split("/", 1)[0] for r in differing},
        bool(shared_changed), landed_base, landed_head,
    )
    before, after, keys = rescore(sides)

    # 5. the checker's problems in the changed files (closed periods are judged above)
    diags: list[Diagnostic] = []
    for rel in sorted(changed_head):
        _, problems = check_loaded(changed_head[rel], head_ctx)
        diags += [x for x in problems if x.code != "KPI309"]
    diags += [x for x in check_duplicates(keys) if x.file in changed_rels]
    schemes = head_ctx.schemes
    diags += [  # a formula that fails for someone this change touches blocks it too
        failure_diagnostic(schemes[v["scheme"]], v["period"], v["assessee"], v["files"], f)
        for v in after
        if v["failures"] and v["scheme"] in schemes and set(v["files"]) & changed_rels.keys()
        for f in v["failures"]
    ]
    diags += followup_lateness(result, root, head_ctx, changed_rels, now)
    result.diagnostics = place_in(root, result.diagnostics + diags)

    result.schemes = {**base_ctx.schemes, **head_ctx.schemes}
    compare(result, base_ctx, head_ctx, before, after, changed_rels)
    lateness(result, head_ctx, changed_head, now)
    obligations_created(result, head_ctx)
    overdue_of_touched(result, root, head_ctx, changed_rels, now)
    result.seconds = time.perf_counter() - started
    return result


def _contexts(
    root: Path, result: Review, parsed: Parsed, base_shared: dict[str, bytes],
    wanted: frozenset[str],
) -> tuple[Context, Context, set[str]]:
    """The contexts at REF and in the work tree, and the shared files that differ; the work
    tree's shared-file problems are noted when they are among the changed files."""
    base_ctx, _ = shared_context([parsed.get(r, b) for r, b in base_shared.items()], None)
    head_bytes = {r: b for r in shared_files(root) if (b := read(root, r)) is not None}
    shared_changed = {
        r for r in set(base_shared) | set(head_bytes) if base_shared.get(r) != head_bytes.get(r)
    }
    if not shared_changed:
        return base_ctx, replace(base_ctx, wanted=wanted), shared_changed
    head_loaded = [parsed.get(r, b) for r, b in head_bytes.items()]
    head_ctx, problems = shared_context(head_loaded, wanted)
    problems += [x for f in head_loaded for x in f.diagnostics]
    result.diagnostics += [x for x in problems if x.file in wanted]
    return base_ctx, head_ctx, shared_changed


def run_review(base: str, actor: str | None, ledger: str | None, lang: str,
               forge_name: str | None = None, summary: str | None = None) -> int:
    """The `kpi review` command: the summary to $GITHUB_STEP_SUMMARY, to `summary` (a file
    GitLab or Gitea shows as the job's artifact), else stdout. `actor` is a login on the forge
    (`forge_name`, else the one the CI run is on) or names its forge (`gitlab:alice`)."""
    import sys

    from kpiledger.diagnostics import format_github

    forge = FORGES[forge_name] if forge_name else detect(os.environ)
    actor = qualified(actor, forge) if actor else None
    root = find_root((), ledger)
    if not actor and os.environ.get("CI") == "true":
        # in CI the forge says who is acting; without it, identity would be a typed e-mail
        print("kpi review: 在 CI 中必须用 --actor 指定提交者 / in CI, --actor is required",
              file=sys.stderr)
        return 2
    try:
        found = review(root, base, actor or None)
    except GitError as e:
        print(f"kpi review: {e}", file=sys.stderr)
        return 2
    text = render(found, lang)
    if summary:
        write_text(Path(summary), text + "\n")
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(text + "\n")
        if os.environ.get("GITHUB_ACTIONS") == "true":  # annotations on the changed lines
            shown = [replace(x, file=found.prefix + x.file) for x in found.diagnostics]
            if shown:
                print(format_github(shown, lang))
        print(text.split("\n\n", 2)[1] if "\n\n" in text else text)  # the verdict line
    else:
        print(text)
    return 1 if found.failed else 0
