"""Decode against prefill on a roofline: bytes moved, intensity, turning batch, time per token.

What the words mean (a sheet built on this module uses them exactly so):

* **Prefill**: ``batch`` prompts of ``context`` tokens pass through the layer together, so each
  weight matrix multiplies batch x context token vectors at once (matrix-matrix).
* **Decode step**: each of ``batch`` sequences adds one token, so each weight matrix multiplies
  ``batch`` token vectors (matrix-vector at batch 1). The new token's query attends to
  ``context`` cached tokens: the cache then holds ``context`` tokens, its own key and value
  (appended in this step) included.
* **Bytes moved by the matrix products of one pass**: every weight (and bias, when counted) is
  read once per pass, however many tokens share it. With ``activation_bytes`` each matrix also
  reads its input vector and writes its output vector for every token: W_Q, W_K and W_V each
  read the token's x (``qkv_byte_model`` ``per_projection`` or ``three_separate``) or read it
  once for the three (``fused``); the keys and values they write are those outputs. Norms,
  residual additions, the MLP's nonlinearity and the softmax are element-wise and not counted,
  nor is the KV cache (it belongs to attention).
* **Bytes moved by attention against the cache** (decode, per sequence): the keys and values of
  ``context`` tokens are read; with ``activation_bytes`` the query is read and the output
  written (d_model elements each). Scores stay on chip.
* **Arithmetic intensity** = FLOPs / bytes moved, in FLOP/byte.
* **Bytes that must be read in a decode step**: the layer's parameters (as counted), once, and
  the KV cache of every sequence, batch x context tokens. Activations (tens of KiB per token)
  can stay on chip while weights and cache (hundreds of MB) cannot, and writes (the new keys
  and values) are not reads, so neither is counted: this is a lower bound.
* **Time per generated token** >= bytes read / bandwidth: every sequence gets its next token
  when the step ends, so the step's time is each sequence's time per token.
"""

from __future__ import annotations

import math
from fractions import Fraction

from reference.argument_checks import boolean, one_of, positive_int, positive_number
from reference.decoder_layer import (
    DecoderLayer,
    cached_attention_flops,
    checked_layer,
    layer_params,
    matrix_flops,
)
from reference.decoder_layer import matrix_params as _matrix_params
from reference.kv_cache import kv_cache_bytes

QKV_BYTE_MODELS = ("per_projection", "three_separate", "fused")


def activation_elements_per_token(
    *, layer: DecoderLayer, qkv_byte_model: str = "per_projection"
) -> int:
    """Elements each token reads and writes through the layer's matrices (inputs + outputs).

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> activation_elements_per_token(layer=layer)  # 10 x 4096 + 2 x 16384
    73728
    >>> activation_elements_per_token(layer=layer, qkv_byte_model="fused")  # x read once
    65536
    """
    one_of("qkv_byte_model", qkv_byte_model, QKV_BYTE_MODELS)
    matrices = checked_layer(layer).matrices()
    elements = sum(m.in_features + m.out_features for m in matrices)
    return elements - (2 * layer.d_model if qkv_byte_model == "fused" else 0)


def linear_intensity(
    *,
    tokens: int,
    in_features: int,
    out_features: int,
    bytes_per_element: int,
    flops_per_mac: int = 2,
    activation_bytes: bool = True,
) -> float:
    """FLOP/byte of one (in x out) matrix applied to ``tokens`` tokens in one pass, under the
    byte model above (weights read once, each token's input read and output written).

    >>> round(linear_intensity(tokens=16, in_features=4096, out_features=16384,
    ...                        bytes_per_element=2), 4)  # W_up in a decode step, b = 16
    15.9223
    >>> round(linear_intensity(tokens=512, in_features=1024, out_features=4096,
    ...                        bytes_per_element=2), 2)  # NVIDIA's published example: 315
    315.08
    """
    one_of("flops_per_mac", flops_per_mac, (1, 2))
    weights = positive_int("in_features", in_features) * positive_int("out_features", out_features)
    per_token = in_features + out_features if boolean("activation_bytes", activation_bytes) else 0
    elements = weights + positive_int("tokens", tokens) * per_token
    moved = elements * positive_int("bytes_per_element", bytes_per_element)
    return tokens * flops_per_mac * weights / moved


def matrix_bytes(
    *,
    layer: DecoderLayer,
    tokens: int,
    bytes_per_element: int,
    bias: bool = False,
    activation_bytes: bool = True,
    qkv_byte_model: str = "per_projection",
) -> int:
    """Bytes the layer's matrix products move in one pass over ``tokens`` tokens.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> matrix_bytes(layer=layer, tokens=1, bytes_per_element=2)  # (201326592 + 73728) x 2
    402800640
    """
    positive_int("tokens", tokens)
    positive_int("bytes_per_element", bytes_per_element)
    boolean("activation_bytes", activation_bytes)
    weights = _matrix_params(layer=layer, bias=bias)
    per_token = activation_elements_per_token(layer=layer, qkv_byte_model=qkv_byte_model)
    return (weights + (tokens * per_token if activation_bytes else 0)) * bytes_per_element


