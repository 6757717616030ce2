"""What grading remembers across a batch, and under which key.

A class writes the same few answers again and again ("288", "memory-bound"), and grading an
answer is a pure function of the part, the answer, what the part's carry-forward rules read of
the student's earlier parts (their values and how they were graded) and, rarely, the file's
decimal habit. :mod:`grader.grade` files each outcome, and each whole part at its line, under
those; this module holds the keys, the plan they come from, and the bound on the memo's size.
"""

from __future__ import annotations

from typing import Any

from grader.input.answer_tree import Node
from grader.sheets.assignment import Part
from grader.sheets.expectations import Expectations

__all__ = [
    "HABITUAL",
    "MEMO_MAX_CHARS",
    "MEMO_MAX_ENTRIES",
    "Inputs",
    "memo_key",
    "own_inputs",
    "own_key",
    "plan",
    "remember",
]

MEMO_MAX_CHARS = 200
"""Longest answer (characters of text) whose outcome is remembered for the rest of the batch."""
MEMO_MAX_ENTRIES = 20_000
"""Remembered outcomes kept at most (the memo starts over when full: memory stays bounded)."""

HABITUAL = object()
"""In the memo in place of an outcome that depends on the file's decimal habit: the outcome is
then filed under its key and the habit (there are three)."""


Inputs = tuple[tuple[str, ...], tuple[str, ...]]
"""Of a part: the earlier parts whose values grading it reads, and those whose grading (right
or not, the mistake found) it reads."""


def own_key(
    inputs: Inputs, own: dict[str, float], facts: dict[str, tuple[bool, str | None]]
) -> tuple[object, ...]:
    """What grading a part may read of the student's earlier parts: the values and how they
    were graded (part of every memo key of a part with inputs)."""
    return (*map(own.get, inputs[0]), *map(facts.get, inputs[1]))


def remember(memo: dict[Any, Any], key: object, value: object) -> None:
    if len(memo) >= MEMO_MAX_ENTRIES:
        memo.clear()  # memory stays bounded, whatever a class writes
    memo[key] = value


def memo_key(node: Node) -> object | None:
    """A hashable stand-in for an answer (None: too long to remember). A single value stands
    for itself; a list or mapping comes with its lines, which its messages may name."""
    if isinstance(node.value, str):
        return node.value if len(node.value) <= MEMO_MAX_CHARS else None
    budget = [MEMO_MAX_CHARS]

    def frozen(child: Node) -> object:
        value = child.value
        if isinstance(value, str):
            budget[0] -= len(value)
            return (value, child.line)
        if isinstance(value, list):
            return ("list", child.line, tuple(frozen(item) for item in value))
        budget[0] -= sum(len(k) for k in value)
        return ("map", child.line, tuple((k, frozen(v)) for k, v in value.items()))

    key = frozen(node)
    return key if budget[0] >= 0 else None


def plan(exp: Expectations) -> list[tuple[Part, str, Inputs, bool]]:
    """The parts in the sheet's order, each with its id, its own inputs and whether it is
    numeric: worked out once per batch, read for every file."""
    found = exp.memo.get("plan")
    if found is None:
        inputs = own_inputs(exp)
        found = [(part, part.id, inputs[part.id], part.is_numeric) for part in exp.assignment.parts]
        exp.memo["plan"] = found
    assert isinstance(found, list)
    return found


def own_inputs(exp: Expectations) -> dict[str, Inputs]:
    """Per part, the earlier parts whose (student's) values grading it may read (the inputs of
    its carry-forward formulas, as ``carry_forward`` finds them, and of its verdict rule) and
    those whose grading it may read (the formulas' inputs again, and the parts whose mistakes
    it may inherit)."""
    found = exp.memo.get("own inputs")
    if found is None:
        found = {}
        for part in exp.assignment.parts:
            rule = exp.assignment.carry_forward.get(part.id)
            formulas: list[str] = []
            values: list[str] = []
            if rule is not None:
                for formula in rule.formulas:
                    formulas += [p for p in exp.answers if p in formula and p not in formulas]
                values = list(formulas)
                if rule.verdict is not None:
                    values += [rule.verdict.intensity, rule.verdict.ridge]
                formulas += [p for p in rule.depends_on if p not in formulas]
            found[part.id] = (tuple(values), tuple(formulas))
        exp.memo["own inputs"] = found
    assert isinstance(found, dict)
    return found
