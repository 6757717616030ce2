"""The class list: who is enrolled, read from the course's own export.

A roster is a CSV file with a row per enrolled student: the course's student id (what
students write in their answer files), a name, and optionally an email address and the
student's id in the learning management system (LMS), which the LMS writes into the names of
the folders and files it hands out. The column names of Canvas's gradebook export (Student, ID,
SIS User ID, SIS Login ID, Section) and of Moodle's participant and grading-worksheet exports
(First name, Last name, ID number, Email address, Identifier "Participant 12345", Full name)
are recognised, as are plain ones (id, name, email, lms id).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError
from grader.input.bounded_read import read_regular_file
from grader.input.submission import valid_student_id
from grader.spreadsheet import clean_cell

MAX_ROSTER_BYTES = 20 * 1024 * 1024
_PARTICIPANT = re.compile(r"^\D*?(\d+)$")  # Moodle's "Participant 12345"
_Reader = Callable[[Mapping[str, str]], "Enrolled"]


@dataclass(frozen=True)
class Enrolled:
    """One enrolled student.

    Attributes:
        id: the course's student id (what the gradebook is keyed by).
        name: the student's name as the course writes it.
        email: the student's email address, if the roster has one.
        lms_id: the student's id in the LMS (Canvas user id, Moodle participant id).
        lms: which LMS ``lms_id`` is of ("canvas", "moodle"), when the roster is that LMS's
            export; empty for a plain roster, whose ``lms id`` column names none.
        sis_login: Canvas's SIS login id, kept for Canvas's import file.
        section: Canvas's section, kept for Canvas's import file.
    """

    id: str
    name: str = ""
    email: str = ""
    lms_id: str = ""
    lms: str = ""
    sis_login: str = ""
    section: str = ""


@dataclass(frozen=True)
class Roster:
    """The enrolled students, in the roster's order."""

    students: tuple[Enrolled, ...]
    source: str = ""
    lms: str | None = None
    """Whose ids ``lms_id`` holds when the roster is an LMS's export (``canvas``, ``moodle``);
    None for a plain roster's LMS id column."""
    _by_id: dict[str, Enrolled] = field(default_factory=dict, repr=False, compare=False)
    _by_lms: dict[str, Enrolled] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for student in self.students:
            self._by_id.setdefault(student.id.lower(), student)
            if student.lms_id:
                self._by_lms.setdefault(student.lms_id, student)

    def by_id(self, student_id: str) -> Enrolled | None:
        """The enrolled student with this id (ignoring case), or None."""
        return self._by_id.get(student_id.lower())

    def by_lms(self, lms_id: str, system: str | None = None) -> Enrolled | None:
        """The enrolled student with this LMS id, or None; None too when the roster is one
        LMS's export and ``system`` names another (a Canvas user id is no Moodle
        participant's, though the numbers may be equal)."""
        if system is not None and self.lms is not None and system != self.lms:
            return None
        return self._by_lms.get(lms_id)


