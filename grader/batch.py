"""Grade a whole class: files in, every output written, one bad file never stops the batch.

Each student's result and feedback are written (atomically) as soon as they are graded, so a
run killed at any point leaves whole files behind and a rerun completes the job; the class files
(gradebook, review queue, summary) are written last. The same inputs give byte-identical outputs:
files are graded in sorted order and nothing depends on time or on the number of jobs.
"""

from __future__ import annotations

import json
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from grader.assignment import Assignment
from grader.atomic import remove_stale_temporaries, write_text_atomic
from grader.expectations import Expectations
from grader.grade import error_result
from grader.overrides import Override, apply_overrides
from grader.pipeline import expectations_for, grade_file
from grader.results import SubmissionResult
from grader.submission import valid_student_id

TIME_BUDGET_SECONDS = 5.0
"""Backstop per file: grading that runs longer (it never should) ends as an error result."""


@dataclass
class BatchOutcome:
    """What a batch run produced."""

    results: list[SubmissionResult]
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    unused_overrides: list[Override] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Files that could not be graded."""
        return sum(1 for r in self.results if r.status == "error")

    @property
    def pending_review(self) -> int:
        """Students with parts waiting for a person."""
        return sum(1 for r in self.results if r.pending_review)


class _TimedOut(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _TimedOut


def grade_with_budget(path: Path, exp: Expectations, seconds: float) -> SubmissionResult:
    """Grade one file under a wall-clock budget (POSIX main thread; elsewhere unbounded)."""
    try:
        previous = signal.signal(signal.SIGALRM, _alarm)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM (Windows)
        return grade_file(path, exp).result
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return grade_file(path, exp).result
    except _TimedOut:
        assignment = exp.assignment
        return error_result(
            assignment.id,
            assignment.max_score,
            path.stem,
            f"grading timed out after {seconds:g} s",
            str(path),
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_WORKER_EXPECTATIONS: Expectations | None = None


def _init_worker(assignment: Assignment) -> None:
    global _WORKER_EXPECTATIONS
    _WORKER_EXPECTATIONS = expectations_for(assignment)


def _grade_in_worker(path: Path) -> SubmissionResult:
    assert _WORKER_EXPECTATIONS is not None
    return grade_with_budget(path, _WORKER_EXPECTATIONS, TIME_BUDGET_SECONDS)


def grade_paths(
    paths: Sequence[Path], exp: Expectations, *, jobs: int = 1
) -> Iterator[SubmissionResult]:
    """Results in the order of ``paths``, graded in ``jobs`` processes."""
    if jobs <= 1 or len(paths) < 2 * jobs:
        for path in paths:
            yield grade_with_budget(path, exp, TIME_BUDGET_SECONDS)
        return
    chunk = max(1, min(64, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(exp.assignment,)) as pool:
        yield from pool.map(_grade_in_worker, paths, chunksize=chunk)


def unique_ids(results: Iterator[SubmissionResult]) -> Iterator[SubmissionResult]:
    """Refuse a student id already taken (case-insensitively) by an earlier file: that file
    becomes an error result, so no output is overwritten. Streams: results pass through as
    they are graded."""
    seen: dict[str, str] = {}
    for result in results:
        key = result.student.id.lower()
        if key in seen:
            result = error_result(
                result.assignment,
                result.max_score,
                _free_id(result, seen),
                f"student id {result.student.id!r} is also used by {seen[key]}; "
                "each student needs their own id",
                result.file,
            )
            key = result.student.id.lower()
        seen[key] = result.file or ""
        yield result


def _free_id(result: SubmissionResult, seen: dict[str, str]) -> str:
    """An id for a duplicate's error row that does not collide with one already written."""
    stem = (Path(result.file).stem if result.file else result.student.id)[:50]
    candidate = stem if valid_student_id(stem) else "duplicate"
    number = 2
    while candidate.lower() in seen:
        candidate = f"{stem if valid_student_id(stem) else 'duplicate'}-{number}"
        number += 1
    return candidate


def output_path(out_dir: Path, folder: str, student_id: str, suffix: str) -> Path:
    """``out_dir/folder/<id><suffix>``, refusing anything that would land outside ``out_dir``."""
    if not valid_student_id(student_id):
        raise ValueError(f"invalid student id {student_id[:40]!r}")
    target = (out_dir / folder / f"{student_id}{suffix}").resolve()
    if not target.is_relative_to(out_dir.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {student_id[:40]!r}")
    return target


def result_json(result: SubmissionResult) -> str:
    """A result as the JSON written to ``results/<id>.json`` (same schema as ``check --json``)."""
    data = json.loads(result.model_dump_json())
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def run_batch(
    paths: Sequence[Path],
    exp: Expectations,
    out_dir: Path,
    *,
    jobs: int = 1,
    overrides: Sequence[Override] = (),
    write_student: Callable[[SubmissionResult, dict[str, str]], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchOutcome:
    """Grade ``paths`` and write each student's result; the caller writes the class files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)
    by_student: dict[str, list[Override]] = {}
    for override in overrides:
        by_student.setdefault(override.student.lower(), []).append(override)
    used: set[int] = set()
    outcome = BatchOutcome(results=[])
    graded = grade_paths(list(paths), exp, jobs=jobs)
    for result in unique_ids(_with_progress(graded, progress)):
        mine = by_student.get(result.student.id.lower(), []) if result.status == "graded" else []
        notes: dict[str, str] = {}
        if mine:
            result, notes = apply_overrides(result, mine, exp.assignment)
            used.update(id(o) for o in mine)
        outcome.results.append(result)
        outcome.notes[result.student.id] = notes
        write_text_atomic(
            output_path(out_dir, "results", result.student.id, ".json"), result_json(result)
        )
        if write_student is not None:
            write_student(result, notes)
    outcome.unused_overrides = [o for o in overrides if id(o) not in used]
    return outcome


def _with_progress(
    results: Iterator[SubmissionResult], progress: Callable[[int], None] | None
) -> Iterator[SubmissionResult]:
    for result in results:
        if progress is not None:
            progress(1)
        yield result
