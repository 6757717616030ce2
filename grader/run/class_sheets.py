"""Which sheets a class run grades, and where each sheet's outputs go.

A class may hand in answers to several sheets of the course at once (each file names its own
with ``assignment:``). One run grades them all, each file against the sheet it names, and
keeps each sheet's outputs apart, so that every gradebook, review sheet and decisions ledger
belongs to one sheet:

- the run's *main* sheet writes straight into the output folder, as a one-sheet run does;
- every other sheet writes into a folder of the output folder named by its id
  (``OUT/llm-inference-1/``), with the same files.

The main sheet is the TA's ``--assignment`` (then only that sheet is graded, and a file naming
another is that file's error); else the one an earlier run into the same folder recorded (so
that a regrade writes where the first run did, and a TA's decisions stay where they were made);
else the sheet most files name; else the course's first. A run whose main sheet differs from
the one recorded in its output folder is refused before anything is written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.input.student_files import Boundary, Unreadable, read_student_file
from grader.run.output_folder import MAIN_SHEET_NAME
from grader.sheets.assignment import Assignment, RevealLevel
from grader.sheets.expectations import build_expectations
from grader.sheets.library import bundled_assignment_ids, load_assignment, load_bundled_assignment
from grader.sheets.sheet_set import SheetSet
from grader.sheets.variant_expectations import VariantBook

PRESCAN_FILES = 400
"""How many answer files (spread over the class) are looked at to find the sheet most name."""
_PRESCAN_BYTES = 2048
_NAMES_SHEET = re.compile(rb"""["']?assignment["']?\s*:\s*["']?([A-Za-z0-9][A-Za-z0-9-]*)""")


@dataclass(frozen=True)
class RunSheets:
    """The solved sheets of a class run and the output folder of each.

    Attributes:
        sheets: the sheets, the main one first.
        folders: the output folder of each sheet, by id (the main one's is the run's).
    """

    sheets: SheetSet
    folders: dict[str, Path]

    @property
    def others(self) -> dict[str, Path]:
        """The folders of the sheets other than the main one."""
        return {sheet: folder for sheet, folder in self.folders.items() if sheet != self.main_id}

    @property
    def main_id(self) -> str:
        return self.sheets.main_id


def run_sheets(
    chosen: str | None,
    files: Sequence[str],
    out_dir: Path,
    *,
    reveal: RevealLevel | None = None,
    seed: str | None = None,
    within: Boundary | None = None,
) -> RunSheets:
    """The sheets a run grades ``files`` against, solved, with their output folders.

    Args:
        chosen: the TA's ``--assignment`` (an installed sheet's id or a sheet's path).
        reveal: the TA's ``--reveal`` for this run, for every sheet.
        seed: the course seed in force (None: every student gets the sheet's own givens);
            with one, each student of a sheet that declares variants is graded against
            their own.
        within: the folders given, which links in them may not lead out of (see
            :func:`grader.input.student_files.read_student_file`).

    Raises:
        AssignmentError: the chosen sheet cannot be loaded.
        UsageError: the output folder was written for another main sheet.
    """
    recorded = recorded_main_sheet(out_dir)
    if chosen is not None:
        main = load_assignment(chosen)
        _check_recorded(recorded, main.id, out_dir)
        others: list[Assignment] = []
    else:
        installed = bundled_assignment_ids()
        main_id = recorded if recorded in installed else most_named(files, installed, within)
        _check_recorded(recorded, main_id, out_dir)
        main = load_bundled_assignment(main_id)
        others = [load_bundled_assignment(i) for i in installed if i != main_id]
    specs = [_revealed(spec, reveal) for spec in (main, *others)]
    solved = [build_expectations(spec, class_run=True) for spec in specs]
    # From the sheet as loaded, never from the solved one: its texts are already filled in
    # with the sheet's own givens, and each variant fills them in with its own.
    books = {
        spec.id: VariantBook(spec, seed, class_run=True)
        for spec in specs
        if seed is not None and spec.variants is not None
    }
    main_book = books.get(main.id)
    if main_book is not None:
        main_book.pool  # noqa: B018  (built before the grading processes fork, once for all)
    sheet_set = SheetSet(solved[0], {exp.assignment.id: exp for exp in solved[1:]}, books)
    folders = {main.id: out_dir, **{spec.id: out_dir / spec.id for spec in others}}
    return RunSheets(sheet_set, folders)


def _revealed(spec: Assignment, reveal: RevealLevel | None) -> Assignment:
    return spec if reveal is None else spec.model_copy(update={"reveal": reveal})


def most_named(
    files: Sequence[str], installed: Sequence[str], within: Boundary | None = None
) -> str:
    """The installed sheet that most of a sample of ``files`` name (the course's first one
    when none names one). A cheap look at each sampled file's first lines: the files are
    read properly when they are graded, and a file's own sheet never depends on this."""
    step = max(1, len(files) // PRESCAN_FILES)
    counts: Counter[str] = Counter()
    for path in files[::step]:
        named = _named_in_head(path, within)
        if named is not None and named in installed:
            counts[named] += 1
    if not counts:
        return installed[0]
    best = max(counts.values())
    return next(sheet for sheet in installed if counts[sheet] == best)  # ties: course order


def _named_in_head(path: str, within: Boundary | None) -> str | None:
    # As grading reads it: a link leading out of the class, a device or a FIFO is not opened
    # (a file outside the class would choose the run's sheet, and opening a device may act).
    head = read_student_file(path, _PRESCAN_BYTES, within=within)
    if isinstance(head, Unreadable):
        return None
    match = _NAMES_SHEET.search(head)
    return match.group(1).decode("ascii") if match else None


def recorded_main_sheet(out_dir: Path) -> str | None:
    """The main sheet an earlier run recorded in ``out_dir`` (None: none did)."""
    try:
        text = (out_dir / MAIN_SHEET_NAME).read_text("utf-8", errors="replace")
    except OSError:
        return None
    return text.strip() or None


def main_sheet_record(sheet_id: str) -> str:
    """The text of :data:`MAIN_SHEET_NAME` for ``sheet_id``."""
    return f"{sheet_id}\n"


def _check_recorded(recorded: str | None, main_id: str, out_dir: Path) -> None:
    if recorded is not None and recorded != main_id:
        raise UsageError(
            f"{out_dir}/ holds the outputs of {recorded!r} (its gradebook and TA decisions); "
            f"grading {main_id!r} into it would mix them: choose another --out, or "
            f"--assignment {recorded}"
        )
