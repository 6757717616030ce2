"""What a student may see of a graded file: one function decides it, per reveal level.

The level is the assignment's ``reveal`` (``grader grade --reveal`` overrides it for one run):

- ``none``: per part its status and points, next to the student's own answer and its line;
  nothing else, and no plot.
- ``feedback``: also the explanation of each recognised mistake (the sheet's hint where the
  whole explanation would give an answer away), what the student's own numbers imply (carried-
  forward notes, the values read), and the rooflines drawn from the givens with the student's
  own points and turning points. No expected value, formula, rubric item or reference point.
- ``answers``: everything: the whole explanations, the expected values, the worked solution of
  each part (formula and numbers), the rubric notes, the plot with references and ridge values.

Every student-facing output (``grader check`` and its JSON, the feedback reports and their plot,
Gradescope's ``results.json``) is built from :func:`student_view`, never from the result itself;
outputs for staff read the complete :class:`~grader.results.SubmissionResult`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from grader.reports.solution_view import worked_text
from grader.results import PartResult, Reading, Status, Student, SubmissionResult, file_notes
from grader.sheets.assignment import RevealLevel
from grader.sheets.expectations import Expectations
from grader.spreadsheet import plain_number, points_text

PlotMode = Literal["hidden", "givens", "answers"]
"""The roofline plot: none; the givens' rooflines with the student's own marks; all of it."""

_NONE = (
    "id",
    "title",
    "status",
    "credit",
    "points",
    "max_points",
    "submitted",
    "line",
    "sent_to_review",
)
_FEEDBACK = (*_NONE, "value", "feedback", "mistake", "carried_forward", "readings")
_ANSWERS = (*_FEEDBACK, "expected", "review", "solution")
PART_FIELDS: Mapping[RevealLevel, tuple[str, ...]] = {
    "none": _NONE,
    "feedback": _FEEDBACK,
    "answers": _ANSWERS,
}
"""The fields of a part each level shows (the keys of each part in ``grader check --json``)."""

PLOT: Mapping[RevealLevel, PlotMode] = {
    "none": "hidden",
    "feedback": "givens",
    "answers": "answers",
}
"""The roofline plot each level shows."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WorkedSolution(_Frozen):
    """How the expected answer of a part is obtained: the formula, then the numbers put in."""

    formula: str
    worked: str


class PartView(_Frozen):
    """One part as a student may see it; a field the level hides is None.

    ``ta_note`` is a TA's decision on the part, written for the student: shown at every level
    by the reports (it is not a field of the JSON: ``grader check`` has no TA).
    ``readings`` are the ways an unreadable answer may be read and what each scores: the
    student's own text, read otherwise (shown with the feedback).
    """

    id: str
    title: str
    status: Status
    credit: float
    points: float
    max_points: float
    submitted: str | list[str] | dict[str, str] | None = None
    line: int | None = None
    value: Any = None
    feedback: str | None = None
    mistake: str | None = None
    carried_forward: bool | None = None
    expected: Any = None
    review: str | None = None
    solution: WorkedSolution | None = None
    ta_note: str | None = None
    sent_to_review: bool = False
    readings: tuple[Reading, ...] = ()


class StudentView(_Frozen):
    """A graded file as a student may see it at one reveal level."""

    audience: Literal["student"] = "student"
    reveal: RevealLevel
    assignment: str
    student: Student
    status: Literal["graded", "error"]
    error: str | None = None
    score: float
    max_score: float
    pending_review: float
    parts: tuple[PartView, ...] = ()
    plot: PlotMode = "hidden"
    variant: str | None = None  # the code of the student's own variant: their numbers
    # What of the file no part holds (text that could not be read as any part's answer, an
    # unknown part): shown where feedback is, as ``grader check`` shows it.
    notes: tuple[str, ...] = ()

    def part(self, part_id: str) -> PartView:
        """One part's view (``KeyError`` if absent)."""
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    @property
    def shows_feedback(self) -> bool:
        """Whether explanations are shown (``feedback`` and ``answers``)."""
        return self.reveal != "none"

    @property
    def shows_answers(self) -> bool:
        """Whether expected values and worked solutions are shown."""
        return self.reveal == "answers"


