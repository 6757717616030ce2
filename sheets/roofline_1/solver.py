"""Sheet roofline-1, "Performance Modeling and Roofline Analysis": every part's answer.

The formulas live in the topic modules (``conv``, ``attention``, ``softmax``, ``masking``,
``memory``, ``roofline``); this module only wires the sheet's givens into them and writes each
step out. Symbols as on the sheet: C channels, H x W input, K kernel, L sequence length,
d model dimension. Rates are in base units: FLOP/s and byte/s.
"""

from __future__ import annotations

from reference import attention, conv, masking, memory, roofline, softmax
from reference.conventions import Conventions
from reference.solution import Givens, Solution, Step
from reference.solution import format_number as fmt

ASSIGNMENT = "roofline-1"

GIVEN_TYPES: dict[str, type] = {
    "conv.channels": int,
    "conv.height": int,
    "conv.width": int,
    "conv.kernel": int,
    "conv.stride": int,
    "conv.padding": str,
    "attention.seq_len": int,
    "attention.d_model": int,
    "bytes_per_element": int,
    "gpu.bandwidth": float,
    "gpu.peak": float,
    "pim.bandwidth": float,
    "pim.peak": float,
}

SHEET_GIVENS: dict[str, int | float | str] = {
    "conv.channels": 32,
    "conv.height": 56,
    "conv.width": 56,
    "conv.kernel": 3,
    "conv.stride": 1,
    "conv.padding": "same",
    "attention.seq_len": 64,
    "attention.d_model": 128,
    "bytes_per_element": 4,
    "gpu.bandwidth": 800e9,
    "gpu.peak": 200e12,
    "pim.bandwidth": 6000e9,
    "pim.peak": 20e12,
}
"""The sheet's givens, for doctests and the tests' hand derivations; the grader reads its
own copy from the assignment file."""


def _padding(givens: Givens) -> str | int:
    text = str(givens["conv.padding"])
    return int(text) if text.isdigit() else text


def _conv_steps(g: Givens, cv: Conventions) -> tuple[list[Step], dict[str, int]]:
    c, h, w, k = (int(g[f"conv.{n}"]) for n in ("channels", "height", "width", "kernel"))
    stride, padding = int(g["conv.stride"]), _padding(g)
    out_h = conv.conv_output_size(size=h, kernel=k, stride=stride, padding=padding)
    out_w = conv.conv_output_size(size=w, kernel=k, stride=stride, padding=padding)
    params = conv.conv_params(in_channels=c, out_channels=c, kernel=k, groups=c, bias=cv.bias)
    flops = conv.conv_flops(
        in_channels=c,
        out_channels=c,
        height=h,
        width=w,
        kernel=k,
        stride=stride,
        padding=padding,
        groups=c,
        padding_count=cv.padding_count,
        flops_per_mac=cv.flops_per_mac,
        dot_product_ops=cv.dot_product_ops,
        bias=cv.bias,
    )
    bias_note = " + C (bias)" if cv.bias else ""
    steps = [
        Step(
            "q1.a",
            f"C × K × K{bias_note}",
            f"{c} × {k} × {k}{' + ' + str(c) if cv.bias else ''}",
            params,
            "parameters",
        ),
        Step(
            "q1.b",
            _conv_text("H_out", "W_out", "K", "C", cv),
            _conv_text(out_h, out_w, k, c, cv),
            flops,
            "FLOP",
        ),
    ]
    return steps, {"params": params, "flops": flops, "out_h": out_h, "out_w": out_w}


def _conv_text(out_h: object, out_w: object, k: object, c: object, cv: Conventions) -> str:
    """Depthwise convolution FLOPs as text (exact padding is described, not expanded)."""
    f = cv.flops_per_mac
    if cv.dot_product_ops == "2k-1":
        text = f"{out_h} × {out_w} × {c} × ({f} × {k} × {k} − 1)"
    else:
        text = f"{f} × {out_h} × {out_w} × {k} × {k} × {c}"
    if cv.bias:
        text += f" + {out_h} × {out_w} × {c}"
    if cv.padding_count == "exact":
        text += " (only taps on real input)"
    return text


