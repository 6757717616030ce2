"""What variants give students and TAs: a student's own answer file (their code filled in,
their givens in its header), their own question sheet, and the roster's list of every
student's variant.
"""

from __future__ import annotations

from grader.errors import UsageError
from grader.input.roster import Roster
from grader.input.submission import valid_student_id
from grader.reports.question_sheet import VariantBanner, questions_html, questions_markdown
from grader.reports.template import answer_template
from grader.sheets.assignment import Assignment
from grader.sheets.solving import resolve_givens
from grader.sheets.variant_expectations import VariantBook
from grader.sheets.variants import Variant, variant_sheet, varied_givens
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
    variant = student_variant(assignment, book, student_id)
    if book is None or variant is None:
        return answer_template(assignment, schema_url=schema_url, student_id=student_id)
    return answer_template(
        variant_sheet(assignment, variant),
        schema_url=schema_url,
        student_id=student_id,
        variant_code=book.code(variant),
    )


def student_questions(
    assignment: Assignment, book: VariantBook | None, student_id: str, *, fmt: str = "md"
) -> str:
    """One student's question sheet (``fmt``: ``md`` or ``html``): their variant's givens
    filled in and its code under the title.

    Raises:
        UsageError: the id is not a usable student id, the sheet declares no variants, or
            no course seed is set (a student's sheet would be everyone's).
        AssignmentError: the questions cannot be read or filled in.
    """
    variant = student_variant(assignment, book, student_id)
    if book is None or variant is None:
        raise no_variants_error(assignment)
    sheet = variant_sheet(assignment, variant)
    givens = resolve_givens(sheet)
    banner = VariantBanner(book.code(variant), student_id)
    render = questions_html if fmt == "html" else questions_markdown
    return render(sheet, givens, banner)


def check_student_id(student_id: str) -> None:
    """Refuse an id that is not a usable student id (it names files and goes into them).

    Raises:
        UsageError: it is not one.
    """
    if not valid_student_id(student_id):
        raise UsageError(
            f"--student {student_id[:40]!r}: not a student id (letters, digits, . _ -)"
        )


def student_variant(
    assignment: Assignment, book: VariantBook | None, student_id: str
) -> Variant | None:
    """The student's variant: None when the sheet declares no variants.

    Raises:
        UsageError: the id is not a usable student id, or the sheet has variants and no
            course seed is set (``book`` is None).
    """
    check_student_id(student_id)
    if book is None:
        if assignment.variants is not None:
            raise no_seed_error(assignment)
        return None
    return book.of_student(student_id)


def no_seed_error(assignment: Assignment) -> UsageError:
    """The error for a sheet with variants when no course seed is set."""
    return UsageError(
        f"sheet {assignment.id} has variants, but no course seed is set: give --seed SEED "
        "(students: the course's seed, as the course announces it; staff: or set `seed:` in "
        "the course file, sheets/course.yaml)"
    )


def no_variants_error(assignment: Assignment) -> UsageError:
    """The error for a per-student command on a sheet that declares no variants."""
    return UsageError(
        f"sheet {assignment.id} declares no variants (`variants:` in sheet.yaml): every "
        "student has the same sheet (`grader sheet` without --student)"
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
