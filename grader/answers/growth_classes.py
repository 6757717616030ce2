"""Reading a growth class such as ``O(L^2)`` from the many ways students write one.

The class is found by evaluating the expression at two large values of the variable and
reading the growth exponent, so constant factors and lower-order terms do not matter. A class
inside a sentence (``also O(L^2), about half as many``) is read when the sentence names exactly
one class; one that names two different classes, or negates, is refused and says so.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Collection

from grader.answers.expression import MAX_LENGTH, evaluate, normalise
from grader.answers.latex import plain_from_latex
from grader.errors import AnswerFormatError

__all__ = ["read_complexity"]

_CACHE_SIZE = 4096
_APPROXIMATELY = re.compile(
    r"^(?:[≈~≃=]|(?i:about|approximately|approx\.?|roughly|around|ca\.)(?=[\s\d.+\-(]))\s*"
)


def _short(text: str, limit: int = 40) -> str:
    """The student's text for a one-line message: white space collapsed, cut at ``limit``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def read_complexity(text: str, *, variable: str, constants: Collection[str] = ()) -> str:
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
        variable: The letter of the canonical answer: the part's ``variable`` in its sheet.
        constants: Letters that are never the variable (e.g. the sheet's ``d``).

    Returns:
        The canonical class in ``variable``: ``"O(1)"``, ``"O(L)"``, ``"O(L^2)"``,
        ``"O(L log L)"``, ... (for the variable ``L``).

    Raises:
        AnswerFormatError: The text is not a readable growth class.

    Example:
        >>> read_complexity("O(L(L+1)/2)", variable="L")
        'O(L^2)'
    """
    if len(text) > MAX_LENGTH:
        raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
    # Only membership in ``constants`` matters, so a frozenset keys the cache exactly.
    return _read_complexity(plain_from_latex(text), variable, frozenset(constants))


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _read_complexity(text: str, variable: str, constants: frozenset[str]) -> str:
    """:func:`read_complexity` after the length check, cached (refusals are not cached)."""
    try:
        return _read_class(text, variable, constants)
    except AnswerFormatError:
        found, negated = _classes_in_sentence(text, variable, constants)
        if not found:
            raise
        if negated:
            raise AnswerFormatError(
                f"'{_short(text)}' is unclear: write just the growth class, such as {found[0]}",
                readings=tuple(found),
            ) from None
        if len(found) > 1:
            raise AnswerFormatError(
                f"'{_short(text)}' names {len(found)} growth classes, {' and '.join(found)}:"
                " give one",
                readings=tuple(found),
            ) from None
        return found[0]


def _read_class(text: str, variable: str, constants: frozenset[str]) -> str:
    """The class of a text that is nothing but a growth class (perhaps with words after)."""
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


# In a sentence: "O(...)" and its kin up to the matching parenthesis, the words, and powers of
# the variable ("L^2", "L²").
_BOUND_START = re.compile(r"(?:big\s*)?(?:O|Θ|Ω|Theta|Omega)\s*\(")
# A class word, but not "constant factor" or "linear layer": words that name no growth.
_CLASS_WORD = re.compile(
    r"\b(constant|linear|quadratic|cubic)(?:ly|ally)?\b(?!\s+(?:factors?|terms?|coefficients?"
    r"|multiples?|offsets?|layers?|projections?|maps?|transformations?|algebra|combinations?))",
    re.IGNORECASE,
)
# "the constant", "a smaller constant": the constant factor of a class, no class of its own.
_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|its|same|smaller|larger|lower|higher|better|worse|leading|different|half)\s+$",
    re.IGNORECASE,
)
# A negation right before a class, in the same clause: "not O(L)", "rather than quadratic".
_NEGATED = re.compile(
    r"\b(?:not|no|neither|nor|never|isn't|rather than|instead of)\b[^,;:()]{0,12}$",
    re.IGNORECASE,
)


def _classes_in_sentence(
    text: str, variable: str, constants: frozenset[str]
) -> tuple[list[str], bool]:
    """The distinct growth classes a sentence names, in the order it names them, and whether
    it negates one of them."""
    pieces = [
        (match.start(), match.group(1).lower())
        for match in _CLASS_WORD.finditer(text)
        if match.group(1).lower() != "constant" or not _NOUN_BEFORE.search(text, 0, match.start())
    ]
    pieces += _bounded(text)
    power = re.compile(rf"(?<![A-Za-z]){re.escape(variable)}\s*(?:\^\s*\d+|\*\*\s*\d+|[²³])")
    pieces += [(match.start(), match.group()) for match in power.finditer(text)]
    found: list[str] = []
    negated = False
    for start, piece in sorted(pieces):
        try:
            read = _read_class(piece, variable, constants)
        except AnswerFormatError:
            continue
        negated = negated or bool(_NEGATED.search(text, 0, start))
        if read not in found:
            found.append(read)
    return found, negated


def _bounded(text: str) -> list[tuple[int, str]]:
    """Each ``O(...)`` of ``text``, up to its matching parenthesis, with where it starts."""
    pieces = []
    for match in _BOUND_START.finditer(text):
        depth = 0
        for end in range(match.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                pieces.append((match.start(), text[match.start() : end + 1]))
                break
    return pieces


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
