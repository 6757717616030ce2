"""Generic mistakes: transforms of the reference value tried on every numeric part.

A table, not branches: each entry maps the expected value to the values a student with that
slip would write, with a tag and feedback. The assignment file picks entries by name and sets
their credit; the order there is the order they are tried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class GenericTransform:
    """Candidate wrong values derived from the expected value, and what the slip means (with
    the hint shown instead under ``reveal: feedback`` when the meaning gives a formula away)."""

    candidates: Callable[[float], tuple[float, ...]]
    feedback: str
    hint: str | None = None


def _powers_of_ten(expected: float) -> tuple[float, ...]:
    return tuple(expected * 10.0**k for k in (-9, -6, -3, -2, -1, 1, 2, 3, 6, 9))


def _binary_prefix(expected: float) -> tuple[float, ...]:
    # 1000 vs 1024 at each prefix level (k, M, G, T), in both directions.
    ratios = ((1024 / 1000) ** level for level in (1, 2, 3, 4))
    return tuple(value for r in ratios for value in (expected * r, expected / r))


def _reciprocal(expected: float) -> tuple[float, ...]:
    return (1.0 / expected,) if expected else ()


def _swapped_with_prefix(expected: float) -> tuple[float, ...]:
    # peak / bandwidth swapped in mixed prefixes (GB/s over TFLOP/s): reciprocal x 10^3k.
    if not expected:
        return ()
    return tuple(10.0**k / expected for k in (-6, -3, 3, 6))


GENERIC_TRANSFORMS: dict[str, GenericTransform] = {
    "doubled": GenericTransform(
        lambda e: (2 * e,), "Your answer is twice the expected value: a factor 2 counted twice?"
    ),
    "halved": GenericTransform(
        lambda e: (e / 2,), "Your answer is half the expected value: a factor 2 missing?"
    ),
    "times_4": GenericTransform(
        lambda e: (4 * e,),
        "Your answer is 4 times too large: a factor 4 (such as 4-byte elements) counted twice?",
    ),
    "divided_by_4": GenericTransform(
        lambda e: (e / 4,),
        "Your answer is 4 times too small: a factor 4 (such as 4-byte elements) missing?",
    ),
    "times_8": GenericTransform(
        lambda e: (8 * e,), "Your answer is 8 times too large: bits instead of bytes?"
    ),
    "divided_by_8": GenericTransform(
        lambda e: (e / 8,), "Your answer is 8 times too small: bytes and bits mixed up?"
    ),
    "binary_prefix": GenericTransform(
        _binary_prefix,
        "Your answer is off by 1000 vs 1024: decimal (k, M, G) and binary (Ki, Mi, Gi) prefixes "
        "mixed up.",
    ),
    "power_of_ten": GenericTransform(
        _powers_of_ten, "Right digits, wrong power of ten: check the unit prefixes (k, M, G, T)."
    ),
    "reciprocal": GenericTransform(
        _reciprocal, "That is the reciprocal of the expected value: the division is upside down."
    ),
    "swapped_with_prefix": GenericTransform(
        _swapped_with_prefix,
        "Peak and bandwidth are swapped: the turning point is peak (FLOP/s) / bandwidth (byte/s).",
        "Peak and bandwidth are swapped: check which one the turning point divides by which "
        "(its unit, FLOP/byte, tells).",
    ),
}
