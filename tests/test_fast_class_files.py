"""The class files written fast are byte for byte what their plain definitions make: the
gradebook (rows written from their first cells and each distinct number once) and the review
sheet (each part object's cells, and each distinct row of cells, written once) are ``to_csv``
of their rows as cells, over generated classes with hostile text, files that could not be
graded, parts out of the sheet's order, parts waiting for a person or decided (in force or
stale), shared part objects, equal parts that are distinct objects, and enrolled students
without a file."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.input.roster import Enrolled
from grader.reports.gradebook import (
    REVIEW_COLUMNS,
    gradebook_csv,
    gradebook_header,
    gradebook_rows,
    review_csv,
    review_rows,
)
from grader.results import PartDigest, ResultDigest, Status, StudentDigest, TaDecision
from grader.sheets.assignment import Assignment
from grader.sheets.library import load_assignment
from grader.spreadsheet import to_csv

ASSIGNMENT = load_assignment("roofline-1")
PART_IDS = ASSIGNMENT.part_ids

TEXT = st.sampled_from(["", "Ada", "=HYPERLINK(1)", 'a "b", c', "x\r\ny", "-1", "\u202eevil"])
TEXT |= st.text(max_size=8)
POINTS = st.sampled_from([0.0, -0.0, 1.0, 0.5, 1 / 3, 2.675, 1e-9, -1.25, 12.0, math.nan])


def parts_of(draw: st.DrawFn, shared: list[PartDigest]) -> tuple[PartDigest, ...]:
    """A file's parts: the sheet's, in its order (each a shared object or a new one), or
    now and then some of them in another order."""
    parts = []
    for index, part_id in enumerate(PART_IDS):
        if draw(st.booleans()):
            parts.append(shared[index])
        elif draw(st.booleans()):  # an equal part, another object
            parts.append(PartDigest(*shared[index]))
        else:
            parts.append(draw(part_digest(part_id)))
    if draw(st.integers(0, 9)) == 0:
        parts = draw(st.permutations(parts))[: draw(st.integers(0, len(parts)))]
    return tuple(parts)


def part_digest(part_id: str) -> st.SearchStrategy[PartDigest]:
    decision = st.builds(TaDecision, points=POINTS, comment=TEXT, by=TEXT, stale=st.booleans())
    return st.tuples(
        st.sampled_from(list(Status)),
        POINTS,
        st.sampled_from([0.0, 1.0, 2.0]),
        st.booleans(),
        st.none() | TEXT | st.lists(TEXT, max_size=2) | st.dictionaries(TEXT, TEXT, max_size=2),
        st.none() | TEXT,
        st.none() | decision,
        st.none() | st.sampled_from(["a1", "b2"]),
    ).map(
        lambda drawn: PartDigest(
            part_id,
            drawn[0],
            0.0,
            drawn[1],
            drawn[2],
            submitted=drawn[4],
            sent_to_review=drawn[3],
            review=drawn[5],
            decision=drawn[6],
            answer_id=drawn[7],
        )
    )


@st.composite
def classes(draw: st.DrawFn) -> tuple[list[ResultDigest], list[Enrolled], Assignment]:
    decimals = draw(st.integers(0, 4))
    assignment = ASSIGNMENT.model_copy(
        update={"grading": ASSIGNMENT.grading.model_copy(update={"score_decimals": decimals})}
    )
    shared = [draw(part_digest(part_id)) for part_id in PART_IDS]
    results = []
    for _ in range(draw(st.integers(0, 6))):
        graded = draw(st.integers(0, 4)) > 0
        results.append(
            ResultDigest(
                assignment.id,
                StudentDigest(draw(st.sampled_from(["s1", "S1", "s2", "zed"]) | TEXT), draw(TEXT)),
                "graded" if graded else "error",
                None if graded else draw(st.none() | TEXT),
                draw(POINTS),
                draw(st.sampled_from([26.0, 30.5])),
                # 0 with parts that wait (worth 0 points) too: the gradebook trusts the sum.
                draw(st.sampled_from([0.0, 0.0, 1.0, 2.5])),
                parts_of(draw, shared) if graded else (),
                draw(st.none() | TEXT),
                flags=tuple(draw(st.lists(TEXT, max_size=2))),
            )
        )
    missing = draw(st.lists(st.builds(Enrolled, id=TEXT, name=TEXT), max_size=3))
    return results, missing, assignment


@settings(max_examples=300, deadline=None)
@given(cls=classes())
def test_the_gradebook_is_its_rows_written_by_to_csv(
    cls: tuple[list[ResultDigest], list[Enrolled], Assignment],
) -> None:
    results, missing, assignment = cls
    plain = to_csv(gradebook_header(assignment), gradebook_rows(results, assignment, missing))
    assert gradebook_csv(results, assignment, missing) == plain


@settings(max_examples=300, deadline=None)
@given(cls=classes())
def test_the_review_sheet_is_its_rows_written_by_to_csv(
    cls: tuple[list[ResultDigest], list[Enrolled], Assignment],
) -> None:
    results, _missing, assignment = cls
    plain = to_csv(REVIEW_COLUMNS, review_rows(results, assignment))
    assert review_csv(results, assignment) == plain
