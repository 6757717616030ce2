"""The files variants give out, from the command line's names: one student's answer file
(``grader template --student``), one student's question sheet (``grader sheet --student``) or
every roster student's (``--roster --out-dir``), and the roster's variants for the TAs
(``grader variants``).
"""

from __future__ import annotations

from pathlib import Path

from grader.errors import OutputError
from grader.input.roster import read_roster
from grader.reports.variant_files import (
    no_seed_error,
    no_variants_error,
    roster_variants_csv,
    student_questions,
    student_template,
)
from grader.run.atomic import write_text_atomic
from grader.run.pipeline import default_assignment
from grader.run.variant_grading import seed_in_force, variant_book
from grader.sheets.assignment import Assignment
from grader.sheets.variant_expectations import VariantBook


def student_answer_file(
    sheet: str | None, student_id: str, seed: str | None, *, schema_url: str | None = None
) -> str:
    """The answer file of one student of ``sheet`` (an installed id or a folder; the course's
    first when None), with their variant code when the sheet has variants.

    Raises:
        AssignmentError: no such sheet, or it is not valid.
        UsageError: a bad student id, or variants without a seed.
    """
    assignment = default_assignment(sheet)
    book = variant_book(assignment, seed_in_force(seed))
    return student_template(assignment, book, student_id, schema_url=schema_url)


def roster_variants(sheet: str | None, roster: Path, seed: str | None) -> str:
    """The CSV of every roster student's variant of ``sheet``.

    Raises:
        AssignmentError: no such sheet, or it is not valid.
        UsageError: the sheet declares no variants, no seed is set, or the roster is bad.
    """
    assignment = default_assignment(sheet)
    return roster_variants_csv(required_book(assignment, seed), read_roster(roster))


def required_book(assignment: Assignment, seed: str | None) -> VariantBook:
    """The sheet's variants under the seed in force, for a command that needs them.

    Raises:
        UsageError: the sheet declares no variants, or no seed is set.
    """
    if assignment.variants is None:
        raise no_variants_error(assignment)
    book = variant_book(assignment, seed_in_force(seed))
    if book is None:
        raise no_seed_error(assignment)
    return book


def student_question_sheet(sheet: str | None, student_id: str, seed: str | None, fmt: str) -> str:
    """One student's question sheet of ``sheet`` (``fmt``: ``md`` or ``html``), with their
    variant's givens and code.

    Raises:
        AssignmentError: no such sheet, or it is not valid.
        UsageError: a bad student id, a sheet without variants, or no seed.
    """
    assignment = default_assignment(sheet)
    return student_questions(assignment, required_book(assignment, seed), student_id, fmt=fmt)


def roster_question_sheets(
    sheet: str | None, roster: Path, seed: str | None, out_dir: Path, fmt: str
) -> list[Path]:
    """Every roster student's question sheet, one file per student in ``out_dir`` named by
    their id (``s1234567.md``); the paths written, in the roster's order.

    Every sheet is rendered before any is written, so a sheet that cannot be filled in
    leaves the folder as it was.

    Raises:
        AssignmentError: no such sheet, or its questions cannot be filled in.
        UsageError: a sheet without variants, no seed, or a bad roster (the roster reader
            refuses ids that differ only in letter case, which would name one file).
        OutputError: the folder or a file cannot be written.
    """
    assignment = default_assignment(sheet)
    book = required_book(assignment, seed)
    students = read_roster(roster).students
    pages = [
        (out_dir / f"{student.id}.{fmt}", student_questions(assignment, book, student.id, fmt=fmt))
        for student in students
    ]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for path, text in pages:
            write_text_atomic(path, text, durable=False)  # re-run to repair, as a batch
    except OSError as error:
        raise OutputError(f"--out-dir {out_dir}: cannot write: {error.strerror or error}") from None
    return [path for path, _ in pages]