def matrix_intensity(
    *,
    layer: DecoderLayer,
    tokens: int,
    bytes_per_element: int,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
    activation_bytes: bool = True,
    qkv_byte_model: str = "per_projection",
) -> float:
    """FLOP/byte of the layer's matrix products over ``tokens`` tokens in one pass.

    Decode at batch B is ``tokens=B``; prefill of B prompts of L tokens is ``tokens=B*L``.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> round(matrix_intensity(layer=layer, tokens=1, bytes_per_element=2), 6)  # matrix-vector
    0.999634
    >>> round(matrix_intensity(layer=layer, tokens=16, bytes_per_element=2), 4)  # decode, B = 16
    15.9068
    >>> round(matrix_intensity(layer=layer, tokens=2048, bytes_per_element=2), 4)  # prefill
    1170.2857
    """
    flops = matrix_flops(
        layer=layer,
        tokens=tokens,
        flops_per_mac=flops_per_mac,
        dot_product_ops=dot_product_ops,
        bias=bias,
    )
    moved = matrix_bytes(
        layer=layer,
        tokens=tokens,
        bytes_per_element=bytes_per_element,
        bias=bias,
        activation_bytes=activation_bytes,
        qkv_byte_model=qkv_byte_model,
    )
    return flops / moved


def critical_batch(
    *,
    layer: DecoderLayer,
    peak: float,
    bandwidth: float,
    bytes_per_element: int,
    tie_rule: str = "compute",
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
    activation_bytes: bool = True,
    qkv_byte_model: str = "per_projection",
) -> int:
    """The smallest decode batch whose matrix intensity reaches the ridge (peak / bandwidth).

    Intensity at batch B is B F / (b (W + B A)) with F FLOPs per token, W weight elements,
    A activation elements per token and b bytes per element; it reaches the ridge R when
    B (F - R b A) >= R b W. At exact equality ``tie_rule`` decides (``compute``: reached).
    Exact rational arithmetic, so a tie is a tie. ``ValueError`` when no batch reaches it
    (the intensity only approaches F / (b A)).

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> critical_batch(layer=layer, peak=312e12, bandwidth=2039e9, bytes_per_element=2)
    163
    """
    one_of("tie_rule", tie_rule, ("compute", "memory"))
    ridge = Fraction(positive_number("peak", peak)) / Fraction(
        positive_number("bandwidth", bandwidth)
    )
    per_token = matrix_flops(
        layer=layer, flops_per_mac=flops_per_mac, dot_product_ops=dot_product_ops, bias=bias
    )
    b = positive_int("bytes_per_element", bytes_per_element)
    weights = _matrix_params(layer=layer, bias=bias)
    boolean("activation_bytes", activation_bytes)
    activations = activation_elements_per_token(layer=layer, qkv_byte_model=qkv_byte_model)
    gain = per_token - ridge * b * (activations if activation_bytes else 0)
    if gain <= 0:
        limit = Fraction(per_token, b * activations)
        raise ValueError(
            f"decode never becomes compute-bound: its intensity only approaches "
            f"{float(limit):.4g} FLOP/byte, below the ridge point {float(ridge):.4g} FLOP/byte"
        )
    threshold = ridge * b * weights / gain
    batch = math.ceil(threshold) if tie_rule == "compute" else math.floor(threshold) + 1
    return max(1, batch)


def cached_attention_bytes(
    *, layer: DecoderLayer, context: int, bytes_per_element: int, activation_bytes: bool = True
) -> int:
    """Bytes one sequence's new query moves attending to ``context`` cached tokens.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> cached_attention_bytes(layer=layer, context=2048, bytes_per_element=2)
    33570816
    """
    cache = kv_cache_bytes(layer=layer, context=context, bytes_per_element=bytes_per_element)
    query_and_output = 2 * layer.d_model * bytes_per_element
    return cache + (query_and_output if boolean("activation_bytes", activation_bytes) else 0)


def cached_attention_intensity(
    *,
    layer: DecoderLayer,
    context: int,
    bytes_per_element: int,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    activation_bytes: bool = True,
) -> float:
    """FLOP/byte of one new query attending to its sequence's cache; batching does not change
    it, since every sequence reads a cache of its own.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> round(cached_attention_intensity(layer=layer, context=2048, bytes_per_element=2), 6)
    0.999512
    """
    flops = cached_attention_flops(
        layer=layer, context=context, flops_per_mac=flops_per_mac, dot_product_ops=dot_product_ops
    )
    moved = cached_attention_bytes(
        layer=layer,
        context=context,
        bytes_per_element=bytes_per_element,
        activation_bytes=activation_bytes,
    )
    return flops / moved


def decode_read_bytes(
    *,
    layer: DecoderLayer,
    context: int,
    batch: int,
    bytes_per_element: int,
    bias: bool = False,
    norms: str = "none",
) -> int:
    """Bytes a decode step must read: the layer's parameters once, every sequence's cache.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> decode_read_bytes(layer=layer, context=2048, batch=16, bytes_per_element=2)
    939524096
    """
    positive_int("bytes_per_element", bytes_per_element)
    weights = layer_params(layer=layer, bias=bias, norms=norms) * bytes_per_element
    cache = kv_cache_bytes(
        layer=layer, context=context, batch=batch, bytes_per_element=bytes_per_element
    )
    return weights + cache


def min_time_per_token(
    *,
    layer: DecoderLayer,
    context: int,
    batch: int,
    bytes_per_element: int,
    bandwidth: float,
    layers: int = 1,
    bias: bool = False,
    norms: str = "none",
) -> float:
    """Lower bound, in seconds, on a decode step of ``layers`` such layers: bytes read / bandwidth.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> t = min_time_per_token(layer=layer, context=2048, batch=16, bytes_per_element=2,
    ...                        bandwidth=2039e9)
    >>> round(t * 1e6, 2)  # microseconds: 939524096 B / 2039 GB/s
    460.78
    """
    read = decode_read_bytes(
        layer=layer,
        context=context,
        batch=batch,
        bytes_per_element=bytes_per_element,
        bias=bias,
        norms=norms,
    )
    return positive_int("layers", layers) * read / positive_number("bandwidth", bandwidth)
