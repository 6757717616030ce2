"""The reference solution of sheet llm-inference-1, part by part, against hand derivations.

The sheet's layer: d = 4096, h = 32 heads (d_head = 128), d_ff = 16384, N = 32 layers, a context
of L = 2048 tokens, a batch of B = 16, 16-bit elements (2 bytes), an A100 80GB SXM at 312
TFLOP/s (dense FP16 Tensor Core) and 2,039 GB/s. Every expected value below is arithmetic on
those numbers, written from the definitions in the sheet's text (never the solver's output).
"""

from __future__ import annotations

import ast
import json
import math
import operator
import os
import re
from pathlib import Path

import pytest

from reference.conventions import Conventions
from reference.solution import Value
from sheets.llm_inference_1 import solver as llm_inference_1

MEM, COMP = "memory-bound", "compute-bound"

D, H, D_HEAD, D_FF, N_LAYERS = 4096, 32, 128, 16384, 32
L, B, BYTES = 2048, 16, 2
PEAK, BW = 312e12, 2039e9

# The layer's matrices as (in, out): W_Q, W_K, W_V, W_O, then W_up and W_down.
MATRICES = [(D, D), (D, D), (D, D), (D, D), (D, D_FF), (D_FF, D)]
W = sum(i * o for i, o in MATRICES)  # weight elements: 4 d² + 2 d d_ff
A = sum(i + o for i, o in MATRICES)  # each matrix reads its input, writes its output, per token
F = 2 * W  # FLOPs per token: one MAC per weight, 2 FLOPs per MAC
RIDGE = PEAK / BW


def _matrix_intensity(tokens: int, activations: int = A, fpm: int = 2, bpe: int = BYTES) -> float:
    """FLOPs of ``tokens`` tokens over the bytes: weights read once, activations per token."""
    return tokens * fpm * W / ((W + tokens * activations) * bpe)


EXPECTED: dict[str, Value] = {
    "q1.a": 4 * 4096 * 4096,
    "q1.b": 2 * 4096 * 16384,
    "q1.c": (4 * 4096 * 4096 + 2 * 4096 * 16384) * 2,
    "q2.a": 2 * 32 * 128 * 2,  # a key and a value, 32 heads of 128, 2 bytes each
    "q2.b": 2048 * (2 * 32 * 128 * 2),
    "q2.c": 16 * 2048 * (2 * 32 * 128 * 2),
    "q3.a": 2 * 4 * 4096 * 4096,
    "q3.b": 2 * 2 * 4096 * 16384,
    "q3.c": 2048 * (2 * 4 * 4096 * 4096 + 2 * 2 * 4096 * 16384),
    "q3.d": 16 * (2 * 4 * 4096 * 4096 + 2 * 2 * 4096 * 16384),
    # Per head: 2048 scores of 128 MACs, then 128 outputs of 2048 MACs; 32 heads, 2 FLOPs/MAC.
    "q3.e": 32 * (2048 * 128 + 128 * 2048) * 2,
    "q4.a": 402_653_184 / ((201_326_592 + 73_728) * 2),
    "q4.b": 16 * 402_653_184 / ((201_326_592 + 16 * 73_728) * 2),
    "q4.c": 2048 * 402_653_184 / ((201_326_592 + 2048 * 73_728) * 2),
    # The cache of 2048 tokens (keys and values) plus the query read and the output written.
    "q4.d": (4 * 2048 * 4096) / ((2 * 2048 * 4096 + 2 * 4096) * 2),
    "q5.a": 312e12 / 2039e9,
    "q5.b": MEM,  # 15.9 < 153
    "q5.c": COMP,  # 1170 > 153
    "q5.d": 163,  # derived in test_turning_batch_by_hand
    "q5.e": None,  # the sketch, graded by a person
    "q6.a": (4 * 4096 * 4096 + 2 * 4096 * 16384) * 2 + 16 * 2048 * 2 * 4096 * 2,
    "q6.b": ((4 * 4096 * 4096 + 2 * 4096 * 16384) * 2 + 16 * 2048 * 2 * 4096 * 2) / 2039e9,
    "q6.c": 32 * ((4 * 4096 * 4096 + 2 * 4096 * 16384) * 2 + 16 * 2048 * 2 * 4096 * 2) / 2039e9,
    "q6.d": None,
}

