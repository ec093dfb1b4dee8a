"""What the site's submission pages are made of (authoring.submit_data): the missing records
of an open period by unit, their controls, and the unit's Excel sheet, the same bytes at
every build (the site is deterministic: `kpi verify` rebuilds and compares)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from authoring_helpers import copy_ledger

from kpiledger.authoring.submit_data import blanks, unit_workbook
from kpiledger.check.ledger import open_ledger
from kpiledger.forge.forges import FORGES, from_url


def test_missing_records_by_unit_with_their_controls(tmp_path: Path) -> None:
    ledger = open_ledger(copy_ledger(tmp_path, july=False)).ledger
    found = blanks(ledger, "2026-05")
    # the example's 2026-05 still lacks GS组's three assessor records (kpi status says so)
    assert [b.assessee for b in found["cs-gs"]] == ["E1301", "E1302", "E1303"]
    assert "cs-team-1" not in found  # every record of it is in
    first = found["cs-gs"][0]
    assert first.rel == "2026-05/cs-gs/E1301.yaml" and first.author == "E1300"
    kinds = {c.id: c.input for c in first.controls}
    assert kinds["work_days"] == "count" and kinds["qc"] == "percent"
    levels = found["product"][0].controls[0]
    assert [o["yaml"] for o in levels.options] == ["10", "8", "6", "4", "0"]
    assert blanks(ledger, "2026-01") == {}  # closed: nothing to submit


def test_a_form_carries_the_repository_schema_path_wherever_it_is_built(tmp_path: Path) -> None:
    """A ledger kept without `schemas/` beside it: `kpi new` points at this machine's
    package, the site points where `kpi init` puts the schemas (so `kpi verify`, rebuilding
    in another folder, gets the same page)."""
    root = copy_ledger(tmp_path / "deep" / "er", july=False)
    shutil.rmtree(root.parent / "schemas")
    first = blanks(open_ledger(root).ledger, "2026-05")["cs-gs"][0]
    assert first.text.splitlines()[0] == (
        "# yaml-language-server: $schema=../../../schemas/record.schema.json")
    assert str(tmp_path) not in first.text


def test_the_units_sheet_is_the_same_bytes_at_every_build(tmp_path: Path) -> None:
    ledger = open_ledger(copy_ledger(tmp_path, july=False)).ledger
    unit = blanks(ledger, "2026-05")["cs-gs"]
    first = unit_workbook(ledger, "2026-05", unit)
    time.sleep(2.1)  # zip times count in 2 s steps; openpyxl stamps the time of saving
    assert unit_workbook(ledger, "2026-05", unit) == first


def test_the_forge_of_a_repository_url() -> None:
    assert from_url("https://github.com/acme/kpi") == "github"
    assert from_url("https://gitlab.example.com/acme/kpi") == "gitlab"
    assert from_url("https://codeberg.org/acme/kpi") == "gitea"
    assert from_url("https://git.example.com/acme/kpi") is None
    assert from_url(None) is None
    new = FORGES["gitlab"].new_file.format(repo="https://gitlab.com/a/b", branch="main")
    assert new == "https://gitlab.com/a/b/-/new/main?file_name={path}&content={value}"
