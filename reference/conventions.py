"""Counting conventions: every place where reasonable people count differently.

Each field has the sheet's default. An alternative answer (MACs instead of FLOPs, biases
counted, the fused byte model ...) is the solver run with one field changed, so the grader
never types an alternative number into a data file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

from reference.arguments import check_choice, check_counts, check_flag

SoftmaxModel = Literal["stable", "basic"]
RowAdditions = Literal["n-1", "n"]
RowMaximum = Literal["n-1", "n"]
PaddingCount = Literal["full", "exact"]
DotProductOps = Literal["2k", "2k-1"]
QkvByteModel = Literal["per_projection", "three_separate", "fused"]
TieRule = Literal["compute", "memory"]
NormParams = Literal["none", "layernorm", "rmsnorm"]


@dataclass(frozen=True)
class Conventions:
    """The named conventions of a solve, with the defaults of the bundled sheets.

    Every default gives the sheets' own answers; a sheet ignores the fields its topics do not
    use (roofline-1 has no decoder layer, so ``norms`` and ``activation_bytes`` never change it).

    Attributes:
        flops_per_mac: FLOPs charged for one multiply-accumulate (2: a multiply and an add).
        bias: whether layers carry a bias (adds parameters and one add per output).
        padding_count: ``full`` charges padded taps as computed (what implicit GEMM does);
            ``exact`` counts only taps that touch real input.
        dot_product_ops: ``2k`` charges 2 FLOPs per MAC; ``2k-1`` drops the first addition of
            each dot product (a dot product of length k has k-1 additions).
        softmax_model: ``stable`` subtracts the row maximum first (max, sub, exp, add, div);
            ``basic`` is exp, add, div.
        softmax_row_additions: additions per row of n scores: ``n-1`` (pairwise sum) or ``n``
            (accumulate from zero).
        softmax_row_maximum: comparisons for the maximum of a row of n scores (stable model):
            ``n-1`` (the first score is the start) or ``n`` (start from minus infinity).
        causal_diagonal: whether the causal mask keeps the diagonal (a token sees itself).
        qkv_byte_model: bytes of the Q/K/V projections: ``per_projection`` (X, one W, one
            output), ``three_separate`` (three times that), ``fused`` (X read once, three W,
            three outputs).
        bytes_per_element: bytes of one tensor element; ``None`` takes the sheet's given
            (``bytes_per_element``, 4 for fp32), a number overrides it (e.g. 1 for the mistake
            of counting elements instead of bytes).
        tie_rule: the verdict when intensity equals the ridge exactly.
        norms: parameters of a decoder layer's two normalisations: ``none`` (not counted,
            the llm-inference-1 default: weight matrices only), ``layernorm`` (gain and bias,
            2 x d_model each), ``rmsnorm`` (gain only, d_model each).
        activation_bytes: whether the bytes moved by a decoder layer's matrix products include
            reading each input vector and writing each output vector (True, the model of both
            sheets) or only reading the weights once (the common "decode intensity is about
            the batch size" approximation).
    """

    flops_per_mac: int = 2
    bias: bool = False
    padding_count: PaddingCount = "full"
    dot_product_ops: DotProductOps = "2k"
    softmax_model: SoftmaxModel = "stable"
    softmax_row_additions: RowAdditions = "n-1"
    softmax_row_maximum: RowMaximum = "n-1"
    causal_diagonal: bool = True
    qkv_byte_model: QkvByteModel = "per_projection"
    bytes_per_element: int | None = None
    tie_rule: TieRule = "compute"
    norms: NormParams = "none"
    activation_bytes: bool = True

    def __post_init__(self) -> None:
        # A misspelt convention must not mean the default: the answer key would change silently.
        check_counts(flops_per_mac=self.flops_per_mac)
        if self.bytes_per_element is not None:
            check_counts(bytes_per_element=self.bytes_per_element)
        check_flag("bias", self.bias)
        check_flag("causal_diagonal", self.causal_diagonal)
        for name in _NAMED_CHOICES:
            check_choice(name, getattr(self, name), FIELD_CHOICES[name])

    def replace(self, **changes: object) -> Conventions:
        """Return a copy with some fields changed (unknown names raise ``TypeError``)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


FIELD_CHOICES: dict[str, tuple[str, ...]] = {
    "flops_per_mac": ("1", "2"),
    "bias": ("true", "false"),
    "padding_count": ("full", "exact"),
    "dot_product_ops": ("2k", "2k-1"),
    "softmax_model": ("stable", "basic"),
    "softmax_row_additions": ("n-1", "n"),
    "softmax_row_maximum": ("n-1", "n"),
    "causal_diagonal": ("true", "false"),
    "qkv_byte_model": ("per_projection", "three_separate", "fused"),
    "bytes_per_element": ("1", "2", "4", "8"),
    "tie_rule": ("compute", "memory"),
    "norms": ("none", "layernorm", "rmsnorm"),
    "activation_bytes": ("true", "false"),
}
"""Accepted text values of each convention, as a user types them on a command line."""

_NAMED_CHOICES = (
    "padding_count",
    "dot_product_ops",
    "softmax_model",
    "softmax_row_additions",
    "softmax_row_maximum",
    "qkv_byte_model",
    "tie_rule",
)
"""The conventions whose value is one of the names in ``FIELD_CHOICES``."""


_BOOLEAN_FIELDS = ("bias", "causal_diagonal", "activation_bytes")


def convention_from_text(name: str, text: str) -> object:
    """Convert a convention's text value to its typed value.

    Raises:
        KeyError: unknown convention name.
        ValueError: value not among the accepted ones.

    >>> convention_from_text("flops_per_mac", "1")
    1
    >>> convention_from_text("bias", "yes")
    True
    """
    choices = FIELD_CHOICES[name]
    value = text.strip().lower()
    if name in _BOOLEAN_FIELDS:
        if value in ("true", "yes", "on", "1"):
            return True
        if value in ("false", "no", "off", "0"):
            return False
    elif value in choices:
        return int(value) if name in ("flops_per_mac", "bytes_per_element") else value
    raise ValueError(f"{name} accepts {', '.join(choices)}; got {text!r}")
