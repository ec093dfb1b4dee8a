"""Schema validation of loaded documents against the JSON Schemas in `schemas/`.

Two validators, each for what it is best at: jsonschema-rs (compiled, ~10 µs a record) says
whether a document is valid; the reference `jsonschema` package explains the few that are not,
with the keyword and value behind each error, which we turn into Chinese and English messages.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from kpiledger.diagnostics import Diagnostic, d

if TYPE_CHECKING:  # the reference validator is imported only when a file is invalid
    import jsonschema
    from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
KINDS = ("org", "orgunit", "periods", "scheme", "record", "correction", "appeal", "decision",
         "results", "followup", "bulletin")

_TYPE_NAMES = {
    "string": ("文字", "text"),
    "integer": ("整数", "a whole number"),
    "number": ("数字", "a number"),
    "boolean": ("true 或 false", "true or false"),
    "object": ("映射（键: 值）", "a mapping (key: value)"),
    "array": ("列表", "a list"),
    "null": ("空值", "null"),
}


# What each pattern of our schemas means, in words a user can act on.
SHAPES: dict[str, tuple[str, str]] = {
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": ("日期，如 2026-04-02", "a date such as 2026-04-02"),
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?)?$": (
        "日期或日期时间，如 2026-04-05 或 2026-04-05 17:30",
        "a date or date and time such as 2026-04-05 17:30",
    ),
    "^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$": (
        "考核期编号，如 2026-03、2026-Q1 或 2026",
        "a period id such as 2026-03, 2026-Q1 or 2026",
    ),
    "^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?\\.json(\\.gz)?$": (
        "一期结果的文件名，如 2026-03.json 或 2026-03.json.gz",
        "a period's results file name such as 2026-03.json or 2026-03.json.gz",
    ),
    "^[0-9a-f]{64}$": ("SHA-256：64 位小写十六进制", "a SHA-256: 64 lowercase hex digits"),
    "^([01][0-9]|2[0-3]):[0-5][0-9]$": ("时刻 HH:MM，如 17:30（须加引号）",
                                       "a time HH:MM such as 17:30 (quoted)"),
    "^[0-9]{4}-(0[1-9]|1[0-2])$": ("月度考核期编号，如 2026-03", "a month such as 2026-03"),
    "^[0-9]{4}-Q[1-4]$": ("季度考核期编号，如 2026-Q1", "a quarter such as 2026-Q1"),
    "^[0-9]{4}$": ("年度考核期编号，如 2026（请加引号）", 'a year such as "2026"'),
    "^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com|"
    "sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/=]+( [^\\n]*)?$": (
        "SSH 公钥（.pub 文件的一行，如 ssh-ed25519 AAAA… 姓名）",
        "an SSH public key (the line of a .pub file, e.g. ssh-ed25519 AAAA… name)",
    ),
    "^[A-Za-z0-9][A-Za-z0-9_-]*$": (
        "编号：字母或数字开头，只含字母、数字、- 和 _（如 E1001、cs-team-1）",
        "an id: letters, digits, - and _, starting with a letter or digit (E1001, cs-team-1)",
    ),
    "^[A-Za-z_][A-Za-z0-9_]*$": (
        "可在公式中使用的名称：字母或 _ 开头，只含字母、数字和 _",
        "a name usable in formulas: letters, digits and _, not starting with a digit",
    ),
    "^-?[0-9]+(\\.[0-9]+)?%$": (
        "带 % 的百分数，如 92% 或 97.5%",
        "a percentage such as 92% or 97.5%",
    ),
    "^-?[0-9]+(\\.[0-9]+)?$": ("十进制数字，如 87.50", "a decimal number such as 87.50"),
    "^[1-9][0-9]*$": ("名次，如 1、2、3", "a place such as 1, 2, 3"),
    "^(self|superior|group|data)$": (
        "角色 self、superior、group 或 data",
        "a role: self, superior, group or data",
    ),
    "[<>=≥≤]": ("比较条件，如 X ≥ 75%", "a comparison such as X ≥ 75%"),
    "^skip$": ("数字或 skip", "a number or skip"),
    "\\S": ("不能为空的文字", "text that is not blank"),
    "^[^/].*\\.correction-[1-9][0-9]*\\.yaml$": (
        "更正记录的路径（相对账本），如 2026-05/cs-team-1/E1101.correction-1.yaml",
        "a correction's path in the ledger, e.g. 2026-05/cs-team-1/E1101.correction-1.yaml",
    ),
    "^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$": (
        "时区名称，如 Asia/Shanghai",
        "a time zone such as Asia/Shanghai",
    ),
}


# Fields the schemas forbid in some places, and what to do instead.
_NOT_HERE: dict[str, tuple[str, str]] = {
    "correction": (
        "更正记录要另存为 <原文件名>.correction-<n>.yaml，原记录保持不变",
        "a correction is its own file, <name>.correction-<n>.yaml, beside the unchanged original",
    ),
}


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


@cache
def _raw_schemas() -> dict[str, dict[str, Any]]:
    return {
        kind: json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))
        for kind in KINDS
        if (SCHEMA_DIR / f"{kind}.schema.json").exists()
    }


@cache
def _fast(kind: str) -> Any:
    schemas = _raw_schemas()
    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.values() if "$id" in s])
    return jsonschema_rs.Draft202012Validator(schemas[kind], registry=registry)


@cache
def _slow(kind: str) -> jsonschema.Draft202012Validator:
    import jsonschema
    from referencing import Registry, Resource

    schemas = _raw_schemas()
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values() if "$id" in s
    )
    return jsonschema.Draft202012Validator(schemas[kind], registry=registry)


def validate(kind: str, doc: Any, file: str) -> list[Diagnostic]:
    """Every schema problem of `doc`, each at the JSON path it concerns."""
    if _fast(kind).is_valid(doc):
        return []
    # once each: a part of the schema reached several ways (allOf with $ref, then
    # unevaluatedProperties) reports the same missing field once per way
    found: dict[tuple[str, tuple, bool, str], Diagnostic] = {}
    for error in _slow(kind).iter_errors(doc):
        for x in _explain(error, file):
            found.setdefault((x.code, x.path, x.at_key, repr(sorted(x.args.items()))), x)
    return list(found.values())


def _split_title(schema: Any) -> tuple[str, str]:
    title = schema.get("title", "") if isinstance(schema, dict) else ""
    zh, _, en = str(title).partition(" / ")
    return zh, en or zh


def _explain(error: ValidationError, file: str) -> list[Diagnostic]:
    path = tuple(error.absolute_path)
    keyword = error.validator
    value = error.validator_value
    instance = error.instance
    if keyword in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        return _explain(best_match(error.context), file)
    if keyword == "required":
        present = instance if isinstance(instance, dict) else {}
        return [d(file, "KPI201", path, name=name) for name in value if name not in present]
    if keyword in ("additionalProperties", "unevaluatedProperties") and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        extras = [k for k in instance if k not in known]
        out = []
        for name in extras:
            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f"（是否想写“{close[0]}”？）" if close else ""
            out.append(d(file, "KPI202", (*path, name), at_key=True, name=name, hint=hint))
        return out
    if keyword == "type" and instance is None and len(path) >= 2 and path[0] == "items":
        # an item left empty, as `kpi new` leaves them: say which one is still to fill in
        part = str(path[2]) if len(path) > 2 else ""
        zh = {"numerator": "的分子", "denominator": "的分母"}.get(part, part and f"的 {part}")
        en = part and f" ({part})"
        return [d(file, "KPI601", path, item=path[1], part_zh=zh, part_en=en)]
    if keyword == "type":
        expected = value if isinstance(value, list) else [value]
        actual = _type_of(instance)
        zh = "或".join(_TYPE_NAMES[t][0] for t in expected if t in _TYPE_NAMES)
        en = " or ".join(_TYPE_NAMES[t][1] for t in expected if t in _TYPE_NAMES)
        a_zh, a_en = _TYPE_NAMES[actual]
        if "string" in expected and actual in ("integer", "number"):
            # YAML has already read 01001 as 1001, so the hint quotes what was written, not it
            a_zh += f' {instance}（编号、年份等文字请照原样加引号，如 "01001"、"2026"）'
            a_en += f' {instance} (quote ids and years exactly as written: "01001", "2026")'
        return [
            d(file, "KPI203", path, expected_zh=zh, expected_en=en, actual_zh=a_zh, actual_en=a_en)
        ]
    if keyword in ("enum", "const"):
        allowed = value if isinstance(value, list) else [value]
        return [d(file, "KPI204", path, value=instance, allowed="、".join(str(a) for a in allowed))]
    if keyword in ("pattern", "format"):
        shape = SHAPES.get(str(value))
        if shape is None:
            zh, en = _split_title(error.schema)
            shape = (
                f"{zh}的格式（{value}）" if zh else f"格式 {value}",
                f"a valid {en} ({value})" if en else f"of the form {value}",
            )
        return [d(file, "KPI205", path, value=instance, what_zh=shape[0], what_en=shape[1])]
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
        bound = f"应 {sign[keyword]} {value}"
        return [
            d(
                file,
                "KPI206",
                path,
                value=instance,
                bound_zh=bound,
                bound_en=f"must be {sign[keyword]} {value}",
            )
        ]
    if keyword == "not" and path:
        # `{"not": {}}` marks a field that conflicts with another one already given
        why_zh, why_en = _NOT_HERE.get(
            str(path[-1]),
            (
                "与同级的其他字段冲突，或此处不适用",
                "it conflicts with another field, or does not apply",
            ),
        )
        return [d(file, "KPI209", path, at_key=True, name=path[-1], why_zh=why_zh, why_en=why_en)]
    if keyword in (
        "minItems",
        "maxItems",
        "minLength",
        "maxLength",
        "minProperties",
        "maxProperties",
    ):
        what = {
            "minItems": ("至少 {} 项", "at least {} entries"),
            "maxItems": ("至多 {} 项", "at most {} entries"),
            "minLength": ("至少 {} 个字符", "at least {} characters"),
            "maxLength": ("至多 {} 个字符", "at most {} characters"),
            "minProperties": ("至少 {} 个字段", "at least {} fields"),
            "maxProperties": ("至多 {} 个字段", "at most {} fields"),
        }[keyword]
        return [
            d(
                file,
                "KPI207",
                path,
                detail_zh=what[0].format(value),
                detail_en=what[1].format(value),
            )
        ]
    return [d(file, "KPI208", path, detail=error.message)]
