"""Sheet llm-inference-1, "LLM Inference on a Roofline": every part's answer.

The formulas live in the topic modules (``decoder_layer``, ``kv_cache``, ``llm_inference``,
``roofline``); this module wires the sheet's givens into them and writes each step out. The
byte model (what "bytes moved" and "bytes read" count) is the one of ``llm_inference``.
Symbols as on the sheet: d model width, h heads, d_head = d / h, d_ff MLP width, L context
length, b batch size (lower case: students write B for bytes), N layers of the model, bytes =
bytes per element. Rates are in base units: FLOP/s and byte/s.

The default givens are the layer shape of GPT-3 6.7B (d = 4096, 32 heads of 128, d_ff = 4d, 32
layers, a context of 2048): a real model whose numbers stay readable (4 d² is 2^26, the layer's
weights are 12 d²). The batch is 16, not 1, so that forgetting the batch shows in the KV-cache
bytes and the decode intensity differs from the matrix-vector one, and 16 is no power of the
2-byte element size's kin (4, 8) that a generic slip (x4, x8) would also produce. The GPU is an
NVIDIA A100 80GB SXM (``reference.devices``): 312 TFLOP/s dense FP16 Tensor Core, 2,039 GB/s,
a ridge of 153 FLOP/byte, so decode at b = 16 is memory-bound, prefill compute-bound, and the
turning batch (163) is a real computation, not the ridge rounded up.
"""

from __future__ import annotations

import math

from reference.conventions import Conventions
from reference.solution import Givens, Solution
from sheets.llm_inference_1 import counts, roofline_steps

ASSIGNMENT = "llm-inference-1"

GIVEN_TYPES: dict[str, type] = {
    "layer.d_model": int,
    "layer.n_heads": int,
    "layer.d_ff": int,
    "model.n_layers": int,
    "inference.context": int,
    "inference.batch": int,
    "bytes_per_element": int,
    "gpu.peak": float,
    "gpu.bandwidth": float,
}

SHEET_GIVENS: dict[str, int | float | str] = {
    "layer.d_model": 4096,
    "layer.n_heads": 32,
    "layer.d_ff": 16384,
    "model.n_layers": 32,
    "inference.context": 2048,
    "inference.batch": 16,
    "bytes_per_element": 2,
    "gpu.peak": 312e12,
    "gpu.bandwidth": 2039e9,
}
"""The sheet's givens, for doctests and the tests' hand derivations."""


def solve(givens: Givens, conventions: Conventions) -> Solution:
    """Every part of llm-inference-1 for these givens and conventions.

    >>> answers = solve(SHEET_GIVENS, Conventions()).answers
    >>> answers["q2.a"], answers["q5.b"], answers["q5.c"], answers["q5.d"]
    (16384, 'memory-bound', 'compute-bound', 163)
    """
    check_givens(givens)
    sheet = counts.Sheet(givens, conventions)
    worked = [
        *counts.parameter_steps(sheet),
        *counts.kv_steps(sheet),
        *counts.flop_steps(sheet),
        *roofline_steps.intensity_steps(sheet),
        *roofline_steps.device_steps(sheet),
        *roofline_steps.time_steps(sheet),
    ]
    return Solution(ASSIGNMENT, dict(givens), conventions, tuple(worked))


def check_givens(givens: Givens) -> None:
    """Raise ``ValueError`` naming the first missing or mistyped given."""
    missing = sorted(set(GIVEN_TYPES) - set(givens))
    if missing:
        raise ValueError(f"missing givens: {', '.join(missing)}")
    for name, kind in GIVEN_TYPES.items():
        value = givens[name]
        if isinstance(value, bool):
            raise ValueError(f"given {name} must be a number, not {value!r}")
        if kind is int and not (isinstance(value, int) and value > 0):
            raise ValueError(f"given {name} must be a positive whole number, not {value!r}")
        if kind is float and not (isinstance(value, int | float) and 0 < value < math.inf):
            raise ValueError(f"given {name} must be a positive number, not {value!r}")
