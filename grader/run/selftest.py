"""A sheet author's check of a sheet for one set of givens (``grader selftest``), in the spirit
of STACK's question tests and PrairieLearn's element tests:

- every text (feedback, mistake explanations, rubric items, verdict notes, plot labels, the
  questions) renders for the givens;
- the reference answers, written into an answer file, grade full marks;
- each listed alternative's value, written into an answer file, is recognised as that
  alternative (its name and its credit) and as no other;
- no two alternatives of a part (nor an alternative and the reference) have the same value
  within the part's tolerance, where the grader could only ever name one of them.

Answers go through the same path as a student's file (read from JSON bytes, then graded), so
that what passes here is what a student's answer meets. Parts a person grades (free text,
sketches) are not checked.

A sheet that declares variants is checked for its own givens and, the same way, for a sample
of its pool (:func:`sampled_variants`): the pool is the sheet's and does not depend on the
course seed (which only picks each student's place in it), so every variant a student can get
is one the sample may reach, and ``--variants all`` reaches them all. The pool already leaves
out variants whose constraints fail or whose alternatives collide; what only the self-test
finds is everything else, such as a feedback text that cannot be filled in for some values.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias

from grader.errors import AssignmentError, UsageError
from grader.results import PartResult, SubmissionResult
from grader.run.pipeline import grade_bytes
from grader.sheets.assignment import Assignment, Part
from grader.sheets.checks import levelled_texts, part_texts
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.sheet_texts import SheetTexts
from grader.sheets.solving import GivenValue, resolve_givens, solve_assignment
from grader.sheets.variant_codes import variant_code
from grader.sheets.variants import Variant, describe, variant_overrides, variant_pool

SELFTEST_STUDENT = "selftest"
DEFAULT_VARIANTS = 16
"""How many of a sheet's variants the self-test checks unless told otherwise."""

VariantCount: TypeAlias = int | Literal["all"]


@dataclass(frozen=True)
class Check:
    """One check of the self-test.

    Attributes:
        part: the part checked ("sheet" for the sheet as a whole).
        check: what was checked (``reference``, ``alternative macs_not_flops``, ``distinct``,
            ``texts``, ``questions``...).
        ok: whether it passed.
        detail: what was found (for a failure, what is wrong and where).
    """

    part: str
    check: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class VariantTest:
    """The checks of one variant of a sheet (the same checks as for the sheet's own givens).

    Attributes:
        code: the variant's code (its place in the pool).
        givens: the variant's givens, described (``grid.rows = 2, link.bandwidth = 50 GB/s``).
        checks: the checks run for it.
    """

    code: str
    givens: str
    checks: tuple[Check, ...]

    @property
    def passed(self) -> bool:
        """Whether every check of the variant passed."""
        return all(check.ok for check in self.checks)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The variant's checks that failed."""
        return tuple(check for check in self.checks if not check.ok)


