"""Linear layers (projections) and matrix multiplication: parameters and FLOPs.

Counting convention: a product of an (m x k) and a (k x n) matrix is m*n dot products of length
k, each k MACs; FLOPs are ``flops_per_mac`` x MACs (2: multiply and add), or ``2k-1`` per dot
product when the first addition is not charged. A bias adds one addition per output element.
"""

from __future__ import annotations

from reference.arguments import check_choice, check_counts, check_flag

DOT_PRODUCT_OPS = ("2k", "2k-1")
"""Ways to count a dot product of length k: 2k FLOPs, or 2k-1 when the first add is free."""


def matmul_flops(
    *, m: int, n: int, k: int, flops_per_mac: int = 2, dot_product_ops: str = "2k"
) -> int:
    """FLOPs of an (m x k) @ (k x n) product.

    >>> matmul_flops(m=64, n=64, k=128)
    1048576
    >>> matmul_flops(m=64, n=128, k=128, dot_product_ops="2k-1")
    2088960
    """
    check_counts(m=m, n=n, k=k, flops_per_mac=flops_per_mac)
    check_choice("dot_product_ops", dot_product_ops, DOT_PRODUCT_OPS)
    per_dot = flops_per_mac * k - (1 if dot_product_ops == "2k-1" else 0)
    return m * n * per_dot


def linear_params(*, in_features: int, out_features: int, bias: bool = False) -> int:
    """Weights (and biases) of a linear layer.

    >>> linear_params(in_features=128, out_features=128)
    16384
    """
    check_counts(in_features=in_features, out_features=out_features)
    check_flag("bias", bias)
    return in_features * out_features + (out_features if bias else 0)


def linear_flops(
    *,
    tokens: int,
    in_features: int,
    out_features: int,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
) -> int:
    """FLOPs of applying a linear layer to ``tokens`` input vectors.

    >>> linear_flops(tokens=64, in_features=128, out_features=128)
    2097152
    """
    check_counts(tokens=tokens, in_features=in_features, out_features=out_features)
    check_flag("bias", bias)
    flops = matmul_flops(
        m=tokens,
        n=out_features,
        k=in_features,
        flops_per_mac=flops_per_mac,
        dot_product_ops=dot_product_ops,
    )
    return flops + (tokens * out_features if bias else 0)
