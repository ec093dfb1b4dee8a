"""A scheme formula as HR writes it: `perf_pay_total * total / 100` → “750 × 总分 ÷ 100”.

Rendered from the formula's parsed tree (model/formula.py), never from its text: every name
becomes the words the scheme gives it (item titles, amounts' titles, 总分, a param's value),
operators become × ÷ − ≤ ≥ ＝, `a if c else b` becomes “c 时为 a，否则为 b”, and the functions
become phrases (较小值, 较大值, 限定在 … 之间). Parentheses appear only where the arithmetic
needs them. Text only (not escaped): the pages escape it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from decimal import Decimal

from kpiledger.model import Scheme, title_in
from kpiledger.model.formula import Formula, compile_formula, formula_name
from kpiledger.numbers import to_decimal

# How tightly each form binds; a part binding less tightly than its place needs is bracketed.
PHRASE, OR, AND, NOT, COMPARE, ADD, MUL, UNARY, ATOM = range(9)

_WORDS = {
    "zh": {
        "total": "总分", "value": "实际值", "x": "实际值", "and": " 且 ", "or": " 或 ",
        "not": "不满足 {}", "when": "{c} 时为 {v}", "else": "否则为 {}", "join": "，",
        "min2": "{} 与 {} 中的较小值", "minn": "{} 中的最小值",
        "max2": "{} 与 {} 中的较大值", "maxn": "{} 中的最大值", "list": "、",
        "clamp": "{}，限定在 {} 至 {} 之间", "abs": "{} 的绝对值",
        "floor": "{} 向下取整", "ceil": "{} 向上取整", "round0": "{} 四舍五入取整",
        "round": "{} 四舍五入到 {} 位小数", "pow": "{} 的 {} 次方", "eq": "＝",
    },
    "en": {
        "total": "total", "value": " (value)", "x": "value", "and": " and ", "or": " or ",
        "not": "not {}", "when": "{v} when {c}", "else": "otherwise {}", "join": ", ",
        "min2": "the smaller of {} and {}", "minn": "the smallest of {}",
        "max2": "the larger of {} and {}", "maxn": "the largest of {}", "list": ", ",
        "clamp": "{}, kept between {} and {}", "abs": "the absolute value of {}",
        "floor": "{} rounded down", "ceil": "{} rounded up", "round0": "{} rounded half up",
        "round": "{} rounded half up to {} decimals", "pow": "{} to the power {}", "eq": "=",
    },
}
_BINARY = {ast.Add: ("+", ADD), ast.Sub: ("−", ADD), ast.Mult: ("×", MUL), ast.Div: ("÷", MUL)}
_COMPARE = {ast.NotEq: "≠", ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥"}


def num_text(x: Decimal) -> str:
    """A number as a scheme writes it: 5 rather than 5.00, 0.5 rather than 0.50."""
    return f"{x.normalize():f}" if x == x.to_integral() else f"{x:f}".rstrip("0")


def scheme_names(scheme: Scheme, lang: str) -> dict[str, str]:
    """What each name a formula of `scheme` may use is called in words: total → 总分, an item
    (its points) → its title, `<item>_value` → its title (实际值 added where the item is
    scored, so points and value differ), an amount → its title, a param → its value."""
    w = _WORDS["en" if lang == "en" else "zh"]
    names: dict[str, str] = {"total": w["total"], "X": w["x"]}
    for item in scheme.items:
        title = title_in(item, lang)
        names[formula_name(item.id)] = title
        names[f"{formula_name(item.id)}_value"] = title + (w["value"] if item.method else "")
    for key, value in scheme.params.items():
        info = scheme.param_info.get(key)
        names[key] = (
            f"{num_text(value * 100)}%" if info is not None and info.percent else num_text(value)
        )
    for money in scheme.money:
        names[money.id] = title_in(money, lang)
    return names


def formula_words(formula: Formula | str, names: Mapping[str, str], lang: str = "zh") -> str:
    """The formula in words; a name `names` does not know is shown as written."""
    tree = (formula if isinstance(formula, Formula) else compile_formula(formula)).tree
    return _Words(names, _WORDS["en" if lang == "en" else "zh"]).text(tree.body)[0]


class _Words:
    def __init__(self, names: Mapping[str, str], words: dict[str, str]) -> None:
        self.names = names
        self.w = words
        self.calls: dict[str, Callable[[list[ast.expr]], str]] = {
            "min": lambda a: self._extreme("min", a), "max": lambda a: self._extreme("max", a),
            "clamp": lambda a: self.w["clamp"].format(
                self.part(a[0], ADD), self.part(a[1], ADD), self.part(a[2], ADD)),
            "abs": lambda a: self.w["abs"].format(self.part(a[0], ATOM)),
            "floor": lambda a: self.w["floor"].format(self.part(a[0], ATOM)),
            "ceil": lambda a: self.w["ceil"].format(self.part(a[0], ATOM)),
            "round_half_up": self._round,
        }

    def part(self, node: ast.expr, least: int) -> str:
        """`node` in words, bracketed if it binds less tightly than `least`."""
        text, level = self.text(node)
        return f"({text})" if level < least else text

    def text(self, node: ast.expr) -> tuple[str, int]:
        """`node` in words and how tightly the words bind."""
        if isinstance(node, ast.Constant):
            return num_text(to_decimal(node.value)), ATOM
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id), ATOM
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return self.w["not"].format(self.part(node.operand, COMPARE)), NOT
            sign = "−" if isinstance(node.op, ast.USub) else "+"
            return sign + self.part(node.operand, UNARY), UNARY
        if isinstance(node, ast.BoolOp):
            level = AND if isinstance(node.op, ast.And) else OR
            joiner = self.w["and"] if level == AND else self.w["or"]
            return joiner.join(self.part(v, level + 1) for v in node.values), level
        if isinstance(node, ast.Compare):
            out = [self.part(node.left, ADD)]
            for op, right in zip(node.ops, node.comparators, strict=True):
                sign = self.w["eq"] if isinstance(op, ast.Eq) else _COMPARE[type(op)]
                out += [sign, self.part(right, ADD)]
            return " ".join(out), COMPARE
        if isinstance(node, ast.IfExp):
            return self._conditional(node), PHRASE
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.calls[node.func.id](list(node.args)), PHRASE
        raise ValueError(f"cannot put {type(node).__name__} into words")  # _validate refuses it

    def _binary(self, node: ast.BinOp) -> tuple[str, int]:
        if isinstance(node.op, ast.Pow):
            return self.w["pow"].format(self.part(node.left, ATOM),
                                        self.part(node.right, ATOM)), PHRASE
        left, right = node.left, node.right
        # `80%` is parsed as (80/100): written back as the percentage it was
        if (isinstance(node.op, ast.Div) and isinstance(left, ast.Constant)
                and isinstance(right, ast.Constant) and right.value == 100):
            return f"{num_text(to_decimal(left.value))}%", ATOM
        sign, level = _BINARY[type(node.op)]
        # a − (b − c) and a ÷ (b × c) keep their brackets; a + (b + c) needs none
        strict = isinstance(node.op, ast.Sub | ast.Div)
        return (f"{self.part(left, level)} {sign} {self.part(right, level + strict)}", level)

    def _conditional(self, node: ast.IfExp) -> str:
        # a chain `a if c1 else (b if c2 else d)` is one list of cases, as documents write it
        cases: list[str] = []
        rest: ast.expr = node
        while isinstance(rest, ast.IfExp):
            cases.append(self.w["when"].format(c=self.part(rest.test, OR),
                                               v=self.part(rest.body, OR)))
            rest = rest.orelse
        cases.append(self.w["else"].format(self.part(rest, OR)))
        return self.w["join"].join(cases)

    def _extreme(self, fn: str, args: list[ast.expr]) -> str:
        parts = [self.part(a, ADD) for a in args]
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2:
            return self.w[f"{fn}2"].format(*parts)
        return self.w[f"{fn}n"].format(self.w["list"].join(parts))

    def _round(self, args: list[ast.expr]) -> str:
        x = self.part(args[0], ATOM)
        digits = self.part(args[1], ATOM) if len(args) > 1 else "0"
        return self.w["round0"].format(x) if digits == "0" else self.w["round"].format(x, digits)
