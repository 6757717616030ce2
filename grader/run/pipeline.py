"""Files in, results out: load -> grade, where one bad file never stops anything.

``grade_file`` never raises for a student's file: whatever goes wrong becomes a result with
``status: error`` and the reason, so a batch always gets one row per file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from grader.errors import SubmissionError
from grader.grading.grade import error_result, grade_submission
from grader.input.loading import LoadResult, load_answer_bytes, load_answer_file
from grader.input.student_files import Boundary, list_class, shown_name
from grader.input.submission import (
    NothingRead,
    Submission,
    build_submission,
    sheet_named,
    valid_student_id,
)
from grader.results import SubmissionResult
from grader.run.watchdog import outside_budget
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import bundled_sheets, default_sheet_id, load_assignment
from grader.sheets.sheet_set import SheetSet
from grader.sheets.variant_expectations import choose_variant, no_seed_note


@dataclass(frozen=True)
class Graded:
    """A graded file: the result, and the loaded submission when the file could be read."""

    result: SubmissionResult
    submission: Submission | None


def default_assignment(name: str | None) -> Assignment:
    """The sheet named on the command line, else the course's first (``grader sheets``)."""
    return load_assignment(name or default_sheet_id())


def grade_file(
    path: Path,
    sheets: Expectations | SheetSet,
    *,
    within: Boundary | None = None,
    student: str | None = None,
) -> Graded:
    """Grade one answer file against the sheet it names among ``sheets`` (see
    :mod:`grader.sheets.sheet_set`), and on a sheet with variants against its student's own
    (``student``: whose file it is, when the submission channel or roster says so; else the
    id the file claims); every failure becomes an error result. A link leading out of the
    folder of ``within`` that holds it (else the file's own folder) is not followed."""
    return _graded(load_answer_file(path, within=within), sheets, path, student)


def grade_bytes(data: bytes, sheets: Expectations | SheetSet, *, fmt: str, name: str) -> Graded:
    """Grade an answer file given as bytes (``name`` stands in for its file name)."""
    return _graded(load_answer_bytes(data, fmt=fmt), sheets, Path(name))


def _graded(
    loaded: LoadResult, sheets: Expectations | SheetSet, path: Path, student: str | None = None
) -> Graded:
    if isinstance(sheets, Expectations):
        exp, book = sheets, None
    else:
        exp = sheets.of(named_sheet(loaded))
        book = sheets.book_of(exp.assignment.id)
    try:
        submission = build_submission(loaded, exp.assignment, path=path)
    except SubmissionError as error:
        return _unreadable(exp, path, error)
    if book is None or submission.assignment not in (None, exp.assignment.id):
        graded = _grade_loaded(exp, submission, path)
        if book is None and submission.variant and exp.assignment.variants is not None:
            # The sheet has variants, the file a code, and no seed is in force: say so.
            result = graded.result
            if result.status == "graded":
                flags = (*result.flags, no_seed_note(submission.variant))
                graded = Graded(result.model_copy(update={"flags": flags}), graded.submission)
        return graded
    with outside_budget():  # solving the sheet for a variant is not the file's doing
        choice = choose_variant(book, student or submission.student.id, submission.variant)
        variant_exp = book.expectations(choice.variant)
    note = (choice.note,) if choice.note else ()
    graded = _grade_loaded(variant_exp, submission, path, choice.code, note)
    result = graded.result
    if result.status == "graded":
        return graded  # graded with its variant and note
    update = {"variant": choice.code, "flags": (*result.flags, *note)}
    return Graded(result.model_copy(update=update), graded.submission)


def named_sheet(loaded: LoadResult) -> str | None:
    """The sheet id an answer file's ``assignment:`` names (None: it names none)."""
    tree = loaded.tree
    if tree is None or not isinstance(tree.value, dict):
        return None
    return sheet_named(tree.value.get("assignment"))


def _unreadable(exp: Expectations, path: Path, error: SubmissionError) -> Graded:
    # A file of which no answer could be read may still say whose it is.
    student = error.student.id if isinstance(error, NothingRead) else None
    return Graded(file_error(exp, path, str(error), student), None)


def file_error(
    exp: Expectations, path: str | Path, message: str, student: str | None = None
) -> SubmissionResult:
    """The error result of a file that could not be graded, under the id its name gives
    (or ``student``, when the file said whose it is)."""
    assignment = exp.assignment
    return error_result(
        assignment.id, assignment.max_score, student or file_id(path), message, shown_name(path)
    )


def _grade_loaded(
    exp: Expectations,
    submission: Submission,
    path: Path,
    variant: str | None = None,
    flags: tuple[str, ...] = (),
) -> Graded:
    """Grade a loaded submission; ``variant`` and ``flags`` are given to a graded result (see
    :func:`grade_submission`), not to an error result, which the caller completes."""
    assignment = exp.assignment
    if submission.assignment and submission.assignment != assignment.id:
        line = submission.assignment_line
        message = (f"line {line}: " if line else "") + (
            f"this file is for assignment {submission.assignment[:60]!r}, not {assignment.id!r}"
        )
        if submission.assignment not in bundled_sheets():
            message += (
                f" (no installed sheet is {submission.assignment[:60]!r}: give its sheet folder"
                " with -a)"
            )
        return Graded(
            error_result(
                assignment.id,
                assignment.max_score,
                submission.student.id,
                message,
                shown_name(path),
            ),
            submission,
        )
    try:
        return Graded(grade_submission(exp, submission, variant=variant, flags=flags), submission)
    except Exception as error:
        message = f"internal error while grading ({type(error).__name__}); please report it"
        return Graded(
            error_result(
                assignment.id,
                assignment.max_score,
                submission.student.id,
                message,
                shown_name(path),
            ),
            submission,
        )


_UNSAFE_IN_ID = re.compile(r"[^A-Za-z0-9_-]+")


def file_id(path: str | Path) -> str:
    """The id of a file whose own id is unusable (unreadable, or none in it): its name when
    that is a valid id, else the name made safe with a short hash of the whole path, so that
    ``aux.yaml``, ``nul.json``, a name that is not UTF-8 or is too long still get a row of
    their own, under the same id on every run.

    >>> file_id("class/s1.yaml"), file_id("class/aux.yaml")[:4], file_id("x/com1.b.json")[:7]
    ('s1', 'aux-', 'com1_b-')
    """
    text = os.fspath(path)
    stem = os.path.splitext(os.path.basename(text))[0]
    if valid_student_id(stem):
        return stem
    import hashlib  # rare: only for a name that cannot be an id

    safe = _UNSAFE_IN_ID.sub("_", stem).strip("_-")[:40] or "file"
    digest = hashlib.blake2b(os.fsencode(text), digest_size=4).hexdigest()
    found = f"{safe}-{digest}"
    return found if valid_student_id(found) else f"file-{digest}"


def expectations_for(assignment: Assignment, *, class_run: bool = False) -> Expectations:
    """Solve the assignment once for a run; ``class_run`` for grading a class (``grader
    grade``), where an answer that cannot be read goes to a TA (``Expectations``)."""
    return build_expectations(assignment, class_run=class_run)


def answer_files(paths: list[Path]) -> list[Path]:
    """Answer files under the given paths (files as given, folders searched), each folder's
    files in ``sorted(Path)`` order."""
    return [Path(name) for name in answer_file_names(paths)]


def answer_file_names(paths: list[Path]) -> list[str]:
    """:func:`answer_files` as text: making a Path of each file name would delay the start
    of grading by more than listing the class takes. What is not graded
    and why: :func:`grader.student_files.list_class`."""
    return list_class(paths).files