def read_roster(path: Path) -> Roster:
    """Read a roster file.

    Raises:
        UsageError: the file cannot be read, has no id column, or rows without a usable id
            (every problem at once, with its line).
    """
    try:
        data = read_regular_file(path, MAX_ROSTER_BYTES + 1)
    except OSError as error:
        raise UsageError(f"--roster {path}: cannot read: {error.strerror or error}") from None
    if data is None or len(data) > MAX_ROSTER_BYTES:
        raise UsageError(f"--roster {path}: not a regular file of at most 20 MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"--roster {path}: not UTF-8 text (save it as CSV UTF-8)") from None
    return parse_roster(text, str(path))


def parse_roster(text: str, name: str = "roster") -> Roster:
    """A roster from CSV text; see :func:`read_roster`."""
    lines = text.removeprefix("\ufeff")
    delimiter = _delimiter(lines.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(lines, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [clean_cell(cell).lower() for cell in next(reader, [])]
        reading = _columns(header, name)
        students, problems = [], []
        seen: dict[str, int] = {}
        lms_seen: dict[str, int] = {}
        # A row is named by the line it starts on (a quoted cell may span lines).
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            cells = dict(zip(header, (clean_cell(c) for c in row), strict=False))
            if reading is _canvas and _is_canvas_points_row(cells):
                continue
            where = f"--roster {name} line {line}"
            student = reading(cells)
            if not student.id:
                problems.append(f"{where}: no student id")
            elif not valid_student_id(student.id):
                problems.append(f"{where}: {student.id[:40]!r} is not a usable student id")
            elif student.id.lower() in seen:
                problems.append(f"{where}: {student.id} is also on line {seen[student.id.lower()]}")
            elif student.lms_id and student.lms_id in lms_seen:
                # The LMS id decides whose row a downloaded file fills: two students with one
                # would give one of them the other's files.
                problems.append(
                    f"{where}: LMS id {student.lms_id[:40]} of {student.id} is also on line "
                    f"{lms_seen[student.lms_id]}"
                )
            else:
                seen[student.id.lower()] = line
                if student.lms_id:
                    lms_seen[student.lms_id] = line
                students.append(student)
    except csv.Error as error:
        raise UsageError(
            f"--roster {name} line {reader.line_num}: not valid CSV ({error})"
        ) from None
    if problems:
        raise UsageError("\n".join(problems))
    system = "canvas" if reading is _canvas else "moodle" if reading is _moodle else None
    return Roster(tuple(students), name, system)


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _is_canvas_points_row(cells: Mapping[str, str]) -> bool:
    # Canvas's export has a "Points Possible" row under the header (and a muted-assignments row).
    return cells.get("student", "").strip().lower() in ("points possible", "")


def _first(cells: Mapping[str, str], names: Sequence[str]) -> str:
    for column in names:
        if cells.get(column):
            return cells[column]
    return ""


_ID_COLUMNS = ("id", "student id", "student_id", "student number", "matriculation number")
_NAME_COLUMNS = ("name", "full name", "student name")
_EMAIL_COLUMNS = ("email", "email address", "e-mail", "mail")
_LMS_COLUMNS = ("lms id", "lms user id", "lms_id", "user id")


def _columns(header: Sequence[str], name: str) -> _Reader:
    """How to read a row, by which export the header looks like."""
    columns = set(header)
    if {"student", "id", "sis user id"} <= columns or {"student", "id", "section"} <= columns:
        return _canvas
    if "identifier" in columns or "id number" in columns or {"first name", "last name"} <= columns:
        return _moodle
    if not columns & {*_ID_COLUMNS, *_EMAIL_COLUMNS}:
        raise UsageError(
            f"--roster {name}: no id column (expected one of: {', '.join(_ID_COLUMNS)}; "
            "or a Canvas or Moodle export)"
        )
    return _plain


def _plain(cells: Mapping[str, str]) -> Enrolled:
    email = _first(cells, _EMAIL_COLUMNS)
    student_id = _first(cells, _ID_COLUMNS) or _local_part(email)
    return Enrolled(
        id=student_id,
        name=_first(cells, _NAME_COLUMNS),
        email=email,
        lms_id=_first(cells, _LMS_COLUMNS),
    )


def _canvas(cells: Mapping[str, str]) -> Enrolled:
    """Canvas: ``Student`` is "Last, First"; ``ID`` Canvas's user id; the course's id is
    the SIS user id (else the SIS login id)."""
    return Enrolled(
        id=cells.get("sis user id") or cells.get("sis login id", ""),
        name=cells.get("student", ""),
        lms_id=cells.get("id", ""),
        lms="canvas",
        sis_login=cells.get("sis login id", ""),
        section=cells.get("section", ""),
        email=_first(cells, _EMAIL_COLUMNS),
    )


def _moodle(cells: Mapping[str, str]) -> Enrolled:
    """Moodle: ``ID number`` is the course's id; ``Identifier`` ("Participant 12345") the
    participant id its submission folders carry."""
    name = cells.get("full name") or " ".join(
        part for part in (cells.get("first name", ""), cells.get("last name", "")) if part
    )
    participant = _PARTICIPANT.match(cells.get("identifier", ""))
    email = _first(cells, _EMAIL_COLUMNS)
    return Enrolled(
        id=cells.get("id number") or _first(cells, _ID_COLUMNS) or _local_part(email),
        name=name,
        email=email,
        lms_id=participant.group(1) if participant else "",
        lms="moodle",
    )


def _local_part(email: str) -> str:
    local = email.partition("@")[0]
    return local if email and valid_student_id(local) else ""