# The same values as plain numbers, so that a slip in the arithmetic above cannot hide.
PLAIN: dict[str, Value] = {
    "q1.a": 67_108_864,
    "q1.b": 134_217_728,
    "q1.c": 402_653_184,
    "q2.a": 16_384,
    "q2.b": 33_554_432,  # 32 MiB
    "q2.c": 536_870_912,  # 512 MiB
    "q3.a": 134_217_728,
    "q3.b": 268_435_456,
    "q3.c": 824_633_720_832,
    "q3.d": 6_442_450_944,
    "q3.e": 33_554_432,
    "q4.c": 8192 / 7,  # 2048 x 24 x 2^24 / (2 x 21 x 2^24)
    "q4.d": 2048 / 2049,
    "q6.a": 939_524_096,
}


def _same(got: Value, expected: Value) -> bool:
    if isinstance(expected, float) or isinstance(got, float):
        return (
            isinstance(got, int | float)
            and isinstance(expected, int | float)
            and math.isclose(got, expected, rel_tol=1e-12)
        )
    return type(got) is type(expected) and got == expected


def _solve(
    conventions: Conventions | None = None, **changes: int | float | str
) -> dict[str, Value]:
    givens = {**llm_inference_1.SHEET_GIVENS, **changes}
    return llm_inference_1.solve(givens, conventions or Conventions()).answers


@pytest.mark.parametrize(("part", "expected"), list(EXPECTED.items()), ids=list(EXPECTED))
def test_sheet_part(part: str, expected: Value) -> None:
    got = _solve()[part]
    assert _same(got, expected), f"{part}: got {got!r}, hand derivation {expected!r}"


@pytest.mark.parametrize(("part", "plain"), list(PLAIN.items()), ids=list(PLAIN))
def test_hand_derivation_matches_plain_number(part: str, plain: Value) -> None:
    assert _same(EXPECTED[part], plain)


def test_shared_quantities_by_hand() -> None:
    assert W == 12 * D * D == 201_326_592  # d_ff = 4 d: 4 d² + 8 d²
    assert A == 10 * D + 2 * D_FF == 73_728
    assert D == H * D_HEAD


def test_intensities_by_the_helper_agree_with_the_table() -> None:
    for part, tokens in (("q4.a", 1), ("q4.b", B), ("q4.c", L)):
        assert math.isclose(_matrix_intensity(tokens), EXPECTED[part], rel_tol=1e-12)  # type: ignore[arg-type]


def test_turning_batch_by_hand() -> None:
    # Intensity at batch b is b F / ((W + b A) x 2); it reaches the ridge R when
    # b (F - 2 R A) >= 2 R W, i.e. b >= 2 R W / (F - 2 R A) = 162.1 for the A100.
    threshold = 2 * RIDGE * W / (F - 2 * RIDGE * A)
    assert 162 < threshold < 163
    assert _matrix_intensity(162) < RIDGE <= _matrix_intensity(163)


def test_time_bound_in_readable_units() -> None:
    answers = _solve()
    assert round(float(answers["q6.b"]) * 1e6, 1) == 460.8  # type: ignore[arg-type]  # µs
    assert round(float(answers["q6.c"]) * 1e3, 2) == 14.74  # type: ignore[arg-type]  # ms
    assert round(float(answers["q5.a"]), 2) == 153.02  # type: ignore[arg-type]


def test_solver_covers_exactly_the_sheets_parts_in_order() -> None:
    assert list(_solve()) == list(EXPECTED)


def test_the_grader_solves_the_sheet_with_this_solver() -> None:
    from grader.sheets.library import load_assignment
    from grader.sheets.solving import resolve_givens, solve_assignment

    sheet = load_assignment("llm-inference-1")
    via_grader = solve_assignment(sheet, resolve_givens(sheet))
    assert via_grader.answers == _solve()
    assert via_grader.assignment == "llm-inference-1"


# --- published figures for the sheet's configuration -------------------------------------------


def test_kv_cache_per_token_of_a_7b_model_matches_the_published_half_mebibyte() -> None:
    # Llama 2 7B has the sheet's attention shape (32 layers, d = 4096, 32 heads of 128, one KV
    # head per query head): its 16-bit KV cache is quoted as 524,288 bytes (0.5 MiB) per token,
    # and NVIDIA's inference-optimisation blog sizes it at about 2 GB for 4096 tokens, batch 1.
    per_layer = _solve()["q2.a"]
    assert per_layer * N_LAYERS == 524_288  # type: ignore[operator]
    assert per_layer * N_LAYERS * 4096 == 2 * 1024**3  # type: ignore[operator]


