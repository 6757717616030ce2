"""Commands about a sheet: its worked solution, the answer template and the answer files' schema."""

from __future__ import annotations

import json

import click

from grader.cli.app import fail, main, pairs, seed_option, sheet_option
from grader.errors import GraderError, UsageError
from grader.run.pipeline import default_assignment


@main.command()
@sheet_option()
@click.option(
    "--json", "as_json", is_flag=True, help="Print the answers as JSON (each given with its unit)."
)
@click.option(
    "--set",
    "set_givens",
    multiple=True,
    metavar="NAME=VALUE",
    help='Override a given, units allowed: --set NAME="900 GB/s" (see `grader givens`). '
    "Repeatable.",
)
@click.option(
    "--convention",
    "set_conventions",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a counting convention: --convention qkv_byte_model=fused. Repeatable.",
)
def solve(
    assignment: str | None,
    as_json: bool,
    set_givens: tuple[str, ...],
    set_conventions: tuple[str, ...],
) -> None:
    """Print the worked solution: per part the formula, the numbers and the result.

    The names --set and --convention take, with their values: `grader givens -a SHEET`.
    """
    from grader.reports.givens_view import NO_SOLVER
    from grader.reports.solution_view import solution_json, solution_table
    from grader.sheets.solving import parse_conventions, resolve_givens, solve_assignment

    try:
        spec = default_assignment(assignment)
        if set_conventions and spec.solver is None:
            raise UsageError(f"--convention: sheet {spec.id} takes no conventions ({NO_SOLVER})")
        givens = resolve_givens(spec, pairs("--set", set_givens))
        conventions = parse_conventions(pairs("--convention", set_conventions))
        solution = solve_assignment(spec, givens, conventions)
    except GraderError as error:
        fail(error)
        return
    if as_json:
        document = solution_json(solution, spec.givens)
        click.echo(json.dumps(document, indent=2, allow_nan=False))
        return
    click.echo(f"{spec.title} ({spec.id})\n")
    click.echo(solution_table(solution))


@main.command()
@sheet_option()
@click.option(
    "--schema-url", default=None, help="Schema location for the yaml-language-server line."
)
@click.option(
    "--student",
    default=None,
    metavar="ID",
    help="Fill in this student's id, and their variant code when the sheet has variants.",
)
@seed_option()
def template(
    assignment: str | None, schema_url: str | None, student: str | None, seed: str | None
) -> None:
    """Print a commented answer file to fill in: grader template > answers.yaml"""
    from grader.reports.template import answer_template
    from grader.run.variant_outputs import student_answer_file

    try:
        if student is not None:
            text = student_answer_file(assignment, student, seed, schema_url=schema_url)
        else:
            text = answer_template(default_assignment(assignment), schema_url=schema_url)
    except GraderError as error:
        fail(error)
    click.echo(text, nl=False)


@main.command()
@sheet_option()
def schema(assignment: str | None) -> None:
    """Print the JSON Schema of answer files (editors use it to check as you type)."""
    from grader.reports.template import answer_schema

    try:
        click.echo(json.dumps(answer_schema(default_assignment(assignment)), indent=2))
    except GraderError as error:
        fail(error)
