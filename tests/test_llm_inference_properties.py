"""Hypothesis properties of the decoder-layer, KV-cache and decode/prefill formulas, and the
validation of their arguments."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference import decoder_layer, devices, kv_cache, llm_inference
from reference.conventions import Conventions, convention_from_text
from reference.decoder_layer import DecoderLayer
from sheets.llm_inference_1 import solver as llm_inference_1

FAST = settings(max_examples=80, deadline=None)

counts = st.integers(1, 4096)
bytes_per_element = st.sampled_from([1, 2, 4])


@st.composite
def layers(draw: st.DrawFn) -> DecoderLayer:
    kv_heads = draw(st.integers(1, 16))
    n_heads = kv_heads * draw(st.integers(1, 8))
    return DecoderLayer(
        d_model=n_heads * draw(st.integers(1, 256)),
        n_heads=n_heads,
        d_ff=draw(st.integers(1, 65536)),
        kv_heads=draw(st.sampled_from([None, kv_heads])),
        gated_mlp=draw(st.booleans()),
    )


def _limit(layer: DecoderLayer, bpe: int) -> Fraction:
    """The intensity the matrix products approach when the weights' traffic is negligible."""
    flops = decoder_layer.matrix_flops(layer=layer)
    return Fraction(flops, bpe * llm_inference.activation_elements_per_token(layer=layer))


# --- the KV cache ---------------------------------------------------------------------------------


@FAST
@given(
    layer=layers(),
    c1=counts,
    c2=counts,
    b1=st.integers(1, 64),
    b2=st.integers(1, 64),
    bpe=bytes_per_element,
)
def test_kv_bytes_are_linear_in_context_and_in_batch(
    layer: DecoderLayer, c1: int, c2: int, b1: int, b2: int, bpe: int
) -> None:
    def kv(context: int, batch: int) -> int:
        return kv_cache.kv_cache_bytes(
            layer=layer, context=context, batch=batch, bytes_per_element=bpe
        )

    per_token = kv_cache.kv_bytes_per_token(layer=layer, bytes_per_element=bpe)
    assert kv(c1 + c2, b1) == kv(c1, b1) + kv(c2, b1)
    assert kv(c1, b1 + b2) == kv(c1, b1) + kv(c1, b2)
    assert kv(c1, b1) == c1 * b1 * per_token == kv(1, 1) * c1 * b1


