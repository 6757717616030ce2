"""The Gradescope autograder command: grade the upload, or build the autograder zip."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from grader.cli.app import fail, main, seed_option, sheet_option
from grader.errors import GraderError, OutputError
from grader.run.pipeline import default_assignment


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
    "--metadata",
    # A folder there is metadata without a student id: the upload is graded all the same.
    type=click.Path(path_type=Path),
    default="/autograder/submission_metadata.json",
    show_default=True,
    help="Gradescope's submission metadata: the uploader's student id (sid) decides whose "
    "variant is graded, whatever id the file names, unless it names another member of the "
    "uploading group (when it is missing or gives none, the file's own id decides, and the "
    "output says so).",
)
@sheet_option()
@seed_option()
@click.option(
    "--make-zip",
    "make_zip",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Instead of grading: write the autograder zip to upload to Gradescope (setup.sh, "
    "run_autograder, this grader as a wheel; --assignment goes into it).",
)
def gradescope(
    submission: Path,
    results_file: Path,
    metadata: Path,
    assignment: str | None,
    seed: str | None,
    make_zip: Path | None,
) -> None:
    """Run as Gradescope's autograder: grade the upload, write results.json.

    The upload must hold exactly one answer file. results.json is always written, also when
    the file cannot be graded (it says why, and the exit status is 1; the autograder script
    exits 0 regardless, so that Gradescope shows the student results.json). With a course
    seed and a sheet with variants, the file is graded against its student's own variant:
    the uploader's, when Gradescope's metadata gives their student id (in a group upload,
    the member's the file names).
    """
    from grader.run.gradescope import failure_document, gradescope_results, uploader_ids
    from grader.run.pipeline import expectations_for
    from grader.run.variant_grading import seed_in_force, variant_book
    from grader.sheets.sheet_set import SheetSet

    if make_zip is not None:
        from grader.run.gradescope_zip import make_autograder_zip

        try:
            names = make_autograder_zip(make_zip, assignment)
        except GraderError as error:
            fail(error)
            return
        click.echo(f"wrote {make_zip}: {', '.join(names)}; upload it as the autograder")
        return
    try:
        spec = default_assignment(assignment)
        exp = expectations_for(spec)
        book = variant_book(spec, seed_in_force(seed))
        sheets = SheetSet(exp, books={spec.id: book} if book is not None else {})
    except GraderError as error:
        why = f"The autograder could not load its assignment; tell your instructor ({error})."
        _write_gradescope(failure_document(why), results_file)
        fail(error)
    try:
        ids = uploader_ids(metadata)
        document = gradescope_results(
            submission, sheets, uploader=ids[0] if ids else None, group=ids[1:]
        )
    except Exception as error:  # never seen; still, the student gets results, not a failure
        why = f"internal error while grading ({type(error).__name__}); tell your instructor"
        document = failure_document(f"**Your file could not be graded:** {why}.")
    _write_gradescope(document, results_file)
    click.echo(f"score {document['score']}; results written to {results_file}")
    if "tests" not in document:  # a failure document: the upload could not be graded
        sys.exit(1)


def _write_gradescope(document: dict[str, Any], results_file: Path) -> None:
    from grader.run.gradescope import write_results

    try:
        write_results(document, results_file)
    except OSError as error:
        folder = results_file.parent
        fail(OutputError(f"cannot write to {folder}: {error.strerror or error}"))
