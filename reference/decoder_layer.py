"""One decoder layer of a transformer: its shape, parameters and FLOPs.

The layer is GPT-style: multi-head self-attention with the projections W_Q, W_K, W_V (d_model
-> d_model each) and W_O (d_model -> d_model), then an MLP of two matrices, W_up (d_model ->
d_ff) and W_down (d_ff -> d_model). ``kv_heads`` below ``n_heads`` makes W_K and W_V narrower
(grouped-query attention, kv_heads x d_head outputs each); ``gated_mlp`` adds a third MLP
matrix W_gate (d_model -> d_ff), as in SwiGLU layers. Both exist for the checks against
published models; the sheet's layer has neither.

Counting conventions:

* Parameters are the weight matrices' elements. Biases (one per output of every matrix) are
  counted only with ``bias``; the two normalisations only with ``norms`` (``layernorm``: gain
  and bias, 2 x d_model each; ``rmsnorm``: gain only). Embeddings are not part of a layer.
* FLOPs: applying an (in x out) matrix to one token is in x out multiply-accumulates (MACs),
  ``flops_per_mac`` FLOPs each (2: a multiply and an add), or out x (2 x in - 1) FLOPs with
  ``dot_product_ops="2k-1"``; a bias adds one addition per output. The cost per token is the
  same in prefill and in decode: only the number of tokens differs.
* Attention against the KV cache (decode): one new query per sequence against ``context``
  cached keys and values: per head, ``context`` dot products of length d_head (the scores)
  and a weighted sum of ``context`` value vectors of d_head elements. The scaling by
  1/sqrt(d_head) and the softmax (a few operations per score) are not counted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, NamedTuple

from reference.argument_checks import boolean, one_of, positive_int
from reference.linear import linear_flops, matmul_flops

Block = Literal["attention", "mlp"]
NORM_PARAMS_PER_D_MODEL = {"none": 0, "layernorm": 4, "rmsnorm": 2}
"""Normalisation parameters of a layer per d_model: two norms, gain (and bias) each."""


class Matrix(NamedTuple):
    """One weight matrix of the layer, applied as x (in_features) -> y (out_features)."""

    name: str
    block: Block
    in_features: int
    out_features: int


@dataclass(frozen=True, kw_only=True)
class DecoderLayer:
    """The shape of one decoder layer, validated when it is made.

    Attributes:
        d_model: model width (the residual stream's size).
        n_heads: attention heads; must divide d_model (d_head = d_model / n_heads).
        d_ff: the MLP's hidden width.
        kv_heads: key/value heads (None: one per query head, plain multi-head attention);
            must divide n_heads.
        gated_mlp: whether the MLP has a third matrix (gate), as in SwiGLU layers.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> layer.d_head, layer.kv_dim
    (128, 4096)
    >>> DecoderLayer(d_model=4096, n_heads=24, d_ff=16384)
    Traceback (most recent call last):
    ...
    ValueError: n_heads=24 must divide d_model=4096 (d_head = d_model / n_heads)
    """

    d_model: int
    n_heads: int
    d_ff: int
    kv_heads: int | None = None
    gated_mlp: bool = False

    def __post_init__(self) -> None:
        d_model = positive_int("d_model", self.d_model)
        n_heads = positive_int("n_heads", self.n_heads)
        positive_int("d_ff", self.d_ff)
        boolean("gated_mlp", self.gated_mlp)
        if d_model % n_heads:
            raise ValueError(
                f"n_heads={n_heads} must divide d_model={d_model} (d_head = d_model / n_heads)"
            )
        if self.kv_heads is not None:
            kv_heads = positive_int("kv_heads", self.kv_heads)
            if n_heads % kv_heads:
                raise ValueError(f"kv_heads={kv_heads} must divide n_heads={n_heads}")

    @property
    def d_head(self) -> int:
        """Dimensions per head: d_model / n_heads."""
        return self.d_model // self.n_heads

    @property
    def kv_dim(self) -> int:
        """Elements of one token's key (or value) vector: kv_heads x d_head."""
        return (self.kv_heads or self.n_heads) * self.d_head

    def matrices(self) -> tuple[Matrix, ...]:
        """The layer's weight matrices in the order they are applied."""
        d, kv, ff = self.d_model, self.kv_dim, self.d_ff
        gate = (Matrix("W_gate", "mlp", d, ff),) if self.gated_mlp else ()
        return (
            Matrix("W_Q", "attention", d, d),
            Matrix("W_K", "attention", d, kv),
            Matrix("W_V", "attention", d, kv),
            Matrix("W_O", "attention", d, d),
            *gate,
            Matrix("W_up", "mlp", d, ff),
            Matrix("W_down", "mlp", ff, d),
        )


def checked_layer(layer: object) -> DecoderLayer:
    """``layer`` if it is a :class:`DecoderLayer` (validated when it was made).

    >>> checked_layer({"d_model": 4096, "n_heads": 32, "d_ff": 16384})
    Traceback (most recent call last):
    ...
    ValueError: layer must be a DecoderLayer, not {'d_model': 4096, 'n_heads': 32, 'd_ff': 16384}
    """
    if not isinstance(layer, DecoderLayer):
        raise ValueError(f"layer must be a DecoderLayer, not {layer!r}")
    return layer


def _matrices(layer: DecoderLayer, block: Block | None) -> tuple[Matrix, ...]:
    return tuple(m for m in checked_layer(layer).matrices() if block is None or m.block == block)


def matrix_params(*, layer: DecoderLayer, block: Block | None = None, bias: bool = False) -> int:
    """Weights (and biases) of the layer's matrices, of one block or all.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> matrix_params(layer=layer, block="attention")  # 4 x 4096 x 4096
    67108864
    >>> matrix_params(layer=layer, block="mlp")  # 2 x 4096 x 16384
    134217728
    >>> matrix_params(layer=layer, block="mlp", bias=True)  # + 16384 + 4096
    134238208
    """
    boolean("bias", bias)
    if block is not None:
        one_of("block", block, ("attention", "mlp"))
    return sum(
        m.in_features * m.out_features + (m.out_features if bias else 0)
        for m in _matrices(layer, block)
    )


def norm_params(*, layer: DecoderLayer, norms: str = "none") -> int:
    """Parameters of the layer's two normalisations (0 unless they are counted).

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> norm_params(layer=layer), norm_params(layer=layer, norms="layernorm")
    (0, 16384)
    """
    one_of("norms", norms, tuple(NORM_PARAMS_PER_D_MODEL))
    return NORM_PARAMS_PER_D_MODEL[norms] * checked_layer(layer).d_model


def layer_params(*, layer: DecoderLayer, bias: bool = False, norms: str = "none") -> int:
    """All parameters of the layer under the counting conventions.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> layer_params(layer=layer)  # 4 x 4096² + 2 x 4096 x 16384 = 12 x 4096²
    201326592
    """
    return matrix_params(layer=layer, bias=bias) + norm_params(layer=layer, norms=norms)


def matrix_flops(
    *,
    layer: DecoderLayer,
    tokens: int = 1,
    block: Block | None = None,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
    bias: bool = False,
) -> int:
    """FLOPs of applying the layer's matrices (one block or all) to ``tokens`` tokens.

    The cost is linear in ``tokens``: the prefill of a prompt of L tokens costs L times the
    cost per token, and a decode step for a batch of B sequences (one token each) B times.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> matrix_flops(layer=layer, block="attention")  # 2 x 4 x 4096²
    134217728
    >>> matrix_flops(layer=layer, block="mlp")  # 2 x 2 x 4096 x 16384
    268435456
    >>> matrix_flops(layer=layer, tokens=2048)  # a prompt of 2048 tokens
    824633720832
    """
    positive_int("tokens", tokens)
    one_of("flops_per_mac", flops_per_mac, (1, 2))
    one_of("dot_product_ops", dot_product_ops, ("2k", "2k-1"))
    boolean("bias", bias)
    if block is not None:
        one_of("block", block, ("attention", "mlp"))
    return sum(
        linear_flops(
            tokens=tokens,
            in_features=m.in_features,
            out_features=m.out_features,
            flops_per_mac=flops_per_mac,
            dot_product_ops=dot_product_ops,
            bias=bias,
        )
        for m in _matrices(layer, block)
    )


def cached_attention_flops(
    *,
    layer: DecoderLayer,
    context: int,
    flops_per_mac: int = 2,
    dot_product_ops: str = "2k",
) -> int:
    """FLOPs of one new query attending to ``context`` cached tokens (one sequence).

    Per head: scores (1 x d_head)(d_head x context), then the weighted sum of the values
    (1 x context)(context x d_head). With grouped KV heads every query head still does both.

    >>> layer = DecoderLayer(d_model=4096, n_heads=32, d_ff=16384)
    >>> cached_attention_flops(layer=layer, context=2048)  # 2 x 2 x 2048 x 4096
    33554432
    """
    positive_int("context", context)
    one_of("flops_per_mac", flops_per_mac, (1, 2))
    one_of("dot_product_ops", dot_product_ops, ("2k", "2k-1"))
    d_head = checked_layer(layer).d_head
    scores = matmul_flops(
        m=1, n=context, k=d_head, flops_per_mac=flops_per_mac, dot_product_ops=dot_product_ops
    )
    weighted_sum = matmul_flops(
        m=1, n=d_head, k=context, flops_per_mac=flops_per_mac, dot_product_ops=dot_product_ops
    )
    return layer.n_heads * (scores + weighted_sum)
