"""Grade a whole class: files in, every output written, one bad file never stops the batch.

Each student's result and feedback are written (atomically) as soon as they are graded, so a
run killed at any point leaves whole files behind and a rerun completes the job; the class files
(gradebook, review queue, summary) are written last. The same inputs give byte-identical outputs:
files are graded in sorted order and nothing depends on time or on the number of jobs.

Grading a file (here, or in one of ``--jobs N`` processes) also settles whose file it is (the
submission channel and the roster, see :mod:`grader.identity`), applies the TA's decisions and
writes the student's files, and hands back only a packed digest (``reports.fast_writers``) for the
class files, so that the process collecting them stays light. That process alone settles ids
that several files claim (all of them are held for a TA, see :func:`_settle_claims`) and
repairs what was written under such an id.
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
from typing import NamedTuple

from grader.errors import UsageError
from grader.grading.decisions import Decision, apply_decisions
from grader.grading.grade import error_result
from grader.input.identity import channel_of, resolve_identity
from grader.input.roster import Roster
from grader.input.student_files import Boundary, shown_name
from grader.input.submission import Submission, valid_student_id
from grader.reports.borrowed_variants import borrowed_variants
from grader.reports.fast_writers import PartTable, ResultSerializer
from grader.reports.shared_sketches import shared_sketches
from grader.results import FILE_NOTE, PackedResult, ResultDigest, SubmissionResult, digest
from grader.run.atomic import (
    release_folders,
    remove_stale_temporaries,
    write_bytes_atomic,
    write_text_atomic,
)
from grader.run.output_folder import RUN_FILES, cannot_write, writing_into
from grader.run.parent_watch import end_with_parent
from grader.run.pipeline import file_error
from grader.run.sketches import write_sketches
from grader.run.time_budget import (
    TIME_BUDGET_SECONDS,
    alarm_installed,
    grade_with_budget,
    install_alarm,
)
from grader.run.work_split import tasks_of
from grader.sheets.expectations import Expectations
from grader.sheets.sheet_set import SheetSet, one_sheet

FeedbackWriter = Callable[[Path, SubmissionResult, Expectations], None]
"""Writes one student's feedback files into a sheet's output folder (given the folder, the
result and the expectations it was graded against)."""


@dataclass
class BatchOutcome:
    """What a batch run produced: a digest per file, in the order of the paths.

    Attributes:
        results: a digest per answer file.
        bindings: decisions that named no answer and were applied, with the answer they were
            applied to (the ledger binds them to it).
        decided: the (student, part) keys of the decisions applied or found stale.
    """

    results: list[ResultDigest]
    bindings: list[Binding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Files that could not be graded."""
        return sum(1 for r in self.results if r.status == "error")

    @property
    def pending_review(self) -> int:
        """Students with parts waiting for a person."""
        return sum(1 for r in self.results if r.pending_review)


# A batch allocates millions of small objects and keeps most of them (every result until the
# class files are written). With CPython's default thresholds the cyclic collector runs so
# often over that growing heap that it takes a large share of a run. Grading makes little
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


def leave_batch_objects() -> None:
    """Before a process that ran a batch exits: the interpreter collects garbage once more on
    its way out, over every object of the class, although none of it is garbage now. Say
    so, so that exiting costs nothing."""
    gc.freeze()


@dataclass(frozen=True)
class StudentFiles:
    """How each student's files are written: sent once to every grading process.

    Attributes:
        out_dir: the output folder (of the run's main sheet).
        folders: the output folder of each other sheet of the run, by sheet id.
        decisions: the TA decisions in force, by sheet id, student id (lower case), part id.
        write_feedback: writes the feedback report files, or None for results only.
        fresh: out_dir was empty: no earlier file to compare with before writing.
        roster: the class list, when the TA gave one.
        roots: the folders given on the command line (a file's name relative to its folder
            is what the submission channel is read from, and what messages show).
    """

    out_dir: Path
    folders: Mapping[str, Path] = field(default_factory=dict)
    decisions: Mapping[str, Mapping[str, Mapping[str, Decision]]] = field(default_factory=dict)
    write_feedback: FeedbackWriter | None = None
    fresh: bool = False
    roster: Roster | None = None
    within: Boundary | None = None  # links in answer files are not followed out of it

    def folder_of(self, sheet_id: str) -> Path:
        """Where the files of a result graded against ``sheet_id`` go."""
        return self.folders.get(sheet_id, self.out_dir)

    def decisions_of(self, sheet_id: str, student_id: str) -> Mapping[str, Decision] | None:
        """The decisions in force for one student's answers to one sheet."""
        return self.decisions.get(sheet_id, {}).get(student_id.lower())

    def relative(self, path: str | Path) -> str:
        """``path`` relative to the folder given on the command line that holds it."""
        text = os.fspath(path)
        folder = self.within.folder_of(text) if self.within else os.path.dirname(text)
        if not folder:
            return text
        below = _plainly_below(text, folder)
        return below if below is not None else os.path.relpath(text, folder)


