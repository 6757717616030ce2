"""2-D convolution: output size, parameters, MACs and FLOPs.

Counting convention: one multiply-accumulate (MAC) per kernel tap per output element; FLOPs are
``flops_per_mac`` x MACs (2 by default: a multiply and an add), minus one per output under the
``2k-1`` convention, plus one add per output when a bias is added. Padded taps are charged as
computed (``padding_count="full"``, what implicit-GEMM kernels do) unless ``exact`` is asked.
Channels are split into ``groups``; depthwise convolution is ``groups == in_channels``.
"""

from __future__ import annotations

import math

from reference.arguments import check_choice, check_counts, check_flag
from reference.linear import DOT_PRODUCT_OPS

Padding = str | int

PADDING_COUNTS = ("full", "exact")
"""Whether padded taps are charged as computed (``full``) or only taps on real input."""


def _padding_total(*, size: int, kernel: int, stride: int, padding: Padding) -> int:
    """Total padding (both sides together) added along one axis."""
    if padding == "valid":
        return 0
    if padding == "same":
        out = math.ceil(size / stride)
        return max((out - 1) * stride + kernel - size, 0)
    if isinstance(padding, int) and not isinstance(padding, bool) and padding >= 0:
        return 2 * padding
    raise ValueError(f"padding must be 'same', 'valid' or a non-negative integer, not {padding!r}")


def conv_output_size(*, size: int, kernel: int, stride: int = 1, padding: Padding = "valid") -> int:
    """Output length along one axis.

    >>> conv_output_size(size=56, kernel=3, stride=1, padding="same")
    56
    >>> conv_output_size(size=56, kernel=3, stride=1, padding="valid")
    54
    """
    check_counts(size=size, kernel=kernel, stride=stride)
    total = _padding_total(size=size, kernel=kernel, stride=stride, padding=padding)
    out = (size + total - kernel) // stride + 1
    if out < 1:
        raise ValueError(f"kernel {kernel} does not fit an input of {size} with this padding")
    return out


def conv_params(
    *, in_channels: int, out_channels: int, kernel: int, groups: int = 1, bias: bool = False
) -> int:
    """Weights (and biases) of a 2-D convolution with a square kernel.

    >>> conv_params(in_channels=32, out_channels=32, kernel=3, groups=32)
    288
    """
    check_counts(in_channels=in_channels, out_channels=out_channels, kernel=kernel)
    check_flag("bias", bias)
    _check_groups(in_channels=in_channels, out_channels=out_channels, groups=groups)
    weights = out_channels * (in_channels // groups) * kernel * kernel
    return weights + (out_channels if bias else 0)


def _check_groups(*, in_channels: int, out_channels: int, groups: int) -> None:
    check_counts(groups=groups)
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups={groups} must divide in_channels and out_channels")


def _valid_taps_per_axis(
    *, size: int, kernel: int, stride: int, padding: Padding
) -> tuple[int, int]:
    """Along one axis: the kernel taps that land on real input, summed over output positions,
    and the number of output positions that have at least one such tap."""
    total = _padding_total(size=size, kernel=kernel, stride=stride, padding=padding)
    before = total // 2
    out = conv_output_size(size=size, kernel=kernel, stride=stride, padding=padding)
    real = [
        sum(1 for t in range(kernel) if 0 <= o * stride - before + t < size) for o in range(out)
    ]
    return sum(real), sum(1 for taps in real if taps)


def conv_macs(
    *,
    in_channels: int,
    out_channels: int,
    height: int,
    width: int,
    kernel: int,
    stride: int = 1,
    padding: Padding = "valid",
    groups: int = 1,
    padding_count: str = "full",
) -> int:
    """Multiply-accumulates of one forward pass (batch 1).

    >>> conv_macs(in_channels=32, out_channels=32, height=56, width=56, kernel=3,
    ...           padding="same", groups=32)
    903168
    """
    check_counts(in_channels=in_channels, out_channels=out_channels, height=height, width=width)
    _check_groups(in_channels=in_channels, out_channels=out_channels, groups=groups)
    check_choice("padding_count", padding_count, PADDING_COUNTS)
    per_output_channel = (in_channels // groups) * out_channels
    if padding_count == "exact":
        rows, _ = _valid_taps_per_axis(size=height, kernel=kernel, stride=stride, padding=padding)
        cols, _ = _valid_taps_per_axis(size=width, kernel=kernel, stride=stride, padding=padding)
        return rows * cols * per_output_channel
    out_h = conv_output_size(size=height, kernel=kernel, stride=stride, padding=padding)
    out_w = conv_output_size(size=width, kernel=kernel, stride=stride, padding=padding)
    return out_h * out_w * kernel * kernel * per_output_channel


def conv_flops(
    *,
    in_channels: int,
    out_channels: int,
    height: int,
    width: int,
    kernel: int,
    stride: int = 1,
    padding: Padding = "valid",
    groups: int = 1,
    padding_count: str = "full",
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
) -> int:
    """FLOPs of one forward pass (batch 1).

    >>> conv_flops(in_channels=32, out_channels=32, height=56, width=56, kernel=3,
    ...            padding="same", groups=32)
    1806336
    """
    check_counts(flops_per_mac=flops_per_mac)
    check_choice("dot_product_ops", dot_product_ops, DOT_PRODUCT_OPS)
    check_flag("bias", bias)
    macs = conv_macs(
        in_channels=in_channels,
        out_channels=out_channels,
        height=height,
        width=width,
        kernel=kernel,
        stride=stride,
        padding=padding,
        groups=groups,
        padding_count=padding_count,
    )
    out_h = conv_output_size(size=height, kernel=kernel, stride=stride, padding=padding)
    out_w = conv_output_size(size=width, kernel=kernel, stride=stride, padding=padding)
    outputs = out_h * out_w * out_channels
    computing = outputs  # outputs whose dot product has at least one term
    if padding_count == "exact":
        _, rows = _valid_taps_per_axis(size=height, kernel=kernel, stride=stride, padding=padding)
        _, cols = _valid_taps_per_axis(size=width, kernel=kernel, stride=stride, padding=padding)
        computing = rows * cols * out_channels
    first_add_dropped = computing if dot_product_ops == "2k-1" else 0
    return flops_per_mac * macs - first_add_dropped + (outputs if bias else 0)
