"""Gradescope's autograder contract: grade the one answer file in the submission folder and write
``results.json`` (score, one test per part with ``max_score``, Markdown output, visibility).

What each test shows is the student's view at the assignment's ``reveal`` level
(:func:`grader.reveal.student_view`): ``none`` status and points only, kept until the TA
publishes (``after_published``); ``feedback`` also the explanations, ``answers`` also the
expected values with the worked solution and the rubric notes, both ``visible`` at once. A
submission that cannot be graded still gets a valid ``results.json`` with score 0 and the
reason (Gradescope otherwise shows "The autograder failed to execute correctly").
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from grader.escaping import escape_markdown
from grader.input.bounded_read import read_regular_file
from grader.input.student_files import ClassListing, list_class, shown_name
from grader.input.submission import valid_student_id
from grader.reports.reveal import PartView, student_view
from grader.reports.solution_view import format_value
from grader.results import Status, SubmissionResult
from grader.run.time_budget import TIME_BUDGET_SECONDS, grade_with_budget
from grader.sheets.expectations import Expectations
from grader.sheets.sheet_set import SheetSet, one_sheet
from reference.solution import format_number

RELEASED = {
    "none": "Each test shows its status and points; feedback is not released.",
    "feedback": "Each test explains what was recognised; expected values are not released.",
    "answers": "Each test shows the expected value and its worked solution.",
}
"""What the student learns at each reveal level, said in the overall output."""
SUBMISSION_DIR = Path("/autograder/submission")
RESULTS_FILE = Path("/autograder/results/results.json")
_MAX_GROUP = 100  # members of one upload looked at (Gradescope groups are a handful)
_MAX_METADATA_BYTES = 1024 * 1024  # Gradescope's is a few KiB: its users and their ids


def answer_files_in(folder: Path) -> tuple[list[str], ClassListing]:
    """The answer files of an upload (``.yaml``, ``.yml``, ``.json``; not an editor's
    ``*.schema.json`` nor hidden files), by name; links are not followed out of ``folder``."""
    listing = list_class([folder])
    found = [
        name
        for name in listing.files
        if not os.path.basename(name).startswith(".") and not name.lower().endswith(".schema.json")
    ]
    return found, listing


def uploader_ids(metadata: Path) -> tuple[str, ...]:
    """The student ids (``sid``) of whoever uploaded, from Gradescope's
    ``submission_metadata.json``: the uploader (its first user) first, then the other members
    of a group whose ``sid`` is a student id; empty when the file is missing, unreadable or
    its first user has no student id (then the id the answer file claims is used)."""
    try:
        # Bounded and without blocking: whatever lies at the path (a folder, a FIFO, JSON
        # nested past the decoder's recursion) means no uploader, never a failed grading.
        data = read_regular_file(metadata, _MAX_METADATA_BYTES)
        if data is None or len(data) >= _MAX_METADATA_BYTES:
            return ()
        users = json.loads(data.decode("utf-8"))["users"]
        first = _sid_of(users[0])
    except (OSError, ValueError, KeyError, IndexError, TypeError, RecursionError):
        return ()
    if first is None:
        return ()
    found = [first]
    for user in users[1:_MAX_GROUP]:
        member = _sid_of(user)
        if member is not None and member.lower() not in (f.lower() for f in found):
            found.append(member)
    return tuple(found)


def _sid_of(user: object) -> str | None:
    """A metadata user's student id, or None when it has none that is a valid id."""
    sid = user.get("sid") if isinstance(user, dict) else None
    if not isinstance(sid, str | int) or isinstance(sid, bool):
        return None
    text = str(sid).strip()
    return text if valid_student_id(text) else None


def uploader_id(metadata: Path) -> str | None:
    """The uploader's student id (the first of :func:`uploader_ids`), or None."""
    return next(iter(uploader_ids(metadata)), None)


