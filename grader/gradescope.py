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
from pathlib import Path
from typing import Any

from grader.escaping import escape_markdown
from grader.expectations import Expectations
from grader.pipeline import ANSWER_SUFFIXES, grade_file
from grader.results import PartResult, Status, SubmissionResult, awaits_person
from reference.solution import format_number

SUBMISSION_DIR = Path("/autograder/submission")
RESULTS_FILE = Path("/autograder/results/results.json")


def find_answer_file(folder: Path) -> Path | None:
    """The answer file of a submission folder (the first .yaml/.yml/.json, by name)."""
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in ANSWER_SUFFIXES and not p.name.startswith(".")
    )
    return found[0] if found else None


def gradescope_results(folder: Path, exp: Expectations) -> dict[str, Any]:
    """The ``results.json`` document for one submission folder."""
    answer_file = find_answer_file(folder)
    if answer_file is None:
        return {
            "score": 0.0,
            "output_format": "md",
            "visibility": "visible",
            "output": "No answer file found: upload one `.yaml` or `.json` answer file "
            "(run `grader template` for one to fill in).",
        }
    return results_document(grade_file(answer_file, exp).result, exp)


def results_document(result: SubmissionResult, exp: Expectations) -> dict[str, Any]:
    """A graded result in Gradescope's format."""
    reveal = exp.assignment.reveal
    visibility = "after_published" if reveal == "none" else "visible"
    if result.status == "error":
        return {
            "score": 0.0,
            "output_format": "md",
            "visibility": "visible",
            "output": f"**Your file could not be graded:** {escape_markdown(result.error or '')}",
        }
    titles = {part.id: part.title for part in exp.assignment.parts}
    tests = [_test(part, titles.get(part.id, ""), reveal, visibility) for part in result.parts]
    waiting = format_number(result.pending_review)
    pending = (
        f" ({waiting} point{'' if waiting == '1' else 's'} wait for a TA's review)"
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
    if not awaits_person(part):
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
