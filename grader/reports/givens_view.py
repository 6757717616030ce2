"""A sheet's givens (value as written, unit the grader works in, symbol, choices) and the
counting conventions a solver takes, as a table or JSON (``grader givens``): the names
``grader solve --set`` and ``--convention`` accept."""

from __future__ import annotations

from tabulate import tabulate

from grader.sheets.assignment import Assignment
from reference import Conventions
from reference.conventions import FIELD_CHOICES


def givens_json(assignment: Assignment) -> dict[str, object]:
    """The givens and conventions as JSON-ready objects."""
    return {
        "sheet": assignment.id,
        "givens": [
            {
                "name": name,
                "value": spec.value,
                "unit": spec.unit,
                "symbol": spec.symbol,
                "choices": list(spec.choices) if spec.choices else None,
            }
            for name, spec in assignment.givens.items()
        ],
        "conventions": [
            {"name": name, "default": default, "choices": list(FIELD_CHOICES[name])}
            for name, default in _convention_defaults(assignment).items()
        ],
    }


def givens_table(assignment: Assignment) -> str:
    """The givens, then the conventions, as two plain-text tables."""
    givens = [
        [
            name,
            spec.symbol or "",
            spec.value,
            spec.unit or "",
            " | ".join(spec.choices) if spec.choices else "",
        ]
        for name, spec in assignment.givens.items()
    ]
    conventions = [
        [name, default, " | ".join(FIELD_CHOICES[name])]
        for name, default in _convention_defaults(assignment).items()
    ]
    if not conventions:
        listed = [f"Conventions: none ({NO_SOLVER})."]
    else:
        listed = [
            "Conventions (grader solve --convention NAME=VALUE):",
            tabulate(
                conventions, headers=["Convention", "Default", "Choices"], disable_numparse=True
            ),
        ]
    return "\n".join(
        [
            f"{assignment.title} ({assignment.id})",
            "",
            "Givens (grader solve --set NAME=VALUE):",
            tabulate(
                givens,
                headers=["Given", "Symbol", "Value", "Unit", "Choices"],
                disable_numparse=True,
            ),
            "",
            *listed,
        ]
    )


NO_SOLVER = "the sheet has no solver; its values are formulas over the givens"
"""Why a sheet takes no counting conventions: only a solver reads them."""


def _convention_defaults(assignment: Assignment) -> dict[str, str]:
    """Each convention the command line takes, with its default written as it is typed; none
    for a sheet without a solver."""
    if assignment.solver is None:
        return {}
    defaults = Conventions()
    shown = {}
    for name in FIELD_CHOICES:
        value = getattr(defaults, name)
        if value is None:
            shown[name] = "from the givens"
        elif isinstance(value, bool):
            shown[name] = str(value).lower()
        else:
            shown[name] = str(value)
    return shown
