"""The worked steps of sheet llm-inference-1, part by part, from its givens and conventions.

``Sheet`` reads the givens once and holds the counts several parts share; each ``*_steps``
function writes the steps of one question: its formula in the sheet's symbols, the formula
with the numbers substituted, the value from the topic modules, and the unit.
"""

from __future__ import annotations

import re

from reference import decoder_layer as layers
from reference import kv_cache, llm_inference, roofline
from reference.conventions import Conventions
from reference.decoder_layer import DecoderLayer
from reference.solution import Givens, Step
from reference.solution import format_number as fmt


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
        return layers.matrix_flops(
            layer=self.layer,
            tokens=tokens,
            block=block,
            flops_per_mac=self.cv.flops_per_mac,
            dot_product_ops=self.cv.dot_product_ops,
            bias=self.cv.bias,
        )

    def intensity(self, tokens: int) -> float:
        return llm_inference.matrix_intensity(
            layer=self.layer,
            tokens=tokens,
            bytes_per_element=self.bpe,
            flops_per_mac=self.cv.flops_per_mac,
            dot_product_ops=self.cv.dot_product_ops,
            bias=self.cv.bias,
            activation_bytes=self.cv.activation_bytes,
            qkv_byte_model=self.cv.qkv_byte_model,
        )


_SYMBOL = re.compile(r"\b(d_ff|d_head|d|h|L|b|N|bytes)\b")


def _texts(s: Sheet, formula: str, note: str = "") -> tuple[str, str]:
    """A formula in the sheet's symbols (with a note), and the formula with the numbers put in
    (plain arithmetic, so that it can be checked against the value)."""
    values = {
        "d_ff": s.ff,
        "d_head": s.layer.d_head,
        "d": s.d,
        "h": s.h,
        "L": s.context,
        "b": s.batch,
        "N": s.n_layers,
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


def intensity_steps(s: Sheet) -> list[Step]:
    """q4: intensity of the matrix products in decode (batch 1 and b) and prefill, and of
    attention against the cache."""
    w, a, per_token = fmt(s.weights), fmt(s.activations), fmt(s.flops())
    steps = []
    for part, tokens, symbol in (("q4.a", 1, ""), ("q4.b", s.batch, "b"), ("q4.c", s.context, "L")):
        count = f"{symbol} × " if symbol else ""
        if s.activations:
            formula = f"{count}(q3.a + q3.b) / ((W + {count}A) × bytes), W weights, A activations"
            numbers = f"{tokens} × {per_token} / (({w} + {tokens} × {a}) × {s.bpe})"
        else:
            formula = f"{count}(q3.a + q3.b) / (W × bytes), W weights"
            numbers = f"{tokens} × {per_token} / ({w} × {s.bpe})"
        steps.append(Step(part, formula, numbers, s.intensity(tokens), "FLOP/byte"))
    counted = s.cv.activation_bytes
    cache_bytes = llm_inference.cached_attention_bytes(
        layer=s.layer, context=s.context, bytes_per_element=s.bpe, activation_bytes=counted
    )
    formula = "q3.e / ((2 × L × d" + (" + 2 × d" if counted else "") + ") × bytes)"
    numbers = f"{fmt(s.cached_flops)} / {fmt(cache_bytes)}"
    steps.append(Step("q4.d", formula, numbers, s.cached_flops / cache_bytes, "FLOP/byte"))
    return steps


def device_steps(s: Sheet) -> list[Step]:
    """q5: the GPU's ridge point, the verdicts of decode (batch b) and prefill, the turning
    batch."""
    ridge = roofline.ridge_point(peak=s.peak, bandwidth=s.bandwidth)
    batch = llm_inference.critical_batch(
        layer=s.layer,
        peak=s.peak,
        bandwidth=s.bandwidth,
        bytes_per_element=s.bpe,
        tie_rule=s.cv.tie_rule,
        flops_per_mac=s.cv.flops_per_mac,
        dot_product_ops=s.cv.dot_product_ops,
        bias=s.cv.bias,
        activation_bytes=s.cv.activation_bytes,
        qkv_byte_model=s.cv.qkv_byte_model,
    )
    gain = s.flops() - ridge * s.bpe * s.activations
    threshold = ridge * s.bpe * s.weights / gain
    minus = f" − {fmt(ridge)} × {s.bpe} × {fmt(s.activations)}" if s.activations else ""
    steps = [
        Step(
            "q5.a",
            "peak / bandwidth",
            f"{fmt(s.peak / 1e12)} TFLOP/s / {fmt(s.bandwidth / 1e9)} GB/s",
            ridge,
            "FLOP/byte",
        )
    ]
    for part, intensity in (("q5.b", s.intensity(s.batch)), ("q5.c", s.intensity(s.context))):
        relation = "<" if intensity < ridge else "=" if intensity == ridge else ">"
        verdict = roofline.bound_verdict(
            intensity=intensity, peak=s.peak, bandwidth=s.bandwidth, tie_rule=s.cv.tie_rule
        )
        steps.append(
            Step(
                part,
                "intensity vs ridge point",
                f"{fmt(intensity)} {relation} {fmt(ridge)}",
                verdict,
            )
        )
    # At an exact tie the compute rule takes the threshold itself, the memory rule the next b.
    open_, close = ("⌈", "⌉") if s.cv.tie_rule == "compute" else ("⌊", "⌋ + 1")
    reached = "≥" if s.cv.tie_rule == "compute" else ">"
    steps.append(
        Step(
            "q5.d",
            f"smallest whole b with b × (q3.a + q3.b) / ((W + b × A) × bytes) {reached} q5.a, "
            f"so b = {open_}q5.a × bytes × W / (q3.a + q3.b − q5.a × bytes × A){close}",
            f"{open_}{fmt(ridge)} × {s.bpe} × {fmt(s.weights)} / ({fmt(s.flops())}{minus})"
            f"{close} = {open_}{fmt(threshold)}{close}",
            batch,
            "sequences",
        )
    )
    return steps


def time_steps(s: Sheet) -> list[Step]:
    """q6: bytes a decode step must read, the time bound per generated token (one layer, the
    model), and the explanation a person grades."""
    read = llm_inference.decode_read_bytes(
        layer=s.layer,
        context=s.context,
        batch=s.batch,
        bytes_per_element=s.bpe,
        bias=s.cv.bias,
        norms=s.cv.norms,
    )
    weights = read - kv_cache.kv_cache_bytes(
        layer=s.layer, context=s.context, batch=s.batch, bytes_per_element=s.bpe
    )
    layer_time = read / s.bandwidth
    return [
        Step(
            "q6.a",
            "q1.c (weights, read once) + q2.c (every sequence's cache)",
            f"{fmt(weights)} + {fmt(read - weights)}",
            read,
            "byte",
        ),
        Step(
            "q6.b",
            "q6.a / bandwidth",
            f"{fmt(read)} B / {fmt(s.bandwidth / 1e9)} GB/s = {fmt(layer_time * 1e6)} µs",
            layer_time,
            "s",
        ),
        Step(
            "q6.c",
            "N × q6.b",
            f"{s.n_layers} × {fmt(layer_time * 1e6)} µs = {fmt(s.n_layers * layer_time * 1e3)} ms",
            s.n_layers * layer_time,
            "s",
        ),
        Step(
            "q6.d",
            "why batching helps the matrix products but not attention against the cache",
            "the weights are read once per step for all b tokens, so FLOP/byte grows with b; "
            "each sequence reads its own cache, so attention stays near 2 / bytes FLOP/byte",
            None,
        ),
    ]
