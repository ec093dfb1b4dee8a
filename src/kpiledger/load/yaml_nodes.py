"""libyaml's composer (ruamel.yaml's C parser) with our resolver and light node classes:
the node tree of a YAML text with positions, nothing constructed (`load.yaml_loader` builds
plain data from it). Only the YAML 1.2 core schema is resolved."""

from __future__ import annotations

import re
import sys
from typing import Any

from ruamel.yaml.cyaml import CParser
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver
from ruamel.yaml.tag import Tag

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
CORE_TAGS = {STR, INT, FLOAT, BOOL, NULL, SEQ, MAP}

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# Characters a plain scalar must start with to be anything but text: a cheap first test.
_NON_TEXT_START = set("0123456789+-.~ntfNTF")


def resolve_plain(value: str) -> str:
    """The YAML 1.2 core schema's tag for a plain scalar (dates and .inf/.nan stay text)."""
    if not value:
        return NULL
    if value[0] not in _NON_TEXT_START:
        return STR
    if value in _NULLS:
        return NULL
    if value in BOOLS:
        return BOOL
    if _INT.fullmatch(value):
        return INT
    if _FLOAT.fullmatch(value) and any(c.isdigit() for c in value):
        return FLOAT
    return STR


_TAGS: dict[str, Tag] = {}  # one Tag object per tag text: nodes only read them
_RESOLVED: dict[str, str] = {}  # plain scalar → its tag, for the texts records repeat


def _tag_object(tag: str) -> Tag:
    found = _TAGS.get(tag)
    if found is None:
        found = Tag(suffix=tag)
        if len(_TAGS) < 64:  # the core tags; a file's own `!tags` are not kept
            _TAGS[tag] = found
    return found


# ruamel's node classes do per-node work we never need (a new Tag object, comment and anchor
# bookkeeping): half of the time of loading a record. These are the same classes (every
# isinstance test holds) with only that work left out.
class _Scalar(ScalarNode):
    __slots__ = ()

    def __init__(self, tag: str, value: str, start_mark: Any = None, end_mark: Any = None,
                 style: Any = None, comment: Any = None, anchor: Any = None) -> None:
        self.ctag = _TAGS[tag] if tag in _TAGS else _tag_object(tag)
        self.value = value
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.style = style
        self.comment = comment
        self.anchor = anchor


class _Sequence(SequenceNode):
    __slots__ = ()

    def __init__(self, tag: str, value: list[Node], start_mark: Any = None,
                 end_mark: Any = None, flow_style: Any = None, comment: Any = None,
                 anchor: Any = None) -> None:
        self.ctag = _tag_object(tag)
        self.value = value
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.flow_style = flow_style
        self.comment = comment
        self.anchor = anchor


class _Mapping(MappingNode):
    __slots__ = ()
    __init__ = _Sequence.__init__  # type: ignore[assignment]


_COMPILED = sys.modules.get(CParser.__module__)  # the compiled `_ruamel_yaml`
_LIGHT = {"ScalarNode": _Scalar, "SequenceNode": _Sequence, "MappingNode": _Mapping}
_OWN = {name: getattr(_COMPILED, name, None) for name in _LIGHT}
# A clib without these names keeps ruamel's own nodes: slower, and the same.
LIGHT_NODES = _COMPILED is not None and None not in _OWN.values()
_SCALAR_KINDS = frozenset({ScalarNode, _Scalar})


def _swap(classes: dict[str, Any]) -> None:
    for name, cls in classes.items():
        setattr(_COMPILED, name, cls)


class Composer(CParser, BaseResolver):  # type: ignore[misc]
    """libyaml's composer with our resolver: node tree with positions, nothing constructed."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        BaseResolver.__init__(self)

    def get_single_node(self) -> Node | None:
        """The document's node tree, of our light nodes: libyaml's composer looks its node
        classes up by name at each node, so they are swapped in for this call only. Only
        while it runs: ruamel's own resolvers tell kinds apart by identity, and its
        `YAML(typ='safe')` composes with the same module."""
        if not LIGHT_NODES:
            return super().get_single_node()
        _swap(_LIGHT)
        try:
            return super().get_single_node()
        finally:
            _swap(_OWN)

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind in _SCALAR_KINDS:
            if not implicit[0] or (value and value[0] not in _NON_TEXT_START):
                return STR  # quoted, or plain text that cannot be anything else (most)
            value = value or ""
            found = _RESOLVED.get(value)
            if found is None:
                found = resolve_plain(value)
                if len(_RESOLVED) < 8192:  # dates, counts, null: records repeat a few thousand
                    _RESOLVED[value] = found
            return found
        return SEQ if issubclass(kind, SequenceNode) else MAP

    # No path resolvers: skip ruamel's per-node bookkeeping for them.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None