def _plainly_below(text: str, folder: str) -> str | None:
    """``os.path.relpath(text, folder)`` when it is plainly the rest of ``text`` after
    ``folder`` (both normal paths, one below the other), else None. Asked for every file:
    ``relpath`` makes both paths absolute and compares them part by part, which costs several
    times more than this."""
    if not (
        _is_normal(folder)
        and text.startswith(folder)
        and text[len(folder) : len(folder) + 1] == os.sep
    ):
        return None
    rest = text[len(folder) + 1 :]
    if not rest or os.path.isabs(rest) or rest.split(os.sep, 1)[0] == os.pardir:
        return None  # a normal path keeps the ".." it starts with
    return rest if os.path.normpath(rest) == rest else None


@functools.lru_cache(maxsize=16)
def _is_normal(folder: str) -> bool:
    return os.path.normpath(folder) == folder and folder != os.sep


class Binding(NamedTuple):
    """A decision that named no answer, applied: to be bound to the answer it was applied to."""

    sheet: str  # the id of the sheet the answer was graded against
    student: str  # the student id, lower case
    part: str
    answer: str  # the answer id


class _Done(NamedTuple):
    """One graded file as a grading process reports it (a named tuple: it crosses processes)."""

    packed: PackedResult  # its files were written under the student id packed in it
    bindings: tuple[Binding, ...]  # decisions it applied that must now be bound
    sender: int  # the process that packed it (see grader.reports.fast_writers.PartTable)


_MAX_FILE_NOTES = 10


def with_file_notes(result: SubmissionResult, submission: Submission) -> SubmissionResult:
    """``result`` flagged with the problems of its file that belong to no part (text that
    could not be read as any part, an unknown part, a key indented off its mapping), with
    their lines: ``grader check`` shows them as notes; in a class run, where no one reads the
    terminal, they would be lost, and an answer the reader lost would pass for a gap."""
    problems = submission.file_problems
    notes = [
        f"{FILE_NOTE} " + (f"line {problem.line}: " if problem.line else "") + problem.message
        for problem in problems[:_MAX_FILE_NOTES]
    ]
    if len(problems) > _MAX_FILE_NOTES:  # a cell a spreadsheet can still hold
        notes.append(
            f"{FILE_NOTE} and {len(problems) - _MAX_FILE_NOTES} more (grader check lists them)"
        )
    return result.model_copy(update={"flags": (*result.flags, *notes)}) if notes else result


