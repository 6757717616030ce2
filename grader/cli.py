"""The command line: the only module that reads argv, prints and sets exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from grader import __version__
from grader.assignment import Assignment
from grader.errors import AssignmentError, GraderError, UsageError
from grader.pipeline import default_assignment

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


def _fail(error: GraderError) -> None:
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
    from grader.assignment import load_assignment
    from grader.solution_view import solution_json, solution_table
    from grader.solving import parse_conventions, resolve_givens, solve_assignment

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

    Exit status 0 whenever a result is printed (also for a file that could not be graded:
    the result says why).
    """
    from grader.check_view import result_table
    from grader.pipeline import expectations_for, grade_file

    try:
        spec = _assignment_for(file, assignment)
        graded = grade_file(file, expectations_for(spec))
    except GraderError as error:
        _fail(error)
        return
    if as_json:
        click.echo(graded.result.model_dump_json(indent=2, exclude={"file"}))
    else:
        click.echo(result_table(graded.result, graded.submission))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-a", "--assignment", default=None, help=ASSIGNMENT_HELP + " [default: the file's]")
def validate(files: tuple[Path, ...], assignment: str | None) -> None:
    """Check the format of answer files (never whether an answer is right).

    Reports unreadable files, unknown parts, answers that cannot be read and unanswered parts,
    with line numbers. Exit status 1 if any file is invalid.
    """
    from grader.check_view import validation_report
    from grader.pipeline import answer_files, expectations_for, grade_file

    all_valid = True
    try:
        paths = answer_files(list(files))
        cache: dict[str, object] = {}
        for path in paths:
            spec = _assignment_for(path, assignment)
            exp = cache.setdefault(spec.id, expectations_for(spec))
            graded = grade_file(path, exp)  # type: ignore[arg-type]
            valid, report = validation_report(graded.result, graded.submission)
            all_valid &= valid
            click.echo(report)
    except GraderError as error:
        _fail(error)
        return
    if not paths:
        _fail(UsageError("no answer files (.yaml, .yml, .json) found"))
    sys.exit(0 if all_valid else 1)


@main.command()
@click.option("-a", "--assignment", default="roofline-1", show_default=True, help=ASSIGNMENT_HELP)
@click.option(
    "--schema-url", default=None, help="Schema location for the yaml-language-server line."
)
def template(assignment: str, schema_url: str | None) -> None:
    """Print a commented answer file to fill in: grader template > answers.yaml"""
    from grader.assignment import load_assignment
    from grader.template import answer_template

    try:
        click.echo(answer_template(load_assignment(assignment), schema_url=schema_url), nl=False)
    except GraderError as error:
        _fail(error)


@main.command()
@click.option("-a", "--assignment", default="roofline-1", show_default=True, help=ASSIGNMENT_HELP)
def schema(assignment: str) -> None:
    """Print the JSON Schema of answer files (editors use it to check as you type)."""
    from grader.assignment import load_assignment
    from grader.template import answer_schema

    try:
        click.echo(json.dumps(answer_schema(load_assignment(assignment)), indent=2))
    except GraderError as error:
        _fail(error)


def _assignment_for(path: Path, chosen: str | None) -> Assignment:
    """The assignment to grade a file against: the option's, else the file's, else the default.

    A file naming an assignment that is not installed is graded against the default one, where
    it ends as an error result naming the mismatch (so a batch never stops for it).
    """
    if chosen:
        return default_assignment(chosen)
    declared = _declared_assignment(path)
    if declared:
        try:
            return default_assignment(declared)
        except AssignmentError:
            pass
    return default_assignment(None)


def _declared_assignment(path: Path) -> str | None:
    """The assignment an answer file names, read cheaply; None when it names none."""
    from grader.loading import load_answer_file

    tree = load_answer_file(path).tree
    if tree is None or not isinstance(tree.value, dict):
        return None
    node = tree.value.get("assignment")
    return node.value.strip() or None if node is not None and isinstance(node.value, str) else None
