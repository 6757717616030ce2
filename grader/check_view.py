"""A graded file for the terminal (``grader check``) and its format report (``grader validate``)."""

from __future__ import annotations

from tabulate import tabulate

from grader.results import Status, SubmissionResult
from grader.submission import Submission
from reference.solution import format_number as fmt

FEEDBACK_WIDTH = 64


def _points(value: float) -> str:
    return fmt(round(value, 2))


def result_header(result: SubmissionResult) -> str:
    """Who, which assignment, and the score line."""
    who = (
        f"{result.student.name} ({result.student.id})" if result.student.name else result.student.id
    )
    head = f"{who}, assignment {result.assignment}"
    if result.status == "error":
        return f"{head}\nNOT GRADED: {result.error}"
    score = f"Score {_points(result.score)} / {_points(result.max_score)}"
    if result.pending_review:
        pending = _points(result.pending_review)
        score += f"  (+{pending} point{'' if pending == '1' else 's'} pending review by a TA)"
    return f"{head}\n{score}"


def result_table(result: SubmissionResult, submission: Submission | None = None) -> str:
    """Header, a row per part (part, status, points, feedback), and file-level notes."""
    lines = [result_header(result)]
    if result.status == "graded":
        rows = [
            [
                p.id,
                p.status.value.replace("_", " "),
                f"{_points(p.points)} / {_points(p.max_points)}",
                p.feedback + (f" [{p.review}]" if p.review else ""),
            ]
            for p in result.parts
        ]
        lines.append("")
        lines.append(
            tabulate(
                rows,
                headers=["part", "status", "points", "feedback"],
                tablefmt="simple",
                disable_numparse=True,
                maxcolwidths=[None, None, None, FEEDBACK_WIDTH],
            )
        )
    if submission is not None:
        for problem in submission.file_problems:
            where = f"line {problem.line}: " if problem.line else ""
            lines.append(f"note: {where}{problem.message}")
    return "\n".join(lines)


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
