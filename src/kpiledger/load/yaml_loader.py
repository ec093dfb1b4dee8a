"""Safe YAML loading: bytes → plain data (dict/list/str/int/float/bool/None) + diagnostics.

One fast parse per file: libyaml (ruamel.yaml's C parser) composes the node tree, of our
light node classes (`load.yaml_nodes`), and a small constructor of ours builds plain data. Why not
`YAML(typ='safe').load`: it is ~4× slower and it would need extra work to refuse what we
refuse here:

- files over MAX_BYTES, bytes that are not UTF-8 (a BOM is fine), several documents;
- tags of any kind beyond the core ones, merge keys, duplicate keys, non-text keys;
- alias bombs (the expanded document is limited to MAX_NODES) and absurd nesting (the C
  composer recurses and would overflow the C stack, so depth is checked before composing);
- YAML 1.1 surprises: only the YAML 1.2 core schema is resolved (`yes`/`no`/`on` stay text)
  and unquoted dates and times always stay text exactly as written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from sys import intern
from typing import Any

from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError

from kpiledger.diagnostics import Diagnostic, d
from kpiledger.load.yaml_nodes import (
    BOOL,
    BOOLS,
    CORE_TAGS,
    FLOAT,
    INT,
    MAP,
    NULL,
    SEQ,
    STR,
    Composer,
)

MAX_BYTES = 1 << 20
MAX_NODES = 100_000
MIGRATION_SCALE = 64  # kpi org split: an old org.yaml of up to 64 MiB, 6.4 million nodes
MAX_DEPTH = 100

class LoadError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.code)
        self.diagnostic = diagnostic


def decode(data: bytes, file: str, scale: int = 1) -> str:
    """Strict UTF-8 (a BOM is dropped); raises LoadError naming the first bad byte."""
    if len(data) > MAX_BYTES * scale:
        raise LoadError(d(file, "KPI101", size=len(data), limit=MAX_BYTES * scale))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(d(file, "KPI102", offset=e.start).at(line, column)) from None


def _nesting_bound(text: str) -> int:
    """A cheap upper bound on how deep flow and compact collections nest.

    Block mappings can only nest by indenting, which the size limit keeps shallow enough for
    the C composer; our builder's own recursion limit catches the rest.
    """
    return text.count("[") + text.count("{") + text.count("- ") + text.count("? ")


def _nesting_depth(text: str) -> tuple[int, int, int]:
    """The real depth, from libyaml's events (its parser keeps an explicit stack, no recursion)."""
    from ruamel.yaml.events import (
        CollectionEndEvent,
        CollectionStartEvent,
    )

    parser = Composer(text)
    depth = deepest = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > deepest:
                    deepest = depth
                    if deepest > MAX_DEPTH:
                        mark = event.start_mark
                        return deepest, mark.line + 1, mark.column + 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    finally:
        parser.dispose()
    return deepest, 0, 0


def compose(text: str, file: str) -> Node | None:
    """The node tree of the single document in `text`; raises LoadError on bad YAML."""
    if _nesting_bound(text) > MAX_DEPTH:
        try:
            deepest, line, column = _nesting_depth(text)
        except (MarkedYAMLError, ReaderError) as e:
            raise LoadError(_syntax_error(e, text, file)) from None
        if deepest > MAX_DEPTH:
            raise LoadError(d(file, "KPI113", limit=MAX_DEPTH).at(line, column))
    parser = Composer(text)
    try:
        return parser.get_single_node()
    except (MarkedYAMLError, ReaderError) as e:
        raise LoadError(_syntax_error(e, text, file)) from None
    finally:
        parser.dispose()


def _reader_error(e: ReaderError, text: str, file: str) -> Diagnostic:
    """A character YAML does not allow (a control character such as NUL); libyaml gives its
    position as a UTF-8 byte offset."""
    before = text.encode("utf-8")[: max(e.position, 0)].decode("utf-8", errors="ignore")
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    char = e.character if isinstance(e.character, int) else 0
    problem = f"{e.reason} (#x{char:04X})"
    return d(file, "KPI103", problem=problem, problem_zh=in_chinese(problem)).at(line, column)


