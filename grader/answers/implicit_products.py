"""Implicit multiplication, as in any textbook: ``2 L^2 d``, ``L(L+1)/2``, ``2(L·d)``, ``2Ld²``.

:func:`explicit_products` runs on the evaluator's normalised text (``*``, ``**``, ASCII digits)
and writes every product out, so that the parser and its whitelist see ordinary arithmetic.
Operands side by side multiply when the left one is a number, a declared symbol or a closing
parenthesis and the right one a declared symbol or an opening parenthesis. A run of letters
(``Ld``, ``CHW``) is a product when every letter is a declared symbol and the run is not a
symbol itself, a unit (``KB``) or a word. Nothing is guessed:

* two numbers side by side (``2 3``), a number after a symbol or a parenthesis (``L 2``),
  and a word that is not a symbol next to anything are left for the parser to refuse;
* a product written right after ``/`` (``1/2 L``, ``L/2d``) is refused as ambiguous: a textbook
  means ``(1/2)·L`` by the first and ``L/(2d)`` by the second; the message shows both.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from grader.answers.simple_units import is_unit_name
from grader.errors import AnswerFormatError

__all__ = ["explicit_products", "is_symbol_run"]

_TOKEN = re.compile(
    r"(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[^\W\d]\w*)|(?P<space>\s+)"
    r"|(?P<op>\*\*|.)",
    re.DOTALL,
)
# Short words made of letters a sheet may well declare (a, d, n, h, ...): never products.
_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "be",
        "by",
        "do",
        "for",
        "he",
        "if",
        "in",
        "is",
        "it",
        "no",
        "of",
        "on",
        "or",
        "per",
        "so",
        "the",
        "to",
        "up",
        "us",
        "we",
    ]
)
_OPERAND_END = frozenset({"number", "symbol", ")"})
_TERM_OPERATORS = frozenset("+-*/")


def is_symbol_run(word: str, symbols: Collection[str]) -> bool:
    """Whether ``word`` is letters that each are a declared symbol (``Ld``, ``CHW``), and
    not a symbol itself, a unit or a word: then it is their product."""
    return (
        len(word) > 1
        and word not in symbols
        and all(char in symbols for char in word)
        and not is_unit_name(word)
        and word.lower() not in _WORDS
    )


def explicit_products(source: str, symbols: Collection[str]) -> str:
    """``source`` with every implicit product written as ``*``.

    Raises:
        AnswerFormatError: A product right after ``/``, with both readings.

    Example:
        >>> explicit_products("2 L**2 d", {"L", "d"}), explicit_products("L(L+1)/2", {"L"})
        ('2 *L**2 *d', 'L*(L+1)/2')
    """
    out: list[str] = []
    inserted: list[bool] = []  # per piece of ``out``: a "*" written here, not by the student
    after_division: list[int | None] = [None]  # per parenthesis depth: where the operand after
    previous = ""  # the last piece's kind: number, symbol, ")" or "" (an operator, a word)
    ambiguous: int | None = None  # where the operand after "/" starts that a product follows
    for match in _TOKEN.finditer(source):
        kind, text = match.lastgroup or "op", match.group()
        if kind == "space":  # kept: "2 3" must stay two numbers for the parser to refuse
            out.append(text)
            inserted.append(False)
            continue
        if kind == "name" and (text in symbols or is_symbol_run(text, symbols)):
            kind, text = "symbol", text if text in symbols else "*".join(text)
        if previous in _OPERAND_END and (kind == "symbol" or text == "("):
            if after_division[-1] is not None and ambiguous is None:
                ambiguous = after_division[-1]
            out.append("*")
            inserted.append(True)
        _track_depth(text, after_division, len(out) + 1)
        out.append(text)
        inserted.append(False)
        previous = kind if kind in ("number", "symbol") else text if text == ")" else ""
    if ambiguous is not None:
        raise _ambiguous_division(out, inserted, ambiguous)
    return "".join(out)


def _track_depth(text: str, after_division: list[int | None], next_index: int) -> None:
    """Keep, per parenthesis depth, where the operand after the last ``/`` of its term starts."""
    if text == "(":
        after_division.append(None)
    elif text == ")":
        if len(after_division) > 1:
            after_division.pop()
    elif text in _TERM_OPERATORS:
        after_division[-1] = next_index if text == "/" else None


def _ambiguous_division(out: list[str], inserted: list[bool], start: int) -> AnswerFormatError:
    """``a/b c`` read both ways: ``(a/b)*c`` as written left to right, and ``a/(b*c)``."""
    depth, end = 0, len(out)
    for index in range(start, len(out)):
        piece = out[index]
        if piece == "(":
            depth += 1
        elif piece == ")":
            depth -= 1
            if depth < 0:
                end = index
                break
        elif depth == 0 and piece in _TERM_OPERATORS and not inserted[index]:
            end = index
            break
    left_to_right = _display(out)
    grouped = _display([*out[:start], "(", *out[start:end], ")", *out[end:]])
    return AnswerFormatError(
        f"a product right after '/' is ambiguous: write {_short(left_to_right)} or"
        f" {_short(grouped)}",
        readings=(left_to_right, grouped),
    )


def _display(pieces: list[str]) -> str:
    """The pieces as one text, spaces kept only between two operands (``2 3`` stays apart)."""
    shown = ""
    for index, piece in enumerate(pieces):
        if not piece.isspace():
            shown += piece
            continue
        after = next((p for p in pieces[index + 1 :] if not p.isspace()), "")
        if shown and (shown[-1].isalnum() or shown[-1] == ".") and after[:1].isalnum():
            shown += " "
    return shown


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
