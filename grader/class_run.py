"""``grader grade`` once its options are read: the output folder made ready, then the class
graded and every output written while this run holds the folder's lock.

The command line prints what :class:`ClassRun` holds; everything here only writes files.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.batch import BatchOutcome, run_batch
from grader.errors import UsageError
from grader.expectations import Expectations
from grader.output_folder import check_apart, output_lock, writing_into
from grader.outputs import (
    feedback_writer,
    not_named_by_answers,
    prepare_class_outputs,
    write_class_outputs,
)
from grader.results import SubmissionResult
from grader.student_files import ClassListing, NotGraded


def ready_output_folder(paths: Sequence[Path], out_dir: Path) -> None:
    """``out_dir`` apart from what is graded, and made.

    Raises:
        UsageError: it overlaps a graded path (exit 2).
        OutputError: it cannot be made (exit 2).
    """
    check_apart(paths, out_dir)
    with writing_into(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)


def no_answer_files(not_graded: Sequence[NotGraded]) -> UsageError:
    """The error for paths that hold no answer file, with what they do hold."""
    from grader.summary import not_graded_text  # the class files' modules load while grading

    found = not_graded_text(not_graded)
    return UsageError(
        "no answer files (.yaml, .yml, .json) under the given paths"
        + (f"\n{found}" if found else "")
    )


@dataclass
class ClassRun:
    """What a graded class leaves for the terminal."""

    outcome: BatchOutcome
    table: str  # the summary's per-part table
    not_graded: list[NotGraded]  # under the given paths, without the images answers name
    missed: int  # entries named like answer files (or folders) that could not be read
    changes: str | None  # against --compare, also written to regrade-diff.md


def grade_class(
    listing: ClassListing,
    exp: Expectations,
    out_dir: Path,
    *,
    command: Sequence[str],
    decisions: Sequence[Any] = (),
    jobs: int = 1,
    reports: bool = True,
    compare: dict[str, SubmissionResult] | None = None,
    progress: Callable[[int], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> ClassRun:
    """Grade ``listing``'s files and write every output, holding ``out_dir`` for the run.

    ``note`` is told, before grading, when a run that did not finish left the lock.

    Raises:
        UsageError: another run holds ``out_dir`` (exit 2).
        OutputError: ``out_dir`` cannot be written (exit 2; what was written is whole).
    """
    with output_lock(out_dir, command) as previous:
        if previous and note is not None:
            note(
                f"note: an earlier run into {out_dir}/ did not finish ({previous}); "
                "this run completes its files"
            )
        outcome = run_batch(
            listing.files,
            exp,
            out_dir,
            jobs=jobs,
            overrides=decisions,
            write_feedback=feedback_writer(out_dir, exp, reports=reports),
            progress=progress,
            meanwhile=functools.partial(prepare_class_outputs, reports=reports),
            within=listing.boundary,
        )
        not_graded = not_named_by_answers(
            listing.not_graded, listing.files, outcome.results, [exp.assignment]
        )
        table = write_class_outputs(out_dir, outcome, exp, reports=reports, not_graded=not_graded)
        changes = None if compare is None else _write_changes(compare, out_dir)
    missed = sum(1 for entry in listing.not_graded if entry.may_be_answer)
    return ClassRun(outcome, table, not_graded, missed, changes)


def _write_changes(old: dict[str, SubmissionResult], out_dir: Path) -> str:
    from grader.atomic import write_text_atomic
    from grader.regrade import changes_table, compare_results, load_results

    table = changes_table(compare_results(old, load_results(out_dir)))
    with writing_into(out_dir):
        write_text_atomic(out_dir / "regrade-diff.md", f"# Regrade changes\n\n{table}\n")
    return table