@dataclass(frozen=True)
class SelfTest:
    """The self-test of one sheet: for one set of givens, and for a sample of its variants."""

    sheet: str
    checks: tuple[Check, ...]
    parts: tuple[str, ...] = ()
    """The sheet's part ids, in its order (how a table lists the checks)."""
    variants: tuple[VariantTest, ...] = ()
    """The variants checked (none for a sheet without variants, or ``--variants 0``)."""
    pool_size: int = 0
    """How many variants the sheet's pool holds (0: it declares none)."""

    @property
    def passed(self) -> bool:
        """Whether every check passed, of the sheet's own givens and of every variant."""
        return all(check.ok for check in self.checks) and all(v.passed for v in self.variants)

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks that failed."""
        return tuple(check for check in self.checks if not check.ok)


def selftest(
    assignment: Assignment,
    given_overrides: Mapping[str, str] | None = None,
    *,
    variants: VariantCount = DEFAULT_VARIANTS,
) -> SelfTest:
    """Check ``assignment`` for one set of givens: its own, with ``given_overrides`` applied
    (given name -> text, as ``--set`` takes them); then, when the sheet declares variants,
    ``variants`` of its pool (a number, or ``"all"``), each with the sheet's own givens but
    for the variant's (``given_overrides`` change the first check only: the pool is built
    from the sheet's own givens).

    Raises:
        UsageError: an override names an unknown given or is malformed, or ``variants`` is
            negative.
        AssignmentError: the sheet's variants cannot be built.
    """
    checks = tuple(_checks(assignment, given_overrides or {}))
    if assignment.variants is None:
        return SelfTest(assignment.id, checks, assignment.part_ids)
    pool = variant_pool(assignment)
    tested = tuple(
        VariantTest(
            variant_code(variant.index, len(pool)),
            describe(variant),
            tuple(_checks(assignment, variant_overrides(variant))),
        )
        for variant in sampled_variants(pool.variants, variants)
    )
    return SelfTest(assignment.id, checks, assignment.part_ids, tested, len(pool))


def sampled_variants(pool: Sequence[Variant], count: VariantCount) -> list[Variant]:
    """``count`` variants of the pool, spread evenly over it: the ones at places
    ``i * len(pool) // count`` for i = 0, 1, ..., count - 1 (all of them, in order, when
    ``count`` is ``"all"`` or at least the pool's size). The same sample every run.

    Raises:
        UsageError: ``count`` is negative.
    """
    if count == "all" or count >= len(pool):
        return list(pool)
    if count < 0:
        raise UsageError(f"--variants {count}: a number of variants (0 or more) or 'all'")
    return [pool[i * len(pool) // count] for i in range(count)]


def _checks(assignment: Assignment, overrides: Mapping[str, str]) -> Iterator[Check]:
    givens = resolve_givens(assignment, overrides)
    try:
        solution = solve_assignment(assignment, givens)
    except (AssignmentError, UsageError) as error:
        yield Check("sheet", "solve", False, str(error))
        return
    texts = SheetTexts(assignment, givens, solution)
    text_checks = list(_text_checks(assignment, texts))
    yield from text_checks
    yield _questions_check(assignment, givens)
    if not all(check.ok for check in text_checks):
        # The expectations fill in every text: with one that cannot be, nothing can be graded.
        yield Check("sheet", "grading", False, "not checked: a text above cannot be filled in")
        return
    try:
        exp = build_expectations(assignment, overrides)
    except (AssignmentError, UsageError) as error:
        yield Check("sheet", "expectations", False, str(error))
        return
    reference = reference_answers(exp)
    yield from _reference_checks(exp, reference)
    for part in assignment.parts:
        if part.id in reference:
            yield from _alternative_checks(exp, part, reference)
            yield from _distinct_checks(exp, part)


# ----------------------------------------------------------------------------------- texts


def _text_checks(assignment: Assignment, texts: SheetTexts) -> Iterator[Check]:
    """Per part (and for the sheet's own texts), whether each text renders."""
    owners: dict[str, list[tuple[str, str]]] = {
        part.id: list(part_texts(part)) for part in assignment.parts
    }
    sheet_texts = list(_sheet_texts(assignment))
    if sheet_texts:
        owners["sheet"] = sheet_texts
    for owner, found in owners.items():
        if not found:
            continue
        problems = []
        for field, template in found:
            try:
                texts.text(template)
            except AssignmentError as error:
                problems.append(f"{field}: {_reason(error)}")
        detail = "; ".join(problems) if problems else f"{len(found)} text(s) render"
        yield Check(owner, "texts", not problems, detail)


def _sheet_texts(assignment: Assignment) -> Iterator[tuple[str, str]]:
    for part_id, rule in assignment.carry_forward.items():
        if rule.verdict is not None and rule.verdict.feedback is not None:
            yield from levelled_texts(
                f"carry_forward.{part_id}.verdict.feedback", rule.verdict.feedback
            )
    roofline = assignment.plots.roofline
    for operation in roofline.operations if roofline else ():
        yield f"plots.roofline.operations[{operation.part}].label", operation.label


def _reason(error: AssignmentError) -> str:
    """A text's failure: the text and the cause, without the sheet the table already names."""
    message = str(error)
    return message.partition(": ")[2] if message.startswith("sheet ") else message


def _questions_check(assignment: Assignment, givens: Mapping[str, GivenValue]) -> Check:
    from grader.reports.question_sheet import questions_text

    if assignment.folder is None or not (assignment.folder / assignment.questions).is_file():
        return Check("sheet", "questions", True, f"no {assignment.questions}: nothing to render")
    try:
        questions_text(assignment, givens)
    except AssignmentError as error:
        return Check("sheet", "questions", False, str(error))
    return Check("sheet", "questions", True, f"{assignment.questions} renders")


# ------------------------------------------------------------------------------- grading


def reference_answers(exp: Expectations) -> dict[str, object]:
    """The reference answer of every part the grader grades, as a student would write it in
    a JSON answer file (whole numbers without ``.0``)."""
    answers: dict[str, object] = {}
    for part in exp.assignment.parts:
        value = exp.answers.get(part.id)
        if part.needs_review or value is None:
            continue
        answers[part.id] = _written(value)
    return answers


def _written(value: object) -> object:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {key: _written(item) for key, item in value.items()}
    return value


def _graded(exp: Expectations, answers: Mapping[str, object]) -> SubmissionResult:
    document = {
        "assignment": exp.assignment.id,
        "student": {"id": SELFTEST_STUDENT},
        "answers": dict(answers),
    }
    data = json.dumps(document, allow_nan=False).encode()
    return grade_bytes(data, exp, fmt="json", name=f"{SELFTEST_STUDENT}.json").result


def _part(result: SubmissionResult, part_id: str) -> PartResult | None:
    return next((part for part in result.parts if part.id == part_id), None)


def _reference_checks(exp: Expectations, reference: Mapping[str, object]) -> Iterator[Check]:
    result = _graded(exp, reference)
    if result.status != "graded":
        yield Check("sheet", "reference", False, f"the answer file is not graded: {result.error}")
        return
    for part_id in reference:
        graded = _part(result, part_id)
        if graded is None:
            yield Check(part_id, "reference", False, "no result for the part")
        elif graded.credit < 1.0 or graded.status != "correct":
            why = graded.feedback or graded.status
            yield Check(
                part_id, "reference", False, f"{graded.status}, credit {graded.credit:g}: {why}"
            )
        else:
            yield Check(part_id, "reference", True, "full marks")


def _alternative_checks(
    exp: Expectations, part: Part, reference: Mapping[str, object]
) -> Iterator[Check]:
    for candidate in exp.alternatives.get(part.id, ()):
        check = f"alternative {candidate.mistake}"
        answers = {**reference, part.id: _written(candidate.value)}
        graded = _part(_graded(exp, answers), part.id)
        if graded is None:
            yield Check(part.id, check, False, "no result for the part")
        elif graded.mistake != candidate.mistake:
            seen = graded.mistake or f"no alternative ({graded.status})"
            yield Check(
                part.id, check, False, f"its value {_shown(candidate.value)} is taken as {seen}"
            )
        elif not math.isclose(graded.credit, candidate.credit, abs_tol=1e-9):
            yield Check(
                part.id,
                check,
                False,
                f"credit {graded.credit:g}, not the listed {candidate.credit:g}",
            )
        else:
            yield Check(
                part.id, check, True, f"{_shown(candidate.value)}: credit {graded.credit:g}"
            )


def _distinct_checks(exp: Expectations, part: Part) -> Iterator[Check]:
    """The alternatives of a part, and the reference, have different values."""
    candidates = exp.alternatives.get(part.id, ())
    if not candidates:
        return
    rtol = _tolerance(exp, part)
    named = [("the reference", value) for value in exp.accepted.get(part.id, ())]
    named += [(candidate.mistake, candidate.value) for candidate in candidates]
    clashes = [
        f"{first} and {second} are both {_shown(one)}"
        for (first, one), (second, other) in itertools.combinations(named, 2)
        if _same(one, other, rtol) and not first == second == "the reference"
    ]
    if clashes:
        yield Check(part.id, "distinct", False, "; ".join(clashes))
    else:
        yield Check(part.id, "distinct", True, f"{len(candidates)} alternative(s), all different")


def _tolerance(exp: Expectations, part: Part) -> float:
    policy = part.policy(exp.assignment.grading)
    return policy.count_rtol if part.kind == "count" else policy.real_rtol


def _same(one: object, other: object, rtol: float) -> bool:
    numbers = (int, float)
    if isinstance(one, numbers) and isinstance(other, numbers):
        return math.isclose(float(one), float(other), rel_tol=max(rtol, 1e-9))
    return one == other


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
