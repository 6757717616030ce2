"""The ``grader`` command group and what its commands share: the ``--assignment`` option
(declared once), ``NAME=VALUE`` options, and the one place a ``GraderError`` becomes a message
and an exit status.

Exit statuses, the same for every command and stated under each one's ``--help``
(:data:`EXIT_STATUS_HELP`): 0 done, 1 done but some answer file could not be graded or is not
valid, 2 a usage, sheet or decision error (nothing written), 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, TypeVar

import click

from grader import __version__
from grader.errors import GraderError, UsageError

DEFAULT_JOBS = min(os.cpu_count() or 1, 64)
"""Grading processes when --jobs is not given: one per core (at most --jobs' own maximum)."""

_F = TypeVar("_F", bound=Callable[..., object])

EXIT_STATUS_HELP = (
    "Exit status, the same for every grader command: 0 done; 1 done, but an answer file "
    "could not be graded or is not valid (the output says which and why); 2 a usage error (a "
    "wrong option, a path that does not exist), a sheet or a decision error: nothing written; "
    "130 interrupted (Ctrl-C)."
)
"""Under every command's ``--help`` (as its epilog), so that no command needs to repeat it."""


class _Commands(click.Group):
    """The command group: every command added to it states the exit-status rule in its help."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        cmd.epilog = f"{cmd.epilog}\n\n{EXIT_STATUS_HELP}" if cmd.epilog else EXIT_STATUS_HELP
        super().add_command(cmd, name)


def sheet_option(*, for_files: bool = False) -> Callable[[_F], _F]:
    """The ``-a/--assignment`` option: which sheet, by installed id or by path."""
    default = (
        "the sheet the file names, else the course's first"
        if for_files
        else "the course's first sheet; see `grader sheets`"
    )
    return click.option(
        "-a",
        "--assignment",
        default=None,
        metavar="SHEET",
        help=f"An installed sheet's id, or a sheet folder (its sheet.yaml). [default: {default}]",
    )


def seed_option() -> Callable[[_F], _F]:
    """``--seed``: the course seed students' variants are drawn with."""
    return click.option(
        "--seed",
        default=None,
        metavar="TEXT",
        help="The course seed of students' variants. [default: `seed:` in sheets/course.yaml; "
        "without one, nobody has a variant]",
    )


def pairs(option: str, items: Sequence[str]) -> dict[str, str]:
    """NAME=VALUE options into a mapping; a malformed one is a usage error."""
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"{option} expects NAME=VALUE, got {item!r}")
        found[name.strip()] = value.strip()
    return found


def fail(error: GraderError) -> NoReturn:
    """Print ``error`` as one ``grader: error:`` message and exit with its status."""
    click.echo(f"grader: error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="grader")
def main() -> None:
    """Grade answer files of performance-modeling exercise sheets (FLOPs, roofline...).

    \b
    Students:  grader sheet                     (the questions, with their givens)
               grader template > answers.yaml   (fill it in)
               grader validate answers.yaml     (format only)
               grader check answers.yaml        (graded, with feedback)
    TAs:       grader grade CLASS --out report/ (the whole class: reports, gradebook,
                                                 review sheet, summary; see its --help)
               grader decisions report/         (the TA decisions recorded so far)
    Authors:   grader sheets                    (the installed sheets)
               grader solve                     (the worked solution)
               grader selftest                  (check a sheet: answers, texts, variants)
               grader variants --roster FILE    (each student's variant, with --seed)
    Run `grader COMMAND --help` for the options of each command.
    """
