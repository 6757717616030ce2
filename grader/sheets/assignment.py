"""The assignment file: givens, parts, points, answer kinds, tolerances and mistakes.

Policy lives in this data file and values in ``reference``: the file never holds an expected
number. ``load_assignment`` validates the file completely (schema, known conventions, part ids
in step with the solver) so that a bad file stops a run before anyone is graded.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from grader.errors import AssignmentError

Kind = Literal["count", "real", "choice", "complexity", "op_counts", "text", "image"]
RevealLevel = Literal["none", "feedback", "answers"]
REVEAL_LEVELS: tuple[RevealLevel, ...] = ("none", "feedback", "answers")
"""What a student's outputs show, from least to most (see ``grader.reveal``)."""
NUMERIC_KINDS: frozenset[str] = frozenset({"count", "real"})
REVIEW_KINDS: frozenset[str] = frozenset({"text", "image"})
Credit = Annotated[float, Field(ge=0.0, le=1.0)]
ConventionValues = dict[str, str | int | bool]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class GivenSpec(_Frozen):
    """One given: its text value (units allowed), solver unit, symbol, allowed choices."""

    value: str
    unit: str | None = None
    symbol: str | None = None
    choices: tuple[str, ...] | None = None


class GenericMistake(_Frozen):
    """A generic transform of the reference (``doubled``, ``reciprocal``...) and its credit."""

    name: str
    credit: Credit


class GradingPolicy(_Frozen):
    """Tolerances and credits; the assignment sets defaults, each part may override them."""

    count_rtol: float = Field(0.0, ge=0)
    real_rtol: float = Field(0.01, ge=0)
    min_rounding_figures: int = Field(2, ge=1)
    close_rtol: float = Field(0.05, ge=0)
    close_credit: Credit = 0.5
    slip_credit: Credit = 0.75
    verdict_margin: float = Field(0.05, ge=0)
    carried_forward_credit: Credit = 1.0
    inverted_unit_credit: Credit = 0.5
    generic_mistakes: tuple[GenericMistake, ...] = ()
    score_decimals: int = Field(2, ge=0, le=6)
    """Decimals of the scores in the gradebook and the LMS imports (11.21, not 11.2083)."""


class LevelledText(_Frozen):
    """A feedback text written per reveal level: ``hint`` is shown under ``reveal: feedback``
    (it must not give an answer away), ``answer`` under ``reveal: answers`` and to TAs."""

    hint: str = Field(min_length=1)
    answer: str = Field(min_length=1)


Feedback = str | LevelledText
"""A feedback text of the assignment file: a plain string is the same text at every level."""


def feedback_texts(feedback: Feedback) -> tuple[str, str | None]:
    """``(answer, hint)`` of a feedback text; the hint is None when it is the same text."""
    if isinstance(feedback, LevelledText):
        return feedback.answer, feedback.hint
    return feedback, None


class Alternative(_Frozen):
    """A known alternative answer: the solver with conventions/givens changed, or a formula."""

    name: str
    conventions: ConventionValues = {}
    givens: dict[str, str] = {}
    formula: str | None = None
    credit: Credit
    feedback: Feedback

    @model_validator(mode="after")
    def _one_source(self) -> Alternative:
        solver_based = bool(self.conventions or self.givens)
        if solver_based == (self.formula is not None):
            raise ValueError(f"alternative {self.name}: give conventions/givens or a formula")
        return self


class ItemMistake(_Frozen):
    """A mistake that may repeat over the items of a part (each operation's count): the
    student's count times ``factor`` (a formula in the sheet's symbols) is the right one."""

    name: str
    factor: str
    credit: Credit
    feedback: str


class RubricItem(_Frozen):
    """A rubric item for a person, with keywords that suggest the answer covers it."""

    item: str
    keywords: tuple[str, ...] = ()


class Part(_Frozen):
    """One gradable part of the sheet."""

    id: str = Field(pattern=r"^q\d+(\.[a-z_0-9]+)+$")
    title: str
    kind: Kind
    unit: str = "1"
    points: float = Field(ge=0)
    grading: dict[str, float] = {}
    alternatives: tuple[Alternative, ...] = ()
    accepted_conventions: tuple[ConventionValues, ...] = ()
    required_operations: tuple[str, ...] = ()
    operation_aliases: dict[str, tuple[str, ...]] = {}
    item_mistakes: tuple[ItemMistake, ...] = ()
    rubric: tuple[RubricItem | str, ...] = ()
    mistake_feedback: dict[str, Feedback] = {}

    @property
    def is_numeric(self) -> bool:
        """Whether the answer is a number compared with a tolerance."""
        return self.kind in NUMERIC_KINDS

    @property
    def whole_number(self) -> bool:
        """Whether the value is a whole number (a count, a byte total): ``65,536`` is then
        65536, never 65.536."""
        return self.kind == "count" or (self.kind == "real" and self.unit == "byte")

    @property
    def needs_review(self) -> bool:
        """Whether a person grades this part (free text, sketches)."""
        return self.kind in REVIEW_KINDS

    def policy(self, defaults: GradingPolicy) -> GradingPolicy:
        """The grading policy of this part: the defaults with the part's overrides."""
        if not self.grading:
            return defaults
        return GradingPolicy.model_validate(defaults.model_dump() | self.grading)


