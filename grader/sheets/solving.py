"""From an assignment (and command-line overrides) to the reference solution.

Givens are text in the assignment file ("800 GB/s"); here they become numbers in the solver's
units, overrides from ``--set`` and ``--convention`` are checked, and the solver runs. Every
problem is an ``UsageError`` or ``AssignmentError`` whose one-line message names the option and
the accepted names.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from grader.answers.numbers import read_number
from grader.answers.units import split_number_unit, to_unit
from grader.errors import AnswerFormatError, AssignmentError, UsageError
from grader.sheets.assignment import Assignment, ConventionValues
from grader.sheets.solvers import solve_sheet
from reference import Conventions
from reference.conventions import FIELD_CHOICES, convention_from_text
from reference.solution import Solution, format_number

GivenValue = int | float | str


def resolve_givens(
    assignment: Assignment, overrides: Mapping[str, str] | None = None
) -> dict[str, GivenValue]:
    """The assignment's givens as solver values, with ``--set`` overrides applied.

    Raises:
        UsageError: an override names an unknown given or has a malformed value.
        AssignmentError: a given in the assignment file itself is malformed.
    """
    overrides = dict(overrides or {})
    unknown = sorted(set(overrides) - set(assignment.givens))
    if unknown:
        raise UsageError(
            f"--set: unknown given {unknown[0]!r}; accepted: {', '.join(assignment.givens)}"
        )
    values: dict[str, GivenValue] = {}
    for name, spec in assignment.givens.items():
        text = overrides.get(name, spec.value)
        error_type = UsageError if name in overrides else AssignmentError
        try:
            values[name] = _given_value(text, unit=spec.unit, choices=spec.choices)
        except AnswerFormatError as error:
            where = f"--set {name}" if name in overrides else f"given {name}"
            raise error_type(f"{where}={text!r}: {error.message}") from None
    return values


def given_value(assignment: Assignment, name: str, text: str) -> GivenValue:
    """One given's text (``700 GB/s``) as its solver value, read as the sheet's own is.

    Raises:
        AnswerFormatError: the text is not a value of this given.
        KeyError: no such given.
    """
    spec = assignment.givens[name]
    return _given_value(text, unit=spec.unit, choices=spec.choices)


def _given_value(text: str, *, unit: str | None, choices: tuple[str, ...] | None) -> GivenValue:
    if choices is not None:
        if text.strip() not in choices:
            raise AnswerFormatError(f"accepted values: {', '.join(choices)}")
        return text.strip()
    if unit is not None:
        if not split_number_unit(text)[1]:
            raise AnswerFormatError(f"give a unit, e.g. '{text} {_example_prefix(unit)}'")
        return read_number(text, unit=unit).value
    number = read_number(text, unit="1").value
    if not number.is_integer() or number <= 0:
        raise AnswerFormatError("must be a positive whole number")
    return int(number)


def _example_prefix(unit: str) -> str:
    return {"byte/s": "GB/s", "FLOP/s": "TFLOP/s"}.get(unit, unit)


def given_text(assignment: Assignment, givens: Mapping[str, GivenValue], name: str) -> str:
    """A given as a question or feedback text shows it: in the unit the sheet writes it in
    (``800 GB/s``), whatever value it has now (another variant's, a ``--set``).

    Raises:
        KeyError: no such given.
    """
    value, spec = givens[name], assignment.givens[name]
    if isinstance(value, str):
        return value
    if value == _written_value(assignment, name):
        return " ".join(spec.value.split())  # the sheet's own spelling
    written = split_number_unit(spec.value)[1]
    if written and spec.unit:
        per_written = to_unit(1.0, written, spec.unit)  # the written unit in the solver's
        return f"{format_number(_round(value / per_written))} {written}"
    return format_number(value)


def _written_value(assignment: Assignment, name: str) -> GivenValue | None:
    spec = assignment.givens[name]
    try:
        return _given_value(spec.value, unit=spec.unit, choices=spec.choices)
    except AnswerFormatError:
        return None


def _round(value: float) -> float:
    """A given converted back to the unit it is written in, without float noise."""
    return float(f"{value:.12g}")


def symbol_values(assignment: Assignment, givens: Mapping[str, GivenValue]) -> dict[str, float]:
    """Letters students may use in expressions (L, d...) bound to the givens' values."""
    return {symbol: float(givens[name]) for symbol, name in assignment.symbols.items()}


def parse_conventions(
    overrides: Mapping[str, str] | ConventionValues, base: Conventions | None = None
) -> Conventions:
    """Conventions with named fields changed, from text (``--convention``) or typed values.

    Raises:
        UsageError: unknown convention name or value not accepted.
    """
    changes: dict[str, object] = {}
    for name, raw in overrides.items():
        if name not in FIELD_CHOICES:
            raise UsageError(
                f"--convention: unknown convention {name!r}; accepted: {', '.join(FIELD_CHOICES)}"
            )
        try:
            changes[name] = convention_from_text(name, str(raw).lower())
        except ValueError as error:
            raise UsageError(f"--convention {name}: {error}") from None
    return dataclasses.replace(base or Conventions(), **changes)  # type: ignore[arg-type]


def solve_assignment(
    assignment: Assignment,
    givens: Mapping[str, GivenValue],
    conventions: Conventions | None = None,
) -> Solution:
    """Solve the sheet (its solver, its formulas); a solver that rejects the givens is a
    usage error (``--set`` gave them), a solver that fails otherwise the sheet's."""
    try:
        return solve_sheet(assignment, givens, conventions or Conventions())
    except (KeyError, TypeError, AttributeError) as error:
        raise AssignmentError(
            f"sheet {assignment.id}: the solver failed ({type(error).__name__}: {error})"
        ) from None
    except ValueError as error:
        raise UsageError(f"the solver rejects these givens: {error}") from None
