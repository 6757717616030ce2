"""The review page's sections (one per part, one ``<article>`` per item), joined in Python.

``templates/review.html.j2`` is the page's readable definition; in a class of 10,000 files the
page holds some 40,000 items, and Jinja renders each one through about forty template
expressions, several times slower than joining the same pieces here. :func:`sections_html` is
byte for byte the text of that template's ``sections`` block (the whitespace that its
``trim_blocks`` and ``lstrip_blocks`` leave included), each text escaped as Jinja's autoescape
escapes it (:func:`escape`, :func:`markupsafe.escape`'s replacements for a ``str``);
``tests/test_review_sections.py`` holds the two equal over hostile items of every kind.

Items of a class share most of their text (the same answers, the same grader's notes): the
part of an item that depends only on that text is written once per distinct text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the types: review_page imports this module
    from grader.reports.review_page import ReviewGroup, ReviewItem


def section_texts(groups: Sequence[ReviewGroup]) -> list[str]:
    """The ``sections`` block of ``review.html.j2`` for ``groups``, in pieces to be joined
    (the page of a class is tens of megabytes: joined once, with the rest of the page)."""
    pieces: list[str] = []
    for group in groups:
        _section(group, pieces.append)
    return pieces


def escape(text: str) -> str:
    """``text`` as HTML text or attribute value: what :func:`markupsafe.escape` makes of a
    ``str`` (and so Jinja's autoescape), a third of its cost (no ``Markup`` object).

    >>> escape("<b>Tom & Jerry's</b>")
    '&lt;b&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;'
    """
    return (
        text.replace("&", "&amp;")  # first: the entities made below are not escaped again
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def _section(group: ReviewGroup, out: Callable[[str], None]) -> None:
    part = escape(group.part_id)
    max_points = escape(group.max_points)
    out(
        f'<section class="part" id="part-{part}" aria-labelledby="h-{part}">\n'
        f'  <h2 id="h-{part}">{part} · {escape(group.title)} <span class="state">'
        f"({escape(group.max_points_text)}; {group.open_count} open)</span></h2>\n"
    )
    if group.rubric:
        rubric = "".join([f"<li>{escape(item)}</li>" for item in group.rubric])
        out(f'  <ul class="rubric" aria-label="Rubric">{rubric}</ul>\n')
    # What follows data-state and what precedes the item's number: the same for every item of
    # the part in a state.
    item_tail = f'" data-max="{max_points}" data-state="'
    points_label = f'">Points (of {max_points})</label>\n        <input id="p-'
    points_input = (
        f'" class="points" type="number" min="0" max="{max_points}" step="any" '
        'inputmode="decimal">\n'
        "      </div>\n"
        '      <label for="c-'
    )
    bodies: dict[tuple[str, str], str] = {}
    states: dict[tuple[str, str], str] = {}
    for index, item in enumerate(group.items, start=1):
        number = f"{part}-{index}"
        student = escape(item.student)
        if item.sketch:
            body = _sketch_body(item, student, part)
        else:
            body = bodies.get((item.answer, item.suggestion), "")
            if not body:
                body = bodies[item.answer, item.suggestion] = _text_body(item)
        state = states.get((item.state, item.decided), "")
        if not state:
            state = states[item.state, item.decided] = _state_line(item)
        out(
            f'  <article class="item" data-key="{escape(item.key)}" data-student="{student}" '
            f'data-part="{part}"\n'
            f'           data-answer-id="{escape(item.answer_id)}{item_tail}'
            f'{escape(item.state)}">\n'
            "    <div>\n"
            f'      <h3 class="who">{student}{_who(item)}</h3>\n'
            f"{body}"
            "    </div>\n"
            '    <div class="fields">\n'
            f"{state}"
            '      <div class="row">\n'
            f'        <label for="p-{number}{points_label}{number}{points_input}{number}'
            '">Comment for the student</label>\n'
            f'      <textarea id="c-{number}" class="comment" rows="2"></textarea>\n'
            '      <p class="problem" hidden></p>\n'
            "    </div>\n"
            "  </article>\n"
        )
    out("</section>\n")


def _who(item: ReviewItem) -> str:
    """What follows the student id in an item's heading: the name and the file, if any."""
    name = f" · {escape(item.name)}" if item.name else ""
    file = f' <span class="file">({escape(item.file)})</span>' if item.file else ""
    return name + file


def _sketch_body(item: ReviewItem, student: str, part: str) -> str:
    sketch = escape(item.sketch or "")
    submitted = (
        f'<p class="suggestion">Submitted as {escape(item.answer)}</p>' if item.answer else ""
    )
    return (
        f'      <p class="sketch"><a href="{sketch}"><img src="{sketch}" '
        f'alt="Sketch submitted by {student} for {part}" loading="lazy"></a></p>\n'
        f"{submitted}{_note(item)}"
    )


def _text_body(item: ReviewItem) -> str:
    if item.answer:
        shown = f'      <div class="answer">{escape(item.answer)}</div>\n'
    else:
        shown = '      <p class="empty">No text.</p>\n'
    return shown + _note(item)


def _note(item: ReviewItem) -> str:
    if not item.suggestion:
        return ""
    return f'<p class="suggestion"><strong>Grader\'s note:</strong> {escape(item.suggestion)}</p>'


def _state_line(item: ReviewItem) -> str:
    if item.state == "decided":
        return f'      <p class="state decided">Decided: {escape(item.decided)}</p>\n'
    if item.state == "stale":
        return (
            f'      <p class="state stale">Changed since the decision: {escape(item.decided)} '
            "was given for an earlier answer</p>\n"
        )
    return '      <p class="state open">Open</p>\n'
