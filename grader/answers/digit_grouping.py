"""Digit grouping: thousands separators and decimal marks as students write them.

The rules (Moodle's for numerical answers, widened to what a careful TA reads):

* thousands separators ``1,806,336``, ``1 806 336`` (also thin and no-break spaces),
  ``1'806'336`` and, with two dots or more, ``1.806.336`` (German), in groups of three digits;
* a decimal mark ``.``, or ``,`` when it is the last mark after ``.`` thousands (``1.806,5``),
  when its fraction does not have three digits (``2,25``) or when it follows a lone 0
  (``0,804``);
* one comma followed by exactly three digits (``65,536``, ``3,333``) may be either: both
  readings come back and the caller decides, from the part (no such thing as 65.536 weights)
  or the file's own habit (:func:`decimal_habit`), or grades both;
* one dot followed by exactly three digits (``65.536``) is a decimal point, and the thousands
  reading comes back too, for a part whose value is a whole number.

Nothing here evaluates: the texts returned are plain Python numbers for the evaluator.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from grader.errors import AnswerFormatError

__all__ = ["Habit", "Ungrouped", "decimal_habit", "ungroup"]

Habit = Literal["decimal comma", "thousands comma"]
"""How a file writes commas where it is unambiguous: ``2,25`` or ``1,806,336``."""

# Digits joined by single separators: "1,806,336", "1 806 336", "2,25", "1'806'336.5".
SEPARATED_NUMBER = re.compile(r"\d+(?:[.,'’\u00a0\u2009\u202f ]\d+)+")
_GROUPING = {
    ",": ",",
    ".": ".",
    "'": "'",
    "’": "'",
    " ": " ",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
}
_NON_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class Ungrouped:
    """A text with every grouped number written plainly.

    Attributes:
        text: The first reading: an ambiguous comma as a thousands separator, an ambiguous dot
            as a decimal point.
        other: The other reading of the ambiguous groups, or None when there is none.
        ambiguous: The first ambiguous group as written (``3,333``), or None.
        mark: The mark of the ambiguous groups: ``","`` or ``"."`` (``""`` without any).
    """

    text: str
    other: str | None = None
    ambiguous: str | None = None
    mark: str = ""


def ungroup(text: str) -> Ungrouped:
    """Rewrite every number with separators or a decimal comma in ``text`` as a plain one.

    Raises:
        AnswerFormatError: A grouping no reader could settle (``1,806,33``), with a message
            that says what is wrong with it.

    Example:
        >>> ungroup("2 × 1 806 336 + 2,25")
        Ungrouped(text='2 × 1806336 + 2.25', other=None, ambiguous=None, mark='')
        >>> ungroup("3,333")
        Ungrouped(text='3333', other='3.333', ambiguous='3,333', mark=',')
    """
    if not SEPARATED_NUMBER.search(text):
        return Ungrouped(text)
    first: list[str] = []  # the first ambiguous group and its mark
    pieces: list[tuple[str, str]] = []  # (first reading, other reading) per piece of text
    position = 0
    for match in SEPARATED_NUMBER.finditer(text):
        between = text[position : match.start()]
        pieces.append((between, between))
        one, other, mark = _readings(match.group())
        if mark and (not first or first[1] == mark):
            if not first:
                first[:] = [match.group(), mark]
            pieces.append((one, other))
        else:
            pieces.append((one, one))
        position = match.end()
    pieces.append((text[position:], text[position:]))
    plain = "".join(one for one, _ in pieces)
    if not first:
        return Ungrouped(plain)
    return Ungrouped(plain, "".join(other for _, other in pieces), first[0], first[1])


def _readings(written: str) -> tuple[str, str, str]:
    """The first and other reading of one grouped number, and the mark they differ on."""
    commas, dots = written.count(","), written.count(".")
    if commas and dots:
        last = max(written.rfind(","), written.rfind("."))
        whole, fraction = written[:last], written[last + 1 :]
        if "," in fraction or "." in fraction:
            raise AnswerFormatError(_two_marks(written))
        if (written[last] == "." and "." in whole) or (written[last] == "," and "," in whole):
            raise AnswerFormatError(_two_marks(written))
        plain = _ungrouped(whole, written) + "." + _fraction(fraction, written)
        return plain, plain, ""
    if dots == 1 or commas == 1:
        mark = "." if dots else ","
        whole, _, fraction = written.partition(mark)
        fraction = _fraction(fraction, written)
        decimal = _ungrouped(whole, written) + "." + fraction
        if not _one_group(whole, fraction):
            return decimal, decimal, ""
        thousands = whole + fraction
        return (thousands, decimal, ",") if mark == "," else (decimal, thousands, ".")
    plain = _ungrouped(written, written)
    return plain, plain, ""


def _one_group(whole: str, fraction: str) -> bool:
    # "1,806" is 1806 to an English reader and 1.806 to a German one. "0,806" and "12,5" are
    # not: a thousands group never follows a lone 0, and never has other than 3 digits.
    return whole.isdecimal() and len(fraction) == 3 and 1 <= len(whole) <= 3 and whole != "0"


def _fraction(fraction: str, written: str) -> str:
    if not fraction.isdecimal():
        kinds = sorted({f"'{_GROUPING.get(c, c)}'" for c in written if not c.isdecimal()})
        raise AnswerFormatError(
            f"cannot read '{written}': it mixes {' and '.join(kinds)}; separate thousands with"
            " one kind of mark and use one decimal mark"
        )
    return fraction


def _ungrouped(whole: str, written: str) -> str:
    """The integer part ``whole`` of ``written`` without its thousands separators."""
    if whole.isdecimal():
        return whole
    kinds = {_GROUPING.get(char) for char in whole if not char.isdecimal()}
    groups = _NON_DIGIT.split(whole)
    if kinds == {"."} and any(len(group) != 3 for group in groups[1:]):
        raise AnswerFormatError(_two_marks(written))  # 1.5.2: not thousands, two points
    if len(kinds) != 1 or None in kinds:
        shown = " and ".join(sorted(f"'{k}'" for k in kinds if k))
        raise AnswerFormatError(
            f"cannot read '{written}': it mixes {shown} as thousands separators; use one kind"
        )
    if not 1 <= len(groups[0]) <= 3:
        raise AnswerFormatError(
            f"cannot read '{written}': the digits before the first separator are"
            f" {len(groups[0])}, but a thousands group has at most three"
        )
    short = next((group for group in groups[1:] if len(group) != 3), None)
    if short is not None:
        digits = f"{len(short)} digit{'s' if len(short) != 1 else ''}"
        raise AnswerFormatError(
            f"cannot read '{written}': the group '{short}' has {digits}, but every group after"
            " a thousands separator has three"
        )
    return "".join(groups)


def _two_marks(written: str) -> str:
    return (
        f"cannot read '{written}': it has more than one decimal mark; write thousands in"
        " groups of three (1,806,336.5 or 1.806.336,5) and one decimal mark"
    )


# --- a file's own habit -----------------------------------------------------------------

_ANY_GROUPED = re.compile(r"\d[.,]\d")


def decimal_habit(texts: Iterable[str]) -> Habit | None:
    """How a file writes commas where they are unambiguous, or None if it does not settle it.

    A decimal comma shows in ``2,25``, ``0,804`` or ``1.806,5``; a thousands comma in
    ``1,806,336`` or ``1,806.5``. A file that shows both, or neither, settles nothing.

    Example:
        >>> decimal_habit(["2,25 FLOP/byte", "3,333"]), decimal_habit(["1,806,336", "2.25"])
        ('decimal comma', 'thousands comma')
    """
    decimal = thousands = False
    for text in texts:
        if "," not in text or not _ANY_GROUPED.search(text):
            continue
        for match in SEPARATED_NUMBER.finditer(text):
            written = match.group()
            commas = written.count(",")
            if not commas:
                continue
            last_comma, last_dot = written.rfind(","), written.rfind(".")
            if last_dot > last_comma:
                thousands = True  # 1,806.5
            elif last_dot >= 0 or (commas == 1 and not _is_one_group(written)):
                decimal = True  # 1.806,5 / 2,25 / 0,804
            elif commas > 1:
                thousands = True  # 1,806,336
    if decimal == thousands:
        return None
    return "decimal comma" if decimal else "thousands comma"


def _is_one_group(written: str) -> bool:
    whole, _, fraction = written.rpartition(",")
    return _one_group(whole, fraction)
