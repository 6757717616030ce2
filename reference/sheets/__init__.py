"""Solvers of the bundled sheets, by assignment id."""

from __future__ import annotations

from collections.abc import Callable

from reference.conventions import Conventions
from reference.sheets import llm_inference_1, roofline_1
from reference.solution import Givens, Solution

Solver = Callable[[Givens, Conventions], Solution]

SOLVERS: dict[str, Solver] = {
    "roofline-1": roofline_1.solve,
    "llm-inference-1": llm_inference_1.solve,
}
"""Solver per assignment id; an instructor adding a sheet adds a module and a line here."""

GIVEN_TYPES: dict[str, dict[str, type]] = {
    "roofline-1": roofline_1.GIVEN_TYPES,
    "llm-inference-1": llm_inference_1.GIVEN_TYPES,
}
"""The givens each solver needs, with the Python type of each."""


def solve(assignment: str, givens: Givens, conventions: Conventions | None = None) -> Solution:
    """Solve a sheet for the given givens and conventions (defaults: the sheet's).

    >>> solve("roofline-1", roofline_1.SHEET_GIVENS).answers["q1.b"]
    1806336
    """
    try:
        solver = SOLVERS[assignment]
    except KeyError:
        raise KeyError(f"no solver for assignment {assignment!r}") from None
    return solver(givens, conventions or Conventions())