def student_view(
    result: SubmissionResult,
    exp: Expectations,
    level: RevealLevel | None = None,
) -> StudentView:
    """What a student may see of ``result`` at ``level`` (default: the assignment's).

    Args:
        result: the complete graded result (as TAs see it).
        exp: the assignment's expectations (titles, the worked solution).
        level: the reveal level; None for the assignment's ``reveal``.
    """
    level = level or exp.assignment.reveal
    titles = _titles(exp)
    graded = result.status == "graded"
    return StudentView(
        reveal=level,
        assignment=result.assignment,
        student=result.student,
        status=result.status,
        error=result.error,
        score=result.score,
        max_score=result.max_score,
        pending_review=result.pending_review,
        variant=result.variant,
        parts=tuple(
            _part_view(p, titles.get(p.id, ""), level, exp, decision_note(p)) for p in result.parts
        ),
        plot=PLOT[level] if graded else "hidden",
        notes=file_notes(result.flags) if level != "none" else (),
    )


def view_json(view: StudentView) -> str:
    """The view as ``grader check --json`` prints it: each part with exactly the fields of its
    level (a hidden field is absent, not null), without the plot mode."""
    fields = set(PART_FIELDS[view.reveal])
    # The keys README documents, the file's notes among them (what the table prints under it).
    document = view.model_dump(mode="json", exclude={"plot", "parts"})
    document["parts"] = [part.model_dump(mode="json", include=fields) for part in view.parts]
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)


def shown_feedback(part: PartResult, level: RevealLevel) -> str | None:
    """The explanation of a part a level shows: the hint under ``feedback`` where the sheet or
    the grader wrote one, the whole explanation under ``answers``, nothing under ``none``."""
    if level == "none":
        return None
    if level == "feedback" and part.hint is not None:
        return part.hint
    return part.feedback


def decision_note(part: PartResult) -> str | None:
    """What the student reads of a TA's decision on a part, at every level (None: none)."""
    decision = part.decision
    if decision is None:
        return None
    given = f"{plain_number(round(decision.points, 2))} of {points_text(part.max_points)}"
    if decision.stale:
        return (
            f"a TA gave {given} for your earlier answer; you changed it since, so a TA "
            "will look at it again"
        )
    return f"{given}. {decision.comment}" if decision.comment else given


def _part_view(
    part: PartResult, title: str, level: RevealLevel, exp: Expectations, note: str | None
) -> PartView:
    shown: dict[str, Any] = {
        "id": part.id,
        "title": title,
        "status": part.status,
        "credit": part.credit,
        "points": part.points,
        "max_points": part.max_points,
        "submitted": part.submitted,
        "line": part.line,
        "ta_note": note,
        "sent_to_review": part.sent_to_review,
    }
    if level != "none":
        shown |= {
            "value": part.value,
            "feedback": shown_feedback(part, level),
            "mistake": part.mistake,
            "carried_forward": part.carried_forward,
            "readings": part.readings,
        }
    if level == "answers":
        shown |= {
            "expected": part.expected,
            "review": part.review,
            "solution": _solution(exp, part.id),
        }
    # Every value comes from a validated result: built without validating again (a class's
    # reports make tens of thousands of these).
    return PartView.model_construct(**shown)


def _solution(exp: Expectations, part_id: str) -> WorkedSolution | None:
    for step in exp.solution.steps:
        if step.part_id == part_id:
            return WorkedSolution(formula=step.formula, worked=worked_text(step))
    return None


def _titles(exp: Expectations) -> dict[str, str]:
    found = exp.memo.get("titles")
    if found is None:
        found = exp.memo["titles"] = {part.id: part.title for part in exp.assignment.parts}
    assert isinstance(found, dict)
    return found
