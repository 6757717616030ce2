"""The worked solution: one step per part, with its formula, substitution and result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reference.conventions import Conventions

Value = int | float | str | dict[str, int] | None
"""An expected answer: a count, a real number, a choice or class, counts by type, or None for
parts that a person grades (sketches, free text)."""

Givens = Mapping[str, int | float | str]
"""The sheet's givens by dotted name, rates in base units (FLOP/s, byte/s)."""


@dataclass(frozen=True)
class Step:
    """How one part's expected answer is obtained.

    Attributes:
        part_id: the part's fixed id (``q1.b``).
        formula: the formula in the sheet's symbols (``2 × H × W × K² × C``).
        substitution: the formula with the numbers put in (``2 × 56 × 56 × 3 × 3 × 32``).
        value: the result; None when a person grades the part.
        unit: the result's unit (``FLOP``, ``byte``, ``FLOP/byte``) or ``""``.
    """

    part_id: str
    formula: str
    substitution: str
    value: Value
    unit: str = ""


@dataclass(frozen=True)
class Solution:
    """Every step of a sheet, solved for one set of givens and conventions."""

    assignment: str
    givens: Givens
    conventions: Conventions
    steps: tuple[Step, ...]

    @property
    def answers(self) -> dict[str, Value]:
        """Expected value per part id, in the sheet's order."""
        return {step.part_id: step.value for step in self.steps}

    def step(self, part_id: str) -> Step:
        """The step of one part (``KeyError`` if the sheet has no such part)."""
        for candidate in self.steps:
            if candidate.part_id == part_id:
                return candidate
        raise KeyError(part_id)


def format_number(value: float | int) -> str:
    """A number as the solution prints it: thousands separators, 4 decimals at most.

    >>> format_number(1806336), format_number(2.24676), format_number(250.0), format_number(1e12)
    ('1,806,336', '2.2468', '250', '1,000,000,000,000')
    """
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")