class _Grader:
    """Grades a file, applies its decisions, writes its files: the work of one process."""

    def __init__(self, sheets: SheetSet, files: StudentFiles) -> None:
        self.sheets = sheets
        self.files = files
        self.serializer = ResultSerializer()
        self.pid = os.getpid()  # made in the process that uses it

    def graded(self, path: Path) -> tuple[SubmissionResult, tuple[Binding, ...]]:
        """The result of one file, under its owner's identity, with the TA's decisions."""
        graded = grade_with_budget(path, self.sheets, TIME_BUDGET_SECONDS, within=self.files.within)
        result = self._identified(graded.result, path)
        claimed = graded.submission.student.id if graded.submission is not None else None
        if result.variant is not None and result.student.id.lower() != (claimed or "").lower():
            # The channel or roster says whose file it is: their variant is the one to grade.
            graded = grade_with_budget(
                path,
                self.sheets,
                TIME_BUDGET_SECONDS,
                within=self.files.within,
                student=result.student.id,
            )
            result = self._identified(graded.result, path)
        if graded.submission is not None and result.status == "graded":
            result = with_file_notes(result, graded.submission)
        if graded.submission is not None and graded.submission.attachments:
            folder = self.files.folder_of(result.assignment)
            write_sketches(folder, result, graded.submission.attachments)
        decisions = self.files.decisions_of(result.assignment, result.student.id)
        if result.status != "graded" or not decisions:
            return result, ()
        result = apply_decisions(result, decisions)
        key = result.student.id.lower()
        bindings = tuple(
            Binding(result.assignment, key, part.id, part.answer_id)
            for part in result.parts
            if part.id in decisions and not decisions[part.id].answer and part.answer_id
        )
        return result, bindings

    def _identified(self, result: SubmissionResult, path: Path) -> SubmissionResult:
        files = self.files
        relative = files.relative(path)
        channel = channel_of(relative)
        if channel is None and files.roster is None:
            return result
        if result.status != "graded":
            return result.model_copy(update={"channel": channel.label if channel else None})
        identity = resolve_identity(result.student, channel, files.roster)
        return result.model_copy(
            update={
                "student": identity.student,
                "channel": identity.channel,
                "flags": (*result.flags, *identity.flags),
            }
        )

    def write(self, result: SubmissionResult) -> None:
        """Write one student's result file and feedback."""
        folder = self.files.folder_of(result.assignment)
        write_bytes_atomic(
            output_path(folder, "results", result.student.id, ".json"),
            self.serializer.json_bytes(result),
            durable=False,  # see grader.atomic: a killed run is repaired by a rerun
            skip_unchanged=not self.files.fresh,
        )
        if self.files.write_feedback is not None:
            exp = self.sheets.graded_against(result.assignment, result.variant)
            self.files.write_feedback(folder, result, exp)

    def __call__(self, path: Path) -> _Done:
        result, bindings = self.graded(path)
        try:
            self.write(result)
        except OSError as error:  # the output folder's fault: the run stops, with one line
            raise cannot_write(self.files.folder_of(result.assignment), error) from None
        except (ValueError, TypeError, UnicodeError) as error:
            # Never seen: a result that cannot be written is that file's error, not the run's.
            message = f"internal error while writing the result ({type(error).__name__})"
            exp = self.sheets.of(result.assignment)
            result, bindings = file_error(exp, path, f"{message}; please report it"), ()
            with writing_into(self.files.folder_of(result.assignment)):
                self.write(result)
        return _Done(self.serializer.pack(result), bindings, self.pid)


_WORKER: _Grader | None = None


def _init_worker(sheets: SheetSet, files: StudentFiles, parent: int) -> None:
    global _WORKER
    end_with_parent(parent)  # a killed batch leaves no process grading on
    _WORKER = _Grader(sheets, files)
    install_alarm()  # for the worker's life
    gc.freeze()  # a worker lives for one batch
    gc.set_threshold(*_BATCH_GC_THRESHOLDS)


def _grade_task_in_worker(paths: list[str]) -> list[_Done]:
    assert _WORKER is not None
    return [_WORKER(Path(path)) for path in paths]


def grade_paths(
    paths: Sequence[str | Path], grader: _Grader, *, jobs: int = 1
) -> Generator[tuple[int, _Done], None, None]:
    """Grade and write ``paths`` in ``jobs`` processes; reports each file with its position
    in ``paths``, in the order the tasks of :mod:`grader.run.work_split` end."""
    if jobs <= 1 or len(paths) < 2 * jobs:
        yield from enumerate(grader(Path(path)) for path in paths)
        return
    # Paths travel as text: a Path pickles as its parts and is parsed again on arrival.
    texts = [os.fspath(path) for path in paths]
    tasks = tasks_of(texts, grader.sheets, jobs)
    # Forked workers inherit the solved expectations as they are (elsewhere they are pickled):
    # solving again would delay each worker's first file.
    initargs = (grader.sheets, grader.files, os.getpid())
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=initargs) as pool:
        futures = [pool.submit(_grade_task_in_worker, [texts[i] for i in task]) for task in tasks]
        try:
            for task, future in zip(tasks, futures, strict=True):
                yield from zip(task, future.result(), strict=True)
        finally:  # closed early (Ctrl-C, an error): the tasks not begun are dropped
            for future in futures:
                future.cancel()


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
    sheets: SheetSet | Expectations,
    files: StudentFiles,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> BatchOutcome:
    """Grade ``paths`` and write each student's files; the caller writes the class files.

    ``meanwhile`` is called once, when the first file is graded: work this process can do
    while grading processes work (getting ready to write the class files), rather than after.

    Raises:
        OutputError: ``out_dir`` cannot be written (the files written are whole).
    """
    if isinstance(sheets, Expectations):
        sheets = one_sheet(sheets)
    with writing_into(files.out_dir):
        return _run_batch(paths, sheets, files, jobs=jobs, progress=progress, meanwhile=meanwhile)


