"""Checks of the formulas' arguments: a wrong argument is an error that names it.

The formulas are the answer key of every class graded. A misspelt option (``"2K"``,
``"casual"``) that silently meant the default, a negative padding or a peak of zero would
grade a whole class against a wrong number without anyone noticing, so every formula checks
what it is given. Booleans are refused where a number is expected (``True`` is an ``int`` to
Python, never a count to a reader).
"""

from __future__ import annotations

import math


def check_integer(name: str, value: object, *, at_least: int) -> None:
    """``value`` is an integer (not a bool) of at least ``at_least``.

    >>> check_integer("kernel", 0, at_least=1)
    Traceback (most recent call last):
    ...
    ValueError: kernel must be an integer >= 1, not 0
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < at_least:
        raise ValueError(f"{name} must be an integer >= {at_least}, not {value!r}")


def check_counts(**counts: object) -> None:
    """Each keyword's value is an integer of at least 1, named by its keyword.

    >>> check_counts(seq_len=64, d_model=-128)
    Traceback (most recent call last):
    ...
    ValueError: d_model must be an integer >= 1, not -128
    """
    for name, value in counts.items():
        check_integer(name, value, at_least=1)


def check_positive(name: str, value: object) -> None:
    """``value`` is a finite real number above 0 (a rate, a byte count)."""
    if not (_is_real(value) and value > 0):  # type: ignore[operator]
        raise ValueError(f"{name} must be a finite number > 0, not {value!r}")


def check_non_negative(name: str, value: object) -> None:
    """``value`` is a finite real number of at least 0 (an intensity, a FLOP count)."""
    if not (_is_real(value) and value >= 0):  # type: ignore[operator]
        raise ValueError(f"{name} must be a finite number >= 0, not {value!r}")


def check_flag(name: str, value: object) -> None:
    """``value`` is ``True`` or ``False`` (not 0, 1 or a word)."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, not {value!r}")


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    """``value`` is one of the named options.

    >>> check_choice("mask", "casual", ("full", "causal"))
    Traceback (most recent call last):
    ...
    ValueError: mask must be 'full' or 'causal', not 'casual'
    """
    if value not in choices:
        options = " or ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be {options}, not {value!r}")


def _is_real(value: object) -> bool:
    """An int or float (not a bool) that is a finite float: the formulas divide in floats."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond the largest float
        return False
