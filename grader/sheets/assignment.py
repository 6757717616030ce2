"""The sheet model: what a sheet's ``sheet.yaml`` says (givens, parts, points, answer kinds,
tolerances, alternatives and mistakes, vocabularies, plots).

Policy lives in this data file and values in the sheet's solver (or its formulas): the file
never holds an expected number. :mod:`grader.sheets.library` finds and loads sheets, and
:mod:`grader.sheets.checks` checks one completely, so that a bad sheet stops a run before
anyone is graded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PositiveFloat,
    PrivateAttr,
    field_validator,
    model_validator,
)

from grader.sheets import bundled_kinds  # noqa: F401  (the bundled kinds, registered)
from grader.sheets.answer_kinds import AnswerKind, kind_named, kind_names

Kind = str
"""The name of a registered answer kind (:mod:`grader.sheets.answer_kinds`)."""
RevealLevel = Literal["none", "feedback", "answers"]
REVEAL_LEVELS: tuple[RevealLevel, ...] = ("none", "feedback", "answers")
"""What a student's outputs show, from least to most (see ``grader.reveal``)."""
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
    formula: str | None = None
    """The part's value as a formula over the givens, symbols and earlier parts, for a sheet
    (or a part) without a solver: ``C*K*K``, ``ceil(peak / (2*bw))``."""
    choices: str | dict[str, tuple[str, ...]] | None = None
    """A choice part's vocabulary: the name of one of the sheet's ``vocabularies``, or the
    choices themselves, each with the other spellings it accepts."""
    variable: str | None = None
    """A growth-class part's variable (``L``): the symbol the class is written in."""
    example: str | None = None
    """What the answer template shows as an example of an answer to this part."""

    @field_validator("kind")
    @classmethod
    def _registered(cls, kind: str) -> str:
        if kind not in kind_names():
            known = ", ".join(kind_names())
            raise ValueError(f"unknown answer kind {kind!r} (known: {known})")
        return kind

    @property
    def answer_kind(self) -> AnswerKind:
        """What the kind of this part's answer is (its registered :class:`AnswerKind`)."""
        return kind_named(self.kind)

    @property
    def is_numeric(self) -> bool:
        """Whether the answer is a number compared with a tolerance."""
        return kind_named(self.kind).numeric

    @property
    def whole_number(self) -> bool:
        """Whether the value is a whole number (a count, a byte total): ``65,536`` is then
        65536, never 65.536."""
        return self.kind == "count" or (self.kind == "real" and self.unit == "byte")

    @property
    def needs_review(self) -> bool:
        """Whether a person grades this part (free text, sketches)."""
        return kind_named(self.kind).review

    def policy(self, defaults: GradingPolicy) -> GradingPolicy:
        """The grading policy of this part: the defaults with the part's overrides."""
        if not self.grading:
            return defaults
        return GradingPolicy.model_validate(defaults.model_dump() | self.grading)


class VerdictRule(_Frozen):
    """A choice that follows from comparing one part's value with another's (a roofline
    verdict: an operation's intensity against a device's turning point): ``below`` when the
    value is under the threshold, ``above`` otherwise; the student's own values carry it.

    Attributes:
        intensity: the part whose value is compared.
        ridge: the part whose value is the threshold.
        below, above: the choices on either side.
        value_name, threshold_name: what the two are called in feedback ("your own
            intensity (16)").
        value_phrase, threshold_phrase: how feedback names the reference's, whose value it
            may not show ("this operation's intensity"; default: "the" and the name).
        feedback: what a choice on the wrong side of the student's own threshold is told.
    """

    intensity: str
    ridge: str
    below: str
    above: str
    value_name: str = "value"
    threshold_name: str = "threshold"
    value_phrase: str | None = None
    threshold_phrase: str | None = None
    feedback: Feedback | None = None

    @property
    def value_named(self) -> str:
        """The reference's value, named without its number."""
        return self.value_phrase or f"the {self.value_name}"

    @property
    def threshold_named(self) -> str:
        """The reference's threshold, named without its number."""
        return self.threshold_phrase or f"the {self.threshold_name}"


class CarryForward(_Frozen):
    """How a part follows from earlier parts: formulas over part ids, a verdict rule, and the
    earlier parts whose known mistakes (a convention or given changed) carry into this one
    (``depends_on``; the parts a formula reads count too)."""

    formulas: tuple[str, ...] = ()
    verdict: VerdictRule | None = None
    depends_on: tuple[str, ...] = ()


class PlottedOperation(_Frozen):
    """An operation placed on the rooflines: the part holding its intensity, and a label."""

    part: str
    label: str


class RooflinePlot(_Frozen):
    """What the sheet's roofline plot shows.

    Attributes:
        devices: the machines drawn, by the prefix of their givens (``gpu`` for ``gpu.peak``
            and ``gpu.bandwidth``), in order.
        operations: the intensities placed on every roofline.
        turning_points: per device, the part that asks for its turning point (the student's
            own is drawn as theirs).
        intensity_range: the intensities (FLOP/byte) the x axis spans at least, widened to
            whole decades. Without it the axis is chosen around the turning points (and the
            reference intensities where the answers are shown), so that a plot for a student
            who may not see the answers places the operations where the sheet puts them only
            if they lie near a turning point: give it when they do not.
    """

    devices: tuple[str, ...]
    operations: tuple[PlottedOperation, ...] = ()
    turning_points: dict[str, str] = {}
    intensity_range: tuple[PositiveFloat, PositiveFloat] | None = None

    @model_validator(mode="after")
    def _ordered_range(self) -> RooflinePlot:
        if self.intensity_range is not None and self.intensity_range[0] >= self.intensity_range[1]:
            raise ValueError("intensity_range: give [lowest, highest], the lowest first")
        return self


class Plots(_Frozen):
    """The sheet's plots (a roofline, or none)."""

    roofline: RooflinePlot | None = None


class Assignment(_Frozen):
    """A whole sheet: what ``sheet.yaml`` says, and where it was read from.

    ``folder`` (not part of the file) is the sheet's folder: its solver and questions are
    found there.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    title: str
    solver: str | None = None
    """A Python file of the sheet's folder with a ``solve(givens, conventions)`` function; none
    for a sheet whose every part has a ``formula``."""
    kinds: str | None = None
    """A Python file of the sheet's folder that registers the answer kinds its parts use beyond
    the bundled ones (:mod:`grader.sheets.answer_kinds`); loaded before the parts are read."""
    questions: str = "questions.md"
    vocabularies: dict[str, dict[str, tuple[str, ...]]] = {}
    """Choice vocabularies by name: each choice with the other spellings it accepts."""
    plots: Plots = Plots()
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

    @property
    def folder(self) -> Path | None:
        """The sheet's folder (None for a sheet built in memory)."""
        return self._folder

    def at(self, folder: Path) -> Assignment:
        """This sheet, read from ``folder``."""
        located = self.model_copy()
        located._folder = folder
        return located

    def vocabulary(self, part: Part) -> dict[str, tuple[str, ...]]:
        """A choice part's choices with their other spellings (empty when it names none)."""
        if isinstance(part.choices, str):
            return self.vocabularies.get(part.choices, {})
        return part.choices or {}

    _folder: Path | None = PrivateAttr(None)
