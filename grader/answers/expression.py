"""Safe arithmetic on students' answers: an AST walker over floats.

Students write ``2 × 56 × 56 × 3 × 3 × 32``, ``2*64*128^2``, ``128²``, ``2.5·10^2`` or ``2*L*L*d``.
Every library we measured either executes code, reads files, hangs on ``9**9**9`` or silently
changes the meaning of ``^`` (see ``shared/research/reliability.md`` §3), so this module parses
the text with :mod:`ast` (which only parses, never runs anything) and evaluates a whitelist of
nodes itself:

* at most 200 characters and 100 AST nodes, so parsing and walking are bounded;
* only ``+ - * / **``, unary ``+ -``, parentheses, plain numbers and the sheet's symbols;
* every number is a ``float``, so a huge power is an immediate ``OverflowError`` instead of a
  big-integer computation that runs for minutes; every intermediate result must be finite.

Decimal commas and thousands separators belong to :mod:`grader.numbers`; a comma reaching this
module is always an error. Implicit multiplication (``2 L^2 d``, ``L(L+1)/2``, ``2Ld``) is written
out by :mod:`grader.implicit_products` before parsing, by its rules (two numbers side by side,
or a product right after ``/``, stay errors); the letter ``x`` between two operands
(``2 x 56``) is read as ``×``.
"""

from __future__ import annotations

import ast
import functools
import math
import re
import string
import unicodedata
import warnings
from collections.abc import Callable, Collection, Mapping

from grader.answers.implicit_products import explicit_products
from grader.errors import AnswerFormatError

__all__ = ["MAX_LENGTH", "MAX_NODES", "evaluate", "normalise"]

MAX_LENGTH = 200
MAX_NODES = 100
# NFKC and the ``**(n)`` rewriting can lengthen a text; this second cap keeps ``ast.parse``
# bounded even for 200 characters that each expand (e.g. U+FDFD becomes 18 characters).
_MAX_NORMALISED_LENGTH = 1000

_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SUPERSCRIPT_RUN = re.compile(r"\s*([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_OPERATOR_SIGNS = str.maketrans(
    {
        "×": "*",
        "·": "*",
        "⋅": "*",
        "∗": "*",
        "∙": "*",
        "÷": "/",
        "∕": "/",
        "−": "-",
        "–": "-",
        "‐": "-",
        "‑": "-",
        "^": "**",
    }
)
# The letter x between two operands ("2 x 56", "2.5x10^2", "2 x L") is a multiplication sign.
_TIMES_X = re.compile(r"(?:(?<=[0-9.)])\s*|(?<=\s))[xX](?![A-Za-z_])(?=\s|[0-9.(])")
_NUMBER_SPELLING = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_ALLOWED_CHARACTERS = frozenset(string.ascii_letters + string.digits + "_.+-*/() ")
_WORD = re.compile(r"[A-Za-z_]\w*")
_EXPONENT_WORD = re.compile(r"[eE]\d*")  # the "e3" of "1 e3", not a symbol
# Two operands side by side ("2L", "2 3", ")("); atomic groups keep "12" from splitting in two.
_JUXTAPOSED = re.compile(
    r"((?<![\w.])(?>\d+\.?\d*(?:[eE][+-]?\d+)?|[A-Za-z_]\w*)|\))\s*((?>[A-Za-z_]\w*|\d+\.?\d*)|\()"
)
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})
_COMMA_MESSAGE = "unexpected ',': write decimals with a point (1.5) and no thousands separators"
_ALLOWED_HINT = "use only numbers, + - * / ^ and parentheses"

# A plain number in ASCII digits, which the evaluator reads without normalising or parsing.
_PLAIN_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# Answers repeat a lot across a class; an entry is a short text and its small program.
_CACHE_SIZE = 4096
# A compiled expression: called with the symbols' values, it returns the value or raises.
_Program = Callable[[Mapping[str, float]], float]

_BINARY: frozenset[type[ast.operator]] = frozenset({ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow})


