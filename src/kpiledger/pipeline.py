"""The one entry point: open a ledger and evaluate it.

`load.layout.find_root` says which folder is the ledger. Every command that reads results
(`kpi score`, `kpi build`, `kpi export`, `kpi new`'s carry-over, `kpi verify`) and the MkDocs
plugin go through `evaluate`, so a ledger is always read, checked, dated from git and scored
the same way:

    open_ledger (load, schema, model, meaning) ──▶ diagnostics
         │
    git log ──▶ provenance ──▶ evaluate_ledger (score, rank, rules, carry-over, aggregates)
         │
         ▼
    Evaluation(root, ledger, diagnostics, results, provenance, in_git)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpiledger.check.ledger import check_ledger, open_ledger
from kpiledger.diagnostics import Diagnostic, has_errors
from kpiledger.git.acts import HistoryAt
from kpiledger.git.provenance import FileProvenance, file_provenance
from kpiledger.git.repo import locate
from kpiledger.model import Ledger, Scheme
from kpiledger.score.may_fail import formulas_may_fail

if TYPE_CHECKING:  # scoring imports pandas: `kpi check` loads it only when it scores
    from kpiledger.score.ledger import Results

    Scorer = Callable[[Ledger, Mapping[str, FileProvenance]], Results]


@dataclass(frozen=True)
class Evaluation:
    """A ledger read, checked and evaluated: what every output is made from."""

    root: Path
    """The ledger folder (holding org.yaml)."""
    ledger: Ledger
    """The typed model: org chart, calendar, schemes and the winning records."""
    diagnostics: tuple[Diagnostic, ...]
    """Every problem found while opening (load, schema, meaning), placed at line and column."""
    results: Results
    """Scores, ranks, events, warnings, aggregates; `results.notices` holds what evaluation
    itself has to say (lateness not measured, a due time that cannot be read)."""
    provenance: Mapping[str, FileProvenance]
    """Who added and last changed each ledger file and when it landed; empty outside git."""
    in_git: bool
    """Whether the ledger is inside a git repository (provenance may still be empty when the
    repository has no commit yet)."""
    history_at: HistoryAt | None = None
    """Where the history was read (repository, ledger folder, commit), for what else the
    outputs read from it: who signed and approved (`git.acts`). None outside git."""
    hashes: Mapping[str, str] = field(default_factory=dict, compare=False)
    """The SHA-256 of every file of the ledger when it was opened with the cache (what the
    manifest names), else empty."""

    @property
    def ok(self) -> bool:
        """No error among the opening diagnostics: the results are complete and publishable."""
        return not has_errors(self.diagnostics)

    @property
    def all_diagnostics(self) -> list[Diagnostic]:
        """Opening diagnostics followed by the evaluation's notices, as commands print them."""
        return [*self.diagnostics, *self.results.notices]


def evaluate(
    root: Path,
    *,
    use_cache: bool = True,
    provenance: Mapping[str, FileProvenance] | None = None,
    history_at: HistoryAt | None = None,
    scorer: Scorer | None = None,
) -> Evaluation:
    """Open the ledger at `root` and evaluate it. `provenance` and `history_at` replace the
    history read from the ledger's own repository (`kpi verify` passes the history up to a
    published commit); `scorer` replaces `evaluate.evaluate_ledger` (`kpi build` makes the
    site's document by period and scheme from a cache: `publish.partitions`)."""
    from kpiledger.evaluate import evaluate_ledger

    opened = open_ledger(root, use_cache=use_cache)
    history = file_provenance(root) if provenance is None else provenance
    if provenance is None and history_at is None:
        where = locate(root)
        history_at = HistoryAt(where.top, where.prefix) if where is not None else None
    results = (scorer or evaluate_ledger)(opened.ledger, history)
    return Evaluation(
        root=root,
        ledger=opened.ledger,
        diagnostics=tuple(opened.diagnostics),
        results=results,
        provenance=history,
        in_git=bool(history) or history_at is not None or locate(root) is not None,
        history_at=history_at,
        hashes=opened.hashes,
    )


def check(
    root: Path, only: list[str] | None = None, *, use_cache: bool = True
) -> list[Diagnostic]:
    """What `kpi check` reports: every problem opening finds, and the total and money formulas
    that fail while they run for someone (KPI503/KPI504) — those are found only by scoring,
    so the schemes whose formulas may fail (`score.may_fail`) are scored (without lateness:
    git is not read); a formula that cannot fail for any input the checker accepts is not."""
    return check_ledger(
        root, only, use_cache=use_cache, evaluate=formula_failures, evaluated=failing_schemes
    )


def failing_schemes(schemes: Mapping[str, Scheme]) -> frozenset[str]:
    """The schemes whose total or money formulas may fail for someone: only their records
    are scored by `kpi check`."""
    return frozenset(k for k, s in schemes.items() if formulas_may_fail(s))


def formula_failures(ledger: Ledger, wanted: frozenset[str] | None) -> list[Diagnostic]:
    """KPI503/KPI504 for the records in `wanted` (all when None)."""
    schemes = {k: s for k, s in ledger.schemes.items() if formulas_may_fail(s)}
    records = tuple(
        r for r in ledger.records
        if r.scheme in schemes and (wanted is None or r.file in wanted)
    )
    if not records:
        return []
    from kpiledger.score.failures import failure_diagnostics
    from kpiledger.score.ledger import score_ledger

    keys = {(r.period, r.scheme, r.assessee) for r in records}
    every = tuple(r for r in ledger.records if (r.period, r.scheme, r.assessee) in keys)
    part = Ledger(ledger.root, ledger.org, ledger.calendar, schemes, every)
    return failure_diagnostics(score_ledger(part).results, schemes, ledger.root)
