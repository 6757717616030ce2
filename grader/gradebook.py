"""Spreadsheet exports: the gradebook (one row per answer file) and the TA review sheet.

Both are CSV text for spreadsheets, so three things matter:

- **Encoding**: the text starts with a UTF-8 byte order mark (``\\ufeff``). Excel (Windows and
  Mac) reads a ``.csv`` without a BOM in the legacy ANSI code page, which turns ``Émilie du
  Châtelet`` into mojibake; with the BOM it reads UTF-8. LibreOffice's import dialog sniffs the
  BOM and preselects UTF-8 (``ScImportAsciiDlg``); a headless ``soffice --convert-to`` guesses
  the system charset with or without a BOM, so pass ``--infilter=CSV:44,34,76`` there (checked:
  the BOM is then dropped, numbers stay numbers). Google Sheets, pandas
  (``encoding="utf-8-sig"``) and Python's ``csv`` with ``utf-8-sig`` strip it too. Write the
  string with ``encoding="utf-8"`` (the BOM is part of the text). Rows end in ``\\r\\n``
  (RFC 4180).
- **Formula injection**: a text cell starting with ``= + - @``, tab, CR or NUL would be run as a
  formula by Excel or LibreOffice (``=HYPERLINK(...)``; checked: LibreOffice's default CSV
  import evaluates ``=1+1`` to 2). Such cells get a leading ``'`` (OWASP ASVS 1.2.10) and are
  then read as text. Our own numbers are never prefixed.
- **Numbers**: plain (``1.5``, ``2``, ``0.25``): ``.`` decimal, no thousands separator, no
  exponent and no ``.0`` noise: what programs and English-locale spreadsheets read as numbers
  (in a decimal-comma locale, choose ``.`` as decimal separator in the import dialog).

A file that could not be graded gets a row with status ``ERROR`` and the reason, and *empty*
score cells: an empty cell is not a 0, so it can never pass for one. A part waiting for a TA has
an empty points cell for the same reason.
"""

from __future__ import annotations

import csv
import functools
import io
import operator
from collections.abc import Iterable, Sequence

from grader.assignment import Assignment
from grader.common_mistakes import answer_text
from grader.escaping import visible
from grader.overrides import starts_formula
from grader.results import ResultLike, Status
from grader.stats import sorted_results

BOM = "\ufeff"
GRADEBOOK_COLUMNS = ("id", "name", "file", "status", "score", "max", "pending review", "error")
REVIEW_COLUMNS = (
    "student",
    "name",
    "file",
    "part",
    "part title",
    "max points",
    "answer",
    "suggestion",
    "points",
    "comment",
)


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


@functools.lru_cache(maxsize=1024)
def _number(value: float) -> Number:
    """One ``Number`` per distinct value (a class repeats the same few points)."""
    return Number(value)


def gradebook_csv(results: Sequence[ResultLike], assignment: Assignment) -> str:
    """The gradebook: one row per answer file, graded or not, sorted by student id then file.

    Columns: ``id, name, file, status`` (``GRADED``/``ERROR``), ``score, max, pending review,
    error``, then the points of every part (header = part id) in the sheet's order.

    Args:
        results: one result per answer file, in any order.
        assignment: the sheet (part order and maximum).

    Returns:
        CSV text starting with a UTF-8 BOM (see the module docstring for why).
    """
    part_ids = assignment.part_ids
    header = [*GRADEBOOK_COLUMNS, *part_ids]
    rows = [_gradebook_row(r, assignment, part_ids) for r in sorted_results(results)]
    return to_csv(header, rows)


def _gradebook_row(
    result: ResultLike, assignment: Assignment, part_ids: tuple[str, ...]
) -> list[Cell]:
    identity: list[Cell] = [result.student.id, result.student.name, result.file or ""]
    if result.status != "graded":
        blanks: list[Cell] = [None] * len(part_ids)
        reason = result.error or "unknown error"
        return [*identity, "ERROR", None, Number(assignment.max_score), None, reason, *blanks]
    waiting = Status.NEEDS_REVIEW
    if tuple(map(_ID, result.parts)) == part_ids:  # the sheet's parts in its order (usual)
        cells: list[Cell] = [
            None if p.status is waiting else _number(p.points) for p in result.parts
        ]
    else:
        points = {p.id: None if p.status is waiting else _number(p.points) for p in result.parts}
        cells = [points.get(part_id) for part_id in part_ids]
    return [
        *identity,
        "GRADED",
        _number(result.score),
        _number(result.max_score),
        _number(result.pending_review),
        "",
        *cells,
    ]


_ID = operator.attrgetter("id")


def review_csv(results: Sequence[ResultLike], assignment: Assignment) -> str:
    """The TA review sheet: one row per part waiting for a person (status ``needs_review``).

    The ``points`` and ``comment`` columns are empty for the TA to fill in (``credit`` may be
    added instead of ``points``); the file is read back by ``grader.overrides``, which uses the
    ``student``, ``part``, ``points`` and ``comment`` columns. ``file`` tells where an image
    answer lies (next to the answer file). Rows are sorted by student, file, then sheet order.
    """
    order = {part_id: index for index, part_id in enumerate(assignment.part_ids)}
    titles = {part.id: part.title for part in assignment.parts}
    lines = [BOM, _CsvSegment()(REVIEW_COLUMNS), _LINE_END]
    segment = _CsvSegment()
    # A student's cells, then a part's (a class's results share their part objects, see
    # grader.serialize: each one's cells are written once).
    tails: dict[int, str] = {}
    for result in sorted_results(results):
        waiting = [p for p in result.parts if p.status is Status.NEEDS_REVIEW]
        if not waiting:
            continue
        if len(waiting) > 1:
            waiting.sort(key=lambda p: (order.get(p.id, len(order)), p.id))
        identity = segment((result.student.id, result.student.name, result.file or ""))
        for part in waiting:
            tail = tails.get(id(part))
            if tail is None:
                tail = tails[id(part)] = segment(
                    (
                        part.id,
                        titles.get(part.id, ""),
                        _number(part.max_points),
                        answer_text(part.submitted),
                        part.review or "",
                        None,
                        None,
                    )
                )
            lines += (identity, ",", tail, _LINE_END)
    return "".join(lines)


_LINE_END = "\r\n"


class _CsvSegment:
    """Cells as the CSV text the ``csv`` writer makes of them, without the line end.

    Segments of one row joined with commas are the line the writer makes of the whole row:
    it quotes each field on its own, and only a row of one empty field is special (``""``),
    so a segment has two cells or more."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator=_LINE_END)

    def __call__(self, cells: Sequence[Cell]) -> str:
        assert len(cells) > 1, "a lone empty cell is written differently"
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([cell_text(cell) for cell in cells])
        return self.buffer.getvalue()[: -len(_LINE_END)]
