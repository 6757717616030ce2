"""A quotient of two quantities, each with its unit: ``200 TFLOP/s / 800 GB/s``,
``939524096 B / 2039 GB/s``, ``1806336 FLOP / 803968 B``.

This is how the worked solution writes a ridge point or a time bound, and how students copy
it. The number-and-unit split alone reads ``TFLOP/s / 800 GB/s`` as one unit with a digit in
it; :func:`read_quantity_quotient` tries each ``/`` (or ``÷``) as the division between two
quantities and divides their units too, so that pint converts ``(TFLOP/s)/(GB/s)`` to the
part's unit.
"""

from __future__ import annotations

from collections.abc import Mapping

from grader.answers.digit_grouping import ungroup
from grader.answers.expression import evaluate
from grader.answers.simple_units import BARE_PREFIXES
from grader.answers.units import Conversion, convert, split_number_unit
from grader.errors import AnswerFormatError

__all__ = ["DIVISION", "read_quantity_quotient"]

DIVISION = "/÷"
"""The signs a student divides two quantities with (``312 TFLOP/s ÷ 2039 GB/s``; LaTeX's
``\\div`` is read as ``÷``)."""
_DIVISION = frozenset(DIVISION)


def read_quantity_quotient(text: str, unit: str, symbols: Mapping[str, float]) -> Conversion | None:
    """``text`` as ``quantity / quantity`` in the part's ``unit``, or None when it is not one.

    Both sides need a unit of their own (a bare prefix such as ``200T`` is not one: the quotient
    of two prefixes is no quantity a TA would read without its units), and numbers whose
    comma grouping has two readings (``3,333``) are left to the ordinary reader, which says so;
    a dot is the decimal point (``2.039 TB/s``).

    Raises:
        AnswerFormatError: Division by zero, or a quotient too large to be a number.

    Example:
        >>> read_quantity_quotient("200 TFLOP/s / 800 GB/s", "FLOP/byte", {})
        Conversion(value=250.0, note=None, inverted=False, macs=False)
    """
    for position, char in enumerate(text):
        if char not in _DIVISION:
            continue
        left = _quantity(text[:position], symbols)
        right = _quantity(text[position + 1 :], symbols) if left else None
        if left is None or right is None:
            continue
        if right[0] == 0:
            raise AnswerFormatError("division by zero")
        try:
            converted = convert(left[0] / right[0], f"({left[1]})/({right[1]})", unit)
        except AnswerFormatError:
            continue  # not two quantities whose quotient is this part's: the next "/"
        # pint's factor for a quotient of prefixed units carries float noise (1e12 / 1e9 is
        # 1000.0000000000001): 15 figures keep every figure a student writes, and no noise.
        return converted._replace(value=float(f"{converted.value:.15g}"))
    return None


def _quantity(text: str, symbols: Mapping[str, float]) -> tuple[float, str] | None:
    """``(value, unit text)`` of a number or expression followed by a unit, else None."""
    try:
        number, unit_text = split_number_unit(text, symbols)
        grouped = ungroup(number) if number else None
        # "2.039 TB/s": a dot is read as the decimal point, as the ordinary reader reads it in
        # a quantity; a comma's two readings ("3,333") are left to that reader, which says so
        if grouped is None or (grouped.other is not None and grouped.mark != ".") or not unit_text:
            return None
        if unit_text in BARE_PREFIXES or any(c.isdigit() for c in unit_text):
            return None
        return evaluate(grouped.text, symbols), unit_text
    except AnswerFormatError:
        return None
