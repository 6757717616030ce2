"""A student's feedback report, in Markdown and in HTML, built from a graded result.

Both formats share one view (``report_view``), made from what :func:`grader.reveal.student_view`
lets the student see at the assignment's ``reveal`` level (``none``: status and points only;
``feedback``: also the explanations and a plot without answers; ``answers``: also the expected
values, worked solutions and the whole plot). Student text is hostile: the HTML goes through
Jinja2 with autoescape (never ``|safe`` on student data) and the Markdown escapes every
metacharacter and flattens newlines, so a name like ``Bob](javascript:x) | col`` stays text.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Template
from markupsafe import Markup

from grader.escaping import escape_markdown
from grader.input.attachments import MEDIA_TYPES, Attachment, image_kind
from grader.reports.html_templates import html_template
from grader.reports.plot_text import plot_text
from grader.reports.plots import has_roofline, roofline_svg
from grader.reports.reveal import PLOT, PartView, StudentView, student_view
from grader.results import Status, SubmissionResult, readings_text
from grader.sheets.assignment import Part, RevealLevel
from grader.sheets.expectations import Expectations
from grader.sheets.solving import given_text
from grader.sheets.variants import varied_givens
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
    solution: tuple[str, str] | None  # (formula, worked out)
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
    plot_caption: str | None
    level_note: str
    variant: str | None = None  # "V0C8 (attention.seq_len = 64, ...)": the student's numbers
    notes: tuple[str, ...] = ()  # what of the file no part holds, with lines


# ---------------------------------------------------------------------------------- public API


def feedback_markdown(result: SubmissionResult, exp: Expectations) -> str:
    """The feedback report as Markdown (GitHub/CommonMark tables), student text escaped.

    Args:
        result: the student's graded (or ungradable) file, with any TA decisions in it.
        exp: the assignment's expectations (titles, units, ``reveal``).

    Returns:
        The report text, ending in a newline.
    """
    view = report_view(student_view(result, exp), exp, file=result.file)
    lines = _markdown_header(view)
    if view.error is None:
        lines += _markdown_table(view)
    return "\n".join(lines) + "\n"


def feedback_html(
    result: SubmissionResult,
    exp: Expectations,
    sketches: Mapping[str, Attachment] | None = None,
) -> str:
    """The feedback report as one self-contained HTML page with the roofline plot inline.

    Args:
        result: the student's graded (or ungradable) file, with any TA decisions in it.
        exp: the assignment's expectations (titles, units, ``reveal``).
        sketches: the student's own sketches by part id, checked images (see
            :func:`grader.run.sketches.own_sketches`): shown as thumbnails, next to the plot
            where the reveal level shows it. They are the student's own answers, which every
            level shows.

    Returns:
        The HTML document (no external CSS, JS, fonts or images: sketches are embedded).
    """
    shown = student_view(result, exp)
    view = report_view(shown, exp, file=result.file)
    plot = plot_data = None
    if shown.plot != "hidden" and has_roofline(exp):
        answers = shown.plot == "answers"
        # Safe to mark: roofline_svg escapes every text it draws, and it draws no student text.
        plot = Markup(roofline_svg(exp, shown, answers=answers))
        plot_data = plot_text(exp, shown, answers=answers)
    own = sketch_views(shown, sketches or {}) if shown.status == "graded" else ()
    return _template().render(
        view=view, plot=plot, plot_data=plot_data, sketches=own, notes_heading=NOTES_HEADING
    )


MAX_EMBEDDED_SKETCH = 4 * 1024 * 1024
"""A sketch larger than this is named, not embedded (the report stays a few MB at most)."""


@dataclass(frozen=True)
class SketchView:
    """A student's own sketch in their report: the part, and the image as a ``data:`` URI
    (None when too large to embed, with ``note`` saying so)."""

    part_id: str
    title: str
    source: str | None
    note: str | None


def sketch_views(shown: StudentView, sketches: Mapping[str, Attachment]) -> tuple[SketchView, ...]:
    """The sketches of the parts the view shows, in the sheet's order; only checked images."""
    views = []
    for part in shown.parts:
        sketch = sketches.get(part.id)
        if sketch is None or sketch.kind not in MEDIA_TYPES or sketch.data is None:
            continue
        if image_kind(sketch.data) != sketch.kind:  # checked by content, again: never trusted
            continue
        if len(sketch.data) > MAX_EMBEDDED_SKETCH:
            size = f"{len(sketch.data) / (1024 * 1024):.1f} MiB"
            note = f"Your sketch ({size}) is too large to show here; your TA sees it."
            views.append(SketchView(part.id, part.title, None, note))
            continue
        encoded = base64.b64encode(sketch.data).decode("ascii")
        source = f"data:{MEDIA_TYPES[sketch.kind]};base64,{encoded}"
        views.append(SketchView(part.id, part.title, source, None))
    return tuple(views)


