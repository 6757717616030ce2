"""The reference solution of sheet roofline-1, part by part, against hand derivations.

Every expected value below is written as arithmetic on the sheet's numbers (C = 32 channels of
56 x 56, K = 3, L = 64, d = 128, fp32 = 4 bytes, GPU 800 GB/s / 200 TFLOP/s, PIM 6000 GB/s /
20 TFLOP/s) or taken from a published figure (research/solvers.md §0, §1, §5); none is copied
from the solver's output.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Mapping

import pytest

from reference import roofline
from reference.conventions import Conventions
from reference.solution import Value
from sheets.roofline_1 import solver as roofline_1

MEM = "memory-bound"
COMP = "compute-bound"

# The sheet's symbols, for the hand derivations.
C, H, W, K = 32, 56, 56, 3
L, D = 64, 128
BYTES = 4
GPU_BW, GPU_PEAK = 800e9, 200e12
PIM_BW, PIM_PEAK = 6000e9, 20e12

# Q1: depthwise convolution, same padding keeps 56 x 56 outputs.
DW_PARAMS = C * K * K  # one 3 x 3 filter per channel
DW_FLOPS = 2 * 56 * 56 * 3 * 3 * 32  # 2 FLOPs per MAC, one MAC per tap per output
# Q2: single-head attention.
ONE_PROJECTION = 2 * L * D * D  # (64 x 128) @ (128 x 128)
SCORES = 2 * L * L * D  # (64 x 128) @ (128 x 64)
AGGREGATION = 2 * L * D * L  # (64 x 64) @ (64 x 128)
# Q5: bytes moved, every input and weight read once, every output written once.
DW_BYTES = (C * H * W + DW_PARAMS + C * H * W) * BYTES
QKV_ONE_BYTES = (L * D + D * D + L * D) * BYTES  # X, one W, one output

EXPECTED: dict[str, Value] = {
    "q1.a": 32 * 3 * 3,
    "q1.b": 2 * 56 * 56 * 3 * 3 * 32,
    "q2.a": 4 * 128 * 128,
    "q2.b.qkv_projections": 3 * 2 * 64 * 128 * 128,
    "q2.b.attention_scores": 2 * 64 * 64 * 128,
    "q2.b.scaling": 64 * 64,
    "q2.b.value_aggregation": 2 * 64 * 64 * 128,
    "q2.b.output_projection": 2 * 64 * 128 * 128,
    # Stable softmax over 64 rows of 64 scores: max needs 63 comparisons per row, the sum 63
    # additions per row; subtract, exp and divide touch each of the 64 scores.
    "q2.c": {"max": 64 * 63, "sub": 64 * 64, "exp": 64 * 64, "add": 64 * 63, "div": 64 * 64},
    "q2.d.full_scores": 64 * 64,
    "q2.d.causal_scores": 64 * 65 // 2,  # lower triangle with the diagonal: 1 + 2 + ... + 64
    "q2.d.full_complexity": "O(L^2)",
    "q2.d.causal_complexity": "O(L^2)",
    "q3.a": 200e12 / 800e9,
    "q3.b": None,
    "q4.a": 20e12 / 6000e9,
    "q4.b": None,
    "q5.conv.bytes": (32 * 56 * 56 + 288 + 32 * 56 * 56) * 4,
    "q5.conv.intensity": (2 * 56 * 56 * 9 * 32) / ((32 * 56 * 56 + 288 + 32 * 56 * 56) * 4),
    "q5.conv.gpu": MEM,  # 2.2468 < 250
    "q5.conv.pim": MEM,  # 2.2468 < 3.333
    "q5.qkv.bytes": (64 * 128 + 128 * 128 + 64 * 128) * 4,
    "q5.qkv.intensity": (2 * 64 * 128 * 128) / ((64 * 128 + 128 * 128 + 64 * 128) * 4),
    "q5.qkv.gpu": MEM,  # 16 < 250
    "q5.qkv.pim": COMP,  # 16 > 3.333
    "q5.explanation": None,
    "q6.advantages": None,
}

PERSON_GRADED = ("q3.b", "q4.b", "q5.explanation", "q6.advantages")

# The same values as plain published numbers (solvers.md §0), so a slip in the arithmetic above
# cannot hide.
PUBLISHED: dict[str, Value] = {
    "q1.a": 288,
    "q1.b": 1_806_336,
    "q2.a": 65_536,
    "q2.b.qkv_projections": 6_291_456,
    "q2.b.attention_scores": 1_048_576,
    "q2.b.scaling": 4_096,
    "q2.b.value_aggregation": 1_048_576,
    "q2.b.output_projection": 2_097_152,
    "q2.c": {"max": 4032, "sub": 4096, "exp": 4096, "add": 4032, "div": 4096},
    "q2.d.full_scores": 4096,
    "q2.d.causal_scores": 2080,
    "q3.a": 250,
    "q4.a": 10 / 3,
    "q5.conv.bytes": 803_968,
    "q5.conv.intensity": 1_806_336 / 803_968,
    "q5.qkv.bytes": 131_072,
    "q5.qkv.intensity": 16,
}


def _same(got: Value, expected: Value) -> bool:
    """Equality, with floats compared to 1e-12 relative and dicts key by key (order too)."""
    if isinstance(expected, float) or isinstance(got, float):
        return (
            isinstance(got, int | float)
            and isinstance(expected, int | float)
            and math.isclose(got, expected, rel_tol=1e-12)
        )
    if isinstance(expected, dict):
        return isinstance(got, dict) and list(got) == list(expected) and got == expected
    return type(got) is type(expected) and got == expected


def _diff(
    got: Mapping[str, Value], expected: Mapping[str, Value]
) -> dict[str, tuple[Value, Value]]:
    keys = list(expected) + [k for k in got if k not in expected]
    return {
        k: (got.get(k, "<absent>"), expected.get(k, "<absent>"))
        for k in keys
        if k not in got or k not in expected or not _same(got[k], expected[k])
    }


def _solve(
    conventions: Conventions | None = None, **given_changes: int | float | str
) -> dict[str, Value]:
    givens = {**roofline_1.SHEET_GIVENS, **given_changes}
    return roofline_1.solve(givens, conventions or Conventions()).answers


# --- the sheet with its default conventions ---------------------------------------------------


@pytest.mark.parametrize(("part", "expected"), list(EXPECTED.items()), ids=list(EXPECTED))
def test_sheet_part(part: str, expected: Value) -> None:
    got = _solve()[part]
    assert _same(got, expected), f"{part}: got {got!r}, hand derivation {expected!r}"


@pytest.mark.parametrize(("part", "published"), list(PUBLISHED.items()), ids=list(PUBLISHED))
def test_hand_derivation_matches_published_figure(part: str, published: Value) -> None:
    assert _same(EXPECTED[part], published)


def test_solver_covers_exactly_the_sheets_parts_in_order() -> None:
    assert list(_solve()) == list(EXPECTED)


def test_parts_graded_by_a_person_have_no_value() -> None:
    answers = _solve()
    assert [p for p, v in answers.items() if v is None] == list(PERSON_GRADED)


def test_intensities_to_four_decimals() -> None:
    answers = _solve()
    assert round(float(answers["q5.conv.intensity"]), 4) == 2.2468  # type: ignore[arg-type]
    assert answers["q5.qkv.intensity"] == 16.0
    assert round(float(answers["q4.a"]), 4) == 3.3333  # type: ignore[arg-type]


def test_the_grader_solves_the_sheet_with_this_solver() -> None:
    from grader.sheets.library import load_assignment
    from grader.sheets.solving import resolve_givens, solve_assignment

    sheet = load_assignment("roofline-1")
    via_grader = solve_assignment(sheet, resolve_givens(sheet))
    assert _diff(via_grader.answers, EXPECTED) == {}
    assert via_grader.answers == roofline_1.solve(roofline_1.SHEET_GIVENS, Conventions()).answers


def test_unknown_sheet_is_rejected_by_name() -> None:
    from grader.errors import AssignmentError
    from grader.sheets.library import load_assignment

    with pytest.raises(AssignmentError, match="no-such-sheet"):
        load_assignment("no-such-sheet")


def test_steps_name_their_part_and_unit() -> None:
    solution = roofline_1.solve(roofline_1.SHEET_GIVENS, Conventions())
    assert solution.step("q1.b").unit == "FLOP"
    assert solution.step("q5.qkv.bytes").unit == "byte"
    assert solution.step("q3.a").unit == "FLOP/byte"
    with pytest.raises(KeyError):
        solution.step("q9.z")


# --- alternatives: one convention (or one given) changed ---------------------------------------

# Depthwise conv MACs with 56 x 56 outputs and 9 taps per output per channel.
DW_MACS = 56 * 56 * 9 * 32
DW_OUTPUTS = 32 * 56 * 56
# Exact padding, one axis: 56 output rows x 3 taps = 168, but the first row's top tap and the
# last row's bottom tap land on padding, so 168 - 2 = 166 taps touch real rows; same per column.
EXACT_TAPS_PER_AXIS = 56 * 3 - 2
VALID_FLOPS = 2 * 54 * 54 * 9 * 32  # 'valid': 56 - 3 + 1 = 54 outputs per axis
VALID_BYTES = (32 * 56 * 56 + 288 + 32 * 54 * 54) * 4

ALTERNATIVES: list[tuple[str, Conventions, dict[str, int | float | str], dict[str, Value]]] = [
    (
        "flops_per_mac=1",
        Conventions(flops_per_mac=1),
        {},
        {
            "q1.b": 56 * 56 * 3 * 3 * 32,  # 903,168 MACs
            "q2.b.qkv_projections": 3 * 64 * 128 * 128,  # 3,145,728
            "q2.b.attention_scores": 64 * 64 * 128,
            "q2.b.value_aggregation": 64 * 64 * 128,
            "q2.b.output_projection": 64 * 128 * 128,
            "q5.conv.intensity": DW_MACS / DW_BYTES,
            "q5.qkv.intensity": (64 * 128 * 128) / QKV_ONE_BYTES,  # 8: still between 3.3 and 250
        },
    ),
    (
        "bias=True",
        Conventions(bias=True),
        {},
        {
            "q1.a": 32 * 3 * 3 + 32,  # 320
            "q1.b": DW_FLOPS + 32 * 56 * 56,  # + one bias add per output: + 100,352
            "q2.a": 4 * (128 * 128 + 128),  # 66,048
            "q2.b.qkv_projections": 3 * (2 * 64 * 128 * 128 + 64 * 128),
            "q2.b.output_projection": 2 * 64 * 128 * 128 + 64 * 128,
            "q5.conv.bytes": (32 * 56 * 56 + 320 + 32 * 56 * 56) * 4,  # the biases are read too
            "q5.conv.intensity": (DW_FLOPS + 32 * 56 * 56) / ((32 * 56 * 56 * 2 + 320) * 4),
            # q5.qkv.bytes / intensity: see test_qkv_bytes_with_bias_count_the_bias_vector.
        },
    ),
    (
        "padding_count=exact",
        Conventions(padding_count="exact"),
        {},
        {
            "q1.b": 2 * EXACT_TAPS_PER_AXIS * EXACT_TAPS_PER_AXIS * 32,  # 1,763,584
            "q5.conv.intensity": 2 * 166 * 166 * 32 / DW_BYTES,
        },
    ),
    (
        "dot_product_ops=2k-1",
        Conventions(dot_product_ops="2k-1"),
        {},
        {
            # A dot product of length k: k multiplies, k - 1 adds.
            "q1.b": 56 * 56 * 32 * (2 * 9 - 1),  # 56·56·32·17
            "q2.b.qkv_projections": 3 * 64 * 128 * (2 * 128 - 1),  # 3 x 64·128·255
            "q2.b.attention_scores": 64 * 64 * (2 * 128 - 1),
            "q2.b.value_aggregation": 64 * 128 * (2 * 64 - 1),  # dot products of length L = 64
            "q2.b.output_projection": 64 * 128 * 255,
            "q5.conv.intensity": 56 * 56 * 32 * 17 / DW_BYTES,
            "q5.qkv.intensity": 64 * 128 * 255 / QKV_ONE_BYTES,  # 15.9375
        },
    ),
    (
        "given conv.padding=valid",
        Conventions(),
        {"conv.padding": "valid"},
        {
            "q1.b": VALID_FLOPS,  # 2·54·54·9·32
            "q5.conv.bytes": VALID_BYTES,
            "q5.conv.intensity": VALID_FLOPS / VALID_BYTES,  # 2.165: still memory-bound on both
        },
    ),
    (
        "softmax_model=basic",
        Conventions(softmax_model="basic"),
        {},
        {"q2.c": {"exp": 64 * 64, "add": 64 * 63, "div": 64 * 64}},
    ),
    (
        "softmax_row_additions=n",
        Conventions(softmax_row_additions="n"),
        {},
        {"q2.c": {"max": 64 * 63, "sub": 64 * 64, "exp": 64 * 64, "add": 64 * 64, "div": 64 * 64}},
    ),
    (
        "softmax_row_maximum=n",
        Conventions(softmax_row_maximum="n"),
        {},
        # the maximum starts from minus infinity: 64 comparisons in each of the 64 rows
        {"q2.c": {"max": 64 * 64, "sub": 64 * 64, "exp": 64 * 64, "add": 64 * 63, "div": 64 * 64}},
    ),
    (
        "causal_diagonal=False",
        Conventions(causal_diagonal=False),
        {},
        {"q2.d.causal_scores": 64 * 63 // 2},  # 0 + 1 + ... + 63 = 2016
    ),
    (
        "bytes_per_element=1",
        Conventions(bytes_per_element=1),
        {},
        {
            "q5.conv.bytes": 32 * 56 * 56 + 288 + 32 * 56 * 56,  # 200,992
            "q5.conv.intensity": DW_FLOPS / (32 * 56 * 56 * 2 + 288),  # 8.99
            "q5.conv.pim": COMP,  # 8.99 > 3.333 once the factor 4 is forgotten
            "q5.qkv.bytes": 64 * 128 + 128 * 128 + 64 * 128,
            "q5.qkv.intensity": ONE_PROJECTION / (64 * 128 + 128 * 128 + 64 * 128),  # 64
        },
    ),
    (
        "given bytes_per_element=2",
        Conventions(),
        {"bytes_per_element": 2},
        {
            "q5.conv.bytes": (32 * 56 * 56 + 288 + 32 * 56 * 56) * 2,  # 401,984
            "q5.conv.intensity": DW_FLOPS / ((32 * 56 * 56 * 2 + 288) * 2),  # 4.49
            "q5.conv.pim": COMP,  # 4.49 > 3.333
            "q5.qkv.bytes": (64 * 128 + 128 * 128 + 64 * 128) * 2,
            "q5.qkv.intensity": ONE_PROJECTION / ((64 * 128 + 128 * 128 + 64 * 128) * 2),  # 32
        },
    ),
    (
        "qkv_byte_model=three_separate",
        Conventions(qkv_byte_model="three_separate"),
        {},
        {
            "q5.qkv.bytes": 3 * (64 * 128 + 128 * 128 + 64 * 128) * 4,  # 393,216
            "q5.qkv.intensity": 3 * ONE_PROJECTION / (3 * QKV_ONE_BYTES),  # 16
        },
    ),
    (
        "qkv_byte_model=fused",
        Conventions(qkv_byte_model="fused"),
        {},
        {
            "q5.qkv.bytes": (64 * 128 + 3 * 128 * 128 + 3 * 64 * 128) * 4,  # 327,680
            "q5.qkv.intensity": 3
            * ONE_PROJECTION
            / ((64 * 128 + 3 * 128 * 128 + 3 * 64 * 128) * 4),
        },
    ),
    # No intensity on the sheet sits exactly on a ridge, so the tie rule changes nothing.
    ("tie_rule=memory", Conventions(tie_rule="memory"), {}, {}),
]


@pytest.mark.parametrize(
    ("conventions", "given_changes", "changed"),
    [a[1:] for a in ALTERNATIVES],
    ids=[a[0] for a in ALTERNATIVES],
)
def test_alternative_changes_exactly_the_derived_parts(
    conventions: Conventions,
    given_changes: dict[str, int | float | str],
    changed: dict[str, Value],
) -> None:
    expected = {**EXPECTED, **changed}
    if conventions.bias:  # QKV bytes with bias: reported discrepancy, pinned separately below
        expected.pop("q5.qkv.bytes")
        expected.pop("q5.qkv.intensity")
    got = _solve(conventions, **given_changes)
    for part in set(got) - set(expected):
        del got[part]
    assert _diff(got, expected) == {}


@pytest.mark.parametrize(
    ("part", "conventions", "published"),
    [
        ("q1.b", Conventions(flops_per_mac=1), 903_168),
        ("q2.b.qkv_projections", Conventions(flops_per_mac=1), 3_145_728),
        ("q1.a", Conventions(bias=True), 320),
        ("q2.a", Conventions(bias=True), 66_048),
        ("q1.b", Conventions(bias=True), 1_806_336 + 100_352),
        ("q1.b", Conventions(padding_count="exact"), 1_763_584),
        ("q2.b.output_projection", Conventions(dot_product_ops="2k-1"), 2_088_960),
        ("q2.d.causal_scores", Conventions(causal_diagonal=False), 2016),
        ("q5.conv.bytes", Conventions(bytes_per_element=1), 200_992),
        ("q5.qkv.bytes", Conventions(qkv_byte_model="three_separate"), 393_216),
        ("q5.qkv.bytes", Conventions(qkv_byte_model="fused"), 327_680),
        ("q5.qkv.intensity", Conventions(qkv_byte_model="fused"), 19.2),
    ],
)
def test_alternative_matches_published_figure(
    part: str, conventions: Conventions, published: Value
) -> None:
    assert _same(_solve(conventions)[part], published)


def test_padding_exact_taps_per_axis_by_hand() -> None:
    # Output rows 0 and 55 each lose one tap to the padding; rows 1..54 keep all three.
    assert EXACT_TAPS_PER_AXIS == 2 + 54 * 3 + 2 == 55 * 3 + 1 == 166


def test_qkv_bytes_with_bias_count_the_bias_vector() -> None:
    # Per projection with a bias: X (64·128) + W (128·128) + b (128) + Y (64·128) elements,
    # and 2·64·128·128 + 64·128 FLOPs, so the intensity is 2,105,344 / 131,584 = 16 exactly.
    answers = _solve(Conventions(bias=True))
    assert answers["q5.qkv.bytes"] == (64 * 128 + 128 * 128 + 128 + 64 * 128) * 4  # 131,584
    assert answers["q5.qkv.intensity"] == (2 * 64 * 128 * 128 + 64 * 128) / (
        (64 * 128 + 128 * 128 + 128 + 64 * 128) * 4
    )


# --- real devices (solvers.md §5) ---------------------------------------------------------------

# (device, FP32 peak FLOP/s, bandwidth byte/s, published ridge, QKV 16 verdict, QKV 19.2 verdict)
DEVICES: list[tuple[str, float, float, float, str, str]] = [
    ("A100 40 GB SXM4", 19.5e12, 1555e9, 12.54, COMP, COMP),
    ("H100 SXM5", 66.9e12, 3350e9, 19.97, MEM, MEM),  # 19.2 sits just under 19.97
    ("V100 SXM2", 15.7e12, 900e9, 17.44, MEM, COMP),  # flips between the byte models
    ("A100 80 GB SXM4", 19.5e12, 2039e9, 9.56, COMP, COMP),
    ("H100 PCIe", 51e12, 2000e9, 25.5, MEM, MEM),
    ("tutorial GPU", 200e12, 800e9, 250.0, MEM, MEM),
    ("tutorial PIM", 20e12, 6000e9, 3.333, COMP, COMP),
]
QKV_PER_PROJECTION = ONE_PROJECTION / QKV_ONE_BYTES  # 16
QKV_FUSED = 3 * ONE_PROJECTION / ((L * D + 3 * D * D + 3 * L * D) * BYTES)  # 19.2


@pytest.mark.parametrize(
    ("peak", "bandwidth", "published"), [d[1:4] for d in DEVICES], ids=[d[0] for d in DEVICES]
)
def test_ridge_point_of_real_device(peak: float, bandwidth: float, published: float) -> None:
    # Published ridges are rounded to two (or three) decimals.
    assert roofline.ridge_point(peak=peak, bandwidth=bandwidth) == pytest.approx(
        published, abs=0.005
    )


@pytest.mark.parametrize(
    ("peak", "bandwidth", "at_16", "at_19_2"),
    [(d[1], d[2], d[4], d[5]) for d in DEVICES],
    ids=[d[0] for d in DEVICES],
)
def test_qkv_verdicts_on_real_device(
    peak: float, bandwidth: float, at_16: str, at_19_2: str
) -> None:
    assert QKV_PER_PROJECTION == 16 and math.isclose(QKV_FUSED, 19.2)
    assert (
        roofline.bound_verdict(intensity=QKV_PER_PROJECTION, peak=peak, bandwidth=bandwidth)
        == at_16
    )
    assert roofline.bound_verdict(intensity=QKV_FUSED, peak=peak, bandwidth=bandwidth) == at_19_2
    # The depthwise conv (2.2468) is memory-bound on every one of these FP32 rooflines.
    assert (
        roofline.bound_verdict(intensity=DW_FLOPS / DW_BYTES, peak=peak, bandwidth=bandwidth) == MEM
    )


# A synthetic device whose ridge is exactly 16 FLOP/byte: 12.8 TFLOP/s over 800 GB/s.
TIE_PEAK, TIE_BW = 16 * 800e9, 800e9


def test_synthetic_device_ridge_is_exactly_16() -> None:
    assert roofline.ridge_point(peak=TIE_PEAK, bandwidth=TIE_BW) == 16.0


@pytest.mark.parametrize(
    ("tie_rule", "verdict"), [("compute", COMP), ("memory", MEM)], ids=["compute", "memory"]
)
def test_tie_rule_at_exact_ridge(tie_rule: str, verdict: str) -> None:
    assert (
        roofline.bound_verdict(intensity=16, peak=TIE_PEAK, bandwidth=TIE_BW, tie_rule=tie_rule)
        == verdict
    )
    # Off the tie, the rule does not matter.
    for intensity, off_tie in ((15.999, MEM), (16.001, COMP)):
        got = roofline.bound_verdict(
            intensity=intensity, peak=TIE_PEAK, bandwidth=TIE_BW, tie_rule=tie_rule
        )
        assert got == off_tie


@pytest.mark.parametrize(
    ("tie_rule", "verdict"), [("compute", COMP), ("memory", MEM)], ids=["compute", "memory"]
)
def test_tie_rule_through_the_solver(tie_rule: str, verdict: str) -> None:
    answers = _solve(
        Conventions(tie_rule=tie_rule),  # type: ignore[arg-type]
        **{"gpu.peak": TIE_PEAK, "gpu.bandwidth": TIE_BW},
    )
    assert answers["q5.qkv.intensity"] == 16.0
    assert answers["q5.qkv.gpu"] == verdict


@pytest.mark.parametrize(
    ("byte_model", "verdict"),
    [("per_projection", MEM), ("three_separate", MEM), ("fused", COMP)],
)
def test_v100_givens_flip_the_qkv_verdict_with_the_byte_model(
    byte_model: str, verdict: str
) -> None:
    # As with `--set gpu.bandwidth=900e9 --set gpu.peak=15.7e12`: ridge 15.7e12 / 900e9 = 17.44,
    # between 16 (per projection, three separate) and 19.2 (fused).
    answers = _solve(
        Conventions(qkv_byte_model=byte_model),  # type: ignore[arg-type]
        **{"gpu.bandwidth": 900e9, "gpu.peak": 15.7e12},
    )
    assert answers["q3.a"] == pytest.approx(15.7e12 / 900e9)
    assert answers["q5.qkv.gpu"] == verdict
    assert answers["q5.qkv.pim"] == COMP  # the PIM givens did not change
    assert answers["q5.conv.gpu"] == MEM


# --- givens checking ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(roofline_1.GIVEN_TYPES))
def test_missing_given_is_named(name: str) -> None:
    givens = {k: v for k, v in roofline_1.SHEET_GIVENS.items() if k != name}
    with pytest.raises(ValueError, match=re.escape(name)):
        roofline_1.check_givens(givens)
    with pytest.raises(ValueError, match=re.escape(name)):
        roofline_1.solve(givens, Conventions())


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("conv.channels", 0),
        ("conv.kernel", -3),
        ("attention.seq_len", 0),
        ("bytes_per_element", -4),
        ("gpu.bandwidth", 0.0),
        ("gpu.peak", -200e12),
        ("pim.bandwidth", -1),
        ("pim.peak", 0),
    ],
)
def test_non_positive_given_is_named(name: str, bad: int | float) -> None:
    givens = {**roofline_1.SHEET_GIVENS, name: bad}
    with pytest.raises(ValueError, match=re.escape(name)):
        roofline_1.check_givens(givens)


def test_sheet_givens_pass_the_check() -> None:
    roofline_1.check_givens(roofline_1.SHEET_GIVENS)  # raises on failure
    assert set(roofline_1.SHEET_GIVENS) == set(roofline_1.GIVEN_TYPES)


# --- the worked steps agree with their own values -----------------------------------------------

_ARITHMETIC = re.compile(r"[0-9+\-*/(). ]+")


def _evaluate(text: str) -> float | None:
    """Value of a substitution that is pure arithmetic (``2 × 56 × 56``), else None."""
    plain = text.replace("×", "*").replace("−", "-").replace(",", "")
    if not _ARITHMETIC.fullmatch(plain):
        return None
    node = ast.parse(plain, mode="eval").body

    def walk(n: ast.expr) -> float:
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float):
            return n.value
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            a, b = walk(n.left), walk(n.right)
            if isinstance(n.op, ast.Add):
                return a + b
            if isinstance(n.op, ast.Sub):
                return a - b
            return a * b if isinstance(n.op, ast.Mult) else a / b
        raise ValueError(f"not plain arithmetic: {ast.dump(n)}")

    return walk(node)


@pytest.mark.parametrize(
    ("conventions", "given_changes"),
    [
        pytest.param(
            a[1],
            a[2],
            id=a[0],
        )
        for a in ALTERNATIVES
    ],
)
def test_arithmetic_substitutions_evaluate_to_the_value(
    conventions: Conventions, given_changes: dict[str, int | float | str]
) -> None:
    solution = roofline_1.solve({**roofline_1.SHEET_GIVENS, **given_changes}, conventions)
    checked = 0
    for step in solution.steps:
        value = _evaluate(step.substitution)
        if value is not None:
            assert isinstance(step.value, int | float)
            assert math.isclose(value, step.value, rel_tol=1e-9), (step.part_id, step.substitution)
            checked += 1
    assert checked >= 10


_RELATION = re.compile(r"(?P<ai>[0-9.,]+) (?P<rel><|=|>) (?P<ridge>[0-9.,]+)")


def _relation_holds(substitution: str) -> bool:
    match = _RELATION.fullmatch(substitution)
    assert match, substitution
    ai, ridge = (float(match[g].replace(",", "")) for g in ("ai", "ridge"))
    if match["rel"] == "=":
        return ai == ridge
    return ai < ridge if match["rel"] == "<" else ai > ridge


@pytest.mark.parametrize(
    ("tie_rule", "given_changes"),
    [
        ("compute", {}),
        ("memory", {}),
        ("compute", {"gpu.peak": TIE_PEAK, "gpu.bandwidth": TIE_BW}),
        ("memory", {"gpu.peak": TIE_PEAK, "gpu.bandwidth": TIE_BW}),
    ],
    ids=["sheet-compute", "sheet-memory", "tie-compute", "tie-memory"],
)
def test_verdict_substitution_states_a_true_relation(
    tie_rule: str, given_changes: dict[str, int | float | str]
) -> None:
    solution = roofline_1.solve(
        {**roofline_1.SHEET_GIVENS, **given_changes},
        Conventions(tie_rule=tie_rule),  # type: ignore[arg-type]
    )
    for part in ("q5.conv.gpu", "q5.conv.pim", "q5.qkv.gpu", "q5.qkv.pim"):
        assert _relation_holds(solution.step(part).substitution), part
