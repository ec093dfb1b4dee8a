"""The safe loader: what it accepts, what it refuses, and where it says the problem is."""

from __future__ import annotations

import datetime

import pytest

from kpiledger.load.yaml_loader import MAX_BYTES, MAX_DEPTH, MAX_NODES, load


def one(text: str | bytes) -> tuple[str, int, int]:
    data = text.encode() if isinstance(text, str) else text
    doc, problems = load(data, "f.yaml")
    assert doc is None and len(problems) == 1, (doc, problems)
    p = problems[0]
    return p.code, p.line or 0, p.column or 0


def test_plain_data_and_core_schema() -> None:
    doc, problems = load(
        b"a: 2026-03-01\nb: yes\nc: 0.1\nd: 2026\ne: .inf\nf: ~\ng: true\nh: '07'\ni: 0x1F\n"
        b"j: 2026-04-05 17:30\nk: 92%\n",
        "f.yaml",
    )
    assert problems == []
    assert doc == {
        "a": "2026-03-01",  # dates stay text, exactly as written
        "b": "yes",  # YAML 1.2: not a boolean
        "c": 0.1,
        "d": 2026,
        "e": ".inf",
        "f": None,
        "g": True,
        "h": "07",
        "i": 31,
        "j": "2026-04-05 17:30",
        "k": "92%",
    }


def test_bom_and_chinese_text() -> None:
    doc, problems = load("\ufeff名字: 张三\n".encode(), "f.yaml")
    assert problems == [] and doc == {"名字": "张三"}


def test_keys_are_always_text() -> None:
    doc, _ = load(b"2026: a\ntrue: b\n", "f.yaml")
    assert doc == {"2026": "a", "true": "b"}


def test_aliases_within_bounds_are_fine() -> None:
    doc, problems = load(b"a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert problems == [] and doc == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", ("KPI105", 3, 1)),
        ("a: !foo 1\n", ("KPI106", 1, 4)),
        ("a: !!python/object:os.system 1\n", ("KPI106", 1, 4)),
        ("a: !!binary aGVsbG8=\n", ("KPI106", 1, 4)),
        ("a: [1, 2\nb: 3\n", ("KPI103", 2, 2)),
        ("a:\n\tb: 1\n", ("KPI104", 2, 1)),
        ("a: 1\n---\nb: 2\n", ("KPI108", 2, 1)),
        ("", ("KPI109", 1, 1)),
        ("# only a comment\n", ("KPI109", 1, 1)),
        ("? [a, b]\n: 1\n", ("KPI110", 1, 3)),
        ("base: &b {x: 1}\nother:\n  <<: *b\n", ("KPI111", 3, 3)),
        ("a: !!int abc\n", ("KPI106", 1, 4)),
    ],
)
def test_refusals_point_at_the_line(text: str, expected: tuple[str, int, int]) -> None:
    assert one(text) == expected


def test_invalid_utf8_names_the_byte() -> None:
    code, line, column = one(b"a: 1\nb: \xff\xfe\n")
    assert (code, line, column) == ("KPI102", 2, 4)


def test_too_large() -> None:
    assert one(b"a: " + b"x" * MAX_BYTES)[0] == "KPI101"


def test_alias_bomb_is_bounded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    code, _, _ = one("\n".join(lines) + "\n")
    assert code == "KPI107"
    assert MAX_NODES < 10**9  # the bomb would have expanded to 10^9 nodes


def test_deep_nesting_is_refused_without_crashing() -> None:
    assert one("[" * 200_000 + "]" * 200_000)[0] == "KPI113"
    assert one("- " * 5000 + "x\n")[0] == "KPI113"
    _, problems = load(("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode(), "f.yaml")
    assert problems == []


def test_syntax_errors_read_in_chinese() -> None:
    _, problems = load(b"a: b: c\n", "f.yaml")
    assert problems[0].code == "KPI103" and "键: 值" in problems[0].message("zh")
    assert "mapping values" in problems[0].message("en")
    _, problems = load(b'a: "x\n', "f.yaml")
    assert "引号或括号没有闭合" in problems[0].message("zh")


def test_light_nodes_are_in_use_and_keep_positions() -> None:
    """The pinned ruamel.yaml.clib composes our light nodes (the fast path is really taken),
    and they carry what diagnostics need: tags, styles and marks."""
    from kpiledger.load.positions import locate
    from kpiledger.load.yaml_loader import compose
    from kpiledger.load.yaml_nodes import LIGHT_NODES

    assert LIGHT_NODES
    root = compose("a:\n  - 'x'\n  - {b: 1}\n", "f.yaml")
    assert root is not None and type(root).__name__ == "_Mapping"
    items = root.value[0][1]
    assert [type(n).__name__ for n in items.value] == ["_Scalar", "_Mapping"]
    assert items.value[0].style == "'" and items.value[0].tag == "tag:yaml.org,2002:str"
    assert locate("a:\n  - 'x'\n  - {b: 1}\n", ("a", 1, "b")) == (3, 9)  # the value 1


def test_duplicate_key_names_the_first() -> None:
    doc, problems = load(b"a: 1\nb: 2\na: 3\n", "f.yaml")
    assert doc is None and problems[0].code == "KPI105"
    assert (problems[0].line, problems[0].column) == (3, 1)
    assert problems[0].args["first_line"] == 1


def test_ruamel_own_c_loader_still_reads_with_light_nodes() -> None:
    """The light nodes replace ruamel's in its compiled composer only while our loader composes:
    its own safe loader (the workflow tests read YAML with it) reads the same as ever, before
    and after."""
    from ruamel.yaml import YAML

    import kpiledger.load.yaml_nodes  # noqa: F401 (the patch is made on import)

    text = "on: [push]\na: !!str 1\nb: {c: 2026-03-01}\nd: &x [1]\ne: *x\n"
    expected = {"on": ["push"], "a": "1", "b": {"c": datetime.date(2026, 3, 1)}, "d": [1],
                "e": [1]}
    assert YAML(typ="safe").load(text) == expected
    assert load(text.encode(), "f.yaml")[0] is not None  # ours, in between
    assert YAML(typ="safe").load(text) == expected