def gradescope_results(
    folder: Path,
    exp: Expectations | SheetSet,
    *,
    uploader: str | None = None,
    group: Sequence[str] = (),
) -> dict[str, Any]:
    """The ``results.json`` document for one submission folder.

    An upload must hold exactly one answer file: with none, or with several (which one would
    the student want graded?), the result says so and names them; nothing is picked silently.
    Grading is bounded by the per-file time budget. With the sheet's variants in ``exp``
    (a course seed), the file is graded against its student's own variant: the ``uploader``'s
    (Gradescope knows who uploaded, see :func:`uploader_id`), else the student the file names;
    a file that names someone else is still graded as the uploader's, and the output says so.
    In a group upload (``group``: the other members' ids), a file that names one of the group
    is graded as that member's: the group worked with that member's numbers.
    """
    sheets = exp if isinstance(exp, SheetSet) else one_sheet(exp)
    if not os.path.isdir(folder):
        return failure_document("No submission folder was found: upload your answer file again.")
    found, listing = answer_files_in(folder)
    if not found:
        seen = "; ".join(f"{e.name} ({e.reason})" for e in listing.not_graded[:10])
        return failure_document(
            "No answer file found: upload one `.yaml` or `.json` answer file "
            "(run `grader template` for one to fill in)."
            + (f" Found: {escape_markdown(seen)}." if seen else "")
        )
    if len(found) > 1:
        names = ", ".join(
            f"`{escape_markdown(shown_name(os.path.relpath(name, folder)))}`" for name in found
        )
        return failure_document(
            f"Your upload holds {len(found)} answer files ({names}): upload exactly one, so "
            "that it is clear which one is graded."
        )
    graded = grade_with_budget(
        Path(found[0]), sheets, TIME_BUDGET_SECONDS, within=listing.boundary, student=uploader
    )
    claimed = graded.submission.student.id if graded.submission is not None else None
    member = _member_named(claimed, group)
    if member is not None:
        uploader = member
        graded = grade_with_budget(
            Path(found[0]), sheets, TIME_BUDGET_SECONDS, within=listing.boundary, student=member
        )
    result = graded.result
    exp = sheets.graded_against(result.assignment, result.variant)
    document = results_document(result, exp)
    if graded.submission is not None and "tests" in document and exp.assignment.reveal != "none":
        # What `grader check` notes under its table: text that is no part's answer (an answer
        # lost to a quote left open would otherwise pass for a gap), at the same levels.
        notes = [
            (f"line {problem.line}: " if problem.line else "") + problem.message
            for problem in graded.submission.file_problems
        ]
        document["output"] += "".join(f"\n\n- Note: {escape_markdown(n)}" for n in notes)
    if uploader is None and result.variant and claimed:
        # Nothing but the file's own claim chose the variant: whoever uploaded may have named
        # another student to be graded against numbers whose answers they have.
        document["output"] += (
            " Gradescope gave no student id (SID) for the uploader, so this file is graded"
            f" against the variant of the student it names (`{escape_markdown(claimed[:60])}`);"
            " course staff check that this is the uploader."
        )
    if uploader is not None and claimed and claimed.lower() != uploader.lower():
        document["output"] += (
            f" This file names student `{escape_markdown(claimed[:60])}`; it is graded as the"
            f" uploader's (`{escape_markdown(uploader)}`)"
            + (", against the uploader's own numbers." if result.variant else ".")
        )
    return document


def _member_named(claimed: str | None, group: Sequence[str]) -> str | None:
    """The member of the group (other than the uploader) whose id the file claims, if any."""
    if not claimed:
        return None
    return next((member for member in group if member.lower() == claimed.lower()), None)


def failure_document(reason: str) -> dict[str, Any]:
    """Results for a submission that could not be graded: score 0 and ``reason`` (Markdown)."""
    return {"score": 0.0, "output_format": "md", "visibility": "visible", "output": reason}


def results_document(result: SubmissionResult, exp: Expectations) -> dict[str, Any]:
    """A graded result in Gradescope's format: the student's view of it, never the result."""
    view = student_view(result, exp)
    visibility = "after_published" if view.reveal == "none" else "visible"
    if view.status == "error":
        why = escape_markdown(view.error or "")
        return failure_document(f"**Your file could not be graded:** {why}")
    units = {part.id: part.unit for part in exp.assignment.parts}
    tests = [_test(part, units.get(part.id, "1"), visibility) for part in view.parts]
    waiting = format_number(view.pending_review)
    pending = (
        f" ({waiting} point{'' if waiting == '1' else 's'} wait for a TA's review)"
        if view.pending_review
        else ""
    )
    return {
        "score": view.score,
        "output": f"Automatic score: {format_number(view.score)} / "
        f"{format_number(view.max_score)}{pending}. {RELEASED[view.reveal]}"
        + (f" Graded against your variant {view.variant}." if view.variant else ""),
        "output_format": "md",
        "test_output_format": "md",
        "visibility": visibility,
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def _test(part: PartView, unit: str, visibility: str) -> dict[str, Any]:
    lines = [f"**{part.status.value.replace('_', ' ')}**"]
    if part.feedback:
        lines.append(escape_markdown(part.feedback))
    if part.review:
        lines.append(f"_Review notes:_ {escape_markdown(part.review)}")
    if part.expected is not None:
        expected = format_value(part.expected, "" if unit == "1" else unit)
        lines.append(f"Expected: {escape_markdown(expected)}")
    if part.solution is not None:
        worked = f"{part.solution.formula} → {part.solution.worked}"
        lines.append(f"Solution: {escape_markdown(worked)}")
    test: dict[str, Any] = {
        "name": f"{part.id}: {part.title}",
        "number": part.id.removeprefix("q"),
        "score": part.points,
        "max_score": part.max_points,
        "output": "\n\n".join(lines),
        "output_format": "md",
        "visibility": visibility,
    }
    if part.status is not Status.NEEDS_REVIEW:  # (unreadable answers are not sent here)
        test["status"] = "passed" if part.status is Status.CORRECT else "failed"
    return test


def write_results(document: dict[str, Any], path: Path) -> None:
    """Write ``results.json`` (creating its folder)."""
    from grader.run.atomic import write_text_atomic

    write_text_atomic(path, json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False))
