"""Everything a grader compares against, computed once per assignment and batch.

The reference solution, the values accepted as equally right (other reasonable conventions),
and the known alternatives (a convention or given changed, or a formula) with their credit and
feedback. Solving once here keeps grading a file cheap: no solver call per student.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from grader.errors import AssignmentError
from grader.sheets.assignment import Assignment, Part, feedback_texts
from grader.sheets.formulas import FormulaError, names_in, number_of
from grader.sheets.formulas import Value as FormulaValue
from grader.sheets.grading_memo import GradingMemo, PartSlots
from grader.sheets.mistakes import GENERIC_TRANSFORMS
from grader.sheets.sheet_texts import SheetTexts, rendered_sheet
from grader.sheets.solvers import load_sheet_kinds
from grader.sheets.solving import (
    GivenValue,
    parse_conventions,
    resolve_givens,
    solve_assignment,
    symbol_values,
)
from reference import Conventions
from reference.solution import Solution, Value


@dataclass(frozen=True)
class Candidate:
    """A known wrong (or differently right) answer: its value, tag, credit and feedback (and
    the hint shown instead under ``reveal: feedback``, if the sheet writes one)."""

    value: Value
    mistake: str
    credit: float
    feedback: str
    hint: str | None = None


@dataclass(frozen=True)
class Inherited:
    """A part's value had the student made an earlier part's known mistake (``q1.b`` with
    54 x 54 outputs gives these bytes), with that mistake's name and feedback."""

    part: str
    mistake: str
    value: float
    feedback: str
    hint: str | None = None  # what ``reveal: feedback`` shows instead, if the sheet writes one


@dataclass(frozen=True)
class Expectations:
    """The solution and its variations, for one assignment and one set of givens."""

    assignment: Assignment
    givens: Mapping[str, GivenValue]
    solution: Solution
    symbols: Mapping[str, float]
    accepted: Mapping[str, tuple[Value, ...]]
    alternatives: Mapping[str, tuple[Candidate, ...]]
    inherited: Mapping[str, tuple[Inherited, ...]] = field(default_factory=dict)
    class_run: bool = False
    """Grading a class (``grader grade``), where an unreadable answer may go to a TA."""
    formula_values: Mapping[str, FormulaValue] = field(default_factory=dict)
    """What the sheet's formulas read: givens, symbols and every part's expected value."""
    answers: Mapping[str, Value] = field(init=False, repr=False, compare=False)
    max_score: float = field(init=False, repr=False, compare=False)
    memo: GradingMemo = field(init=False, repr=False, compare=False)
    """What grading remembers for a batch against these expectations (and other caches of
    pure functions of them); a sheet's variants share one (see ``slots``)."""
    slots: Mapping[str, PartSlots] = field(init=False, repr=False, compare=False)
    """Where the memo files each part's answers: by part id alone, unless these expectations
    are a variant's that shares its memo (:mod:`grader.sheets.variant_expectations`)."""

    def __post_init__(self) -> None:
        # ``Solution.answers`` builds a new dict at every call; grading asks for it per part.
        object.__setattr__(self, "answers", self.solution.answers)
        object.__setattr__(self, "max_score", self.assignment.max_score)  # a sum, each time
        object.__setattr__(self, "memo", GradingMemo())
        object.__setattr__(self, "slots", {})

    def __setstate__(self, state: dict[str, object]) -> None:
        # Unpickled in a process of its own (where processes are spawned, not forked): the
        # sheet's own answer kinds are registered there too, before anything is graded.
        self.__dict__.update(state)
        load_sheet_kinds(self.assignment)

    def share_memo(self, memo: GradingMemo, slots: Mapping[str, PartSlots]) -> None:
        """Grade against ``memo``, which other expectations of the same sheet share, filing
        each part's answers under its ``slots``."""
        object.__setattr__(self, "memo", memo)
        object.__setattr__(self, "slots", slots)

    def expected(self, part_id: str) -> Value:
        """The reference value of a part."""
        return self.answers[part_id]

    @property
    def unreadable_to_review(self) -> bool:
        """Whether an answer that cannot be read waits for a TA (a class run, and the
        assignment's ``invalid: review``) instead of scoring 0."""
        return self.class_run and self.assignment.invalid == "review"


def evaluate_formula(formula: str, values: Mapping[str, Value]) -> float:
    """A sheet's formula (over givens, symbols and part ids) with ``values`` for its names.

    Raises:
        FormulaError: it cannot be evaluated with these values.
    """
    return number_of(formula, values)  # type: ignore[arg-type]


