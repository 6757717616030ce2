"""Where the number of an answer ends and its unit begins: ``2 L^2 d FLOP``, ``1.8 MFLOP``.

A word belongs to the arithmetic when it is the ``e`` of an exponent (``8e11``), the ``x`` of a
product (``2 x 10^6``) or a sheet symbol used in the arithmetic: next to an operator, at the
start, or right after an operand (``2*L*L*d``, ``2 L^2 d``, ``2Ld``; a run of symbols such as
``Ld`` counts as one). The first other word starts the unit.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from grader.answers.implicit_products import is_symbol_run
from grader.answers.simple_units import BARE_PREFIXES, is_unit_name
from grader.errors import AnswerFormatError

__all__ = ["split_number_unit"]

# Characters that may join a sheet symbol to the arithmetic around it (2*L, L², (L+1)).
_OPERATOR_CHARACTERS = frozenset("+-*/^()×·⋅∗∙÷−–=≈~（）＋－＊／＾⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_OPERAND_END = frozenset(".)）⁰¹²³⁴⁵⁶⁷⁸⁹")
_OPERAND_START = frozenset(".(（")
# The "e" of an exponent: after a digit or a point, before a digit (8e11, 2.e-3).
_EXPONENT = re.compile(r"[\d.][eE][+-]?\d")
# A superset of the characters that can start a word (str.isalpha() or "_"): without any, the
# whole text is arithmetic and the character-by-character scan can be skipped.
_MAY_START_WORD = re.compile(r"[^\W\d]")


def split_number_unit(text: str, symbols: Collection[str] = ()) -> tuple[str, str]:
    """Split an answer into its arithmetic and its unit text.

    The unit starts at the first word that is not the ``e`` of an exponent (``8e11``), the
    ``x`` of a product (``2 x 10^6``) or a sheet symbol used in the arithmetic: next to an
    operator, at the start, or right after an operand (``2*L*L*d``, ``2 L^2 d``, ``2Ld``; a
    run of symbols such as ``Ld`` counts as one).

    Args:
        text: One side of an answer, e.g. ``"2 x 10^6 FLOP"``.
        symbols: The names the sheet binds (``L``, ``d``, ...).

    Returns:
        ``(number, unit)``, both stripped; ``unit`` is ``""`` when there is none.

    Raises:
        AnswerFormatError: A symbol that is also a unit prefix written after a number with no
            operator (``2 K``: twice the kernel size, or 2 kilo?), with both readings.

    Example:
        >>> split_number_unit("2.5e2 MFLOP/s")
        ('2.5e2', 'MFLOP/s')
        >>> split_number_unit("2 L^2 d FLOP", {"L", "d"})
        ('2 L^2 d', 'FLOP')
    """
    if not _MAY_START_WORD.search(text):
        return text.strip(), ""
    position = 0
    # The last word read as arithmetic (a symbol or an "x") while only spaces follow it.
    previous = ""
    while position < len(text):
        char = text[position]
        # The "e" of an exponent (8e11) is read with the digits around it, not as a word.
        if (char.isalpha() or char == "_") and not _is_exponent(text, position):
            end = _word_end(text, position)
            if not _is_arithmetic_word(text, position, end, symbols, previous=previous):
                return text[:position].strip(), text[position:].strip()
            _refuse_symbol_or_prefix(text, position, end, symbols)
            previous = text[position:end]
            position = end
        else:
            if not char.isspace():
                previous = ""
            position += 1
    return text.strip(), ""


def _is_exponent(text: str, position: int) -> bool:
    return bool(_EXPONENT.match(text, max(position - 1, 0)))


def _word_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and (text[end].isalpha() or text[end] == "_"):
        end += 1
    return end


def _is_arithmetic_word(
    text: str, start: int, end: int, symbols: Collection[str], *, previous: str
) -> bool:
    """Whether the word ``text[start:end]`` belongs to the arithmetic, not to the unit.

    ``previous`` is the arithmetic word just before it (only spaces between), else "".
    """
    word = text[start:end]
    before, after = _neighbour(text, start - 1, -1), _neighbour(text, end, 1)
    if word in ("x", "X") and word not in symbols:
        # Neighbours are "" at either end of the text, and "" is in every str: test sets only.
        operand_before = before.isdecimal() or before in _OPERAND_END or previous in symbols
        operand_after = (
            after.isdecimal() or after in _OPERAND_START or _starts_symbol(text, end, symbols)
        )
        return bool(operand_before and operand_after)
    if word not in symbols and not is_symbol_run(word, symbols):
        return False
    return (
        bool(previous)
        or before == ""
        or before in _OPERATOR_CHARACTERS
        or before.isdecimal()
        or before in _OPERAND_END
        or after in _OPERATOR_CHARACTERS
    )


def _refuse_symbol_or_prefix(text: str, start: int, end: int, symbols: Collection[str]) -> None:
    """Refuse ``2 K`` (or ``2 K FLOP``) where the symbol ``K`` is also a unit or a prefix and
    nothing but a unit follows: the product and the unit are both fair readings."""
    word = text[start:end]
    before, after = _neighbour(text, start - 1, -1), _neighbour(text, end, 1)
    if not is_unit_name(word) or not (before.isdecimal() or before in _OPERAND_END):
        return
    if after and (after in _OPERATOR_CHARACTERS or _starts_symbol(text, end, symbols)):
        return
    number, rest = text[:start].strip(), text[end:].strip()
    multiplier = BARE_PREFIXES.get(word)
    as_unit = f"{number}*{multiplier:g} {rest}" if multiplier else f"({number}) {word} {rest}"
    raise AnswerFormatError(
        f"'{_short(text.strip())}' is ambiguous: {word} is a symbol of the sheet and also a"
        f" unit; write {number}*{word} for the product",
        readings=(f"{number}*{word} {rest}".strip(), as_unit.strip()),
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _neighbour(text: str, position: int, step: int) -> str:
    """The nearest non-space character from ``position`` in direction ``step``; "" at an end."""
    while 0 <= position < len(text):
        if not text[position].isspace():
            return text[position]
        position += step
    return ""


def _starts_symbol(text: str, position: int, symbols: Collection[str]) -> bool:
    rest = text[position:].lstrip()
    return rest[: _word_end(rest, 0)] in symbols  # "" (no word) is never a symbol
