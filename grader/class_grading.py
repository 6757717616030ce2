"""Grading a class, end to end: what ``grader grade`` does, as one library function.

The steps, in order, and why in that order:

1. Everything that can stop the run is read and checked before anything is written: the
   class listing, the earlier run to compare with, the roster, the decisions ledger of the
   output folder and every ``--overrides`` file (all their problems at once).
2. The decisions are merged into the ledger, which is written (and flushed to disk) before
   grading: a decision a TA handed in is kept even if the run is then killed.
3. The class is graded (:mod:`grader.batch`); decisions that named no answer are bound to
   the answer they were applied to, and the ledger is written again.
4. The class files are written last (:mod:`grader.outputs`).
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import getpass
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch import BatchOutcome, StudentFiles, batch_gc, run_batch
from grader.decision_files import read_decision_file, read_ledger, write_ledger
from grader.decisions import Decision, DecisionProblems, Merged, check_decisions, merge_decisions
from grader.errors import UsageError
from grader.expectations import Expectations
from grader.outputs import feedback_writer, prepare_class_outputs, write_class_outputs
from grader.pipeline import answer_file_names
from grader.results import SubmissionResult
from grader.roster import Roster, read_roster


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


@dataclass
class ClassRun:
    """What a class run produced, for the terminal.

    Attributes:
        outcome: the batch's digests.
        table: the per-part summary table.
        files: how many answer files were graded.
        decisions_added: new decisions written to the ledger.
        warnings: things a TA should know that did not stop the run.
        changes: the regrade diff against ``compare_dir`` (None without one).
    """

    outcome: BatchOutcome
    table: str
    files: int
    decisions_added: int
    warnings: list[str] = field(default_factory=list)
    changes: str | None = None


def default_decided_by() -> str:
    """Who decides, when the TA does not say: ``GRADER_TA`` or the login name."""
    try:
        return os.environ.get("GRADER_TA") or getpass.getuser()
    except (KeyError, OSError):  # no name for this user id (a container)
        return ""


def grade_class(
    options: ClassOptions,
    exp: Expectations,
    *,
    progress: Callable[[int], None] | None = None,
    listed: Callable[[int], None] | None = None,
) -> ClassRun:
    """Grade a class and write every output; see the module docstring for the order.

    Args:
        listed: called with the number of files once they are listed (for a progress bar).

    Raises:
        UsageError: no answer files, an unreadable roster or comparison folder, or decisions
            that cannot be used (every problem listed); nothing is written then.
    """
    files = answer_file_names(list(options.paths))
    if not files:
        raise UsageError("no answer files (.yaml, .yml, .json) under the given paths")
    old = _load_compare(options.compare_dir)
    roster = read_roster(options.roster) if options.roster else None
    merged = _merged_decisions(options, exp)
    warnings = _roster_warnings(merged, roster)
    options.out_dir.mkdir(parents=True, exist_ok=True)
    if merged.added:
        write_ledger(options.out_dir, merged.history)
    if listed is not None:
        listed(len(files))
    student_files = StudentFiles(
        options.out_dir,
        decisions=_by_student(merged),
        write_feedback=feedback_writer(options.out_dir, exp, reports=options.reports),
        roster=roster,
        roots=tuple(os.fspath(path) for path in options.paths if path.is_dir()),
    )
    with batch_gc():
        outcome = run_batch(
            files,
            exp,
            student_files,
            jobs=options.jobs,
            progress=progress,
            meanwhile=functools.partial(prepare_class_outputs, reports=options.reports),
        )
        history = _bound(merged.history, outcome.bindings)
        if history != merged.history:
            write_ledger(options.out_dir, history)
        table = write_class_outputs(
            options.out_dir, outcome, exp, reports=options.reports, roster=roster
        )
    warnings += _unused(merged, outcome)
    changes = _changes(old, options.out_dir) if old is not None else None
    return ClassRun(outcome, table, len(files), merged.added, warnings, changes)


def _merged_decisions(options: ClassOptions, exp: Expectations) -> Merged:
    """The ledger with the new decisions added; every problem of every file at once."""
    problems: list[str] = []
    try:
        ledger = read_ledger(options.out_dir)
    except DecisionProblems as error:
        raise UsageError(
            "the decisions ledger cannot be read; nothing was written:\n"
            + "\n".join(error.problems)
        ) from None
    batches: list[list[Decision]] = []
    for path in options.overrides:
        try:
            batches.append(read_decision_file(path))
        except DecisionProblems as error:
            problems += error.problems
            batches.append(list(error.readable))  # checked too: every problem at once
    problems += check_decisions([d for batch in batches for d in batch], exp.assignment)
    problems += [f"in the ledger: {p}" for p in check_decisions(ledger, exp.assignment)]
    if not problems:
        try:
            return merge_decisions(
                ledger,
                batches,
                replace_decisions=options.replace_decisions,
                stamp=_now(),
                by=options.decided_by,
            )
        except DecisionProblems as error:
            problems += error.problems
    raise UsageError(
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


def _bound(
    history: tuple[Decision, ...], bindings: Sequence[tuple[str, str, str]]
) -> tuple[Decision, ...]:
    """The history with each decision that named no answer bound to the one it was applied to."""
    if not bindings:
        return history
    answers = {(student, part): answer for student, part, answer in bindings}
    current = {decision.key: index for index, decision in enumerate(history)}
    bound = list(history)
    for key, answer in answers.items():
        index = current.get(key)
        if index is not None and not bound[index].answer:
            bound[index] = dataclasses.replace(bound[index], answer=answer)
    return tuple(bound)


def _roster_warnings(merged: Merged, roster: Roster | None) -> list[str]:
    if roster is None:
        return []
    return [
        f"decision for {d.student} {d.part} ({d.source or 'ledger'}): not on the roster"
        for d in merged.current().values()
        if roster.by_id(d.student) is None
    ]


def _unused(merged: Merged, outcome: BatchOutcome) -> list[str]:
    """Decisions in force for a student no file was graded for."""
    graded = {r.student.id.lower() for r in outcome.results if r.status == "graded"}
    return [
        f"decision for {d.student} {d.part} ({d.source or 'ledger'}) matched no graded student"
        for (student, _part), d in sorted(merged.current().items())
        if student not in graded
    ]


def _load_compare(folder: Path | None) -> dict[str, SubmissionResult] | None:
    """Results of the --compare folder, read before the new run can overwrite anything."""
    if folder is None:
        return None
    from grader.regrade import load_results

    return load_results(folder)


def _changes(old: dict[str, SubmissionResult], out_dir: Path) -> str:
    from grader.atomic import write_text_atomic
    from grader.regrade import changes_table, compare_results, load_results

    table = changes_table(compare_results(old, load_results(out_dir)))
    write_text_atomic(out_dir / "regrade-diff.md", f"# Regrade changes\n\n{table}\n")
    return table