def normalise(text: str, symbols: Collection[str] = ()) -> str:
    """Rewrite typographic arithmetic as Python operators.

    Superscripts are rewritten *before* NFKC, because NFKC turns ``128²`` into ``1282``.

    Args:
        text: The student's expression.
        symbols: Names the sheet binds; when ``x`` is one of them it is never read as ``×``.

    Returns:
        The text with ``× · ÷ − ^`` and superscripts as ``* / - **``, full-width forms folded,
        and runs of white space collapsed to one space.

    Example:
        >>> normalise("2.5 × 10⁻³ − 128²")
        '2.5 * 10**(-3) - 128**(2)'
    """
    return _normalise(text, "x" in symbols or "X" in symbols)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _normalise(text: str, x_is_symbol: bool) -> str:
    """:func:`normalise`, cached: the symbols matter only through whether ``x`` is one."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: f"**({m.group(1).translate(_SUPERSCRIPT_DIGITS)})", text)
    text = unicodedata.normalize("NFKC", text).translate(_OPERATOR_SIGNS)
    text = " ".join(text.split())
    if not x_is_symbol:
        text = _TIMES_X.sub(" *", text)
    return " ".join(text.split())


def evaluate(text: str, symbols: Mapping[str, float] | None = None) -> float:
    """Evaluate a student's arithmetic expression safely.

    Args:
        text: The expression, e.g. ``"2 × 56 × 56 × 3 × 3 × 32"`` or ``"2*L*L*d"``.
        symbols: Values of the names the expression may use (the sheet's givens).

    Returns:
        The finite float value.

    Raises:
        AnswerFormatError: With a one-line message for the student when the text is not a
            readable arithmetic expression or its value is not a finite real number.

    Example:
        >>> evaluate("2 x 56 x 56 x 3 x 3 x 32")
        1806336.0
        >>> evaluate("2*L*L*d", {"L": 1024, "d": 128})
        268435456.0
    """
    names: Mapping[str, float] = symbols or {}
    if len(text) > MAX_LENGTH:
        raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
    plain = _plain_number(text)
    if plain is not None:
        return plain
    try:
        # Keyed by the names, not their values: the values are read when the program runs, so
        # one entry serves every student (and every carried-forward value) alike.
        program = _compile(text, frozenset(names))
    except _Transient as error:
        raise AnswerFormatError(error.message) from None
    try:
        return program(names)
    except OverflowError:
        raise AnswerFormatError("number too large") from None
    except ZeroDivisionError:
        raise AnswerFormatError("division by zero") from None


def _plain_number(text: str) -> float | None:
    """The value of a plain number such as ``288`` or ``2.25``, read without any parsing.

    None when the text is anything else, or when the AST path would not give a finite float
    for it: ``007`` is not a Python literal, ``1e400`` is infinite; that path words the error.
    """
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    if text[0] == "0" and text.isdigit() and text.strip("0"):
        return None
    value = float(text)  # the parser reads literals with this same conversion
    return value if math.isfinite(value) else None


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _compile(text: str, names: frozenset[str]) -> _Program:
    """Normalise, parse and check ``text`` once; the program reads the symbols' values later.

    Every refusal that does not depend on a value becomes a :func:`_refusal` step at the place
    where the walk would have met it, so errors come in the same order as when walking the tree.

    Raises:
        _Transient: The parser ran out of memory or stack; that is not cached.
    """
    try:
        _reject_number_like_characters(text)
        source = _normalise(text, "x" in names or "X" in names).strip()
        if not source:
            raise AnswerFormatError("no answer")
        if len(source) > _MAX_NORMALISED_LENGTH:
            raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
        if "," in source:
            # Python would read "2,25" as the tuple (2, 25); grader.numbers resolves commas first.
            raise AnswerFormatError(_COMMA_MESSAGE)
        # Writing products out adds at most one "*" per operand: the text stays bounded.
        source = explicit_products(source, names)
        if len(source) > 2 * _MAX_NORMALISED_LENGTH:
            raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
        tree = _parse(source, names)
        _check_size(tree)
        return _Compiler(source, names).program(tree.body)
    except AnswerFormatError as error:
        return _refusal(error.message, error.readings)


def _reject_number_like_characters(text: str) -> None:
    """Reject ``½``, ``①``, ``₂``: NFKC would turn ``1½`` into ``11/2``, a silent wrong value."""
    for char in _SUPERSCRIPT_RUN.sub("", text):
        if not char.isdecimal() and unicodedata.numeric(char, None) is not None:
            raise AnswerFormatError(f"unexpected character '{char}': write digits and / instead")


def _parse(source: str, names: Collection[str]) -> ast.Expression:
    """Parse (never run) the normalised text; explain the first problem when it is not Python."""
    try:
        with warnings.catch_warnings():
            # Odd texts (e.g. "'\\d'") make the parser warn; the warning is not for the student.
            warnings.simplefilter("ignore")
            return ast.parse(source, mode="eval")
    except (SyntaxError, ValueError):
        raise AnswerFormatError(_explain_syntax_error(source, names)) from None
    except (MemoryError, RecursionError):
        # Depends on the state of the process, not only on the text: never cached.
        raise _Transient(_explain_syntax_error(source, names)) from None


class _Transient(Exception):
    """A refusal that must not be cached (the parser ran out of memory or stack)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _explain_syntax_error(source: str, names: Collection[str]) -> str:
    """Name the first disallowed character, unknown word or missing operator in ``source``."""
    for char in source:
        if char not in _ALLOWED_CHARACTERS:
            shown = char if char.isprintable() else repr(char)[1:-1]
            return f"unexpected character '{shown}'"
    for word in _WORD.findall(source):
        if word not in names and not _EXPONENT_WORD.fullmatch(word):
            return _unknown_symbol(word, names)
    juxtaposed = _JUXTAPOSED.search(source)
    if juxtaposed:
        left, right = juxtaposed.group(1), juxtaposed.group(2)
        return f"missing operator between '{left}' and '{right}': write {left}*{right}"
    if source.count("(") != source.count(")"):
        return "unbalanced parentheses"
    return f"cannot read '{_short(source)}' as a number or arithmetic expression"


def _check_size(tree: ast.Expression) -> None:
    for count, _ in enumerate(ast.walk(tree), start=1):
        if count > MAX_NODES:
            raise AnswerFormatError("expression is too complex (more than 100 parts)")


def _unknown_symbol(name: str, names: Collection[str]) -> str:
    shown = _short(name, 20)
    if name.lower() in _NOT_FINITE:
        return f"'{shown}' is not a finite number"
    if not names:
        return f"unknown symbol '{shown}'; {_ALLOWED_HINT}"
    # "dff" for d_ff, "B" for the batch b: the symbol meant, spelled otherwise; named, not
    # guessed (B after a number is the byte, and a TA may read it either way)
    folded = _folded(name)
    meant = sorted(symbol for symbol in names if _folded(symbol) == folded)
    guess = f" (did you mean {' or '.join(meant)}?)" if meant else ""
    return f"unknown symbol '{shown}'{guess}; allowed: {', '.join(sorted(names))}"


def _folded(name: str) -> str:
    """A symbol without its case and underscores: how two spellings of one are compared."""
    return name.replace("_", "").casefold()


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refusal(message: str, readings: tuple[str, ...] = ()) -> _Program:
    """A step that refuses, where the walk of the tree would have refused."""

    def refuse(names: Mapping[str, float]) -> float:
        raise AnswerFormatError(message, readings=readings)

    return refuse


class _Compiler:
    """Turns a parsed expression into a :class:`_Program`; anything not whitelisted refuses."""

    def __init__(self, source: str, names: Collection[str]) -> None:
        self._source = source
        self._names = names

    def program(self, node: ast.expr) -> _Program:
        if isinstance(node, ast.Constant):
            return self._constant(node)
        if isinstance(node, ast.Name):
            name = node.id
            if name not in self._names:
                return _refusal(_unknown_symbol(name, self._names))
            return lambda names: _finite(float(names[name]))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.program(node.operand)
            return (lambda names: -operand(names)) if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            op, left, right = node.op, self.program(node.left), self.program(node.right)
            # Arguments run left to right, as the tree walk did: the first error is the same.
            return lambda names: _finite(_apply(op, left(names), right(names)))
        if isinstance(node, ast.Call):
            return _refusal(self._call_message(node))
        if isinstance(node, ast.BinOp | ast.UnaryOp):
            return _refusal(f"the operator in '{self._segment(node)}' is not allowed")
        return _refusal(f"'{self._segment(node)}' is not allowed: {_ALLOWED_HINT}")

    def _constant(self, node: ast.Constant) -> _Program:
        # Python also reads 0x1F, 1_000, 1j, True and strings; a student number is digits only.
        spelling = ast.get_source_segment(self._source, node) or ""
        value = node.value
        # The spelling test also excludes True/False, which are ints to isinstance.
        if not isinstance(value, int | float) or not _NUMBER_SPELLING.fullmatch(spelling):
            return _refusal(f"'{self._segment(node)}' is not a number")
        try:
            number = float(value)  # an int beyond the float range raises OverflowError
        except OverflowError:
            return _refusal("number too large")
        if not math.isfinite(number):
            return _refusal("number too large")
        return lambda names: number

    def _call_message(self, node: ast.Call) -> str:
        func = node.func
        if isinstance(func, ast.Name) and func.id not in self._names:
            return f"function calls like '{_short(func.id, 20)}(...)' are not allowed"
        if isinstance(func, ast.Attribute):
            return "function calls are not allowed"
        return f"missing operator before '(': write {_short(self._segment(func), 20)}*(...)"

    def _segment(self, node: ast.AST) -> str:
        return _short(ast.get_source_segment(self._source, node) or "?", 30)


def _apply(op: ast.operator, left: float, right: float) -> float:
    if isinstance(op, ast.Add):
        return left + right
    if isinstance(op, ast.Sub):
        return left - right
    if isinstance(op, ast.Mult):
        return left * right
    if isinstance(op, ast.Div):
        return left / right
    return _power(left, right)


def _power(base: float, exponent: float) -> float:
    # float ** float raises OverflowError instead of building a huge integer, but returns a
    # complex number for a negative base and a fractional exponent, e.g. (-8) ** (1/3).
    result: float | complex = base**exponent
    if isinstance(result, complex):
        raise AnswerFormatError("the result is not a real number")
    return result


def _finite(value: float) -> float:
    # Products of large floats overflow to inf without raising; 1e400 is already inf.
    if not math.isfinite(value):
        raise AnswerFormatError("number too large")
    return value
