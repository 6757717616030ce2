"""The values a variant may give one given, from what ``variants.givens`` declares: a list
(``[32, 64, 128]``, ``[600 GB/s, 900 GB/s]``, ``[same, valid]``) or a range with a step
(``600..1200 GB/s step 100``: 600, 700, ..., 1200 GB/s, both ends included).

Each value is kept as the text a sheet writes for a given (``700 GB/s``), and read by the same
unit reader as the sheet's own givens (:func:`grader.sheets.solving.given_value`), so a
variant's given is converted, checked and shown exactly as the sheet's is. A range is stepped
in decimal arithmetic, so ``0.1..0.3 step 0.1`` gives three values, not two.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from grader.answers.units import split_number_unit
from grader.errors import AnswerFormatError
from grader.sheets.assignment import Assignment
from grader.sheets.solving import GivenValue, given_value

MAX_VALUES_PER_GIVEN = 1000
_RANGE = re.compile(r"^\s*(?P<low>\S+)\s*\.\.\s*(?P<high>.+?)\s+step\s+(?P<step>.+?)\s*$")


class VariantValueError(ValueError):
    """A declared value or range that is not a value of its given."""


def declared_texts(declared: tuple[str | int | float, ...] | str) -> tuple[str, ...]:
    """The texts of a given's declared values, in the order declared.

    Raises:
        VariantValueError: a range that does not read as ``LOW..HIGH [UNIT] step STEP``.

    >>> declared_texts("600..900 GB/s step 100")
    ('600 GB/s', '700 GB/s', '800 GB/s', '900 GB/s')
    >>> declared_texts([32, "64", 128])
    ('32', '64', '128')
    """
    if isinstance(declared, str):
        return _range_texts(declared) if ".." in declared else (declared.strip(),)
    texts = []
    for value in declared:
        if isinstance(value, bool):
            raise VariantValueError(f"{value!r} is not a value (write it as text)")
        texts.append(str(value).strip())
    return tuple(texts)


def _range_texts(text: str) -> tuple[str, ...]:
    match = _RANGE.match(text)
    if match is None:
        raise VariantValueError(f"{text!r}: write a range as LOW..HIGH [UNIT] step STEP")
    high_number, unit = split_number_unit(match["high"].strip())
    low, high, step = (_decimal(t) for t in (match["low"], high_number, match["step"]))
    if step <= 0 or high < low:
        raise VariantValueError(f"{text!r}: needs LOW <= HIGH and a positive step")
    if (high - low) / step >= MAX_VALUES_PER_GIVEN:
        raise VariantValueError(f"{text!r}: more than {MAX_VALUES_PER_GIVEN} values")
    values, value = [], low
    while value <= high:
        values.append(f"{_plain(value)} {unit}".strip())
        value += step
    return tuple(values)


def _decimal(text: str) -> Decimal:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        raise VariantValueError(f"{text.strip()!r} is not a number") from None
    if not number.is_finite():
        raise VariantValueError(f"{text.strip()!r} is not a finite number")
    return number


def _plain(value: Decimal) -> str:
    """``700``, ``0.3``: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def given_values(assignment: Assignment, name: str) -> tuple[tuple[str, GivenValue], ...]:
    """A given's declared values as (text, solver value), checked by the given's own reader.

    Raises:
        VariantValueError: a value is not one of this given (with the reader's reason), or
            two declared values are the same.
    """
    assert assignment.variants is not None
    found: list[tuple[str, GivenValue]] = []
    for text in declared_texts(assignment.variants.givens[name]):
        try:
            value = given_value(assignment, name, text)
        except AnswerFormatError as error:
            raise VariantValueError(f"{text!r}: {error.message}") from None
        if any(value == known for _, known in found):
            raise VariantValueError(f"{text!r} is declared twice")
        found.append((text, value))
    if not found:
        raise VariantValueError("no values")
    return tuple(found)
