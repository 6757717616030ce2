"""A graded file for the terminal (``grader check``) and its format report (``grader validate``)."""

from __future__ import annotations

import textwrap

from tabulate import tabulate

from grader.input.submission import Submission
from grader.reports.reveal import PartView, StudentView
from grader.results import SENT_TO_REVIEW, Status, SubmissionResult
from reference.solution import format_number as fmt

FEEDBACK_WIDTH = 64
LEGEND_WIDTH = 100


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


PENDING = "pending"
"""The status of a part a TA has yet to grade (its points are not in the score yet)."""
NOT_YET = "–"
"""The points of a part a TA has yet to grade, in place of a 0 it has not been given."""
LEGEND = {
    PENDING: f"{PENDING}: a TA has yet to grade this part; {NOT_YET} / n: no points yet, up to n "
    "once graded (not in the score above until then).",
    "Solution": "Solution: the worked solution, the formula → its value for your sheet.",
    "TA": "TA: a note from the TA who reviewed the part.",
}
"""What each mark the table may show means; the legend under the table lists the ones shown."""


def result_table(view: StudentView, submission: Submission | None = None) -> str:
    """Header, a row per part (part, line, status, points and what the level shows), a legend of
    the marks shown, file notes."""
    lines = [result_header(view)]
    if view.status == "graded":
        lines += ["", *_parts_table(view)]
    if submission is not None and view.shows_feedback:
        lines += [f"note: {note}" for note in file_note_lines(submission)]
    if view.status == "graded":
        lines.append(f"\n{LEVEL_NOTES[view.reveal]}")
    return "\n".join(lines)


def file_note_lines(submission: Submission) -> list[str]:
    """What of the file no part holds, each with its line: ``line 5: unknown part 'q9'``."""
    return [(f"line {p.line}: " if p.line else "") + p.message for p in submission.file_problems]


def _parts_table(view: StudentView) -> list[str]:
    """The table, then its legend (one line per mark it shows)."""
    with_lines = any(p.line for p in view.parts)
    headers = ["part", *(["line"] if with_lines else []), "status", "points"]
    rows = []
    for part in view.parts:
        line = [str(part.line or "")] if with_lines else []
        rows.append([part.id, *line, _status_of(part), _points_of(part)])
    if view.shows_feedback:
        headers.append("feedback")
        for row, part in zip(rows, view.parts, strict=True):
            row.append(_feedback_cell(part))
    widths: list[int | None] = [None] * (len(headers) - 1)
    table = tabulate(
        rows,
        headers=headers,
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=[*widths, FEEDBACK_WIDTH] if view.shows_feedback else None,
    )
    shown = {row[headers.index("status")] for row in rows}
    feedback = [row[-1] for row in rows] if view.shows_feedback else []
    marks = [
        mark
        for mark in LEGEND
        if mark in shown
        or any(cell.startswith(f"{mark}:") or f"\n{mark}:" in cell for cell in feedback)
    ]
    legend = [wrapped for mark in marks for wrapped in textwrap.wrap(LEGEND[mark], LEGEND_WIDTH)]
    return [table, *([""] if legend else []), *legend]


def _status_of(part: PartView) -> str:
    if part.status is Status.NEEDS_REVIEW:
        return PENDING
    return part.status.value.replace("_", " ")


def _points_of(part: PartView) -> str:
    if part.status is Status.NEEDS_REVIEW and not part.points:
        return f"{NOT_YET} / {_points(part.max_points)}"
    return f"{_points(part.points)} / {_points(part.max_points)}"


def _feedback_cell(part: PartView) -> str:
    text = _without_own_place(part.feedback or "", part)
    if part.review:
        text += f"\nTA: {part.review}"
    if part.solution is not None:
        solution = part.solution
        text += f"\nSolution: {solution.formula} → {solution.worked}"
    return text.strip()


def _without_own_place(text: str, part: PartView) -> str:
    """The message without the part id and line the row shows already ("q1.a (line 7): ")."""
    for place in (f"{part.id} (line {part.line}): ", f"{part.id}: "):
        head, found, rest = text.partition(place)
        if found and head.strip() in ("", SENT_TO_REVIEW):
            return f"{head}{rest}"
    return text


def validation_report(result: SubmissionResult, submission: Submission | None) -> tuple[bool, str]:
    """Format problems only, never whether a value is right: (valid, report text)."""
    label = result.file or result.student.id
    if result.status == "error":
        return False, f"{label}: INVALID: {result.error}"
    problems = [p.feedback for p in result.parts if p.status is Status.INVALID]
    if submission is not None:
        problems += file_note_lines(submission)
    missing = [p.id for p in result.parts if p.status is Status.MISSING]
    answered = len(result.parts) - len(missing)
    summary = f"{answered} of {len(result.parts)} parts answered"
    if missing:
        summary += f"; unanswered: {', '.join(missing)}"
    if problems:
        body = "\n".join(f"  - {problem}" for problem in problems)
        return False, f"{label}: INVALID ({summary})\n{body}"
    return True, f"{label}: ok ({summary})"
