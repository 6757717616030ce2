"""Grading a file against its student's own variant (``docs/variants.md``).

The student id decides: a file is graded against the variant the course seed gives its
student (the id the file carries, else its file name's, as the submission reader takes it).
A ``variant:`` code in the file is only checked: one that is mistyped or names another variant
becomes a note for the TA in the result's flags, never a penalty and never a reason to grade
against another student's numbers (a copied file keeps its own student's variant).

Variants are on when the sheet declares them and a course seed is in force (``--seed``, else
``seed:`` in the course file); otherwise a file is graded against the sheet's own givens, as
before variants existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader.input.student_files import Boundary
from grader.run.pipeline import Graded, grade_file
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import course_seed
from grader.sheets.sheet_set import SheetSet
from grader.sheets.variant_expectations import (
    NO_SEED,
    VARIANT_NOTE,
    VariantBook,
    VariantChoice,
)
from grader.sheets.variants import describe


def seed_in_force(option: str | None) -> str | None:
    """The course seed: ``--seed`` when given, else the course file's (None: no variants)."""
    if option is not None and option.strip():
        return option.strip()
    return course_seed()


def variant_book(
    assignment: Assignment, seed: str | None, *, class_run: bool = False
) -> VariantBook | None:
    """The sheet's variants under this seed; None when it declares none or no seed is set."""
    if assignment.variants is None or seed is None:
        return None
    return VariantBook(assignment, seed, class_run=class_run)


@dataclass(frozen=True)
class GradedFile:
    """A file graded against its sheet, or its student's variant of it.

    Attributes:
        graded: the result (with any variant note among its flags) and submission.
        expectations: what it was graded against.
        choice: the variant and its code, when variants are on.
    """

    graded: Graded
    expectations: Expectations
    choice: VariantChoice | None


class FileGrader:
    """Grades files, each against its sheet or its student's variant of it, solving each
    sheet (and each variant) once however many files need it."""

    def __init__(self, seed: str | None, *, class_run: bool = False) -> None:
        self.seed = seed
        self.class_run = class_run
        self._books: dict[int, tuple[Assignment, VariantBook | None]] = {}
        self._plain: dict[int, tuple[Assignment, Expectations]] = {}

    def grade(
        self, path: Path, assignment: Assignment, *, within: Boundary | None = None
    ) -> GradedFile:
        """Grade one file (its student's variant when the sheet has variants and a seed is
        set; else the sheet's own givens)."""
        book = self.book(assignment)
        exp = self._expectations(assignment)
        if book is None:
            return GradedFile(grade_file(path, exp, within=within), exp, None)
        sheets = SheetSet(exp, books={assignment.id: book})
        graded = grade_file(path, sheets, within=within)
        code = graded.result.variant
        if code is None:  # the file could not be graded: no variant was chosen
            return GradedFile(graded, exp, None)
        variant = book.by_code(code)
        note = next((f for f in graded.result.flags if f.startswith(VARIANT_NOTE)), None)
        choice = VariantChoice(variant, code, note)
        return GradedFile(graded, book.expectations(variant), choice)

    def book(self, assignment: Assignment) -> VariantBook | None:
        """The sheet's variants under this grader's seed (None: variants are off for it)."""
        known = self._books.get(id(assignment))
        if known is None or known[0] is not assignment:
            known = (assignment, variant_book(assignment, self.seed, class_run=self.class_run))
            self._books[id(assignment)] = known  # holding the sheet keeps its id unique
        return known[1]

    def _expectations(self, assignment: Assignment) -> Expectations:
        known = self._plain.get(id(assignment))
        if known is None or known[0] is not assignment:
            exp = build_expectations(assignment, class_run=self.class_run)
            known = self._plain[id(assignment)] = (assignment, exp)
        return known[1]


def variant_lines(done: GradedFile) -> list[str]:
    """What ``grader check`` says about the variant before the result: which one was graded
    against, and the note on the file's code (nothing without variants)."""
    if done.choice is None:
        # A code graded without a seed: say why the student's numbers may all be wrong.
        notes = [f for f in done.graded.result.flags if NO_SEED in f]
        return [*(f"Note: {note}" for note in notes), ""] if notes else []
    lines = [f"Variant {done.choice.code}: {describe(done.choice.variant)}"]
    if done.choice.note:
        lines.append(f"Note for the TA: {done.choice.note}")
    return [*lines, ""]
