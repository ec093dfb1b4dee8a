"""The shape of the engine, as docs/architecture.md describes it: data flows down the layers
and never climbs back, no two modules import each other (directly or in a ring), no module
grows past ~400 lines, and no test reaches into a private name."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kpiledger"
TESTS = Path(__file__).resolve().parent

# Lowest first. A package may import its own layer and the layers below it, never above.
LAYERS: list[set[str]] = [
    {"numbers", "gc_tuning", "parallel", "diagnostics", "atomic", "keyed_cache"},
    {"load", "git"},
    {"model"},
    {"calendar", "forge"},
    {"check"},
    {"score"},
    {"rules"},
    {"evaluate"},
    {"pipeline"},
    {"publish"},
    {"site", "review", "authoring"},
    {"cli", "cli_calendar", "cli_publish", "cli_options", "__main__"},
]
LEVEL = {name: i for i, layer in enumerate(LAYERS) for name in layer}
MAX_LINES = 400
# The message catalogue is one table, kept whole so that every message is read side by side.
LONG_ALLOWED = {"diagnostics/codes.py"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The kpiledger modules a file imports (any depth: function-level imports count too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("kpiledger"):
                found.add(node.module)
                found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kpiledger"))
    return found


def _sources() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "templates" not in p.parts)


def test_every_package_has_a_layer() -> None:
    tops = {p.relative_to(SRC).parts[0].removesuffix(".py") for p in _sources()}
    assert tops - {"__init__"} <= set(LEVEL), sorted(tops - set(LEVEL) - {"__init__"})


def test_data_flows_down_the_layers() -> None:
    climbing = []
    for path in _sources():
        own = path.relative_to(SRC).parts[0].removesuffix(".py")
        if own == "__init__":
            continue
        for target in _imports(path):
            parts = target.split(".")
            top = parts[1] if len(parts) > 1 else ""
            if top in LEVEL and LEVEL[top] > LEVEL[own]:
                climbing.append(f"{path.relative_to(SRC)} imports {target}")
    assert climbing == []


def test_no_import_cycles() -> None:
    modules = {_module(p): p for p in _sources()}
    graph = {
        name: {t for t in _imports(path) if t in modules and t != name}
        for name, path in modules.items()
    }
    # a package's __init__ is imported by its own modules' imports: leave those edges out
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".")}
    seen: dict[str, int] = {}  # 1 on the stack, 2 done
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt):], nxt])
            elif nxt not in seen:
                visit(nxt, [*stack, nxt])
        seen[node] = 2

    for start in sorted(graph):
        if start not in seen:
            visit(start, [start])
    assert cycles == []


def test_modules_stay_small() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert set(long) <= LONG_ALLOWED, long


def test_tests_use_public_names_only() -> None:
    private = []
    for path in sorted(TESTS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kpiledger"):
                private += [f"{path.name}: {node.module}.{a.name}" for a in node.names
                            if a.name.startswith("_")]
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not (
                node.attr.startswith("__") and node.attr.endswith("__")
            ):
                base = node.value
                if isinstance(base, ast.Name) and base.id in _kpiledger_aliases(path):
                    private.append(f"{path.name}: {base.id}.{node.attr}")
    assert private == []


def _kpiledger_aliases(path: Path) -> set[str]:
    """Names a test binds to kpiledger modules (`from kpiledger.load import cache`)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kpiledger"):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names
                         if a.name.startswith("kpiledger"))
    return names