def _run_batch(
    paths: Sequence[str | Path],
    sheets: SheetSet,
    files: StudentFiles,
    *,
    jobs: int,
    progress: Callable[[int], None] | None,
    meanwhile: Callable[[], None] | None,
) -> BatchOutcome:
    out_dir = files.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    with os.scandir(out_dir) as listing:  # nothing but this run's own: no earlier outputs
        fresh = all(entry.name in RUN_FILES for entry in listing)
    for sheet_dir in (out_dir, *files.folders.values()):
        _check_student_folders(out_dir, sheet_dir)
        remove_stale_temporaries(sheet_dir)
    grader = _Grader(sheets, dataclasses.replace(files, fresh=fresh))
    digests: list[ResultDigest | None] = [None] * len(paths)
    bindings: list[tuple[Binding, ...]] = [()] * len(paths)
    table = PartTable()
    with alarm_installed(), _folders_released():
        graded = grade_paths(list(paths), grader, jobs=jobs)
        # Stopped early (Ctrl-C, an error): the grading processes stop now, not when the
        # generator is collected (a traceback that is kept would keep it, and them, going).
        with contextlib.closing(graded):
            for position, done in graded:
                if meanwhile is not None:
                    meanwhile()
                    meanwhile = None
                if progress is not None:
                    progress(1)
                digests[position] = table.unpack(done.packed, done.sender)
                bindings[position] = done.bindings
        outcome = BatchOutcome(results=[d for d in digests if d is not None])
        assert len(outcome.results) == len(paths), "every file is reported once"
        held = _settle_claims(grader, list(paths), outcome.results)
        if sheets.books:
            _flag(grader, list(paths), outcome.results, borrowed_variants(outcome.results))
        names = [shown_name(files.relative(path)) for path in paths]
        _flag(grader, list(paths), outcome.results, shared_sketches(outcome.results, names))
    outcome.bindings = [b for i, found in enumerate(bindings) if i not in held for b in found]
    return outcome


def _check_student_folders(out_dir: Path, sheet_dir: Path) -> None:
    """Refuse, before any file is graded, a students' folder that leads out of ``out_dir``.

    A sheet's folder that does not exist yet is not made here: it is made by the first file
    written into it, so that a sheet no file names leaves no empty folder behind (resolving
    a path that does not exist follows the links of the part that does, so the check holds).

    Raises:
        UsageError: one does (a link).
    """
    try:
        if not sheet_dir.resolve().is_relative_to(out_dir.resolve()):
            raise ValueError(sheet_dir)
        for folder, _ in _STUDENT_FILES:
            _checked_folder(sheet_dir.absolute(), folder)
    except ValueError:
        raise UsageError(
            f"a folder under {sheet_dir} leads outside {out_dir} (a link?): "
            "refusing to write there; remove it or choose another --out"
        ) from None


def _settle_claims(
    grader: _Grader, paths: Sequence[str | Path], results: list[ResultDigest]
) -> set[int]:
    """Give every file a row of its own; returns the positions of the files held.

    A graded file claims the id its result is under. An id claimed by one file is that
    file's. An id claimed by several is nobody's: every claimant is held for the TA, as an
    error row under an id of its own that names the other files (by their names relative to
    the class folder); the first file in sorted order does not win. Files one LMS user
    submitted (one channel) that claim different ids are held the same way: one person
    handed them in, so at most one of those ids is theirs, and which one is for a TA to say.
    A file that could not be graded claims nothing: its id (made from its file name) is
    changed if a claim has it. Whatever was written under an id by a file that does not own
    it is removed, and the owner's files are written again.
    """
    claimants: dict[tuple[str, str], list[int]] = {}
    uploads: dict[tuple[str, str], list[int]] = {}  # graded files by sheet and channel
    for index, result in enumerate(results):
        if result.status == "graded":
            claimants.setdefault(_claim(result), []).append(index)
            if result.channel is not None:
                uploads.setdefault((result.assignment, result.channel), []).append(index)
    reasons = _held_claims(grader, paths, results, claimants, uploads)
    held = set(reasons)
    owners = {
        key: found[0]
        for key, found in claimants.items()
        if len(found) == 1 and found[0] not in held
    }
    roster = grader.files.roster
    listed = {s.id.lower() for s in roster.students} if roster is not None else set()
    taken: dict[str, set[str]] = {}  # ids in use, by sheet
    for result in results:
        taken.setdefault(result.assignment, set(listed)).add(result.student.id.lower())
    moved: dict[int, SubmissionResult] = {}
    # The first file that could not be graded keeps the id made from its name; later ones move.
    refused: dict[tuple[str, str], int] = {}
    for index, result in enumerate(results):
        key = _claim(result)
        if index in held:
            reason = reasons[index]
        elif result.status != "graded" and (key in claimants or key in refused):
            reason = result.error or "the file could not be graded"
        else:
            if result.status != "graded":
                refused[key] = index
            continue
        in_use = taken[result.assignment]
        new_id = _free_id(grader.files.relative(paths[index]), in_use)
        in_use.add(new_id.lower())
        moved[index] = error_result(
            result.assignment, result.max_score, new_id, reason, result.file
        )
    # Every id written by a file that does not own it: removed, then the file that keeps the id
    # written again (a graded owner, or the first unreadable file of that name: its error row
    # was under the same name, and would otherwise be left without its report).
    spoiled = {(results[i].assignment, results[i].student.id) for i in moved}
    for sheet_id, written in spoiled:
        folder_of_sheet = grader.files.folder_of(sheet_id)
        for folder, suffix in _STUDENT_FILES:
            with contextlib.suppress(OSError, ValueError):
                os.unlink(output_path(folder_of_sheet, folder, written, suffix))
    for index, error_row in moved.items():
        grader.write(error_row)
        results[index] = digest(error_row)
    keepers = {**owners, **refused}  # disjoint: an unreadable file claimed for moves
    for key in sorted({(sheet, written.lower()) for sheet, written in spoiled} & keepers.keys()):
        owner, _bindings = grader.graded(Path(paths[keepers[key]]))
        grader.write(owner)
    return held


