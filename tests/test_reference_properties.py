"""Hypothesis properties of the reference formulas: laws that hold for every input."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference import attention, conv, linear, masking, memory, roofline, softmax
from reference.conventions import Conventions
from sheets.roofline_1 import solver as roofline_1

FAST = settings(max_examples=100, deadline=None)

MEM, COMP, NEAR = "memory-bound", "compute-bound", "near the ridge"

sizes = st.integers(1, 64)
kernels = st.integers(1, 7)
strides = st.integers(1, 4)
paddings = st.one_of(st.sampled_from(["same", "valid"]), st.integers(0, 3))
rates = st.floats(min_value=1e6, max_value=1e16, allow_nan=False, allow_infinity=False)
intensities = st.floats(min_value=1e-3, max_value=1e5, allow_nan=False, allow_infinity=False)


def _fits(size: int, kernel: int, padding: str | int) -> bool:
    if padding == "valid":
        return size >= kernel
    if isinstance(padding, int):
        return size + 2 * padding >= kernel
    return True


# --- FLOPs and MACs -----------------------------------------------------------------------------


@FAST
@given(
    groups=st.integers(1, 4),
    cin=st.integers(1, 4),
    cout=st.integers(1, 4),
    h=sizes,
    w=sizes,
    k=kernels,
    stride=strides,
    padding=paddings,
    padding_count=st.sampled_from(["full", "exact"]),
    fpm=st.sampled_from([1, 2]),
)
def test_conv_flops_are_flops_per_mac_times_macs(
    groups: int,
    cin: int,
    cout: int,
    h: int,
    w: int,
    k: int,
    stride: int,
    padding: str | int,
    padding_count: str,
    fpm: int,
) -> None:
    assume(_fits(h, k, padding) and _fits(w, k, padding))
    i, o = groups * cin, groups * cout
    macs = conv.conv_macs(
        in_channels=i,
        out_channels=o,
        height=h,
        width=w,
        kernel=k,
        stride=stride,
        padding=padding,
        groups=groups,
        padding_count=padding_count,
    )
    flops = conv.conv_flops(
        in_channels=i,
        out_channels=o,
        height=h,
        width=w,
        kernel=k,
        stride=stride,
        padding=padding,
        groups=groups,
        padding_count=padding_count,
        flops_per_mac=fpm,
    )
    assert flops == fpm * macs
    assert macs > 0 or padding_count == "exact"  # exact: windows may miss the input


@FAST
@given(m=sizes, n=sizes, k=sizes, fpm=st.sampled_from([1, 2]))
def test_matmul_and_linear_flops_are_flops_per_mac_times_macs(
    m: int, n: int, k: int, fpm: int
) -> None:
    macs = linear.matmul_flops(m=m, n=n, k=k, flops_per_mac=1)
    assert linear.matmul_flops(m=m, n=n, k=k, flops_per_mac=fpm) == fpm * macs
    assert linear.linear_flops(tokens=m, in_features=k, out_features=n, flops_per_mac=fpm) == (
        fpm * macs
    )
    # The product is symmetric in the two outer sizes.
    assert linear.matmul_flops(m=n, n=m, k=k) == linear.matmul_flops(m=m, n=n, k=k)


@FAST
@given(
    seq_len=sizes, heads=st.integers(1, 8), d_head=st.integers(1, 16), fpm=st.sampled_from([1, 2])
)
def test_attention_flops_are_flops_per_mac_times_macs(
    seq_len: int, heads: int, d_head: int, fpm: int
) -> None:
    d = heads * d_head
    for stage in (attention.attention_scores_flops, attention.value_aggregation_flops):
        macs = stage(seq_len=seq_len, d_model=d, heads=heads, flops_per_mac=1)
        assert stage(seq_len=seq_len, d_model=d, heads=heads, flops_per_mac=fpm) == fpm * macs
        # Splitting into heads does not change the total cost of the products.
        assert macs == stage(seq_len=seq_len, d_model=d, heads=1, flops_per_mac=1)
    one = attention.projection_flops(seq_len=seq_len, d_model=d, flops_per_mac=fpm)
    assert attention.projection_flops(
        seq_len=seq_len, d_model=d, projections=3, flops_per_mac=fpm
    ) == (3 * one)


# --- depthwise convolution ----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(height=st.integers(3, 300), width=st.integers(3, 300))
def test_depthwise_parameters_do_not_depend_on_height_and_width(height: int, width: int) -> None:
    givens = {**roofline_1.SHEET_GIVENS, "conv.height": height, "conv.width": width}
    answers = roofline_1.solve(givens, Conventions()).answers
    assert answers["q1.a"] == 32 * 3 * 3
    assert answers["q1.b"] == 2 * height * width * 3 * 3 * 32  # same padding keeps H x W


@FAST
@given(c=st.integers(1, 64), k=kernels)
def test_depthwise_parameters_are_c_k_k(c: int, k: int) -> None:
    assert conv.conv_params(in_channels=c, out_channels=c, kernel=k, groups=c) == c * k * k
    assert conv.conv_params(in_channels=c, out_channels=c, kernel=k, groups=c, bias=True) == (
        c * k * k + c
    )


@FAST
@given(
    c=st.integers(1, 32),
    factor=st.integers(2, 4),
    h=sizes,
    w=sizes,
    k=kernels,
    stride=strides,
    padding=paddings,
    padding_count=st.sampled_from(["full", "exact"]),
)
def test_depthwise_cost_is_linear_in_channels(
    c: int, factor: int, h: int, w: int, k: int, stride: int, padding: str | int, padding_count: str
) -> None:
    assume(_fits(h, k, padding) and _fits(w, k, padding))

    def macs(channels: int) -> int:
        return conv.conv_macs(
            in_channels=channels,
            out_channels=channels,
            height=h,
            width=w,
            kernel=k,
            stride=stride,
            padding=padding,
            groups=channels,
            padding_count=padding_count,
        )

    assert macs(2 * c) == 2 * macs(c)
    assert macs(factor * c) == factor * macs(c)


@FAST
@given(cin=st.integers(1, 8), cout=st.integers(1, 8), factor=st.integers(2, 4), k=kernels)
def test_dense_conv_cost_is_linear_in_each_channel_count(
    cin: int, cout: int, factor: int, k: int
) -> None:
    def macs(i: int, o: int) -> int:
        return conv.conv_macs(
            in_channels=i, out_channels=o, height=9, width=9, kernel=k, padding="same"
        )

    assert macs(factor * cin, cout) == factor * macs(cin, cout)
    assert macs(cin, factor * cout) == factor * macs(cin, cout)


@FAST
@given(h1=sizes, w1=sizes, h2=sizes, w2=sizes, k=kernels, stride=strides, padding=paddings)
def test_conv_cost_is_linear_in_output_pixels(
    h1: int, w1: int, h2: int, w2: int, k: int, stride: int, padding: str | int
) -> None:
    assume(all(_fits(s, k, padding) for s in (h1, w1, h2, w2)))

    def macs_and_pixels(h: int, w: int) -> tuple[int, int]:
        macs = conv.conv_macs(
            in_channels=3,
            out_channels=3,
            height=h,
            width=w,
            kernel=k,
            stride=stride,
            padding=padding,
            groups=3,
        )
        out_h = conv.conv_output_size(size=h, kernel=k, stride=stride, padding=padding)
        out_w = conv.conv_output_size(size=w, kernel=k, stride=stride, padding=padding)
        return macs, out_h * out_w

    macs1, pixels1 = macs_and_pixels(h1, w1)
    macs2, pixels2 = macs_and_pixels(h2, w2)
    assert macs1 * pixels2 == macs2 * pixels1  # MACs per output pixel is a constant
    assert macs1 == pixels1 * 3 * k * k


@FAST
@given(h=sizes, w=sizes, k=kernels, stride=strides, padding=paddings)
def test_exact_padding_count_never_exceeds_full(
    h: int, w: int, k: int, stride: int, padding: str | int
) -> None:
    assume(_fits(h, k, padding) and _fits(w, k, padding))
    common = {"in_channels": 2, "out_channels": 2, "height": h, "width": w, "kernel": k}
    full = conv.conv_macs(**common, stride=stride, padding=padding, padding_count="full")
    exact = conv.conv_macs(**common, stride=stride, padding=padding, padding_count="exact")
    assert 0 <= exact <= full
    if padding in ("valid", 0):
        assert exact == full


# --- masking ------------------------------------------------------------------------------------


@FAST
@given(seq_len=st.integers(1, 100_000), diagonal=st.booleans())
def test_causal_never_exceeds_full(seq_len: int, diagonal: bool) -> None:
    full = masking.scores_computed(seq_len=seq_len, mask="full")
    causal = masking.scores_computed(seq_len=seq_len, mask="causal", causal_diagonal=diagonal)
    assert 0 <= causal <= full
    # With and without the diagonal differ by exactly the L diagonal pairs.
    with_diag = masking.scores_computed(seq_len=seq_len, mask="causal", causal_diagonal=True)
    without = masking.scores_computed(seq_len=seq_len, mask="causal", causal_diagonal=False)
    assert with_diag - without == seq_len
    assert with_diag + without == full


def _causal_ratio(seq_len: int, diagonal: bool = True) -> float:
    full = masking.scores_computed(seq_len=seq_len, mask="full")
    return masking.scores_computed(seq_len=seq_len, mask="causal", causal_diagonal=diagonal) / full


@pytest.mark.parametrize("diagonal", [True, False])
def test_causal_over_full_tends_to_one_half(diagonal: bool) -> None:
    assert abs(_causal_ratio(10_000, diagonal) - 0.5) <= 1e-3
    lengths = [1, 2, 3, 5, 8, 64, 100, 1000, 10_000, 100_000]
    ratios = [_causal_ratio(n, diagonal) for n in lengths]
    gaps = [abs(r - 0.5) for r in ratios]
    assert all(a > b for a, b in itertools.pairwise(gaps))
    if diagonal:  # (L + 1) / 2L falls towards 1/2 from above
        assert all(a > b for a, b in itertools.pairwise(ratios))
        assert all(r > 0.5 for r in ratios)
    else:  # (L - 1) / 2L rises towards 1/2 from below
        assert all(a < b for a, b in itertools.pairwise(ratios))
        assert all(r < 0.5 for r in ratios)


@FAST
@given(seq_len=st.integers(1, 10_000))
def test_causal_ratio_decreases_monotonically(seq_len: int) -> None:
    assert _causal_ratio(seq_len + 1) < _causal_ratio(seq_len)


@pytest.mark.parametrize("mask", ["full", "causal"])
def test_both_masks_grow_quadratically(mask: str) -> None:
    # Doubling L roughly quadruples the scores: ratio within 1 % of 4 at L = 10,000.
    ratio = masking.scores_computed(seq_len=20_000, mask=mask) / masking.scores_computed(
        seq_len=10_000, mask=mask
    )
    assert abs(ratio - 4) < 0.01 * 4
    assert masking.scores_growth(mask=mask) == "O(L^2)"


# --- roofline -----------------------------------------------------------------------------------


@FAST
@given(peak=rates, bandwidth=rates)
def test_ridge_times_bandwidth_is_peak(peak: float, bandwidth: float) -> None:
    ridge = roofline.ridge_point(peak=peak, bandwidth=bandwidth)
    assert math.isclose(ridge * bandwidth, peak, rel_tol=1e-12)
    assert math.isclose(
        roofline.attainable_performance(intensity=ridge, peak=peak, bandwidth=bandwidth),
        peak,
        rel_tol=1e-12,
    )


@FAST
@given(intensity=intensities, peak=rates, bandwidth=rates)
def test_attainable_is_below_both_roofs_and_touches_one(
    intensity: float, peak: float, bandwidth: float
) -> None:
    attainable = roofline.attainable_performance(
        intensity=intensity, peak=peak, bandwidth=bandwidth
    )
    assert attainable <= peak
    assert attainable <= intensity * bandwidth
    assert attainable in (peak, intensity * bandwidth)


@FAST
@given(peak=rates, bandwidth=rates, eps=st.floats(min_value=1e-9, max_value=1e-4))
def test_attainable_is_continuous_at_the_ridge(peak: float, bandwidth: float, eps: float) -> None:
    ridge = roofline.ridge_point(peak=peak, bandwidth=bandwidth)
    below = roofline.attainable_performance(
        intensity=ridge * (1 - eps), peak=peak, bandwidth=bandwidth
    )
    above = roofline.attainable_performance(
        intensity=ridge * (1 + eps), peak=peak, bandwidth=bandwidth
    )
    assert below <= above
    assert (above - below) / peak <= 2 * eps


@FAST
@given(
    a=intensities,
    b=intensities,
    peak=rates,
    bandwidth=rates,
    tie=st.sampled_from(["compute", "memory"]),
)
def test_verdict_is_monotone_in_intensity(
    a: float, b: float, peak: float, bandwidth: float, tie: str
) -> None:
    low, high = min(a, b), max(a, b)
    v_low = roofline.bound_verdict(intensity=low, peak=peak, bandwidth=bandwidth, tie_rule=tie)
    v_high = roofline.bound_verdict(intensity=high, peak=peak, bandwidth=bandwidth, tie_rule=tie)
    assert {v_low, v_high} <= {MEM, COMP}
    if v_low == COMP:
        assert v_high == COMP
    if v_high == MEM:
        assert v_low == MEM


@FAST
@given(peak=rates, bandwidth=rates, tie=st.sampled_from(["compute", "memory"]))
def test_verdict_at_and_around_the_ridge(peak: float, bandwidth: float, tie: str) -> None:
    ridge = peak / bandwidth
    assert roofline.bound_verdict(
        intensity=ridge, peak=peak, bandwidth=bandwidth, tie_rule=tie
    ) == (COMP if tie == "compute" else MEM)
    below, above = math.nextafter(ridge, 0), math.nextafter(ridge, math.inf)
    assert (
        roofline.bound_verdict(intensity=below, peak=peak, bandwidth=bandwidth, tie_rule=tie) == MEM
    )
    assert (
        roofline.bound_verdict(intensity=above, peak=peak, bandwidth=bandwidth, tie_rule=tie)
        == COMP
    )


@FAST
@given(
    flops=st.integers(1, 10**12),
    bytes_moved=st.integers(1, 10**12),
    scale=st.one_of(st.integers(1, 1000), st.floats(min_value=1e-3, max_value=1e3)),
)
def test_intensity_is_invariant_when_flops_and_bytes_scale_together(
    flops: int, bytes_moved: int, scale: float
) -> None:
    base = memory.arithmetic_intensity(flops=flops, bytes_moved=bytes_moved)
    scaled = memory.arithmetic_intensity(flops=flops * scale, bytes_moved=bytes_moved * scale)
    assert math.isclose(base, scaled, rel_tol=1e-12)


@FAST
@given(seq_len=sizes, d=sizes, bpe=st.sampled_from([1, 2, 4, 8]))
def test_bytes_scale_with_bytes_per_element(seq_len: int, d: int, bpe: int) -> None:
    for model in ("per_projection", "three_separate", "fused"):
        one = memory.projection_bytes(seq_len=seq_len, d_model=d, model=model, bytes_per_element=1)
        assert (
            memory.projection_bytes(seq_len=seq_len, d_model=d, model=model, bytes_per_element=bpe)
            == bpe * one
        )
    # Three separate projections move three times one; fusing saves two reads of X.
    one = memory.projection_bytes(seq_len=seq_len, d_model=d, bytes_per_element=bpe)
    assert (
        memory.projection_bytes(
            seq_len=seq_len, d_model=d, model="three_separate", bytes_per_element=bpe
        )
        == 3 * one
    )
    assert (
        memory.projection_bytes(seq_len=seq_len, d_model=d, model="fused", bytes_per_element=bpe)
        == 3 * one - 2 * seq_len * d * bpe
    )


@FAST
@given(
    intensity=intensities,
    peak=rates,
    bandwidth=rates,
    margin=st.floats(min_value=1e-6, max_value=0.5),
    tie=st.sampled_from(["compute", "memory"]),
)
def test_margin_reports_near_the_ridge_exactly_within_the_margin(
    intensity: float, peak: float, bandwidth: float, margin: float, tie: str
) -> None:
    ridge = peak / bandwidth
    got = roofline.bound_verdict(
        intensity=intensity, peak=peak, bandwidth=bandwidth, margin=margin, tie_rule=tie
    )
    if abs(intensity - ridge) <= margin * ridge:
        assert got == NEAR
    else:
        assert got == roofline.bound_verdict(
            intensity=intensity, peak=peak, bandwidth=bandwidth, tie_rule=tie
        )
        assert got == (MEM if intensity < ridge else COMP)


@FAST
@given(
    ridge=st.floats(min_value=0.1, max_value=1000), margin=st.floats(min_value=0.01, max_value=0.5)
)
def test_margin_band_edges(ridge: float, margin: float) -> None:
    bandwidth = 1e12
    peak = ridge * bandwidth
    ridge = peak / bandwidth  # the ridge exactly as the roofline computes it
    inside = (ridge * (1 - margin / 2), ridge, ridge * (1 + margin / 2))
    outside = (ridge * (1 - 2 * margin), ridge * (1 + 2 * margin))
    for ai in inside:
        assert (
            roofline.bound_verdict(intensity=ai, peak=peak, bandwidth=bandwidth, margin=margin)
            == NEAR
        )
    low, high = (
        roofline.bound_verdict(intensity=ai, peak=peak, bandwidth=bandwidth, margin=margin)
        for ai in outside
    )
    assert (low, high) == (MEM, COMP)


# --- softmax ------------------------------------------------------------------------------------


@FAST
@given(
    n=sizes,
    rows=st.integers(0, 100),
    factor=st.integers(1, 10),
    model=st.sampled_from(["stable", "basic"]),
    row_additions=st.sampled_from(["n-1", "n"]),
)
def test_softmax_counts_scale_with_rows(
    n: int, rows: int, factor: int, model: str, row_additions: str
) -> None:
    one = softmax.softmax_op_counts(n=n, rows=1, model=model, row_additions=row_additions)
    many = softmax.softmax_op_counts(n=n, rows=rows, model=model, row_additions=row_additions)
    more = softmax.softmax_op_counts(
        n=n, rows=factor * rows, model=model, row_additions=row_additions
    )
    assert list(many) == list(one)
    assert many == {op: rows * count for op, count in one.items()}
    assert more == {op: factor * count for op, count in many.items()}
    # Default rows: one row per score row of an n x n matrix.
    assert softmax.softmax_op_counts(n=n, model=model, row_additions=row_additions) == {
        op: n * count for op, count in one.items()
    }


@FAST
@given(n=sizes)
def test_softmax_models_nest(n: int) -> None:
    stable = softmax.softmax_op_counts(n=n)
    basic = softmax.softmax_op_counts(n=n, model="basic")
    assert list(stable) == ["max", "sub", "exp", "add", "div"]
    assert basic == {op: stable[op] for op in ("exp", "add", "div")}
    from_zero = softmax.softmax_op_counts(n=n, row_additions="n")
    assert from_zero["add"] - stable["add"] == n  # one more addition per row, n rows
    from_minus_infinity = softmax.softmax_op_counts(n=n, row_maximum="n")
    assert from_minus_infinity["max"] - stable["max"] == n  # one more comparison per row
    assert {op: c for op, c in from_minus_infinity.items() if op != "max"} == {
        op: c for op, c in stable.items() if op != "max"
    }
    # The basic model has no maximum, however it would be counted.
    assert softmax.softmax_op_counts(n=n, model="basic", row_maximum="n") == basic
