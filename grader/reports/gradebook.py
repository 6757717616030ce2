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
score cells: an empty cell is not a 0, so it can never pass for one. A part waiting for a TA (a
sketch, free text, or an answer the grader could not read, see ``results.awaits_person``) has an
empty points cell for the same reason.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Sequence

from grader.input.roster import Enrolled
from grader.reports.common_mistakes import answer_text
from grader.reports.fast_writers import CSV_LINE_END, CsvSegment
from grader.reports.stats import sorted_results
from grader.results import PartLike, ResultLike, awaits_person
from grader.sheets.assignment import Assignment
from grader.spreadsheet import BOM, Cell, Number, cell_text, plain_number, points_text

GRADEBOOK_COLUMNS = (
    "id",
    "name",
    "file",
    "status",
    "score",
    "max",
    "pending review",
    "error",
    "flags",
)
REVIEW_COLUMNS = (
    "student",
    "name",
    "file",
    "part",
    "part title",
    "max points",
    "answer",
    "suggestion (staff only)",
    "status",
    "points",
    "comment",
    "by",
    "answer id",
    "sheet",
)
"""The review sheet's columns: a TA fills in ``points`` (or adds ``credit``), ``comment`` and
``by``; ``answer id`` binds the decision to the answer the TA saw, ``sheet`` to its sheet (a
run may grade several)."""


@functools.lru_cache(maxsize=1024)
def _number(value: float) -> Number:
    """One ``Number`` per distinct value (a class repeats the same few points)."""
    return Number(value)


def rounded(value: float, decimals: int) -> Number:
    """A score as the gradebook writes it: to the sheet's precision (11.21, not 11.2083)."""
    return _number(round(value, decimals))


def gradebook_csv(
    results: Sequence[ResultLike], assignment: Assignment, missing: Sequence[Enrolled] = ()
) -> str:
    """The gradebook: one row per answer file, graded or not, and one per enrolled student
    without a file (status ``MISSING``), sorted by student id then file.

    Columns: ``id, name, file, status`` (``GRADED``/``ERROR``/``MISSING``), ``score, max,
    pending review, error, flags`` (identity problems for the TA), then the points of every
    part (header = part id) in the sheet's order. Scores are rounded to the sheet's
    ``score_decimals``.

    Byte for byte ``to_csv`` of :func:`gradebook_header` and :func:`gradebook_rows`, written
    faster: a row is its first cells, written by the ``csv`` module, then its points, each
    part object's points written once (a class's results share their parts, see
    :mod:`grader.reports.fast_writers`). Points are numbers, which the writer never quotes.

    Returns:
        CSV text starting with a UTF-8 BOM (see the module docstring for why).
    """
    part_ids = assignment.part_ids
    decimals = assignment.grading.score_decimals
    segment = CsvSegment()
    points = _PointsCells(part_ids, decimals)
    lines: list[tuple[tuple[str, str], str]] = []
    # Each row's points follow its first cells after a comma (a sheet has parts: never none).
    assert part_ids, "a sheet without parts has no gradebook"
    # After a file's id, name and file come cells that most files share (status, score, max,
    # pending, error, flags): each distinct run of them is written once. Equal cells are
    # written alike (0.0 and -0.0, the one pair of equal numbers written apart, are both "0").
    shared: dict[tuple[Cell, ...], str] = {}
    for result in sorted_results(results):
        cells = _gradebook_row(result, assignment, part_ids, decimals, points=False)
        rest = tuple(cells[3:])
        text = shared.get(rest)
        if text is None:
            text = shared[rest] = segment(rest)
        line = f"{segment(cells[:3])},{text},{points(result)}{CSV_LINE_END}"
        lines.append((_row_order(cells), line))
    for row in _missing_rows(missing, assignment, part_ids):
        line = f"{segment(row[: -len(part_ids)])},{points.blanks}{CSV_LINE_END}"
        lines.append((_row_order(row), line))
    lines.sort(key=lambda line: line[0])  # stable: the rows of one id and file keep their order
    header = segment(gradebook_header(assignment)) + CSV_LINE_END
    return "".join([BOM, header, *(line for _order, line in lines)])


def gradebook_header(assignment: Assignment) -> list[str]:
    """The gradebook's column names."""
    return [*GRADEBOOK_COLUMNS, *assignment.part_ids]