def matmul_text(m: object, n: object, k: object, cv: Conventions, *, count: int = 1) -> str:
    """FLOPs of ``count`` (m x k)(k x n) products as text, e.g. ``2 × 64 × 128 × 128``.

    >>> matmul_text("L", "d", "d", Conventions(dot_product_ops="2k-1", bias=True), count=3)
    '3 × (L × d × (2 × d − 1) + L × d)'
    """
    f = cv.flops_per_mac
    text = (
        f"{m} × {n} × ({f} × {k} − 1)" if cv.dot_product_ops == "2k-1" else f"{f} × {m} × {n} × {k}"
    )
    if cv.bias:
        text += f" + {m} × {n}"
    if count == 1:
        return text
    return f"{count} × ({text})" if "+" in text else f"{count} × {text}"


def _attention_steps(g: Givens, cv: Conventions) -> tuple[list[Step], dict[str, int]]:
    seq, d = int(g["attention.seq_len"]), int(g["attention.d_model"])
    f, dot = cv.flops_per_mac, cv.dot_product_ops
    one_projection = attention.projection_flops(
        seq_len=seq, d_model=d, flops_per_mac=f, dot_product_ops=dot, bias=cv.bias
    )
    scores = attention.attention_scores_flops(
        seq_len=seq, d_model=d, flops_per_mac=f, dot_product_ops=dot
    )
    aggregation = attention.value_aggregation_flops(
        seq_len=seq, d_model=d, flops_per_mac=f, dot_product_ops=dot
    )
    bias = " + 4 × d" if cv.bias else ""
    no_bias = cv.replace(bias=False)
    steps = [
        Step(
            "q2.a",
            f"4 × d × d{bias}",
            f"4 × {d} × {d}{bias.replace('d', str(d))}",
            attention.attention_weight_params(d_model=d, bias=cv.bias),
            "parameters",
        ),
        Step(
            "q2.b.qkv_projections",
            matmul_text("L", "d", "d", cv, count=3),
            matmul_text(seq, d, d, cv, count=3),
            3 * one_projection,
            "FLOP",
        ),
        Step(
            "q2.b.attention_scores",
            matmul_text("L", "L", "d", no_bias),
            matmul_text(seq, seq, d, no_bias),
            scores,
            "FLOP",
        ),
        Step(
            "q2.b.scaling",
            "L × L (one multiply per score)",
            f"{seq} × {seq}",
            attention.scaling_flops(seq_len=seq),
            "FLOP",
        ),
        Step(
            "q2.b.value_aggregation",
            matmul_text("L", "d", "L", no_bias),
            matmul_text(seq, d, seq, no_bias),
            aggregation,
            "FLOP",
        ),
        Step(
            "q2.b.output_projection",
            matmul_text("L", "d", "d", cv),
            matmul_text(seq, d, d, cv),
            one_projection,
            "FLOP",
        ),
    ]
    return steps, {"one_projection": one_projection, "seq": seq, "d": d}