def prepare(exp: Expectations, level: RevealLevel | None = None) -> None:
    """Build what every report shares (the template, the roofline drawn once) in this process.

    Called before the grading processes start: forked from this one, they begin with both
    instead of building each once.
    """
    _template()
    mode = PLOT[level or exp.assignment.reveal]
    if mode != "hidden" and has_roofline(exp):
        roofline_svg(exp, answers=mode == "answers")


def _template() -> Template:
    return html_template(TEMPLATE_NAME)


# ------------------------------------------------------------------------------------- view


def report_view(shown: StudentView, exp: Expectations, *, file: str | None = None) -> ReportView:
    """The report's content, formatted: only what the student's view holds (and the name of
    the student's ``file``)."""
    assignment = exp.assignment
    rows = [_row(part, _part_of(assignment.parts, part.id)) for part in shown.parts]
    total = shown.max_score or 1.0
    return ReportView(
        assignment_id=shown.assignment,
        title=assignment.title,
        student_name=shown.student.name,
        student_id=shown.student.id,
        file_name=_base_name(file),
        error=(shown.error or "unknown reason") if shown.status == "error" else None,
        score=_points(shown.score),
        max_score=_points(shown.max_score),
        pending=_pending(shown.pending_review) if shown.pending_review else None,
        earned_percent=round(100 * shown.score / total, 1),
        pending_percent=round(100 * shown.pending_review / total, 1),
        counts=_counts(shown),
        show_feedback=shown.shows_feedback,
        show_expected=shown.shows_answers,
        groups=_groups(rows, shown),
        plot_caption=PLOT_CAPTIONS.get(shown.plot),
        level_note=LEVEL_NOTES[shown.reveal],
        variant=_variant_line(shown.variant, exp),
        notes=shown.notes,
    )


def _variant_line(code: str | None, exp: Expectations) -> str | None:
    """The student's variant and the givens it sets, as their question sheet shows them."""
    if code is None:
        return None
    assignment = exp.assignment
    names = [name for name in varied_givens(assignment) if name in exp.givens]
    shown = ", ".join(f"{name} = {given_text(assignment, exp.givens, name)}" for name in names)
    return f"{code} ({shown})" if shown else code


PLOT_CAPTIONS = {
    "answers": "Filled markers are your arithmetic intensities, hollow ones the reference, each "
    "placed on every roofline; dashed lines mark your own turning points. Left of a device's "
    "ridge an operation is memory-bound on that device, right of it compute-bound.",
    "givens": "The rooflines are drawn from the devices' bandwidths and peaks. Filled markers "
    "are your arithmetic intensities, placed on every roofline; dashed lines mark your own "
    "turning points.",
}
"""What the plot shows, under it (the plot mode of the student's view picks one)."""

NOTES_HEADING = "Notes on your file (not part of any answer below):"
"""Heads the file's notes: what was read of the file but not as any part's answer."""

LEVEL_NOTES: dict[str, str] = {
    "none": "This report shows the status and points of each part; feedback on the answers is "
    "not released for this assignment.",
    "feedback": "Feedback explains what was recognised in your answers; expected values are not "
    "released for this assignment.",
    "answers": "Expected values are shown with the worked solution of each part.",
}
"""What the reveal level of the report releases, said under the table."""


