"""The worked solution as a terminal table and as JSON (``grader solve``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from tabulate import tabulate

from grader.sheets.assignment import GivenSpec
from reference.solution import Solution, Step, Value
from reference.solution import format_number as fmt


def given_unit(spec: GivenSpec | None, value: object) -> str | None:
    """The unit a given's solved value is in: the sheet's solver unit, else ``"1"`` for a
    number (a count, a size in elements) and None for a choice."""
    if spec is not None and spec.unit:
        return spec.unit
    return None if isinstance(value, str) else "1"


def format_value(value: Value, unit: str = "") -> str:
    """An expected value as a person reads it: ``1,806,336 FLOP``, ``3.3333 FLOP/byte``."""
    if value is None:
        return "(graded by a person)"
    if isinstance(value, dict):
        return ", ".join(f"{op} {fmt(count)}" for op, count in value.items())
    if isinstance(value, str):
        return value
    text = fmt(value)
    return f"{text} {unit}" if unit else text


def worked_text(step: Step) -> str:
    """The numbers put in and the result: ``2 × 56 × ... = 1,806,336 FLOP``."""
    if step.value is None:
        return f"(graded by a person) {step.substitution}"
    if isinstance(step.value, dict):
        return step.substitution
    if isinstance(step.value, str):
        return f"{step.substitution} → {step.value}"
    return f"{step.substitution} = {format_value(step.value, step.unit)}"


def solution_table(solution: Solution) -> str:
    """One row per part: id, formula, and the numbers put in with the result."""
    rows = [[step.part_id, step.formula, worked_text(step)] for step in solution.steps]
    return tabulate(
        rows,
        headers=["part", "formula", "worked out"],
        tablefmt="simple",
        disable_numparse=True,
        maxcolwidths=[None, 40, 70],
    )


def solution_json(solution: Solution, givens: Mapping[str, GivenSpec]) -> dict[str, Any]:
    """``{"assignment", "givens", "conventions", "answers"}``; person-graded parts are null.

    Each given is ``{"value", "unit"}``: its value in the unit the solver works in (``byte/s``
    for ``800 GB/s``), ``"1"`` for a plain number, null for a choice (``same``).
    """
    return {
        "assignment": solution.assignment,
        "givens": {
            name: {"value": value, "unit": given_unit(givens.get(name), value)}
            for name, value in solution.givens.items()
        },
        "conventions": dataclasses.asdict(solution.conventions),
        "answers": solution.answers,
    }
