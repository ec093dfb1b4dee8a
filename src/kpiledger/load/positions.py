"""Line and column of a JSON path inside a YAML file, for diagnostics.

Only files that have something to report come here, so the extra parse is paid per problem
file, never per ledger.
"""

from __future__ import annotations

from collections.abc import Iterable

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from kpiledger.diagnostics import Diagnostic, Path
from kpiledger.load.yaml_loader import LoadError, compose


def _walk(root: Node, path: Path, at_key: bool) -> Node:
    """The node at `path` (or the deepest one that exists); the key node when `at_key`."""
    node = root
    for i, step in enumerate(path):
        last = i == len(path) - 1
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(step):
                    node = key_node if (last and at_key) else value_node
                    break
            else:
                return node
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            return node
    return node


def locate(text: str, path: Path, at_key: bool = False) -> tuple[int, int]:
    """1-based (line, column) of `path` in the YAML `text`; (1, 1) if it cannot be parsed."""
    try:
        root = compose(text, "")
    except LoadError:
        return 1, 1
    if root is None:
        return 1, 1
    mark = _walk(root, path, at_key).start_mark
    return mark.line + 1, mark.column + 1


def place(diagnostics: Iterable[Diagnostic], texts: dict[str, str]) -> list[Diagnostic]:
    """Fill in line and column from paths, composing each problem file once."""
    roots: dict[str, Node | None] = {}
    placed = []
    for x in diagnostics:
        if x.line is None and x.file in texts:
            if x.file not in roots:
                try:
                    roots[x.file] = compose(texts[x.file], x.file)
                except LoadError:
                    roots[x.file] = None
            root = roots[x.file]
            if root is None:
                x = x.at(1, 1)
            else:
                mark = _walk(root, x.path, x.at_key).start_mark
                x = x.at(mark.line + 1, mark.column + 1)
        placed.append(x)
    return sorted(placed, key=Diagnostic.sort_key)
