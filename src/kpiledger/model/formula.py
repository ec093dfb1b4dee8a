"""Scheme formulas: a safe, Decimal-only expression language on top of `simpleeval`.

Why simpleeval: it is maintained, small, evaluates a whitelisted Python AST node by node
(no `eval`), forbids attribute access to dunders, imports and unknown calls, and limits sizes.
We narrow it further: before anything runs, the parsed tree is checked against a short list of
node types (numbers, names, + - * / **, comparisons, and/or/not, `a if c else b`, calls of our
own functions by name), so attribute access, subscripts, strings, lambdas, comprehensions and
f-strings are refused at compile time — a formula can never reach the interpreter, the file
system or the network. Numeric literals become Decimal, so 0.1 + 0.2 is exactly 0.3.

`N%` in a formula means N/100 (documents write "部门职责30%"); it is rewritten before parsing,
so the modulo operator is not available.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_CEILING,
    ROUND_FLOOR,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import cached_property
from typing import Any

from simpleeval import InvalidExpression, SimpleEval

from kpiledger.numbers import round_half_up, to_decimal

MAX_LENGTH = 2000  # characters of formula text
MAX_NODES = 400  # AST nodes
MAX_EXPONENT = 100  # |b| in a ** b
LIMIT = Decimal("1e15")  # no score or amount is anywhere near this; bigger means a mistake

# Emax keeps every intermediate far from memory trouble; traps turn bad arithmetic into errors.
_CONTEXT = Context(prec=34, Emax=999, Emin=-999, traps=[InvalidOperation, DivisionByZero, Overflow])
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)\s*[%％]")
# Documents type arithmetic with these; fold them so a copied formula works.
_FOLD = str.maketrans({"×": "*", "÷": "/", "−": "-", "（": "(", "）": ")", "，": ",", "　": " "})


class FormulaError(ValueError):
    """A formula that cannot be compiled or evaluated; the message is for the scheme author.
    `kind` says why a formula failed while it ran, for a message in the reader's language:
    zero (x/0), overflow (too large), invalid (0/0, a root of a negative), unknown (a name
    without a value), other."""

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


def _dec(x: Any, what: str) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, Decimal):
        raise FormulaError(f"{what} needs numbers")
    return x


def _min(*args: Any) -> Decimal:
    if not args:
        raise FormulaError("min() needs at least one number")
    return min(_dec(a, "min()") for a in args)


def _max(*args: Any) -> Decimal:
    if not args:
        raise FormulaError("max() needs at least one number")
    return max(_dec(a, "max()") for a in args)


def _abs(x: Any) -> Decimal:
    return abs(_dec(x, "abs()"))


def _floor(x: Any) -> Decimal:
    return _dec(x, "floor()").to_integral_value(rounding=ROUND_FLOOR)


def _ceil(x: Any) -> Decimal:
    return _dec(x, "ceil()").to_integral_value(rounding=ROUND_CEILING)


def _round_half_up(x: Any, digits: Any = Decimal(0)) -> Decimal:
    d = _dec(digits, "round_half_up()")
    if d != d.to_integral_value() or not 0 <= d <= 10:
        raise FormulaError("round_half_up(x, digits): digits must be a whole number 0–10")
    return round_half_up(_dec(x, "round_half_up()"), int(d))


def _clamp(x: Any, lo: Any, hi: Any) -> Decimal:
    lo_d, hi_d = _dec(lo, "clamp()"), _dec(hi, "clamp()")
    if lo_d > hi_d:
        raise FormulaError("clamp(x, lo, hi): lo is above hi")
    return min(max(_dec(x, "clamp()"), lo_d), hi_d)


FUNCTIONS: dict[str, tuple[Callable[..., Decimal], int, int]] = {
    # name: (function, fewest args, most args)
    "min": (_min, 1, 50),
    "max": (_max, 1, 50),
    "abs": (_abs, 1, 1),
    "floor": (_floor, 1, 1),
    "ceil": (_ceil, 1, 1),
    "round_half_up": (_round_half_up, 1, 2),
    "clamp": (_clamp, 3, 3),
}


def _power(a: Any, b: Any) -> Decimal:
    a, b = _dec(a, "**"), _dec(b, "**")
    if abs(b) > MAX_EXPONENT:
        raise FormulaError(f"exponent {b} is too large (at most {MAX_EXPONENT})", "overflow")
    return a**b


def _arith(fn: Callable[[Decimal, Decimal], Decimal], sym: str) -> Callable[[Any, Any], Decimal]:
    def run(a: Any, b: Any) -> Decimal:
        return fn(_dec(a, sym), _dec(b, sym))

    return run


def _compare(fn: Callable[[Decimal, Decimal], bool], sym: str) -> Callable[[Any, Any], bool]:
    def run(a: Any, b: Any) -> bool:
        return fn(_dec(a, sym), _dec(b, sym))

    return run


_OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: _arith(lambda a, b: a + b, "+"),
    ast.Sub: _arith(lambda a, b: a - b, "-"),
    ast.Mult: _arith(lambda a, b: a * b, "*"),
    ast.Div: _arith(lambda a, b: a / b, "/"),
    ast.Pow: _power,
    ast.USub: lambda a: -_dec(a, "-"),
    ast.UAdd: lambda a: +_dec(a, "+"),
    ast.Not: lambda a: not a,
    ast.Eq: _compare(lambda a, b: a == b, "=="),
    ast.NotEq: _compare(lambda a, b: a != b, "!="),
    ast.Lt: _compare(lambda a, b: a < b, "<"),
    ast.LtE: _compare(lambda a, b: a <= b, "<="),
    ast.Gt: _compare(lambda a, b: a > b, ">"),
    ast.GtE: _compare(lambda a, b: a >= b, ">="),
}
_ALLOWED_NODES: tuple[type, ...] = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp, ast.BoolOp,
    ast.And, ast.Or, ast.Compare, ast.IfExp, ast.Call, *_OPERATORS,
)
_WORDS = {ast.Mod: "%", ast.FloorDiv: "//", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^",
          ast.LShift: "<<", ast.RShift: ">>", ast.Invert: "~", ast.MatMult: "@"}


class _DecimalEval(SimpleEval):
    """SimpleEval restricted to our node list, with numeric literals read as Decimal."""

    def __init__(self, names: Mapping[str, Decimal]) -> None:
        super().__init__(
            operators=dict(_OPERATORS),
            functions={k: v[0] for k, v in FUNCTIONS.items()},
            names=dict(names),
        )
        allowed = {ast.Name, ast.UnaryOp, ast.BinOp, ast.BoolOp, ast.Compare, ast.IfExp,
                   ast.Call, ast.Constant, ast.Expr}
        self.nodes = {k: v for k, v in self.nodes.items() if k in allowed}

    @staticmethod
    def _eval_constant(node: ast.Constant) -> Decimal:  # type: ignore[override]
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError("only numbers may be written in a formula")
        try:
            return to_decimal(value)
        except ValueError:
            raise FormulaError(f"number {value!r} is not finite") from None


_SHARED: list[_DecimalEval] = []


def _evaluator() -> _DecimalEval:
    # Building a SimpleEval costs more than evaluating a small formula; one is reused (names
    # are replaced on every call and nothing else in it changes).
    if not _SHARED:
        _SHARED.append(_DecimalEval({}))
    return _SHARED[0]


def _preprocess(text: str) -> str:
    return _PERCENT.sub(r"(\1/100)", text.translate(_FOLD))


def _validate(tree: ast.Expression) -> None:
    for count, node in enumerate(ast.walk(tree), start=1):
        if count > MAX_NODES:
            raise FormulaError(f"formula too long (more than {MAX_NODES} parts)")
        if type(node) in _WORDS:
            raise FormulaError(f"operator {_WORDS[type(node)]} is not supported")
        if not isinstance(node, _ALLOWED_NODES):
            raise FormulaError(f"{_describe(node)} is not allowed in a formula")
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, int | float)
        ):
            raise FormulaError("only numbers may be written in a formula")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                name = node.func.id if isinstance(node.func, ast.Name) else "?"
                raise FormulaError(
                    f"unknown function {name}(); available: {', '.join(sorted(FUNCTIONS))}"
                )
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise FormulaError(f"{node.func.id}() takes plain arguments")
            _, lo, hi = FUNCTIONS[node.func.id]
            if not lo <= len(node.args) <= hi:
                raise FormulaError(f"{node.func.id}() takes {lo}–{hi} arguments" if lo != hi
                                   else f"{node.func.id}() takes {lo} argument(s)")


def _describe(node: ast.AST) -> str:
    names = {ast.Attribute: "attribute access (.)", ast.Subscript: "indexing ([])",
             ast.Lambda: "lambda", ast.ListComp: "a comprehension", ast.GeneratorExp:
             "a comprehension", ast.DictComp: "a comprehension", ast.SetComp: "a comprehension",
             ast.JoinedStr: "an f-string", ast.NamedExpr: "assignment (:=)"}
    return names.get(type(node), type(node).__name__)


def _names(tree: ast.AST) -> frozenset[str]:
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return frozenset(
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called
    )


@dataclass(frozen=True)
class Formula:
    text: str  # as written in the scheme
    expr: str  # after `N%` → (N/100) and full-width folding; what is parsed
    tree: ast.Expression = field(repr=False, compare=False)
    names: frozenset[str] = frozenset()
    results: dict[tuple[Decimal, ...], Decimal] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def ordered_names(self) -> tuple[str, ...]:
        return tuple(sorted(self.names))

    def evaluate(self, names: Mapping[str, Decimal]) -> Decimal:
        """The value under `names`; FormulaError for unknown names, x/0, non-numbers, overflow."""
        missing = sorted(self.names - names.keys())
        if missing:
            raise FormulaError(f"unknown name {', '.join(missing)}", "unknown")
        # The same formula over the same values is common (750 × total / 100 for thousands of
        # people): remember results per formula, keyed by the values of the names it uses.
        key = tuple(names[n] for n in self.ordered_names)
        known = self.results.get(key)
        if known is not None:
            return known
        if len(self.results) > 100_000:
            self.results.clear()
        self.results[key] = result = self._evaluate(names)
        return result

    def _evaluate(self, names: Mapping[str, Decimal]) -> Decimal:
        evaluator = _evaluator()
        evaluator.names = dict(names)
        try:
            with localcontext(_CONTEXT):
                result = evaluator.eval(self.expr, previously_parsed=self.tree.body)
                result = +result if isinstance(result, Decimal) else result
        except FormulaError:
            raise
        except (DivisionByZero, ZeroDivisionError):
            raise FormulaError("division by zero", "zero") from None
        except Overflow:
            raise FormulaError("number too large", "overflow") from None
        except InvalidOperation:
            raise FormulaError("invalid arithmetic (such as 0/0)", "invalid") from None
        except InvalidExpression as e:
            raise FormulaError(str(e)) from None
        except (ArithmeticError, TypeError, ValueError, RecursionError, MemoryError) as e:
            raise FormulaError(f"cannot evaluate: {type(e).__name__}") from None
        if isinstance(result, bool) or not isinstance(result, Decimal):
            raise FormulaError("the formula does not give a number")
        if abs(result) > LIMIT:
            raise FormulaError("number too large", "overflow")
        return result


def compile_formula(text: str) -> Formula:
    """Parse and vet a formula once; raises FormulaError saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("empty formula")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula too long (more than {MAX_LENGTH} characters)")
    source = _preprocess(text).strip()
    if "%" in source or "％" in source:
        raise FormulaError("% only follows a number (80% = 0.8); modulo is not supported")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as e:
        raise FormulaError(f"syntax error: {e.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("formula too deeply nested") from None
    _validate(tree)
    return Formula(text=text, expr=source, tree=tree, names=_names(tree))


def formula_name(item_id: str) -> str:
    """How an item id is written in a formula: `-` is minus there, so it is written `_`."""
    return item_id.replace("-", "_")
