"""Class statistics: pure functions from graded results to numbers a TA can act on.

Everything here is computed from results (``SubmissionResult`` or their digests) and nothing is
read or written.
Results are sorted by (student id, file, content) first, so that the same results in any order
give identical statistics, and floating-point sums use ``math.fsum`` so that they do not depend
on summation order either.

Counting unit: a *file* (one answer file = one result). A student who handed in two files is
counted twice; the gradebook shows both rows, so the TA sees why.
"""

from __future__ import annotations

import itertools
import math
import operator
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from grader.reports.class_columns import MAY_WAIT, ClassColumns, class_columns
from grader.reports.common_mistakes import MistakeCount, mistake_counts
from grader.reports.shared_answers import SharedPair, shared_answers_of, shared_rare_answers
from grader.reports.variant_stats import (
    ParameterStatistics,
    variant_statistics,
    variant_statistics_of,
)
from grader.results import PartDigest, PartLike, ResultLike, Status, awaits_person, find_part
from grader.sheets.assignment import Assignment, Part
from grader.sheets.variants import varied_givens

HISTOGRAM_BINS = 10


@dataclass(frozen=True)
class Moments:
    """Mean, median, population standard deviation, minimum and maximum of some numbers."""

    mean: float
    median: float
    std: float
    min: float
    max: float


@dataclass(frozen=True)
class HistogramBin:
    """Files whose score percentage lies in ``[low, high)`` (the last bin includes 100 %)."""

    low: int
    high: int
    count: int


@dataclass(frozen=True)
class ScoreDistribution:
    """Graded scores in points and as a fraction of the maximum, plus a histogram.

    ``points``/``fraction`` are None when no file was graded.
    """

    max_score: float
    points: Moments | None
    fraction: Moments | None
    histogram: tuple[HistogramBin, ...]


@dataclass(frozen=True)
class PartStatistics:
    """Item analysis of one part over the graded files.

    Attributes:
        mean_credit: mean credit (0..1) over the files whose part is decided (not waiting for
            a person, see ``awaits_person``); None when there are none.
        shares: fraction of graded files per status, in ``Status`` order (sums to 1).
        discrimination: Pearson correlation of the part's credit with the rest of the score
            (total minus this part's points) over the decided files; None when undefined.
        mistakes: every mistake tag seen, most frequent first (ties by tag).
    """

    id: str
    title: str
    max_points: float
    mean_credit: float | None
    shares: dict[Status, float]
    discrimination: float | None
    mistakes: tuple[MistakeCount, ...]


class ReviewItem(NamedTuple):
    """One file with parts waiting for a person (a named tuple: a class makes thousands)."""

    student: str
    name: str
    file: str
    parts: tuple[str, ...]
    points: float


@dataclass(frozen=True)
class FileError:
    """A file that could not be graded, and why."""

    student: str
    file: str
    error: str


@dataclass(frozen=True)
class ClassStatistics:
    """Everything the class summary shows."""

    assignment: str
    files: int
    graded: int
    errors: int
    students_pending_review: int
    parts_pending_review: int
    scores: ScoreDistribution
    parts: tuple[PartStatistics, ...]
    review_queue: tuple[ReviewItem, ...]
    error_files: tuple[FileError, ...]
    shared_answers: tuple[SharedPair, ...] = ()
    by_variant: tuple[ParameterStatistics, ...] = ()


def class_statistics(
    results: Sequence[ResultLike],
    assignment: Assignment,
    givens_of: Callable[[str], Mapping[str, str] | None] | None = None,
) -> ClassStatistics:
    """Statistics of a class: counts, score distribution, item analysis, review queue, errors.

    Args:
        results: one result per answer file, graded or error, in any order.
        assignment: the sheet the results were graded against (parts, titles, points).
        givens_of: with per-student variants, the givens of the variant with a code (for the
            statistics by variant parameter).

    Returns:
        Statistics that are identical for the same results in any order.
    """
    ordered = sorted_results(results)
    graded = [r for r in ordered if r.status == "graded"]
    scores = [r.score for r in graded]
    table = class_columns(graded, assignment.part_ids)
    if table is not None:
        columns: Sequence[Sequence[PartLike]] = table.columns
        waiting: Sequence[Sequence[bool] | None] = table.waiting
        queue = _queue(table)
    else:  # results that do not hold the sheet's parts in its order: found part by part
        columns = _looked_up(graded, assignment)
        waiting = [_waiting_flags(column) for column in columns]
        queue = review_queue(graded)
    return ClassStatistics(
        assignment=assignment.id,
        files=len(ordered),
        graded=len(graded),
        errors=len(ordered) - len(graded),
        students_pending_review=len(queue),
        parts_pending_review=sum(len(item.parts) for item in queue),
        scores=score_distribution(graded, assignment.max_score),
        parts=tuple(
            part_statistics(graded, spec, column, scores, flags)
            for spec, column, flags in zip(assignment.parts, columns, waiting, strict=True)
        ),
        review_queue=queue,
        error_files=tuple(
            FileError(r.student.id, r.file or "", r.error or "unknown error")
            for r in ordered
            if r.status != "graded"
        ),
        shared_answers=(
            shared_answers_of(table) if table is not None else shared_rare_answers(graded)
        ),
        by_variant=(
            _by_variant(graded, table, givens_of, varied_givens(assignment)) if givens_of else ()
        ),
    )