def test_matrix_vector_intensity_is_about_one_flop_per_byte_as_published() -> None:
    # NVIDIA's GPU performance guide lists a 16-bit linear layer at batch 1 at 1 FLOP/B.
    assert round(float(_solve()["q4.a"]), 2) == 1.0  # type: ignore[arg-type]


# --- one convention or given changed ------------------------------------------------------------

W_BIAS = W + 4 * D + D_FF + D  # one bias per output of each matrix
F_BIAS = F + 4 * D + D_FF + D  # one addition per output
TOKEN_2K_1 = 4 * D * (2 * D - 1) + D_FF * (2 * D - 1) + D * (2 * D_FF - 1)
A_FUSED = A - 2 * D  # x read once for W_Q, W_K and W_V

ALTERNATIVES: list[tuple[str, Conventions, dict[str, int | float], dict[str, Value]]] = [
    (
        "macs_not_flops",
        Conventions(flops_per_mac=1),
        {},
        {
            "q3.a": 4 * D * D,
            "q3.b": 2 * D * D_FF,
            "q3.c": L * W,
            "q3.d": B * W,
            "q3.e": 32 * (2048 * 128 + 128 * 2048),
            "q4.a": _matrix_intensity(1, fpm=1),
            "q4.b": _matrix_intensity(B, fpm=1),
            "q4.c": _matrix_intensity(L, fpm=1),
            "q4.d": (2 * L * D) / ((2 * L * D + 2 * D) * 2),
            "q5.d": 345,  # 2 R W / (W - 2 R A) = 344.7
        },
    ),
    (
        "elements_not_bytes",
        Conventions(bytes_per_element=1),
        {},
        {
            "q1.c": W,
            "q2.a": 2 * D,
            "q2.b": L * 2 * D,
            "q2.c": B * L * 2 * D,
            "q4.a": _matrix_intensity(1, bpe=1),
            "q4.b": _matrix_intensity(B, bpe=1),
            "q4.c": _matrix_intensity(L, bpe=1),
            "q4.d": (4 * L * D) / (2 * L * D + 2 * D),
            "q5.d": 79,  # R W / (F - R A) = 78.6
            "q6.a": W + B * L * 2 * D,
            "q6.b": (W + B * L * 2 * D) / BW,
            "q6.c": N_LAYERS * (W + B * L * 2 * D) / BW,
        },
    ),
    (
        "bias_counted",
        Conventions(bias=True),
        {},
        {
            "q1.a": 4 * D * D + 4 * D,
            "q1.b": 2 * D * D_FF + D_FF + D,
            "q1.c": W_BIAS * 2,
            "q3.a": 2 * 4 * D * D + 4 * D,
            "q3.b": 2 * 2 * D * D_FF + D_FF + D,
            "q3.c": L * F_BIAS,
            "q3.d": B * F_BIAS,
            "q4.a": F_BIAS / ((W_BIAS + A) * 2),
            "q4.b": B * F_BIAS / ((W_BIAS + B * A) * 2),
            "q4.c": L * F_BIAS / ((W_BIAS + L * A) * 2),
            "q6.a": W_BIAS * 2 + B * L * 2 * D * 2,
            "q6.b": (W_BIAS * 2 + B * L * 2 * D * 2) / BW,
            "q6.c": N_LAYERS * (W_BIAS * 2 + B * L * 2 * D * 2) / BW,
        },
    ),
    (
        "layernorms_counted",
        Conventions(norms="layernorm"),
        {},
        {
            "q1.c": (W + 2 * 2 * D) * 2,  # two LayerNorms, a gain and a bias of d each
            "q6.a": (W + 4 * D) * 2 + B * L * 2 * D * 2,
            "q6.b": ((W + 4 * D) * 2 + B * L * 2 * D * 2) / BW,
            "q6.c": N_LAYERS * ((W + 4 * D) * 2 + B * L * 2 * D * 2) / BW,
        },
    ),
    (
        "first_add_not_counted",
        Conventions(dot_product_ops="2k-1"),
        {},
        {
            "q3.a": 4 * D * (2 * D - 1),
            "q3.b": D_FF * (2 * D - 1) + D * (2 * D_FF - 1),
            "q3.c": L * TOKEN_2K_1,
            "q3.d": B * TOKEN_2K_1,
            "q3.e": 32 * 2048 * (2 * 128 - 1) + 32 * 128 * (2 * 2048 - 1),
            "q4.a": TOKEN_2K_1 / ((W + A) * 2),
            "q4.b": B * TOKEN_2K_1 / ((W + B * A) * 2),
            "q4.c": L * TOKEN_2K_1 / ((W + L * A) * 2),
            "q4.d": (32 * 2048 * 255 + 32 * 128 * 4095) / ((2 * L * D + 2 * D) * 2),
        },
    ),
    (
        "qkv_fused",
        Conventions(qkv_byte_model="fused"),
        {},
        {
            "q4.a": _matrix_intensity(1, activations=A_FUSED),
            "q4.b": _matrix_intensity(B, activations=A_FUSED),
            "q4.c": 1228.8,  # 2048 x 24 / (2 x 20)
            "q5.d": 162,  # 2 R W / (F - 2 R A_fused) = 161.04
        },
    ),
    (
        "weights_only",
        Conventions(activation_bytes=False),
        {},
        {
            "q4.a": 1.0,
            "q4.b": 16.0,
            "q4.c": 2048.0,
            "q4.d": 1.0,
            "q5.d": 154,  # the ridge, 153.02, rounded up
        },
    ),
    (
        "batch_1",
        Conventions(),
        {"inference.batch": 1},
        {
            "q2.c": L * 2 * D * 2,
            "q3.d": F,
            "q4.b": _matrix_intensity(1),
            "q6.a": W * 2 + L * 2 * D * 2,
            "q6.b": (W * 2 + L * 2 * D * 2) / BW,
            "q6.c": N_LAYERS * (W * 2 + L * 2 * D * 2) / BW,
        },
    ),
    (
        "h100",
        Conventions(),
        {"gpu.peak": 989.4e12, "gpu.bandwidth": 3.35e12},
        {
            "q5.a": 989.4e12 / 3.35e12,
            "q5.d": 332,  # 2 R W / (F - 2 R A) = 331.2 with R = 295.34
            "q6.b": 939_524_096 / 3.35e12,
            "q6.c": 32 * 939_524_096 / 3.35e12,
        },
    ),
]


