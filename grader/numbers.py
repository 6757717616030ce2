"""Readers for students' answers: numbers (with units and shown work), choices, complexities.

The grading engine calls :func:`read_number`, :func:`read_choice` and :func:`read_complexity`;
each returns a canonical value or raises :class:`~grader.errors.AnswerFormatError` with a
one-line message for the student. Nothing here guesses silently: a spelling that can mean two
things (``1,806``: 1806 or 1.806?) is an error that says what to write instead.

Number spellings (the rules Moodle documents for its numerical questions):

* thousands separators ``1,806,336``, ``1 806 336`` (also thin and no-break spaces) and
  ``1'806'336``, in groups of exactly three digits;
* a comma is a decimal point (``2,25`` = 2.25) unless the number also has a ``.`` or its
  groups of three digits repeat; a single comma followed by exactly three digits
  (``1,806``, ``1,000``) is ambiguous and refused;
* scientific notation and arithmetic through :mod:`grader.expression`, units through
  :mod:`grader.units`;
* shown work, ``expr = result`` (also ``≈`` and ``~``): the result is the graded value, the
  expression's value is kept so the engine can tell a slip from a wrong method. A side
  without a unit is in the part's unit, so ``2*56*56*9*32 = 1.81 MFLOP`` reads as
  1806336 FLOP = 1.81e6 FLOP.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from grader.errors import AnswerFormatError
from grader.expression import MAX_LENGTH, evaluate, normalise
from grader.units import split_number_unit, to_unit

__all__ = ["NumericAnswer", "read_choice", "read_complexity", "read_number"]


@dataclass(frozen=True)
class NumericAnswer:
    """A numeric answer as read, in the part's unit.

    Attributes:
        value: The graded value (the stated result when the student wrote ``expr = result``).
        expression_value: The value of ``expr`` in ``expr = result``; None without shown work.
        significant_figures: Of the stated number when it is a plain (possibly rounded) number;
            None for an expression with operators, which is treated as exact.
        text: The stripped original text.
    """

    value: float
    expression_value: float | None
    significant_figures: int | None
    text: str


_APPROXIMATELY = re.compile(
    r"^(?:[≈~≃=]|(?i:about|approximately|approx\.?|roughly|around|ca\.)(?=[\s\d.+\-(]))\s*"
)
_SIDE_SEPARATOR = re.compile(r"[=≈~≃≅]+")
# Digits joined by single separators: "1,806,336", "1 806 336", "2,25", "1'806'336.5".
_SEPARATED_NUMBER = re.compile(r"\d+(?:[.,'’\u00a0\u2009\u202f ]\d+)+")
_GROUPING = {",": ",", "'": "'", "’": "'", " ": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " "}
_PLAIN = re.compile(r"[+-]?(?P<mantissa>\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SCIENTIFIC = re.compile(r"[+-]?(?P<mantissa>\d+\.?\d*|\.\d+)\*10\*\*\(?[+-]?\d+\)?")
_POWER_OF_TEN = re.compile(r"[+-]?10\*\*\(?[+-]?\d+\)?")
_OPERATOR_END = frozenset("+-*/^(×·⋅∗÷−–")
# Entries are short texts and small results; a class of thousands repeats far fewer answers.
_CACHE_SIZE = 4096
_FIRST_WORD = re.compile(r"[^\W\d]+")
_NON_DIGIT = re.compile(r"\D")


def read_number(
    text: str, *, unit: str, symbols: Mapping[str, float] | None = None
) -> NumericAnswer:
    """Read a numeric answer, with optional unit and shown work, in the part's unit.

    Args:
        text: The student's answer, e.g. ``"2 × 56 × 56 × 3 × 3 × 32 = 1,811,072"``.
        unit: The part's unit (``"FLOP"``, ``"byte"``, ``"FLOP/byte"``, ``"FLOP/s"``,
            ``"byte/s"`` or ``"1"``); a number without a unit is in this unit.
        symbols: Values of the sheet's symbols that expressions may use (``L``, ``d``, ...).

    Returns:
        The answer read; see :class:`NumericAnswer`.

    Raises:
        AnswerFormatError: Empty, malformed, ambiguous, or a unit of the wrong kind.

    Example:
        >>> read_number("2 × 56 × 56 × 3 × 3 × 32 = 1,811,072", unit="FLOP")
        NumericAnswer(value=1811072.0, expression_value=1806336.0, significant_figures=7, \
text='2 × 56 × 56 × 3 × 3 × 32 = 1,811,072')
    """
    stripped = text.strip()
    if not stripped:
        raise AnswerFormatError("no answer")
    if len(stripped) > MAX_LENGTH:
        raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
    # The symbols' values are part of the key: the same text means another number elsewhere.
    items = tuple(symbols.items()) if symbols else ()
    if symbols and 0 in symbols.values():
        # 0.0 and -0.0 are one key but may give answers of different sign: not cached.
        return _read_stripped.__wrapped__(stripped, unit, items)
    return _read_stripped(stripped, unit, items)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _read_stripped(
    stripped: str, unit: str, symbols: tuple[tuple[str, float], ...]
) -> NumericAnswer:
    """:func:`read_number` after its cheap checks, cached: answers repeat a lot across a class.

    Only answers are cached (the answer is frozen, so sharing it is safe); a refusal raises
    afresh each time, through the caches of :mod:`grader.expression` and :mod:`grader.units`.
    """
    names = dict(symbols)
    sides = _split_sides(_ascii_digits(_APPROXIMATELY.sub("", stripped, count=1)))
    readings = [_read_side(side, unit, names) for side in sides[:-1]]
    try:
        readings.append(_read_side(sides[-1], unit, names))
    except AmbiguousComma as error:
        if not readings:
            raise
        # "… = 803,968": the student's own expression says which reading they meant.
        readings.append(_disambiguate(sides[-1], error.written, readings[0][0], unit, names))
    value, figures = readings[-1]
    return NumericAnswer(
        value=value,
        expression_value=readings[0][0] if len(readings) > 1 else None,
        significant_figures=figures,
        text=stripped,
    )


class AmbiguousComma(AnswerFormatError):
    """A number such as ``1,806`` that reads as 1806 or 1.806."""

    def __init__(self, written: str) -> None:
        whole, _, fraction = written.partition(",")
        super().__init__(f"'{written}' is ambiguous: write {whole}{fraction} or {whole}.{fraction}")
        self.written = written


def _disambiguate(
    side: str, written: str, expression: float, unit: str, names: Mapping[str, float]
) -> tuple[float, int | None]:
    """Read ``side`` with the comma of ``written`` taken the way that matches the expression."""
    for mark in ("", "."):
        candidate = side.replace(written, written.replace(",", mark), 1)
        value, figures = _read_side(candidate, unit, names)
        if math.isclose(value, expression, rel_tol=1e-9):
            return value, figures
    raise AmbiguousComma(written)


def _ascii_digits(text: str) -> str:
    """Full-width and other decimal digits as ASCII (superscripts are not decimal: kept)."""
    if text.isascii():  # the usual case: nothing to convert
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _split_sides(text: str) -> list[str]:
    sides = [side.strip() for side in _SIDE_SEPARATOR.split(text)]
    if not sides[0]:
        raise AnswerFormatError("nothing before '='")
    if not all(sides):
        raise AnswerFormatError("nothing after '='")
    return sides


def _read_side(side: str, unit: str, names: Mapping[str, float]) -> tuple[float, int | None]:
    """The value of one side of ``expr = result`` in the part's unit and its figures."""
    number, unit_text = split_number_unit(side, names)
    if not number or number[-1] in _OPERATOR_END:
        # A word where a number or operand belongs ("nan", "open(...)", "2*q"): the
        # evaluator names the problem.
        evaluate(side, names)
        raise AnswerFormatError(f"expected a number, got '{_short(side)}'")
    first_word = _FIRST_WORD.match(unit_text)
    if first_word and first_word.group() in names:
        raise AnswerFormatError(f"missing operator: write {number}*{first_word.group()}")
    plain = _resolve_separators(number)
    value = evaluate(plain, names)
    if unit_text:
        value = to_unit(value, unit_text, unit)
    return value, _significant_figures(plain, names)