def gradebook_rows(
    results: Sequence[ResultLike], assignment: Assignment, missing: Sequence[Enrolled] = ()
) -> list[list[Cell]]:
    """The gradebook's rows as cells (what :func:`gradebook_csv` writes)."""
    part_ids = assignment.part_ids
    decimals = assignment.grading.score_decimals
    rows = [_gradebook_row(r, assignment, part_ids, decimals) for r in sorted_results(results)]
    rows += _missing_rows(missing, assignment, part_ids)
    rows.sort(key=_row_order)
    return rows


def _row_order(row: Sequence[Cell]) -> tuple[str, str]:
    return str(row[0]).lower(), str(row[2])


def _missing_rows(
    missing: Sequence[Enrolled], assignment: Assignment, part_ids: tuple[str, ...]
) -> list[list[Cell]]:
    blanks: list[Cell] = [None] * len(part_ids)
    rows: list[list[Cell]] = []
    for student in missing:
        identity: list[Cell] = [student.id, student.name, ""]
        no_file: list[Cell] = [None, "no answer file", ""]
        rows.append([*identity, "MISSING", None, Number(assignment.max_score), *no_file, *blanks])
    return rows


class _PointsCells:
    """The points cells of a file's row as CSV text: the cells :func:`_points` gives, as the
    ``csv`` writer writes them (numbers are never quoted, an empty cell is nothing).

    A class's results share their part objects (see grader.reports.fast_writers): each
    object's cell is written once and then looked up by the object's id, a lookup that runs
    in C over a row (the results keep their parts alive while this lives, so ids stay theirs).
    """

    def __init__(self, part_ids: tuple[str, ...], decimals: int) -> None:
        self.part_ids = part_ids
        self.decimals = decimals
        self.blanks = "," * (len(part_ids) - 1)  # the points of a file not graded
        self.texts: dict[float, str] = {}  # by points before rounding
        # A part's cell by its object's id: in a row with points pending (a waiting part's
        # cell is empty), and in one without (pending_review sums what awaits_person finds
        # waiting: 0, and nothing waits, or only parts worth nothing, whose points show).
        self.pending: dict[int, str] = {}
        self.settled: dict[int, str] = {}

    def __call__(self, result: ResultLike) -> str:
        if result.status != "graded":
            return self.blanks
        parts = result.parts
        if tuple(map(_ID, parts)) != self.part_ids:  # rare: not the sheet's parts
            cells = _points(result, self.part_ids, self.decimals)
            return ",".join([cell_text(cell) for cell in cells])
        known = self.pending if result.pending_review else self.settled
        ids = list(map(id, parts))
        written: list[str | None] = list(map(known.get, ids))
        if None in written:  # part objects not met before
            for index, text in enumerate(written):
                if text is None:
                    text = self._cell(parts[index], waits=known is self.pending)
                    written[index] = known[ids[index]] = text
        return ",".join(written)  # type: ignore[arg-type]  # no None is left

    def _cell(self, part: PartLike, *, waits: bool) -> str:
        if waits and awaits_person(part):
            return ""
        text = self.texts.get(part.points)
        if text is None:
            text = self.texts[part.points] = plain_number(rounded(part.points, self.decimals))
        return text


def _gradebook_row(
    result: ResultLike,
    assignment: Assignment,
    part_ids: tuple[str, ...],
    decimals: int,
    *,
    points: bool = True,
) -> list[Cell]:
    """A file's row (without its points cells unless ``points``)."""
    identity: list[Cell] = [result.student.id, result.student.name, result.file or ""]
    flags = "; ".join(result.flags)
    if result.status != "graded":
        reason = result.error or "unknown error"
        score: list[Cell] = [None, Number(assignment.max_score), None]
        head = [*identity, "ERROR", *score, reason, flags]
    else:
        head = [
            *identity,
            "GRADED",
            rounded(result.score, decimals),
            _number(result.max_score),
            rounded(result.pending_review, decimals),
            "",
            flags,
        ]
    return [*head, *_points(result, part_ids, decimals)] if points else head


def _points(result: ResultLike, part_ids: tuple[str, ...], decimals: int) -> list[Cell]:
    """A file's points cells: its parts' points in the sheet's order; none (empty) for a part
    that waits for a person, and for every part of a file that could not be graded."""
    if result.status != "graded":
        return [None] * len(part_ids)
    in_order = tuple(map(_ID, result.parts)) == part_ids  # the sheet's parts, its order (usual)
    if in_order and not result.pending_review:
        # pending_review sums what awaits_person finds waiting: 0, and nothing waits
        return [rounded(p.points, decimals) for p in result.parts]
    if in_order:
        return [None if awaits_person(p) else rounded(p.points, decimals) for p in result.parts]
    points = {p.id: None if awaits_person(p) else rounded(p.points, decimals) for p in result.parts}
    return [points.get(part_id) for part_id in part_ids]


