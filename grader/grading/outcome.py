"""What grading one part decides, before points are attached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grader.results import Reading, Status


@dataclass(frozen=True)
class Outcome:
    """Status, credit (0..1) and explanation of one graded part.

    ``feedback`` is the whole explanation (TAs, ``reveal: answers``); ``hint`` is what
    ``reveal: feedback`` shows instead when the explanation would give an answer away (an
    expected value, a formula), None when the same text serves both.
    """

    status: Status
    credit: float
    value: Any = None
    mistake: str | None = None
    feedback: str = ""
    carried_forward: bool = False
    review: str | None = None
    hint: str | None = None
    shareable: bool = True
    """Whether another file may reuse this outcome for the same answer: False when it depends
    on the rest of this file (its decimal habit)."""
    readings: tuple[Reading, ...] = ()
    """For an unreadable answer, what each of its possible readings would score."""


def credited(credit: float, **fields: Any) -> Outcome:
    """An outcome whose status follows from its credit (1: correct, 0: incorrect)."""
    if credit >= 1.0:
        status = Status.CORRECT
    elif credit > 0.0:
        status = Status.PARTIAL
    else:
        status = Status.INCORRECT
    return Outcome(status, credit, **fields)