@pytest.mark.parametrize(
    ("conventions", "changes", "changed"),
    [a[1:] for a in ALTERNATIVES],
    ids=[a[0] for a in ALTERNATIVES],
)
def test_alternative_changes_exactly_the_derived_parts(
    conventions: Conventions, changes: dict[str, int | float], changed: dict[str, Value]
) -> None:
    expected = {**EXPECTED, **changed}
    got = _solve(conventions, **changes)
    wrong = {p: (got[p], expected[p]) for p in expected if not _same(got[p], expected[p])}
    assert wrong == {}


def test_h100_turning_batch_by_hand() -> None:
    ridge = 989.4e12 / 3.35e12
    assert 331 < 2 * ridge * W / (F - 2 * ridge * A) < 332


@pytest.mark.parametrize(("tie_rule", "batch"), [("compute", 150), ("memory", 151)])
def test_tie_rule_decides_a_turning_batch_on_the_ridge(tie_rule: str, batch: int) -> None:
    # Weights only, the intensity is exactly b: a ridge of exactly 150 FLOP/byte (300 TFLOP/s
    # over 2 TB/s) is reached at b = 150, where the tie rule decides.
    answers = _solve(
        Conventions(activation_bytes=False, tie_rule=tie_rule),  # type: ignore[arg-type]
        **{"gpu.peak": 300e12, "gpu.bandwidth": 2e12, "inference.batch": 150},
    )
    assert answers["q4.b"] == 150.0 == answers["q5.a"]
    assert answers["q5.d"] == batch
    assert answers["q5.b"] == (COMP if tie_rule == "compute" else MEM)
    step = llm_inference_1.solve(
        {**llm_inference_1.SHEET_GIVENS, "gpu.peak": 300e12, "gpu.bandwidth": 2e12},
        Conventions(activation_bytes=False, tie_rule=tie_rule),  # type: ignore[arg-type]
    ).step("q5.d")
    assert step.substitution.endswith("= ⌈150⌉" if tie_rule == "compute" else "= ⌊150⌋ + 1")


TIE_GIVENS = {"gpu.peak": 300e12, "gpu.bandwidth": 2e12}  # a ridge of exactly 150 FLOP/byte


