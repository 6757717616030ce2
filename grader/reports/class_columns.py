"""A class's graded results part by part: the columns the class statistics walk.

The statistics ask the same questions of every part of every file (is it waiting for a person?
what did it score?). A class of 10,000 files holds a quarter of a million parts, but only a few
thousand distinct part objects: a batch's digests share one object per distinct answer and line
(see grader.reports.fast_writers). So each question is asked once per distinct object, and its
answer spread over a column with ``map`` over the objects' ids, which runs in C, instead of a
Python loop over every part.

Ids of objects are stable here: the results keep their parts alive for as long as the columns
live.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

from grader.results import PartLike, ResultLike, Status, awaits_person

MAY_WAIT = frozenset({Status.NEEDS_REVIEW, Status.INVALID})
"""The statuses of a part that may wait for a person (the others never do)."""


class ClassColumns:
    """Graded results (in a fixed order) that each hold exactly the sheet's parts in its order,
    as their columns: ``columns[c][i]`` is part ``c`` of result ``i``.

    Build with :func:`class_columns`, which says when results do not fit.
    """

    def __init__(
        self, graded: Sequence[ResultLike], part_ids: Sequence[str], columns: list[tuple[Any, ...]]
    ) -> None:
        self.graded = graded
        self.part_ids = tuple(part_ids)
        self.columns: list[tuple[PartLike, ...]] = columns

    @functools.cached_property
    def ids(self) -> list[list[int]]:
        """Per column, the id of each result's part object."""
        return [list(map(id, column)) for column in self.columns]

    @functools.cached_property
    def distinct(self) -> list[dict[int, PartLike]]:
        """Per column, its distinct part objects by id (in the order they first come)."""
        return [
            dict(zip(ids, column, strict=True))
            for ids, column in zip(self.ids, self.columns, strict=True)
        ]

    @functools.cached_property
    def awaiting(self) -> list[list[bool] | None]:
        """Per column, whether each result's part awaits a person (``awaits_person``); None for
        a column where none does (the usual part)."""
        return self._flags(self._passing(awaits_person))

    @functools.cached_property
    def waiting_ids(self) -> list[set[int]]:
        """Per column, the ids of the part objects that wait in the review queue: they await a
        person, and their status is one that may wait."""
        return self._passing(lambda part: part.status in MAY_WAIT and awaits_person(part))

    @functools.cached_property
    def waiting(self) -> list[list[bool] | None]:
        """Per column, whether each result's part is one of :attr:`waiting_ids`; None for a
        column where none is."""
        return self._flags(self.waiting_ids)

    def _passing(self, test: Callable[[PartLike], bool]) -> list[set[int]]:
        return [{key for key, part in found.items() if test(part)} for found in self.distinct]

    def _flags(self, passing: list[set[int]]) -> list[list[bool] | None]:
        return [
            list(map(ids.__contains__, found)) if ids else None
            for ids, found in zip(passing, self.ids, strict=True)
        ]


def class_columns(graded: Sequence[ResultLike], part_ids: Sequence[str]) -> ClassColumns | None:
    """The columns of ``graded`` when every result holds exactly ``part_ids`` in that order
    (as results graded against the sheet do): one transposition, checked. None otherwise."""
    rows = [r.parts for r in graded]
    if not all(len(row) == len(part_ids) for row in rows):
        return None
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) or [() for _ in part_ids]
    for part_id, column in zip(part_ids, columns, strict=True):
        if column and set(map(_ID, column)) != {part_id}:
            return None
    return ClassColumns(graded, part_ids, columns)


_ID = operator.attrgetter("id")
