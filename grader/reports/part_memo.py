"""A question about a part, asked once per part object of a class.

A class's results share their part objects (one per distinct answer and line, see
grader.reports.fast_writers): 10,000 files hold a quarter of a million parts but a few thousand
objects. What depends only on the part is remembered by the object's id and read back for a
whole row with ``map``, which runs in C, instead of a Python loop over every part of every file.
The results must keep their parts alive while a memo lives (they do while class files are
written), so that an id stays its object's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from grader.results import PartLike, awaits_person

T = TypeVar("T")


class PartMemo(Generic[T]):
    """``answer(part)`` for each part of a row, each part object answered once."""

    def __init__(self, answer: Callable[[PartLike], T]) -> None:
        self._answer = answer
        self._known: dict[int, T] = {}

    def row(self, parts: Sequence[PartLike]) -> list[T]:
        """The answer for each of ``parts``, in their order."""
        known = self._known
        try:
            return list(map(known.__getitem__, map(id, parts)))
        except KeyError:  # a part object not met before
            for part in parts:
                if id(part) not in known:
                    known[id(part)] = self._answer(part)
            return list(map(known.__getitem__, map(id, parts)))


def for_a_person(part: PartLike) -> bool:
    """Whether a part is one a person decided or must decide: what the review sheet and page
    list (a decision in force or stale, or the part awaits a person)."""
    return part.decision is not None or awaits_person(part)
