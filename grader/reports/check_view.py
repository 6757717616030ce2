"""A graded file for the terminal (``grader check``) and its format report (``grader validate``)."""

from __future__ import annotations

from tabulate import tabulate

from grader.input.submission import Submission
from grader.reports.reveal import PartView, StudentView
from grader.results import Status, SubmissionResult
from reference.solution import format_number as fmt

FEEDBACK_WIDTH = 64


def _points(value: float) -> str:
    return fmt(round(value, 2))


def result_header(view: StudentView) -> str:
    """Who, which assignment, and the score line."""
    who = f"{view.student.name} ({view.student.id})" if view.student.name else view.student.id
    head = f"{who}, assignment {view.assignment}"
    if view.status == "error":
        return f"{head}\nNOT GRADED: {view.error}"
    score = f"Score {_points(view.score)} / {_points(view.max_score)}"
    if view.pending_review:
        pending = _points(view.pending_review)
        score += f"  (+{pending} point{'' if pending == '1' else 's'} pending review by a TA)"
    return f"{head}\n{score}"


LEVEL_NOTES = {
    "none": "Shown: status and points only (reveal: none). "
    "`grader validate FILE` explains unreadable answers.",
    "feedback": "Shown: status, points and feedback; no expected values (reveal: feedback).",
    "answers": "Shown: everything, with each part's worked solution (reveal: answers).",
}
"""The line under the table: what this assignment's reveal level shows."""


def result_table(view: StudentView, submission: Submission | None = None) -> str:
    """Header, a row per part (part, status, points and what the level shows), file notes."""
    lines = [result_header(view)]
    if view.status == "graded":
        headers = ["part", "status", "points"]
        rows = [[p.id, p.status.value.replace("_", " "), _points_of(p)] for p in view.parts]
        if view.shows_feedback:
            headers.append("feedback")
            for row, part in zip(rows, view.parts, strict=True):
                row.append(_feedback_cell(part))
        lines.append("")
        lines.append(
            tabulate(
                rows,
                headers=headers,
                tablefmt="simple",
                disable_numparse=True,
                maxcolwidths=[None, None, None, FEEDBACK_WIDTH][: len(headers)],
            )
        )
    if submission is not None and view.shows_feedback:
        for problem in submission.file_problems:
            where = f"line {problem.line}: " if problem.line else ""
            lines.append(f"note: {where}{problem.message}")
    if view.status == "graded":
        lines.append(f"\n{LEVEL_NOTES[view.reveal]}")
    return "\n".join(lines)


def _points_of(part: PartView) -> str:
    return f"{_points(part.points)} / {_points(part.max_points)}"


def _feedback_cell(part: PartView) -> str:
    text = part.feedback or ""
    if part.review:
        text += f" [{part.review}]"
    if part.solution is not None:
        solution = part.solution
        text += f"\nSolution: {solution.formula} → {solution.worked}"
    return text.strip()


def validation_report(result: SubmissionResult, submission: Submission | None) -> tuple[bool, str]:
    """Format problems only, never whether a value is right: (valid, report text)."""
    label = result.file or result.student.id
    if result.status == "error":
        return False, f"{label}: INVALID: {result.error}"
    problems = [p.feedback for p in result.parts if p.status is Status.INVALID]
    if submission is not None:
        problems += [
            (f"line {p.line}: " if p.line else "") + p.message for p in submission.file_problems
        ]
    missing = [p.id for p in result.parts if p.status is Status.MISSING]
    answered = len(result.parts) - len(missing)
    summary = f"{answered} of {len(result.parts)} parts answered"
    if missing:
        summary += f"; unanswered: {', '.join(missing)}"
    if problems:
        body = "\n".join(f"  - {problem}" for problem in problems)
        return False, f"{label}: INVALID ({summary})\n{body}"
    return True, f"{label}: ok ({summary})"
