"""Commands about the installed sheets themselves: which there are (``sheets``), a sheet's
questions (``sheet``), its givens and conventions (``givens``), and the author's self-test
(``selftest``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

import click

from grader.cli.app import fail, main, pairs, seed_option, sheet_option
from grader.errors import GraderError, OutputError
from grader.run.selftest import DEFAULT_VARIANTS


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def sheets(as_json: bool) -> None:
    """List the installed sheets, in the course's order (the first is the default)."""
    from grader.reports.sheet_catalogue import catalogue_json, catalogue_table, installed_sheets

    entries = installed_sheets()
    if as_json:
        click.echo(json.dumps(catalogue_json(entries), indent=2))
    else:
        click.echo(catalogue_table(entries))


@main.command()
@click.argument("sheet_name", metavar="[SHEET]", required=False)
@sheet_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html"]),
    default="md",
    show_default=True,
    help="Markdown, or a standalone HTML page.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of printing.",
)
@click.option(
    "--student",
    default=None,
    metavar="ID",
    help="This student's sheet: their variant's givens, and its code under the title.",
)
@click.option(
    "--roster",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Every roster student's sheet, one file per student in --out-dir.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --roster: the folder of the students' sheets (ID.md or ID.html).",
)
@seed_option()
def sheet(
    sheet_name: str | None,
    assignment: str | None,
    fmt: str,
    output: Path | None,
    student: str | None,
    roster: Path | None,
    out_dir: Path | None,
    seed: str | None,
) -> None:
    """Print a sheet's questions with its givens filled in.

    SHEET is an installed sheet's id or a sheet folder (default: the course's first).
    With --student, the student's own variant of a sheet that declares variants (a course
    seed is needed: --seed, or `seed:` in sheets/course.yaml).

    \b
    grader sheet my_sheet/          (a sheet folder of your own)
    grader sheet --format html -o questions.html
    grader sheet llm-inference-1 --student s1234567 --seed perf-2026
    grader sheet llm-inference-1 --roster class.csv --out-dir sheets-out --format html
    """
    from grader.reports.question_sheet import questions_html, questions_markdown
    from grader.run.pipeline import default_assignment
    from grader.run.variant_outputs import roster_question_sheets, student_question_sheet
    from grader.sheets.solving import resolve_givens

    try:
        named = _one_sheet(sheet_name, assignment)
        _check_sheet_targets(student, roster, out_dir, output)
        if roster is not None and out_dir is not None:
            written = roster_question_sheets(named, roster, seed, out_dir, fmt)
            click.echo(f"{out_dir}: {len(written)} question sheets")
            return
        if student is not None:
            text = student_question_sheet(named, student, seed, fmt)
        else:
            spec = default_assignment(named)
            givens = resolve_givens(spec)
            text = (questions_html if fmt == "html" else questions_markdown)(spec, givens)
        if output is None:
            click.echo(text, nl=False)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise OutputError(f"cannot write {output}: {error.strerror}") from None
    except GraderError as error:
        fail(error)


def _check_sheet_targets(
    student: str | None, roster: Path | None, out_dir: Path | None, output: Path | None
) -> None:
    """``--roster`` goes with ``--out-dir`` (and neither with --student or -o)."""
    from grader.errors import UsageError

    if (roster is None) != (out_dir is None):
        raise UsageError("--roster and --out-dir go together (one file per roster student)")
    if roster is not None and (student is not None or output is not None):
        raise UsageError("--roster writes every student's sheet: not with --student or -o")


@main.command()
@sheet_option()
@click.option("--json", "as_json", is_flag=True, help="Print the givens and conventions as JSON.")
def givens(assignment: str | None, as_json: bool) -> None:
    """List a sheet's givens (value, unit, symbol) and the counting conventions: the names
    `grader solve --set` and `--convention` take."""
    from grader.reports.givens_view import givens_json, givens_table
    from grader.run.pipeline import default_assignment

    try:
        spec = default_assignment(assignment)
    except GraderError as error:
        fail(error)
        return
    if as_json:
        click.echo(json.dumps(givens_json(spec), indent=2))
    else:
        click.echo(givens_table(spec))


@main.command()
@click.argument("sheet_name", metavar="[SHEET]", required=False)
@sheet_option()
@click.option(
    "--set",
    "set_givens",
    multiple=True,
    metavar="NAME=VALUE",
    help="Test with a given changed, units allowed (names: `grader givens`). Repeatable. "
    "Changes the check of the sheet's own givens only, not its variants'.",
)
@click.option(
    "--variants",
    "variant_count",
    default=str(DEFAULT_VARIANTS),
    show_default=True,
    metavar="N|all",
    help="How many of a sheet's variants to check as well, spread evenly over its pool "
    "(0: none; all: every one).",
)
def selftest(
    sheet_name: str | None,
    assignment: str | None,
    set_givens: tuple[str, ...],
    variant_count: str,
) -> None:
    """Check a sheet as its author: texts, reference answers, alternatives.

    SHEET is an installed sheet's id or a sheet folder; without one, every installed sheet
    is checked. Every text must render for the givens, the reference answers must grade full
    marks, each alternative's value must be recognised as that alternative, and no two
    alternatives of a part may have the same value. A sheet that declares variants is
    checked the same way for a sample of its pool (the pool is the sheet's: no course seed
    is needed), a row per variant.

    Exit status: 0 every check passed, 1 a check failed (a variant's failures name its
    code), 2 a sheet that does not load.
    """
    from grader.reports.selftest_view import selftest_table
    from grader.run.selftest import selftest as run_selftest
    from grader.sheets.library import bundled_assignment_ids, load_assignment

    try:
        named = _one_sheet(sheet_name, assignment)
        overrides = pairs("--set", set_givens)
        count = _variant_count(variant_count)
        chosen = [named] if named is not None else bundled_assignment_ids()
        specs = [load_assignment(name) for name in chosen]  # every sheet loads, or exit 2
        tests = [run_selftest(spec, overrides, variants=count) for spec in specs]
    except GraderError as error:
        fail(error)
        return
    click.echo("\n\n".join(selftest_table(test) for test in tests))
    sys.exit(0 if all(test.passed for test in tests) else 1)


def _variant_count(text: str) -> int | Literal["all"]:
    """``--variants``: a number of variants (0 or more), or ``all``."""
    from grader.errors import UsageError

    if text.strip().lower() == "all":
        return "all"
    if text.strip().isdigit():
        return int(text)
    raise UsageError(f"--variants {text[:40]!r}: a number of variants (0 or more) or 'all'")


def _one_sheet(argument: str | None, option: str | None) -> str | None:
    """The sheet named by the argument or by ``--assignment`` (not both, unless the same)."""
    if argument and option and argument != option:
        from grader.errors import UsageError

        raise UsageError(f"two sheets named: {argument!r} and --assignment {option!r}")
    return argument or option
