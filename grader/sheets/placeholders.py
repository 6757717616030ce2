"""Texts of a sheet written over its givens: questions and feedback that stay true for other
givens (another sheet's numbers, a student's variant).

A placeholder is a formula in braces (:mod:`grader.sheets.formulas`): ``{H} x {W} outputs``,
``{bytes_per_element} bytes per element``, ``{H-K+1} x {W-K+1}``, ``{q3.a}``. A given named on
its own is shown as the sheet writes it, with its unit (``{gpu.bandwidth}`` is ``800 GB/s``);
anything else as a number, or in a Python number format after a colon (``{q4.a:.3g}`` is
``3.33``). ``{{`` and ``}}`` are literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from grader.sheets.formulas import FormulaError, Value, evaluate_formula, names_in
from reference.solution import format_number

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]+)\}")


def placeholders(text: str) -> list[str]:
    """The formulas of a text's placeholders, in order.

    >>> placeholders("{H} x {W} ({{not one}})")
    ['H', 'W']
    """
    return [
        m.group(1).partition(":")[0].strip()
        for m in _PLACEHOLDER.finditer(text)
        if m.group(1) is not None
    ]


def render(
    text: str, values: Mapping[str, Value], shown: Callable[[str], str | None] | None = None
) -> str:
    """``text`` with every placeholder replaced by its value.

    Args:
        values: the names formulas may read (givens, symbols, part ids).
        shown: how a given named on its own is shown (None: as a number).

    Raises:
        FormulaError: a placeholder does not parse or reads an unknown name.

    >>> render("{H} x {W}: {2*H*W} outputs {{ok}}", {"H": 56.0, "W": 56.0})
    '56 x 56: 6,272 outputs {ok}'
    >>> render("{10/3:.3g} FLOP/byte", {})
    '3.33 FLOP/byte'
    """

    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole in ("{{", "}}"):
            return whole[0]
        formula, _, spec = match.group(1).partition(":")
        formula = formula.strip()
        if shown is not None and not spec:
            given = shown(formula)
            if given is not None:
                return given
        value = evaluate_formula(formula, values)
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            raise FormulaError(f"{{{formula}}} is a condition, not a value")
        if spec:
            try:
                return format(value, spec)
            except ValueError:
                raise FormulaError(f"{{{match.group(1)}}}: {spec!r} is no number format") from None
        return format_number(int(value) if value.is_integer() else value)

    return _PLACEHOLDER.sub(replace, text)


def unknown_names(text: str, known: Mapping[str, object] | set[str]) -> list[str]:
    """The names a text's placeholders read that ``known`` lacks (and placeholders that do not
    parse, as their text): what a sheet's check reports.

    >>> unknown_names("{H} x {Q} and {2*}", {"H"})
    ['Q', '2*']
    """
    missing = []
    for formula in placeholders(text):
        try:
            missing += [name for name in names_in(formula) if name not in known]
        except FormulaError:
            missing.append(formula)
    return missing
