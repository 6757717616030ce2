"""Grade a whole class: files in, every output written, one bad file never stops the batch.

Each student's result and feedback are written (atomically) as soon as they are graded, so a
run killed at any point leaves whole files behind and a rerun completes the job; the class files
(gradebook, review queue, summary) are written last. The same inputs give byte-identical outputs:
files are graded in sorted order and nothing depends on time or on the number of jobs.

Grading a file (here, or in one of ``--jobs N`` processes) also applies the TA's overrides and
writes the student's files, and hands back only a packed digest (``grader.serialize``) for the
class files, so that the process collecting them stays light. That process alone decides which
file keeps an id that two files claim (the first in sorted order); when the later file's files
were already written under that id, they are repaired at the end from the first file, graded
again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from grader.atomic import release_folders, remove_stale_temporaries, write_text_atomic
from grader.errors import UsageError
from grader.expectations import Expectations
from grader.grade import error_result
from grader.output_folder import LOCK_NAME, cannot_write, writing_into
from grader.overrides import Override, apply_overrides
from grader.parent_watch import end_with_parent
from grader.pipeline import file_error
from grader.results import PackedResult, ResultDigest, SubmissionResult, digest
from grader.serialize import PartTable, ResultSerializer
from grader.student_files import Boundary, shown_name
from grader.submission import valid_student_id
from grader.time_budget import (
    TIME_BUDGET_SECONDS,
    alarm_installed,
    grade_with_budget,
    install_alarm,
)

FeedbackWriter = Callable[[SubmissionResult, Mapping[str, str], Expectations], None]
"""Writes one student's feedback files (given the result, TA notes per part, expectations)."""


@dataclass
class BatchOutcome:
    """What a batch run produced: a digest per file, in the order of the paths."""

    results: list[ResultDigest]
    unused_overrides: list[Override] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Files that could not be graded."""
        return sum(1 for r in self.results if r.status == "error")

    @property
    def pending_review(self) -> int:
        """Students with parts waiting for a person."""
        return sum(1 for r in self.results if r.pending_review)


# A batch allocates millions of small objects and keeps most of them (every result until the
# class files are written). With CPython's default thresholds the cyclic collector ran so
# often over that growing heap that it took 40% of a 10,000-file run. Grading makes little
# cyclic garbage, so collect rarely, and never look at what existed before the batch again.
_BATCH_GC_THRESHOLDS = (50_000, 50, 100)


@contextlib.contextmanager
def batch_gc() -> Iterator[None]:
    """Collect cyclic garbage rarely for the duration of a batch (thresholds restored after)."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*_BATCH_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


@dataclass(frozen=True)
class StudentFiles:
    """How each student's files are written: sent once to every grading process.

    Attributes:
        out_dir: the output folder.
        overrides: the TA's decisions, applied to the results of their students.
        write_feedback: writes the feedback report files, or None for results only.
    """

    out_dir: Path
    overrides: tuple[Override, ...] = ()
    write_feedback: FeedbackWriter | None = None
    fresh: bool = False  # out_dir was empty: no earlier file to compare with before writing
    within: Boundary | None = None  # links in answer files are not followed out of it

    def by_student(self) -> dict[str, list[int]]:
        """Positions of the overrides per student id (lower case)."""
        found: dict[str, list[int]] = {}
        for index, override in enumerate(self.overrides):
            found.setdefault(override.student.lower(), []).append(index)
        return found


@dataclass(frozen=True)
class _Done:
    """One graded file as a grading process reports it."""

    packed: PackedResult  # its files were written under the student id packed in it
    used: tuple[int, ...]  # positions of the overrides applied
    sender: int  # the process that packed it (see grader.serialize.PartTable)


