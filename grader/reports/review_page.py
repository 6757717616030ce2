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
from typing import NamedTuple

from markupsafe import Markup

from grader.input.attachments import CHECKED_COPY
from grader.reports.common_mistakes import answer_text
from grader.reports.html_templates import html_template
from grader.reports.review_sections import section_texts
from grader.reports.stats import sorted_results
from grader.results import PartLike, ResultLike, awaits_person
from grader.sheets.assignment import Assignment, Part, RubricItem
from grader.sheets.expectations import Expectations
from grader.spreadsheet import plain_number, points_text

TEMPLATE_NAME = "review.html.j2"
FAST_TEMPLATE_NAME = "review_fast.html.j2"


class ReviewItem(NamedTuple):
    """One student's answer to one part, as the page shows it (a tuple: a class has tens of
    thousands)."""

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


def prepare() -> None:
    """Compile the page's templates now, not at first use (a batch does it while grading)."""
    html_template(FAST_TEMPLATE_NAME).environment.get_template(TEMPLATE_NAME)


def review_html(
    results: Sequence[ResultLike], exp: Expectations, *, as_loaded: Assignment | None = None
) -> str:
    """The review page for a class's results (graded files only); ``as_loaded`` is the sheet
    as written, in a run with variants (see :func:`review_groups`)."""
    return page_html(review_groups(results, exp, as_loaded=as_loaded), exp)


def page_html(groups: Sequence[ReviewGroup], exp: Expectations) -> str:
    """The review page of ``groups``: ``review.html.j2``, its parts' sections joined in Python
    (:mod:`grader.reports.review_sections`), byte for byte :func:`page_html_by_template`."""
    page = html_template(FAST_TEMPLATE_NAME).render(
        assignment=exp.assignment,
        groups=groups,
        open_total=sum(group.open_count for group in groups),
        sections=_SECTIONS,
    )
    # The page around the sections is small; the sections are joined into it in one go.
    head, found, tail = page.partition(_SECTIONS)
    assert found, "review_fast.html.j2 no longer places the sections"
    return "".join([head, *section_texts(groups), tail])


# Where the sections go. Markup: the template writes it as it is; every text in the page is
# escaped or JSON with "<" escaped, so no "<" of a text can start it.
_SECTIONS = Markup("<!-- the sections -->")


def page_html_by_template(groups: Sequence[ReviewGroup], exp: Expectations) -> str:
    """The review page of ``groups`` rendered by ``review.html.j2`` alone: the page's
    readable definition (tests hold :func:`page_html` equal to it)."""
    return html_template(TEMPLATE_NAME).render(
        assignment=exp.assignment,
        groups=groups,
        open_total=sum(group.open_count for group in groups),
    )


def review_groups(
    results: Sequence[ResultLike], exp: Expectations, *, as_loaded: Assignment | None = None
) -> tuple[ReviewGroup, ...]:
    """The parts with answers waiting for a person (or decided by one), in the sheet's order.

    When the results have variants, ``as_loaded`` (the sheet as written, its texts not filled
    in) tells which rubric items are written over the givens: those differ per variant, so a
    part is not headed with the numbers of ``exp`` (each item's note has its student's own).
    """
    varied = as_loaded is not None and any(r.variant is not None for r in results)
    by_part: dict[str, list[ReviewItem]] = {}
    # A class's results share their part objects (grader.reports.fast_writers): what an item
    # shows of its part is worked out once per part object (all are alive until we return).
    shown: dict[int, _PartShown] = {}
    for result in sorted_results(results):
        if result.status != "graded":
            continue
        who: tuple[str, str, str] | None = None
        for part in result.parts:
            if part.decision is None and not awaits_person(part):
                continue
            found = shown.get(id(part))
            if found is None:
                found = shown[id(part)] = _part_shown(part)
            if who is None:
                who = (result.student.id, result.student.name, _base_name(result.file))
            key = f"{who[0]}|{part.id}|{found[3]}"
            by_part.setdefault(part.id, []).append(ReviewItem._make((key, *who, *found)))
    return tuple(
        ReviewGroup(
            part_id=spec.id,
            title=spec.title,
            max_points=plain_number(spec.points),
            rubric=_rubric(spec, as_loaded.part(spec.id) if varied and as_loaded else None),
            # Open items first, so that the TA's work is at the top of each part.
            items=tuple(sorted(by_part[spec.id], key=lambda item: item.state == "decided")),
        )
        for spec in exp.assignment.parts
        if spec.id in by_part
    )


_PartShown = tuple[str, str | None, str, str, str, str]
"""What an item shows of its part: the fields of :class:`ReviewItem` from ``answer`` on."""


def _part_shown(part: PartLike) -> _PartShown:
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
    return (
        answer_text(part.submitted).removeprefix("image: "),
        _sketch(part.attachment),
        part.review or "",
        part.answer_id or "",
        state,
        decided,
    )


def _sketch(attachment: str | None) -> str | None:
    # Only our own checked copies are linked from the page (results may be read from disk).
    return attachment if attachment and CHECKED_COPY.fullmatch(attachment) else None


def _base_name(path: str | None) -> str:
    return re.split(r"[\\/]", path)[-1] if path else ""


def _rubric(spec: Part, as_written: Part | None = None) -> tuple[str, ...]:
    """The part's rubric items; with ``as_written`` (variants), only those that read the same
    filled in as written: the others hold numbers that are another variant's."""
    items = [item.item if isinstance(item, RubricItem) else item for item in spec.rubric]
    if as_written is None:
        return tuple(items)
    written = [item.item if isinstance(item, RubricItem) else item for item in as_written.rubric]
    return tuple(item for item, text in zip(items, written, strict=True) if item == text)
