"""Reading TA decisions from files (review sheets, the review page's export, YAML) and keeping
the ledger (``decisions.csv`` in the output folder).

Reading is strict about what would silently change a grade: a cell that is not a number, both
points and credit, a malformed CSV (an unbalanced quote ends the file), cells beyond the
header; every problem names the file and line, and all of them are reported at once. It is
lenient about what spreadsheets do to a file: a byte order mark, ``;`` or tab as separator and
a decimal comma (German Excel), the ``'`` our export put before formula-like text, columns it
does not know (a review sheet has many), rows nobody filled in.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.grading.decisions import Decision, DecisionProblems
from grader.input.bounded_read import read_regular_file
from grader.run.atomic import write_text_atomic
from grader.spreadsheet import Number, clean_cell, to_csv

LEDGER_NAME = "decisions.csv"
LEDGER_COLUMNS = ("student", "part", "points", "credit", "comment", "by", "at", "answer", "source")
MAX_DECISION_FILE_BYTES = 20 * 1024 * 1024
"""A review sheet of 10,000 students is a few MB; anything far larger is not one."""

# Plain decimals only ("1.5", "1,5", ".5", "-1"): what a TA types in a spreadsheet cell.
_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$")
# Column names as TAs and our own files spell them, to the field they fill.
_COLUMNS: dict[str, str] = {
    "student": "student",
    "student id": "student",
    "id": "student",
    "part": "part",
    "points": "points",
    "credit": "credit",
    "comment": "comment",
    "comments": "comment",
    "by": "by",
    "decided by": "by",
    "ta": "by",
    "at": "at",
    "decided at": "at",
    "answer id": "answer",
    "sheet": "sheet",
    "assignment": "sheet",
}
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
# An answer id of 16 decimal digits (about one in 1,800) as Excel or LibreOffice save it once
# they have read it as a number: 1.41887E+15, 1.41887013319088E+015, 1418870133190880.
_SPREADSHEET_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:[eE][+]?\d+)?")
_YAML_KEYS = frozenset({"student", "part", "points", "credit", "comment", "by", "answer", "sheet"})


def read_decision_file(path: Path) -> list[Decision]:
    """The decisions in a file a TA passes with ``--overrides`` (CSV, or YAML by suffix).

    Raises:
        DecisionProblems: the file cannot be read, or any of its decisions is malformed.
    """
    name = path.name
    try:
        data = read_regular_file(path, MAX_DECISION_FILE_BYTES + 1)
    except OSError as error:
        raise DecisionProblems([f"{path}: cannot read: {error.strerror or error}"]) from None
    if data is None:
        raise DecisionProblems([f"{path}: not a regular file"])
    if len(data) > MAX_DECISION_FILE_BYTES:
        raise DecisionProblems([f"{path}: larger than {MAX_DECISION_FILE_BYTES >> 20} MiB"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecisionProblems([f"{path}: not UTF-8 text (save it as CSV UTF-8)"]) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        return parse_decisions_yaml(text, name)
    return parse_decisions_csv(text, name)


def parse_decisions_csv(text: str, name: str = "decisions") -> list[Decision]:
    """Decisions from CSV text with ``student``, ``part`` and ``points`` or ``credit`` columns.

    Rows with neither points nor credit are skipped (review rows nobody filled in yet).

    Raises:
        DecisionProblems: every problem found, each with ``name`` and the line.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return []
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(first_line), strict=True
    )
    problems: list[str] = []
    decisions: list[Decision] = []
    try:
        header = [clean_cell(cell).lower() for cell in next(reader)]
        fields = [_COLUMNS.get(column) for column in header]
        missing = {"student", "part"} - set(fields)
        if missing or not {"points", "credit"} & set(fields):
            needed = ", ".join(sorted(missing)) if missing else "points or credit"
            raise DecisionProblems([f"{name} line 1: missing column(s): {needed}"])
        # A row is named by the line it starts on: a comment cell of several lines (Alt+Enter
        # in a spreadsheet) would otherwise point at the line of the next row's cells.
        line = reader.line_num + 1
        for row in reader:
            cells = _row_cells(row, fields, f"{name} line {line}", problems)
            if cells is not None:
                decision = _decision(cells, f"{name} line {line}", problems)
                if decision is not None:
                    decisions.append(decision)
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(
            f"{name} line {reader.line_num}: not valid CSV ({error}); is a quote left open?"
        )
    if problems:
        raise DecisionProblems(problems, decisions)
    return decisions


