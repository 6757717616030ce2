"""Item statistics by variant parameter: does one value of a given make a sheet harder?

With per-student variants, every student answers the same questions with other numbers. If
one value of a given (a longer sequence, a slower memory) makes a part harder, the class's
mean credit on that part is lower for the students who had it; a TA should see that before
reading the scores as the students' alone. For each given a variant varies, the graded files
are grouped by its value, and each group gets its size, its mean score and the parts on which
its mean credit falls clearly below the part's mean over the whole class.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from grader.results import ResultLike, awaits_person

HARDER_BY = 0.2
"""A part is shown as harder for a value when its mean credit there is this much lower than
over the class (credit is 0..1)."""


@dataclass(frozen=True)
class ValueGroup:
    """The graded files whose variant gives a given one value."""

    value: str
    files: int
    mean_score: float  # fraction of the maximum
    harder: tuple[tuple[str, float, float], ...]  # (part, mean credit here, over the class)


@dataclass(frozen=True)
class ParameterStatistics:
    """One varied given, and the class split by its values (in the order the sheet lists)."""

    given: str
    groups: tuple[ValueGroup, ...]


def variant_statistics(
    results: Sequence[ResultLike],
    givens_of: Callable[[str], Mapping[str, str] | None],
    varied: Sequence[str],
) -> tuple[ParameterStatistics, ...]:
    """Statistics by value of each varied given (none when no graded file has a variant).

    Args:
        results: the class's results (graded ones count).
        givens_of: the givens (as the sheet writes them) of the variant with a code; None for
            a code the sheet does not know.
        varied: the givens variants vary, in the sheet's order.
    """
    graded = [r for r in results if r.status == "graded" and r.variant is not None]
    if not graded:
        return ()
    known = {code: givens_of(code) for code in {r.variant for r in graded if r.variant}}
    overall = _mean_credits(graded)
    found = []
    for given in varied:
        by_value: dict[str, list[ResultLike]] = {}
        for result in graded:
            givens = known.get(result.variant or "")
            if givens is not None and given in givens:
                by_value.setdefault(givens[given], []).append(result)
        groups = tuple(
            _group(value, members, overall)
            for value, members in sorted(by_value.items(), key=_order)
        )
        if len(groups) > 1:
            found.append(ParameterStatistics(given, groups))
    return tuple(found)


def _order(item: tuple[str, list[ResultLike]]) -> tuple[float, str]:
    """Values by their number where they start with one (``64``, ``600 GB/s``), else text."""
    head = item[0].split()[0] if item[0].split() else ""
    try:
        return (float(head), item[0])
    except ValueError:
        return (math.inf, item[0])


def _group(value: str, members: list[ResultLike], overall: Mapping[str, float]) -> ValueGroup:
    scores = [r.score / r.max_score for r in members if r.max_score]
    here = _mean_credits(members)
    harder = tuple(
        (part, here[part], overall[part])
        for part in overall
        if part in here and overall[part] - here[part] >= HARDER_BY
    )
    mean = math.fsum(scores) / len(scores) if scores else 0.0
    return ValueGroup(value, len(members), mean, harder)


def _mean_credits(results: Sequence[ResultLike]) -> dict[str, float]:
    """Mean credit per part over the parts decided (not waiting for a person), in part order."""
    sums: dict[str, list[float]] = {}
    for result in results:
        for part in result.parts:
            if not awaits_person(part):
                sums.setdefault(part.id, []).append(part.credit)
    return {part: math.fsum(credits) / len(credits) for part, credits in sums.items()}
