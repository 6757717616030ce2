"""Formulas a sheet writes: part values, alternatives, carry-forward rules, feedback
placeholders and the constraints on variants.

A sheet's formulas are the instructor's, not a student's, but they are read the same careful
way (an AST walk over floats, no ``eval``): names are the givens (``gpu.peak``), their symbols
(``L``), part ids (``q1.b``, standing for that part's value) and a few functions (``ceil``,
``floor``, ``min``, ``max``, ``log2``, ``sqrt``, ``abs``). A condition (a variant's constraint)
may also compare (``<``, ``==``...) and combine (``and``, ``or``, ``not``), and compare with
text (``q5.qkv.gpu != q5.qkv.pim``).

Which names a formula reads is decided once, from its parse (:func:`names_in`), never by
looking for text inside it (``q1.a`` is not inside ``q1.ab``).
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FUNCTIONS: dict[str, Callable[..., float]] = {
    "ceil": math.ceil,
    "floor": math.floor,
    "min": min,
    "max": max,
    "log2": math.log2,
    "sqrt": math.sqrt,
    "abs": abs,
}
"""The functions a sheet's formula may call."""

MAX_FORMULA_CHARS = 500
# A dotted name (a given or a part id) as one token: ``gpu.peak``, ``q2.b.scaling``.
_DOTTED = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\.[A-Za-z_0-9]\w*)+)")
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}

Value = float | str | bool


class FormulaError(ValueError):
    """A formula that does not parse, names something unknown, or cannot be evaluated."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, its tree (dotted names replaced by placeholders) and the
    names it reads, in order of first appearance."""

    text: str
    tree: ast.expr
    names: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]  # placeholder -> dotted name


@functools.lru_cache(maxsize=4096)
def parse_formula(text: str, *, condition: bool = False) -> Formula:
    """Parse a formula (or, with ``condition``, a constraint).

    Raises:
        FormulaError: not a formula of the allowed form.

    >>> parse_formula("2*H*W*K*K*C / q5.conv.bytes").names
    ('H', 'W', 'K', 'C', 'q5.conv.bytes')
    """
    if len(text) > MAX_FORMULA_CHARS:
        raise FormulaError(f"longer than {MAX_FORMULA_CHARS} characters")
    aliases: dict[str, str] = {}

    def alias(match: re.Match[str]) -> str:
        name = match.group(1)
        for placeholder, known in aliases.items():
            if known == name:
                return placeholder
        placeholder = f"_d{len(aliases)}"
        aliases[placeholder] = name
        return placeholder

    source = _DOTTED.sub(alias, text.replace("^", "**").replace("×", "*").replace("·", "*"))
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as error:
        raise FormulaError(f"does not parse ({error.msg})") from None
    names: list[str] = []
    _check(tree, condition, names, aliases)
    return Formula(text, tree, tuple(names), tuple(aliases.items()))


def names_in(text: str, *, condition: bool = False) -> tuple[str, ...]:
    """The names a formula reads (givens, symbols, part ids), in order of first appearance.

    >>> names_in("q1.a + q1.ab * L")
    ('q1.a', 'q1.ab', 'L')
    """
    return parse_formula(text, condition=condition).names


def evaluate_formula(text: str, values: Mapping[str, Value], *, condition: bool = False) -> Value:
    """The value of a formula with ``values`` for its names.

    Raises:
        FormulaError: it does not parse, reads a name ``values`` lacks, or cannot be
            evaluated (division by zero, overflow, a function outside its domain).

    >>> evaluate_formula("ceil(peak / (2 * bw))", {"peak": 312.0, "bw": 2.0})
    78.0
    >>> evaluate_formula("q5.a != q5.b and L > 10", {"q5.a": "x", "q5.b": "y", "L": 64.0},
    ...                  condition=True)
    True
    """
    formula = parse_formula(text, condition=condition)
    lookup = dict(formula.aliases)
    try:
        return _evaluate(formula.tree, values, lookup)
    except KeyError as error:
        raise FormulaError(f"unknown name {error.args[0]!r}") from None
    except (ArithmeticError, ValueError, TypeError) as error:
        raise FormulaError(f"cannot be evaluated ({type(error).__name__})") from None


