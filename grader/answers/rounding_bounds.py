"""How far the value of working may be from the exact one, given the figures its numbers show.

Students carry rounded intermediate results into later working: ``2048 × 402.7 MFLOP``, where
402.7 M is an earlier answer (402,653,184) rounded to four figures. The product is 0.012 %
off the exact count, which a count part does not accept on its own; a TA does, because the
difference is what the rounding of 402.7 allows. :func:`rounding_bounds` gives that allowance
as an interval: every literal written with a decimal point is taken to stand for any value it
is the rounding of (402.7 for 402.65 to 402.75), and the bounds of the whole expression are
propagated through its arithmetic (interval arithmetic: the worst case of every literal's
rounding at once).

Which literals are rounded is read from their spelling only. A number with a decimal point
(``402.7``, ``0.134``, ``2.039``, ``4.03e8``, ``2,25`` once its comma is a point) shows how far
it was rounded; an integer (``2``, ``2048``, ``128``, ``16`` in ``16 KiB``) is exact: the
integers of this kind of working are counts, sizes and givens, and reading ``2048`` as
"2047.5 to 2048.5" would let ``2049 × 402.6`` pass. Symbols are exact.

The interval is the worst case: two rounded literals whose errors cancel may stand for a
value neither is the rounding of. Grading asks, besides, that every rounded literal has as
many figures as a rounded answer must have (``min_rounding_figures``): a literal rounded to
one figure allows too much to say anything.
"""

from __future__ import annotations

import ast
import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from grader.answers.expression import normalise
from grader.answers.implicit_products import explicit_products
from grader.errors import AnswerFormatError

__all__ = ["Rounding", "rounding_bounds"]

# A literal as the parser sees it: mantissa digits, an optional point, an optional exponent.
_LITERAL = re.compile(r"(?P<whole>\d*)(?:\.(?P<fraction>\d*))?(?:[eE](?P<exponent>[+-]?\d+))?")
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class Rounding:
    """The values working may stand for, given its rounded literals.

    Attributes:
        low: The least value, with every rounded literal at the end of its rounding interval
            that makes the expression smallest.
        high: The greatest.
        figures: The fewest significant figures of any rounded literal.
    """

    low: float
    high: float
    figures: int

    def scaled(self, factor: float) -> Rounding | None:
        """The bounds times a positive ``factor`` (a unit's), or None when that is not one."""
        if not (factor > 0 and math.isfinite(factor)):
            return None
        return Rounding(self.low * factor, self.high * factor, self.figures)


def rounding_bounds(text: str, symbols: Mapping[str, float] | None = None) -> Rounding | None:
    """The interval of values ``text`` (plain digits, already ungrouped) may stand for, or
    None when it holds no rounded literal or the interval cannot be followed through.

    Example:
        >>> rounding_bounds("2048*402.7")
        Rounding(low=824627.2, high=824832.0, figures=4)
        >>> rounding_bounds("4*128^2") is None  # integers only: exact
        True
    """
    if "." not in text:  # no literal shows a rounding: the usual working
        return None
    if _LITERAL.fullmatch(text):  # a plain decimal number ("2.25"), the usual answer: no parse
        try:
            found = _literal_interval(text, float(text))
        except OverflowError:  # beyond the floats: no number to bound
            return None
        if found is None or not (math.isfinite(found[0]) and math.isfinite(found[1])):
            return None
        return Rounding(*found)
    names = dict(symbols or {})
    return _bounds(text, tuple(sorted(names.items())))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _bounds(text: str, symbols: tuple[tuple[str, float], ...]) -> Rounding | None:
    names = dict(symbols)
    try:
        source = explicit_products(normalise(text, names), names)
        tree = ast.parse(source, mode="eval")
    except (AnswerFormatError, SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    walker = _Walker(source, names)
    try:
        low, high = walker.interval(tree.body)
    except (_NoBounds, ArithmeticError):
        return None
    if walker.figures is None or not (math.isfinite(low) and math.isfinite(high)):
        return None
    return Rounding(low, high, walker.figures)


class _NoBounds(Exception):
    """The interval cannot be followed through this expression."""


class _Walker:
    """Interval arithmetic over the parse tree the evaluator checks (and has accepted)."""

    def __init__(self, source: str, names: Mapping[str, float]) -> None:
        self._source = source
        self._names = names
        self.figures: int | None = None

    def interval(self, node: ast.expr) -> tuple[float, float]:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return self._literal(float(node.value), node)
        if isinstance(node, ast.Name) and node.id in self._names:
            value = float(self._names[node.id])
            return value, value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            low, high = self.interval(node.operand)
            return (-high, -low) if isinstance(node.op, ast.USub) else (low, high)
        if isinstance(node, ast.BinOp):
            return _combine(node.op, self.interval(node.left), self.interval(node.right))
        raise _NoBounds

    def _literal(self, value: float, node: ast.Constant) -> tuple[float, float]:
        spelling = ast.get_source_segment(self._source, node) or ""
        if _LITERAL.fullmatch(spelling) is None:
            raise _NoBounds
        found = _literal_interval(spelling, value)
        if found is None:  # an integer: exact
            return value, value
        low, high, figures = found
        self.figures = figures if self.figures is None else min(self.figures, figures)
        return low, high


def _literal_interval(spelling: str, value: float) -> tuple[float, float, int] | None:
    """The ends of what a literal (``402.7``, ``4.03e8``) stands for and its figures; None
    for an integer (exact). ``spelling`` is known to match ``_LITERAL``."""
    found = _LITERAL.fullmatch(spelling)
    if found is None or found.group("fraction") is None:
        return None
    whole, fraction = found.group("whole"), found.group("fraction")
    exponent = int(found.group("exponent") or 0)
    half_unit = 0.5 * 10.0 ** (exponent - len(fraction))
    figures = max(len((whole + fraction).lstrip("0")), 1)
    return value - half_unit, value + half_unit, figures


def _combine(
    op: ast.operator, left: tuple[float, float], right: tuple[float, float]
) -> tuple[float, float]:
    """``left op right`` for intervals: the least and greatest result over both."""
    if isinstance(op, ast.Add):
        return left[0] + right[0], left[1] + right[1]
    if isinstance(op, ast.Sub):
        return left[0] - right[1], left[1] - right[0]
    if isinstance(op, ast.Mult):
        return _extremes([a * b for a in left for b in right])
    if isinstance(op, ast.Div):
        if right[0] <= 0 <= right[1]:
            raise _NoBounds  # the divisor may be 0: no finite bounds
        return _extremes([a / b for a in left for b in right])
    if isinstance(op, ast.Pow) and right[0] == right[1]:
        if left[0] == left[1]:  # exact to an exact power ((-2)**2 too)
            return _exact_power(left[0], right[0])
        if left[0] > 0:  # a positive base to a fixed power is monotonic: its ends give the ends
            return _extremes([left[0] ** right[0], left[1] ** right[0]])
    raise _NoBounds


def _exact_power(base: float, exponent: float) -> tuple[float, float]:
    result: float | complex = base**exponent
    if isinstance(result, complex):
        raise _NoBounds
    return result, result


def _extremes(values: list[float]) -> tuple[float, float]:
    return min(values), max(values)
