"""Commands about a class: grade it (``grade``), list the TA decisions, compare two runs."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from grader.cli.app import DEFAULT_JOBS, fail, main, seed_option, sheet_option
from grader.cli.progress import progress_bar
from grader.errors import GraderError, UsageError
from grader.sheets.assignment import REVEAL_LEVELS, RevealLevel


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (created; earlier outputs are replaced, TA decisions kept).",
)
@sheet_option(for_files=True)
@seed_option()
@click.option(
    "--overrides",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="TA decisions to add to the ledger: the filled-in review.csv, the review page's "
    "export, or YAML. Repeatable (read in order).",
)
@click.option(
    "--replace-decisions",
    is_flag=True,
    help="Let a decision replace a different earlier one for the same part and answer "
    "(without it, such conflicts stop the run).",
)
@click.option(
    "--by",
    "decided_by",
    default=None,
    metavar="NAME",
    help="Who decided, for decisions that do not say. [default: $GRADER_TA or your login]",
)
@click.option(
    "--roster",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The class list (CSV; Canvas and Moodle exports work as they are): a gradebook row "
    "for every enrolled student, identity checked against it.",
)
@click.option(
    "--compare",
    "compare_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    help="An earlier --out folder: list every student whose score "
    "or part statuses changed (also written to regrade-diff.md).",
)
@click.option(
    "-j",
    "--jobs",
    default=None,
    type=click.IntRange(1, 64),
    help=f"Processes to grade with. [default: one per core, here {DEFAULT_JOBS}]",
)
@click.option(
    "--reports/--no-reports",
    default=True,
    show_default=True,
    help="Write the HTML/Markdown feedback reports and summary.html.",
)
@click.option(
    "--reveal",
    type=click.Choice(REVEAL_LEVELS),
    default=None,
    help="What the students' reports (feedback/) show, for this run only: none (status and "
    "points), feedback (also explanations), answers (also expected values and worked "
    "solutions). [default: the assignment's reveal setting]",
)
def grade(
    paths: tuple[Path, ...],
    out_dir: Path,
    assignment: str | None,
    seed: str | None,
    overrides: tuple[Path, ...],
    replace_decisions: bool,
    decided_by: str | None,
    roster: Path | None,
    compare_dir: Path | None,
    jobs: int | None,
    reports: bool,
    reveal: RevealLevel | None,
) -> None:
    """Grade every answer file under PATHS and write the class's outputs to --out.

    \b
    For students (their own file only), showing what the reveal level allows:
    OUT/feedback/<id>.html    each student's report with roofline plots (and .md)
    For staff only (complete: expected values, rubric notes, the whole class):
    OUT/results/<id>.json     each student's complete result
    OUT/gradebook.csv         a row per file (and per enrolled student with --roster)
    OUT/canvas-grades.csv     the same scores as Canvas's gradebook import
    OUT/moodle-grades.csv     ... as Moodle's grading worksheet (when participants are known)
    OUT/review.html           the review page: grade what waits for a person, export
    OUT/review.csv            the same as a sheet: fill in points, pass back with --overrides
    OUT/decisions.csv         the ledger of every TA decision (kept across runs)
    OUT/summary.md, .html     class statistics, common mistakes, review queue
    OUT/README.md             which of these files may go to students
    Each file is graded against the sheet its `assignment:` names. The sheet most files
    name writes into OUT as above (a later run into OUT keeps to it); every other sheet
    writes the same files into OUT/<sheet id>/. With --assignment only that sheet is
    graded. Decisions for another sheet than OUT's say so in their `sheet` column (the
    review.csv of each sheet's folder does). With a course seed (--seed or the course
    file's), each student of a sheet with variants is graded against their own variant.
    What under PATHS is not an answer file is listed (terminal and summary). One run at a
    time writes OUT (a second one stops); OUT may not be inside PATHS, nor PATHS inside OUT.
    Exit status 1 also when an entry named like an answer file could not be read; 2 also when
    OUT is not usable (in use, overlapping PATHS, not writable, full). After Ctrl-C (130) the
    files written are whole: run the same command again to finish.
    """
    from grader.run.batch import leave_batch_objects
    from grader.run.class_grading import ClassOptions, default_decided_by, grade_class
    from grader.run.variant_grading import seed_in_force

    options = ClassOptions(
        paths=paths,
        out_dir=out_dir,
        jobs=jobs or DEFAULT_JOBS,
        reports=reports,
        overrides=overrides,
        replace_decisions=replace_decisions,
        decided_by=decided_by if decided_by is not None else default_decided_by(),
        roster=roster,
        compare_dir=compare_dir,
        sheet=assignment,
        reveal=reveal,
        seed=seed_in_force(seed),
    )
    graded_so_far = [0]  # files graded, for the message if the run is interrupted
    total = [0]
    try:
        with progress_bar() as bar:

            def count(files_done: int) -> None:
                graded_so_far[0] += files_done
                bar.advance(files_done)

            def listed(files: int) -> None:
                total[0] = files
                bar.start(files)

            run = grade_class(
                options,
                command=["grader", *sys.argv[1:]],
                progress=count,
                listed=listed,
                note=functools.partial(click.echo, err=True),
            )
    except GraderError as error:
        fail(error)
    except KeyboardInterrupt:
        click.echo(
            f"\ninterrupted with {graded_so_far[0]} of {total[0]} files graded: the files "
            f"written in {out_dir}/ are whole; run the same command again to finish",
            err=True,
        )
        sys.exit(130)  # the shell's code for a command ended by Ctrl-C
    several = len(run.sheets) > 1
    for sheet in run.sheets:
        if several:
            click.echo(
                f"\n{sheet.sheet.title} ({sheet.sheet.id}): {sheet.files} file(s), outputs in "
                f"{sheet.folder}/"
            )
        click.echo(sheet.table)
    for warning in run.warnings:
        click.echo(f"warning: {warning}", err=True)
    if run.changes is not None:
        click.echo(f"\nChanges against the earlier run:\n{run.changes}")
    if run.not_graded:
        from grader.reports.summary import not_graded_text

        click.echo("\n" + not_graded_text(run.not_graded))
    outcome = run.outcome
    graded = len(outcome.results) - outcome.errors
    added = f"; {run.decisions_added} new TA decision(s) recorded" if run.decisions_added else ""
    skipped = f", {len(run.not_graded)} not graded (listed above)" if run.not_graded else ""
    click.echo(
        f"\n{graded} graded, {outcome.errors} could not be graded, "
        f"{outcome.pending_review} with parts pending review{skipped}{added}; "
        f"outputs in {out_dir}/"
    )
    if reports:
        source = "--reveal" if reveal is not None else "the sheet's setting"
        for sheet in run.sheets:
            click.echo(
                f"Students' reports in {sheet.folder}/feedback/ show reveal level "
                f"'{sheet.sheet.reveal}' ({source}); every other output is for staff only."
            )
    leave_batch_objects()
    sys.exit(1 if outcome.errors or run.missed else 0)


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--student", default=None, help="Only this student's decisions.")
@click.option("--part", default=None, help="Only decisions on this part.")
@click.option("--all", "show_all", is_flag=True, help="Also the decisions replaced since.")
def decisions(out_dir: Path, student: str | None, part: str | None, show_all: bool) -> None:
    """Print the TA decisions recorded in an output folder: who decided what, when.

    A ledger that cannot be read is a decision error (exit status 2).
    """
    from grader.grading.decisions import DecisionProblems
    from grader.reports.decisions_view import ledger_table
    from grader.run.class_grading import ledgers_by_sheet

    try:
        ledgers = ledgers_by_sheet(out_dir)
    except DecisionProblems as error:
        fail(UsageError("\n".join(error.problems)))
        return
    tables = [
        (sheet, ledger_table(history, student=student, part=part, show_all=show_all))
        for sheet, history in ledgers
    ]
    if len(tables) == 1:
        click.echo(tables[0][1])
    else:  # a class of several sheets: each sheet's ledger under its id
        click.echo("\n\n".join(f"{sheet or 'main sheet'}:\n{table}" for sheet, table in tables))


@main.command()
@click.argument("old", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("new", type=click.Path(path_type=Path, exists=True, file_okay=False))
def diff(old: Path, new: Path) -> None:
    """List every student whose score or part statuses differ between two --out folders.

    A folder whose results cannot be read is a usage error (exit status 2).
    """
    from grader.run.class_grading import folder_changes

    try:
        changes = folder_changes(old, new)
    except GraderError as error:
        fail(error)
        return
    click.echo(changes)