def _part_of(parts: tuple[Part, ...], part_id: str) -> Part | None:
    return next((part for part in parts if part.id == part_id), None)


def _row(part: PartView, spec: Part | None) -> Row:
    pending = part.status is Status.NEEDS_REVIEW or part.sent_to_review
    label = STATUS_LABELS[part.status]
    if part.sent_to_review:
        label += ", pending TA review"
    return Row(
        id=part.id,
        title=part.title,
        status=part.status.value,
        status_label=label,
        points="pending" if pending else _points(part.points),
        max_points=_points(part.max_points),
        submitted=shown(part.submitted),
        line=part.line,
        feedback=part.feedback or None,
        mistake=part.mistake if part.mistake != "carried_forward" else None,
        carried_forward=bool(part.carried_forward),
        review=_review(part) if pending else None,
        expected=_expected(part, spec) if part.solution is not None else None,
        solution=_solution(part),
        ta_decision=part.ta_note,
    )


def _review(part: PartView) -> str | None:
    """What the grader suggests to the TA, as the student sees it: for an unreadable answer its
    possible readings (the feedback already says why it could not be read); otherwise the
    rubric notes, which the view holds only at the ``answers`` level."""
    if part.sent_to_review:
        return readings_text(part.readings, part.max_points) or None
    return part.review


def _solution(part: PartView) -> tuple[str, str] | None:
    """(formula, worked out); counts by type are shown as pairs already, so only the formula."""
    if part.solution is None:
        return None
    worked = "" if isinstance(part.expected, dict) else part.solution.worked
    return part.solution.formula, worked


def _groups(rows: list[Row], result: StudentView) -> tuple[Group, ...]:
    """Rows grouped by question (``q2.b.scaling`` -> ``q2``) with each question's subtotal."""
    order: dict[str, list[int]] = {}
    for index, part in enumerate(result.parts):
        order.setdefault(part.id.split(".", 1)[0], []).append(index)
    groups = []
    for question, indexes in order.items():
        parts = [result.parts[i] for i in indexes]
        earned = sum(part.points for part in parts)
        possible = sum(part.max_points for part in parts)
        waiting = sum(
            p.max_points for p in parts if p.status is Status.NEEDS_REVIEW or p.sent_to_review
        )
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


def _counts(result: StudentView) -> tuple[tuple[str, str, int], ...]:
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


def _expected(part: PartView, spec: Part | None) -> Shown:
    """The reference value as the part's answer kind shows it (a number with the part's unit, a
    note for parts a person grades)."""
    value = part.expected
    if spec is None:  # not a part of the sheet (never from the grader): shown as it is
        return Shown(text="graded by a TA") if value is None else shown(value)
    text = spec.answer_kind.cell(value, spec)  # the part's kind says how
    return Shown(text=text) if text is not None else shown(value)


def _points(value: float) -> str:
    return format_number(round(value, 2))


def _pending(value: float) -> str:
    """``1 point`` or ``2.5 points``: what waits for a TA, in words."""
    shown = _points(value)
    return f"{shown} point{'' if shown == '1' else 's'}"


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
    if view.variant:
        lines += [f"Graded against your variant {escape_markdown(view.variant)}.", ""]
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
        score += f" \\(\\+{view.pending} pending review by a TA\\)"
    lines += [score, ""]
    if view.notes:
        lines += [NOTES_HEADING, "", *(f"- {escape_markdown(note)}" for note in view.notes), ""]
    return lines


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
            if view.show_expected:
                cells.append(_markdown_expected(row))
            lines.append("| " + " | ".join(cells) + " |")
    return [*lines, "", escape_markdown(view.level_note)]


def _markdown_expected(row: Row) -> str:
    if row.expected is None:
        return "—"
    cell = escape_markdown(row.expected.flat())
    if row.solution is not None:
        formula, worked = row.solution
        cell += f" — {escape_markdown(formula)}"
        cell += f" → {escape_markdown(worked)}" if worked else ""
    return cell


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
