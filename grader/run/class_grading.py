"""Grading a class, end to end: what ``grader grade`` does, as one library function.

The steps, in order, and why in that order:

1. Everything that can stop the run is read and checked before anything is written: the
   class listing (which never fails: whatever cannot be graded is listed), the output folder
   apart from what is graded, the sheets graded and where each one's outputs go
   (:mod:`grader.run.class_sheets`), the earlier run to compare with, the roster and every
   ``--overrides`` file (all their problems at once).
2. The output folder's lock is taken (one run at a time writes it); under it each sheet's
   decisions ledger is read, the new decisions merged in and the ledger written (and flushed
   to disk) before grading: a decision a TA handed in is kept even if the run is then killed.
3. The class is graded (:mod:`grader.run.batch`), each file against the sheet it names;
   decisions that named no answer are bound to the answer they were applied to, and the
   ledgers are written again.
4. Each sheet's class files are written last (:mod:`grader.run.outputs`), still under the
   lock, into that sheet's folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import getpass
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import UsageError
from grader.grading.decisions import (
    Decision,
    DecisionProblems,
    Merged,
    check_decisions,
    merge_decisions,
)
from grader.input.roster import Roster, read_roster
from grader.input.student_files import ClassListing, NotGraded, list_class
from grader.results import SubmissionResult
from grader.run.atomic import write_text_atomic
from grader.run.batch import BatchOutcome, Binding, StudentFiles, batch_gc, run_batch
from grader.run.class_sheets import RunSheets, main_sheet_record, run_sheets
from grader.run.decision_files import read_decision_file, read_ledger, write_ledger
from grader.run.output_folder import MAIN_SHEET_NAME, check_apart, output_lock, writing_into
from grader.run.outputs import (
    feedback_writer,
    not_named_by_answers,
    prepare_class_outputs,
    write_class_outputs,
)
from grader.sheets.assignment import Assignment, RevealLevel
from grader.sheets.variant_expectations import NO_SEED


@dataclass(frozen=True)
class ClassOptions:
    """What a TA chose for a class run (the options of ``grader grade``).

    Attributes:
        paths: answer files and folders to grade.
        out_dir: the output folder.
        jobs: grading processes.
        reports: write the HTML/Markdown reports and summary.html.
        overrides: files of TA decisions to add to the ledger, in order.
        replace_decisions: a later decision replaces a different one for the same part.
        decided_by: who decided, for decisions that do not say.
        roster: the class list.
        compare_dir: an earlier output folder to list changes against.
        sheet: the TA's ``--assignment`` (then only that sheet is graded); None: each file
            is graded against the installed sheet it names (see grader.run.class_sheets).
        reveal: what the students' reports show, for this run (None: each sheet's setting).
        seed: the course seed in force (``--seed``, else the course file's; None: no
            variants): each student of a sheet with variants is graded against their own.
    """

    paths: tuple[Path, ...]
    out_dir: Path
    jobs: int = 1
    reports: bool = True
    overrides: tuple[Path, ...] = ()
    replace_decisions: bool = False
    decided_by: str = ""
    roster: Path | None = None
    compare_dir: Path | None = None
    sheet: str | None = None
    reveal: RevealLevel | None = None
    seed: str | None = None


@dataclass(frozen=True)
class SheetRun:
    """What a class run wrote for one of its sheets.

    Attributes:
        sheet: the sheet (as graded: with the run's reveal level).
        folder: where its outputs are.
        files: how many answer files were graded against it.
        table: its per-part summary table.
    """

    sheet: Assignment
    folder: Path
    files: int
    table: str


@dataclass
class ClassRun:
    """What a class run produced, for the terminal.

    Attributes:
        outcome: the batch's digests (every sheet's).
        sheets: what was written for each sheet that files were graded against, the run's
            main sheet first (it is always written).
        files: how many answer files were graded.
        decisions_added: new decisions written to the ledger.
        warnings: things a TA should know that did not stop the run.
        changes: the regrade diff against ``compare_dir`` (None without one).
        not_graded: what under the given paths got no row (but the images answers name).
        missed: entries named like answer files (or folders) that could not be read.
    """

    outcome: BatchOutcome
    sheets: list[SheetRun]
    files: int
    decisions_added: int
    warnings: list[str] = field(default_factory=list)
    changes: str | None = None
    not_graded: list[NotGraded] = field(default_factory=list)
    missed: int = 0


def default_decided_by() -> str:
    """Who decides, when the TA does not say: ``GRADER_TA`` or the login name."""
    try:
        return os.environ.get("GRADER_TA") or getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return ""


def grade_class(
    options: ClassOptions,
    *,
    command: Sequence[str] = ("grader", "grade"),
    progress: Callable[[int], None] | None = None,
    listed: Callable[[int], None] | None = None,
    note: Callable[[str], None] | None = None,
) -> ClassRun:
    """Grade a class and write every output; see the module docstring for the order.

    Args:
        command: the command line, recorded in the output folder's lock for another run.
        listed: called with the number of files once they are listed (for a progress bar).
        note: told, before grading, when a run that did not finish left the lock.

    Raises:
        AssignmentError: the chosen sheet cannot be loaded.
        UsageError: no answer files, an output folder overlapping what is graded, held by
            another run or written for another sheet, an unreadable roster or comparison
            folder, or decisions that cannot be used (every problem listed); nothing is
            written then.
        OutputError: the output folder cannot be written (what was written is whole).
    """
    listing = list_class(list(options.paths))
    if not listing.files:
        raise no_answer_files(listing.not_graded)
    check_apart(options.paths, options.out_dir)
    run = run_sheets(
        options.sheet,
        listing.files,
        options.out_dir,
        reveal=options.reveal,
        seed=options.seed,
        within=listing.boundary,
    )
    old = _load_compare(options.compare_dir, run)
    roster = read_roster(options.roster) if options.roster else None
    batches = _read_overrides(options, run)
    created = not options.out_dir.exists()
    with writing_into(options.out_dir):
        options.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with output_lock(options.out_dir, command) as previous:
            if previous and note is not None:
                note(
                    f"note: an earlier run into {options.out_dir}/ did not finish ({previous}); "
                    "this run completes its files"
                )
            merged = {
                sheet: _merge(options, run, sheet, batches.get(sheet, [])) for sheet in run.folders
            }
            return _graded_class(
                options, run, listing, merged, roster, old, progress=progress, listed=listed
            )
    except UsageError:
        if created:  # a run refused before writing anything leaves no folder behind either
            with contextlib.suppress(OSError):
                options.out_dir.rmdir()
        raise


def _graded_class(
    options: ClassOptions,
    run: RunSheets,
    listing: ClassListing,
    merged: dict[str, Merged],
    roster: Roster | None,
    old: dict[str, dict[str, SubmissionResult]],
    *,
    progress: Callable[[int], None] | None,
    listed: Callable[[int], None] | None,
) -> ClassRun:
    """Steps 2 to 4, under the output folder's lock."""
    out_dir = options.out_dir
    warnings = [w for sheet, m in merged.items() for w in _roster_warnings(m, roster, sheet)]
    with writing_into(out_dir):
        write_text_atomic(
            out_dir / MAIN_SHEET_NAME, main_sheet_record(run.main_id), skip_unchanged=True
        )
        for sheet, found in merged.items():
            if found.added:
                write_ledger(_created(run.folders[sheet]), found.history)
    if listed is not None:
        listed(len(listing.files))
    student_files = StudentFiles(
        out_dir,
        folders=run.others,
        decisions={sheet: _by_student(found) for sheet, found in merged.items()},
        write_feedback=feedback_writer(run.sheets, reports=options.reports),
        roster=roster,
        within=listing.boundary,
    )
    with batch_gc():
        outcome = run_batch(
            listing.files,
            run.sheets,
            student_files,
            jobs=options.jobs,
            progress=progress,
            meanwhile=functools.partial(prepare_class_outputs, reports=options.reports),
        )
        not_graded = not_named_by_answers(
            listing.not_graded, listing.files, outcome.results, [e.assignment for e in run.sheets]
        )
        written: list[SheetRun] = []
        changes: list[str] = []
        with writing_into(out_dir):
            for exp in run.sheets:
                sheet = exp.assignment.id
                part = _sheet_outcome(outcome, sheet)
                if sheet != run.main_id and not part.results:
                    continue  # no file for it this run: its folder stays as it was
                folder = run.folders[sheet]
                history = _bound(merged[sheet].history, part.bindings)
                if history != merged[sheet].history:
                    write_ledger(folder, history)
                table = write_class_outputs(
                    folder, part, exp, reports=options.reports, roster=roster,
                    not_graded=not_graded if sheet == run.main_id else (),
                    book=run.sheets.book_of(sheet),
                )  # fmt: skip
                written.append(SheetRun(exp.assignment, folder, len(part.results), table))
                if sheet in old:
                    diff = _changes(old[sheet], folder)
                    changes.append(f"{sheet}:\n{diff}" if len(old) > 1 else diff)
                warnings += _unused(merged[sheet], part, None if sheet == run.main_id else sheet)
    unseeded = sum(1 for r in outcome.results if any(NO_SEED in flag for flag in r.flags))
    if unseeded:
        warnings.append(
            f"{unseeded} file(s) carry a variant code, {NO_SEED}: they were graded against "
            "the sheet's own givens; grade with --seed (the course seed) to grade each against "
            "its student's variant"
        )
    flagged = sum(1 for result in outcome.results if result.flags)
    if flagged:
        warnings.append(
            f"{flagged} file(s) flagged for a TA (identity, variant code, a possible copy, a "
            "sketch another student's file holds too, or text of the file "
            "that is no part's answer; see the flags column of gradebook.csv)"
        )
    missed = sum(1 for entry in listing.not_graded if entry.may_be_answer)
    added = sum(found.added for found in merged.values())
    return ClassRun(
        outcome,
        written,
        len(listing.files),
        added,
        warnings,
        "\n\n".join(changes) if options.compare_dir is not None else None,
        not_graded,
        missed,
    )