def _by_variant(
    graded: Sequence[ResultLike],
    table: ClassColumns | None,
    givens_of: Callable[[str], Mapping[str, str] | None],
    varied: Sequence[str],
) -> tuple[ParameterStatistics, ...]:
    if table is not None:
        return variant_statistics_of(table, givens_of, varied)
    return variant_statistics(graded, givens_of, varied)


def result_sort_key(result: ResultLike) -> tuple[str, str, str]:
    """Student id, then file, then the whole content: a total order on results."""
    return (result.student.id, result.file or "", repr(result))


def sorted_results(results: Iterable[ResultLike]) -> list[ResultLike]:
    """Results in the total order of :func:`result_sort_key`.

    Serialising every result only to break ties costs more than the rest of the class
    statistics together, and ties (same id and file) are rare: sort by id and file, and
    fall back to the whole key only when two results share both.
    """
    ordered = sorted(results, key=lambda r: (r.student.id, r.file or ""))
    tied = any(
        (a.student.id, a.file) == (b.student.id, b.file) for a, b in itertools.pairwise(ordered)
    )
    return sorted(ordered, key=result_sort_key) if tied else ordered


def moments(values: Sequence[float]) -> Moments | None:
    """Mean, median, population std, min and max (None for no values).

    The population standard deviation describes this class (it is defined for one file too),
    rather than estimating that of a larger population.
    """
    if not values:
        return None
    mean = math.fsum(values) / len(values)
    variance = math.fsum((v - mean) ** 2 for v in values) / len(values)
    return Moments(mean, statistics.median(values), math.sqrt(variance), min(values), max(values))


def score_distribution(graded: Sequence[ResultLike], max_score: float) -> ScoreDistribution:
    """Moments of the graded scores in points and as fractions, and the histogram."""
    points = [r.score for r in graded]
    fractions = [score_fraction(p, max_score) for p in points]
    counts = [0] * HISTOGRAM_BINS
    for fraction in fractions:
        counts[histogram_bin(fraction)] += 1
    width = 100 // HISTOGRAM_BINS
    bins = tuple(HistogramBin(i * width, (i + 1) * width, count) for i, count in enumerate(counts))
    return ScoreDistribution(max_score, moments(points), moments(fractions), bins)


def score_fraction(score: float, max_score: float) -> float:
    """Score as a fraction of the maximum (0 for a sheet worth nothing)."""
    return score / max_score if max_score > 0 else 0.0


def histogram_bin(fraction: float) -> int:
    """The bin of a score fraction; 100 % goes into the last bin.

    Rounded before the floor so that 0.7 (stored as 0.6999...) lands in the 70 % bin.
    """
    position = math.floor(round(fraction * HISTOGRAM_BINS, 9))
    return min(max(position, 0), HISTOGRAM_BINS - 1)


def _looked_up(graded: Sequence[ResultLike], assignment: Assignment) -> list[Sequence[PartLike]]:
    """Per part of the sheet, that part of every result (a missing one where a result lacks
    it), found part by part: for results that do not hold the sheet's parts in its order."""
    return [[part_of(r, spec.id, spec.points) for r in graded] for spec in assignment.parts]


def _waiting_flags(column: Sequence[PartLike]) -> list[bool] | None:
    """Whether each part of a column waits in the review queue (None: none does)."""
    flags = [p.status in MAY_WAIT and awaits_person(p) for p in column]
    return flags if any(flags) else None


