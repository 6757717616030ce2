"""A student's feedback report, in Markdown and in HTML, built from a graded result.

Both formats share one view (``report_view``): what is shown per part depends on the
assignment's ``reveal`` setting (``none``: status and points only; ``feedback``: also the
feedback; ``answers``: also the expected values). Student text is hostile: the HTML goes through
Jinja2 with autoescape (never ``|safe`` on student data) and the Markdown escapes every
metacharacter and flattens newlines, so a name like ``Bob](javascript:x) | col`` stays text.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template
from markupsafe import Markup

from grader.assignment import Part
from grader.escaping import escape_markdown
from grader.expectations import Expectations
from grader.plots import has_roofline, roofline_svg
from grader.results import PartResult, Status, SubmissionResult
from reference.solution import format_number

STATUS_LABELS: dict[Status, str] = {
    Status.CORRECT: "correct",
    Status.PARTIAL: "partial credit",
    Status.INCORRECT: "incorrect",
    Status.INVALID: "unreadable",
    Status.MISSING: "missing",
    Status.NEEDS_REVIEW: "pending TA review",
}
TEMPLATE_NAME = "feedback.html.j2"


PROSE_LENGTH = 60  # longer answers are prose: shown in the text font, not as code


@dataclass(frozen=True)
class Shown:
    """A value to show: plain text, a list of items, or key/value pairs (exactly one is set)."""

    text: str | None = None
    items: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def prose(self) -> bool:
        """Whether the text reads as sentences rather than a number or a formula."""
        return self.text is not None and len(self.text) > PROSE_LENGTH

    def flat(self) -> str:
        """The value on one line (for Markdown table cells)."""
        if self.items:
            return "; ".join(self.items)
        if self.pairs:
            return "; ".join(f"{key}: {value}" for key, value in self.pairs)
        return self.text or ""


@dataclass(frozen=True)
class Row:
    """One part as the report shows it (feedback fields are None when ``reveal`` hides them)."""

    id: str
    title: str
    status: str
    status_label: str
    points: str
    max_points: str
    submitted: Shown
    line: int | None
    feedback: str | None
    mistake: str | None
    carried_forward: bool
    review: str | None
    expected: Shown | None
    ta_decision: str | None


@dataclass(frozen=True)
class Group:
    """The parts of one question (``q2``) and their subtotal."""

    name: str
    points: str
    max_points: str
    pending: str | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ReportView:
    """Everything a feedback report shows, already formatted (the templates only lay it out)."""

    assignment_id: str
    title: str
    student_name: str
    student_id: str
    file_name: str | None
    error: str | None
    score: str
    max_score: str
    pending: str | None
    earned_percent: float
    pending_percent: float
    counts: tuple[tuple[str, str, int], ...]  # (status, label, count)
    show_feedback: bool
    show_expected: bool
    groups: tuple[Group, ...]


# ---------------------------------------------------------------------------------- public API


def feedback_markdown(
    result: SubmissionResult,
    exp: Expectations,
    *,
    override_notes: Mapping[str, str] | None = None,
) -> str:
    """The feedback report as Markdown (GitHub/CommonMark tables), student text escaped.

    Args:
        result: the student's graded (or ungradable) file.
        exp: the assignment's expectations (titles, units, ``reveal``).
        override_notes: a TA's comment per part id, shown as "TA decision: ...".

    Returns:
        The report text, ending in a newline.
    """
    view = report_view(result, exp, override_notes=override_notes)
    lines = _markdown_header(view)
    if view.error is None:
        lines += _markdown_table(view)
    return "\n".join(lines) + "\n"


def feedback_html(
    result: SubmissionResult,
    exp: Expectations,
    *,
    override_notes: Mapping[str, str] | None = None,
) -> str:
    """The feedback report as one self-contained HTML page with the roofline plot inline.

    Args:
        result: the student's graded (or ungradable) file.
        exp: the assignment's expectations (titles, units, ``reveal``).
        override_notes: a TA's comment per part id, shown as "TA decision: ...".

    Returns:
        The HTML document (no external CSS, JS, fonts or images).
    """
    view = report_view(result, exp, override_notes=override_notes)
    # Safe to mark: roofline_svg escapes every text it draws, and it draws no student text.
    drawn = view.error is None and has_roofline(exp)
    plot = Markup(roofline_svg(exp, result)) if drawn else None
    return _template().render(view=view, plot=plot)


def prepare(exp: Expectations) -> None:
    """Build what every report shares (the template, the roofline drawn once) in this process.

    Called before the grading processes start: forked from this one, they begin with both
    instead of importing matplotlib and drawing the same plot once each.
    """
    _template()
    if has_roofline(exp):
        roofline_svg(exp)


@functools.cache
def _template() -> Template:
    """The compiled HTML template; the Environment is built once per process."""
    environment = Environment(
        loader=PackageLoader("grader", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template(TEMPLATE_NAME)


# ------------------------------------------------------------------------------------- view


def report_view(
    result: SubmissionResult,
    exp: Expectations,
    *,
    override_notes: Mapping[str, str] | None = None,
) -> ReportView:
    """The report's content, formatted, with what ``reveal`` hides left out."""
    assignment = exp.assignment
    reveal = assignment.reveal
    notes = override_notes or {}
    rows = [
        _row(part, _part_of(assignment.parts, part.id), exp, reveal, notes.get(part.id))
        for part in result.parts
    ]
    total = result.max_score or 1.0
    return ReportView(
        assignment_id=result.assignment,
        title=assignment.title,
        student_name=result.student.name,
        student_id=result.student.id,
        file_name=_base_name(result.file),
        error=(result.error or "unknown reason") if result.status == "error" else None,
        score=_points(result.score),
        max_score=_points(result.max_score),
        pending=_points(result.pending_review) if result.pending_review else None,
        earned_percent=round(100 * result.score / total, 1),
        pending_percent=round(100 * result.pending_review / total, 1),
        counts=_counts(result),
        show_feedback=reveal != "none",
        show_expected=reveal == "answers",
        groups=_groups(rows, result),
    )


