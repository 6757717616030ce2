"""Memory traffic and arithmetic intensity.

Counting convention: every input and weight is read from memory once and every output written
once (no caching across operations, no re-reads); bytes = elements x bytes per element.
Arithmetic intensity = FLOPs / bytes moved. Where more than one byte model is reasonable (the
Q/K/V projections) the model is named.
"""

from __future__ import annotations

from reference.arguments import (
    check_choice,
    check_counts,
    check_flag,
    check_non_negative,
    check_positive,
)

BYTE_MODELS = ("per_projection", "three_separate", "fused")
"""Byte models of the Q/K/V projections (see :func:`projection_bytes`)."""


def conv_bytes(
    *,
    in_channels: int,
    out_channels: int,
    height: int,
    width: int,
    out_height: int,
    out_width: int,
    weight_params: int,
    bytes_per_element: int = 4,
) -> int:
    """Bytes moved by a convolution: read input and weights once, write the output once.

    >>> conv_bytes(in_channels=32, out_channels=32, height=56, width=56, out_height=56,
    ...            out_width=56, weight_params=288)
    803968
    """
    check_counts(
        in_channels=in_channels,
        out_channels=out_channels,
        height=height,
        width=width,
        out_height=out_height,
        out_width=out_width,
        weight_params=weight_params,
        bytes_per_element=bytes_per_element,
    )
    elements = in_channels * height * width + weight_params + out_channels * out_height * out_width
    return elements * bytes_per_element


def projection_bytes(
    *,
    seq_len: int,
    d_model: int,
    model: str = "per_projection",
    bytes_per_element: int = 4,
    bias: bool = False,
) -> int:
    """Bytes moved by the Q/K/V projections of an L x d input, under a named byte model.

    ``per_projection``: X, one weight matrix, one output (one projection on its own).
    ``three_separate``: three such projections, X read three times.
    ``fused``: X read once, three weight matrices, three outputs.
    With ``bias`` each projection also reads its bias vector (d elements).

    >>> projection_bytes(seq_len=64, d_model=128)
    131072
    >>> projection_bytes(seq_len=64, d_model=128, model="three_separate")
    393216
    >>> projection_bytes(seq_len=64, d_model=128, model="fused")
    327680
    """
    check_counts(seq_len=seq_len, d_model=d_model, bytes_per_element=bytes_per_element)
    check_choice("model", model, BYTE_MODELS)
    check_flag("bias", bias)
    activations = seq_len * d_model
    weights = d_model * d_model + (d_model if bias else 0)
    one = activations + weights + activations
    if model == "per_projection":
        elements = one
    elif model == "three_separate":
        elements = 3 * one
    else:
        elements = activations + 3 * weights + 3 * activations  # fused
    return elements * bytes_per_element


def projections_in_byte_model(model: str) -> int:
    """How many projections' FLOPs go with the bytes of a byte model.

    >>> projections_in_byte_model("fused")
    3
    """
    check_choice("model", model, BYTE_MODELS)
    return 1 if model == "per_projection" else 3


def arithmetic_intensity(*, flops: float, bytes_moved: float) -> float:
    """FLOPs per byte moved.

    >>> arithmetic_intensity(flops=1806336, bytes_moved=803968)  # doctest: +ELLIPSIS
    2.2467...
    """
    check_non_negative("flops", flops)
    check_positive("bytes_moved", bytes_moved)
    return flops / bytes_moved
