"""Grade files the course's learning management system imports as they are.

- ``canvas-grades.csv``: Canvas's gradebook import format (Grades, Import): the columns
  ``Student, ID, SIS User ID, SIS Login ID, Section`` that Canvas's own export has, then one
  column for this sheet, and a ``Points Possible`` row under the header. Canvas finds each
  student by ``ID`` (its user id: from a Canvas roster, or from the names of the files it
  handed out; never another LMS's id) or by ``SIS User ID`` (the course's student id). A
  column named like no assignment creates one; rename the header to ``Name (assignment id)``
  from Canvas's export to fill an existing one.
- ``moodle-grades.csv``: the grading worksheet of a Moodle assignment (Assignment, View all
  submissions, Upload grading worksheet): ``Identifier`` ("Participant 12345", the id in the
  folder names Moodle hands out, or the roster's), ``Full name``, ``Email address``,
  ``Grade``, ``Maximum Grade`` and ``Last modified (grade)``, the columns Moodle's importer
  reads. Written only when some participant ids are known.

Scores are rounded to the sheet's ``score_decimals``. A file that could not be graded has an
empty score (an LMS leaves an empty cell alone: it never becomes a 0).
"""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import Sequence

from grader.input.roster import Enrolled, Roster
from grader.results import ResultLike
from grader.sheets.assignment import Assignment
from grader.spreadsheet import Cell, Number, to_csv

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_COLUMNS = (
    "Identifier",
    "Full name",
    "Email address",
    "Grade",
    "Maximum Grade",
    "Last modified (grade)",
)


def _lms_id(result: ResultLike, system: str, roster: Roster | None) -> str:
    """The student's id in an LMS: from the channel the file came through, else the roster's."""
    channel = result.channel or ""
    if channel.startswith(f"{system}:"):
        return channel.partition(":")[2]
    enrolled = roster.by_id(result.student.id) if roster else None
    return _roster_lms_id(enrolled, system) if enrolled else ""


def _roster_lms_id(student: Enrolled, system: str) -> str:
    """The roster's LMS id of ``student`` if it is ``system``'s (or the roster names no LMS):
    a Moodle participant number in Canvas's ID column, or the reverse, would give the grade
    to whoever has that number in the other system."""
    return student.lms_id if student.lms in ("", system) else ""


def _score(result: ResultLike, decimals: int) -> Cell:
    return Number(round(result.score, decimals)) if result.status == "graded" else None


def canvas_csv(
    results: Sequence[ResultLike],
    assignment: Assignment,
    roster: Roster | None,
    missing: Sequence[Enrolled] = (),
) -> str:
    """Canvas's gradebook import file: a row per student (graded, not graded, or missing)."""
    decimals = assignment.grading.score_decimals
    header = [*CANVAS_COLUMNS, assignment.title]
    points_row: list[Cell] = ["Points Possible", "", "", "", "", Number(assignment.max_score)]
    rows: list[list[Cell]] = []
    for result in results:
        enrolled = roster.by_id(result.student.id) if roster else None
        rows.append(
            [
                (enrolled.name if enrolled else "") or result.student.name or result.student.id,
                _lms_id(result, "canvas", roster),
                result.student.id,
                enrolled.sis_login if enrolled else "",
                enrolled.section if enrolled else "",
                _score(result, decimals),
            ]
        )
    for student in missing:
        who: list[Cell] = [
            student.name or student.id,
            _roster_lms_id(student, "canvas"),
            student.id,
        ]
        rows.append([*who, student.sis_login, student.section, None])
    rows.sort(key=lambda row: str(row[2]).lower())
    return to_csv(header, [points_row, *rows])


def moodle_csv(
    results: Sequence[ResultLike], assignment: Assignment, roster: Roster | None
) -> str | None:
    """Moodle's grading worksheet, for the graded files whose participant id is known.

    ``Last modified (grade)`` is the newest of the answer files' modification times and the
    TA decisions behind the grades: Moodle does not overwrite a grade changed in Moodle after
    it, and the file stays the same when nothing changed (the run's own clock would not). A
    time in the future is left out (empty when nothing else is known).
    """
    decimals = assignment.grading.score_decimals
    rows: list[list[Cell]] = []
    for result in results:
        participant = _lms_id(result, "moodle", roster)
        if not participant or result.status != "graded":
            continue
        enrolled = roster.by_id(result.student.id) if roster else None
        rows.append(
            [
                f"Participant {participant}",
                (enrolled.name if enrolled else "") or result.student.name,
                enrolled.email if enrolled else "",
                _score(result, decimals),
                Number(assignment.max_score),
                _last_modified(result),
            ]
        )
    if not rows:
        return None
    rows.sort(key=lambda row: str(row[0]))
    return to_csv(MOODLE_COLUMNS, rows)


def _last_modified(result: ResultLike) -> str:
    stamps = []
    for part in result.parts:
        if part.decision is not None and part.decision.at:
            # A time a TA typed into a sheet: not ours to trust.
            with contextlib.suppress(ValueError):
                stamps.append(datetime.datetime.fromisoformat(part.decision.at))
    if result.file:
        with contextlib.suppress(OSError, ValueError, OverflowError):
            mtime = os.stat(result.file).st_mtime
            stamps.append(datetime.datetime.fromtimestamp(mtime, datetime.UTC))
    # A time still to come is no change that happened: a student's zip sets any modification
    # time, and one in the future would make the next import overwrite every change a TA
    # makes in Moodle until then. Honest times are all past, so the file stays the same.
    now = datetime.datetime.now(datetime.UTC)
    past = [s if s.tzinfo else s.replace(tzinfo=datetime.UTC) for s in stamps]
    past = [s for s in past if s <= now]
    if not past:
        return ""
    return max(past).astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