def _resolve_separators(number: str) -> str:
    """Rewrite every number with separators or a decimal comma as a plain Python number."""
    return _SEPARATED_NUMBER.sub(lambda match: _plain_number(match.group()), number)


def _plain_number(written: str) -> str:
    if "." in written:
        whole, _, fraction = written.partition(".")
        if not fraction.isdecimal():
            raise AnswerFormatError(_unreadable(written))
        return _ungroup(whole, written) + "." + fraction
    if written.count(",") == 1:
        whole, _, fraction = written.partition(",")
        if _is_ambiguous_comma(whole, fraction):
            raise AmbiguousComma(written)
        if fraction.isdecimal():
            return _ungroup(whole, written) + "." + fraction
    return _ungroup(written, written)


def _is_ambiguous_comma(whole: str, fraction: str) -> bool:
    # "1,806" is 1806 to an English reader and 1.806 to a German one. "0,806" and "12,5" are
    # not: a thousands group never follows a lone 0, and never has other than 3 digits.
    return whole.isdecimal() and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole != "0"


def _ungroup(whole: str, written: str) -> str:
    """Remove thousands separators from the integer part ``whole`` of ``written``."""
    if whole.isdecimal():
        return whole
    kinds = {_GROUPING.get(char) for char in whole if not char.isdecimal()}
    groups = _NON_DIGIT.split(whole)
    if (
        len(kinds) != 1
        or None in kinds
        or not 1 <= len(groups[0]) <= 3
        or any(len(group) != 3 for group in groups[1:])
    ):
        raise AnswerFormatError(_unreadable(written))
    return "".join(groups)


