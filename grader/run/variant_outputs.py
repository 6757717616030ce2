"""The files variants give out, from the command line's names: one student's answer file
(``grader template --student``) and the roster's variants for the TAs (``grader variants``).
"""

from __future__ import annotations

from pathlib import Path

from grader.errors import UsageError
from grader.input.roster import read_roster
from grader.reports.variant_files import roster_variants_csv, student_template
from grader.run.pipeline import default_assignment
from grader.run.variant_grading import seed_in_force, variant_book


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
    if assignment.variants is None:
        raise UsageError(f"sheet {assignment.id} declares no variants (`variants:` in sheet.yaml)")
    book = variant_book(assignment, seed_in_force(seed))
    if book is None:
        raise UsageError("no course seed: give --seed or set `seed:` in sheets/course.yaml")
    return roster_variants_csv(book, read_roster(roster))
