"""Attention masking: how many dot-product scores are computed, and how that grows.

Counting convention: a full mask computes every (query, key) pair, L^2; a causal mask computes
the lower triangle, L(L+1)/2 with the diagonal (a token attends to itself) or L(L-1)/2 without.
Both grow as O(L^2): the causal mask halves the constant, not the order.
"""

from __future__ import annotations

from reference.arguments import check_choice, check_counts, check_flag

MASKS = ("full", "causal")


def scores_computed(*, seq_len: int, mask: str = "full", causal_diagonal: bool = True) -> int:
    """Dot-product scores computed for one head.

    >>> scores_computed(seq_len=64, mask="full")
    4096
    >>> scores_computed(seq_len=64, mask="causal")
    2080
    """
    check_counts(seq_len=seq_len)
    check_choice("mask", mask, MASKS)
    check_flag("causal_diagonal", causal_diagonal)
    if mask == "full":
        return seq_len * seq_len
    return seq_len * (seq_len + 1) // 2 if causal_diagonal else seq_len * (seq_len - 1) // 2


def scores_growth(*, mask: str = "full") -> str:
    """Growth class of the number of scores in the sequence length L.

    >>> scores_growth(mask="causal")
    'O(L^2)'
    """
    check_choice("mask", mask, MASKS)
    return "O(L^2)"
