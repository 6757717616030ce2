"""The command line: the only module that reads argv, prints and sets exit codes."""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from grader import __version__
from grader.errors import GraderError, OutputError, UsageError
from grader.run.pipeline import default_assignment
from grader.sheets.assignment import REVEAL_LEVELS, Assignment, RevealLevel
from grader.sheets.expectations import Expectations
from grader.sheets.library import bundled_assignment_ids

if TYPE_CHECKING:
    from grader.input.student_files import Boundary

DEFAULT_JOBS = min(os.cpu_count() or 1, 64)
"""Grading processes when --jobs is not given: one per core (at most --jobs' own maximum)."""
ASSIGNMENT_HELP = "Bundled assignment id or path to an assignment YAML file."


def _pairs(option: str, items: Sequence[str]) -> dict[str, str]:
    """NAME=VALUE options into a mapping; a malformed one is a usage error."""
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{option} expects NAME=VALUE, got {item!r}")
        pairs[name.strip()] = value.strip()
    return pairs


def _fail(error: GraderError) -> NoReturn:
    click.echo(f"grader: error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="grader")
def main() -> None:
    """Grade answer files of performance-modeling exercise sheets (FLOPs, roofline...).

    \b
    Students:  grader template > answers.yaml   (fill it in)
               grader validate answers.yaml     (format only)
               grader check answers.yaml        (graded, with feedback)
    Instructors and TAs:
               grader solve                     (the worked solution)
    Run `grader COMMAND --help` for the options of each command.
    """


@main.command()
@click.option("-a", "--assignment", default="roofline-1", show_default=True, help=ASSIGNMENT_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the answers as JSON.")
@click.option(
    "--set",
    "set_givens",
    multiple=True,
    metavar="NAME=VALUE",
    help='Override a given, units allowed: --set gpu.bandwidth="900 GB/s". Repeatable.',
)
@click.option(
    "--convention",
    "set_conventions",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a counting convention: --convention qkv_byte_model=fused. Repeatable.",
)
def solve(
    assignment: str, as_json: bool, set_givens: tuple[str, ...], set_conventions: tuple[str, ...]
) -> None:
    """Print the worked solution: per part the formula, the numbers and the result.

    \b
    Givens (--set): conv.channels, conv.height, conv.width, conv.kernel, conv.stride,
      conv.padding (same|valid), attention.seq_len, attention.d_model, bytes_per_element,
      gpu.bandwidth, gpu.peak, pim.bandwidth, pim.peak.
    Conventions (--convention): flops_per_mac (1|2), bias (true|false),
      padding_count (full|exact), dot_product_ops (2k|2k-1), softmax_model (stable|basic),
      softmax_row_additions (n-1|n), causal_diagonal (true|false),
      qkv_byte_model (per_projection|three_separate|fused), bytes_per_element, tie_rule.
    """
    from grader.reports.solution_view import solution_json, solution_table
    from grader.sheets.library import load_assignment
    from grader.sheets.solving import parse_conventions, resolve_givens, solve_assignment

    try:
        spec = load_assignment(assignment)
        givens = resolve_givens(spec, _pairs("--set", set_givens))
        conventions = parse_conventions(_pairs("--convention", set_conventions))
        solution = solve_assignment(spec, givens, conventions)
    except GraderError as error:
        _fail(error)
        return
    if as_json:
        click.echo(json.dumps(solution_json(solution), indent=2, allow_nan=False))
        return
    click.echo(f"{spec.title} ({spec.id})\n")
    click.echo(solution_table(solution))


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("-a", "--assignment", default=None, help=ASSIGNMENT_HELP + " [default: the file's]")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check(file: Path, assignment: str | None, as_json: bool) -> None:
    """Grade one answer file and print each part's status, points and feedback.

    What is shown follows the assignment's `reveal` setting: none (status and points), feedback
    (also the explanation of each mistake, no expected values) or answers (also the expected
    values and worked solutions). Nothing in the answer file changes it.

    Exit status 0 whenever a result is printed (also for a file that could not be graded:
    the result says why).
    """
    from grader.input.student_files import Boundary
    from grader.reports.check_view import result_table
    from grader.reports.reveal import student_view, view_json
    from grader.run.pipeline import expectations_for, grade_file

    within = Boundary.around([file])  # a link in the file's folder is not followed out of it
    try:
        spec = _assignment_for(file, assignment, within)
        exp = expectations_for(spec)
        graded = grade_file(file, exp, within=within)
    except GraderError as error:
        _fail(error)
        return
    view = student_view(graded.result, exp)
    if as_json:
        click.echo(view_json(view))
    else:
        click.echo(result_table(view, graded.submission))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-a", "--assignment", default=None, help=ASSIGNMENT_HELP + " [default: the file's]")
def validate(files: tuple[Path, ...], assignment: str | None) -> None:
    """Check the format of answer files (never whether an answer is right).

    Reports unreadable files, unknown parts, answers that cannot be read and unanswered parts,
    with line numbers. Exit status 1 if any file is invalid.
    """
    from grader.input.student_files import list_class
    from grader.reports.check_view import validation_report
    from grader.reports.summary import not_graded_text
    from grader.run.outputs import not_named_by_answers
    from grader.run.pipeline import expectations_for, grade_file

    all_valid = True
    listing = list_class(list(files))
    results = []
    try:
        cache: dict[str, Expectations] = {}
        for name in listing.files:
            path = Path(name)
            spec = _assignment_for(path, assignment, listing.boundary)
            exp = cache.get(spec.id) or cache.setdefault(spec.id, expectations_for(spec))
            graded = grade_file(path, exp, within=listing.boundary)
            valid, report = validation_report(graded.result, graded.submission)
            all_valid &= valid
            results.append(graded.result)
            click.echo(report)
    except GraderError as error:
        _fail(error)
    sheets = [exp.assignment for exp in cache.values()]
    not_graded = not_named_by_answers(listing.not_graded, listing.files, results, sheets)
    if not_graded:
        click.echo(not_graded_text(not_graded))
    if not listing.files:
        _fail(UsageError("no answer files (.yaml, .yml, .json) found"))
    missed = any(entry.may_be_answer for entry in listing.not_graded)
    sys.exit(0 if all_valid and not missed else 1)


@main.command()
@click.option("-a", "--assignment", default="roofline-1", show_default=True, help=ASSIGNMENT_HELP)
@click.option(
    "--schema-url", default=None, help="Schema location for the yaml-language-server line."
)
def template(assignment: str, schema_url: str | None) -> None:
    """Print a commented answer file to fill in: grader template > answers.yaml"""
    from grader.reports.template import answer_template
    from grader.sheets.library import load_assignment

    try:
        click.echo(answer_template(load_assignment(assignment), schema_url=schema_url), nl=False)
    except GraderError as error:
        _fail(error)


@main.command()
@click.option("-a", "--assignment", default="roofline-1", show_default=True, help=ASSIGNMENT_HELP)
def schema(assignment: str) -> None:
    """Print the JSON Schema of answer files (editors use it to check as you type)."""
    from grader.reports.template import answer_schema
    from grader.sheets.library import load_assignment

    try:
        click.echo(json.dumps(answer_schema(load_assignment(assignment)), indent=2))
    except GraderError as error:
        _fail(error)


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
@click.option(
    "-a", "--assignment", default=None, help=ASSIGNMENT_HELP + " [default: the bundled one]"
)
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
    What under PATHS is not an answer file is listed (terminal and summary). One run at a
    time writes OUT (a second one stops); OUT may not be inside PATHS, nor PATHS inside OUT.
    Exit status: 0 all files graded, 1 some could not be (or an entry named like an answer
    file could not be read), 2 usage, assignment or decision error (nothing is written) or
    OUT not usable (in use, overlapping PATHS, not writable, full), 130 interrupted (Ctrl-C;
    the files written are whole, run the same command again to finish).
    """
    from grader.run.class_grading import ClassOptions, default_decided_by, grade_class
    from grader.run.pipeline import expectations_for

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
    )
    graded_so_far = [0]  # files graded, for the message if the run is interrupted
    total = [0]
    try:
        spec = default_assignment(assignment)
        if reveal is not None:
            spec = spec.model_copy(update={"reveal": reveal})
        exp = expectations_for(spec, class_run=True)
        with _progress_bar() as bar:

            def count(files_done: int) -> None:
                graded_so_far[0] += files_done
                bar.advance(files_done)

            def listed(files: int) -> None:
                total[0] = files
                bar.start(files)

            run = grade_class(
                options,
                exp,
                command=["grader", *sys.argv[1:]],
                progress=count,
                listed=listed,
                note=functools.partial(click.echo, err=True),
            )
    except GraderError as error:
        _fail(error)
    except KeyboardInterrupt:
        click.echo(
            f"\ninterrupted with {graded_so_far[0]} of {total[0]} files graded: the files "
            f"written in {out_dir}/ are whole; run the same command again to finish",
            err=True,
        )
        sys.exit(130)  # the shell's code for a command ended by Ctrl-C
    click.echo(run.table)
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
        source = "--reveal" if reveal is not None else "the assignment's setting"
        click.echo(
            f"Students' reports in {out_dir}/feedback/ show reveal level "
            f"'{spec.reveal}' ({source}); every other output is for staff only."
        )
    # The interpreter collects garbage once more on its way out, over every object of the
    # class: 0.15 s for 10,000 files. Nothing of the batch is garbage now; tell it so.
    gc.freeze()
    sys.exit(1 if outcome.errors or run.missed else 0)


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--student", default=None, help="Only this student's decisions.")
@click.option("--part", default=None, help="Only decisions on this part.")
@click.option("--all", "show_all", is_flag=True, help="Also the decisions replaced since.")
def decisions(out_dir: Path, student: str | None, part: str | None, show_all: bool) -> None:
    """Print the TA decisions recorded in an output folder: who decided what, when.

    Exit status 0, or 2 when the ledger cannot be read.
    """
    from grader.grading.decisions import DecisionProblems
    from grader.reports.decisions_view import ledger_table
    from grader.run.decision_files import read_ledger

    try:
        history = read_ledger(out_dir)
    except DecisionProblems as error:
        _fail(UsageError("\n".join(error.problems)))
        return
    click.echo(ledger_table(history, student=student, part=part, show_all=show_all))


@main.command()
@click.argument("old", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("new", type=click.Path(path_type=Path, exists=True, file_okay=False))
def diff(old: Path, new: Path) -> None:
    """List every student whose score or part statuses differ between two --out folders."""
    from grader.reports.regrade import changes_table, compare_results, load_results

    try:
        changes = compare_results(load_results(old), load_results(new))
    except GraderError as error:
        _fail(error)
        return
    click.echo(changes_table(changes))


@main.command()
@click.option(
    "--submission",
    type=click.Path(path_type=Path, file_okay=False),
    default="/autograder/submission",
    show_default=True,
    help="Folder with the student's upload.",
)
@click.option(
    "--results",
    "results_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default="/autograder/results/results.json",
    show_default=True,
    help="Where Gradescope reads the results.",
)
@click.option(
    "-a", "--assignment", default=None, help=ASSIGNMENT_HELP + " [default: the bundled one]"
)
@click.option(
    "--make-zip",
    "make_zip",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Instead of grading: write the autograder zip to upload to Gradescope (setup.sh, "
    "run_autograder, this grader as a wheel; --assignment goes into it).",
)
def gradescope(
    submission: Path, results_file: Path, assignment: str | None, make_zip: Path | None
) -> None:
    """Run as Gradescope's autograder: grade the upload, write results.json.

    The upload must hold exactly one answer file. results.json is always written, also when
    the file cannot be graded (it says why). Exit status 0 when results.json was written, 2
    for a usage or assignment error.
    """
    from grader.run.gradescope import failure_document, gradescope_results
    from grader.run.pipeline import expectations_for

    if make_zip is not None:
        from grader.run.gradescope_zip import make_autograder_zip

        try:
            names = make_autograder_zip(make_zip, assignment)
        except GraderError as error:
            _fail(error)
            return
        click.echo(f"wrote {make_zip}: {', '.join(names)}; upload it as the autograder")
        return
    try:
        exp = expectations_for(default_assignment(assignment))
    except GraderError as error:
        why = f"The autograder could not load its assignment; tell your instructor ({error})."
        _write_gradescope(failure_document(why), results_file)
        _fail(error)
    try:
        document = gradescope_results(submission, exp)
    except Exception as error:  # never seen; still, the student gets results, not a failure
        why = f"internal error while grading ({type(error).__name__}); tell your instructor"
        document = failure_document(f"**Your file could not be graded:** {why}.")
    _write_gradescope(document, results_file)
    click.echo(f"score {document['score']}; results written to {results_file}")


def _write_gradescope(document: dict[str, Any], results_file: Path) -> None:
    from grader.run.gradescope import write_results

    try:
        write_results(document, results_file)
    except OSError as error:
        folder = results_file.parent
        _fail(OutputError(f"cannot write to {folder}: {error.strerror or error}"))


class _ProgressBar:
    """A progress bar on an interactive terminal, once the files are counted; nothing when
    output is piped or in CI, or for a handful of files."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._stack = contextlib.ExitStack()

    def start(self, total: int) -> None:
        if sys.stderr.isatty() and total >= 20:
            bar = click.progressbar(length=total, label="grading", file=sys.stderr)
            self._bar = self._stack.enter_context(bar)

    def advance(self, files: int) -> None:
        if self._bar is not None:
            self._bar.update(files)

    def close(self) -> None:
        self._stack.close()


@contextlib.contextmanager
def _progress_bar() -> Iterator[_ProgressBar]:
    bar = _ProgressBar()
    try:
        yield bar
    finally:
        bar.close()


def _assignment_for(path: Path, chosen: str | None, within: Boundary) -> Assignment:
    """The assignment to grade a file against: the option's, else the file's, else the default.

    A file may only name a bundled assignment by its id, never a file: a path there would let
    the answer file pick a sheet of its own making (one that reveals the answers) or a file
    that never ends (``/dev/zero``). A file naming anything else is graded against the
    default, where it ends as an error result naming the mismatch (a batch never stops for it).
    """
    from grader.sheets.library import load_bundled_assignment

    if chosen:
        return default_assignment(chosen)
    declared = _declared_assignment(path, within)
    if declared and declared in bundled_assignment_ids():
        return load_bundled_assignment(declared)
    return default_assignment(None)


def _declared_assignment(path: Path, within: Boundary) -> str | None:
    """The assignment an answer file names, read cheaply; None when it names none."""
    from grader.input.loading import load_answer_file

    tree = load_answer_file(path, within=within).tree
    if tree is None or not isinstance(tree.value, dict):
        return None
    node = tree.value.get("assignment")
    return node.value.strip() or None if node is not None and isinstance(node.value, str) else None
