"""What grading remembers across a batch, and the one place its keys are made.

A class writes the same few answers again and again ("288", "memory-bound"), and grading an
answer is a pure function of the part, the answer, what the part's carry-forward rules read of
the student's earlier parts (their values and how they were graded) and, rarely, the file's
decimal habit. :mod:`grader.grading.grade` files each outcome, and each whole part at its line,
under the key that :meth:`GradingMemo.answer_key` makes; the expectations of a batch hold the memo
(``Expectations.memo``), so that it lives exactly as long as what it remembers stays true. A
sheet's variants share one memo, each part filed in the slot of the variants that grade it
alike (:class:`PartSlots`, ``docs/variants.md``).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, NamedTuple, Protocol

from grader.sheets.assignment import Assignment, Part
from grader.sheets.formulas import names_in

__all__ = [
    "HABITUAL",
    "MEMO_MAX_CHARS",
    "MEMO_MAX_ENTRIES",
    "AnswerNode",
    "GradingMemo",
    "OwnInputs",
    "PartSlots",
    "PlannedPart",
]

MEMO_MAX_CHARS = 200
"""Longest answer (characters of text) whose outcome is remembered for the rest of the batch."""
MEMO_MAX_ENTRIES = 20_000
"""Remembered outcomes kept at most (the memo starts over when full: memory stays bounded)."""

HABITUAL = object()
"""In the memo in place of an outcome that depends on the file's decimal habit: the outcome is
then filed under its key and the habit (there are three)."""

Fact = tuple[bool, str | None]
"""How an earlier part was graded: right (and not only by carrying a mistake), its mistake."""


class AnswerNode(Protocol):
    """An answer as the submission reader gives it (``grader.input.answer_tree.Node``): text, a
    list or a mapping of nodes, and the line it starts on."""

    @property
    def value(self) -> str | list[Any] | dict[str, Any]: ...
    @property
    def line(self) -> int | None: ...


class OwnInputs(NamedTuple):
    """What grading a part reads of the student's earlier parts."""

    values: tuple[str, ...]
    """The earlier parts whose values it reads (its carry-forward formulas, its verdict rule)."""
    graded: tuple[str, ...]
    """The earlier parts whose grading it reads (the formulas' inputs again, and the parts
    whose known mistakes it may inherit)."""


class PlannedPart(NamedTuple):
    """A part as grading meets it in every file: worked out once per batch."""

    part: Part
    id: str
    inputs: OwnInputs
    numeric: bool
    slot: Hashable
    """Where the part's answers are filed: its id, or (with variants) the part as every
    variant that grades it alike sees it (see :class:`PartSlots`)."""
    private: Hashable | None
    """Where this variant alone files the answers whose grading reads its symbols' values."""


class PartSlots(NamedTuple):
    """Where a part's graded answers are filed in a memo that several variants share.

    Variants that give a part the same expected values, alternatives and texts grade an answer
    to it alike, unless the answer is an expression over the sheet's symbols (``C*K^2``),
    whose value is the variant's own: such answers go to the variant's ``private`` slot.
    """

    shared: Hashable
    private: Hashable | None


