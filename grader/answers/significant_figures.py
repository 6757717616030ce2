"""Significant figures of a number as written: how far a student rounded it.

``1.8`` has two, ``1806000`` four (trailing zeros of an integer are not significant),
``250.`` three, ``2.5·10^2`` two; an expression with operators has none (None): it is exact.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from grader.answers.expression import normalise

__all__ = ["significant_figures"]

_PLAIN = re.compile(r"[+-]?(?P<mantissa>\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_SCIENTIFIC = re.compile(r"[+-]?(?P<mantissa>\d+\.?\d*|\.\d+)\*10\*\*\(?[+-]?\d+\)?")
_POWER_OF_TEN = re.compile(r"[+-]?10\*\*\(?[+-]?\d+\)?")


def significant_figures(plain: str, names: Collection[str] = ()) -> int | None:
    """Figures of a plain or scientific number (``plain``: digits without grouping); None for
    an expression with operators. ``names``: the sheet's symbols (``x`` may be one).

    Example:
        >>> [significant_figures(text) for text in ("1806000", "2.5×10^2", "2*3")]
        [4, 2, None]
    """
    compact = normalise(plain, names).replace(" ", "")
    if _POWER_OF_TEN.fullmatch(compact):
        return 1
    match = _PLAIN.fullmatch(compact) or _SCIENTIFIC.fullmatch(compact)
    if match is None:
        return None
    mantissa = match.group("mantissa")
    digits = mantissa.replace(".", "").lstrip("0")
    if "." not in mantissa:
        digits = digits.rstrip("0")  # 1806000: trailing zeros of an integer are not significant
    return max(len(digits), 1)
