"""Scaled dot-product attention, single- or multi-head, stage by stage.

Counting convention: matrix products cost 2 FLOPs per MAC (see ``reference.linear``); the
scaling by 1/sqrt(d) is one multiplication per score; with h heads each head works on
d_head = d_model / h dimensions, so the projections cost the same as with one head and the
score and aggregation products sum to the single-head figure. Weight parameters are the four
d_model x d_model matrices W_Q, W_K, W_V, W_O (plus four bias vectors when ``bias``).
"""

from __future__ import annotations

from reference.arguments import check_counts
from reference.linear import linear_flops, linear_params, matmul_flops


def head_dim(*, d_model: int, heads: int = 1) -> int:
    """Dimensions per head.

    >>> head_dim(d_model=128, heads=8)
    16
    """
    check_counts(d_model=d_model, heads=heads)
    if d_model % heads:
        raise ValueError(f"heads={heads} must divide d_model={d_model}")
    return d_model // heads


def attention_weight_params(*, d_model: int, bias: bool = False) -> int:
    """Parameters of W_Q, W_K, W_V and W_O.

    >>> attention_weight_params(d_model=128)
    65536
    >>> attention_weight_params(d_model=128, bias=True)
    66048
    """
    check_counts(d_model=d_model)
    return 4 * linear_params(in_features=d_model, out_features=d_model, bias=bias)


def projection_flops(
    *,
    seq_len: int,
    d_model: int,
    projections: int = 1,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
) -> int:
    """FLOPs of ``projections`` d_model x d_model projections of a sequence (Q/K/V: 3; O: 1).

    >>> projection_flops(seq_len=64, d_model=128, projections=3)
    6291456
    >>> projection_flops(seq_len=64, d_model=128)
    2097152
    """
    check_counts(seq_len=seq_len, d_model=d_model, projections=projections)
    one = linear_flops(
        tokens=seq_len,
        in_features=d_model,
        out_features=d_model,
        flops_per_mac=flops_per_mac,
        dot_product_ops=dot_product_ops,
        bias=bias,
    )
    return projections * one


def attention_scores_flops(
    *,
    seq_len: int,
    d_model: int,
    heads: int = 1,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
) -> int:
    """FLOPs of the scores Q K^T over all heads.

    >>> attention_scores_flops(seq_len=64, d_model=128)
    1048576
    """
    check_counts(seq_len=seq_len)
    d_head = head_dim(d_model=d_model, heads=heads)
    one_head = matmul_flops(
        m=seq_len,
        n=seq_len,
        k=d_head,
        flops_per_mac=flops_per_mac,
        dot_product_ops=dot_product_ops,
    )
    return heads * one_head


def scaling_flops(*, seq_len: int, heads: int = 1) -> int:
    """Multiplications by 1/sqrt(d_head): one per score.

    >>> scaling_flops(seq_len=64)
    4096
    """
    check_counts(seq_len=seq_len, heads=heads)
    return heads * seq_len * seq_len


def value_aggregation_flops(
    *,
    seq_len: int,
    d_model: int,
    heads: int = 1,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
) -> int:
    """FLOPs of softmax(S) V over all heads.

    >>> value_aggregation_flops(seq_len=64, d_model=128)
    1048576
    """
    check_counts(seq_len=seq_len)
    d_head = head_dim(d_model=d_model, heads=heads)
    one_head = matmul_flops(
        m=seq_len,
        n=d_head,
        k=seq_len,
        flops_per_mac=flops_per_mac,
        dot_product_ops=dot_product_ops,
    )
    return heads * one_head
