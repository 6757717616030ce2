"""Result models: what grading produces and every output is built from (pydantic, frozen)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Status(StrEnum):
    """Outcome of one part."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    INVALID = "invalid"
    MISSING = "missing"
    NEEDS_REVIEW = "needs_review"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartResult(_Frozen):
    """One part of one student's file, graded.

    Attributes:
        submitted: the student's text as written (None when missing).
        value: what the grader read it as (a number in the part's unit, a choice...).
        expected: the reference value.
        mistake: a machine-readable tag of the recognised mistake (``macs_not_flops``).
        carried_forward: credit given because the answer follows from the student's own
            earlier (wrong) answers.
        line: 1-based line of the answer in the student's file.
        review: for parts a person grades, what the grader suggests (rubric items covered).
    """

    id: str
    status: Status
    credit: float
    points: float
    max_points: float
    submitted: str | list[str] | dict[str, str] | None = None
    value: Any = None
    expected: Any = None
    mistake: str | None = None
    carried_forward: bool = False
    feedback: str = ""
    line: int | None = None
    review: str | None = None


class Student(_Frozen):
    """Who submitted a file."""

    id: str
    name: str = ""


class SubmissionResult(_Frozen):
    """One answer file, graded (or the reason it could not be)."""

    assignment: str
    student: Student
    status: Literal["graded", "error"]
    error: str | None = None
    score: float = 0.0
    max_score: float
    pending_review: float = 0.0
    parts: tuple[PartResult, ...] = ()
    file: str | None = None

    def part(self, part_id: str) -> PartResult:
        """One part's result (``KeyError`` if absent)."""
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)