def _row_cells(
    row: Sequence[str], fields: Sequence[str | None], where: str, problems: list[str]
) -> dict[str, str] | None:
    """The known fields of a row (None for an empty row); extra filled cells are a problem,
    and so are two columns of one meaning (``id`` and ``student``, ``comment`` and
    ``comments``) that hold different values: which one stands is not for the reader to
    guess. An empty one gives way to the other."""
    if not any(cell.strip() for cell in row):
        return None
    if len(row) > len(fields) and any(cell.strip() for cell in row[len(fields) :]):
        problems.append(f"{where}: more cells than the header has columns")
        return None
    cells: dict[str, str] = {}
    for field, cell in zip(fields, row, strict=False):
        if field is None:
            continue
        value = clean_cell(cell)
        earlier = cells.get(field, "")
        if earlier.strip() and value.strip() and earlier.strip() != value.strip():
            problems.append(f"{where}: two {field} columns hold different values")
            return None
        if not earlier.strip():
            cells[field] = value
    return cells


def _delimiter(header: str) -> str:
    """``,`` unless the header is split by ``;`` or tabs (Excel in a decimal-comma locale)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _decision(cells: Mapping[str, str], where: str, problems: list[str]) -> Decision | None:
    """One decision from a row's cells; None (nothing to decide, or a problem recorded)."""
    before = len(problems)
    points = _number(cells.get("points", ""), "points", where, problems)
    credit = _number(cells.get("credit", ""), "credit", where, problems)
    if len(problems) > before or (points is None and credit is None):
        return None
    student, part = cells.get("student", ""), cells.get("part", "")
    if not student or not part:
        problems.append(f"{where}: student and part are required")
        return None
    if points is not None and credit is not None:
        problems.append(f"{where}: give points or credit, not both")
        return None
    return Decision(
        student=student,
        part=part,
        points=points,
        credit=credit,
        comment=cells.get("comment", ""),
        by=cells.get("by", ""),
        at=cells.get("at", ""),
        answer=_fingerprint(cells.get("answer", ""), where, problems),
        source=where,
        sheet=cells.get("sheet", ""),
    )


def _fingerprint(text: str, where: str, problems: list[str]) -> str:
    """The answer id a decision is bound to ("" for none); anything else is a problem."""
    if text and not _FINGERPRINT.fullmatch(text):
        problem = f"{where}: answer id {text[:40]!r} is not one the grader wrote"
        if _SPREADSHEET_NUMBER.fullmatch(text):
            problem += (
                " (a spreadsheet read an answer id of digits only as a number and saved it "
                "so; empty that cell to bind the decision to the answer graded now, or pass "
                "the review page's export instead)"
            )
        problems.append(problem)
        return ""
    return text


