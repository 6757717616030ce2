"""What variants give students and TAs: a student's own answer file (their code filled in,
their givens in its header) and the roster's list of every student's variant.
"""

from __future__ import annotations

from grader.errors import UsageError
from grader.input.roster import Roster
from grader.input.submission import valid_student_id
from grader.reports.template import answer_template
from grader.sheets.assignment import Assignment
from grader.sheets.variant_expectations import VariantBook
from grader.sheets.variants import variant_sheet, varied_givens
from grader.spreadsheet import to_csv


def student_template(
    assignment: Assignment,
    book: VariantBook | None,
    student_id: str,
    *,
    schema_url: str | None = None,
) -> str:
    """The answer file of one student: their id, and (when the sheet has variants under a
    seed, ``book``) their variant's code and givens.

    Raises:
        UsageError: the id is not a usable student id, or the sheet has variants and no
            course seed is set (the file would carry no code).
    """
    if not valid_student_id(student_id):
        raise UsageError(
            f"--student {student_id[:40]!r}: not a student id (letters, digits, . _ -)"
        )
    if book is None:
        if assignment.variants is not None:
            raise UsageError(
                f"sheet {assignment.id} has variants, but no course seed is set: give --seed "
                "or set `seed:` in sheets/course.yaml"
            )
        return answer_template(assignment, schema_url=schema_url, student_id=student_id)
    variant = book.of_student(student_id)
    return answer_template(
        variant_sheet(assignment, variant),
        schema_url=schema_url,
        student_id=student_id,
        variant_code=book.code(variant),
    )


def roster_variants_csv(book: VariantBook, roster: Roster) -> str:
    """One row per roster student, in the roster's order: id, name, variant code, and the
    variant's value of every varied given, as the sheet writes it (with its unit)."""
    names = varied_givens(book.assignment)
    rows = []
    for student in roster.students:
        variant = book.of_student(student.id)
        rows.append(
            [student.id, student.name, book.code(variant), *(variant.givens[n] for n in names)]
        )
    return to_csv(["id", "name", "variant", *names], rows)