def _part_of(parts: tuple[Part, ...], part_id: str) -> Part | None:
    return next((part for part in parts if part.id == part_id), None)


def _row(
    part: PartResult, spec: Part | None, exp: Expectations, reveal: str, note: str | None
) -> Row:
    feedback_shown = reveal != "none"
    mistake = part.mistake if part.mistake != "carried_forward" else None
    pending = part.status is Status.NEEDS_REVIEW
    return Row(
        id=part.id,
        title=spec.title if spec else "",
        status=part.status.value,
        status_label=STATUS_LABELS[part.status],
        points="pending" if pending else _points(part.points),
        max_points=_points(part.max_points),
        submitted=shown(part.submitted),
        line=part.line,
        feedback=part.feedback if feedback_shown and part.feedback else None,
        mistake=mistake if feedback_shown else None,
        carried_forward=part.carried_forward and feedback_shown,
        review=part.review if feedback_shown and pending else None,
        expected=_expected(part, spec, exp) if reveal == "answers" else None,
        ta_decision=note,
    )


def _groups(rows: list[Row], result: SubmissionResult) -> tuple[Group, ...]:
    """Rows grouped by question (``q2.b.scaling`` -> ``q2``) with each question's subtotal."""
    order: dict[str, list[int]] = {}
    for index, part in enumerate(result.parts):
        order.setdefault(part.id.split(".", 1)[0], []).append(index)
    groups = []
    for question, indexes in order.items():
        parts = [result.parts[i] for i in indexes]
        earned = sum(part.points for part in parts)
        possible = sum(part.max_points for part in parts)
        waiting = sum(p.max_points for p in parts if p.status is Status.NEEDS_REVIEW)
        number = question.removeprefix("q")
        groups.append(
            Group(
                name=f"Question {number}" if number.isdigit() else question,
                points=_points(earned),
                max_points=_points(possible),
                pending=_points(waiting) if waiting else None,
                rows=tuple(rows[i] for i in indexes),
            )
        )
    return tuple(groups)