def _sheet_outcome(outcome: BatchOutcome, sheet: str) -> BatchOutcome:
    """The part of a batch's outcome graded against one sheet."""
    return BatchOutcome(
        results=[r for r in outcome.results if r.assignment == sheet],
        bindings=[b for b in outcome.bindings if b.sheet == sheet],
    )


def _created(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def no_answer_files(not_graded: Sequence[NotGraded]) -> UsageError:
    """The error for paths that hold no answer file, with what they do hold."""
    from grader.reports.summary import (
        not_graded_text,  # the class files' modules load while grading
    )

    found = not_graded_text(not_graded)
    return UsageError(
        "no answer files (.yaml, .yml, .json) under the given paths"
        + (f"\n{found}" if found else "")
    )


def _read_overrides(options: ClassOptions, run: RunSheets) -> dict[str, list[list[Decision]]]:
    """The decisions of every ``--overrides`` file, by the sheet each is about (its ``sheet``
    column or key; the run's main sheet when it names none), each file's in order, checked
    against its sheet; every problem of every file at once (nothing is written before this).
    """
    problems: list[str] = []
    batches: list[list[Decision]] = []
    for path in options.overrides:
        try:
            batches.append(read_decision_file(path))
        except DecisionProblems as error:
            problems += error.problems
            batches.append(list(error.readable))  # checked too: every problem at once
    routed: dict[str, list[list[Decision]]] = {sheet: [] for sheet in run.folders}
    for batch in batches:
        for sheet in routed:
            routed[sheet].append([])
        for decision in batch:
            sheet = decision.sheet or run.main_id
            if sheet not in routed:
                where = f"{decision.source}: " if decision.source else ""
                problems.append(
                    f"{where}{decision.student} {decision.part}: sheet {sheet!r} is not graded "
                    f"in this run (it grades {', '.join(repr(s) for s in run.folders)})"
                )
                continue
            routed[sheet][-1].append(dataclasses.replace(decision, sheet=""))
    for exp in run.sheets:
        sheet = exp.assignment.id
        problems += check_decisions([d for b in routed[sheet] for d in b], exp.assignment)
    if problems:
        raise _decision_problems(problems)
    return routed


def _merge(
    options: ClassOptions, run: RunSheets, sheet: str, batches: list[list[Decision]]
) -> Merged:
    """A sheet's ledger with its new decisions added (under the lock)."""
    folder = run.folders[sheet]
    try:
        ledger = read_ledger(folder)
    except DecisionProblems as error:
        raise UsageError(
            "the decisions ledger cannot be read; nothing was written:\n"
            + "\n".join(error.problems)
        ) from None
    assignment = run.sheets.of(sheet).assignment
    problems = [f"in the ledger: {p}" for p in check_decisions(ledger, assignment)]
    if problems:
        raise _decision_problems(problems)
    try:
        return merge_decisions(
            ledger,
            batches,
            replace_decisions=options.replace_decisions,
            stamp=_now(),
            by=options.decided_by,
        )
    except DecisionProblems as error:
        raise _decision_problems(list(error.problems)) from None


def _decision_problems(problems: Sequence[str]) -> UsageError:
    return UsageError(
        f"{len(problems)} problem(s) with the TA decisions; nothing was graded or written:\n"
        + "\n".join(f"  {p}" for p in problems)
    )


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def _by_student(merged: Merged) -> dict[str, dict[str, Decision]]:
    """The decisions in force, by student id (lower case), then part."""
    found: dict[str, dict[str, Decision]] = {}
    for (student, part), decision in merged.current().items():
        found.setdefault(student, {})[part] = decision
    return found


def _bound(history: tuple[Decision, ...], bindings: Sequence[Binding]) -> tuple[Decision, ...]:
    """The history with each decision that named no answer bound to the one it was applied to
    (``bindings`` of the history's sheet)."""
    if not bindings:
        return history
    answers = {(student, part): answer for _sheet, student, part, answer in bindings}
    current = {decision.key: index for index, decision in enumerate(history)}
    bound = list(history)
    for key, answer in answers.items():
        index = current.get(key)
        if index is not None and not bound[index].answer:
            bound[index] = dataclasses.replace(bound[index], answer=answer)
    return tuple(bound)


def _roster_warnings(merged: Merged, roster: Roster | None, sheet: str) -> list[str]:
    if roster is None:
        return []
    return [
        f"decision for {d.student} {d.part} ({d.source or f'ledger of {sheet}'}): not on the roster"
        for d in merged.current().values()
        if roster.by_id(d.student) is None
    ]


def _unused(merged: Merged, outcome: BatchOutcome, sheet: str | None) -> list[str]:
    """Decisions in force for a student no file was graded for."""
    graded = {r.student.id.lower() for r in outcome.results if r.status == "graded"}
    # Excel and LibreOffice read an id of digits as a number and save it without its leading
    # zeros (01234567 -> 1234567): name the graded id the decision was meant for.
    unpadded = {i.lstrip("0"): i for i in graded if i.isdigit() and i.startswith("0")}
    of_sheet = f" of {sheet}" if sheet else ""
    return [
        f"decision{of_sheet} for {d.student} {d.part} ({d.source or 'ledger'}) matched no "
        "graded student"
        + (
            f" (is it {unpadded[student]}, whose leading zeros a spreadsheet dropped? write "
            "the id as text there, or use the review page's export)"
            if student in unpadded
            else ""
        )
        for (student, _part), d in sorted(merged.current().items())
        if student not in graded
    ]


def _load_compare(folder: Path | None, run: RunSheets) -> dict[str, dict[str, SubmissionResult]]:
    """Results of the --compare folder by sheet (each sheet's folder in it laid out as in
    the run's output folder), read before the new run can overwrite anything."""
    if folder is None:
        return {}
    from grader.reports.regrade import load_results

    found = {run.main_id: load_results(folder)}
    for sheet, own in run.others.items():
        earlier = folder / own.relative_to(run.folders[run.main_id])
        if (earlier / "results").is_dir():
            found[sheet] = load_results(earlier)
    return found


def folder_changes(old: Path, new: Path) -> str:
    """What ``grader diff OLD NEW`` prints: the changes of the main sheet's results and, as
    ``grade --compare`` does, of every other sheet's (in the folder named by its id) that
    either folder holds, each under its sheet's id.

    Raises:
        UsageError: a folder has no results of its main sheet, or one cannot be read.
    """
    from grader.reports.regrade import changes_table, compare_results, load_results
    from grader.run.class_sheets import recorded_main_sheet
    from grader.sheets.library import bundled_assignment_ids

    main = recorded_main_sheet(new) or recorded_main_sheet(old)
    tables = [(main, changes_table(compare_results(load_results(old), load_results(new))))]
    for sheet in bundled_assignment_ids():
        earlier, later = old / sheet, new / sheet
        found = [(earlier / "results").is_dir(), (later / "results").is_dir()]
        if sheet != main and any(found):
            before = load_results(earlier) if found[0] else {}
            after = load_results(later) if found[1] else {}
            tables.append((sheet, changes_table(compare_results(before, after))))
    if len(tables) == 1:
        return tables[0][1]
    return "\n\n".join(f"{sheet or 'main sheet'}:\n{table}" for sheet, table in tables)


def ledgers_by_sheet(out_dir: Path) -> list[tuple[str | None, list[Decision]]]:
    """The decisions ledger of ``out_dir`` (its main sheet's, as recorded there) and of every
    other sheet's folder in it that holds one, each with its sheet's id.

    Raises:
        DecisionProblems: a ledger exists but cannot be read.
    """
    from grader.run.class_sheets import recorded_main_sheet
    from grader.run.decision_files import ledger_path
    from grader.sheets.library import bundled_assignment_ids

    main = recorded_main_sheet(out_dir)
    found: list[tuple[str | None, list[Decision]]] = [(main, read_ledger(out_dir))]
    for sheet in bundled_assignment_ids():
        folder = out_dir / sheet
        if sheet != main and os.path.lexists(ledger_path(folder)):
            found.append((sheet, read_ledger(folder)))
    return found


def _changes(old: dict[str, SubmissionResult], out_dir: Path) -> str:
    from grader.reports.regrade import changes_table, compare_results, load_results

    table = changes_table(compare_results(old, load_results(out_dir)))
    write_text_atomic(out_dir / "regrade-diff.md", f"# Regrade changes\n\n{table}\n")
    return table