def _softmax_and_masking_steps(seq: int, cv: Conventions) -> list[Step]:
    counts = softmax.softmax_op_counts(
        n=seq,
        model=cv.softmax_model,
        row_additions=cv.softmax_row_additions,
        row_maximum=cv.softmax_row_maximum,
    )
    adds = "L − 1" if cv.softmax_row_additions == "n-1" else "L"
    comparisons = "L − 1" if cv.softmax_row_maximum == "n-1" else "L"
    per_row = {"max": comparisons, "sub": "L", "exp": "L", "add": adds, "div": "L"}
    formula = ", ".join(f"{op} L × {_parenthesise(per_row[op])}" for op in counts)
    substitution = ", ".join(f"{op} {fmt(n)}" for op, n in counts.items())
    full = masking.scores_computed(seq_len=seq)  # the full mask is the default
    causal = masking.scores_computed(seq_len=seq, mask="causal", causal_diagonal=cv.causal_diagonal)
    causal_formula = "L × (L + 1) / 2" if cv.causal_diagonal else "L × (L − 1) / 2"
    sign = "+" if cv.causal_diagonal else "−"
    return [
        Step("q2.c", formula, substitution, counts, "operations"),
        Step("q2.d.full_scores", "L × L", f"{seq} × {seq}", full, "scores"),
        Step(
            "q2.d.causal_scores", causal_formula, f"{seq} × ({seq} {sign} 1) / 2", causal, "scores"
        ),
        Step(
            "q2.d.full_complexity",
            "L² scores",
            "quadratic in L",
            masking.scores_growth(mask="full"),
        ),
        Step(
            "q2.d.causal_complexity",
            "L²/2 + L/2 scores",
            "still quadratic in L",
            masking.scores_growth(mask="causal"),
        ),
    ]


def _parenthesise(term: str) -> str:
    return f"({term})" if " " in term else term


def _device_steps(g: Givens, question: str, device: str) -> tuple[list[Step], float]:
    peak, bandwidth = float(g[f"{device}.peak"]), float(g[f"{device}.bandwidth"])
    ridge = roofline.ridge_point(peak=peak, bandwidth=bandwidth)
    name = device.upper()
    steps = [
        Step(
            f"{question}.a",
            "peak / bandwidth",
            f"{fmt(peak / 1e12)} TFLOP/s / {fmt(bandwidth / 1e9)} GB/s",
            ridge,
            "FLOP/byte",
        ),
        Step(
            f"{question}.b",
            f"sketch: {name} roofline, min(peak, AI × bandwidth)",
            f"bandwidth slope below {fmt(ridge)} FLOP/byte (memory-bound), "
            f"flat roof at {fmt(peak / 1e12)} TFLOP/s above it (compute-bound)",
            None,
        ),
    ]
    return steps, ridge


def _placement_steps(
    g: Givens, cv: Conventions, conv_facts: dict[str, int], attn: dict[str, int]
) -> list[Step]:
    bpe = cv.bytes_per_element or int(g["bytes_per_element"])
    c, h, w = (int(g[f"conv.{n}"]) for n in ("channels", "height", "width"))
    conv_bytes = memory.conv_bytes(
        in_channels=c,
        out_channels=c,
        height=h,
        width=w,
        out_height=conv_facts["out_h"],
        out_width=conv_facts["out_w"],
        weight_params=conv_facts["params"],
        bytes_per_element=bpe,
    )
    conv_ai = memory.arithmetic_intensity(flops=conv_facts["flops"], bytes_moved=conv_bytes)
    seq, d, model = attn["seq"], attn["d"], cv.qkv_byte_model
    qkv_bytes = memory.projection_bytes(
        seq_len=seq, d_model=d, model=model, bytes_per_element=bpe, bias=cv.bias
    )
    projections = memory.projections_in_byte_model(model)
    qkv_ai = memory.arithmetic_intensity(
        flops=projections * attn["one_projection"], bytes_moved=qkv_bytes
    )
    weights = "d × d + d" if cv.bias else "d × d"
    qkv_bytes_formula = {
        "per_projection": f"(L × d + {weights} + L × d) × bytes",
        "three_separate": f"3 × (L × d + {weights} + L × d) × bytes",
        "fused": f"(L × d + 3 × ({weights}) + 3 × L × d) × bytes",
    }[model]
    steps = [
        Step(
            "q5.conv.bytes",
            "(C × H × W + params + C × H_out × W_out) × bytes",
            f"({c} × {h} × {w} + {conv_facts['params']} + {c} × {conv_facts['out_h']} × "
            f"{conv_facts['out_w']}) × {bpe}",
            conv_bytes,
            "byte",
        ),
        Step(
            "q5.conv.intensity",
            "FLOPs (q1.b) / bytes",
            f"{fmt(conv_facts['flops'])} / {fmt(conv_bytes)}",
            conv_ai,
            "FLOP/byte",
        ),
    ]
    steps += _verdict_steps(g, cv, "q5.conv", conv_ai)
    steps += [
        Step(
            "q5.qkv.bytes",
            f"{qkv_bytes_formula} ({model.replace('_', ' ')})",
            f"{qkv_bytes_formula.replace('L', str(seq)).replace('d', str(d))}".replace(
                "bytes", str(bpe)
            ),
            qkv_bytes,
            "byte",
        ),
        Step(
            "q5.qkv.intensity",
            f"FLOPs of {projections} projection(s) / bytes",
            f"{fmt(projections * attn['one_projection'])} / {fmt(qkv_bytes)}",
            qkv_ai,
            "FLOP/byte",
        ),
    ]
    steps += _verdict_steps(g, cv, "q5.qkv", qkv_ai)
    steps.append(
        Step(
            "q5.explanation",
            "intensity vs each device's turning point",
            "below the ridge: memory-bound; above it: compute-bound",
            None,
        )
    )
    return steps


