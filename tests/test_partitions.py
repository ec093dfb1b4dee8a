"""The site's results document by (period, scheme) from a cache keyed by content
(publish/partitions.py), against the whole ledger scored at once, on the example ledger in a
real git repository: the same JSON text and notices when made, when taken from the cache,
after a record changes (only its partition is made again) and when an entry is damaged."""

from __future__ import annotations

from pathlib import Path

from gitrepo import HR, Repo, make_repo

from kpiledger.keyed_cache import KeyedCache
from kpiledger.pipeline import Evaluation, evaluate
from kpiledger.publish.partitions import evaluate_document
from kpiledger.publish.results import document_to_bytes, draining_document


def whole(repo: Repo) -> tuple[bytes, Evaluation]:
    """The document as `kpi score` and `kpi build --no-cache` make it, and the evaluation."""
    evaluation = evaluate(repo.ledger, use_cache=False)
    scored = list(evaluation.results.results)
    return document_to_bytes(draining_document(evaluation.results, scored)), evaluation


def by_partition(evaluation: Evaluation, cache: KeyedCache) -> bytes:
    made = evaluate_document(evaluation.ledger, evaluation.provenance, cache)
    assert made.notices == evaluation.results.notices
    assert made.results == () and made.document is not None
    assert (made.events, made.warnings, made.aggregates) == (
        evaluation.results.events, evaluation.results.warnings, evaluation.results.aggregates)
    return document_to_bytes(made.document)


def entries(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*/*")}


def test_the_document_by_partition_is_the_whole_ledgers(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    want, evaluation = whole(repo)
    # the example spans periods: carry-over, events and aggregates are made from every view
    assert b'"pending": [\n        {' in want and evaluation.results.events
    assert evaluation.results.aggregates
    folder = tmp_path / "partitions"
    cache = KeyedCache(folder)
    assert by_partition(evaluation, cache) == want
    made = entries(folder)
    periods_schemes = {(r.period, r.scheme) for r in evaluation.results.results}
    assert len(made) == len(periods_schemes)

    again = KeyedCache(folder)
    assert by_partition(evaluation, again) == want
    assert again.used == set(made) and entries(folder) == made  # all taken, none made again

    # a record changes: its partition alone is made again; the stale entry is pruned
    record = repo.ledger / "2026-01" / "cs-team-1" / "E1101.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("work: 9", "work: 7", 1),
                      encoding="utf-8")
    repo.commit(HR, "改一条记录")
    before = want
    want, evaluation = whole(repo)
    assert want != before
    after = KeyedCache(folder)
    assert by_partition(evaluation, after) == want
    assert len(set(entries(folder)) - set(made)) == 1
    assert after.prune() == 1 and len(entries(folder)) == len(periods_schemes)


def test_a_damaged_entry_is_made_again(tmp_path: Path) -> None:
    repo = make_repo(tmp_path)
    want, evaluation = whole(repo)
    folder = tmp_path / "partitions"
    by_partition(evaluation, KeyedCache(folder))
    paths = sorted(folder.glob("*/*"))
    paths[0].write_bytes(paths[0].read_bytes()[:-7])  # cut short
    paths[1].write_bytes(b"\0\0\0\0" + paths[1].read_bytes()[4:])  # its check fails
    cache = KeyedCache(folder)
    assert by_partition(evaluation, cache) == want
    assert cache.used == {p.name for p in paths}  # both written again
    assert by_partition(evaluation, KeyedCache(folder)) == want