class _Grader:
    """Grades a file, applies its overrides, writes its files: the work of one process."""

    def __init__(self, exp: Expectations, files: StudentFiles) -> None:
        self.exp = exp
        self.files = files
        self.mine = files.by_student()
        self.serializer = ResultSerializer()
        self.pid = os.getpid()  # made in the process that uses it

    def graded(self, path: Path) -> tuple[SubmissionResult, dict[str, str], tuple[int, ...]]:
        """The result of one file with its overrides applied, the TA notes, the overrides used."""
        result = grade_with_budget(path, self.exp, TIME_BUDGET_SECONDS, within=self.files.within)
        used = tuple(self.mine.get(result.student.id.lower(), ()))
        if result.status != "graded" or not used:
            return result, {}, ()
        chosen = [self.files.overrides[i] for i in used]
        result, notes = apply_overrides(result, chosen, self.exp.assignment)
        return result, notes, used

    def write(self, result: SubmissionResult, notes: Mapping[str, str]) -> None:
        """Write one student's result file and feedback."""
        write_text_atomic(
            output_path(self.files.out_dir, "results", result.student.id, ".json"),
            self.serializer.json(result),
            durable=False,  # see grader.atomic: a killed run is repaired by a rerun
            skip_unchanged=not self.files.fresh,
        )
        if self.files.write_feedback is not None:
            self.files.write_feedback(result, notes, self.exp)

    def __call__(self, path: Path) -> _Done:
        result, notes, used = self.graded(path)
        try:
            self.write(result, notes)
        except OSError as error:  # the output folder's fault: the run stops, with one line
            raise cannot_write(self.files.out_dir, error) from None
        except (ValueError, TypeError, UnicodeError) as error:
            # Never seen: a result that cannot be written is that file's error, not the run's.
            message = f"internal error while writing the result ({type(error).__name__})"
            result, used = file_error(self.exp, path, f"{message}; please report it"), ()
            with writing_into(self.files.out_dir):
                self.write(result, {})
        return _Done(self.serializer.pack(result), used, self.pid)


_WORKER: _Grader | None = None


def _init_worker(exp: Expectations, files: StudentFiles, parent: int) -> None:
    global _WORKER
    end_with_parent(parent)  # a killed batch leaves no process grading on
    _WORKER = _Grader(exp, files)
    install_alarm()  # for the worker's life
    gc.freeze()  # a worker lives for one batch
    gc.set_threshold(*_BATCH_GC_THRESHOLDS)


def _grade_in_worker(path: str) -> _Done:
    assert _WORKER is not None
    return _WORKER(Path(path))