_ID = operator.attrgetter("id")


def review_csv(results: Sequence[ResultLike], assignment: Assignment) -> str:
    """The TA review sheet: every part waiting for a person (``awaits_person``: free text,
    sketches, and in a class run every answer the grader could not read; status ``open``, or
    ``stale`` when a decision was made on an earlier answer), then every part a TA has decided
    (``decided``, with its points, comment and who), so that the sheet a TA opens is whole.
    ``suggestion`` holds the rubric check, or for an unreadable answer why it could not be
    read and what each of its possible readings would score.

    The ``points``, ``comment`` and ``by`` columns of open rows are empty for the TA to fill
    in (``credit`` may be added instead of ``points``); the file is read back with
    ``--overrides`` (:mod:`grader.decision_files`); decided rows read back say what the ledger
    says already and change nothing. Rows are sorted by student, file, then sheet order.
    """
    order = {part_id: index for index, part_id in enumerate(assignment.part_ids)}
    titles = {part.id: part.title for part in assignment.parts}
    lines = [BOM, CsvSegment()(REVIEW_COLUMNS), CSV_LINE_END]
    decided_lines: list[str] = []
    segment = CsvSegment()
    sheet = segment(("", assignment.id)) + CSV_LINE_END  # the empty cell ends the tail
    # A student's cells, then a part's (a class's results share their part objects, see
    # grader.reports.fast_writers: each one's cells are written once).
    tails: dict[int, str] = {}
    # Part objects that differ (another line, another variant's expected value) mostly have
    # the same cells: each distinct row of cells is written once. Equal cells are written
    # alike (0.0 and -0.0, the one pair of equal numbers written apart, are both "0").
    written: dict[tuple[Cell, ...], str] = {}
    for result in sorted_results(results):
        chosen = [p for p in result.parts if p.decision is not None or awaits_person(p)]
        if not chosen:
            continue
        if len(chosen) > 1:
            chosen.sort(key=lambda p: (order.get(p.id, len(order)), p.id))
        identity = segment((result.student.id, result.student.name, result.file or ""))
        for part in chosen:
            tail = tails.get(id(part))
            if tail is None:
                cells = _review_cells(part, titles)
                tail = written.get(cells)
                if tail is None:
                    tail = written[cells] = segment(cells)
                tails[id(part)] = tail
            open_row = part.decision is None or part.decision.stale
            (lines if open_row else decided_lines).extend((identity, ",", tail, sheet))
    return "".join(lines + decided_lines)


def review_rows(results: Sequence[ResultLike], assignment: Assignment) -> list[list[Cell]]:
    """The review sheet's rows as cells, written plainly: what :func:`review_csv` writes
    (after :data:`REVIEW_COLUMNS`)."""
    order = {part_id: index for index, part_id in enumerate(assignment.part_ids)}
    titles = {part.id: part.title for part in assignment.parts}
    open_rows: list[list[Cell]] = []
    decided_rows: list[list[Cell]] = []
    for result in sorted_results(results):
        chosen = [p for p in result.parts if p.decision is not None or awaits_person(p)]
        chosen.sort(key=lambda p: (order.get(p.id, len(order)), p.id))
        for part in chosen:
            row: list[Cell] = [result.student.id, result.student.name, result.file or ""]
            row += [*_review_cells(part, titles), assignment.id]
            decided = part.decision is not None and not part.decision.stale
            (decided_rows if decided else open_rows).append(row)
    return open_rows + decided_rows


def _review_cells(part: PartLike, titles: dict[str, str]) -> tuple[Cell, ...]:
    decision = part.decision
    suggestion = part.review or ""
    if decision is not None and decision.stale:
        earlier = points_text(decision.points)
        if decision.comment:
            earlier += f", {decision.comment!r}"
        by = f" by {decision.by}" if decision.by else ""
        suggestion = f"Earlier decision on another answer{by}: {earlier}. {suggestion}".strip()
    decided = decision is not None and not decision.stale
    return (
        part.id,
        titles.get(part.id, ""),
        _number(part.max_points),
        answer_text(part.submitted),
        suggestion,
        "decided" if decided else ("stale" if decision else "open"),
        _number(decision.points) if decided and decision else None,
        decision.comment if decided and decision else None,
        decision.by if decided and decision else None,
        part.answer_id or "",
    )