@FAST
@given(layer=layers(), bpe=bytes_per_element)
def test_kv_bytes_per_token_are_k_and_v_of_every_kv_head(layer: DecoderLayer, bpe: int) -> None:
    per_token = kv_cache.kv_bytes_per_token(layer=layer, bytes_per_element=bpe)
    kv_heads = layer.kv_heads or layer.n_heads
    assert per_token == 2 * kv_heads * layer.d_head * bpe
    # Sharing KV heads shrinks the cache by the group size, never grows it.
    mha = DecoderLayer(d_model=layer.d_model, n_heads=layer.n_heads, d_ff=layer.d_ff)
    mha_bytes = kv_cache.kv_bytes_per_token(layer=mha, bytes_per_element=bpe)
    assert per_token * (layer.n_heads // kv_heads) == mha_bytes


# --- parameters and FLOPs -----------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(context=st.integers(1, 1 << 17), batch=st.integers(1, 1024))
def test_parameters_and_per_token_flops_do_not_depend_on_context_or_batch(
    context: int, batch: int
) -> None:
    sheet = llm_inference_1.solve(llm_inference_1.SHEET_GIVENS, Conventions()).answers
    givens = {
        **llm_inference_1.SHEET_GIVENS,
        "inference.context": context,
        "inference.batch": batch,
    }
    answers = llm_inference_1.solve(givens, Conventions()).answers
    for part in ("q1.a", "q1.b", "q1.c", "q3.a", "q3.b", "q4.a", "q5.a", "q5.d"):
        assert answers[part] == sheet[part], part


@FAST
@given(layer=layers(), t1=counts, t2=counts, fpm=st.sampled_from([1, 2]), bias=st.booleans())
def test_matrix_flops_are_linear_in_tokens(
    layer: DecoderLayer, t1: int, t2: int, fpm: int, bias: bool
) -> None:
    def flops(tokens: int, block: decoder_layer.Block | None = None) -> int:
        return decoder_layer.matrix_flops(
            layer=layer, tokens=tokens, block=block, flops_per_mac=fpm, bias=bias
        )

    assert flops(t1 + t2) == flops(t1) + flops(t2)
    assert flops(t1) == flops(t1, "attention") + flops(t1, "mlp")
    # Without biases, 2 FLOPs per MAC is twice the parameters per token (Kaplan's 2N).
    if fpm == 2 and not bias:
        assert flops(1) == 2 * decoder_layer.matrix_params(layer=layer)


@FAST
@given(layer=layers(), bias=st.booleans(), norms=st.sampled_from(["none", "layernorm", "rmsnorm"]))
def test_counting_more_never_gives_fewer_parameters(
    layer: DecoderLayer, bias: bool, norms: str
) -> None:
    plain = decoder_layer.layer_params(layer=layer)
    assert decoder_layer.layer_params(layer=layer, bias=bias, norms=norms) >= plain
    assert decoder_layer.layer_params(layer=layer, norms="layernorm") == plain + 4 * layer.d_model
    assert decoder_layer.layer_params(layer=layer, norms="rmsnorm") == plain + 2 * layer.d_model


# --- decode against prefill ---------------------------------------------------------------------


@FAST
@given(
    layer=layers(), batch=st.integers(1, 4096), context=st.integers(2, 8192), bpe=bytes_per_element
)
def test_decode_intensity_grows_with_batch_and_stays_below_prefill(
    layer: DecoderLayer, batch: int, context: int, bpe: int
) -> None:
    def intensity(tokens: int) -> float:
        return llm_inference.matrix_intensity(layer=layer, tokens=tokens, bytes_per_element=bpe)

    decode, next_batch = intensity(batch), intensity(batch + 1)
    prefill = intensity(batch * context)  # the batch's prompts, context tokens each
    limit = float(_limit(layer, bpe))
    assert decode < next_batch  # grows with the batch
    assert decode < prefill  # a decode step never beats the prefill of the same batch
    assert prefill < limit * (1 + 1e-12)  # neither passes the limit both approach


@FAST
@given(layer=layers(), context=st.integers(2, 8192), bpe=bytes_per_element)
def test_decode_intensity_saturates_at_the_prefill_intensity(
    layer: DecoderLayer, context: int, bpe: int
) -> None:
    # The gap to prefill closes as the batch grows (not monotonically: at small batches it may
    # widen first): it stays below the gap to the limit, limit x W / (W + B x A), which
    # shrinks like 1 / B.
    def intensity(tokens: int) -> float:
        return llm_inference.matrix_intensity(layer=layer, tokens=tokens, bytes_per_element=bpe)

    limit = float(_limit(layer, bpe))
    weights = decoder_layer.matrix_params(layer=layer)
    per_token = llm_inference.activation_elements_per_token(layer=layer)
    gaps = []
    for batch in (1, 10, 100, 1000, 10**6, 10**9):
        gap = intensity(batch * context) - intensity(batch)
        assert 0 < gap <= limit * weights / (weights + batch * per_token) * (1 + 1e-9)
        gaps.append(gap)
    assert gaps[-1] < 1e-3 * limit


@FAST
@given(layer=layers(), context=st.integers(1, 4096), bpe=bytes_per_element)
def test_decode_with_a_batch_of_l_has_the_intensity_of_one_prefill_of_l(
    layer: DecoderLayer, context: int, bpe: int
) -> None:
    # Same matrix shapes: L tokens through each weight matrix, whoever they belong to.
    decode = llm_inference.matrix_intensity(layer=layer, tokens=context, bytes_per_element=bpe)
    flops = decoder_layer.matrix_flops(layer=layer, tokens=context)
    moved = llm_inference.matrix_bytes(layer=layer, tokens=context, bytes_per_element=bpe)
    assert decode == flops / moved


@FAST
@given(layer=layers(), batch=st.integers(1, 10**6), bpe=bytes_per_element)
def test_without_activation_traffic_decode_intensity_is_linear_in_batch(
    layer: DecoderLayer, batch: int, bpe: int
) -> None:
    # The common approximation: intensity = B x 2 / bytes, with no saturation.
    one = llm_inference.matrix_intensity(
        layer=layer, tokens=1, bytes_per_element=bpe, activation_bytes=False
    )
    assert math.isclose(one, 2 / bpe)
    many = llm_inference.matrix_intensity(
        layer=layer, tokens=batch, bytes_per_element=bpe, activation_bytes=False
    )
    assert math.isclose(many, batch * one)


@FAST
@given(layer=layers(), context=counts, bpe=bytes_per_element)
def test_attention_against_the_cache_stays_below_two_flops_per_element(
    layer: DecoderLayer, context: int, bpe: int
) -> None:
    intensity = llm_inference.cached_attention_intensity(
        layer=layer, context=context, bytes_per_element=bpe
    )
    group = layer.n_heads // (layer.kv_heads or layer.n_heads)
    # Each cached element serves 2 FLOPs per query head that shares it.
    assert intensity < 2 * group / bpe
    assert intensity <= llm_inference.cached_attention_intensity(
        layer=layer, context=context + 1, bytes_per_element=bpe
    )


@FAST
@given(
    layer=layers(),
    share=st.fractions(Fraction(1, 1000), Fraction(99, 100)),
    bpe=bytes_per_element,
    tie_rule=st.sampled_from(["compute", "memory"]),
)
def test_critical_batch_is_where_decode_crosses_the_ridge(
    layer: DecoderLayer, share: Fraction, bpe: int, tie_rule: str
) -> None:
    bandwidth = 2e12
    peak = float(_limit(layer, bpe) * share) * bandwidth
    assume(peak > 0)
    ridge = peak / bandwidth
    batch = llm_inference.critical_batch(
        layer=layer, peak=peak, bandwidth=bandwidth, bytes_per_element=bpe, tie_rule=tie_rule
    )

    def intensity(tokens: int) -> float:
        return llm_inference.matrix_intensity(layer=layer, tokens=tokens, bytes_per_element=bpe)

    assert intensity(batch) >= ridge * (1 - 1e-12)
    if batch > 1:
        assert intensity(batch - 1) <= ridge * (1 + 1e-12)


# --- the time per token -------------------------------------------------------------------------


@FAST
@given(
    layer=layers(),
    context=counts,
    batch=st.integers(1, 256),
    bpe=bytes_per_element,
    bandwidth=st.floats(1e9, 1e13),
    n_layers=st.integers(1, 128),
)
def test_time_per_token_is_at_least_the_weights_over_bandwidth(
    layer: DecoderLayer, context: int, batch: int, bpe: int, bandwidth: float, n_layers: int
) -> None:
    def time(*, context: int = context, batch: int = batch, layers: int = n_layers) -> float:
        return llm_inference.min_time_per_token(
            layer=layer,
            context=context,
            batch=batch,
            bytes_per_element=bpe,
            bandwidth=bandwidth,
            layers=layers,
        )

    weights = decoder_layer.layer_params(layer=layer) * bpe
    assert time() > n_layers * weights / bandwidth  # the cache adds to the weights
    assert time(context=context + 1) > time() and time(batch=batch + 1) > time()
    assert math.isclose(time(layers=1) * n_layers, time())


# --- devices ------------------------------------------------------------------------------------


def test_devices_quote_their_dense_16_bit_peak_and_bandwidth() -> None:
    a100 = devices.A100_SXM4_80GB
    assert (a100.peak, a100.bandwidth) == (312e12, 2039e9)
    assert "312 TFLOPS" in a100.source and "2,039 GB/s" in a100.source
    assert "624 TFLOPS with sparsity" in a100.source  # the sparse figure is named, not used
    assert round(a100.ridge_point, 2) == 153.02
    assert round(devices.H100_SXM5_80GB.ridge_point, 1) == 295.3
    assert set(devices.DEVICES.values()) == {a100, devices.H100_SXM5_80GB}
    sheet = llm_inference_1.SHEET_GIVENS
    assert (sheet["gpu.peak"], sheet["gpu.bandwidth"]) == (a100.peak, a100.bandwidth)


# --- conventions --------------------------------------------------------------------------------


def test_new_conventions_read_from_text_and_default_to_the_sheets() -> None:
    assert Conventions().norms == "none" and Conventions().activation_bytes is True
    assert convention_from_text("norms", "LayerNorm") == "layernorm"
    assert convention_from_text("activation_bytes", "no") is False
    with pytest.raises(ValueError, match="norms accepts none, layernorm, rmsnorm"):
        convention_from_text("norms", "batchnorm")


# --- validation ---------------------------------------------------------------------------------

SHEET = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)