@pytest.mark.parametrize("tie_rule", ["compute", "memory"])
def test_an_intensity_on_the_ridge_is_shown_equal_to_it(tie_rule: str) -> None:
    # Weights only, the intensity at batch b is b x 2W / (W x 2) = b: at b = 150 exactly the
    # ridge, 300 TFLOP/s / 2 TB/s = 150. The comparison shown is "=", whichever rule decides.
    solution = llm_inference_1.solve(
        {**llm_inference_1.SHEET_GIVENS, **TIE_GIVENS, "inference.batch": 150},
        Conventions(activation_bytes=False, tie_rule=tie_rule),  # type: ignore[arg-type]
    )
    assert solution.step("q5.b").substitution == "150 = 150"


@pytest.mark.parametrize(
    ("conventions", "weights", "flops"),
    [
        # without the first addition of each dot product: one FLOP less per output, 9 d outputs
        (Conventions(activation_bytes=False, dot_product_ops="2k-1"), W, TOKEN_2K_1),
        # with biases: 9 d more weights, and one addition more per output
        (Conventions(activation_bytes=False, bias=True), W_BIAS, F_BIAS),
    ],
    ids=["first_add_not_counted", "bias_counted"],
)
def test_turning_batch_counts_as_the_conventions_say(
    conventions: Conventions, weights: int, flops: int
) -> None:
    # Weights only, the intensity at batch b is b F / (2 W). Counted the sheet's way F = 2 W and
    # the ridge of exactly 150 is reached at b = 150 (the tie rule test above). Either change
    # makes F / (2 W) a little below 1: 2W - 9d over 2W, or 2W + 9d over 2W + 18d (d_ff = 4 d),
    # so b = 150 falls just short, 150 x 2W / F = 150.0137, and the turning batch is 151.
    assert flops < 2 * weights
    assert 150 < 150 * 2 * weights / flops < 151
    assert 150 * flops / (2 * weights) < 150 <= 151 * flops / (2 * weights)
    assert _solve(conventions, **TIE_GIVENS)["q5.d"] == 151


def test_rates_in_the_worked_steps_are_the_givens_scaled_exactly() -> None:
    # The steps show the peak in TFLOP/s (peak / 10^12) and the bandwidth in GB/s (/ 10^9) to
    # four decimals, which hides a scale a little off at the sheet's rates. At 10^20 FLOP/s and
    # 10^14 B/s they are 100,000,000 and 100,000 exactly, where one part in 10^12 (10^9) off
    # shows as 99,999,999.9999 (99,999.9999). Weights only, so decode reaches the ridge,
    # 10^20 / 10^14 = 10^6 FLOP/byte (at b = 10^6).
    solution = llm_inference_1.solve(
        {**llm_inference_1.SHEET_GIVENS, "gpu.peak": 1e20, "gpu.bandwidth": 1e14},
        Conventions(activation_bytes=False),
    )
    assert solution.step("q5.a").substitution == "100,000,000 TFLOP/s / 100,000 GB/s"
    assert "roof at 100,000,000 TFLOP/s;" in solution.step("q5.e").substitution
    # the sheet's 939,524,096 bytes (q6.a) / 10^14 B/s = 9.39524096 µs
    assert solution.step("q6.b").substitution == "939,524,096 B / 100,000 GB/s = 9.3952 µs"


def test_a_device_decode_never_reaches_is_refused_with_the_limit() -> None:
    # The intensity only approaches F / (2 A) = 2730.7 FLOP/byte; a ridge of 5000 is never met.
    with pytest.raises(ValueError, match=r"never becomes compute-bound.*2731.*5000"):
        _solve(Conventions(), **{"gpu.peak": 5000 * 1e12, "gpu.bandwidth": 1e12})


# --- givens checking ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(llm_inference_1.GIVEN_TYPES))
def test_missing_given_is_named(name: str) -> None:
    givens = {k: v for k, v in llm_inference_1.SHEET_GIVENS.items() if k != name}
    with pytest.raises(ValueError, match=re.escape(name)):
        llm_inference_1.solve(givens, Conventions())


