"""Expectations per variant: a student's own givens solved, their texts filled in, once.

A class where every student has their own variant still has only as many distinct variants
as the sheet's pool; each is solved (:func:`grader.sheets.expectations.build_expectations`
with the variant's givens as overrides, the path ``--set`` takes) the first time a file
needs it and remembered for the rest of the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.grading_memo import GradingMemo, PartSlots
from grader.sheets.part_signature import part_signature
from grader.sheets.variant_codes import (
    VariantCodeError,
    parse_variant_code,
    variant_code,
    variant_index,
)
from grader.sheets.variants import Variant, VariantPool, describe, variant_overrides, variant_pool

VARIANT_NOTE = "variant code:"
"""How a note on a file's variant code begins (among the result's flags, for the TA)."""
NO_SEED = "but no course seed is set"
"""What the note on a code graded without a seed says (a class run counts such files)."""


def no_seed_note(code: str) -> str:
    """The note on a file that carries a variant code while no course seed is in force: its
    student's numbers are graded against the sheet's own givens, which a forgotten (or
    empty) ``--seed`` explains."""
    return (
        f"{VARIANT_NOTE} the file carries {code[:20]}, {NO_SEED}: graded against the sheet's "
        "own givens (grade with --seed, or set seed: in sheets/course.yaml)"
    )


@dataclass
class VariantBook:
    """One sheet's variants for one course seed, and the expectations solved so far.

    Attributes:
        assignment: the sheet (it must declare variants).
        seed: the course seed students' variants are drawn with.
        class_run: build expectations for grading a class (see ``Expectations``).
    """

    assignment: Assignment
    seed: str
    class_run: bool = False
    _pool: VariantPool | None = field(default=None, init=False, repr=False)
    _solved: dict[int, Expectations] = field(default_factory=dict, init=False, repr=False)
    # One memo for every variant, with each part's answers filed by its signature.
    _memo: GradingMemo = field(default_factory=GradingMemo, init=False, repr=False)
    _signatures: dict[tuple[str, str], int] = field(default_factory=dict, init=False, repr=False)
    # Every file asks for its variant's code: a pool has few, each worked out once.
    _codes: dict[int, str] = field(default_factory=dict, init=False, repr=False)

    @property
    def pool(self) -> VariantPool:
        """The sheet's pool, built the first time it is needed (a run that grades no file of
        this sheet never builds it)."""
        if self._pool is None:
            self._pool = variant_pool(self.assignment)
        return self._pool

    def of_student(self, student_id: str) -> Variant:
        """The student's own variant."""
        return self.pool[variant_index(self.seed, self.assignment.id, student_id, len(self.pool))]

    def code(self, variant: Variant) -> str:
        """The variant's printable code."""
        found = self._codes.get(variant.index)
        if found is None:
            found = self._codes[variant.index] = variant_code(variant.index, len(self.pool))
        return found

    def by_code(self, code: str) -> Variant:
        """The variant a code names.

        Raises:
            VariantCodeError: not a code of this sheet's pool (mistyped, or out of range).
        """
        return self.pool[parse_variant_code(code, len(self.pool))]

    def expectations(self, variant: Variant) -> Expectations:
        """The expectations of one variant, solved the first time they are asked for."""
        found = self._solved.get(variant.index)
        if found is None:
            found = build_expectations(
                self.assignment, variant_overrides(variant), class_run=self.class_run
            )
            found.share_memo(self._memo, self._slots(found, variant))
            self._solved[variant.index] = found
        return found

    def _slots(self, exp: Expectations, variant: Variant) -> dict[str, PartSlots]:
        """Where each part's answers are filed in the shared memo: with every variant that
        grades the part alike (:mod:`grader.sheets.part_signature`), and for a numeric part
        also apart, for answers over the symbols, whose values are the variant's own."""
        slots: dict[str, PartSlots] = {}
        for part in exp.assignment.parts:
            own = (part.id, "variant", variant.index)
            signature = part_signature(exp, part)
            if signature is None:
                slots[part.id] = PartSlots(own, None)
                continue
            number = self._signatures.setdefault((part.id, signature), len(self._signatures))
            slots[part.id] = PartSlots((part.id, number), own if part.is_numeric else None)
        return slots

    @property
    def solved(self) -> int:
        """How many distinct variants have been solved."""
        return len(self._solved)


@dataclass(frozen=True)
class VariantChoice:
    """The variant a file is graded against, and what a TA should know about its code.

    Attributes:
        variant: the student's own variant.
        code: its code.
        note: set when the file's code is mistyped or names another variant.
    """

    variant: Variant
    code: str
    note: str | None = None


def choose_variant(book: VariantBook, student_id: str, written: str | None) -> VariantChoice:
    """The student's own variant, with a note when the code the file carries disagrees."""
    own = book.of_student(student_id)
    code = book.code(own)
    if written is None:
        return VariantChoice(own, code)
    try:
        named = book.by_code(written)
    except VariantCodeError as error:
        note = f"{VARIANT_NOTE} {error}; graded against student {student_id}'s variant {code}"
        return VariantChoice(own, code, note)
    if named.index == own.index:
        return VariantChoice(own, code)
    note = (
        f"{VARIANT_NOTE} the file carries {book.code(named)} ({describe(named)}), but student "
        f"{student_id}'s variant is {code} ({describe(own)}); graded against {code}"
    )
    return VariantChoice(own, code, note)