def _call(function: Callable[..., object], **arguments: object) -> Callable[[], object]:
    return lambda: function(**arguments)


BAD_ARGUMENTS: list[tuple[str, Callable[[], object], str]] = [
    (
        "zero width",
        _call(DecoderLayer, d_model=0, n_heads=1, d_ff=1),
        "d_model must be a positive whole number, not 0",
    ),
    (
        "float heads",
        _call(DecoderLayer, d_model=64, n_heads=2.0, d_ff=1),
        "n_heads must be a positive whole number, not 2.0",
    ),
    (
        "bool d_ff",
        _call(DecoderLayer, d_model=64, n_heads=2, d_ff=True),
        "d_ff must be a positive whole number, not True",
    ),
    (
        "heads not dividing",
        _call(DecoderLayer, d_model=100, n_heads=3, d_ff=1),
        r"n_heads=3 must divide d_model=100 \(d_head = d_model / n_heads\)",
    ),
    (
        "kv heads not dividing",
        _call(DecoderLayer, d_model=64, n_heads=4, d_ff=1, kv_heads=3),
        "kv_heads=3 must divide n_heads=4",
    ),
    (
        "negative kv heads",
        _call(DecoderLayer, d_model=64, n_heads=4, d_ff=1, kv_heads=-1),
        "kv_heads must be a positive whole number",
    ),
    (
        "gated as text",
        _call(DecoderLayer, d_model=64, n_heads=4, d_ff=1, gated_mlp="yes"),
        "gated_mlp must be True or False",
    ),
    (
        "not a layer",
        _call(decoder_layer.layer_params, layer=(4096, 32, 16384)),
        "layer must be a DecoderLayer",
    ),
    (
        "unknown norms",
        _call(decoder_layer.layer_params, layer=SHEET, norms="batchnorm"),
        "norms must be one of 'none', 'layernorm', 'rmsnorm', not 'batchnorm'",
    ),
    (
        "bias as number",
        _call(decoder_layer.matrix_params, layer=SHEET, bias=1),
        "bias must be True or False, not 1",
    ),
    (
        "unknown block",
        _call(decoder_layer.matrix_params, layer=SHEET, block="embedding"),
        "block must be one of 'attention', 'mlp'",
    ),
    (
        "zero tokens",
        _call(decoder_layer.matrix_flops, layer=SHEET, tokens=0),
        "tokens must be a positive whole number, not 0",
    ),
    (
        "three flops per mac",
        _call(decoder_layer.matrix_flops, layer=SHEET, flops_per_mac=3),
        "flops_per_mac must be one of 1, 2, not 3",
    ),
    (
        "unknown dot product",
        _call(decoder_layer.matrix_flops, layer=SHEET, dot_product_ops="k"),
        "dot_product_ops must be one of '2k', '2k-1'",
    ),
    (
        "negative context",
        _call(decoder_layer.cached_attention_flops, layer=SHEET, context=-5),
        "context must be a positive whole number, not -5",
    ),
    (
        "zero bytes",
        _call(kv_cache.kv_bytes_per_token, layer=SHEET, bytes_per_element=0),
        "bytes_per_element must be a positive whole number, not 0",
    ),
    (
        "half a byte",
        _call(kv_cache.kv_bytes_per_token, layer=SHEET, bytes_per_element=0.5),
        "bytes_per_element must be a positive whole number, not 0.5",
    ),
    (
        "zero batch",
        _call(kv_cache.kv_cache_bytes, layer=SHEET, context=2048, bytes_per_element=2, batch=0),
        "batch must be a positive whole number, not 0",
    ),
    (
        "zero layers",
        _call(kv_cache.kv_cache_bytes, layer=SHEET, context=2048, bytes_per_element=2, layers=0),
        "layers must be a positive whole number, not 0",
    ),
    (
        "unknown byte model",
        _call(
            llm_inference.matrix_bytes,
            layer=SHEET,
            tokens=1,
            bytes_per_element=2,
            qkv_byte_model="packed",
        ),
        "qkv_byte_model must be one of 'per_projection', 'three_separate', 'fused'",
    ),
    (
        "activations as text",
        _call(
            llm_inference.matrix_bytes,
            layer=SHEET,
            tokens=1,
            bytes_per_element=2,
            activation_bytes="yes",
        ),
        "activation_bytes must be True or False",
    ),
    (
        "zero in features",
        _call(
            llm_inference.linear_intensity,
            tokens=1,
            in_features=0,
            out_features=4,
            bytes_per_element=2,
        ),
        "in_features must be a positive whole number, not 0",
    ),
    (
        "zero peak",
        _call(
            llm_inference.critical_batch, layer=SHEET, peak=0, bandwidth=2039e9, bytes_per_element=2
        ),
        "peak must be a positive finite number, not 0",
    ),
    (
        "infinite bandwidth",
        _call(
            llm_inference.critical_batch,
            layer=SHEET,
            peak=312e12,
            bandwidth=math.inf,
            bytes_per_element=2,
        ),
        "bandwidth must be a positive finite number, not inf",
    ),
    (
        "unknown tie rule",
        _call(
            llm_inference.critical_batch,
            layer=SHEET,
            peak=312e12,
            bandwidth=2039e9,
            bytes_per_element=2,
            tie_rule="round",
        ),
        "tie_rule must be one of 'compute', 'memory', not 'round'",
    ),
    (
        "unreachable ridge",
        _call(
            llm_inference.critical_batch,
            layer=SHEET,
            peak=1e16,
            bandwidth=1e12,
            bytes_per_element=2,
        ),
        r"decode never becomes compute-bound: its intensity only approaches 2731 FLOP/byte, "
        r"below the ridge point 1e\+04 FLOP/byte",
    ),
    (
        "negative bandwidth",
        _call(
            llm_inference.min_time_per_token,
            layer=SHEET,
            context=2048,
            batch=16,
            bytes_per_element=2,
            bandwidth=-1.0,
        ),
        "bandwidth must be a positive finite number, not -1.0",
    ),
    (
        "text bandwidth",
        _call(
            llm_inference.min_time_per_token,
            layer=SHEET,
            context=2048,
            batch=16,
            bytes_per_element=2,
            bandwidth="2 TB/s",
        ),
        "bandwidth must be a positive finite number, not '2 TB/s'",
    ),
    (
        "zero model layers",
        _call(
            llm_inference.min_time_per_token,
            layer=SHEET,
            context=2048,
            batch=16,
            bytes_per_element=2,
            bandwidth=1e12,
            layers=0,
        ),
        "layers must be a positive whole number, not 0",
    ),
    (
        "device without bandwidth",
        _call(devices.Device, name="x", peak=1e12, bandwidth=0, source="none"),
        "bandwidth must be a positive finite number, not 0",
    ),
]


