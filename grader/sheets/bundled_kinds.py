"""The answer kinds the grader ships, as the sheet model knows them (their graders are in
:mod:`grader.grading.bundled_kinds`): numbers (``count``, ``real``), a choice among the sheet's
words (``choice``), a growth class (``complexity``), counts by operation type (``op_counts``),
and the kinds a person grades (``text``, ``image``). Registered on import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from grader.sheets.answer_kinds import AnswerKind, register_kind

if TYPE_CHECKING:
    from grader.sheets.assignment import Assignment, Part

__all__ = ["CHOICE", "COMPLEXITY", "COUNT", "IMAGE", "OP_COUNTS", "REAL", "TEXT"]

# Notation examples by (kind, unit), written as they go into YAML (quoted where YAML needs it).
# None is an answer of a bundled sheet; tests/test_template.py checks that they stay so.
_NUMBER_EXAMPLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("count", "1"): ("5 × 5 × 16", '"1,228,800"'),
    ("count", "FLOP"): ("2 × 28 × 28 × 5 × 5 × 16", "1.2 MFLOP"),
    ("real", "FLOP/byte"): ("12.5", "1.5e14/2e12 FLOP/byte"),
    ("real", "byte"): ("1.5 MiB", "1572864"),
    ("count", "byte"): ("1.5 MiB", "1572864"),
    ("real", "1"): ("12.5", '"12,5"'),
}


def _number_examples(part: Part) -> tuple[str, ...]:
    default = ("2 × 28 × 28", f"12.5 {part.unit}") if part.unit != "1" else ("2 × 28 × 28",)
    return _NUMBER_EXAMPLES.get((part.kind, part.unit), default)


def _choice_examples(part: Part) -> tuple[str, ...]:
    """The part's own choices (a part naming a vocabulary has them filled in by the answer
    template first: ``notation_examples``); none when they are not known."""
    return tuple(part.choices) if isinstance(part.choices, dict) else ()


def _growth_class_examples(part: Part) -> tuple[str, ...]:
    """A class in the part's own variable (a cubic one: growth-class answers of the bundled
    sheets are at most quadratic), and one in words."""
    return (f"O({part.variable or 'n'}^3)", "cubic")


def _choice_problems(part: Part, assignment: Assignment) -> Iterator[str]:
    if isinstance(part.choices, str) and part.choices not in assignment.vocabularies:
        yield f"choices: no vocabulary {part.choices!r} in vocabularies"
    elif not assignment.vocabulary(part):
        yield "choices: a choice part needs its choices (or a vocabulary's name)"


def _choice_answer_problems(part: Part, assignment: Assignment, answer: object) -> Iterator[str]:
    if answer not in assignment.vocabulary(part):
        yield f"choices: the solver's answer {answer!r} is not one of them"


def _growth_class_problems(part: Part, assignment: Assignment) -> Iterator[str]:
    if part.variable not in assignment.symbols:
        yield "variable: a growth class needs its variable, one of the sheet's symbols"


def _by_a_person(value: object, part: Part) -> str:
    return "graded by a TA"


COUNT = register_kind(AnswerKind("count", words="a count", examples=_number_examples, numeric=True))
REAL = register_kind(AnswerKind("real", words="a number", examples=_number_examples, numeric=True))
CHOICE = register_kind(
    AnswerKind(
        "choice",
        words="a verdict",
        examples=_choice_examples,
        problems=_choice_problems,
        answer_problems=_choice_answer_problems,
    )
)
COMPLEXITY = register_kind(
    AnswerKind(
        "complexity",
        words="a growth class",
        examples=_growth_class_examples,
        problems=_growth_class_problems,
    )
)
OP_COUNTS = register_kind(AnswerKind("op_counts", words="a count per operation type"))
TEXT = register_kind(
    AnswerKind(
        "text", words="free text, read by a TA", cell=_by_a_person, review=True, solved=False
    )
)
IMAGE = register_kind(
    AnswerKind(
        "image",
        words="a sketch as an image file, read by a TA",
        cell=_by_a_person,
        review=True,
        solved=False,
        attached_file=True,
    )
)