@pytest.mark.parametrize(
    ("name", "bad", "message"),
    [
        ("layer.d_model", 0, "layer.d_model must be a positive whole number"),
        ("layer.n_heads", -32, "layer.n_heads must be a positive whole number"),
        ("layer.d_ff", 16384.0, "layer.d_ff must be a positive whole number"),
        ("model.n_layers", True, "model.n_layers must be a number"),
        ("inference.context", 0, "inference.context must be a positive whole number"),
        ("inference.batch", -1, "inference.batch must be a positive whole number"),
        ("bytes_per_element", 0, "bytes_per_element must be a positive whole number"),
        ("gpu.peak", 0.0, "gpu.peak must be a positive number"),
        ("gpu.bandwidth", float("inf"), "gpu.bandwidth must be a positive number"),
        ("gpu.bandwidth", float("nan"), "gpu.bandwidth must be a positive number"),
        ("gpu.peak", "312 TFLOP/s", "gpu.peak must be a positive number"),
        ("layer.n_heads", 24, r"n_heads=24 must divide d_model=4096"),
    ],
)
def test_bad_given_is_refused_by_name(name: str, bad: object, message: str) -> None:
    givens = {**llm_inference_1.SHEET_GIVENS, name: bad}
    with pytest.raises(ValueError, match=message):
        llm_inference_1.solve(givens, Conventions())  # type: ignore[arg-type]


def test_missing_givens_are_all_named_in_order() -> None:
    givens = {k: v for k, v in llm_inference_1.SHEET_GIVENS.items() if not k.startswith("gpu.")}
    with pytest.raises(ValueError, match=r"^missing givens: gpu\.bandwidth, gpu\.peak$"):
        llm_inference_1.solve(givens, Conventions())


def test_rates_below_one_are_still_positive() -> None:
    # a ridge of 0.5 / 0.25 = 2 FLOP/byte: reached by decode at batch 1 already
    givens = {**llm_inference_1.SHEET_GIVENS, "gpu.peak": 0.5, "gpu.bandwidth": 0.25}
    assert llm_inference_1.solve(givens, Conventions()).answers["q5.a"] == 2.0


def test_solution_records_what_it_was_solved_for() -> None:
    givens = {**llm_inference_1.SHEET_GIVENS, "inference.batch": 1}
    cv = Conventions(bias=True)
    solution = llm_inference_1.solve(givens, cv)
    assert solution.assignment == "llm-inference-1"
    assert solution.givens == givens
    assert solution.conventions is cv


def test_sheet_givens_are_exactly_the_declared_ones() -> None:
    llm_inference_1.check_givens(llm_inference_1.SHEET_GIVENS)  # raises on failure
    assert set(llm_inference_1.SHEET_GIVENS) == set(llm_inference_1.GIVEN_TYPES)


# --- the worked steps agree with their own values -----------------------------------------------

_ARITHMETIC = re.compile(r"[0-9+\-*/(). ]+")


def _evaluate(text: str) -> float | None:
    """Value of a substitution that is plain arithmetic (``2 × 4096 × 16384``), else None."""
    plain = text.replace("×", "*").replace("−", "-").replace(",", "")
    if not _ARITHMETIC.fullmatch(plain):
        return None
    operations = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul}
    operations[ast.Div] = operator.truediv

    def walk(node: ast.expr) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in operations:
            return operations[type(node.op)](walk(node.left), walk(node.right))  # type: ignore[no-any-return]
        raise ValueError(f"not plain arithmetic: {ast.dump(node)}")

    return walk(ast.parse(plain, mode="eval").body)


@pytest.mark.parametrize(
    ("conventions", "changes"), [a[1:3] for a in ALTERNATIVES], ids=[a[0] for a in ALTERNATIVES]
)
def test_arithmetic_substitutions_evaluate_to_the_value(
    conventions: Conventions, changes: dict[str, int | float]
) -> None:
    solution = llm_inference_1.solve({**llm_inference_1.SHEET_GIVENS, **changes}, conventions)
    checked = []
    for step in solution.steps:
        value = _evaluate(step.substitution)
        if value is not None:
            assert isinstance(step.value, int | float)
            assert math.isclose(value, step.value, rel_tol=1e-9), (step.part_id, step.substitution)
            checked.append(step.part_id)
    assert len(checked) >= 13, checked


def test_steps_name_a_formula_and_unit() -> None:
    solution = llm_inference_1.solve(llm_inference_1.SHEET_GIVENS, Conventions())
    units = {step.part_id: step.unit for step in solution.steps}
    assert units["q1.c"] == units["q2.a"] == units["q6.a"] == "byte"
    assert units["q3.c"] == "FLOP" and units["q4.b"] == units["q5.a"] == "FLOP/byte"
    assert units["q6.b"] == units["q6.c"] == "s"
    assert all(step.formula for step in solution.steps)
    turning = solution.step("q5.d").substitution
    threshold = 2 * RIDGE * W / (F - 2 * RIDGE * A)
    assert turning.endswith(f"= ⌈{threshold:.4f}⌉"), turning