@pytest.mark.parametrize(
    ("call", "message"), [b[1:] for b in BAD_ARGUMENTS], ids=[b[0] for b in BAD_ARGUMENTS]
)
def test_bad_argument_is_refused_by_name(call: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


GOOD_ARGUMENTS: list[tuple[str, Callable[[], object], object]] = [
    (
        "one head, one kv head",
        _call(DecoderLayer, d_model=1, n_heads=1, d_ff=1, kv_heads=1),
        DecoderLayer(d_model=1, n_heads=1, d_ff=1, kv_heads=1),
    ),
    (
        "int peak",
        _call(
            llm_inference.critical_batch,
            layer=SHEET,
            peak=312 * 10**12,
            bandwidth=2039 * 10**9,
            bytes_per_element=2,
        ),
        163,
    ),
    (
        "context of one",
        _call(kv_cache.kv_cache_bytes, layer=SHEET, context=1, bytes_per_element=2),
        16384,
    ),
    ("rmsnorm", _call(decoder_layer.norm_params, layer=SHEET, norms="rmsnorm"), 8192),
]


@pytest.mark.parametrize(
    ("call", "expected"), [g[1:] for g in GOOD_ARGUMENTS], ids=[g[0] for g in GOOD_ARGUMENTS]
)
def test_edge_arguments_are_accepted(call: Callable[[], object], expected: object) -> None:
    assert call() == expected
