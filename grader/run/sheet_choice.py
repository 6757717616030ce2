"""Which sheet an answer file is graded against: the TA's choice, else the sheet the file
names (an installed one, by id only), else the course's first.
"""

from __future__ import annotations

from pathlib import Path

from grader.input.loading import load_answer_file
from grader.input.student_files import Boundary
from grader.run.pipeline import default_assignment, named_sheet
from grader.sheets.assignment import Assignment
from grader.sheets.library import bundled_assignment_ids, load_bundled_assignment


def sheet_for_file(path: Path, chosen: str | None, within: Boundary) -> Assignment:
    """The assignment to grade a file against: the option's, else the file's, else the default.

    A file may only name a bundled assignment by its id, never a file: a path there would let
    the answer file pick a sheet of its own making (one that reveals the answers) or a file
    that never ends (``/dev/zero``). A file naming anything else is graded against the
    default, where it ends as an error result naming the mismatch (a batch never stops for it).
    """
    if chosen:
        return default_assignment(chosen)
    declared = declared_sheet(path, within)
    if declared and declared in bundled_assignment_ids():
        return load_bundled_assignment(declared)
    return default_assignment(None)


def declared_sheet(path: Path, within: Boundary) -> str | None:
    """The sheet an answer file names; None when it names none (or cannot be read)."""
    return named_sheet(load_answer_file(path, within=within))
