"""Checks of formula arguments: every bad value is a ``ValueError`` that names the argument.

The formulas are called with givens that came from a data file or a command line, so a zero,
a negative size, a float where a count belongs or a word outside a vocabulary must stop with a
message that says which argument and why, never with a wrong number or a ``ZeroDivisionError``.
``bool`` is refused where a number belongs: ``True`` is an ``int`` to Python, not to a reader.
"""

from __future__ import annotations

import math
from collections.abc import Collection


def positive_int(name: str, value: object) -> int:
    """``value`` if it is a whole number >= 1.

    >>> positive_int("batch", 16)
    16
    >>> positive_int("batch", 0)
    Traceback (most recent call last):
    ...
    ValueError: batch must be a positive whole number, not 0
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return value


def positive_number(name: str, value: object) -> float:
    """``value`` as a float if it is a finite number > 0.

    >>> positive_number("bandwidth", 2039e9)
    2039000000000.0
    >>> positive_number("peak", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: peak must be a positive finite number, not nan
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive finite number, not {value!r}")
    return float(value)


def one_of(name: str, value: object, choices: Collection[object]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``.

    >>> one_of("norms", "batchnorm", ("none", "layernorm", "rmsnorm"))
    Traceback (most recent call last):
    ...
    ValueError: norms must be one of 'none', 'layernorm', 'rmsnorm', not 'batchnorm'
    """
    if isinstance(value, bool) or value not in choices:
        accepted = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {accepted}, not {value!r}")


def boolean(name: str, value: object) -> bool:
    """``value`` if it is ``True`` or ``False`` (not 0, 1 or a word).

    >>> boolean("bias", "no")
    Traceback (most recent call last):
    ...
    ValueError: bias must be True or False, not 'no'
    """
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, not {value!r}")
    return value