def _number(text: str, column: str, where: str, problems: list[str]) -> float | None:
    """A decimal number (``1.5``, ``1,5``), None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        problems.append(f"{where}: {column} {text[:40]!r} is not a number")
        return None
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        problems.append(f"{where}: {column} {text[:40]!r} is not a number")
        return None
    return value


# --- YAML ------------------------------------------------------------------------------------


def parse_decisions_yaml(text: str, name: str = "decisions") -> list[Decision]:
    """Decisions from YAML: a list of ``{student, part, points|credit, comment}`` mappings, or
    a mapping ``student: {part: points}`` (a part may also map to ``{points|credit, comment}``).

    Composed with PyYAML's ``BaseLoader`` rules (every scalar stays text: an id ``0123`` keeps
    its zero) and walked by hand, so that every decision knows its line.

    Raises:
        DecisionProblems: not YAML, neither shape, or bad entries (all of them, with lines).
    """
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise DecisionProblems([f"{name}{line}: not valid YAML"]) from None
    except RecursionError:  # PyYAML's composer recurses once per level of nesting
        raise DecisionProblems([f"{name}: not valid YAML (nested too deeply)"]) from None
    if root is None or (isinstance(root, ScalarNode) and not root.value.strip()):
        return []
    problems: list[str] = []
    decisions: list[Decision] = []
    entries: Iterator[tuple[str | None, str | None, Node]]
    if isinstance(root, SequenceNode):
        entries = ((None, None, item) for item in root.value)
    elif isinstance(root, MappingNode):
        entries = _nested_entries(root, name, problems)
    else:
        raise DecisionProblems(
            [f"{name}: expected a list of decisions or a mapping student: {{part: points}}"]
        )
    for student, part, node in entries:
        where = f"{name} line {node.start_mark.line + 1}"
        cells = _yaml_cells(node, where, problems)
        if cells is None:
            continue
        if student is not None:
            cells = {**cells, "student": student, "part": part or ""}
        decision = _decision(cells, where, problems)
        if decision is not None:
            decisions.append(decision)
    if problems:
        raise DecisionProblems(problems, decisions)
    return decisions


def _nested_entries(
    root: MappingNode, name: str, problems: list[str]
) -> Iterator[tuple[str | None, str | None, Node]]:
    for student_node, parts in root.value:
        student = student_node.value if isinstance(student_node, ScalarNode) else ""
        if not isinstance(parts, MappingNode):
            line = parts.start_mark.line + 1
            problems.append(f"{name} line {line}: {student}: expected a mapping part: points")
            continue
        for part_node, value in parts.value:
            part = part_node.value if isinstance(part_node, ScalarNode) else ""
            yield student, part, value


def _yaml_cells(node: Node, where: str, problems: list[str]) -> dict[str, str] | None:
    if isinstance(node, ScalarNode):
        return {"points": node.value}
    if not isinstance(node, MappingNode):
        problems.append(f"{where}: expected student, part, points|credit, comment")
        return None
    cells: dict[str, str] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or key.value not in _YAML_KEYS:
            shown = key.value if isinstance(key, ScalarNode) else "?"
            problems.append(f"{where}: unknown key {shown!r}")
            return None
        if not isinstance(value, ScalarNode):
            problems.append(f"{where}: {key.value} must be plain text")
            return None
        if key.value in cells:  # which of the two stands is not for the reader to guess
            problems.append(f"{where}: {key.value} given twice")
            return None
        cells[key.value] = value.value.strip()
    return cells


# --- the ledger ------------------------------------------------------------------------------


def ledger_path(out_dir: Path) -> Path:
    """Where the ledger of an output folder lives."""
    return out_dir / LEDGER_NAME


def read_ledger(out_dir: Path) -> list[Decision]:
    """The decisions recorded in an output folder (none when it has no ledger yet).

    Raises:
        DecisionProblems: the ledger exists but cannot be read: a run must not go on and
            write it back with fewer decisions than it holds.
    """
    path = ledger_path(out_dir)
    try:
        data = read_regular_file(path, MAX_DECISION_FILE_BYTES * 4)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise DecisionProblems([f"{path}: cannot read: {error.strerror or error}"]) from None
    if data is None:
        raise DecisionProblems([f"{path}: not a regular file"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecisionProblems([f"{path}: not UTF-8 text: restore it from a backup"]) from None
    decisions = []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        if tuple(reader.fieldnames or ()) != LEDGER_COLUMNS:
            raise DecisionProblems([f"{path}: not a decisions ledger (unexpected columns)"])
        line = reader.line_num + 1  # a row is named by the line it starts on (see above)
        for row in reader:
            where = f"{LEDGER_NAME} line {line}"
            problems: list[str] = []
            decision = _decision({k: clean_cell(v) for k, v in row.items() if k}, where, problems)
            if problems or decision is None:
                raise DecisionProblems(problems or [f"{path}: line {line} is empty"])
            decisions.append(replace(decision, source=clean_cell(row.get("source"))))
            line = reader.line_num + 1
    except csv.Error as error:
        raise DecisionProblems([f"{path} line {reader.line_num}: {error}"]) from None
    return decisions


def ledger_csv(decisions: Sequence[Decision]) -> str:
    """The ledger's text: every decision, oldest first."""
    rows = [
        [
            d.student,
            d.part,
            None if d.points is None else Number(d.points),
            None if d.credit is None else Number(d.credit),
            d.comment,
            d.by,
            d.at,
            d.answer,
            d.source,
        ]
        for d in decisions
    ]
    return to_csv(LEDGER_COLUMNS, rows)


def write_ledger(out_dir: Path, decisions: Sequence[Decision]) -> None:
    """Write the ledger atomically and flush it to disk: a TA's decisions must survive."""
    write_text_atomic(ledger_path(out_dir), ledger_csv(decisions), durable=True)
