"""Softmax operation counts by type, row-wise over an n x n score matrix.

Counting convention: the numerically stable model computes per row of n scores a maximum (n-1
comparisons, or n when starting from minus infinity), n subtractions, n exponentials, a sum (n-1
additions, or n when accumulating from zero) and n divisions; the basic model skips the maximum
and the subtraction.
"""

from __future__ import annotations

from reference.arguments import check_choice, check_counts, check_integer

OPERATIONS = ("max", "sub", "exp", "add", "div")
"""Operation types, in the order they happen."""
MODELS = ("stable", "basic")
ROW_ADDITIONS = ("n-1", "n")
ROW_MAXIMUM = ("n-1", "n")


def softmax_op_counts(
    *,
    n: int,
    rows: int | None = None,
    model: str = "stable",
    row_additions: str = "n-1",
    row_maximum: str = "n-1",
) -> dict[str, int]:
    """Operations by type for a softmax over ``rows`` rows of ``n`` scores (default n rows).

    >>> softmax_op_counts(n=64)
    {'max': 4032, 'sub': 4096, 'exp': 4096, 'add': 4032, 'div': 4096}
    >>> softmax_op_counts(n=64, model="basic", row_additions="n")
    {'exp': 4096, 'add': 4096, 'div': 4096}
    >>> softmax_op_counts(n=64, row_maximum="n")["max"]
    4096
    """
    check_counts(n=n)
    rows = n if rows is None else rows
    check_integer("rows", rows, at_least=0)
    check_choice("model", model, MODELS)
    check_choice("row_additions", row_additions, ROW_ADDITIONS)
    check_choice("row_maximum", row_maximum, ROW_MAXIMUM)
    adds = n - 1 if row_additions == "n-1" else n
    comparisons = n - 1 if row_maximum == "n-1" else n
    counts = {"max": comparisons, "sub": n, "exp": n, "add": adds, "div": n}
    if model == "basic":
        del counts["max"], counts["sub"]
    return {op: per_row * rows for op, per_row in counts.items()}
