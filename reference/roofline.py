"""The roofline model: ridge point, attainable performance, memory- or compute-bound.

Convention: rates in base units (FLOP/s and byte/s); the ridge (turning) point is peak /
bandwidth in FLOP/byte; an operation is memory-bound iff its intensity is below the ridge
(at exact equality ``tie_rule`` decides; compute by default, as LLM-Viewer does).
"""

from __future__ import annotations

from reference.arguments import check_choice, check_non_negative, check_positive

MEMORY_BOUND = "memory-bound"
COMPUTE_BOUND = "compute-bound"
NEAR_RIDGE = "near the ridge"
TIE_RULES = ("compute", "memory")
"""The verdict at an intensity exactly on the ridge."""


def ridge_point(*, peak: float, bandwidth: float) -> float:
    """Intensity (FLOP/byte) where the bandwidth slope meets the compute roof.

    >>> ridge_point(peak=200e12, bandwidth=800e9)
    250.0
    """
    check_positive("peak", peak)
    check_positive("bandwidth", bandwidth)
    return peak / bandwidth


def attainable_performance(*, intensity: float, peak: float, bandwidth: float) -> float:
    """min(peak, intensity x bandwidth), in FLOP/s.

    >>> attainable_performance(intensity=16, peak=200e12, bandwidth=800e9)
    12800000000000.0
    """
    check_non_negative("intensity", intensity)
    check_positive("peak", peak)
    check_positive("bandwidth", bandwidth)
    return min(peak, intensity * bandwidth)


def bound_verdict(
    *,
    intensity: float,
    peak: float,
    bandwidth: float,
    margin: float = 0.0,
    tie_rule: str = "compute",
) -> str:
    """``memory-bound`` or ``compute-bound``; ``near the ridge`` within ``margin`` of it.

    ``margin`` is a fraction of the ridge point: with 0.05 an intensity within 5 % of the ridge
    is reported as near it, where either verdict is defensible.

    >>> bound_verdict(intensity=2.2468, peak=20e12, bandwidth=6000e9)
    'memory-bound'
    >>> bound_verdict(intensity=16, peak=20e12, bandwidth=6000e9)
    'compute-bound'
    >>> bound_verdict(intensity=19.2, peak=66.9e12, bandwidth=3350e9, margin=0.05)
    'near the ridge'
    """
    check_non_negative("intensity", intensity)
    check_non_negative("margin", margin)
    if margin >= 1:
        raise ValueError(f"margin is a fraction of the ridge point, below 1, not {margin!r}")
    check_choice("tie_rule", tie_rule, TIE_RULES)
    ridge = ridge_point(peak=peak, bandwidth=bandwidth)
    if margin > 0 and abs(intensity - ridge) <= margin * ridge:
        return NEAR_RIDGE
    if intensity < ridge or (intensity == ridge and tie_rule == "memory"):
        return MEMORY_BOUND
    return COMPUTE_BOUND
