"""The review page written with its sections joined in Python (grader.reports.review_sections)
is byte for byte the page ``review.html.j2`` renders alone: over generated items with hostile
text in every field and in every state, and over a class graded from the samples, with TA
decisions in force and stale."""

from __future__ import annotations

from pathlib import Path

import markupsafe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading.decisions import Decision, apply_decisions
from grader.reports.review_page import (
    ReviewGroup,
    ReviewItem,
    page_html,
    page_html_by_template,
    review_groups,
    review_html,
)
from grader.reports.review_sections import escape
from grader.results import SubmissionResult, awaits_person
from grader.run.pipeline import grade_file
from grader.sheets.expectations import Expectations

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"

# What HTML, Jinja and the page's layout could trip over: markup, quotes, entities, template
# syntax, line breaks and blanks (the template strips some whitespace around its tags), and
# text that is already an entity (escaped again, never passed through).
HOSTILE = [
    "",
    " ",
    "<img src=x onerror=alert(1)>",
    "\" onmouseover='x'",
    "&amp; &lt;",
    "{{ 7*7 }} {% if %}",
    "a\nb\r\n  c",
    "\n",
    "\t ",
    "Émilie du Châtelet · 名前",
    "\u202eevil",
    "</article></section><script>",
]
TEXT = st.sampled_from(HOSTILE) | st.text(max_size=12)
STATE = st.sampled_from(["open", "stale", "decided"]) | st.text(max_size=6)
POINTS = st.sampled_from(["1", "2", "0.5", "0", "12.25"])

ITEM = st.builds(
    ReviewItem,
    key=TEXT,
    student=TEXT,
    name=TEXT,
    file=TEXT,
    answer=TEXT,
    sketch=st.none() | st.sampled_from(["sketches/s1-q3.a.png", "sketches/x&y\"'<.png"]),
    suggestion=TEXT,
    answer_id=TEXT,
    state=STATE,
    decided=TEXT,
)
GROUP = st.builds(
    ReviewGroup,
    part_id=TEXT,
    title=TEXT,
    max_points=POINTS,
    rubric=st.lists(TEXT, max_size=3).map(tuple),
    # Items repeated: the fast writer writes the text that items share once.
    items=st.lists(ITEM, max_size=4).map(lambda items: tuple(items + items[:2])),
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(groups=st.lists(GROUP, max_size=3).map(tuple))
def test_generated_items_make_the_page_the_template_makes(
    groups: tuple[ReviewGroup, ...], expectations: Expectations
) -> None:
    assert page_html(groups, expectations) == page_html_by_template(groups, expectations)


def test_a_class_with_decisions_makes_the_page_the_template_makes(
    expectations: Expectations,
) -> None:
    results = [grade_file(path, expectations).result for path in sorted(SAMPLES.iterdir())]
    results = [result for result in results if result.status == "graded"]
    decided = _decided(results)
    groups = review_groups(decided, expectations)
    states = {item.state for group in groups for item in group.items}
    assert states == {"open", "stale", "decided"}  # every branch of the item is written
    assert any(item.sketch for group in groups for item in group.items)
    page = review_html(decided, expectations)
    assert page == page_html_by_template(groups, expectations)
    assert page.count('<article class="item"') == sum(len(group.items) for group in groups)


def test_no_items_make_the_page_the_template_makes(expectations: Expectations) -> None:
    page = page_html((), expectations)
    assert page == page_html_by_template((), expectations)
    assert "Nothing is waiting for a person." in page


@settings(max_examples=500)
@given(text=st.text() | st.sampled_from(HOSTILE) | st.text(alphabet="&<>'\"a;#"))
def test_escape_is_what_markupsafe_makes_of_a_string(text: str) -> None:
    assert escape(text) == str(markupsafe.escape(text))


def test_items_are_the_same_whether_results_share_their_parts_or_not(
    expectations: Expectations,
) -> None:
    # The page works out what an item shows of its part once per part object: results that
    # share parts (as a class's do) and copies that share none give the same items.
    results = _decided(
        [grade_file(path, expectations).result for path in sorted(SAMPLES.iterdir())]
    )
    shared = [*results, *(r.model_copy(update={"file": f"again/{r.file}"}) for r in results)]
    unshared = [r.model_copy(deep=True) for r in shared]
    assert not {id(p) for r in unshared for p in r.parts} & {id(p) for r in shared for p in r.parts}
    groups = review_groups(shared, expectations)
    assert groups == review_groups(unshared, expectations)
    assert len({item.file for group in groups for item in group.items}) > 1
    for group in groups:
        for item in group.items:
            assert item.key == f"{item.student}|{group.part_id}|{item.answer_id}"


def _decided(results: list[SubmissionResult]) -> list[SubmissionResult]:
    """The results with a decision on each one's first waiting part: on its answer (decided)
    for half of them, on another answer (stale) for the others."""
    out = []
    for number, result in enumerate(results):
        waiting = [p for p in result.parts if p.answer_id and awaits_person(p)]
        if not waiting:
            out.append(result)
            continue
        part = waiting[0]
        answer = (part.answer_id or "") if number % 2 else "0000000000000000"
        decision = Decision(
            result.student.id, part.id, 1.0, None, 'fine <b>"ok"</b>', by="ta & co", answer=answer
        )
        out.append(apply_decisions(result, {part.id: decision}))
    return out