def build_expectations(
    assignment: Assignment,
    given_overrides: Mapping[str, str] | None = None,
    conventions: Conventions | None = None,
    *,
    class_run: bool = False,
) -> Expectations:
    """Solve the assignment and every accepted convention and alternative of its parts.

    ``class_run``: grading a whole class, where unreadable answers may go to a TA.

    Raises:
        AssignmentError: an alternative names an unknown convention/given or a bad formula.
    """
    givens = resolve_givens(assignment, given_overrides)
    base = conventions or Conventions()
    solution = solve_assignment(assignment, givens, base)
    symbols = symbol_values(assignment, givens)
    texts = SheetTexts(assignment, givens, solution)
    formulas = texts.values
    assignment = rendered_sheet(assignment, texts)
    solve = _Solves(assignment, givens, base, solution)
    accepted: dict[str, tuple[Value, ...]] = {}
    alternatives: dict[str, tuple[Candidate, ...]] = {}
    for part in assignment.parts:
        accepted[part.id] = _accepted_values(solve, part, givens, base, solution)
        alternatives[part.id] = tuple(_alternatives(solve, part, givens, base, formulas))
    _check_generic_names(assignment)
    inherited = _inherited(solve, givens, base, solution)
    return Expectations(
        assignment,
        givens,
        solution,
        symbols,
        accepted,
        alternatives,
        inherited,
        class_run,
        formula_values=formulas,
    )


class _Solves:
    """The sheet solved under changed conventions or givens, each change once: parts share
    alternatives (counting MACs, the other padding), and a variant's expectations solve them
    all again."""

    def __init__(
        self,
        assignment: Assignment,
        givens: Mapping[str, GivenValue],
        base: Conventions,
        solution: Solution,
    ) -> None:
        self.assignment = assignment
        self._known = {(self._key(givens), base): solution}

    @staticmethod
    def _key(givens: Mapping[str, GivenValue]) -> tuple[tuple[str, GivenValue], ...]:
        return tuple(sorted(givens.items()))

    def __call__(self, givens: Mapping[str, GivenValue], conventions: Conventions) -> Solution:
        key = (self._key(givens), conventions)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = solve_assignment(self.assignment, givens, conventions)
        return found


def _inherited(
    solve: _Solves,
    givens: Mapping[str, GivenValue],
    base: Conventions,
    solution: Solution,
) -> dict[str, tuple[Inherited, ...]]:
    """Per part, its value under each known mistake (a convention or given changed) of the
    earlier parts it depends on, where that differs from its reference value."""
    assignment = solve.assignment
    found: dict[str, tuple[Inherited, ...]] = {}
    part_ids = set(assignment.part_ids)
    for part_id, rule in assignment.carry_forward.items():
        earlier = list(rule.depends_on)
        earlier += [
            name for formula in rule.formulas for name in names_in(formula) if name in part_ids
        ]
        values: list[Inherited] = []
        for dependency in dict.fromkeys(earlier):
            for alt in assignment.part(dependency).alternatives:
                if alt.formula is not None or alt.credit >= 1.0:
                    continue
                changed = dict(givens)
                if alt.givens:
                    overridden = resolve_givens(assignment, alt.givens)
                    changed.update({name: overridden[name] for name in alt.givens})
                conventions = _conventions(assignment.part(dependency), alt.conventions, base)
                value = solve(changed, conventions).answers[part_id]
                if isinstance(value, int | float) and value != solution.answers[part_id]:
                    feedback, hint = feedback_texts(alt.feedback)
                    values.append(Inherited(dependency, alt.name, float(value), feedback, hint))
        if values:
            found[part_id] = tuple(values)
    return found


def _accepted_values(
    solve: _Solves,
    part: Part,
    givens: Mapping[str, GivenValue],
    base: Conventions,
    solution: Solution,
) -> tuple[Value, ...]:
    values = [solution.answers[part.id]]
    for changes in part.accepted_conventions:
        other = solve(givens, _conventions(part, changes, base))
        if other.answers[part.id] not in values:
            values.append(other.answers[part.id])
    return tuple(values)


def _alternatives(
    solve: _Solves,
    part: Part,
    givens: Mapping[str, GivenValue],
    base: Conventions,
    formulas: Mapping[str, FormulaValue],
) -> list[Candidate]:
    assignment = solve.assignment
    candidates = []
    for alt in part.alternatives:
        if alt.formula is not None:
            try:
                value: Value = evaluate_formula(alt.formula, formulas)
            except FormulaError as error:
                raise AssignmentError(
                    f"part {part.id}, alternative {alt.name}: formula {alt.formula!r}: {error}"
                ) from None
        else:
            changed = dict(givens)
            if alt.givens:
                overridden = resolve_givens(assignment, alt.givens)
                changed.update({name: overridden[name] for name in alt.givens})
            other = solve(changed, _conventions(part, alt.conventions, base))
            value = other.answers[part.id]
        feedback, hint = feedback_texts(alt.feedback)
        candidates.append(Candidate(value, alt.name, alt.credit, feedback, hint))
    return candidates


def _conventions(part: Part, changes: Mapping[str, object], base: Conventions) -> Conventions:
    try:
        return parse_conventions({k: str(v) for k, v in changes.items()}, base)
    except Exception as error:  # a UsageError here is the assignment's fault
        raise AssignmentError(f"part {part.id}: {error}") from None


def _check_generic_names(assignment: Assignment) -> None:
    for mistake in assignment.grading.generic_mistakes:
        if mistake.name not in GENERIC_TRANSFORMS:
            known = ", ".join(GENERIC_TRANSFORMS)
            raise AssignmentError(f"unknown generic mistake {mistake.name!r}; known: {known}")