# libyaml's usual complaints, as an HR user would want to read them.
_PROBLEMS_ZH = (
    (
        "mapping values are not allowed",
        "这里不能写“键: 值”（上一行的缩进不对，或冒号后的值里还有“: ”？）",
    ),
    ("did not find expected key", "缺少键（同一层的各行缩进是否一致？）"),
    ("did not find expected ',' or ']'", "列表 [ ] 没有闭合，或缺少逗号"),
    ("did not find expected ',' or '}'", "映射 { } 没有闭合，或缺少逗号"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有闭合？）"),
    (
        "found character that cannot start any token",
        "这里的字符不能开始任何内容（如 @、` 开头的文字需加引号）",
    ),
    ("found undefined alias", "使用了未定义的别名（*名称）"),
    ("did not find expected node content", "缺少值"),
    ("did not find expected <document start>", "缺少文档开头（多余的内容？）"),
    ("found unknown escape character", "双引号里有无法识别的转义字符（\\ 后的字符）"),
    ("found a tab character", "有制表符（Tab）；YAML 只能用空格"),
    ("control characters are not allowed", "文件中有不允许的控制字符"),
)


def in_chinese(problem: str) -> str:
    """libyaml's message in Chinese when it is one of the usual ones (else as it is)."""
    for english, chinese in _PROBLEMS_ZH:
        if english in problem:
            return chinese
    return problem


def _syntax_error(e: MarkedYAMLError | ReaderError, text: str, file: str) -> Diagnostic:
    if isinstance(e, ReaderError):
        return _reader_error(e, text, file)
    mark = e.problem_mark or e.context_mark
    if mark is not None and e.context_mark is not None and mark.index >= len(text):
        # "found unexpected end of stream": the unclosed quote or bracket is where it opened
        mark = e.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = str(e.problem or e.context or "").strip()
    if "expected a single document" in problem or "but found another document" in problem:
        return d(file, "KPI108").at(line, column)
    bad_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    indent = bad_line[: len(bad_line) - len(bad_line.lstrip(" \t"))]
    if "\t" in indent or "'\\t'" in problem:
        tab_column = bad_line.find("\t") + 1 if "\t" in bad_line else column
        return d(file, "KPI104").at(line, tab_column)
    return d(file, "KPI103", problem=problem, problem_zh=in_chinese(problem)).at(line, column)


class _Builder:
    """Builds plain data from a node tree, refusing what the module docstring lists."""

    def __init__(self, file: str, max_nodes: int = MAX_NODES) -> None:
        self.file = file
        self.max_nodes = max_nodes
        self.nodes = 0
        self.root: Node | None = None
        # The top-level entry being built: where an alias bomb is reported, because an aliased
        # node's own mark is that of its anchor (the bomb's harmless seed), not of the alias.
        self.entry: Node | None = None

    def fail(self, node: Node, code: str, **args: Any) -> LoadError:
        if "tag" in args and str(args["tag"]).startswith("tag:yaml.org,2002:"):
            args["tag"] = "!!" + str(args["tag"])[len("tag:yaml.org,2002:") :]  # as written
        mark = node.start_mark
        return LoadError(d(self.file, code, **args).at(mark.line + 1, mark.column + 1))

    def build(self, node: Node) -> Any:
        """Plain data of the document's root node."""
        self.root = node
        return self.node(node)

    def node(self, node: Node) -> Any:
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self.fail(self.entry or node, "KPI107", limit=self.max_nodes)
        tag = node.ctag.suffix  # not `node.tag`: it decodes the tag's URI again on every call
        if tag == STR and isinstance(node, ScalarNode):  # most nodes: text as written
            return node.value
        if tag not in CORE_TAGS:
            raise self.fail(node, "KPI106", tag=tag)
        if isinstance(node, ScalarNode):
            return self.scalar(node, tag)
        if isinstance(node, SequenceNode):
            if tag != SEQ:
                raise self.fail(node, "KPI106", tag=tag)
            return [self.node(child) for child in node.value]
        if tag != MAP:
            raise self.fail(node, "KPI106", tag=tag)
        return self.mapping(node)

    def scalar(self, node: ScalarNode, tag: str) -> Any:
        value: str = node.value
        if tag == STR:
            return value
        if tag == NULL:
            return None
        if tag == BOOL:
            if value not in BOOLS:
                raise self.fail(node, "KPI106", tag=tag)
            return BOOLS[value]
        if tag == INT:
            try:
                if value.startswith(("0o", "0x")):
                    return int(value, 0)
                return int(value)
            except ValueError:
                raise self.fail(node, "KPI106", tag=tag) from None
        if tag == FLOAT:
            try:
                number = float(value)
            except ValueError:
                raise self.fail(node, "KPI106", tag=tag) from None
            if not _exact(value, number):
                raise self.fail(node, "KPI114", text=value, read=repr(number))
            return number
        raise self.fail(node, "KPI106", tag=tag)  # !!seq / !!map on a scalar

    def mapping(self, node: MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        at_root = node is self.root
        for key_node, value_node in node.value:
            if at_root:
                self.entry = key_node
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "KPI110")
            if key_node.ctag.suffix not in CORE_TAGS:
                raise self.fail(key_node, "KPI106", tag=key_node.ctag.suffix)
            # keys are always text: `2026:` and `"2026":` are one key. Interned: 120,000 records
            # repeat the same few dozen keys, and one string each saves ~1 KB per record held.
            key = intern(key_node.value)
            if key == "<<" and not key_node.style:  # plain, not quoted
                raise self.fail(key_node, "KPI111")
            if key in result:
                first = next(k for k, _ in node.value if k.value == key)
                raise self.fail(key_node, "KPI105", key=key, first_line=first.start_mark.line + 1)
            self.nodes += 1
            result[key] = self.node(value_node)
        return result


def _exact(text: str, number: float) -> bool:
    """Whether the float keeps the number as written: 9.0000000000000000001 would become 9
    and 1e-400 would become 0 without a word. Numbers are read back through `repr`, the
    shortest text of the float, as everything downstream does (`numbers.to_decimal`)."""
    if number != number or number in (_INF, -_INF):
        return True  # .nan and .inf: refused later as not finite, with their own message
    try:
        written = Decimal(text.replace("_", ""))
    except InvalidOperation:
        return True
    return written == Decimal(repr(number))


_INF = float("inf")


def load(data: bytes, file: str, scale: int = 1) -> tuple[Any, list[Diagnostic]]:
    """Plain data of one YAML file, or (None, [the diagnostic that stopped it]). `scale`
    multiplies the size and node limits: only for `kpi org split` reading an org chart that
    outgrew one file (MIGRATION_SCALE); every other reader keeps the limits as they are."""
    try:
        text = decode(data, file, scale)
        node = compose(text, file)
        if node is None:
            raise LoadError(d(file, "KPI109").at(1, 1))
        return _Builder(file, MAX_NODES * scale).build(node), []
    except LoadError as e:
        return None, [e.diagnostic]
    except RecursionError:
        return None, [d(file, "KPI113", limit=MAX_DEPTH).at(1, 1)]