class GradingMemo(dict[Any, Any]):
    """Outcomes and whole parts remembered for a batch, bounded in size, and the batch's plan.

    A dict, so that the lookup on the hot path is the dict's own ``get``; entries go in only
    through :meth:`remember`, which keeps the memo's size bounded.
    """

    __slots__ = ("_plans",)

    def __init__(self) -> None:
        super().__init__()
        # Per expectations (variants that share the memo have parts of their own texts).
        self._plans: dict[int, tuple[object, list[PlannedPart]]] = {}

    def remember(self, key: object, value: object) -> None:
        """File ``value`` under ``key``; the memo starts over when full."""
        if len(self) >= MEMO_MAX_ENTRIES:
            self.clear()  # memory stays bounded, whatever a class writes
        self[key] = value

    @staticmethod
    def answer_key(
        line: int | None,
        part_id: Hashable,
        answer: object,
        inputs: OwnInputs,
        own: Mapping[str, float],
        facts: Mapping[str, Fact],
    ) -> tuple[object, ...]:
        """The key of an answer to a part on its line: the part, the answer (see
        :meth:`answer_of`) and whatever grading it may read of the student's earlier parts.

        A whole part is filed under this key (``("part", line, part_id, answer, ...)``), and
        the outcome of the answer, the same on any line, under :meth:`outcome_key` of it.
        """
        values, graded = inputs  # unpacked: faster than two attribute lookups each
        if values or graded:
            return ("part", line, part_id, answer, *map(own.get, values), *map(facts.get, graded))
        return ("part", line, part_id, answer)

    @staticmethod
    def outcome_key(answer_key: tuple[object, ...]) -> tuple[object, ...]:
        """The key of an answer's outcome, whatever its line: its :meth:`answer_key` without
        the line."""
        return ("outcome", *answer_key[2:])

    @staticmethod
    def answer_of(node: AnswerNode) -> object | None:
        """A hashable stand-in for an answer (None: too long to remember). A single value
        stands for itself; a list or mapping comes with its lines, which its messages may
        name."""
        value = node.value
        if isinstance(value, str):
            return value if len(value) <= MEMO_MAX_CHARS else None
        frozen, length = _frozen(node)
        return frozen if length <= MEMO_MAX_CHARS else None

    def plan(
        self,
        owner: object,
        assignment: Assignment,
        answers: Mapping[str, object],
        slots: Mapping[str, PartSlots],
    ) -> list[PlannedPart]:
        """The parts of ``owner`` (the expectations graded against) in the sheet's order, each
        with its id, its own inputs, whether it is numeric and where its answers are filed
        (``slots``; a part without one files under its id): worked out once per batch, read
        for every file."""
        known = self._plans.get(id(owner))
        if known is not None and known[0] is owner:
            return known[1]
        inputs = own_inputs(assignment, answers)
        plan = [
            PlannedPart(part, part.id, inputs[part.id], part.is_numeric, *_slots(part, slots))
            for part in assignment.parts
        ]
        self._plans[id(owner)] = (owner, plan)  # holding the owner keeps its id unique
        return plan


def _frozen(node: AnswerNode) -> tuple[object, int]:
    """A list or mapping answer as nested tuples (each text with its line), and how many
    characters of text it holds (keys and texts). Text children, the usual ones, are frozen
    here rather than by a call each: every list or mapping answer of every file comes here."""
    value = node.value
    if isinstance(value, str):
        return (value, node.line), len(value)
    length = 0
    items: list[object] = []
    if isinstance(value, list):
        for child in value:
            text = child.value
            if isinstance(text, str):
                items.append((text, child.line))
                length += len(text)
            else:
                frozen, inside = _frozen(child)
                items.append(frozen)
                length += inside
        return ("list", node.line, tuple(items)), length
    for key, child in value.items():
        length += len(key)
        text = child.value
        if isinstance(text, str):
            items.append((key, (text, child.line)))
            length += len(text)
        else:
            frozen, inside = _frozen(child)
            items.append((key, frozen))
            length += inside
    return ("map", node.line, tuple(items)), length


def _slots(part: Part, slots: Mapping[str, PartSlots]) -> PartSlots:
    return slots.get(part.id) or PartSlots(part.id, None)


def own_inputs(assignment: Assignment, answers: Mapping[str, object]) -> dict[str, OwnInputs]:
    """Per part, what grading it reads of the student's earlier parts (see :class:`OwnInputs`).

    Which parts a formula reads is decided by its parse (``q1.a`` is not inside ``q1.ab``).
    """
    found: dict[str, OwnInputs] = {}
    for part in assignment.parts:
        rule = assignment.carry_forward.get(part.id)
        formulas: list[str] = []
        values: list[str] = []
        if rule is not None:
            for formula in rule.formulas:
                read = names_in(formula)
                formulas += [p for p in answers if p in read and p not in formulas]
            values = list(formulas)
            if rule.verdict is not None:
                values += [rule.verdict.intensity, rule.verdict.ridge]
            formulas += [p for p in rule.depends_on if p not in formulas]
        found[part.id] = OwnInputs(tuple(values), tuple(formulas))
    return found
