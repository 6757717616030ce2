"""Grading by answer kind: each kind's grader, registered under the kind's name, with one
signature for all of them.

The sheet model knows a kind's other sides (:mod:`grader.sheets.answer_kinds`); this is the
grading side. :func:`grader.grading.grade._dispatch` grades a part by the grader of its kind,
and a sheet folder's ``kinds`` file registers a kind of its own, both sides at once, with
:func:`register_graded_kind`.

A grader is pure: it reads the answer (raising :class:`grader.errors.AnswerFormatError`, with
the readings it found, for an answer it cannot read) and says what it is worth as an
:class:`~grader.grading.outcome.Outcome`; it never sees a file, and its outcome may be
remembered for every later file with the same answer (:mod:`grader.sheets.grading_memo`), so
it reads nothing but its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from grader.errors import AnswerFormatError, AssignmentError
from grader.grading.file_context import FileContext
from grader.grading.outcome import Outcome
from grader.input.answer_tree import Node
from grader.sheets.answer_kinds import AnswerKind, register_kind
from grader.sheets.assignment import Part
from grader.sheets.expectations import Expectations

__all__ = [
    "KindGrader",
    "LineGrader",
    "grader_for",
    "on_one_line",
    "register_graded_kind",
    "register_grader",
]


class KindGrader(Protocol):
    """The one signature of a kind's grader.

    Args:
        part: the part graded.
        node: the student's answer (text, a list or a mapping, with its lines).
        exp: what the sheet expects (the reference values, alternatives, policy).
        own: the student's own values of the earlier numeric parts (for carry-forward).
        context: what the rest of the student's file says (its decimal habit, earlier facts).
    """

    def __call__(
        self,
        part: Part,
        node: Node,
        exp: Expectations,
        own: Mapping[str, float],
        context: FileContext,
    ) -> Outcome: ...


class LineGrader(Protocol):
    """A grader of an answer written on one line (a number, a choice, a growth class)."""

    def __call__(
        self,
        part: Part,
        text: str,
        exp: Expectations,
        own: Mapping[str, float],
        context: FileContext,
    ) -> Outcome: ...


_GRADERS: dict[str, KindGrader] = {}


def register_grader(kind: str, grade: KindGrader) -> None:
    """Grade the parts of ``kind`` with ``grade`` (the kind is registered with the sheet model
    separately, or with :func:`register_graded_kind`)."""
    _GRADERS[kind] = grade


def register_graded_kind(kind: AnswerKind, grade: KindGrader) -> None:
    """Register a kind of answer and its grader at once: what a sheet's ``kinds`` file does.

    Raises:
        ValueError: another kind has this name.
    """
    register_kind(kind)
    register_grader(kind.name, grade)


def grader_for(kind: str) -> KindGrader:
    """The grader of ``kind``.

    Raises:
        AssignmentError: the kind has no grader (registered with the sheet model only).
    """
    grade = _GRADERS.get(kind)
    if grade is None:
        raise AssignmentError(
            f"answer kind {kind!r} has no grader: register it with register_graded_kind"
        )
    return grade


def on_one_line(grade: LineGrader) -> KindGrader:
    """A kind's grader from a grader of one-line answers: a list or a mapping is unreadable."""

    def graded(
        part: Part,
        node: Node,
        exp: Expectations,
        own: Mapping[str, float],
        context: FileContext,
    ) -> Outcome:
        if not isinstance(node.value, str):
            raise AnswerFormatError("expected a single value here, not a list or mapping")
        return grade(part, node.value, exp, own, context)

    return graded
