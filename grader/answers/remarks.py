"""Remarks after an answer: ``1024 (one multiply per score)``, ``3.3 FLOP/B - the PIM ridge``,
``131072 B per projection``, ``~16 (about 6% of the ridge)``.

A careful TA reads the value and skips the words after it. :func:`remark_cuts` lists where such
a remark may start, for a reader to try when the whole text does not read:

* a parenthesised group at the end (not inside other parentheses) whose text holds a word;
* a dash with spaces around it (`` - ``), an en or em dash, a semicolon, a comma followed
  by a space and a word, or an arrow followed by a word (``2.25 FLOP/B → memory-bound``), when
  a word follows;
* a space after the unit, before more words (``B per projection``): only where the text before
  the cut already holds letters after the value's first digit (a unit), so that ``6.29
  zillion`` or ``about 6.29 zillion`` is never read as 6.29; and not where a word is followed by
  arithmetic (``201.3M params × 2 B`` is a product, not 201.3M and a remark).

A word is two letters or more that are not a sheet symbol or a run of them (``Ld``): arithmetic
in parentheses, such as ``2 × (56 × 56)`` or ``(L+1)``, is never a remark.

Words before the value (``There are 288 parameters``, ``ridge point at 250 FLOP/B``) are a
remark too (:func:`leading_words`), unless one of them changes the value (``half of 4096``,
``more than 4000``, ``not 4096``): a TA reads those, the grader refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Literal, NamedTuple

from grader.answers.implicit_products import is_symbol_run

__all__ = ["Cut", "has_word", "leading_words", "paren_depths", "remark_cuts", "trailing_group"]

MAX_CUTS = 8
"""Cuts tried at most for one answer (each is a full reading of the text before it)."""

_WORD = re.compile(r"[^\W\d_]{2,}")
_SEPARATOR = re.compile(
    r"\s+[-‐‑]\s+|\s*[–—]\s*|\s*;\s*|,\s+(?=[^\W\d_])|\s*(?:->|→|⇒)\s*(?=[^\W\d_])"
)
_SPACE_BEFORE_WORD = re.compile(r"\s+(?=[^\W\d_])")
# "201.3M params × 2 B": a word, then an operator and a number, is arithmetic on the quantity
# (parameters times bytes each), no remark; reading the value before it would grade a factor
# of the student's product as their answer.
_ARITHMETIC_AFTER_WORD = re.compile(r"[^\W\d_]+\s*[×*·⋅∗÷/]\s*[\d(]")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")


class Cut(NamedTuple):
    """Where a remark may start: ``text[:position]`` is the answer, the rest the remark."""

    position: int
    kind: Literal["group", "separator", "words"]


def has_word(text: str, symbols: Collection[str] = ()) -> bool:
    """Whether ``text`` holds a word: two letters or more, not a symbol or a run of them."""
    return any(
        match.group() not in symbols and not is_symbol_run(match.group(), symbols)
        for match in _WORD.finditer(text)
    )


def trailing_group(text: str) -> tuple[str, str] | None:
    """``(before, inside)`` for a text ending in a parenthesised group at the top level, else
    None: ``"4096 (= 64·64)"`` gives ``("4096", "= 64·64")``."""
    if not text.endswith((")", "）")):
        return None
    depth = 0
    for position in range(len(text) - 1, -1, -1):
        char = text[position]
        if char in ")）":
            depth += 1
        elif char in "(（":
            depth -= 1
            if depth == 0:
                before = text[:position].rstrip()
                return (before, text[position + 1 : -1].strip()) if before else None
    return None


def remark_cuts(text: str, symbols: Collection[str] = ()) -> list[Cut]:
    """Where a remark may start in ``text``, in the order to try them (at most ``MAX_CUTS``).

    A group at the end and separators come first, the latest first (the longest answer);
    then spaces after the unit, the earliest first, and only before the first separator
    (words after a separator are inside the remark already).

    Example:
        >>> remark_cuts("250 FLOP/byte (peak / bandwidth)")
        [Cut(position=13, kind='group')]
        >>> remark_cuts("131072 B per projection")
        [Cut(position=8, kind='words'), Cut(position=12, kind='words')]
    """
    depths = paren_depths(text)
    strong: list[Cut] = []
    group = trailing_group(text)
    if group is not None and has_word(group[1], symbols):
        strong.append(Cut(len(group[0]), "group"))
    for match in _SEPARATOR.finditer(text):
        if not depths[match.start()] and has_word(text[match.end() :], symbols):
            strong.append(Cut(match.start(), "separator"))
    strong.sort(key=lambda cut: -cut.position)
    first_strong = min((cut.position for cut in strong), default=len(text))
    # Letters before the cut must come after the value's first digit (a unit): "about 6.29
    # zillion" has letters before its cut too, but "zillion" is no remark. The value is the
    # stated result's: in "L × 16 KiB = 32 MiB per sequence" the working's KiB is no unit of 32,
    # and a cut before "MiB" would grade 32 bytes.
    words = [
        Cut(match.start(), "words")
        for match in _SPACE_BEFORE_WORD.finditer(text, 0, first_strong)
        if not depths[match.start()]
        and _unit_letters(text[_value_start(text, match.start()) : match.start()], symbols)
        and has_word(text[match.end() :], symbols)
        and not _ARITHMETIC_AFTER_WORD.match(text, match.end())
    ]
    return [cut for cut in strong + words if text[: cut.position].strip()][:MAX_CUTS]


# Where a stated result begins: after "=", "≈" or an arrow (as the number reader splits sides).
_SIDE = re.compile(r"[=≈~≃≅]+>?|->|→|⇒")


def _unit_letters(segment: str, symbols: Collection[str]) -> bool:
    """Whether ``segment`` holds letters that are no sheet symbol (a unit, ``B``): in ``4 L
    d_head h`` the symbol L is arithmetic, and the words after it are no remark."""
    return any(
        run not in symbols and not is_symbol_run(run, symbols) for run in _LETTERS.findall(segment)
    )


def _value_start(text: str, end: int) -> int:
    """The first digit of the value that ``text[:end]`` ends with: after its last side
    separator, if it has one (0 without a digit)."""
    sides = list(_SIDE.finditer(text, 0, end))
    start = sides[-1].end() if sides else 0
    digit = _DIGIT.search(text, start, end)
    return digit.start() if digit else start


def paren_depths(text: str) -> list[int]:
    """The parenthesis depth at each position of ``text`` (one more item for its end)."""
    depths, depth = [], 0
    for char in text:
        if char in ")）":
            depth = max(depth - 1, 0)
        depths.append(depth)
        if char in "(（":
            depth += 1
    depths.append(depth)
    return depths


# Words that make the number after them another value, or no value: never left out.
_VALUE_WORDS = frozenset(
    {"half", "twice", "double", "triple", "times", "than", "not", "no", "minus", "plus"}
    | {"quarter", "third", "thirds", "square", "root", "sqrt", "log", "inverse", "reciprocal"}
    | {"less", "more", "over", "under", "divided", "multiplied", "squared", "cubed", "factor"}
    | {"fraction", "percent", "below", "above", "least", "most", "until", "except", "without"}
    | {"up", "between", "either", "range", "order", "magnitude"}
)
_LEADING = re.compile(r"(?P<words>[^\W\d_][\w\s'’:,-]*?)[\s:=,]*(?=[\d.(])")


def leading_words(text: str, symbols: Collection[str] = ()) -> int | None:
    """Where the value starts after words that only introduce it, or None.

    Example:
        >>> leading_words("There are 288 parameters")
        10
        >>> leading_words("half of 4096") is None
        True
    """
    match = _LEADING.match(text)
    if match is None or any(char.isdigit() for char in match.group("words")):
        return None
    words = [word.casefold() for word in _LETTERS.findall(match.group("words"))]
    if any(word in _VALUE_WORDS or word in symbols for word in words):
        return None
    if not has_word(match.group("words"), symbols):
        return None
    return match.end()