def _unreadable(written: str) -> str:
    return (
        f"cannot read '{written}': separate thousands in groups of three (1,806,336 or"
        " 1 806 336) and use one decimal mark"
    )


def _significant_figures(plain: str, names: Mapping[str, float]) -> int | None:
    """Figures of a plain or scientific number; None for an expression with operators."""
    compact = normalise(plain, names).replace(" ", "")
    if _POWER_OF_TEN.fullmatch(compact):
        return 1
    match = _PLAIN.fullmatch(compact) or _SCIENTIFIC.fullmatch(compact)
    if match is None:
        return None
    mantissa = match.group("mantissa")
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")  # 1806000: trailing zeros of an integer are not significant
    return max(len(digits), 1)


def _short(text: str, limit: int = 40) -> str:
    """The student's text for a one-line message: white space collapsed, cut at ``limit``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- choices --------------------------------------------------------------------------------

_DASHES = re.compile(r"[-_‐‑–—]")
_NEGATION = re.compile(r"\b(?:not|no|neither|nor|never|isn't|isnt|rather|instead)\b|n't\b")


def read_choice(text: str, *, choices: Mapping[str, Sequence[str]]) -> str:
    """Map a student's spelling to one of the canonical choices.

    Matching ignores case, hyphens, underscores, extra spaces and a trailing period. A text
    that is not exactly a spelling may still name exactly one choice in a short sentence
    ("memory-bound because ..."); one that names several or negates ("not memory-bound") is
    refused rather than guessed.

    Args:
        text: The student's answer.
        choices: Canonical choice -> other accepted spellings.

    Returns:
        The canonical choice.

    Raises:
        AnswerFormatError: Unknown, negated, or naming more than one choice.

    Example:
        >>> read_choice("Memory_Bound.", choices={"memory-bound": ["memory"], "compute-bound": []})
        'memory-bound'
    """
    wanted = _choice_key(text)
    if not wanted:
        raise AnswerFormatError("no answer")
    spellings = {
        choice: {_choice_key(s) for s in (choice, *aliases)} for choice, aliases in choices.items()
    }
    exact = [choice for choice, keys in spellings.items() if wanted in keys]
    if len(exact) == 1:
        return exact[0]
    named = [c for c, keys in spellings.items() if any(f" {k} " in f" {wanted} " for k in keys)]
    if len(named) > 1 or len(exact) > 1:
        raise AnswerFormatError(
            f"'{_short(text)}' names both {' and '.join(named or exact)}: choose one"
        )
    if len(named) == 1 and not _NEGATION.search(wanted):
        return named[0]
    if named:
        raise AnswerFormatError(
            f"'{_short(text)}' is unclear: write just one of: {', '.join(choices)}"
        )
    raise AnswerFormatError(f"'{_short(text)}' is not one of: {', '.join(choices)}")


@functools.lru_cache(maxsize=4096)
def _choice_key(text: str) -> str:
    # Cached: every call also keys all the spellings of every choice.
    text = unicodedata.normalize("NFKC", text).casefold().strip().removesuffix(".")
    return " ".join(_DASHES.sub(" ", text).split())


# --- complexity classes ---------------------------------------------------------------------

_WORD_CLASSES = {"constant": (0, 0), "linear": (1, 0), "quadratic": (2, 0), "cubic": (3, 0)}
_WORD_CLASS = re.compile(r"(constant|linear|quadratic|cubic)(?:\s+(?:time|in\s+[a-z]))?")
# "O(L^2)", also followed by plain words ("O(L^2) time"), but not by a negation.
_BOUND = re.compile(
    r"(?:big\s*)?(?:O|Θ|Ω|Theta|Omega)\s*\((?P<inner>.*)\)(?!.*\b(?:not|no|or)\b)[A-Za-z ]*",
    re.IGNORECASE,
)
# log L, log(n), log_2 L, lg L, ln L, log^2 L (normalised to log**(2) L); the base is a constant.
_LOG = re.compile(
    r"(?:log|ln|lg)(?:_?\d+)?(?P<power>\*\*\(?\d\)?)?"
    r"\s*(?:\(\s*(?P<arg1>[A-Za-z])\s*\)|(?P<arg2>[A-Za-z]))"
)
_COMPLEXITY_TOKEN = re.compile(
    r"\s*(?:(?P<log>@[A-Za-z])|(?P<number>\d+\.?\d*|\.\d+)|(?P<word>[A-Za-z]+)|(?P<other>\S))"
)
# Large sizes make lower-order terms vanish; log L over this span doubles, so a log factor
# adds ln(2)/ln(1e6) ≈ 0.05 to the measured exponent and is told apart from a power.
_SMALL, _LARGE = 1e6, 1e12
_LOG_STEP = math.log(math.log(_LARGE) / math.log(_SMALL)) / math.log(_LARGE / _SMALL)
_TOLERANCE = 0.01
_CONSTANT_VALUE = 7.0


def read_complexity(text: str, *, variable: str = "L", constants: Collection[str] = ()) -> str:
    """Read a growth class such as ``O(L^2)`` from many spellings.

    Accepts ``O(L^2)``, ``Θ(L²)``, ``Theta(L^2)``, ``Ω(L^2)``, ``L^2``, ``O(n^2)`` (any single
    letter), ``quadratic``, ``≈ L²/2``, ``O(L(L+1)/2)``, ``0.5 L^2``, ``O(L log L)``. The
    class is found by evaluating the expression at two large values of the variable and
    reading the growth exponent, so constant factors and lower-order terms do not matter.
    Letters other than the variable are constants (``O(L^2 d)`` is ``O(L^2)``); when the
    variable does not appear, a single other letter not in ``constants`` is taken as the
    student's name for it (``O(n^2)``).

    Args:
        text: The student's answer.
        variable: The letter of the canonical answer.
        constants: Letters that are never the variable (e.g. the sheet's ``d``).

    Returns:
        The canonical class: ``"O(1)"``, ``"O(L)"``, ``"O(L^2)"``, ``"O(L log L)"``, ...

    Raises:
        AnswerFormatError: The text is not a readable growth class.

    Example:
        >>> read_complexity("O(L(L+1)/2)")
        'O(L^2)'
    """
    if len(text) > MAX_LENGTH:
        raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
    # Only membership in ``constants`` matters, so a frozenset keys the cache exactly.
    return _read_complexity(text, variable, frozenset(constants))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _read_complexity(text: str, variable: str, constants: frozenset[str]) -> str:
    """:func:`read_complexity` after the length check, cached (refusals are not cached)."""
    # normalise() rewrites superscripts before NFKC (NFKC alone makes "L²" into "L2").
    key = normalise(text, ("x", "X")).removesuffix(".")
    key = _APPROXIMATELY.sub("", key, count=1).strip()
    word = _WORD_CLASS.fullmatch(key.casefold())
    if word:
        return _format_class(*_WORD_CLASSES[word.group(1)], variable)
    bound = _BOUND.fullmatch(key)
    inner = bound.group("inner") if bound else key
    if not inner.strip():
        raise AnswerFormatError("no answer")
    allowed = {variable, *constants}
    expression, letters = _complexity_expression(inner, allowed)
    student_variable = _student_variable(letters, variable, constants, text)
    power, logs = _growth(expression, letters, student_variable, text)
    return _format_class(power, logs, variable)


def _complexity_expression(inner: str, allowed: set[str]) -> tuple[str, set[str]]:
    """Write out the implicit products of ``2L^2``, ``L log L``, ``L(L+1)``; list the letters.

    ``log L`` becomes the name ``log_L``, bound to ln(L) when the expression is evaluated. A
    run of letters is a product (``Ld``) only when each is in ``allowed``; any other word is
    refused, so that a sentence that happens to contain an L is not read as ``O(L)``.
    """
    inner = _LOG.sub(_log_marker, inner)
    pieces: list[str] = []
    letters: set[str] = set()
    previous = ""  # "operand" after a number, letter, log or ")"
    for match in _COMPLEXITY_TOKEN.finditer(inner):
        kind, piece = match.lastgroup or "other", match.group(match.lastgroup or "other")
        if (kind == "word" and len(piece) > 1 and not set(piece) <= allowed) or piece in "Oo":
            raise AnswerFormatError(f"unexpected word '{_short(piece, 20)}'")
        if kind in ("log", "word"):
            letters.update(piece.lstrip("@"))
            piece = f"log_{piece[1]}" if kind == "log" else "*".join(piece)
        starts_operand = kind in ("log", "word") or piece == "("
        if previous == "operand" and (starts_operand or (kind == "number" and pieces[-1] == ")")):
            pieces.append("*")
        pieces.append(piece)
        previous = "operand" if kind in ("log", "word", "number") or piece == ")" else ""
    return "".join(pieces), letters


def _log_marker(match: re.Match[str]) -> str:
    """``log L`` -> ``@L`` (a token of its own), ``log^2 L`` -> ``(@L**(2))``."""
    marker = "@" + (match.group("arg1") or match.group("arg2"))
    power = match.group("power")
    return f"({marker}{power})" if power else marker


def _student_variable(
    letters: set[str], variable: str, constants: Collection[str], text: str
) -> str | None:
    if variable in letters or not letters:
        return variable if variable in letters else None
    candidates = letters - set(constants)
    if len(candidates) <= 1:
        return candidates.pop() if candidates else None
    raise AnswerFormatError(f"cannot tell which letter is {variable} in '{_short(text)}'")


def _growth(expression: str, letters: set[str], var: str | None, text: str) -> tuple[float, int]:
    """The exponents of the variable and of its logarithm in the dominant term."""
    small = _evaluate_at(expression, letters, var, _SMALL, text)
    large = _evaluate_at(expression, letters, var, _LARGE, text)
    if small <= 0 or large <= 0:
        raise AnswerFormatError(f"cannot read '{_short(text)}' as a growth class")
    exponent = math.log(large / small) / math.log(_LARGE / _SMALL)
    if abs(exponent - round(exponent)) < _TOLERANCE:
        return round(exponent), 0
    power = math.floor(exponent)
    logs = round((exponent - power) / _LOG_STEP)
    if 1 <= logs <= 3 and abs(exponent - power - logs * _LOG_STEP) < _TOLERANCE:
        return power, logs
    if abs(2 * exponent - round(2 * exponent)) < _TOLERANCE:
        return round(2 * exponent) / 2, 0  # a square root: O(L^1.5)
    raise AnswerFormatError(f"cannot read '{_short(text)}' as a growth class")


def _evaluate_at(
    expression: str, letters: set[str], var: str | None, size: float, text: str
) -> float:
    values = {letter: size if letter == var else _CONSTANT_VALUE for letter in letters}
    logs = {f"log_{letter}": math.log(value) for letter, value in values.items()}
    try:
        return evaluate(expression, values | logs)
    except AnswerFormatError as error:
        raise AnswerFormatError(
            f"cannot read '{_short(text)}' as a growth class: {error.message}"
        ) from None


def _format_class(power: float, logs: int, variable: str) -> str:
    shown_power = int(power) if float(power).is_integer() else power
    parts = []
    if shown_power == 1:
        parts.append(variable)
    elif shown_power != 0:
        parts.append(f"{variable}^{shown_power}")
    if logs:
        parts.append(f"log{'^' + str(logs) if logs > 1 else ''} {variable}")
    return f"O({' '.join(parts) or '1'})"
