"""The grading predicates: right within a tolerance or rounding, close, relative error.

Boundaries are tested on numbers that are exact in binary floating point (5 / 100 is the
float 0.05), so that "exactly at the tolerance" means exactly.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.answers.rounding_bounds import Rounding
from grader.grading.compare import (
    FLOAT_NOISE,
    is_close,
    is_cut_off,
    is_fair_rounding,
    is_right,
    relative_error,
    round_significant,
    same_number,
    within_rounding,
)

INF, NAN = math.inf, math.nan


@pytest.mark.parametrize(
    ("value", "figures", "expected"),
    [
        (1806336, 2, 1800000.0),
        (1806336, 3, 1810000.0),
        (1806336, 7, 1806336.0),
        (2.2468, 2, 2.2),
        (10 / 3, 3, 3.33),
        (0.0123456, 2, 0.012),
        (-1806336, 2, -1800000.0),
        (950, 1, 1000.0),  # rounding carries into a new digit
        (0, 2, 0),  # log10(0) is undefined: zero stays zero
        (0.0, 5, 0.0),
        (INF, 2, INF),
        (-INF, 2, -INF),
    ],
)
def test_round_significant(value: float, figures: int, expected: float) -> None:
    assert round_significant(value, figures) == expected


def test_round_significant_keeps_nan() -> None:
    assert math.isnan(round_significant(NAN, 2))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (4160.0, 2 * 64 * 65 / 2, True),
        (1.0, 1.0 + 1e-12, True),  # float noise
        (1.0, 1.0 + 0.9e-9, True),  # just inside 1e-9 relative
        (1.0, 1.0 + 1.1e-9, False),  # just outside
        (1e-300, 2e-300, False),  # relative, not absolute: tiny numbers still differ
        (0.0, 1e-300, False),
        (0.0, 0.0, True),
        (INF, INF, True),
        (NAN, NAN, False),
    ],
)
def test_same_number_is_relative_float_noise(a: float, b: float, same: bool) -> None:
    assert FLOAT_NOISE == 1e-9
    assert same_number(a, b) is same
    assert same_number(b, a) is same


IS_RIGHT = [
    # (value, expected, rtol, significant figures written, min figures, right?)
    (1806336, 1806336, 0.0, None, 2, True),
    (1806336.0000001, 1806336, 0.0, None, 2, True),  # float noise
    (1806337, 1806336, 0.0, None, 2, False),  # exact counts: one off is wrong
    (101, 100, 0.01, None, 2, True),  # exactly at the 1 % tolerance
    (99, 100, 0.01, None, 2, True),
    (101.5, 100, 0.01, None, 2, False),
    (1e-300, 2e-300, 0.0, None, 2, False),  # no absolute tolerance
    (1.8e6, 1806336, 0.0, 2, 2, True),  # visibly rounded to 2 figures
    (1.9e6, 1806336, 0.0, 2, 2, False),  # rounded wrongly
    (2e6, 1806336, 0.0, 1, 2, False),  # 1 figure is too few
    (1.8e6, 1806336, 0.0, 2, 3, False),  # 2 figures, 3 required
    (1.81e6, 1806336, 0.0, 3, 3, True),
    (1.806e6, 1806336, 0.0, 4, 2, True),
    (2.2, 2.2468, 0.0, 2, 2, True),
    (INF, INF, 0.0, None, 2, False),  # not a number anyone can be right with
    (INF, 1806336, 1.0, 2, 2, False),
    (-INF, -INF, 0.0, 2, 2, False),
    (NAN, 1806336, 1.0, 2, 2, False),
    (1806336, INF, 1.0, 7, 2, False),
    (1806336, NAN, 1.0, 7, 2, False),
]


@pytest.mark.parametrize(("value", "expected", "rtol", "figures", "least", "right"), IS_RIGHT)
def test_is_right(
    value: float, expected: float, rtol: float, figures: int | None, least: int, right: bool
) -> None:
    got = is_right(value, expected, rtol=rtol, significant_figures=figures, min_figures=least)
    assert got is right


def test_is_right_needs_two_figures_by_default() -> None:
    assert is_right(1.8e6, 1806336, rtol=0, significant_figures=2)
    assert not is_right(2e6, 1806336, rtol=0, significant_figures=1)
    assert not is_right(1.8e6, 1806336, rtol=0)  # no figures written: no rounding allowance


@pytest.mark.parametrize(
    ("value", "expected", "rtol", "close"),
    [
        (105, 100, 0.05, True),  # exactly 5 % off: close (<=)
        (95, 100, 0.05, True),
        (105.0001, 100, 0.05, False),
        (100, 100, 0.0, True),
        (1.9e6, 1806336, 0.05, False),  # 5.2 % off
        (0, 0, 0.05, True),  # expected 0: only 0 itself is close
        (1e-300, 0, 0.05, False),
        (-1e-300, 0, 0.05, False),
        (5, 0, 1e300, False),
        (INF, 100, 1e300, False),
        (NAN, 100, 1e300, False),
    ],
)
def test_is_close(value: float, expected: float, rtol: float, close: bool) -> None:
    assert is_close(value, expected, rtol=rtol) is close


@pytest.mark.parametrize(
    ("value", "expected", "error"),
    [
        (105, 100, 0.05),
        (95, 100, 0.05),
        (2, 1, 1.0),
        (1, 1, 0.0),
        (0, 1, 1.0),
        (-3, -2, 0.5),  # relative to |expected|
        (3, -2, 2.5),
        (0, 0, 0.0),  # the answer 0 to a part whose answer is 0 is right, not infinitely off
        (0.0, -0.0, 0.0),
        (1e-300, 0, INF),  # anything else is infinitely off
        (-5, 0, INF),
    ],
)
def test_relative_error(value: float, expected: float, error: float) -> None:
    assert relative_error(value, expected) == error


@settings(max_examples=100, deadline=None)
@given(
    expected=st.floats(min_value=1e-6, max_value=1e12),
    factor=st.floats(min_value=0.5, max_value=1.5),
    rtol=st.floats(min_value=0.0, max_value=0.2),
)
def test_close_is_relative_error_within_the_tolerance(
    expected: float, factor: float, rtol: float
) -> None:
    value = expected * factor
    error = relative_error(value, expected)
    assert math.isclose(error, abs(factor - 1), rel_tol=1e-9, abs_tol=1e-15)
    assert is_close(value, expected, rtol=rtol) is (error <= rtol)


@pytest.mark.parametrize(
    ("value", "exact", "figures", "cut"),
    [
        (33.5e6, 33_554_432, 3, True),  # 335.54432 cut after 3 figures: 335
        (33.6e6, 33_554_432, 3, False),  # that is the rounding, not a cut
        (6.2e6, 6_291_456, 2, True),  # 2 figures, the minimum: 6,291,456 said as 6.2 M
        (6e6, 6_291_456, 1, False),  # 1 figure: fewer than the minimum, too coarse
        (6.3e6, 6_291_456, 2, False),  # that is the rounding, not a cut
        (6.291e6, 6_291_456, 4, False),  # 4 figures: one more than the cut allows
        # an exact value that already has 3 figures is its own cut-off, also where the scaled
        # value is a whole number in binary (123.0, 335.0) and must not drop to 122 or 334
        (123.0, 123.0, 3, True),
        (33.5e6, 33_500_000, 3, True),
        (1.0, 1.0, 3, True),
        (1.25, 1.25, 3, True),
        (-33.5e6, -33_554_432, 3, True),  # towards zero on the negative side too
        (0.0, 0.0, 3, False),  # nothing to cut
        (1.0, INF, 3, False),
        (1.0, NAN, 3, False),
    ],
)
def test_is_cut_off(value: float, exact: float, figures: int, cut: bool) -> None:
    assert is_cut_off(value, exact, figures, 2) is cut


def test_is_cut_off_without_figures_is_no_cut() -> None:
    # an expression (no figures of its own) is no abbreviation of anything
    assert not is_cut_off(6291456, 6291456, None, 2)


@pytest.mark.parametrize(
    ("value", "exact", "figures", "least", "cut"),
    [
        # the figures allowed follow the part's minimum: at 3, a cut to 2 is too coarse ...
        (6.2e6, 6_291_456, 2, 3, False),
        (6.29e6, 6_291_456, 3, 3, True),
        (6.291e6, 6_291_456, 4, 3, True),  # ... and a cut to 4 (one more) is an abbreviation
        (6.2914e6, 6_291_456, 5, 3, False),
    ],
)
def test_is_cut_off_follows_the_minimum(
    value: float, exact: float, figures: int, least: int, cut: bool
) -> None:
    assert is_cut_off(value, exact, figures, least) is cut


# 402,653,184 FLOP rounded to 402.7 M: 402.65 M to 402.75 M; 2048 times that for the prefill
PREFILL = 2048 * 402_653_184
BY_402_7 = Rounding(2048 * 402.65e6, 2048 * 402.75e6, 4)


@pytest.mark.parametrize(
    ("expected", "rounding", "least", "within"),
    [
        (PREFILL, BY_402_7, 2, True),
        (PREFILL, BY_402_7, 4, True),  # exactly the minimum of figures
        (PREFILL, BY_402_7, 5, False),  # one figure fewer than the minimum: allows nothing
        (2048 * 402.65e6, BY_402_7, 2, True),  # both ends belong to it
        (2048 * 402.75e6, BY_402_7, 2, True),
        (2048 * 402.6499e6, BY_402_7, 2, False),  # just outside either end
        (2048 * 402.7501e6, BY_402_7, 2, False),
        # float noise at an end is no difference (1e-9 of the end's size)
        (2048 * 402.65e6 * (1 - 0.5e-9), BY_402_7, 2, True),
        (2048 * 402.75e6 * (1 + 0.5e-9), BY_402_7, 2, True),
        (2048 * 402.75e6 * (1 + 2e-9), BY_402_7, 2, False),
        # the ends with their slack belong to it too (1e-9 of the larger end: 2e-9 here)
        (1.0 - 2e-9, Rounding(1.0, 2.0, 3), 2, True),
        (2.0 + 2e-9, Rounding(1.0, 2.0, 3), 2, True),
        # negative values: the slack is taken from the larger end's size
        (-10.0, Rounding(-10.05, -9.95, 3), 2, True),
        (-10.05 * (1 + 0.5e-9), Rounding(-10.05, -9.95, 3), 2, True),
        (-10.1, Rounding(-10.05, -9.95, 3), 2, False),
        # an interval across 0: the noise is that of its larger end, not of its smaller one
        (1000.0 * (1 + 0.5e-9), Rounding(-1.0, 1000.0, 3), 2, True),
        (-1000.0 * (1 + 0.5e-9), Rounding(-1000.0, 1.0, 3), 2, True),
    ],
)
def test_within_rounding(expected: float, rounding: Rounding, least: int, within: bool) -> None:
    assert within_rounding(expected, rounding, least) is within


def test_is_right_within_the_rounding_of_the_working() -> None:
    value = 2048 * 402.7e6  # 0.012 % off the exact count: wrong for a count on its own
    assert not is_right(value, PREFILL, rtol=0.0)
    assert is_right(value, PREFILL, rtol=0.0, rounding=BY_402_7)
    # the rounding decides even where no figures of a plain number are written
    assert is_right(value, PREFILL, rtol=0.0, significant_figures=None, rounding=BY_402_7)
    # 402.8 M is off by more than its own rounding: not right
    off = Rounding(2048 * 402.75e6, 2048 * 402.85e6, 4)
    assert not is_right(2048 * 402.8e6, PREFILL, rtol=0.0, rounding=off)
    # a literal with fewer figures than the part's minimum allows nothing
    coarse = Rounding(2048 * 0.35e9, 2048 * 0.45e9, 1)
    assert not is_right(2048 * 0.4e9, PREFILL, rtol=0.0, min_figures=2, rounding=coarse)
    assert is_right(2048 * 0.4e9, PREFILL, rtol=0.0, min_figures=1, rounding=coarse)


@pytest.mark.parametrize(
    ("value", "exact", "figures", "rtol", "fair"),
    [
        (65_536, 65_536, None, 0.0, True),  # the value itself
        (66e3, 65_536, 2, 0.0, True),  # rounded to 2 figures
        (65.5e3, 65_536, 3, 0.0, True),  # rounded to 3
        (65e3, 65_536, 2, 0.0, True),  # cut off to 2: how 65,536 is said
        (65_530, 65_536, 4, 0.0, False),  # same length, last figure changed: no abbreviation
        (60e3, 65_536, 1, 0.0, False),  # rounded to 1 figure: too far
        (64e3, 65_536, 2, 0.0, False),  # neither rounded nor cut off (1000 vs 1024)
        (2.22, 2.2468, 3, 0.0, False),
        (2.23, 2.2468, 3, 0.01, True),  # within the part's tolerance of the working's value
    ],
)
def test_is_fair_rounding(
    value: float, exact: float, figures: int | None, rtol: float, fair: bool
) -> None:
    assert is_fair_rounding(value, exact, figures, rtol=rtol, min_figures=2) is fair


def test_a_fair_rounding_keeps_to_the_minimum_of_figures() -> None:
    # at a minimum of 3 figures, 66k and 65k (2 figures) no longer give 65,536
    assert not is_fair_rounding(66e3, 65_536, 2, rtol=0.0, min_figures=3)
    assert not is_fair_rounding(65e3, 65_536, 2, rtol=0.0, min_figures=3)
    assert is_fair_rounding(65.5e3, 65_536, 3, rtol=0.0, min_figures=3)
