"""The TA's review page (``review.html``): every answer waiting for a person, one question at a
time across the class, with a points field, saved in the browser and exported as a decisions
file that ``grader grade --overrides`` reads.

A static, self-contained page (no server, nothing fetched): the items are in the HTML, the
script keeps what the TA enters in the browser's local storage (keyed by student, part and the
answer's fingerprint, so that a regenerated page finds its entries again and an entry never
lands on a changed answer), and "Export decisions" downloads a CSV. Sketches are shown from
the checked copies in ``sketches/`` (see :mod:`grader.sketches`). Staff only: it shows every
student's answers and the rubric.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Template

from grader.input.attachments import CHECKED_COPY
from grader.reports.common_mistakes import answer_text
from grader.reports.html_templates import html_template
from grader.reports.stats import sorted_results
from grader.results import PartLike, ResultLike, awaits_person
from grader.sheets.assignment import Part, RubricItem
from grader.sheets.expectations import Expectations
from grader.spreadsheet import plain_number, points_text

TEMPLATE_NAME = "review.html.j2"


@dataclass(frozen=True)
class ReviewItem:
    """One student's answer to one part, as the page shows it."""

    key: str  # student|part|answer id: where the browser keeps the TA's entry
    student: str
    name: str
    file: str
    answer: str
    sketch: str | None  # relative path of the checked image copy
    suggestion: str
    answer_id: str
    state: str  # open, stale (decided on an earlier answer), decided
    decided: str  # the decision in force or the stale one, as text ("" for none)


@dataclass(frozen=True)
class ReviewGroup:
    """One part of the sheet with every item of the class."""

    part_id: str
    title: str
    max_points: str
    rubric: tuple[str, ...]
    items: tuple[ReviewItem, ...]

    @property
    def max_points_text(self) -> str:
        """``1 point``, ``2 points``."""
        return points_text(float(self.max_points))

    @property
    def open_count(self) -> int:
        """Items still waiting for a decision."""
        return sum(1 for item in self.items if item.state != "decided")


def review_html(results: Sequence[ResultLike], exp: Expectations) -> str:
    """The review page for a class's results (graded files only)."""
    groups = review_groups(results, exp)
    return _template().render(
        assignment=exp.assignment,
        groups=groups,
        open_total=sum(group.open_count for group in groups),
    )


def review_groups(results: Sequence[ResultLike], exp: Expectations) -> tuple[ReviewGroup, ...]:
    """The parts with answers waiting for a person (or decided by one), in the sheet's order."""
    by_part: dict[str, list[ReviewItem]] = {}
    for result in sorted_results(results):
        if result.status != "graded":
            continue
        for part in result.parts:
            if part.decision is not None or awaits_person(part):
                by_part.setdefault(part.id, []).append(_item(result, part))
    return tuple(
        ReviewGroup(
            part_id=spec.id,
            title=spec.title,
            max_points=plain_number(spec.points),
            rubric=_rubric(spec),
            # Open items first, so that the TA's work is at the top of each part.
            items=tuple(sorted(by_part[spec.id], key=lambda item: item.state == "decided")),
        )
        for spec in exp.assignment.parts
        if spec.id in by_part
    )


def _item(result: ResultLike, part: PartLike) -> ReviewItem:
    decision = part.decision
    if decision is None:
        state, decided = "open", ""
    else:
        state = "stale" if decision.stale else "decided"
        decided = points_text(decision.points)
        if decision.comment:
            decided += f" ({decision.comment})"
        if decision.by:
            decided += f", by {decision.by}"
    answer_id = part.answer_id or ""
    return ReviewItem(
        key=f"{result.student.id}|{part.id}|{answer_id}",
        student=result.student.id,
        name=result.student.name,
        file=_base_name(result.file),
        answer=answer_text(part.submitted).removeprefix("image: "),
        sketch=_sketch(part.attachment),
        suggestion=part.review or "",
        answer_id=answer_id,
        state=state,
        decided=decided,
    )


def _sketch(attachment: str | None) -> str | None:
    # Only our own checked copies are linked from the page (results may be read from disk).
    return attachment if attachment and CHECKED_COPY.fullmatch(attachment) else None


def _base_name(path: str | None) -> str:
    return re.split(r"[\\/]", path)[-1] if path else ""


def _rubric(spec: Part) -> tuple[str, ...]:
    return tuple(item.item if isinstance(item, RubricItem) else item for item in spec.rubric)


def _template() -> Template:
    return html_template(TEMPLATE_NAME)