def _counts(result: SubmissionResult) -> tuple[tuple[str, str, int], ...]:
    found = [part.status for part in result.parts]
    return tuple(
        (status.value, label, found.count(status))
        for status, label in STATUS_LABELS.items()
        if status in found
    )


def shown(value: Any) -> Shown:
    """A submitted (or expected) value made readable: lists as items, mappings as pairs."""
    if value is None:
        return Shown()
    if isinstance(value, Mapping):
        return Shown(pairs=tuple((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return Shown(items=tuple(_plain(item) for item in value))
    return Shown(text=_plain(value))


def _plain(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value)


def _expected(part: PartResult, spec: Part | None, exp: Expectations) -> Shown:
    """The reference value with the part's unit; a note for parts a person grades."""
    value = part.expected if part.expected is not None else exp.solution.answers.get(part.id)
    if value is None:
        return Shown(text="graded by a TA")
    unit = spec.unit if spec and spec.unit != "1" else ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Shown(text=f"{format_number(value)} {unit}".strip())
    return shown(value)


def _points(value: float) -> str:
    return format_number(round(value, 2))


def _base_name(path: str | None) -> str | None:
    # The shown name: a backslash in it starts an escape (\xff), not a Windows folder.
    return os.path.basename(path) if path else None


# --------------------------------------------------------------------------------- Markdown


def _markdown_header(view: ReportView) -> list[str]:
    title = escape_markdown(f"{view.title} ({view.assignment_id})")
    who = escape_markdown(view.student_name or view.student_id)
    if view.student_name:
        who += f" \\({escape_markdown(view.student_id)}\\)"
    lines = [f"# Feedback: {title}", "", f"**Student:** {who}", ""]
    if view.error is not None:
        file_note = f" \\({escape_markdown(view.file_name)}\\)" if view.file_name else ""
        lines += [
            f"> **Your file could not be graded{file_note}.**",
            ">",
            f"> Reason: {escape_markdown(view.error)}",
            ">",
            "> Fix it and check it with `grader validate`, then submit it again.",
        ]
        return lines
    score = f"**Score: {view.score} / {view.max_score} points**"
    if view.pending:
        score += f" \\(\\+{view.pending} points pending review by a TA\\)"
    return [*lines, score, ""]


def _markdown_table(view: ReportView) -> list[str]:
    headers = ["Part", "Your answer", "Result", "Points"]
    headers += ["Feedback"] if view.show_feedback else []
    headers += ["Expected"] if view.show_expected else []
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    for group in view.groups:
        for row in group.rows:
            cells = [
                f"{escape_markdown(row.id)} {escape_markdown(row.title)}",
                _markdown_answer(row),
                _markdown_result(row, view),
                f"{row.points} / {row.max_points}",
            ]
            if view.show_feedback:
                cells.append(_markdown_feedback(row))
            if view.show_expected and row.expected is not None:
                cells.append(escape_markdown(row.expected.flat()))
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def _markdown_answer(row: Row) -> str:
    text = row.submitted.flat()
    answer = escape_markdown(text) if text else "—"
    return f"{answer} \\(line {row.line}\\)" if row.line else answer


def _markdown_result(row: Row, view: ReportView) -> str:
    label = row.status_label if row.status == "correct" else f"**{row.status_label}**"
    if row.ta_decision and not view.show_feedback:
        label += f" — TA decision: {escape_markdown(row.ta_decision)}"
    return label


def _markdown_feedback(row: Row) -> str:
    parts = [escape_markdown(row.feedback)] if row.feedback else []
    if row.mistake:
        parts.append(f"\\[mistake: {escape_markdown(row.mistake)}\\]")
    if row.carried_forward:
        parts.append("\\[carried forward\\]")
    if row.review:
        parts.append(f"Review notes: {escape_markdown(row.review)}")
    if row.ta_decision:
        parts.append(f"**TA decision:** {escape_markdown(row.ta_decision)}")
    return " ".join(parts) or "—"
