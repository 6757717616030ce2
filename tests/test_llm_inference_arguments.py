"""Every checked argument of the decoder-layer, KV-cache, decode/prefill and device formulas is
refused by its own name, and every option spelt right is accepted.

``test_llm_inference_properties.py`` checks one bad value of some arguments; mutation testing
showed that a check whose message named the wrong argument (or none) went unnoticed for the
rest. Each formula is listed once here with valid arguments and the kind of each checked
argument; the cases, and the messages expected, follow from the kind (``reference/
argument_checks.py`` words them: "... must be a positive whole number", "... must be True or
False", "... must be one of ...", "... must be a positive finite number").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from reference import decoder_layer, devices, kv_cache, llm_inference
from reference.argument_checks import positive_int, positive_number
from reference.decoder_layer import DecoderLayer

# 8 wide, 2 heads of 4, MLP 16 wide: every formula is quick and every count a small number.
SMALL = DecoderLayer(d_model=8, n_heads=2, d_ff=16)

DOT = ("2k", "2k-1")
MACS = (1, 2)
NORMS = ("none", "layernorm", "rmsnorm")
QKV = ("per_projection", "three_separate", "fused")
BLOCKS = ("attention", "mlp")


@dataclass(frozen=True)
class Formula:
    function: Callable[..., object]
    valid: dict[str, object]
    whole: tuple[str, ...] = ()  # positive whole numbers
    flags: tuple[str, ...] = ()
    choices: dict[str, tuple[object, ...]] = field(default_factory=dict)
    rates: tuple[str, ...] = ()  # positive finite numbers

    @property
    def name(self) -> str:
        return self.function.__name__


FORMULAS = [
    Formula(
        DecoderLayer,
        {"d_model": 8, "n_heads": 2, "d_ff": 16},
        whole=("d_model", "n_heads", "d_ff", "kv_heads"),
        flags=("gated_mlp",),
    ),
    Formula(
        decoder_layer.matrix_params,
        {"layer": SMALL},
        flags=("bias",),
        choices={"block": BLOCKS},
    ),
    Formula(decoder_layer.norm_params, {"layer": SMALL}, choices={"norms": NORMS}),
    Formula(
        decoder_layer.layer_params, {"layer": SMALL}, flags=("bias",), choices={"norms": NORMS}
    ),
    Formula(
        decoder_layer.matrix_flops,
        {"layer": SMALL},
        whole=("tokens",),
        flags=("bias",),
        choices={"block": BLOCKS, "flops_per_mac": MACS, "dot_product_ops": DOT},
    ),
    Formula(
        decoder_layer.cached_attention_flops,
        {"layer": SMALL, "context": 4},
        whole=("context",),
        choices={"flops_per_mac": MACS, "dot_product_ops": DOT},
    ),
    Formula(
        kv_cache.kv_bytes_per_token,
        {"layer": SMALL, "bytes_per_element": 2},
        whole=("bytes_per_element",),
    ),
    Formula(
        kv_cache.kv_cache_bytes,
        {"layer": SMALL, "context": 4, "bytes_per_element": 2},
        whole=("context", "bytes_per_element", "batch", "layers"),
    ),
    Formula(
        llm_inference.activation_elements_per_token,
        {"layer": SMALL},
        choices={"qkv_byte_model": QKV},
    ),
    Formula(
        llm_inference.linear_intensity,
        {"tokens": 2, "in_features": 3, "out_features": 5, "bytes_per_element": 2},
        whole=("tokens", "in_features", "out_features", "bytes_per_element"),
        flags=("activation_bytes",),
        choices={"flops_per_mac": MACS},
    ),
    Formula(
        llm_inference.matrix_bytes,
        {"layer": SMALL, "tokens": 2, "bytes_per_element": 2},
        whole=("tokens", "bytes_per_element"),
        flags=("bias", "activation_bytes"),
        choices={"qkv_byte_model": QKV},
    ),
    Formula(
        llm_inference.matrix_intensity,
        {"layer": SMALL, "tokens": 2, "bytes_per_element": 2},
        whole=("tokens", "bytes_per_element"),
        flags=("bias", "activation_bytes"),
        choices={"flops_per_mac": MACS, "dot_product_ops": DOT, "qkv_byte_model": QKV},
    ),
    Formula(
        llm_inference.critical_batch,
        # a low ridge (1 FLOP/byte), so that decode reaches it under every option
        {"layer": SMALL, "peak": 1e9, "bandwidth": 1e9, "bytes_per_element": 1},
        whole=("bytes_per_element",),
        flags=("bias", "activation_bytes"),
        choices={
            "tie_rule": ("compute", "memory"),
            "flops_per_mac": MACS,
            "dot_product_ops": DOT,
            "qkv_byte_model": QKV,
        },
        rates=("peak", "bandwidth"),
    ),
    Formula(
        llm_inference.cached_attention_bytes,
        {"layer": SMALL, "context": 4, "bytes_per_element": 2},
        whole=("context", "bytes_per_element"),
        flags=("activation_bytes",),
    ),
    Formula(
        llm_inference.cached_attention_intensity,
        {"layer": SMALL, "context": 4, "bytes_per_element": 2},
        whole=("context", "bytes_per_element"),
        flags=("activation_bytes",),
        choices={"flops_per_mac": MACS, "dot_product_ops": DOT},
    ),
    Formula(
        llm_inference.decode_read_bytes,
        {"layer": SMALL, "context": 4, "batch": 3, "bytes_per_element": 2},
        whole=("context", "batch", "bytes_per_element"),
        flags=("bias",),
        choices={"norms": NORMS},
    ),
    Formula(
        llm_inference.min_time_per_token,
        {"layer": SMALL, "context": 4, "batch": 3, "bytes_per_element": 2, "bandwidth": 1e9},
        whole=("context", "batch", "bytes_per_element", "layers"),
        flags=("bias",),
        choices={"norms": NORMS},
        rates=("bandwidth",),
    ),
    Formula(
        devices.Device,
        {"name": "x", "peak": 1e12, "bandwidth": 1e9, "source": "none"},
        rates=("peak", "bandwidth"),
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


WHOLE = _cases("whole")


@pytest.mark.parametrize(("formula", "arg"), WHOLE, ids=_ids(WHOLE))
def test_counts_must_be_positive_whole_numbers(formula: Formula, arg: str) -> None:
    for bad in (0, -1, 2.0, True, "2"):
        _refused(formula, arg, bad, f"{arg} must be a positive whole number, not {bad!r}")


FLAGS = _cases("flags")


@pytest.mark.parametrize(("formula", "arg"), FLAGS, ids=_ids(FLAGS))
def test_flags_must_be_true_or_false(formula: Formula, arg: str) -> None:
    _accepted(formula, arg, True)
    _accepted(formula, arg, False)
    for bad in (1, 0, "yes", None):
        _refused(formula, arg, bad, f"{arg} must be True or False, not {bad!r}")


CHOICES = [(f, arg) for f in FORMULAS for arg in f.choices]


@pytest.mark.parametrize(("formula", "arg"), CHOICES, ids=_ids(CHOICES))
def test_options_must_be_one_of_their_choices(formula: Formula, arg: str) -> None:
    choices = formula.choices[arg]
    for choice in choices:
        _accepted(formula, arg, choice)
    listed = ", ".join(repr(c) for c in choices)
    # True is 1 to Python; a misspelling is not the default
    bads: tuple[object, ...] = (3, True, 0) if choices == MACS else (f"{choices[0]}s", "", True)
    for bad in bads:
        _refused(formula, arg, bad, f"{arg} must be one of {listed}, not {bad!r}")


RATES = _cases("rates")


@pytest.mark.parametrize(("formula", "arg"), RATES, ids=_ids(RATES))
def test_rates_must_be_positive_and_finite(formula: Formula, arg: str) -> None:
    valid = formula.valid[arg]
    assert isinstance(valid, float)
    _accepted(formula, arg, int(valid))  # an int is a number too
    for bad in (0, -1.0, math.inf, math.nan, True, "1e9"):
        _refused(formula, arg, bad, f"{arg} must be a positive finite number, not {bad!r}")


LAYERED = [f for f in FORMULAS if "layer" in f.valid]


@pytest.mark.parametrize("formula", LAYERED, ids=[f.name for f in LAYERED])
def test_the_layer_must_be_a_decoder_layer(formula: Formula) -> None:
    shape = {"d_model": 8, "n_heads": 2, "d_ff": 16}
    with pytest.raises(ValueError, match=re.escape(f"layer must be a DecoderLayer, not {shape!r}")):
        formula.function(**{**formula.valid, "layer": shape})


# --- each option changes the value the way it says, worked out by hand for SMALL ---------------
# SMALL: d_model 8, 2 heads of d_head 4, so one token's key and value are 2 x 8 elements.
# One query attending to a context of 4: per head, scores (1 x 4)(4 x 4) and the weighted sum
# (1 x 4)(4 x 4), 16 MACs each: 2 heads x 32 MACs = 64 MACs. Cache: 4 tokens x 2 x 8 elements
# x 2 bytes = 128 bytes; the query read and the output written: 2 x 8 x 2 = 32 bytes.
# linear_intensity with tokens 2, 3 in, 5 out, 2 bytes: 15 weights, 2 x (3 + 5) activations,
# (15 + 16) x 2 = 62 bytes; 2 x 15 MACs.
ATTENTION = {"layer": SMALL, "context": 4, "bytes_per_element": 2}
LINEAR = {"tokens": 2, "in_features": 3, "out_features": 5, "bytes_per_element": 2}

OPTION_VALUES: list[tuple[str, Callable[[], object], object]] = [
    ("attention bytes", lambda: llm_inference.cached_attention_bytes(**ATTENTION), 160),
    (
        "attention bytes, cache only",
        lambda: llm_inference.cached_attention_bytes(**ATTENTION, activation_bytes=False),
        128,
    ),
    ("attention intensity", lambda: llm_inference.cached_attention_intensity(**ATTENTION), 0.8),
    (
        "attention intensity, one FLOP a MAC",  # 64 / 160
        lambda: llm_inference.cached_attention_intensity(**ATTENTION, flops_per_mac=1),
        0.4,
    ),
    (
        "attention intensity, 2k-1",  # 2 heads x 2 x 4 outputs x 7 FLOPs = 112; 112 / 160
        lambda: llm_inference.cached_attention_intensity(**ATTENTION, dot_product_ops="2k-1"),
        0.7,
    ),
    (
        "attention intensity, cache only",  # 128 / 128
        lambda: llm_inference.cached_attention_intensity(**ATTENTION, activation_bytes=False),
        1.0,
    ),
    ("linear intensity", lambda: llm_inference.linear_intensity(**LINEAR), 60 / 62),
    (
        "linear intensity, one FLOP a MAC",
        lambda: llm_inference.linear_intensity(**LINEAR, flops_per_mac=1),
        30 / 62,
    ),
    (
        "linear intensity, weights only",  # 60 / 30: the tokens per byte of a weight
        lambda: llm_inference.linear_intensity(**LINEAR, activation_bytes=False),
        2.0,
    ),
]


# The turning batch of SMALL: W = 4 x 8 x 8 + 2 x 8 x 16 = 512 weights, F = 2 W = 1024 FLOPs a
# token, A = 4 x (8 + 8) + 2 x (8 + 16) = 112 activations a token. With a ridge R of 8 FLOP/byte
# and 1 byte an element, b F / (W + b A) >= R from b = R W / (F - R A) = 4096 / 128 = 32 on.
RIDGE_8 = {"layer": SMALL, "peak": 8e9, "bandwidth": 1e9, "bytes_per_element": 1}


def _batch(**options: object) -> Callable[[], object]:
    return lambda: llm_inference.critical_batch(**{**RIDGE_8, **options})


OPTION_VALUES += [
    ("turning batch", _batch(), 32),  # exactly 32: a tie, reached under the compute rule
    ("turning batch, ties to memory", _batch(tie_rule="memory"), 33),
    # 2k-1: F = 4 x 8 x 15 + 16 x 15 + 8 x 31 = 968; 4096 / (968 - 896) = 56.9
    ("turning batch, 2k-1", _batch(dot_product_ops="2k-1"), 57),
    # biases: 56 outputs, W = 568, F = 1080; 8 x 568 / (1080 - 896) = 24.7
    ("turning batch, bias", _batch(bias=True), 25),
    ("turning batch, weights only", _batch(activation_bytes=False), 4),  # 4096 / 1024
    ("turning batch, fused qkv", _batch(qkv_byte_model="fused"), 16),  # A = 96: 4096 / 256
    # R = 1023.5 / 112: F - R A = 0.5, b = 1023.5 x 512 / (112 x 0.5) = 9357.7
    (
        "turning batch, gain of one half",
        _batch(peak=1023.5, bandwidth=112),
        9358,
    ),
]


def test_a_ridge_decode_only_approaches_is_never_reached() -> None:
    # R = 64 / 7 = F / A exactly: the intensity tends to R and never reaches it
    with pytest.raises(ValueError, match=r"^decode never becomes compute-bound: .* 9\.143 FLOP"):
        llm_inference.critical_batch(**{**RIDGE_8, "peak": 64, "bandwidth": 7})


@pytest.mark.parametrize(
    ("call", "expected"), [o[1:] for o in OPTION_VALUES], ids=[o[0] for o in OPTION_VALUES]
)
def test_options_change_the_value_as_worked_out_by_hand(
    call: Callable[[], object], expected: object
) -> None:
    assert call() == pytest.approx(expected, rel=1e-12)


def test_the_checks_accept_their_least_values() -> None:
    assert positive_int("n", 1) == 1
    assert positive_number("rate", 1) == 1.0
    assert positive_number("rate", 0.5) == 0.5
    assert positive_number("rate", 5e-324) == 5e-324  # the least positive float
