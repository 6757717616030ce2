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
from grader.spreadsheet import BOM, Cell, Number, points_text, to_csv

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

    Returns:
        CSV text starting with a UTF-8 BOM (see the module docstring for why).
    """
    part_ids = assignment.part_ids
    header = [*GRADEBOOK_COLUMNS, *part_ids]
    decimals = assignment.grading.score_decimals
    rows = [_gradebook_row(r, assignment, part_ids, decimals) for r in sorted_results(results)]
    blanks: list[Cell] = [None] * len(part_ids)
    for student in missing:
        identity: list[Cell] = [student.id, student.name, ""]
        no_file: list[Cell] = [None, "no answer file", ""]
        rows.append([*identity, "MISSING", None, Number(assignment.max_score), *no_file, *blanks])
    rows.sort(key=lambda row: (str(row[0]).lower(), str(row[2])))
    return to_csv(header, rows)


def _gradebook_row(
    result: ResultLike, assignment: Assignment, part_ids: tuple[str, ...], decimals: int
) -> list[Cell]:
    identity: list[Cell] = [result.student.id, result.student.name, result.file or ""]
    flags = "; ".join(result.flags)
    if result.status != "graded":
        blanks: list[Cell] = [None] * len(part_ids)
        reason = result.error or "unknown error"
        score: list[Cell] = [None, Number(assignment.max_score), None]
        return [*identity, "ERROR", *score, reason, flags, *blanks]
    in_order = tuple(map(_ID, result.parts)) == part_ids  # the sheet's parts, its order (usual)
    if in_order and not result.pending_review:
        # pending_review sums what awaits_person finds waiting: 0, and nothing waits
        cells: list[Cell] = [rounded(p.points, decimals) for p in result.parts]
    elif in_order:
        cells = [None if awaits_person(p) else rounded(p.points, decimals) for p in result.parts]
    else:
        points = {
            p.id: None if awaits_person(p) else rounded(p.points, decimals) for p in result.parts
        }
        cells = [points.get(part_id) for part_id in part_ids]
    return [
        *identity,
        "GRADED",
        rounded(result.score, decimals),
        _number(result.max_score),
        rounded(result.pending_review, decimals),
        "",
        flags,
        *cells,
    ]


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
                tail = tails[id(part)] = segment(_review_cells(part, titles))
            open_row = part.decision is None or part.decision.stale
            (lines if open_row else decided_lines).extend((identity, ",", tail, sheet))
    return "".join(lines + decided_lines)


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
