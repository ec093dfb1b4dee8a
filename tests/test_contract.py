"""One contract (issue 13): whatever `kpi check` accepts, every later command processes without
an exception. Hypothesis writes ledgers with extreme numbers (up to the schemas' ±10^12, many
decimals), formulas fed by them (文档14's GS bonus, its parameters changed too) and dates; for
each one `kpi check` accepts, score (JSON valid against schemas/results.schema.json, whole and
by period with its index valid against schemas/resultsindex.schema.json; CSV, table), a real
MkDocs build and `kpi review` of a real git branch must all finish. Examples are few: each
builds a site."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import jsonschema
from gitrepo import HR, Repo
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from site_ledger import build_site, write_config
from test_golden import LEDGER, REPO, rec

from kpiledger.diagnostics import has_errors
from kpiledger.keyed_cache import KeyedCache
from kpiledger.pipeline import check, evaluate
from kpiledger.publish.partitions import evaluate_document
from kpiledger.publish.results import (
    document_to_json,
    draining_document,
    results_to_csv,
    results_to_json,
    results_to_table,
)
from kpiledger.publish.results_stream import document_parts
from kpiledger.publish.shards import period_documents, read_shards, write_shards
from kpiledger.review.report import render
from kpiledger.review.run import review

BIG = 10**12
SCHEMA = json.loads((REPO / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
INDEX = json.loads((REPO / "schemas" / "resultsindex.schema.json").read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def _text(d: Decimal) -> str:
    return format(d, "f")


counts = st.one_of(st.integers(0, 3), st.integers(0, BIG), st.just(BIG))
amounts = st.one_of(
    st.integers(-BIG, BIG).map(str),
    st.decimals(-BIG, BIG, places=2, allow_nan=False, allow_infinity=False).map(_text),
    st.decimals(-1, 1, places=12, allow_nan=False, allow_infinity=False).map(_text),
)
percents = st.decimals(0, 1000, places=3, allow_nan=False, allow_infinity=False).map(
    lambda d: _text(d) + "%"
)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat)
person = st.fixed_dictionaries({
    "work_days": counts.map(str), "phone": counts.map(str), "chat": counts.map(str),
    "email": counts.map(str), "forum": counts.map(str), "qc": percents,
    "contribution": amounts, "other": amounts,
})
params = st.fixed_dictionaries({
    "base_bonus": amounts, "daily_target": amounts, "qc_multiplier": amounts, "w_email": amounts,
})


def _ledger(root: Path, scheme_params: dict[str, str]) -> None:
    (root / "schemes").mkdir(parents=True)
    for name in ("org.yaml", "periods.yaml"):
        shutil.copy(LEDGER / name, root / name)
    shutil.copytree(LEDGER / "org", root / "org")
    scheme = (LEDGER / "schemes" / "gs-bonus.yaml").read_text(encoding="utf-8")
    lines = []
    for line in scheme.splitlines():
        key = line.strip().split(":", 1)[0]
        if line.startswith("  ") and not line.startswith("   ") and key in scheme_params:
            line = f"  {key}: {scheme_params[key]}"
        lines.append(line)
    (root / "schemes" / "gs-bonus.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@settings(max_examples=6, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(params=params, people=st.lists(person, min_size=1, max_size=3), signed=dates)
def test_what_check_accepts_every_command_processes(
    params: dict[str, str], people: list[dict[str, str]], signed: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Repo(Path(tmp) / "repo")
        repo.path.mkdir()
        _ledger(repo.ledger, params)
        repo.git("init", "-q", "-b", "main")
        repo.commit(HR, "账本")
        repo.branch("change")
        for who, items in zip(("E1301", "E1302", "E1303"), people, strict=False):
            rel, text = rec("2026-05", "gs-bonus", "cs-gs", who, "superior", "E1300", items)
            repo.write(rel, text + f"signatures: {{assessor: {signed}}}\n")
        repo.commit(HR, "记录")

        diagnostics = check(repo.ledger, use_cache=False)
        assume(not has_errors(diagnostics))

        evaluation = evaluate(repo.ledger, use_cache=False)
        text = results_to_json(evaluation.results)
        assert "".join(document_parts(evaluation.results)) == text  # kpi score's stream
        # the site's document: the same text, its items and records held compressed
        scored = list(evaluation.results.results)
        assert document_to_json(draining_document(evaluation.results, scored)) == text
        # `kpi build`'s: by period and scheme, made and then taken from the cache, with the
        # same notices (formulas that fail for someone among them)
        parts = KeyedCache(Path(tmp) / "partitions")
        for _ in range(2):
            made = evaluate_document(evaluation.ledger, evaluation.provenance, parts)
            assert made.document is not None and document_to_json(made.document) == text
            assert made.notices == evaluation.results.notices
        assert scored == [None] * len(scored)
        document = json.loads(text)
        jsonschema.validate(document, SCHEMA)
        assert len(document["results"]) == len(people)
        # the same results by period: an index and one document per period, each valid
        index = write_shards(Path(tmp) / "by-period", period_documents(evaluation.results),
                             compress=True)
        jsonschema.validate(index, INDEX)
        rows = []
        for entry, shard in read_shards(Path(tmp) / "by-period"):
            jsonschema.validate(shard, SCHEMA)
            assert shard["period"] == entry["period"]
            rows += shard["results"]
        assert rows == document["results"]
        results_to_csv(evaluation.results)
        results_to_table(evaluation.results)
        for r in document["results"]:  # a missing total or amount always says why
            if r["total"] is None or len(r["money"]) < 4:
                assert r.get("failures"), r

        built = build_site(write_config(repo.path))
        assert built.returncode == 0, built.stderr[-2000:]

        found = review(repo.ledger, "main", None, now=NOW)
        assert render(found)


def test_ranking_compares_totals_of_any_size_exactly() -> None:
    """Band points of 1e300 made total × 10^precision overflow int64 in ranking (a traceback in
    score, build and review); totals are now compared as Decimals."""
    from kpiledger.score.rank import rank_groups

    huge, bigger = Decimal("1e300"), Decimal("2e300")
    rows = [("2026-03", "s", "g", huge, 2), ("2026-03", "s", "g", bigger, 2),
            ("2026-03", "s", "g", huge, 2), ("2026-03", "s", "g", None, 2)]
    assert rank_groups(rows) == [(2, 3), (1, 3), (2, 3), (None, 3)]
