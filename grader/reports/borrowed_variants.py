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

from grader.results import PartLike, ResultLike, Status

MIN_MATCHES = 3
_WRONG = frozenset({Status.INCORRECT, Status.PARTIAL})


def borrowed_variants(results: Sequence[ResultLike]) -> dict[int, str]:
    """The files (by position in ``results``) whose answers fit another variant, each with
    the note for the TA."""
    # What counts of each graded file with a variant, its parts classified once (a class's
    # results share their part objects: each object is classified once, see _Classifier).
    classify = _Classifier()
    counted = {
        index: (result.variant, *classify(result))
        for index, result in enumerate(results)
        if result.status == "graded" and result.variant is not None
    }
    right: dict[_Answer, set[str]] = {}
    for variant, own_right, _wrong in counted.values():
        for found in own_right:
            right.setdefault(found, set()).add(variant)
    notes: dict[int, str] = {}
    for index, (own, own_right, wrong) in counted.items():
        matches: Counter[str] = Counter()
        parts_of: dict[str, list[str]] = {}
        for found in wrong:
            for other in right.get(found, ()):
                if other != own:
                    matches[other] += 1
                    parts_of.setdefault(other, []).append(found[0])
        if not matches:
            continue
        best = max(sorted(matches), key=lambda variant: matches[variant])
        count = matches[best]
        if count >= MIN_MATCHES and count >= 2 * len(own_right):
            notes[index] = (
                f"possible copy: {count} answers ({', '.join(parts_of[best])}) are right for "
                f"variant {best}, not for the student's own {own} ({len(own_right)} right); "
                "graded against the own variant"
            )
    return notes


_Answer = tuple[str, str]
"""A part's number answer: its part id and its value to four significant digits."""


class _Classifier:
    """A file's number answers that count as right (correct, not carried forward) and those
    that count as wrong (incorrect or partial), each in the order of its parts; every other
    part does not count. Each part object is classified once (they stay alive with the
    results, so their ids are not reused meanwhile), each distinct value keyed once."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[bool, _Answer] | None] = {}
        self._keys: dict[float, str | None] = {}

    def __call__(self, result: ResultLike) -> tuple[list[_Answer], list[_Answer]]:
        right: list[_Answer] = []
        wrong: list[_Answer] = []
        known = self._known
        for part in result.parts:
            try:
                found = known[id(part)]
            except KeyError:
                found = known[id(part)] = self._classified(part)
            if found is not None:
                (right if found[0] else wrong).append(found[1])
        return right, wrong

    def _classified(self, part: PartLike) -> tuple[bool, _Answer] | None:
        """(True, answer) for a right number, (False, answer) for a wrong one, else None."""
        if part.status is Status.CORRECT:
            if part.carried_forward:
                return None
        elif part.status not in _WRONG:
            return None
        key = self._key(part.value)
        return None if key is None else (part.status is Status.CORRECT, (part.id, key))

    def _key(self, value: object) -> str | None:
        # 0.0 and -0.0 are one key of a dict but are written apart ("0", "-0"): not cached.
        if type(value) is not float or not value:
            return _number_key(value)
        try:
            return self._keys[value]
        except KeyError:
            key = self._keys[value] = _number_key(value)
            return key


def _number_key(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return f"{value:.4g}" if math.isfinite(value) else None
