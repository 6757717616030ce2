"""What an answer that cannot be read becomes: ``invalid``, with the grader's reason and what
each of its possible readings would score; in a class run (``invalid: review``) sent to a TA,
its points pending until the TA decides (see ``results.awaits_person``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from grader.errors import AnswerFormatError
from grader.grading.outcome import Outcome
from grader.input.answer_tree import Node
from grader.results import SENT_TO_REVIEW, PartResult, Reading, Status, readings_text
from grader.sheets.assignment import Part
from grader.sheets.expectations import Expectations

__all__ = ["Unreadable", "invalid_result", "scored_readings", "where"]


class Unreadable(NamedTuple):
    """What the memo keeps of an answer that cannot be read: the reason, and the texts the
    answer may have meant."""

    message: str
    readings: tuple[str, ...]


def where(part_id: str, line: int | None, message: str) -> str:
    """``q1.b (line 7): message``: the part and its line first."""
    return f"{part_id} (line {line}): {message}" if line else f"{part_id}: {message}"


def invalid_result(
    part: Part,
    exp: Expectations,
    line: int | None,
    message: str,
    submitted: str | list[str] | dict[str, str] | None,
    readings: tuple[Reading, ...] = (),
    answer_id: str | None = None,
) -> PartResult:
    """An answer that cannot be read: 0 points, or in a class run a TA's to decide."""
    feedback = where(part.id, line, message)
    result = PartResult(
        id=part.id,
        status=Status.INVALID,
        credit=0.0,
        points=0.0,
        max_points=part.points,
        expected=exp.expected(part.id),
        line=line,
        submitted=submitted,
        feedback=feedback,
        readings=readings,
        answer_id=answer_id,
    )
    if not exp.unreadable_to_review:
        return result
    review = f"Could not be read: {message.rstrip('.')}. {readings_text(readings, part.points)}"
    return result.model_copy(
        update={
            "feedback": f"{SENT_TO_REVIEW} {feedback}",
            "review": review.strip(),
            "sent_to_review": True,
        }
    )


def scored_readings(
    part: Part, line: int | None, texts: tuple[str, ...], grade: Callable[[Node], Outcome]
) -> tuple[Reading, ...]:
    """What each possible reading of an unreadable answer would score (``grade`` grades one
    answer of the part as the student's file stands); readings that do not read are left out."""
    readings = []
    for text in texts:
        try:
            outcome = grade(Node(text, line))
        except (AnswerFormatError, ArithmeticError, RecursionError, ValueError):
            continue
        points = round(outcome.credit * part.points, 4)
        readings.append(
            Reading(text=text, status=outcome.status, points=points, value=outcome.value)
        )
    return tuple(readings)
