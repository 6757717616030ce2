"""Every generic mistake's candidate values, written out by hand.

The candidates are what a student with that slip would write for an expected value; a wrong
exponent or prefix here would give (or deny) partial credit to a whole class, so each list is
spelt out in full, in order, for an expected value whose candidates are easy to read.
"""

from __future__ import annotations

import pytest

from grader.sheets.mistakes import GENERIC_TRANSFORMS

# 1000 vs 1024 at each prefix level: k (1.024), M (1.024² = 1.048576), G (1.073741824),
# T (1.099511627776); the expected value 1000 multiplied and divided by each.
BINARY_1000 = (
    1024.0,
    1000 / 1.024,  # 976.5625
    1048.576,
    1000 / 1.048576,  # 953.674...
    1073.741824,
    1000 / 1.073741824,  # 931.322...
    1099.511627776,
    1000 / 1.099511627776,  # 909.494...
)

CANDIDATES: list[tuple[str, float, tuple[float, ...]]] = [
    ("doubled", 250.0, (500.0,)),
    ("halved", 250.0, (125.0,)),
    ("times_4", 250.0, (1000.0,)),
    ("divided_by_4", 250.0, (62.5,)),
    ("times_8", 250.0, (2000.0,)),
    ("divided_by_8", 250.0, (31.25,)),
    ("binary_prefix", 1000.0, BINARY_1000),
    # nano, micro, milli, centi, deci ... deca, hecto, kilo, mega, giga: the prefix steps
    (
        "power_of_ten",
        250.0,
        (2.5e-7, 2.5e-4, 0.25, 2.5, 25.0, 2500.0, 25000.0, 250000.0, 2.5e8, 2.5e11),
    ),
    ("reciprocal", 250.0, (0.004,)),
    ("reciprocal", -0.5, (-2.0,)),
    # 1 / 250 = 0.004 seen through mismatched prefixes: x 1e-6, x 1e-3, x 1e3, x 1e6
    ("swapped_with_prefix", 250.0, (4e-9, 4e-6, 4.0, 4000.0)),
    ("swapped_with_prefix", 3.3333333333333335, (3e-7, 3e-4, 300.0, 300000.0)),
]


@pytest.mark.parametrize(
    ("name", "expected", "candidates"),
    CANDIDATES,
    ids=[f"{c[0]}-{c[1]}" for c in CANDIDATES],
)
def test_candidates_of_each_generic_mistake(
    name: str, expected: float, candidates: tuple[float, ...]
) -> None:
    got = GENERIC_TRANSFORMS[name].candidates(expected)
    assert got == pytest.approx(candidates, rel=1e-12)


@pytest.mark.parametrize("name", ["reciprocal", "swapped_with_prefix"])
def test_reciprocals_of_zero_are_no_candidates(name: str) -> None:
    assert GENERIC_TRANSFORMS[name].candidates(0.0) == ()
    assert GENERIC_TRANSFORMS[name].candidates(-0.0) == ()


def test_other_mistakes_of_zero_are_zero() -> None:
    for name in ("doubled", "halved", "binary_prefix", "power_of_ten"):
        assert all(c == 0 for c in GENERIC_TRANSFORMS[name].candidates(0.0))


def test_every_mistake_has_feedback_that_names_the_slip() -> None:
    words = {
        "doubled": "twice",
        "halved": "half",
        "times_4": "4 times too large",
        "divided_by_4": "4 times too small",
        "times_8": "bits instead of bytes",
        "divided_by_8": "bytes and bits",
        "binary_prefix": "1000 vs 1024",
        "power_of_ten": "power of ten",
        "reciprocal": "reciprocal",
        "swapped_with_prefix": "swapped",
    }
    assert set(GENERIC_TRANSFORMS) == set(words)
    for name, word in words.items():
        assert word in GENERIC_TRANSFORMS[name].feedback, name