def number_of(text: str, values: Mapping[str, Value]) -> float:
    """:func:`evaluate_formula` of a formula that must give a finite number."""
    value = evaluate_formula(text, values)
    if isinstance(value, bool) or not isinstance(value, float) or not math.isfinite(value):
        raise FormulaError(f"gives {value!r}, not a finite number")
    return value


def _check(node: ast.AST, condition: bool, names: list[str], aliases: Mapping[str, str]) -> None:
    """Refuse anything but the allowed nodes; collect the names read."""
    if isinstance(node, ast.Name):
        name = aliases.get(node.id, node.id)
        if name not in names:
            names.append(name)
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float | str):
            raise FormulaError(f"{node.value!r} is not a number")
        if isinstance(node.value, str) and not condition:
            raise FormulaError("text is allowed only in a condition")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or node.keywords:
            known = ", ".join(FUNCTIONS)
            raise FormulaError(f"only these functions may be called: {known}")
        for argument in node.args:
            _check(argument, condition, names, aliases)
        return
    allowed: tuple[type[ast.AST], ...] = (ast.BinOp, ast.UnaryOp)
    if condition:
        allowed += (ast.Compare, ast.BoolOp)
    if not isinstance(node, allowed):
        raise FormulaError(f"{type(node).__name__} is not allowed in a formula")
    if isinstance(node, ast.BinOp) and not isinstance(
        node.op, ast.Add | ast.Sub | ast.Mult | ast.Div | ast.Pow | ast.FloorDiv | ast.Mod
    ):
        raise FormulaError("only + - * / // % ** may be used")
    if isinstance(node, ast.UnaryOp) and not isinstance(node.op, ast.USub | ast.UAdd | ast.Not):
        raise FormulaError("only - + and not may be used before a value")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and not condition:
        raise FormulaError("not is allowed only in a condition")
    if isinstance(node, ast.Compare) and not all(type(op) in _COMPARE for op in node.ops):
        raise FormulaError("only < <= > >= == != may compare")
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr):
            _check(child, condition, names, aliases)


def _evaluate(node: ast.expr, values: Mapping[str, Value], lookup: Mapping[str, str]) -> Value:
    if isinstance(node, ast.Name):
        found = values[lookup.get(node.id, node.id)]
        return float(found) if isinstance(found, int) and not isinstance(found, bool) else found
    if isinstance(node, ast.Constant):
        constant = node.value  # checked when parsed: a number or, in a condition, text
        if isinstance(constant, str):
            return constant
        assert isinstance(constant, int | float)
        return float(constant)
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        function: Callable[..., float] = FUNCTIONS[node.func.id]
        return float(function(*(_number(_evaluate(a, values, lookup)) for a in node.args)))
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, values, lookup)
        if isinstance(node.op, ast.Not):
            return not operand
        return -_number(operand) if isinstance(node.op, ast.USub) else _number(operand)
    if isinstance(node, ast.BoolOp):
        results = (_evaluate(v, values, lookup) for v in node.values)
        return all(results) if isinstance(node.op, ast.And) else any(results)
    if isinstance(node, ast.Compare):
        left = _evaluate(node.left, values, lookup)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(right_node, values, lookup)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    assert isinstance(node, ast.BinOp)
    left = _number(_evaluate(node.left, values, lookup))
    right = _number(_evaluate(node.right, values, lookup))
    return _binary(node.op, left, right)


def _binary(op: ast.operator, left: float, right: float) -> float:
    if isinstance(op, ast.Add):
        result = left + right
    elif isinstance(op, ast.Sub):
        result = left - right
    elif isinstance(op, ast.Mult):
        result = left * right
    elif isinstance(op, ast.Div):
        result = left / right
    elif isinstance(op, ast.FloorDiv):
        result = float(left // right)
    elif isinstance(op, ast.Mod):
        result = left % right
    else:
        powered: float | complex = left**right
        if isinstance(powered, complex):
            raise ValueError("not a real number")
        result = powered
    if not math.isfinite(result):
        raise OverflowError("not finite")
    return result


def _number(value: Value) -> float:
    if isinstance(value, bool) or not isinstance(value, float):
        raise TypeError(f"{value!r} is not a number")
    return value
