"""Spreadsheet cells: numbers written plainly, text that never runs as a formula, CSV with a BOM.

Every CSV file the grader writes (gradebook, review sheet, exports, the decisions ledger) goes
through :func:`to_csv` or :func:`cell_text`, and every CSV it reads back takes its cells through
:func:`clean_cell`, which undoes the one change made on the way out (the ``'`` before text that
a spreadsheet would run as a formula). The reasons are in :mod:`grader.gradebook`.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from grader.escaping import visible

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""First characters that make a spreadsheet run a cell as a formula (OWASP ASVS 1.2.10)."""
# Blanks a spreadsheet's import may trim before it looks for a formula: every Unicode space
# (no-break, ideographic, thin...) and the zero-width ones.
_LEADING_BLANKS = re.compile(r"[\s\u180e\u200b-\u200d\u2060\ufeff]*")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula: a trigger first, or after blanks.

    >>> [starts_formula(t) for t in ("=1", "\u00a0=1", "\u3000 +1", "\u200b@x", "a=1", "")]
    [True, True, True, True, False, False]
    """
    if text.startswith(FORMULA_TRIGGERS):
        return True
    first = text[:1]
    if not first or first.isalnum():  # nearly every cell: a letter or digit first
        return False
    blanks = _LEADING_BLANKS.match(text)
    return text[blanks.end() if blanks else 0 :].startswith(FORMULA_TRIGGERS)


@functools.lru_cache(maxsize=4096)  # a gradebook repeats the same few points thousands of times
def plain_number(value: float, digits: int = 6) -> str:
    """A number as a spreadsheet reads it: ``1.5``, ``2``, ``0.25`` (no exponent, no ``.0``).

    >>> [plain_number(x) for x in (1.5, 2.0, 0.25, 1 / 3, 1806336.0, -0.0)]
    ['1.5', '2', '0.25', '0.333333', '1806336', '0']
    """
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Number(float):
    """A number we computed: written plainly and never neutralised."""

    __slots__ = ()


Cell = str | Number | None


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula.

    Blanks before a trigger do not make it safe (some importers trim them), so the first
    character after any Unicode space (no-break, ideographic...) is checked too.

    >>> [neutralise(t) for t in ("=1+1", " @SUM(A1)", "-2+3", "Ada", "\\tcmd", "\\xa0=1")]
    ["'=1+1", "' @SUM(A1)", "'-2+3", 'Ada', "'\\tcmd", "'\\xa0=1"]
    """
    return "'" + text if starts_formula(text) else text


def cell_text(cell: Cell) -> str:
    """One cell as written: numbers plain, text neutralised and its hidden characters shown
    (:func:`grader.escaping.visible`), None empty."""
    if cell is None:
        return ""
    if isinstance(cell, Number):
        return plain_number(cell)
    return neutralise(visible(cell))


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """CSV text with a BOM and ``\\r\\n`` line ends (every text cell neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([cell_text(h) for h in header])
    # A class's gradebook has a third of a million cells, mostly the same few points, part
    # ids and words: each distinct cell is written once, then looked up.
    known: dict[Cell, str] = {}

    def written(cell: Cell) -> str:
        text = known[cell] = cell_text(cell)
        return text

    writer.writerows([known[c] if c in known else written(c) for c in row] for row in rows)
    return BOM + buffer.getvalue()


def clean_cell(value: Any) -> str:
    """A cell read back: stripped, and without the ``'`` our export put before formula text."""
    text = "" if value is None else str(value).strip()
    if text.startswith("'") and starts_formula(text[1:]):
        return text[1:]
    return text


def points_text(points: float) -> str:
    """Points for a sentence: ``1 point``, ``1.5 points``, ``0 points``.

    >>> points_text(1.0), points_text(1.5), points_text(0)
    ('1 point', '1.5 points', '0 points')
    """
    shown = plain_number(points)
    return f"{shown} point" if shown == "1" else f"{shown} points"