def part_statistics(
    graded: Sequence[ResultLike],
    spec: Part,
    column: Sequence[PartLike],
    scores: Sequence[float],
    waiting: Sequence[bool] | None,
) -> PartStatistics:
    """Item analysis of one part: ``column`` holds it for each graded result (in a stable
    order), ``scores`` their scores, ``waiting`` whether each waits for a person (None: none
    does; see :class:`grader.reports.class_columns.ClassColumns`)."""
    statuses = list(map(_STATUS, column))
    # list.count compares in C; a Counter would hash each status in Python (Enum.__hash__).
    counted = {s: statuses.count(s) for s in Status}
    shares = {s: (counted[s] / len(statuses) if statuses else 0.0) for s in Status}
    if waiting is not None:  # a part waiting for a person has no credit yet: left out
        decided = list(map(operator.not_, waiting))
        credits = list(map(_CREDIT, itertools.compress(column, decided)))
        points = map(_POINTS, itertools.compress(column, decided))
        rest = list(map(operator.sub, itertools.compress(scores, decided), points))
    else:  # the usual part: every file decided
        credits = list(map(_CREDIT, column))
        rest = list(map(operator.sub, scores, map(_POINTS, column)))
    return PartStatistics(
        id=spec.id,
        title=spec.title,
        max_points=spec.points,
        mean_credit=math.fsum(credits) / len(credits) if credits else None,
        shares=shares,
        discrimination=pearson(credits, rest),
        mistakes=mistake_counts(graded, column),
    )


_CREDIT = operator.attrgetter("credit")
_POINTS = operator.attrgetter("points")
_STATUS = operator.attrgetter("status")


def part_of(result: ResultLike, part_id: str, max_points: float) -> PartLike:
    """A result's part, or a missing one when the result lacks it (older results)."""
    found = find_part(result.parts, part_id)
    if found is not None:
        return found
    return PartDigest(
        id=part_id, status=Status.MISSING, credit=0.0, points=0.0, max_points=max_points
    )


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson correlation; None for fewer than 3 pairs or when either side is constant."""
    if len(xs) != len(ys) or len(xs) < 3:
        return None
    mean_x = math.fsum(xs) / len(xs)
    mean_y = math.fsum(ys) / len(ys)
    # The same numbers as with comprehensions; map with operator functions runs in C.
    dx = list(map(operator.sub, xs, itertools.repeat(mean_x)))
    dy = list(map(operator.sub, ys, itertools.repeat(mean_y)))
    sxx = math.fsum(map(operator.mul, dx, dx))
    syy = math.fsum(map(operator.mul, dy, dy))
    # Tiny variances are float noise around a constant (e.g. 0.1 + 0.2 vs 0.3): undefined.
    if sxx <= 1e-18 or syy <= 1e-18:
        return None
    r = math.fsum(map(operator.mul, dx, dy)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def review_queue(graded: Sequence[ResultLike]) -> tuple[ReviewItem, ...]:
    """Files with parts waiting for a person, by student id then file."""
    items = []
    for result in sorted_results(graded):
        waiting = [p for p in result.parts if awaits_person(p)]
        if waiting:
            items.append(_review_item(result, waiting))
    return tuple(items)


def _queue(table: ClassColumns) -> tuple[ReviewItem, ...]:
    """:func:`review_queue` of sorted results, from their columns: each row's waiting parts
    are read off the columns (see :class:`ClassColumns`), and rows whose waiting parts have
    the same ids and points are summed up once (most rows are one of a few)."""
    objects: dict[int, PartLike] = {}
    masked: list[list[int | None]] = []  # per column with parts waiting: each row's or None
    for ids, distinct, found in zip(table.ids, table.distinct, table.waiting_ids, strict=True):
        if not found:
            continue
        # Every waiting part of a column stands for the first one with the same points (its
        # id is the column's): rows then repeat. repr tells apart what == does not (0.0, -0.0).
        first: dict[str, int] = {}
        stands_for = {key: first.setdefault(repr(distinct[key].max_points), key) for key in found}
        objects.update((key, distinct[key]) for key in first.values())
        masked.append(list(map(stands_for.get, ids)))
    if not masked:
        return ()
    nothing = (None,) * len(masked)
    shared: dict[tuple[int | None, ...], tuple[tuple[str, ...], float]] = {}
    items = []
    for result, row in zip(table.graded, zip(*masked, strict=True), strict=True):
        if row == nothing:
            continue
        summed = shared.get(row)
        if summed is None:
            summed = shared[row] = _waiting([objects[key] for key in row if key is not None])
        items.append(ReviewItem(result.student.id, result.student.name, result.file or "", *summed))
    return tuple(items)


def _review_item(result: ResultLike, waiting: Sequence[PartLike]) -> ReviewItem:
    return ReviewItem(result.student.id, result.student.name, result.file or "", *_waiting(waiting))


def _waiting(parts: Sequence[PartLike]) -> tuple[tuple[str, ...], float]:
    """The ids of parts waiting for a person, and their points."""
    return tuple(p.id for p in parts), math.fsum([p.max_points for p in parts])
