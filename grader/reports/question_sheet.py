"""A sheet's questions for one set of givens, as Markdown or as a standalone HTML page: what a
student reads instead of the course's PDF (``grader sheet``).

The questions (``questions.md`` of the sheet's folder) are written with placeholders over the
givens (``**C = {conv.channels}**``); they are filled in from the givens passed in, so that the
same text serves any set of givens (a ``--set``, a student's variant). A placeholder may read
only givens and symbols, never a part's value: the questions must not hold an answer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

from jinja2 import Template
from markupsafe import Markup

from grader.answers.unit_boundary import split_number_unit
from grader.errors import AnswerFormatError, AssignmentError
from grader.reports.html_templates import html_template
from grader.sheets.assignment import Assignment
from grader.sheets.formulas import FormulaError
from grader.sheets.placeholders import render
from grader.sheets.solvers import formula_values
from grader.sheets.solving import GivenValue, given_text

TEMPLATE_NAME = "questions.html.j2"


@dataclass(frozen=True)
class VariantBanner:
    """Whose variant a question sheet shows, printed under its title.

    Attributes:
        code: the variant's code (``V11X``).
        student: the student's id (a valid id, see ``valid_student_id``).
    """

    code: str
    student: str

    @property
    def instruction(self) -> str:
        """What the student does with the code."""
        return f'write `variant: "{self.code}"` in your answer file'


@dataclass(frozen=True)
class GivenRow:
    """One given as the sheet's table shows it."""

    name: str
    symbol: str
    value: str
    unit: str


def questions_text(assignment: Assignment, givens: Mapping[str, GivenValue]) -> str:
    """The sheet's questions (Markdown) with every placeholder filled in from ``givens``.

    Raises:
        AssignmentError: the sheet has no questions file, or a placeholder in it names
            something that is not a given or symbol (or cannot be evaluated).
    """
    if assignment.folder is None:
        raise AssignmentError(f"sheet {assignment.id}: built in memory, it has no questions")
    path = assignment.folder / assignment.questions
    try:
        template = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise AssignmentError(f"cannot read the questions {path}: {reason}") from None
    values = formula_values(assignment, givens)

    def shown(name: str) -> str | None:
        return given_text(assignment, givens, name) if name in givens else None

    try:
        return render(template, values, shown)
    except FormulaError as error:
        raise AssignmentError(f"{path}: {error} (questions may name givens and symbols)") from None


def given_rows(assignment: Assignment, givens: Mapping[str, GivenValue]) -> list[GivenRow]:
    """The givens in the sheet's order: name, symbol, and value and unit as the sheet writes
    them (``800`` and ``GB/s``; no unit for a plain number or a choice)."""
    rows = []
    for name, spec in assignment.givens.items():
        text = given_text(assignment, givens, name)
        value, unit = text, ""
        if spec.choices:
            value = f"{text} (one of {', '.join(spec.choices)})"
        elif spec.unit:
            with contextlib.suppress(AnswerFormatError):  # else shown whole, as written
                value, unit = split_number_unit(text)
        rows.append(GivenRow(name, spec.symbol or "", value, unit))
    return rows


def questions_markdown(
    assignment: Assignment,
    givens: Mapping[str, GivenValue],
    banner: VariantBanner | None = None,
) -> str:
    """The question sheet as Markdown: the questions (with the student's variant code under
    the title, when ``banner`` is given), then a table of the givens.

    Raises:
        AssignmentError: see :func:`questions_text`.
    """
    body = questions_text(assignment, givens).rstrip("\n")
    if banner is not None:
        body = _under_title(body, _banner_markdown(banner))
    lines = [
        body,
        "",
        "## Givens",
        "",
        "| Given | Symbol | Value | Unit |",
        "| --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{row.name}` | {_cell(row.symbol)} | {_cell(row.value)} | {_cell(row.unit)} |"
        for row in given_rows(assignment, givens)
    ]
    return "\n".join(lines) + "\n"


def questions_html(
    assignment: Assignment,
    givens: Mapping[str, GivenValue],
    banner: VariantBanner | None = None,
) -> str:
    """The question sheet as one standalone HTML page (no external CSS, JS or fonts), in the
    look of the feedback reports; the student's variant code in a box at the top when
    ``banner`` is given.

    Raises:
        AssignmentError: see :func:`questions_text`.
    """
    from markdown_it import MarkdownIt

    # Raw HTML in the questions is shown as text, not passed through: the page is ours.
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    text = questions_text(assignment, givens)
    rendered = parser.render(text)
    titled = text.lstrip().startswith("# ")  # the questions' own heading is the page's
    # The banner goes under the title: after the questions' own heading, when they have one
    # (markdown-it writes it first, closed by the first ``</h1>``; raw HTML is off).
    head, rest = "", rendered
    if titled and "</h1>" in rendered:
        end = rendered.index("</h1>") + len("</h1>")
        head, rest = rendered[:end], rendered[end:]
    return _template().render(
        assignment=assignment,
        head=Markup(head),
        body=Markup(rest),
        titled=titled,
        givens=given_rows(assignment, givens),
        banner=banner,
    )


def _banner_markdown(banner: VariantBanner) -> str:
    return (
        f"> **Variant {banner.code}** for student {banner.student} \u2014 {banner.instruction}. "
        "Your numbers are your own: other students have other variants."
    )


def _under_title(body: str, paragraph: str) -> str:
    """``paragraph`` after the questions' leading ``# `` title (at the top without one)."""
    first, _, rest = body.lstrip("\n").partition("\n")
    if first.startswith("# "):
        return f"{first}\n\n{paragraph}\n\n{rest.lstrip(chr(10))}"
    return f"{paragraph}\n\n{body}"


def _cell(text: str) -> str:
    """A Markdown table cell: a pipe would end it early."""
    return text.replace("|", "\\|")


def _template() -> Template:
    return html_template(TEMPLATE_NAME)
