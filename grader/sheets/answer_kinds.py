"""Kinds of answer as a registry: a part's ``kind`` names one, and everything the engine does
with a part that depends on its kind (outside grading) is asked of it.

An :class:`AnswerKind` says what an answer of its kind is in words and how to write one (the
answer template's notes and notation examples), how a report shows its expected value, whether
it is a number compared with a tolerance, whether a person grades it, whether the solver gives
it a value, and what a sheet must say about a part of that kind (a choice's vocabulary, a growth
class's variable). Grading is the layer above: :mod:`grader.grading.graded_kind` registers each
kind's grader, under the same name.

The bundled kinds (:mod:`grader.sheets.bundled_kinds`) are registered with the sheet model
(:mod:`grader.sheets.assignment` imports them). A sheet folder may register more: ``kinds:
kinds.py`` in its ``sheet.yaml`` names a Python file of the folder that calls
``register_graded_kind`` (:mod:`grader.grading.graded_kind`) when it is loaded, before the
sheet's parts are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reference.solution import format_number

if TYPE_CHECKING:
    from grader.sheets.assignment import Assignment, Part

__all__ = [
    "AnswerKind",
    "expected_cell",
    "kind_named",
    "kind_names",
    "no_answer_problems",
    "no_examples",
    "no_problems",
    "register_kind",
]


def no_examples(part: Part) -> tuple[str, ...]:
    """No notation example (free text, sketches, counts by operation)."""
    return ()


def no_problems(part: Part, assignment: Assignment) -> Iterator[str]:
    """Nothing a part of this kind must say beyond what every part says."""
    return iter(())


def no_answer_problems(part: Part, assignment: Assignment, answer: object) -> Iterator[str]:
    """Any expected value will do."""
    return iter(())


def expected_cell(value: object, part: Part) -> str | None:
    """The expected value as a report shows it: a number with the part's unit, a text as it is,
    ``graded by a TA`` for no value; None for a value shown as its items or pairs."""
    if value is None:
        return "graded by a TA"
    if isinstance(value, int | float) and not isinstance(value, bool):
        unit = part.unit if part.unit != "1" else ""
        return f"{format_number(value)} {unit}".strip()
    if isinstance(value, str):
        return value
    return None


@dataclass(frozen=True)
class AnswerKind:
    """A kind of answer, as the sheet model, the answer template and the reports know it.

    Attributes:
        name: what a part's ``kind`` says (``count``, ``choice``...).
        words: what an answer of this kind is, in the template's note on each part.
        examples: notation examples of an answer to a part (not its answer), written as they
            go into YAML; the template shows them, a test checks them.
        cell: the expected value as a report's cell shows it (see :func:`expected_cell`).
        numeric: a number compared with a tolerance, which later parts may carry forward.
        review: a person grades it (no expected value, points pending).
        solved: the solver (or the part's formula) gives its expected value.
        attached_file: an answer names a file next to the answer file (``{image: sketch.png}``),
            read with the submission.
        problems: what is wrong with a part of this kind in its sheet, each as ``field: what``
            (checked when the sheet is loaded).
        answer_problems: what is wrong with the expected value the solver gives such a part
            (a choice that is not one of the part's).
    """

    name: str
    words: str
    examples: Callable[[Part], tuple[str, ...]] = no_examples
    cell: Callable[[object, Part], str | None] = expected_cell
    numeric: bool = False
    review: bool = False
    solved: bool = True
    attached_file: bool = False
    problems: Callable[[Part, Assignment], Iterable[str]] = no_problems
    answer_problems: Callable[[Part, Assignment, object], Iterable[str]] = no_answer_problems


_KINDS: dict[str, AnswerKind] = {}


def register_kind(kind: AnswerKind) -> AnswerKind:
    """Make ``kind`` known by its name (registering the same kind again changes nothing).

    Raises:
        ValueError: another kind has this name.
    """
    known = _KINDS.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"answer kind {kind.name!r} is registered already")
    _KINDS[kind.name] = kind
    return kind


def kind_named(name: str) -> AnswerKind:
    """The kind registered under ``name``.

    Raises:
        KeyError: no kind has this name (a sheet's parts are checked when it is loaded).
    """
    return _KINDS[name]


def kind_names() -> tuple[str, ...]:
    """The names of the registered kinds, in the order registered."""
    return tuple(_KINDS)