class VerdictRule(_Frozen):
    """A verdict follows from the student's own intensity and ridge point."""

    intensity: str
    ridge: str


class CarryForward(_Frozen):
    """How a part follows from earlier parts: formulas over part ids, a verdict rule, and the
    earlier parts whose known mistakes (a convention or given changed) carry into this one
    (``depends_on``; the parts a formula reads count too)."""

    formulas: tuple[str, ...] = ()
    verdict: VerdictRule | None = None
    depends_on: tuple[str, ...] = ()


class Assignment(_Frozen):
    """A whole assignment file."""

    id: str
    title: str
    solver: str
    reveal: RevealLevel = "feedback"
    invalid: Literal["review", "zero"] = "review"
    """In a class run, an answer the grader cannot read goes to a TA (``review``, its points
    pending) or scores 0 (``zero``, for practice sheets)."""
    givens: dict[str, GivenSpec]
    grading: GradingPolicy = GradingPolicy()
    carry_forward: dict[str, CarryForward] = {}
    parts: tuple[Part, ...]

    @property
    def part_ids(self) -> tuple[str, ...]:
        """Part ids in the sheet's order."""
        return tuple(part.id for part in self.parts)

    def part(self, part_id: str) -> Part:
        """One part by id (``KeyError`` if unknown)."""
        for part in self.parts:
            if part.id == part_id:
                return part
        raise KeyError(part_id)

    @property
    def symbols(self) -> dict[str, str]:
        """Symbol -> given name, for the letters students may use (L, d, C...)."""
        return {spec.symbol: name for name, spec in self.givens.items() if spec.symbol}

    @property
    def max_score(self) -> float:
        """Total points."""
        return sum(part.points for part in self.parts)


BUNDLED_DIR = "assignments"


def bundled_assignment_ids() -> list[str]:
    """Ids of the assignments shipped with the package."""
    folder = resources.files("grader") / BUNDLED_DIR
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_assignment(name_or_path: str | Path) -> Assignment:
    """Load and validate an assignment by bundled id (``roofline-1``) or file path.

    Raises:
        AssignmentError: the file is missing, not YAML, or does not match the schema.
    """
    return _validated(*_read_assignment_text(name_or_path))


def _validated(text: str, where: str) -> Assignment:
    """The assignment in ``text`` (read from ``where``), validated."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise AssignmentError(f"{where}: not valid YAML: {error}") from None
    try:
        assignment = Assignment.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = ".".join(str(x) for x in first["loc"])
        raise AssignmentError(
            f"{where}: {location}: {first['msg']} ({error.error_count()} problem(s))"
        ) from None
    _check_unique_ids(assignment, where)
    return assignment


def load_bundled_assignment(assignment_id: str) -> Assignment:
    """Load an installed assignment by id, and never a file: what an answer file's
    ``assignment:`` may select (``assignment: /dev/zero`` must not read anything).

    Raises:
        AssignmentError: no installed assignment has this id.
    """
    return _validated(*_bundled_text(assignment_id))


def _read_assignment_text(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except (OSError, UnicodeDecodeError) as error:
            raise AssignmentError(f"cannot read assignment {path}: {error}") from None
    return _bundled_text(str(name_or_path))


def _bundled_text(name: str) -> tuple[str, str]:
    if name not in bundled_assignment_ids():
        known = ", ".join(bundled_assignment_ids())
        raise AssignmentError(f"unknown assignment {name[:60]!r}; bundled: {known}")
    resource = resources.files("grader") / BUNDLED_DIR / f"{name}.yaml"
    return resource.read_text(encoding="utf-8"), f"assignment {name}"


def _check_unique_ids(assignment: Assignment, where: str) -> None:
    seen: set[str] = set()
    for part_id in assignment.part_ids:
        if part_id in seen:
            raise AssignmentError(f"{where}: part {part_id} is defined twice")
        seen.add(part_id)
