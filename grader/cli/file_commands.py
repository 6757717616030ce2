"""Commands about answer files: grade one (``check``), check the format of some (``validate``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.cli.app import fail, main, seed_option, sheet_option
from grader.errors import GraderError, UsageError
from grader.run.sheet_choice import sheet_for_file
from grader.sheets.assignment import Assignment


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@sheet_option(for_files=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@seed_option()
def check(file: Path, assignment: str | None, as_json: bool, seed: str | None) -> None:
    """Grade one answer file and print each part's status, points and feedback.

    What is shown follows the assignment's `reveal` setting: none (status and points), feedback
    (also the explanation of each mistake, no expected values) or answers (also the expected
    values and worked solutions). Nothing in the answer file changes it.

    With variants (the sheet declares them and a course seed is set), the file is graded
    against its student's own variant; a variant code in the file that names another is a
    note for the TA, not a penalty.

    A file that could not be graded is still shown, with why (exit status 1).
    """
    from grader.input.student_files import Boundary
    from grader.reports.check_view import file_note_lines, result_table
    from grader.reports.reveal import student_view, view_json
    from grader.run.variant_grading import FileGrader, seed_in_force, variant_lines

    within = Boundary.around([file])  # a link in the file's folder is not followed out of it
    try:
        spec = sheet_for_file(file, assignment, within)
        done = FileGrader(seed_in_force(seed)).grade(file, spec, within=within)
    except GraderError as error:
        fail(error)
        return
    graded = done.graded
    view = student_view(graded.result, done.expectations)
    if as_json:
        if view.shows_feedback and graded.submission is not None:  # the table's notes
            view = view.model_copy(update={"notes": tuple(file_note_lines(graded.submission))})
        click.echo(view_json(view))
    else:
        click.echo("".join(f"{line}\n" for line in variant_lines(done)), nl=False)
        click.echo(result_table(view, graded.submission))
    if graded.result.status != "graded":
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@sheet_option(for_files=True)
@seed_option()
def validate(files: tuple[Path, ...], assignment: str | None, seed: str | None) -> None:
    """Check the format of answer files (never whether an answer is right).

    Reports unreadable files, unknown parts, answers that cannot be read and unanswered parts,
    with line numbers. Exit status 1 if any file is invalid (or an entry under a folder named
    like an answer file could not be read).
    """
    from grader.input.student_files import list_class
    from grader.reports.check_view import validation_report
    from grader.reports.summary import not_graded_text
    from grader.run.outputs import not_named_by_answers
    from grader.run.variant_grading import FileGrader, seed_in_force

    all_valid = True
    listing = list_class(list(files))
    results = []
    sheets: dict[str, Assignment] = {}
    try:
        grader = FileGrader(seed_in_force(seed))
        for name in listing.files:
            path = Path(name)
            spec = sheet_for_file(path, assignment, listing.boundary)
            graded = grader.grade(path, spec, within=listing.boundary).graded
            sheets.setdefault(spec.id, spec)
            valid, report = validation_report(graded.result, graded.submission)
            all_valid &= valid
            results.append(graded.result)
            click.echo(report)
    except GraderError as error:
        fail(error)
    not_graded = not_named_by_answers(
        listing.not_graded, listing.files, results, list(sheets.values())
    )
    if not_graded:
        click.echo(not_graded_text(not_graded))
    if not listing.files:
        fail(UsageError("no answer files (.yaml, .yml, .json) found"))
    missed = any(entry.may_be_answer for entry in listing.not_graded)
    sys.exit(0 if all_valid and not missed else 1)
