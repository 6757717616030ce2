"""The worked steps of sheet llm-inference-1, questions 4-6: intensity of decode and prefill,
the GPU's roofline and turning batch, the time bound per generated token.
"""

from __future__ import annotations

from reference import kv_cache, llm_inference, roofline
from reference.solution import Step
from reference.solution import format_number as fmt
from sheets.llm_inference_1.counts import Sheet


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
    batch, and the sketch a person grades."""
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
        ),
    )
    steps.append(
        Step(
            "q5.e",
            "sketch: the roofline, min(peak, intensity × bandwidth), with the operations on it",
            f"slope to the ridge at {fmt(ridge)} FLOP/byte, roof at {fmt(s.peak / 1e12)} TFLOP/s; "
            f"decode at b = 1 and b = {s.batch} on the slope, b = {batch} at the ridge, "
            "prefill under the roof",
            None,
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
    layer_time = llm_inference.min_time_per_token(
        layer=s.layer,
        context=s.context,
        batch=s.batch,
        bytes_per_element=s.bpe,
        bandwidth=s.bandwidth,
        bias=s.cv.bias,
        norms=s.cv.norms,
    )
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
