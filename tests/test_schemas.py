"""The JSON Schemas in schemas/ (the machine-readable form of docs/ledger-format.md).

Checks that every schema is a valid Draft 2020-12 schema, documents itself in Chinese and
English, rejects unknown keys, accepts the example documents in tests/fixtures/valid/ and rejects
those in tests/fixtures/invalid_schema/ — with jsonschema (as the engine may), jsonschema-rs and
the check-jsonschema CLI.

Notes on check-jsonschema (0.39, read from its source `check_jsonschema/parsers/yaml.py` and
issue python-jsonschema/check-jsonschema#116):

- It loads YAML with ruamel.yaml and re-registers the `timestamp` tag as `str`, so unquoted dates
  (`2026-02-26`) arrive as the text exactly as written; no flag is needed for them. (This also
  means `2026-4-2` stays `2026-4-2` and fails the date pattern, as it should.) It converts
  mapping keys to strings too (`amounts: {1: 500}` → `{"1": 500}`). Files ending in .yaml are
  recognised as YAML, so `--default-filetype yaml` is not needed either.
- It resolves a relative `$ref` against the schema's `$id`, and only the main schema is
  registered, so `correction.schema.json` (whose `$ref: record.schema.json…` resolves to
  https://kpiledger.example/schemas/record.schema.json) would be *downloaded* and fails offline.
  `--base-uri file:///…/schemas/correction.schema.json` makes it resolve to the file beside it.
  (A relative --base-uri is joined twice and fails; give the absolute file URI.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from ruamel.yaml import YAML, SafeConstructor

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
VALID = ROOT / "tests" / "fixtures" / "valid"
INVALID = ROOT / "tests" / "fixtures" / "invalid_schema"
KINDS = ("org", "periods", "scheme", "record", "correction", "results", "resultsindex")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ID_BASE = "https://kpiledger.example/schemas/"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\s*$")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2}")
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"

# invalid fixture → JSON path of the error it must produce
EXPECTED_ERRORS = {
    "org-typo.yaml": "$.people[0]",
    "periods-month-id.yaml": "$.periods[0].id",
    "periods-bad-due.yaml": "$.periods[0].due",
    "scheme-two-methods.yaml": "$.items[0].linear",
    "scheme-bad-role.yaml": "$.items[0].by[1]",
    "scheme-bonus-weight.yaml": "$.items[0].weight",
    "scheme-ratio-no-zero.yaml": "$.items[0]",
    "scheme-bad-percent.yaml": "$.items[0].linear.target",
    "scheme-rule-two-conditions.yaml": "$.rules[0].when",
    "record-bad-date.yaml": "$.signatures.assessee",
    "record-data-no-source.yaml": "$",
    "record-with-correction.yaml": "$.correction",
    "correction-missing-block.yaml": "$",
    "correction-typo.yaml": "$",
    "results-number-total.json": "$.results[0].total",
}


class _TextTimestamps(SafeConstructor):
    """Unquoted dates and times stay text exactly as written, as the ledger loader reads them.

    (Converting `datetime.date` objects back with isoformat() would turn `2026-4-2` into
    `2026-04-02` and hide a malformed date, so the text is kept instead, as check-jsonschema
    does.)
    """


_TextTimestamps.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


def _normalise(data: Any) -> Any:
    """JSON-shaped data: mapping keys as strings (YAML `{1: 500}` → `{"1": 500}`)."""
    if isinstance(data, dict):
        return {str(k): _normalise(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalise(v) for v in data]
    return data


def load_document(path: Path) -> Any:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    yaml = YAML(typ="safe")
    yaml.Constructor = _TextTimestamps
    return _normalise(yaml.load(path.read_text(encoding="utf-8")))


def load_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))


def registry() -> Registry:
    resources = [Resource.from_contents(load_schema(kind)) for kind in KINDS]
    return Registry().with_resources((r.contents["$id"], r) for r in resources)


def schema_file_of(fixture: Path) -> Path:
    """The schema a fixture names in its modeline (results JSON: by file name)."""
    if fixture.suffix == ".json":
        return SCHEMAS / f"{fixture.name.split('-')[0].split('.')[0]}.schema.json"
    first = fixture.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{fixture.name}: first line must be the yaml-language-server modeline"
    target = (fixture.parent / match.group(1)).resolve()
    assert target.parent == SCHEMAS, f"{fixture.name}: modeline points outside schemas/"
    assert target.is_file(), f"{fixture.name}: {match.group(1)} does not exist"
    return target


def errors_of(fixture: Path) -> list[tuple[str, str]]:
    schema = json.loads(schema_file_of(fixture).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=registry())
    return [(e.json_path, e.message) for e in validator.iter_errors(load_document(fixture))]


def fixtures(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".json"))


# --------------------------------------------------------------------------- the schemas


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_2020_12(kind: str) -> None:
    schema = load_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == f"{ID_BASE}{kind}.schema.json"


CONDITIONAL = ("if", "then", "else", "not", "contains", "propertyNames", "allOf", "anyOf")


def _walk(node: Any, path: str, conditional: bool = False):
    """Yield (path, subschema, structural) for every subschema.

    Structural subschemas describe the document (editors show their title and description);
    conditional ones (`if`/`then`/`not`/…) only add constraints.
    """
    if not isinstance(node, dict):
        return
    yield path, node, not conditional
    for key, value in node.items():
        inner = conditional or key in CONDITIONAL
        if key in ("properties", "$defs"):
            for name, sub in value.items():
                yield from _walk(sub, f"{path}/{key}/{name}", conditional)
        elif key in ("allOf", "anyOf", "oneOf"):
            for i, sub in enumerate(value):
                yield from _walk(sub, f"{path}/{key}/{i}", inner)
        elif key in ("items", "additionalProperties", *CONDITIONAL):
            yield from _walk(value, f"{path}/{key}", inner)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_documents_itself_in_both_languages(kind: str) -> None:
    missing = []
    for path, node, structural in _walk(load_schema(kind), kind):
        if not structural or set(node) <= {"$ref"} or set(node) == {"not"}:
            continue
        for key in ("title", "description"):
            text = node.get(key, "")
            if " / " not in text or not CJK.search(text) or not LATIN.search(text):
                missing.append(f"{path}: {key} {text!r}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("kind", KINDS)
def test_objects_reject_unknown_keys(kind: str) -> None:
    loose = []
    for path, node, structural in _walk(load_schema(kind), kind):
        types = node.get("type", [])
        is_object = "object" in (types if isinstance(types, list) else [types])
        # `if`/`then` parts only add conditions; a $ref or allOf-$ref wrapper is checked at
        # its target
        wrapper = "$ref" in node or any("$ref" in sub for sub in node.get("allOf", []))
        if not structural or wrapper:
            continue
        if "properties" in node and node.get("additionalProperties") is not False:
            loose.append(path)  # typos would pass
        elif is_object and "additionalProperties" not in node:
            loose.append(path)  # a map must say what its values are
    # the only free-form object: a result item's raw inputs
    assert loose == (["results/$defs/item/properties/inputs"] if kind == "results" else [])


# --------------------------------------------------------------------------- the fixtures


def test_every_kind_has_a_valid_fixture() -> None:
    kinds = {schema_file_of(f).name.removesuffix(".schema.json") for f in fixtures(VALID)}
    assert kinds == set(KINDS)


def test_every_invalid_fixture_has_an_expectation() -> None:
    assert {f.name for f in fixtures(INVALID)} == set(EXPECTED_ERRORS)


@pytest.mark.parametrize("fixture", fixtures(VALID), ids=lambda p: p.name)
def test_valid_fixture(fixture: Path) -> None:
    assert errors_of(fixture) == []


@pytest.mark.parametrize("fixture", fixtures(INVALID), ids=lambda p: p.name)
def test_invalid_fixture(fixture: Path) -> None:
    errors = errors_of(fixture)
    assert errors, f"{fixture.name} should not validate"
    assert EXPECTED_ERRORS[fixture.name] in {path for path, _ in errors}, errors


def test_unquoted_dates_stay_text() -> None:
    doc = load_document(VALID / "periods.yaml")
    first = doc["periods"][0]
    assert (first["id"], first["start"], first["due"]) == (
        "2026-03",
        "2026-02-26",
        "2026-04-05 17:30",
    )
    assert load_document(INVALID / "record-bad-date.yaml")["signatures"]["assessee"] == "2026-4-2"


def test_jsonschema_rs_agrees() -> None:
    """The Rust validator (a project dependency) gives the same verdicts."""
    jsonschema_rs = pytest.importorskip("jsonschema_rs")
    rs_registry = jsonschema_rs.Registry(
        [(s["$id"], s) for s in (load_schema(kind) for kind in KINDS)]
    )
    for folder, expected in ((VALID, True), (INVALID, False)):
        for fixture in fixtures(folder):
            schema = json.loads(schema_file_of(fixture).read_text(encoding="utf-8"))
            validator = jsonschema_rs.validator_for(schema, registry=rs_registry)
            assert validator.is_valid(load_document(fixture)) is expected, fixture.name


# --------------------------------------------------------------------------- check-jsonschema


def run_check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    if not CHECK_JSONSCHEMA.exists():
        pytest.skip("check-jsonschema is not installed (pip install -e '.[dev]')")
    args = [str(CHECK_JSONSCHEMA), "--schemafile", str(schema.relative_to(ROOT))]
    if schema.name == "correction.schema.json":
        # see the module docstring: resolve `record.schema.json` beside it, not on the web
        args += ["--base-uri", schema.as_uri()]
    args += [str(f.relative_to(ROOT)) for f in files]
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("kind", KINDS)
def test_check_jsonschema_accepts_valid_fixtures(kind: str) -> None:
    schema = SCHEMAS / f"{kind}.schema.json"
    files = [f for f in fixtures(VALID) if schema_file_of(f) == schema]
    done = run_check_jsonschema(schema, files)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "name", ["scheme-two-methods.yaml", "record-bad-date.yaml", "correction-typo.yaml"]
)
def test_check_jsonschema_rejects_invalid_fixture(name: str) -> None:
    fixture = INVALID / name
    done = run_check_jsonschema(schema_file_of(fixture), [fixture])
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Schema validation errors were encountered" in done.stdout
