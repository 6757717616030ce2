"""Every argument and option of the reference formulas is checked, and every default holds.

The formulas are the answer key: a misspelt option that silently meant the default, a negative
padding or a zero bandwidth would grade a class against a wrong number. Each formula is listed
once with valid arguments and the kind of each argument; the tables below derive the cases
(the bound accepted, one past it refused with a message naming the argument, booleans and
non-finite numbers refused, every option spelt right accepted and a misspelling refused).
The defaults are checked by calling each formula without its optional arguments, against
values worked out by hand in the comments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from reference import attention, conv, linear, masking, memory, roofline, softmax
from reference.conventions import Conventions, convention_from_text


@dataclass(frozen=True)
class Formula:
    """A formula, valid keyword arguments, and what each checked argument must be."""

    function: Callable[..., object]
    valid: dict[str, object]
    counts: dict[str, int] = field(default_factory=dict)  # integer arguments and their minimum
    flags: tuple[str, ...] = ()
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    positive: tuple[str, ...] = ()  # finite numbers > 0
    non_negative: tuple[str, ...] = ()  # finite numbers >= 0
    none_is_default: tuple[str, ...] = ()  # None stands for a documented default

    @property
    def name(self) -> str:
        return self.function.__name__


DOT = ("2k", "2k-1")
CONV = {"in_channels": 2, "out_channels": 2, "height": 3, "width": 3, "kernel": 1}
FORMULAS = [
    Formula(
        linear.matmul_flops,
        {"m": 2, "n": 3, "k": 4},
        counts={"m": 1, "n": 1, "k": 1, "flops_per_mac": 1},
        choices={"dot_product_ops": DOT},
    ),
    Formula(
        linear.linear_params,
        {"in_features": 3, "out_features": 5},
        counts={"in_features": 1, "out_features": 1},
        flags=("bias",),
    ),
    Formula(
        linear.linear_flops,
        {"tokens": 2, "in_features": 3, "out_features": 5},
        counts={"tokens": 1, "in_features": 1, "out_features": 1, "flops_per_mac": 1},
        flags=("bias",),
        choices={"dot_product_ops": DOT},
    ),
    Formula(attention.head_dim, {"d_model": 8}, counts={"d_model": 1, "heads": 1}),
    Formula(
        attention.attention_weight_params, {"d_model": 8}, counts={"d_model": 1}, flags=("bias",)
    ),
    Formula(
        attention.projection_flops,
        {"seq_len": 4, "d_model": 8},
        counts={"seq_len": 1, "d_model": 1, "projections": 1, "flops_per_mac": 1},
        flags=("bias",),
        choices={"dot_product_ops": DOT},
    ),
    Formula(
        attention.attention_scores_flops,
        {"seq_len": 4, "d_model": 8},
        counts={"seq_len": 1, "d_model": 1, "heads": 1, "flops_per_mac": 1},
        choices={"dot_product_ops": DOT},
    ),
    Formula(attention.scaling_flops, {"seq_len": 4}, counts={"seq_len": 1, "heads": 1}),
    Formula(
        attention.value_aggregation_flops,
        {"seq_len": 4, "d_model": 8},
        counts={"seq_len": 1, "d_model": 1, "heads": 1, "flops_per_mac": 1},
        choices={"dot_product_ops": DOT},
    ),
    Formula(
        conv.conv_output_size,
        {"size": 3, "kernel": 1},
        counts={"size": 1, "kernel": 1, "stride": 1},
    ),
    Formula(
        conv.conv_params,
        {"in_channels": 2, "out_channels": 2, "kernel": 3},
        counts={"in_channels": 1, "out_channels": 1, "kernel": 1, "groups": 1},
        flags=("bias",),
    ),
    Formula(
        conv.conv_macs,
        CONV,
        counts={
            "in_channels": 1,
            "out_channels": 1,
            "height": 1,
            "width": 1,
            "kernel": 1,
            "stride": 1,
            "groups": 1,
        },
        choices={"padding_count": ("full", "exact")},
    ),
    Formula(
        conv.conv_flops,
        CONV,
        counts={
            "in_channels": 1,
            "out_channels": 1,
            "height": 1,
            "width": 1,
            "kernel": 1,
            "stride": 1,
            "groups": 1,
            "flops_per_mac": 1,
        },
        flags=("bias",),
        choices={"padding_count": ("full", "exact"), "dot_product_ops": DOT},
    ),
    Formula(
        masking.scores_computed,
        {"seq_len": 4},
        counts={"seq_len": 1},
        flags=("causal_diagonal",),
        choices={"mask": ("full", "causal")},
    ),
    Formula(masking.scores_growth, {}, choices={"mask": ("full", "causal")}),
    Formula(
        memory.conv_bytes,
        {
            "in_channels": 2,
            "out_channels": 2,
            "height": 3,
            "width": 3,
            "out_height": 3,
            "out_width": 3,
            "weight_params": 18,
        },
        counts={
            "in_channels": 1,
            "out_channels": 1,
            "height": 1,
            "width": 1,
            "out_height": 1,
            "out_width": 1,
            "weight_params": 1,
            "bytes_per_element": 1,
        },
    ),
    Formula(
        memory.projection_bytes,
        {"seq_len": 4, "d_model": 8},
        counts={"seq_len": 1, "d_model": 1, "bytes_per_element": 1},
        flags=("bias",),
        choices={"model": ("per_projection", "three_separate", "fused")},
    ),
    Formula(
        memory.projections_in_byte_model,
        {"model": "fused"},
        choices={"model": ("per_projection", "three_separate", "fused")},
    ),
    Formula(
        memory.arithmetic_intensity,
        {"flops": 10, "bytes_moved": 4},
        positive=("bytes_moved",),
        non_negative=("flops",),
    ),
    Formula(
        roofline.ridge_point,
        {"peak": 200e12, "bandwidth": 800e9},
        positive=("peak", "bandwidth"),
    ),
    Formula(
        roofline.attainable_performance,
        {"intensity": 16, "peak": 200e12, "bandwidth": 800e9},
        positive=("peak", "bandwidth"),
        non_negative=("intensity",),
    ),
    Formula(
        roofline.bound_verdict,
        {"intensity": 16, "peak": 200e12, "bandwidth": 800e9},
        positive=("peak", "bandwidth"),
        non_negative=("intensity", "margin"),
        choices={"tie_rule": ("compute", "memory")},
    ),
    Formula(
        softmax.softmax_op_counts,
        {"n": 4},
        counts={"n": 1, "rows": 0},
        none_is_default=("rows",),
        choices={
            "model": ("stable", "basic"),
            "row_additions": ("n-1", "n"),
            "row_maximum": ("n-1", "n"),
        },
    ),
]


def _cases(kind: str) -> list[tuple[Formula, str]]:
    return [(f, arg) for f in FORMULAS for arg in getattr(f, kind)]


def _ids(cases: list[tuple[Formula, str]]) -> list[str]:
    return [f"{f.name}-{arg}" for f, arg in cases]


def _refused(formula: Formula, arg: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        formula.function(**{**formula.valid, arg: value})


def _accepted(formula: Formula, arg: str, value: object) -> None:
    formula.function(**{**formula.valid, arg: value})


def test_the_valid_arguments_of_every_formula_are_accepted() -> None:
    for formula in FORMULAS:
        formula.function(**formula.valid)


COUNT_CASES = _cases("counts")


@pytest.mark.parametrize(("formula", "arg"), COUNT_CASES, ids=_ids(COUNT_CASES))
def test_integer_arguments_have_a_lower_bound_and_a_type(formula: Formula, arg: str) -> None:
    least = formula.counts[arg]
    _accepted(formula, arg, least)
    for bad in (least - 1, least - 7):
        _refused(formula, arg, bad, f"{arg} must be an integer >= {least}, not {bad}")
    for bad_type in (True, float(least + 1), str(least + 1), None):
        if bad_type is None and arg in formula.none_is_default:
            continue
        _refused(formula, arg, bad_type, f"{arg} must be an integer >= {least}, not {bad_type!r}")


FLAG_CASES = _cases("flags")


@pytest.mark.parametrize(("formula", "arg"), FLAG_CASES, ids=_ids(FLAG_CASES))
def test_flags_are_true_or_false_only(formula: Formula, arg: str) -> None:
    _accepted(formula, arg, True)
    _accepted(formula, arg, False)
    for bad in (1, 0, "yes", None):
        _refused(formula, arg, bad, f"{arg} must be True or False, not {bad!r}")


CHOICE_CASES = _cases("choices")


@pytest.mark.parametrize(("formula", "arg"), CHOICE_CASES, ids=_ids(CHOICE_CASES))
def test_unknown_option_names_are_errors_not_the_default(formula: Formula, arg: str) -> None:
    choices = formula.choices[arg]
    for choice in choices:
        _accepted(formula, arg, choice)
    listed = " or ".join(repr(c) for c in choices)
    for bad in (choices[0].upper(), f" {choices[0]}", "", choices[-1] + "s", None):
        _refused(formula, arg, bad, f"{arg} must be {listed}, not {bad!r}")


POSITIVE_CASES = _cases("positive")


@pytest.mark.parametrize(("formula", "arg"), POSITIVE_CASES, ids=_ids(POSITIVE_CASES))
def test_rates_and_byte_counts_must_be_finite_and_positive(formula: Formula, arg: str) -> None:
    _accepted(formula, arg, 5e-300)
    _accepted(formula, arg, 10**300)
    for bad in (0, 0.0, -1e-300, -800e9, math.inf, -math.inf, math.nan, 10**400, True, "8", None):
        _refused(formula, arg, bad, f"{arg} must be a finite number > 0, not {bad!r}")


NON_NEGATIVE_CASES = _cases("non_negative")


@pytest.mark.parametrize(("formula", "arg"), NON_NEGATIVE_CASES, ids=_ids(NON_NEGATIVE_CASES))
def test_intensities_and_counts_must_be_finite_and_not_negative(formula: Formula, arg: str) -> None:
    _accepted(formula, arg, 0)
    _accepted(formula, arg, 0.0)
    for bad in (-5e-324, -1, math.inf, math.nan, 10**400, False, "0", None):
        _refused(formula, arg, bad, f"{arg} must be a finite number >= 0, not {bad!r}")


# --- checks that are more than a type or a bound ---------------------------------------------


@pytest.mark.parametrize(
    ("padding", "accepted"),
    [("same", True), ("valid", True), (0, True), (2, True), (-1, False), (True, False),
     (1.0, False), ("SAME", False), ("1", False), (None, False)],
)  # fmt: skip
def test_padding_is_same_valid_or_a_non_negative_integer(padding: object, accepted: bool) -> None:
    def output() -> int:
        return conv.conv_output_size(size=5, kernel=3, padding=padding)  # type: ignore[arg-type]

    if accepted:
        # 'same' keeps 5; 'valid' and 0 give 5 - 3 + 1 = 3; padding 2 gives 5 + 4 - 3 + 1 = 7.
        assert output() == {"same": 5, "valid": 3, 0: 3, 2: 7}[padding]  # type: ignore[index]
        return
    message = f"padding must be 'same', 'valid' or a non-negative integer, not {padding!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        output()
    for formula in (conv.conv_macs, conv.conv_flops):  # the same check behind the counts
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            formula(**CONV, padding=padding)


def test_negative_padding_never_shrinks_the_output() -> None:
    # 6 x 6 input, 3 x 3 kernel: padding -1 would be read as cropping to 4 x 4 (2 x 2 outputs).
    for padding in (-1, -2):
        with pytest.raises(ValueError, match="non-negative integer"):
            conv.conv_macs(**{**CONV, "height": 6, "width": 6, "kernel": 3}, padding=padding)
        with pytest.raises(ValueError, match="non-negative integer"):
            conv.conv_macs(
                **{**CONV, "height": 6, "width": 6, "kernel": 3},
                padding=padding,
                padding_count="exact",
            )


@pytest.mark.parametrize(("size", "kernel", "padding"), [(2, 3, "valid"), (1, 4, 1), (3, 6, 1)])
def test_a_kernel_that_does_not_fit_is_refused(size: int, kernel: int, padding: str | int) -> None:
    message = f"kernel {kernel} does not fit an input of {size} with this padding"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        conv.conv_output_size(size=size, kernel=kernel, padding=padding)


def test_a_kernel_that_just_fits_gives_one_output() -> None:
    # size + 2 x padding == kernel: exactly one window.
    assert conv.conv_output_size(size=3, kernel=3) == 1
    assert conv.conv_output_size(size=1, kernel=3, padding=1) == 1


@pytest.mark.parametrize(
    ("in_channels", "out_channels", "groups"), [(4, 6, 4), (6, 4, 4), (3, 3, 2), (4, 4, 3)]
)
def test_groups_must_divide_both_channel_counts(
    in_channels: int, out_channels: int, groups: int
) -> None:
    message = f"groups={groups} must divide in_channels and out_channels"
    for formula in (conv.conv_params, conv.conv_macs, conv.conv_flops):
        kwargs = {**CONV, "in_channels": in_channels, "out_channels": out_channels}
        if formula is conv.conv_params:
            kwargs = {"in_channels": in_channels, "out_channels": out_channels, "kernel": 3}
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            formula(**kwargs, groups=groups)


@pytest.mark.parametrize(("d_model", "heads"), [(8, 3), (3, 2), (4, 8)])
def test_heads_must_divide_the_model_dimension(d_model: int, heads: int) -> None:
    message = f"heads={heads} must divide d_model={d_model}"
    for formula in (attention.attention_scores_flops, attention.value_aggregation_flops):
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            formula(seq_len=4, d_model=d_model, heads=heads)
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        attention.head_dim(d_model=d_model, heads=heads)


@pytest.mark.parametrize(
    ("intensity", "verdict"),
    [(5.0, "near the ridge"), (3.0, "near the ridge"), (4.0, "near the ridge"),
     (5.000000000000001, "compute-bound"), (2.9999999999999996, "memory-bound")],
)  # fmt: skip
def test_margin_includes_its_edges(intensity: float, verdict: str) -> None:
    # ridge 4 FLOP/byte, margin 25 %: 3 and 5 are exactly 1 away, the edges of the band
    got = roofline.bound_verdict(intensity=intensity, peak=4, bandwidth=1, margin=0.25)
    assert got == verdict


@pytest.mark.parametrize("margin", [1, 1.0, 1.5, 100])
def test_margin_is_a_fraction_below_one(margin: float) -> None:
    message = f"margin is a fraction of the ridge point, below 1, not {margin!r}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        roofline.bound_verdict(intensity=1, peak=4, bandwidth=1, margin=margin)
    # just below 1: an intensity of 0.5 is within 99.99 % of the ridge 4 only if 3.5 <= 3.9996
    got = roofline.bound_verdict(intensity=0.5, peak=4, bandwidth=1, margin=0.9999)
    assert got == "near the ridge"


# --- defaults: each formula called without its optional arguments -----------------------------

DEFAULTS: list[tuple[str, Callable[[], object], object]] = [
    # stride 1, 'valid': 7 - 3 + 1 = 5 outputs
    ("conv_output_size", lambda: conv.conv_output_size(size=7, kernel=3), 5),
    # one group, no bias: 6 filters of 4 x 3 x 3
    ("conv_params", lambda: conv.conv_params(in_channels=4, out_channels=6, kernel=3), 6 * 4 * 9),
    # 'valid', stride 1: 3 x 4 outputs of 5 x 6, 3 output channels, 2 x 3 x 3 taps each
    (
        "conv_macs",
        lambda: conv.conv_macs(in_channels=2, out_channels=3, height=5, width=6, kernel=3),
        3 * 4 * 3 * 2 * 9,
    ),
    # the same with 2 FLOPs per MAC, no bias
    (
        "conv_flops",
        lambda: conv.conv_flops(in_channels=2, out_channels=3, height=5, width=6, kernel=3),
        2 * 3 * 4 * 3 * 2 * 9,
    ),
    # stride 1 at a size where stride 2 differs: 8 - 2 + 1 = 7 outputs (stride 2 gives 4)
    ("conv_output_size even", lambda: conv.conv_output_size(size=8, kernel=2), 7),
    # 2 x 3 outputs of length 4, 2 FLOPs per MAC
    ("matmul_flops", lambda: linear.matmul_flops(m=2, n=3, k=4), 2 * 2 * 3 * 4),
    ("linear_params", lambda: linear.linear_params(in_features=3, out_features=5), 15),
    (
        "linear_flops",
        lambda: linear.linear_flops(tokens=2, in_features=3, out_features=5),
        2 * 2 * 5 * 3,
    ),
    ("head_dim", lambda: attention.head_dim(d_model=12), 12),  # one head: all 12 dimensions
    ("attention_weight_params", lambda: attention.attention_weight_params(d_model=8), 4 * 64),
    # one projection of a 3 x 4 input by a 4 x 4 matrix
    ("projection_flops", lambda: attention.projection_flops(seq_len=3, d_model=4), 2 * 3 * 4 * 4),
    # d_model = 3 has no split into 2 heads: one head, 3 x 3 scores of length 3
    (
        "attention_scores_flops",
        lambda: attention.attention_scores_flops(seq_len=3, d_model=3),
        2 * 3 * 3 * 3,
    ),
    ("scaling_flops", lambda: attention.scaling_flops(seq_len=3), 9),  # one head: 3 x 3 scores
    (
        "value_aggregation_flops",
        lambda: attention.value_aggregation_flops(seq_len=3, d_model=3),
        2 * 3 * 3 * 3,
    ),
    ("scores_computed", lambda: masking.scores_computed(seq_len=5), 25),  # full: 5 x 5
    # causal keeps the diagonal by default: 1 + 2 + 3 + 4 + 5
    ("scores_computed causal", lambda: masking.scores_computed(seq_len=5, mask="causal"), 15),
    ("scores_growth", lambda: masking.scores_growth(), "O(L^2)"),
    # fp32 by default: (2 x 3 x 3 input + 18 weights + 2 x 2 x 2 output) x 4 bytes
    (
        "conv_bytes",
        lambda: memory.conv_bytes(
            in_channels=2,
            out_channels=2,
            height=3,
            width=3,
            out_height=2,
            out_width=2,
            weight_params=18,
        ),
        (18 + 18 + 8) * 4,
    ),
    # one projection, fp32, no bias: X (2 x 3), W (3 x 3), output (2 x 3)
    ("projection_bytes", lambda: memory.projection_bytes(seq_len=2, d_model=3), (6 + 9 + 6) * 4),
    # no margin, ties go to compute: exactly on the ridge 4 is compute-bound
    (
        "bound_verdict tie",
        lambda: roofline.bound_verdict(intensity=4, peak=4, bandwidth=1),
        "compute-bound",
    ),
    # no margin: just below the ridge is memory-bound, not "near the ridge"
    (
        "bound_verdict no margin",
        lambda: roofline.bound_verdict(intensity=3.999, peak=4, bandwidth=1),
        "memory-bound",
    ),
    # n rows of n scores, numerically stable, n - 1 additions per row
    (
        "softmax_op_counts",
        lambda: softmax.softmax_op_counts(n=3),
        {"max": 3 * 2, "sub": 9, "exp": 9, "add": 3 * 2, "div": 9},
    ),
]


@pytest.mark.parametrize(
    ("call", "expected"), [d[1:] for d in DEFAULTS], ids=[d[0] for d in DEFAULTS]
)
def test_defaults_are_the_documented_ones(call: Callable[[], object], expected: object) -> None:
    assert call() == expected


# --- conventions --------------------------------------------------------------------------------


def test_conventions_defaults_are_the_sheets() -> None:
    cv = Conventions()
    assert (cv.flops_per_mac, cv.bias, cv.padding_count, cv.dot_product_ops) == (
        2,
        False,
        "full",
        "2k",
    )
    assert (cv.softmax_model, cv.softmax_row_additions, cv.causal_diagonal) == (
        "stable",
        "n-1",
        True,
    )
    assert cv.softmax_row_maximum == "n-1"  # the maximum starts from the row's first score
    assert (cv.qkv_byte_model, cv.bytes_per_element, cv.tie_rule) == (
        "per_projection",
        None,
        "compute",
    )


@pytest.mark.parametrize(
    ("field_name", "bad", "message"),
    [
        ("flops_per_mac", 0, "flops_per_mac must be an integer >= 1, not 0"),
        ("flops_per_mac", True, "flops_per_mac must be an integer >= 1, not True"),
        ("bytes_per_element", 0, "bytes_per_element must be an integer >= 1, not 0"),
        ("bytes_per_element", 4.0, "bytes_per_element must be an integer >= 1, not 4.0"),
        ("bias", 1, "bias must be True or False, not 1"),
        ("causal_diagonal", "no", "causal_diagonal must be True or False, not 'no'"),
        ("padding_count", "exakt", "padding_count must be 'full' or 'exact', not 'exakt'"),
        ("dot_product_ops", "2K", "dot_product_ops must be '2k' or '2k-1', not '2K'"),
        ("softmax_model", "naive", "softmax_model must be 'stable' or 'basic', not 'naive'"),
        ("softmax_row_additions", "n+1", "softmax_row_additions must be 'n-1' or 'n', not 'n+1'"),
        ("softmax_row_maximum", "N", "softmax_row_maximum must be 'n-1' or 'n', not 'N'"),
        (
            "qkv_byte_model",
            "fuse",
            "qkv_byte_model must be 'per_projection' or 'three_separate' or 'fused', not 'fuse'",
        ),
        ("tie_rule", "memroy", "tie_rule must be 'compute' or 'memory', not 'memroy'"),
    ],
)
def test_a_misspelt_convention_is_refused_by_name(
    field_name: str, bad: object, message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Conventions(**{field_name: bad})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Conventions().replace(**{field_name: bad})


def test_every_listed_convention_value_is_accepted() -> None:
    for name, typed in [
        ("flops_per_mac", 1), ("bytes_per_element", 8), ("bytes_per_element", None),
        ("bias", True), ("causal_diagonal", False), ("padding_count", "exact"),
        ("dot_product_ops", "2k-1"), ("softmax_model", "basic"), ("softmax_row_additions", "n"),
        ("softmax_row_maximum", "n"), ("qkv_byte_model", "three_separate"),
        ("qkv_byte_model", "fused"), ("tie_rule", "memory"),
    ]:  # fmt: skip
        assert getattr(Conventions(**{name: typed}), name) == typed  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["bias", "causal_diagonal"])
@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("Yes", True), (" on ", True), ("1", True),
     ("false", False), ("NO", False), ("off", False), ("0", False)],
)  # fmt: skip
def test_yes_no_conventions_read_every_spelling(name: str, text: str, value: bool) -> None:
    assert convention_from_text(name, text) is value


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bias", "maybe", "bias accepts true, false; got 'maybe'"),
        ("causal_diagonal", "2", "causal_diagonal accepts true, false; got '2'"),
        ("tie_rule", "ridge", "tie_rule accepts compute, memory; got 'ridge'"),
        ("flops_per_mac", "3", "flops_per_mac accepts 1, 2; got '3'"),
    ],
)
def test_convention_text_outside_the_choices_is_refused(name: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        convention_from_text(name, text)


@pytest.mark.parametrize(
    ("name", "text", "value"),
    [("flops_per_mac", "1", 1), ("bytes_per_element", " 8 ", 8), ("tie_rule", "Memory", "memory"),
     ("qkv_byte_model", "FUSED", "fused")],
)  # fmt: skip
def test_convention_text_becomes_its_typed_value(name: str, text: str, value: object) -> None:
    got = convention_from_text(name, text)
    assert got == value and type(got) is type(value)


def test_counts_are_exact_integers() -> None:
    # L(L - 1) is even, so halving it is exact: the count stays an int (2016, not 2016.0).
    for seq_len in (1, 2, 3, 64, 65):
        for diagonal in (True, False):
            got = masking.scores_computed(seq_len=seq_len, mask="causal", causal_diagonal=diagonal)
            assert type(got) is int
            assert got == sum(
                1 for q in range(seq_len) for k in range(seq_len) if k < q or (diagonal and k == q)
            )
    for count in softmax.softmax_op_counts(n=5, model="basic").values():
        assert type(count) is int
    assert type(conv.conv_macs(**CONV, padding="same", padding_count="exact")) is int
