"""Item statistics by variant parameter: does one value of a given make a sheet harder?

With per-student variants, every student answers the same questions with other numbers. If
one value of a given (a longer sequence, a slower memory) makes a part harder, the class's
mean credit on that part is lower for the students who had it; a TA should see that before
reading the scores as the students' alone. For each given a variant varies, the graded files
are grouped by its value, and each group gets its size, its mean score and the parts on which
its mean credit falls clearly below the part's mean over the whole class.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from grader.reports.class_columns import ClassColumns
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
    # One pass over the files, summed per variant; each given's groups add up variants.
    by_variant: dict[str, _Sums] = {}
    for result in results:
        if result.status == "graded" and result.variant is not None:
            by_variant.setdefault(result.variant, _Sums()).add(result)
    return _by_given(by_variant, givens_of, varied)


def variant_statistics_of(
    table: ClassColumns,
    givens_of: Callable[[str], Mapping[str, str] | None],
    varied: Sequence[str],
) -> tuple[ParameterStatistics, ...]:
    """:func:`variant_statistics` of the graded results of ``table``, summed per variant from
    its columns (each variant's parts picked out of a column at once) rather than file by
    file and part by part."""
    members: dict[str, list[int]] = {}
    for index, result in enumerate(table.graded):
        if result.variant is not None:
            members.setdefault(result.variant, []).append(index)
    by_variant = {code: _Sums.of_columns(table, found) for code, found in members.items()}
    return _by_given(by_variant, givens_of, varied)


def _by_given(
    by_variant: Mapping[str, _Sums],
    givens_of: Callable[[str], Mapping[str, str] | None],
    varied: Sequence[str],
) -> tuple[ParameterStatistics, ...]:
    """The statistics of each varied given from the sums of each variant (in the order the
    variants first come in the results)."""
    if not by_variant:
        return ()
    known = {code: givens_of(code) for code in by_variant}
    overall = _Sums.total(by_variant.values()).mean_credits()
    found = []
    for given in varied:
        by_value: dict[str, list[_Sums]] = {}
        for code, sums in by_variant.items():
            givens = known[code]
            if givens is not None and given in givens:
                by_value.setdefault(givens[given], []).append(sums)
        groups = tuple(
            _group(value, _Sums.total(parts), overall)
            for value, parts in sorted(by_value.items(), key=_order)
        )
        if len(groups) > 1:
            found.append(ParameterStatistics(given, groups))
    return tuple(found)


class _Sums:
    """Files, score fractions and per-part credits of some files, summed."""

    def __init__(self) -> None:
        self.files = 0
        self.scores: list[float] = []
        self.credits: dict[str, list[float]] = {}

    def add(self, result: ResultLike) -> None:
        self.files += 1
        if result.max_score:
            self.scores.append(result.score / result.max_score)
        for part in result.parts:
            if not awaits_person(part):  # a part waiting for a person has no credit yet
                self.credits.setdefault(part.id, []).append(part.credit)

    @staticmethod
    def of_columns(table: ClassColumns, rows: Sequence[int]) -> _Sums:
        """The sums of the results at ``rows`` of ``table`` (in increasing order): what
        :meth:`add` of each of them in turn gives. Sums of credits are taken with
        ``math.fsum``, whose result does not depend on the order of what it adds; only the
        order in which parts first get a credit is kept as :meth:`add` would meet them (the
        class's mean credits, and so the parts shown as harder, come in that order)."""
        pick = operator.itemgetter(*rows) if len(rows) > 1 else _one(rows[0])
        found = _Sums()
        found.files = len(rows)
        found.scores = [r.score / r.max_score for r in pick(table.graded) if r.max_score]
        credited: list[tuple[int, int, str, list[float]]] = []  # first row, column, part
        for number, (part_id, column, awaiting) in enumerate(
            zip(table.part_ids, table.columns, table.awaiting, strict=True)
        ):
            parts = pick(column)
            if awaiting is None:  # the usual part: nobody's awaits a person
                credits = list(map(_CREDIT, parts))
                first = 0
            else:  # a part waiting for a person has no credit yet
                decided = list(map(operator.not_, pick(awaiting)))
                credits = list(map(_CREDIT, itertools.compress(parts, decided)))
                first = decided.index(True) if credits else 0
            if credits:
                credited.append((first, number, part_id, credits))
        found.credits = {part_id: credits for _, _, part_id, credits in sorted(credited)}
        return found

    @staticmethod
    def total(many: Iterable[_Sums]) -> _Sums:
        found = _Sums()
        for sums in many:
            found.files += sums.files
            found.scores += sums.scores
            for part, credits in sums.credits.items():
                found.credits.setdefault(part, []).extend(credits)
        return found

    def mean_credits(self) -> dict[str, float]:
        return {part: math.fsum(c) / len(c) for part, c in self.credits.items()}

    def mean_score(self) -> float:
        return math.fsum(self.scores) / len(self.scores) if self.scores else 0.0


_CREDIT = operator.attrgetter("credit")


def _one(row: int) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """What ``operator.itemgetter`` of several rows does, for one row: a tuple of one."""
    return lambda items: (items[row],)


def _order(item: tuple[str, object]) -> tuple[float, str]:
    """Values by their number where they start with one (``64``, ``600 GB/s``), else text."""
    head = item[0].split()[0] if item[0].split() else ""
    try:
        return (float(head), item[0])
    except ValueError:
        return (math.inf, item[0])


def _group(value: str, sums: _Sums, overall: Mapping[str, float]) -> ValueGroup:
    here = sums.mean_credits()
    harder = tuple(
        (part, here[part], overall[part])
        for part in overall
        if part in here and overall[part] - here[part] >= HARDER_BY
    )
    return ValueGroup(value, sums.files, sums.mean_score(), harder)