def _held_claims(
    grader: _Grader,
    paths: Sequence[str | Path],
    results: list[ResultDigest],
    claimants: dict[tuple[str, str], list[int]],
    uploads: dict[tuple[str, str], list[int]],
) -> dict[int, str]:
    """The files held for a TA (see :func:`_settle_claims`), each with its reason."""

    def shown(index: int) -> str:
        return repr(shown_name(grader.files.relative(paths[index])))

    reasons: dict[int, str] = {}
    for found in claimants.values():
        if len(found) > 1:
            for index in found:
                others = ", ".join(shown(i) for i in found if i != index)
                reasons[index] = (
                    f"student id {results[index].student.id!r} is also claimed by {others}; a "
                    "TA must decide whose file is whose (each student needs their own id)"
                )
    for (_sheet, channel), found in uploads.items():
        if len({_claim(results[i]) for i in found}) < 2:
            continue
        for index in found:
            others = ", ".join(
                f"{shown(i)} (student {results[i].student.id!r})"
                for i in found
                if _claim(results[i]) != _claim(results[index])
            )
            reasons.setdefault(
                index,
                f"this file (student {results[index].student.id!r}) was submitted by "
                f"{channel}, who also submitted {others}; one person's files name different "
                "students: a TA must decide whose file is whose",
            )
    return reasons


def _flag(
    grader: _Grader,
    paths: Sequence[str | Path],
    results: list[ResultDigest],
    notes: Mapping[int, str],
) -> None:
    """Flag, for a TA, each file ``notes`` has a note for (by position): one whose answers
    fit another student's variant far better than its own
    (:mod:`grader.reports.borrowed_variants`), one holding a sketch another student's file
    holds (:mod:`grader.reports.shared_sketches`). Its result file is written again with the
    evidence among its flags (a student's report shows no flags, so it stays)."""
    for index, note in notes.items():
        found = results[index]
        folder = grader.files.folder_of(found.assignment)
        written = output_path(folder, "results", found.student.id, ".json")
        try:
            result = SubmissionResult.model_validate_json(Path(written).read_bytes())
        except (OSError, ValueError):  # never seen: the file was just written
            result, _bindings = grader.graded(Path(paths[index]))
        flagged = result.model_copy(update={"flags": (*result.flags, note)})
        write_text_atomic(written, grader.serializer.json(flagged), durable=False)
        results[index] = found._replace(flags=flagged.flags)


def _claim(result: ResultDigest | SubmissionResult) -> tuple[str, str]:
    """What a graded file claims: its student's row in the output of its sheet."""
    return result.assignment, result.student.id.lower()


def _free_id(relative: str, taken: set[str]) -> str:
    """An id for a held or refused file, made from its name, that no other row has."""
    stem = os.path.splitext(os.path.basename(relative))[0]
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in stem)[:50].lstrip("._-")
    candidate = safe if valid_student_id(safe) else "file"
    number = 2
    while candidate.lower() in taken:
        candidate = f"{safe if valid_student_id(safe) else 'file'}-{number}"
        number += 1
    return candidate


@contextlib.contextmanager
def _folders_released() -> Iterator[None]:
    """Folders the atomic writer keeps open are closed at both ends of a batch (a folder of
    the same name may be another one by the next batch)."""
    release_folders()
    try:
        yield
    finally:
        release_folders()


_STUDENT_FILES = (("results", ".json"), ("feedback", ".html"), ("feedback", ".md"))