def grade_paths(
    paths: Sequence[str | Path], grader: _Grader, *, jobs: int = 1
) -> Generator[_Done, None, None]:
    """Grade and write ``paths`` in ``jobs`` processes; reports in the order of ``paths``."""
    if jobs <= 1 or len(paths) < 2 * jobs:
        yield from (grader(Path(path)) for path in paths)
        return
    # Chunks big enough that the per-task overhead vanishes, small enough that the
    # progress bar moves and both processes finish together.
    chunk = max(1, min(256, len(paths) // (jobs * 8)))
    # Forked workers inherit the solved expectations as they are (elsewhere they are pickled):
    # solving again would cost each worker 0.1 s before its first file.
    initargs = (grader.exp, grader.files, os.getpid())
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=initargs) as pool:
        # Paths travel as text: a Path pickles as its parts and is parsed again on arrival.
        # Closed early, map's iterator cancels the files not begun.
        yield from pool.map(_grade_in_worker, map(str, paths), chunksize=chunk)


def _free_id(result: ResultDigest, taken: Mapping[str, object]) -> str:
    """An id for a duplicate's error row that does not collide with one already taken."""
    stem = (Path(result.file).stem if result.file else result.student.id)[:50]
    candidate = stem if valid_student_id(stem) else "duplicate"
    number = 2
    while candidate.lower() in taken:
        candidate = f"{stem if valid_student_id(stem) else 'duplicate'}-{number}"
        number += 1
    return candidate


def output_path(out_dir: Path, folder: str, student_id: str, suffix: str) -> str:
    """``out_dir/folder/<id><suffix>``, refusing anything that would land outside ``out_dir``.

    The id is one path component by its pattern (no separator, never ``.`` or ``..``), so only
    the folder can lead elsewhere (a symbolic link): it is resolved once per run. A link in
    the last component is harmless, since writes replace the link itself, not its target.
    Text, not a Path: this runs for every student's every file, and joining a Path costs more.
    """
    if not valid_student_id(student_id):
        raise ValueError(f"invalid student id {student_id[:40]!r}")
    return os.path.join(_checked_folder(out_dir.absolute(), folder), f"{student_id}{suffix}")


@functools.lru_cache(maxsize=64)
def _checked_folder(out_dir: Path, folder: str) -> Path:
    target = (out_dir / folder).resolve()
    if not target.is_relative_to(out_dir.resolve()):
        raise ValueError(f"refusing to write outside the output folder: {folder!r}")
    return target


def run_batch(
    paths: Sequence[str | Path],
    exp: Expectations,
    out_dir: Path,
    *,
    jobs: int = 1,
    overrides: Sequence[Override] = (),
    write_feedback: FeedbackWriter | None = None,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
    within: Boundary | None = None,
) -> BatchOutcome:
    """Grade ``paths`` and write each student's files; the caller writes the class files.

    ``meanwhile`` is called once, when the first file is graded: work this process can do
    while grading processes work (getting ready to write the class files), rather than after.
    ``within``: the folders given, out of which links in them are not followed.

    Raises:
        OutputError: ``out_dir`` cannot be written (the files written are whole).
    """
    files = StudentFiles(out_dir, tuple(overrides), write_feedback, within=within)
    with writing_into(out_dir):
        return _run_batch(paths, exp, files, jobs=jobs, progress=progress, meanwhile=meanwhile)


def _run_batch(
    paths: Sequence[str | Path],
    exp: Expectations,
    files: StudentFiles,
    *,
    jobs: int,
    progress: Callable[[int], None] | None,
    meanwhile: Callable[[], None] | None,
) -> BatchOutcome:
    out_dir, overrides = files.out_dir, files.overrides
    out_dir.mkdir(parents=True, exist_ok=True)
    for folder, _ in _STUDENT_FILES:  # before any file is graded: one clear error
        try:
            _checked_folder(out_dir.absolute(), folder)
        except ValueError:
            raise UsageError(
                f"{out_dir / folder} leads outside {out_dir} (a link?): "
                "refusing to write there; remove it or choose another --out"
            ) from None
    remove_stale_temporaries(out_dir)
    with os.scandir(out_dir) as listing:  # nothing but this run's lock: no earlier outputs
        fresh = all(entry.name == LOCK_NAME for entry in listing)
    grader = _Grader(exp, dataclasses.replace(files, fresh=fresh))
    outcome = BatchOutcome(results=[])
    used: set[int] = set()
    # Lower-case id -> where its files come from: the answer file that keeps it (graded
    # again if its files must be repaired), or the error result of a refused duplicate.
    owners: dict[str, str | Path | SubmissionResult] = {}
    clobbered: list[str] = []  # ids under which a refused duplicate's files were written
    table = PartTable()
    with alarm_installed(), _folders_released():
        graded = grade_paths(list(paths), grader, jobs=jobs)
        # Stopped early (Ctrl-C, an error): the grading processes stop now, not when the
        # generator is collected (a traceback that is kept would keep it, and them, going).
        with contextlib.closing(graded):
            for path, done in zip(paths, graded, strict=True):
                if meanwhile is not None:
                    meanwhile()
                    meanwhile = None
                if progress is not None:
                    progress(1)
                result = table.unpack(done.packed, done.sender)
                if result.student.id.lower() in owners:
                    clobbered.append(result.student.id)  # where this file's files were written
                    refused = _refusal(result, owners)
                    grader.write(refused, {})
                    owners[refused.student.id.lower()] = refused
                    result = digest(refused)
                else:
                    owners[result.student.id.lower()] = path
                    used.update(done.used)
                outcome.results.append(result)
        _repair(grader, clobbered, owners)
    outcome.unused_overrides = [o for i, o in enumerate(overrides) if i not in used]
    return outcome


@contextlib.contextmanager
def _folders_released() -> Iterator[None]:
    """Folders the atomic writer keeps open are closed at both ends of a batch (a folder of
    the same name may be another one by the next batch)."""
    release_folders()
    try:
        yield
    finally:
        release_folders()


def _refusal(
    result: ResultDigest, owners: Mapping[str, str | Path | SubmissionResult]
) -> SubmissionResult:
    """The error result of a file whose id an earlier file has, under a free id."""
    owner = owners[result.student.id.lower()]
    where = owner.file if isinstance(owner, SubmissionResult) else shown_name(owner)
    return error_result(
        result.assignment,
        result.max_score,
        _free_id(result, owners),
        f"student id {result.student.id!r} is also used by {where}; "
        "each student needs their own id",
        result.file,
    )


def _repair(
    grader: _Grader, clobbered: Sequence[str], owners: Mapping[str, str | Path | SubmissionResult]
) -> None:
    """Rewrite the files that refused duplicates wrote over, from their rightful owners.

    A refused file's process wrote under its own spelling of the id; another spelling (S1 for
    s1) is deleted first, so that on a case-insensitive disk the rewrite below comes last.
    """
    rewrites: dict[str, tuple[SubmissionResult, dict[str, str]]] = {}
    for written in clobbered:
        key = written.lower()
        if key not in rewrites:  # the owner of an id several files claimed: graded once
            owner = owners[key]  # refused because its id was taken: it has an owner
            if isinstance(owner, SubmissionResult):
                rewrites[key] = (owner, {})
            else:
                result, notes, _used = grader.graded(Path(owner))
                rewrites[key] = (result, notes)
        if rewrites[key][0].student.id != written:
            for folder, suffix in _STUDENT_FILES:
                with contextlib.suppress(OSError, ValueError):
                    os.unlink(output_path(grader.files.out_dir, folder, written, suffix))
    for result, notes in rewrites.values():
        grader.write(result, notes)


_STUDENT_FILES = (("results", ".json"), ("feedback", ".html"), ("feedback", ".md"))
