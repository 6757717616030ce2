"""Files whose answers fit another student's variant far better than their own.

With per-student variants, a file copied from a classmate carries the classmate's numbers:
its answers are wrong for its own variant and right for another. The class itself says what
is right for each variant it holds (the values its files got right, part by part), so a file
is flagged when its wrong answers equal another variant's right ones on at least
:data:`MIN_MATCHES` parts and on at least twice as many parts as it has right for its own
variant (numbers only, not carried forward: a verdict or a growth class is often the same
for every variant, and a value carried forward follows from another). The flag names the
other variant and the parts, as evidence for a TA: it is a signal, never a penalty, and the
file stays graded against its own variant.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from grader.results import ResultLike, Status

MIN_MATCHES = 3
_WRONG = frozenset({Status.INCORRECT, Status.PARTIAL})


def borrowed_variants(results: Sequence[ResultLike]) -> dict[int, str]:
    """The files (by position in ``results``) whose answers fit another variant, each with
    the note for the TA."""
    right: dict[tuple[str, str], set[str]] = {}
    for result in results:
        if result.status != "graded" or result.variant is None:
            continue
        for part in result.parts:
            key = _number_key(part.value)
            if part.status is Status.CORRECT and not part.carried_forward and key is not None:
                right.setdefault((part.id, key), set()).add(result.variant)
    notes: dict[int, str] = {}
    for index, result in enumerate(results):
        own = result.variant
        if result.status != "graded" or own is None:
            continue
        own_right = sum(
            1
            for part in result.parts
            if part.status is Status.CORRECT
            and not part.carried_forward
            and _number_key(part.value) is not None
        )
        matches: Counter[str] = Counter()
        parts_of: dict[str, list[str]] = {}
        for part in result.parts:
            key = _number_key(part.value)
            if part.status not in _WRONG or key is None:
                continue
            for other in right.get((part.id, key), ()):
                if other != own:
                    matches[other] += 1
                    parts_of.setdefault(other, []).append(part.id)
        if not matches:
            continue
        best = max(sorted(matches), key=lambda variant: matches[variant])
        count = matches[best]
        if count >= MIN_MATCHES and count >= 2 * own_right:
            notes[index] = (
                f"possible copy: {count} answers ({', '.join(parts_of[best])}) are right for "
                f"variant {best}, not for the student's own {own} ({own_right} right); "
                "graded against the own variant"
            )
    return notes


def _number_key(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return f"{value:.4g}" if math.isfinite(value) else None
