"""Gradescope's autograder contract: grade the one answer file in the submission folder and write
``results.json`` (score, one test per part with ``max_score``, Markdown output, visibility).

Visibility follows the assignment's ``reveal`` setting: ``none`` keeps feedback until the TA
publishes (``after_published``, only statuses and points); ``feedback`` and ``answers`` are
``visible`` at once, ``answers`` adding the expected values. A submission that cannot be graded
still gets a valid ``results.json`` with score 0 and the reason (Gradescope otherwise shows "The
autograder failed to execute correctly").
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from grader.escaping import escape_markdown
from grader.expectations import Expectations
from grader.results import PartResult, Status, SubmissionResult
from grader.student_files import list_class, shown_name
from grader.time_budget import TIME_BUDGET_SECONDS, grade_with_budget
from reference.solution import format_number

SUBMISSION_DIR = Path("/autograder/submission")
RESULTS_FILE = Path("/autograder/results/results.json")


def gradescope_results(folder: Path, exp: Expectations) -> dict[str, Any]:
    """The ``results.json`` document for one submission folder: the first answer file by
    name (hidden files aside) is graded; links are not followed out of ``folder``."""
    if not os.path.isdir(folder):
        return failure_document("No submission folder was found: upload your answer file again.")
    listing = list_class([folder])
    candidates = [f for f in listing.files if not os.path.basename(f).startswith(".")]
    if not candidates:
        found = "; ".join(f"{e.name} ({e.reason})" for e in listing.not_graded[:10])
        return failure_document(
            "No answer file found: upload one `.yaml` or `.json` answer file "
            "(run `grader template` for one to fill in)."
            + (f" Found: {escape_markdown(found)}." if found else "")
        )
    chosen = Path(candidates[0])
    result = grade_with_budget(chosen, exp, TIME_BUDGET_SECONDS, within=listing.boundary)
    document = results_document(result, exp)
    if len(candidates) > 1:
        others = ", ".join(shown_name(os.path.relpath(f, folder)) for f in candidates[1:6])
        more = " and more" if len(candidates) > 6 else ""
        document["output"] += escape_markdown(
            f" (Graded {shown_name(os.path.relpath(chosen, folder))}; not graded: {others}{more}: "
            "upload one answer file.)"
        )
    return document


def failure_document(reason: str) -> dict[str, Any]:
    """Results for a submission that could not be graded: score 0 and ``reason`` (Markdown)."""
    return {"score": 0.0, "output_format": "md", "visibility": "visible", "output": reason}


def results_document(result: SubmissionResult, exp: Expectations) -> dict[str, Any]:
    """A graded result in Gradescope's format."""
    reveal = exp.assignment.reveal
    visibility = "after_published" if reveal == "none" else "visible"
    if result.status == "error":
        why = escape_markdown(result.error or "")
        return failure_document(f"**Your file could not be graded:** {why}")
    titles = {part.id: part.title for part in exp.assignment.parts}
    tests = [_test(part, titles.get(part.id, ""), reveal, visibility) for part in result.parts]
    pending = (
        f" ({format_number(result.pending_review)} points wait for a TA's review)"
        if result.pending_review
        else ""
    )
    return {
        "score": result.score,
        "output": f"Automatic score: {format_number(result.score)} / "
        f"{format_number(result.max_score)}{pending}.",
        "output_format": "md",
        "test_output_format": "md",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _test(part: PartResult, title: str, reveal: str, visibility: str) -> dict[str, Any]:
    lines = [f"**{part.status.value.replace('_', ' ')}**"]
    if reveal != "none" and part.feedback:
        lines.append(escape_markdown(part.feedback))
    if reveal != "none" and part.review:
        lines.append(f"_For the TA:_ {escape_markdown(part.review)}")
    if reveal == "answers" and part.expected is not None:
        lines.append(f"Expected: {escape_markdown(_expected_text(part.expected))}")
    test: dict[str, Any] = {
        "name": f"{part.id}: {title}",
        "number": part.id.removeprefix("q"),
        "score": part.points,
        "max_score": part.max_points,
        "output": "\n\n".join(lines),
        "output_format": "md",
        "visibility": visibility,
    }
    if part.status is not Status.NEEDS_REVIEW:
        test["status"] = "passed" if part.status is Status.CORRECT else "failed"
    return test


def _expected_text(expected: object) -> str:
    if isinstance(expected, dict):
        return ", ".join(f"{k} {format_number(v)}" for k, v in expected.items())
    if isinstance(expected, int | float):
        return format_number(expected)
    return str(expected)


def write_results(document: dict[str, Any], path: Path) -> None:
    """Write ``results.json`` (creating its folder)."""
    from grader.atomic import write_text_atomic

    write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
