"""The synthetic-ledger generator (scripts/make_synthetic_ledger.py) writes a parseable ledger."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_synthetic_ledger.py"
PEOPLE, MONTHS = 20, 3


def generate(out: Path, seed: int = 1) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), str(out), "--people", str(PEOPLE), "--months",
         str(MONTHS), "--seed", str(seed)],
        check=True, capture_output=True,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_synthetic_ledger(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a)
    files = snapshot(a)
    unit_files = [rel for rel in files if rel.startswith("org/")]
    assert len(files) == 3 + len(unit_files) + PEOPLE * MONTHS
    assert {"org.yaml", "periods.yaml", "schemes/cs-agent.yaml"} <= files.keys()

    yaml = YAML(typ="safe")
    docs = {}
    for rel, data in files.items():
        text = data.decode("utf-8")
        assert text.startswith("# yaml-language-server: $schema="), rel
        depth = rel.count("/")
        assert text.splitlines()[0].split("=", 1)[1].startswith("../" * (depth + 1) + "schemas/")
        docs[rel] = yaml.load(text)

    org = docs["org.yaml"]
    assert "people" not in org and "units" not in org  # the split shape: one file per unit
    for rel in unit_files:
        assert rel == f"org/{docs[rel]['unit']['id']}.yaml"
        assert {p["unit"] for p in docs[rel].get("people", [])} <= {docs[rel]["unit"]["id"]}
    people = [p for rel in unit_files for p in docs[rel].get("people", [])]
    agents = {p["id"]: p for p in people if p["title"] == "客服专员"}
    assert len(agents) == PEOPLE
    periods = [p["id"] for p in docs["periods.yaml"]["periods"]]
    assert periods == ["2025-01", "2025-02", "2025-03"]

    seen = set()
    for rel, doc in docs.items():
        parts = rel.split("/")
        if len(parts) != 3 or parts[0] == "schemes":
            continue
        period, unit, name = parts
        assert str(doc["period"]) == period
        assert doc["unit"] == unit
        assert name == f"{doc['assessee']}.yaml"
        assert agents[doc["assessee"]]["unit"] == unit
        assert doc["author"] == agents[doc["assessee"]]["assessor"]
        assert doc["scheme"] == "cs-agent" and doc["role"] == "superior"
        seen.add((period, doc["assessee"]))
    assert len(seen) == PEOPLE * MONTHS

    generate(b)
    assert snapshot(b) == files
