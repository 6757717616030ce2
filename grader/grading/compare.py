"""Comparing a number read from a student with an expected one.

Pure functions. "Right" means equal within a relative tolerance, or *rounding-consistent*: the
student visibly rounded (at least ``min_figures`` significant figures) and the expected value
rounded to that many figures is what they wrote (``1.8 M`` for 1,806,336), or the student's
working used rounded numbers (``2048 × 402.7 MFLOP``, each with at least ``min_figures``
figures) and the expected value is within what their rounding allows.
"""

from __future__ import annotations

import math

from grader.answers.rounding_bounds import Rounding

FLOAT_NOISE = 1e-9
"""Relative difference below which two floats are the same number (2*64*65/2 vs 4160)."""


def round_significant(value: float, figures: int) -> float:
    """``value`` rounded to ``figures`` significant figures.

    >>> round_significant(1806336, 2), round_significant(2.2468, 2), round_significant(10 / 3, 2)
    (1800000.0, 2.2, 3.3)
    """
    if value == 0 or not math.isfinite(value):
        return value
    digits = figures - 1 - math.floor(math.log10(abs(value)))
    return float(round(value, digits))


def is_cut_off(value: float, exact: float, figures: int | None, min_figures: int) -> bool:
    """Whether ``value`` is ``exact`` cut off (not rounded) after ``min_figures`` figures or
    one more, the way a value is abbreviated: ``65k`` for 65,536, ``33.5 M`` for 33,554,432.
    Fewer figures are too coarse to be right; more (``65530`` for 65,536) keep the value's
    length and change its last figure: a slip, not an abbreviation.

    >>> is_cut_off(33.5e6, 33554432, 3, 2), is_cut_off(6.2e6, 6291456, 2, 2)
    (True, True)
    >>> is_cut_off(65530, 65536, 4, 2), is_cut_off(6e6, 6291456, 1, 2)
    (False, False)
    """
    if figures is None or not min_figures <= figures <= min_figures + 1:
        return False
    if exact == 0 or not math.isfinite(exact):
        return False
    digits = figures - 1 - math.floor(math.log10(abs(exact)))
    scaled = exact * 10.0**digits
    # a hair towards zero's far side first: 334.99999999 that is really 335 must stay 335
    kept = math.trunc(scaled + math.copysign(1e-9, scaled))
    return same_number(value, kept / 10.0**digits)


def same_number(a: float, b: float) -> bool:
    """Equal up to floating-point noise."""
    return math.isclose(a, b, rel_tol=FLOAT_NOISE)


def is_right(
    value: float,
    expected: float,
    *,
    rtol: float,
    significant_figures: int | None = None,
    min_figures: int = 2,
    rounding: Rounding | None = None,
) -> bool:
    """Whether ``value`` is an acceptable answer for ``expected``; ``rounding``: the values
    ``value`` may stand for, given the rounded numbers of the working it came from.

    >>> is_right(1.8e6, 1806336, rtol=0, significant_figures=2)
    True
    >>> is_right(1.9e6, 1806336, rtol=0, significant_figures=2)
    False
    >>> is_right(2.25, 2.2468, rtol=0.01)
    True
    >>> is_right(2048 * 402.7e6, 2048 * 402653184, rtol=0,
    ...          rounding=Rounding(2048 * 402.65e6, 2048 * 402.75e6, 4))
    True
    """
    # (a non-finite expected value is equal to no finite value: every test below says no)
    if not math.isfinite(value):
        return False
    if same_number(value, expected) or math.isclose(value, expected, rel_tol=rtol):
        return True
    if rounding is not None and within_rounding(expected, rounding, min_figures):
        return True
    if significant_figures is None or significant_figures < min_figures:
        return False
    return same_number(value, round_significant(expected, significant_figures))


def within_rounding(expected: float, rounding: Rounding, min_figures: int) -> bool:
    """Whether ``expected`` is one of the values working may stand for (``rounding``), each
    of its rounded numbers having at least ``min_figures`` figures.

    >>> within_rounding(402653184, Rounding(402.65e6, 402.75e6, 4), 2)
    True
    >>> within_rounding(402653184, Rounding(402.75e6, 402.85e6, 4), 2)  # 402.8 M: too far
    False
    """
    if rounding.figures < min_figures:
        return False
    slack = FLOAT_NOISE * max(abs(rounding.low), abs(rounding.high))
    return rounding.low - slack <= expected <= rounding.high + slack


def is_fair_rounding(
    value: float, exact: float, figures: int | None, *, rtol: float, min_figures: int
) -> bool:
    """Whether a stated result ``value`` (with ``figures`` significant figures) gives
    ``exact``, the value of the student's own working, as a TA takes it: equal (within
    ``rtol``), or rounded or cut off (``65k`` for 65,536) to at least ``min_figures`` figures.

    >>> is_fair_rounding(65e3, 65536, 2, rtol=0, min_figures=2)
    True
    >>> is_fair_rounding(64e3, 65536, 2, rtol=0, min_figures=2)
    False
    """
    return is_right(
        value, exact, rtol=rtol, significant_figures=figures, min_figures=min_figures
    ) or is_cut_off(value, exact, figures, min_figures)


def is_close(value: float, expected: float, *, rtol: float) -> bool:
    """Within ``rtol`` of the expected value, relative to the expected value ("close" credit).

    >>> is_close(1.9e6, 1806336, rtol=0.05)  # 5.2 % off
    False
    """
    return math.isfinite(value) and relative_error(value, expected) <= rtol


def relative_error(value: float, expected: float) -> float:
    """|value - expected| / |expected| (infinite when expected is 0 and value is not)."""
    if expected == 0:
        return 0.0 if value == 0 else math.inf
    return abs(value - expected) / abs(expected)
