"""The worked steps of sheet llm-inference-1, questions 1-3 (parameters, KV cache, FLOPs).

``Sheet`` reads the givens once and holds the counts several parts share; each ``*_steps``
function writes the steps of one question: its formula in the sheet's symbols, the formula
with the numbers substituted, the value from the topic modules, and the unit. Questions 4-6
(the roofline) are in ``llm_inference_1_roofline``.
"""

from __future__ import annotations

import re
from typing import TypedDict

from reference import decoder_layer as layers
from reference import kv_cache, llm_inference
from reference.conventions import Conventions
from reference.decoder_layer import DecoderLayer
from reference.solution import Givens, Step
from reference.solution import format_number as fmt


class _Counting(TypedDict):
    """How FLOPs are counted: the keyword arguments every FLOP formula takes."""

    flops_per_mac: int
    dot_product_ops: str
    bias: bool


class Sheet:
    """The givens and conventions of one solve, and the counts several steps share.

    Attributes:
        weights: elements of the layer's matrices (and biases, when counted).
        activations: elements each token reads and writes through the matrices (0 when the
            conventions count weights only).
        cached_flops: FLOPs of one new query against the cache of one sequence.
    """

    def __init__(self, g: Givens, cv: Conventions) -> None:
        self.cv = cv
        self.layer = DecoderLayer(
            d_model=int(g["layer.d_model"]),
            n_heads=int(g["layer.n_heads"]),
            d_ff=int(g["layer.d_ff"]),
        )
        self.d, self.h, self.ff = self.layer.d_model, self.layer.n_heads, self.layer.d_ff
        self.n_layers = int(g["model.n_layers"])
        self.context, self.batch = int(g["inference.context"]), int(g["inference.batch"])
        self.bpe = cv.bytes_per_element or int(g["bytes_per_element"])
        self.peak, self.bandwidth = float(g["gpu.peak"]), float(g["gpu.bandwidth"])
        self.counting = _Counting(
            flops_per_mac=cv.flops_per_mac, dot_product_ops=cv.dot_product_ops, bias=cv.bias
        )
        self.weights = layers.matrix_params(layer=self.layer, bias=cv.bias)
        per_token = llm_inference.activation_elements_per_token(
            layer=self.layer, qkv_byte_model=cv.qkv_byte_model
        )
        self.activations = per_token if cv.activation_bytes else 0
        self.cached_flops = layers.cached_attention_flops(
            layer=self.layer,
            context=self.context,
            flops_per_mac=cv.flops_per_mac,
            dot_product_ops=cv.dot_product_ops,
        )

    def flops(self, *, tokens: int = 1, block: layers.Block | None = None) -> int:
        return layers.matrix_flops(layer=self.layer, tokens=tokens, block=block, **self.counting)

    def intensity(self, tokens: int) -> float:
        return llm_inference.matrix_intensity(
            layer=self.layer,
            tokens=tokens,
            bytes_per_element=self.bpe,
            activation_bytes=self.cv.activation_bytes,
            qkv_byte_model=self.cv.qkv_byte_model,
            **self.counting,
        )


_SYMBOL = re.compile(r"\b(d_ff|d_head|d|h|L|bytes)\b")  # the symbols these formulas use


def _texts(s: Sheet, formula: str, note: str = "") -> tuple[str, str]:
    """A formula in the sheet's symbols (with a note), and the formula with the numbers put in
    (plain arithmetic, so that it can be checked against the value)."""
    values = {
        "d_ff": s.ff,
        "d_head": s.layer.d_head,
        "d": s.d,
        "h": s.h,
        "L": s.context,
        "bytes": s.bpe,
    }
    numbers = _SYMBOL.sub(lambda match: str(values[match.group(1)]), formula)
    return f"{formula} {note}".strip(), numbers


