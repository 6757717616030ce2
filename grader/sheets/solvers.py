"""A sheet's answers: its solver (a ``solve`` function in a Python file of its folder) or the
formulas of its parts, or both (a part with a formula that the solver does not answer).

A bundled sheet's solver is imported as a module of the ``sheets`` package (so that it is
type-checked, doctested and mutation-tested like the rest); a TA's own sheet folder's solver
is loaded from its file. Either way it is the course's code, trusted as the grader is. A
sheet's ``kinds`` file (answer kinds of its own) is loaded the same way.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import importlib.util
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType

from grader.errors import AssignmentError
from grader.sheets.assignment import Assignment
from grader.sheets.formulas import FormulaError, Value, names_in, number_of
from reference.conventions import Conventions
from reference.solution import Givens, Solution, Step
from reference.solution import format_number as fmt

Solver = Callable[[Givens, Conventions], Solution]


def solve_sheet(assignment: Assignment, givens: Givens, conventions: Conventions) -> Solution:
    """Every part's expected answer: the solver's, then each formula part's.

    Raises:
        AssignmentError: the solver cannot be loaded, or a formula cannot be evaluated.
        ValueError: the solver refuses the givens (the caller says whose fault that is).
    """
    steps: list[Step] = []
    if assignment.solver is not None:
        steps = list(solver_of(assignment)(givens, conventions).steps)
    answered = {step.part_id for step in steps}
    values = formula_values(assignment, givens)
    values.update({step.part_id: step.value for step in steps if _usable(step.value)})  # type: ignore[misc]
    for part in assignment.parts:
        if part.formula is None or part.id in answered:
            continue
        try:
            value = number_of(part.formula, values)
        except FormulaError as error:
            raise AssignmentError(f"part {part.id}: formula {part.formula!r}: {error}") from None
        shown: int | float = int(value) if part.kind == "count" and value.is_integer() else value
        values[part.id] = float(value)
        steps.append(Step(part.id, part.formula, substituted(part.formula, values), shown,
                          "" if part.unit == "1" else part.unit))  # fmt: skip
    answered = {step.part_id for step in steps}
    # A part a person grades has no value; a solver writes its step with None, and a sheet of
    # formulas alone gets the same, so that every part has its step.
    steps += [
        Step(part.id, "graded by a TA", "", None)
        for part in assignment.parts
        if not part.answer_kind.solved and part.formula is None and part.id not in answered
    ]
    order = {part_id: index for index, part_id in enumerate(assignment.part_ids)}
    steps.sort(key=lambda step: order.get(step.part_id, len(order)))
    return Solution(assignment.id, givens, conventions, tuple(steps))


def substituted(formula: str, values: Mapping[str, Value]) -> str:
    """A formula with its names' values put in: the worked step (``3 × 3 × 32``).

    >>> substituted("C*K*K", {"C": 32.0, "K": 3.0})
    '32 × 3 × 3'
    """
    text = formula.replace("*", " × ").replace("  ", " ")
    for name in sorted(names_in(formula), key=len, reverse=True):
        value = values.get(name)
        if isinstance(value, float):
            shown = fmt(int(value) if value.is_integer() else value)
            text = _replace_name(text, name, shown)
    return " ".join(text.split())


def _replace_name(text: str, name: str, shown: str) -> str:
    return re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w.])", shown, text)


def formula_values(assignment: Assignment, givens: Givens) -> dict[str, Value]:
    """What a sheet's formulas may read: the givens by name (numbers as floats) and the
    symbols bound to them."""
    values: dict[str, Value] = {
        name: value if isinstance(value, str) else float(value) for name, value in givens.items()
    }
    values.update({symbol: values[name] for symbol, name in assignment.symbols.items()})
    return values


def _usable(value: object) -> bool:
    """A solver's value a formula may read: a number or a text (a choice)."""
    return isinstance(value, int | float | str)


def solver_of(assignment: Assignment) -> Solver:
    """The ``solve`` function of a sheet's solver file.

    Raises:
        AssignmentError: the sheet has no folder, the file is missing, or it has no ``solve``.
    """
    folder = assignment.folder
    if folder is None or assignment.solver is None:
        raise AssignmentError(f"sheet {assignment.id}: no solver file to load")
    module = sheet_module(folder, assignment.solver, "solver")
    solve = getattr(module, "solve", None)
    if not callable(solve):
        raise AssignmentError(
            f"{folder / assignment.solver}: defines no solve(givens, conventions)"
        )
    return solve  # type: ignore[no-any-return]


def load_sheet_kinds(assignment: Assignment) -> None:
    """Register the answer kinds of the sheet's ``kinds`` file (nothing when it names none).

    Raises:
        AssignmentError: the file is missing or fails to load.
    """
    if assignment.kinds is not None and assignment.folder is not None:
        sheet_module(assignment.folder, assignment.kinds, "kinds")


@functools.cache
def sheet_module(folder: Path, file: str, role: str) -> ModuleType:
    """A Python file of a sheet's folder (its ``solver`` or ``kinds``), loaded once.

    Raises:
        AssignmentError: the file is missing or fails to load.
    """
    path = (folder / file).resolve()
    if not path.is_file():
        raise AssignmentError(f"{folder / file}: the sheet's {role} file is missing")
    bundled = _bundled_name(path)
    if bundled is not None:
        return importlib.import_module(bundled)
    name = "_grader_sheet_" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise AssignmentError(f"{path}: cannot be loaded as a Python file")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        raise AssignmentError(
            f"{path}: loading it failed ({type(error).__name__}: {error})"
        ) from None
    return module


def _bundled_name(path: Path) -> str | None:
    """``sheets.roofline_1.solver`` for a solver inside the installed ``sheets`` package."""
    import sheets

    root = Path(sheets.__file__).resolve().parent
    if not path.is_relative_to(root):
        return None
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(("sheets", *parts)) if all(p.isidentifier() for p in parts) else None