def _verdict_steps(g: Givens, cv: Conventions, prefix: str, intensity: float) -> list[Step]:
    steps = []
    for device in ("gpu", "pim"):
        peak, bandwidth = float(g[f"{device}.peak"]), float(g[f"{device}.bandwidth"])
        ridge = roofline.ridge_point(peak=peak, bandwidth=bandwidth)
        verdict = roofline.bound_verdict(
            intensity=intensity, peak=peak, bandwidth=bandwidth, tie_rule=cv.tie_rule
        )
        relation = "<" if intensity < ridge else "=" if intensity == ridge else ">"
        steps.append(
            Step(
                f"{prefix}.{device}",
                "intensity vs ridge point",
                f"{fmt(intensity)} {relation} {fmt(ridge)}",
                verdict,
            )
        )
    return steps


def solve(givens: Givens, conventions: Conventions) -> Solution:
    """Every part of roofline-1 for these givens and conventions.

    >>> answers = solve(SHEET_GIVENS, Conventions()).answers
    >>> answers["q1.b"], answers["q5.qkv.intensity"], answers["q5.qkv.pim"]
    (1806336, 16.0, 'compute-bound')
    """
    check_givens(givens)
    conv_steps, conv_facts = _conv_steps(givens, conventions)
    attention_steps, attn = _attention_steps(givens, conventions)
    gpu_steps, _ = _device_steps(givens, "q3", "gpu")
    pim_steps, _ = _device_steps(givens, "q4", "pim")
    steps = [
        *conv_steps,
        *attention_steps,
        *_softmax_and_masking_steps(attn["seq"], conventions),
        *gpu_steps,
        *pim_steps,
        *_placement_steps(givens, conventions, conv_facts, attn),
        Step(
            "q6.advantages",
            "at least two advantages of attention over recurrence",
            "parallel training; constant path length for long-range dependencies; "
            "large matrix products that use the hardware well",
            None,
        ),
    ]
    return Solution(ASSIGNMENT, dict(givens), conventions, tuple(steps))


def check_givens(givens: Givens) -> None:
    """Raise ``ValueError`` naming every missing or mistyped given."""
    missing = sorted(set(GIVEN_TYPES) - set(givens))
    if missing:
        raise ValueError(f"missing givens: {', '.join(missing)}")
    padding = str(givens["conv.padding"])
    if padding not in ("same", "valid") and not padding.isdigit():
        raise ValueError(f"given conv.padding must be same, valid or an integer, not {padding!r}")
    for name, kind in GIVEN_TYPES.items():
        value = givens[name]
        if isinstance(value, bool):
            raise ValueError(f"given {name} must be a number, not {value!r}")
        if kind is int and not (isinstance(value, int) and value > 0):
            raise ValueError(f"given {name} must be a positive integer, not {value!r}")
        if kind is float and not (isinstance(value, int | float) and value > 0):
            raise ValueError(f"given {name} must be a positive number, not {value!r}")