def _flops_formula(s: Sheet, block: layers.Block) -> str:
    """FLOPs per token of one block in the sheet's symbols, under the conventions."""
    f, attention = s.cv.flops_per_mac, block == "attention"
    if s.cv.dot_product_ops == "2k-1":  # out x (f x in - 1) per matrix
        text = (
            f"4 × d × ({f} × d − 1)"
            if attention
            else f"d_ff × ({f} × d − 1) + d × ({f} × d_ff − 1)"
        )
    else:
        text = f"{f} × 4 × d × d" if attention else f"{f} × 2 × d × d_ff"
    if s.cv.bias:  # one addition per output
        text += " + 4 × d" if attention else " + d_ff + d"
    return text


def parameter_steps(s: Sheet) -> list[Step]:
    """q1: parameters of the attention projections and of the MLP, the layer's weight bytes."""
    cv = s.cv
    attention = layers.matrix_params(layer=s.layer, block="attention", bias=cv.bias)
    mlp = layers.matrix_params(layer=s.layer, block="mlp", bias=cv.bias)
    norms = layers.norm_params(layer=s.layer, norms=cv.norms)
    total = f"({fmt(attention)} + {fmt(mlp)}" + (f" + {fmt(norms)}" if norms else "")
    return [
        Step(
            "q1.a",
            *_texts(s, "4 × d × d" + (" + 4 × d" if cv.bias else "")),
            attention,
            "parameters",
        ),
        Step(
            "q1.b",
            *_texts(s, "2 × d × d_ff" + (" + d_ff + d" if cv.bias else "")),
            mlp,
            "parameters",
        ),
        Step(
            "q1.c",
            "(q1.a + q1.b" + (f" + {cv.norms} gains and biases" if norms else "") + ") × bytes",
            f"{total}) × {s.bpe}",
            (attention + mlp + norms) * s.bpe,
            "byte",
        ),
    ]


def kv_steps(s: Sheet) -> list[Step]:
    """q2: KV-cache bytes per token, for one sequence's context, for the batch (one layer)."""
    per_token = kv_cache.kv_bytes_per_token(layer=s.layer, bytes_per_element=s.bpe)
    return [
        Step(
            "q2.a", *_texts(s, "2 × h × d_head × bytes", "(a key and a value)"), per_token, "byte"
        ),
        Step(
            "q2.b",
            "L × q2.a",
            f"{s.context} × {fmt(per_token)}",
            kv_cache.kv_cache_bytes(layer=s.layer, context=s.context, bytes_per_element=s.bpe),
            "byte",
        ),
        Step(
            "q2.c",
            "b × L × q2.a",
            f"{s.batch} × {s.context} × {fmt(per_token)}",
            kv_cache.kv_cache_bytes(
                layer=s.layer, context=s.context, batch=s.batch, bytes_per_element=s.bpe
            ),
            "byte",
        ),
    ]


def flop_steps(s: Sheet) -> list[Step]:
    """q3: FLOPs per token of the projections and the MLP, of a prefill and a decode step, and
    of one new token's attention against the cache."""
    attention, mlp = s.flops(block="attention"), s.flops(block="mlp")
    f = s.cv.flops_per_mac
    cached = (
        "h × L × (2 × d_head − 1) + h × d_head × (2 × L − 1)"
        if s.cv.dot_product_ops == "2k-1"
        else f"{f} × L × d + {f} × L × d"
    )
    both = f"({fmt(attention)} + {fmt(mlp)})"
    return [
        Step("q3.a", *_texts(s, _flops_formula(s, "attention")), attention, "FLOP"),
        Step("q3.b", *_texts(s, _flops_formula(s, "mlp")), mlp, "FLOP"),
        Step(
            "q3.c", "L × (q3.a + q3.b)", f"{s.context} × {both}", s.flops(tokens=s.context), "FLOP"
        ),
        Step("q3.d", "b × (q3.a + q3.b)", f"{s.batch} × {both}", s.flops(tokens=s.batch), "FLOP"),
        Step(
            "q3.e",
            *_texts(s, cached, "(scores, then the weighted sum of values)"),
            s.cached_flops,
            "FLOP",
        ),
    ]
