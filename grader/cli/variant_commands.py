"""The command about variants (``grader variants``) and the ``--seed`` option the commands
that meet variants share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from grader.cli.app import fail, main, seed_option
from grader.errors import GraderError, OutputError

_F = TypeVar("_F", bound=Callable[..., object])


@main.command()
@click.argument("sheet", required=False, metavar="[SHEET]")
@click.option(
    "--roster",
    required=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="The class list (CSV; Canvas and Moodle exports work as they are).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the CSV to this file. [default: print it]",
)
@seed_option()
def variants(sheet: str | None, roster: Path, out: Path | None, seed: str | None) -> None:
    """List every roster student's variant of SHEET: code and givens, as a CSV for the TAs.

    SHEET is an installed sheet's id or a sheet folder [default: the course's first].
    """
    from grader.run.atomic import write_text_atomic
    from grader.run.variant_outputs import roster_variants

    try:
        text = roster_variants(sheet, roster, seed)
    except GraderError as error:
        fail(error)
    if out is None:
        click.echo(text.removeprefix("\ufeff"), nl=False)
        return
    try:
        write_text_atomic(out, text)
    except OSError as error:
        fail(OutputError(f"-o {out}: cannot write: {error.strerror or error}"))
    click.echo(f"{out}: {text.count(chr(10)) - 1} students")