# --- the text of the worked steps -----------------------------------------------------------------
# The substitutions above are checked by their arithmetic only; these are the words a student
# reads, worked out by hand for the sheet (W = 201,326,592 weights, A = 73,728 activations per
# token, 402,653,184 FLOPs per token, a cache of 2048 x 16,384 bytes per sequence).

SHEET_TEXT = {
    "q4.a": (
        "(q3.a + q3.b) / ((W + A) × bytes), W weights, A activations",
        "1 × 402,653,184 / ((201,326,592 + 1 × 73,728) × 2)",
    ),
    "q4.b": (
        "b × (q3.a + q3.b) / ((W + b × A) × bytes), W weights, A activations",
        "16 × 402,653,184 / ((201,326,592 + 16 × 73,728) × 2)",
    ),
    "q4.c": (
        "L × (q3.a + q3.b) / ((W + L × A) × bytes), W weights, A activations",
        "2048 × 402,653,184 / ((201,326,592 + 2048 × 73,728) × 2)",
    ),
    # 33,554,432 FLOPs over the cache, 33,554,432 bytes, and the query and output, 16,384 bytes
    "q4.d": ("q3.e / ((2 × L × d + 2 × d) × bytes)", "33,554,432 / 33,570,816"),
    "q5.a": ("peak / bandwidth", "312 TFLOP/s / 2,039 GB/s"),
    # weights 12 x 4096² x 2 bytes; the caches of 16 sequences, 16 x 33,554,432 bytes
    "q6.a": (
        "q1.c (weights, read once) + q2.c (every sequence's cache)",
        "402,653,184 + 536,870,912",
    ),
    # 939,524,096 / 2039e9 s = 460.7769... µs; 32 layers: 14.7449 ms
    "q6.b": ("q6.a / bandwidth", "939,524,096 B / 2,039 GB/s = 460.7769 µs"),
    "q6.c": ("N × q6.b", "32 × 460.7769 µs = 14.7449 ms"),
}


@pytest.mark.parametrize(("part", "text"), list(SHEET_TEXT.items()), ids=list(SHEET_TEXT))
def test_worked_step_text_by_hand(part: str, text: tuple[str, str]) -> None:
    step = llm_inference_1.solve(llm_inference_1.SHEET_GIVENS, Conventions()).step(part)
    assert (step.formula, step.substitution) == text


def test_worked_step_text_without_activation_traffic_by_hand() -> None:
    solution = llm_inference_1.solve(
        llm_inference_1.SHEET_GIVENS, Conventions(activation_bytes=False)
    )
    assert solution.step("q4.a").formula == "(q3.a + q3.b) / (W × bytes), W weights"
    assert solution.step("q4.b").formula == "b × (q3.a + q3.b) / (W × bytes), W weights"
    assert solution.step("q4.b").substitution == "16 × 402,653,184 / (201,326,592 × 2)"
    # the cache alone: 2 x 2048 x 4096 elements of 2 bytes
    assert solution.step("q4.d").formula == "q3.e / ((2 × L × d) × bytes)"
    assert solution.step("q4.d").substitution == "33,554,432 / 33,554,432"


GOLDEN = Path(__file__).resolve().parent / "golden" / "solution" / "llm-inference-1.json"
TEXT_CASES = [
    ("sheet", Conventions(), {}),
    ("tie_rule_memory", Conventions(tie_rule="memory"), {}),
    *((a[0], a[1], a[2]) for a in ALTERNATIVES),
]


def test_worked_solution_text_is_the_reviewed_one() -> None:
    """The whole text under every alternative (``UPDATE_GOLDEN=1`` rewrites it; review the
    diff), so that a changed word, symbol or unit shows up where no test above looks."""
    got = {
        case: [
            [step.part_id, step.formula, step.substitution, step.unit]
            for step in llm_inference_1.solve(
                {**llm_inference_1.SHEET_GIVENS, **changes}, conventions
            ).steps
        ]
        for case, conventions, changes in TEXT_CASES
    }
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert got == json.loads(GOLDEN.read_text("utf-8"))
