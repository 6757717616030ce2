"""The statistics read off a class's columns equal those of a plain walk file by file.

The columns (grader.reports.class_columns) ask each question once per distinct part object;
the plain functions walk every part of every file. Random classes whose results share part
objects (as a batch's digests do), hold equal copies, or both, must give the same numbers,
in the same order, from both.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.reports.class_columns import class_columns
from grader.reports.shared_answers import shared_answers_of, shared_rare_answers
from grader.reports.stats import _queue, _waiting_flags, review_queue
from grader.reports.variant_stats import _Sums, variant_statistics, variant_statistics_of
from grader.results import PartDigest, ResultDigest, Status, StudentDigest

PART_IDS = ("q1", "q2", "q3")
VARIANTS = ("v1", "v2", "v3")
GIVENS = {"v1": {"n": "64", "m": "1 GB"}, "v2": {"n": "128", "m": "1 GB"}, "v3": {"n": "64"}}


@st.composite
def parts(draw: st.DrawFn, part_id: str) -> PartDigest:
    """A part of any status, with values and answers from small sets so that they repeat."""
    status = draw(st.sampled_from(list(Status)))
    credit = draw(st.sampled_from([0.0, 0.25, 1 / 3, 0.5, 1.0]))
    max_points = draw(st.sampled_from([1.0, 2.0, 0.0, -0.0]))
    return PartDigest(
        id=part_id,
        status=status,
        credit=credit,
        points=credit * max_points,
        max_points=max_points,
        submitted=draw(st.sampled_from(["12", " 12 ", "twelve", "Twelve", ["a", "b"], None])),
        value=draw(st.sampled_from([12.0, 12.00001, 13.0, float("nan"), None, True])),
        carried_forward=draw(st.booleans()),
        # Only an unreadable answer is sent to a TA (grader.grading.unreadable).
        sent_to_review=status is Status.INVALID and draw(st.booleans()),
    )


@st.composite
def classes(draw: st.DrawFn) -> list[ResultDigest]:
    """Results sorted by student id and file, whose parts come from a small pool of objects
    per part (shared) or are copies of them (equal, not the same object)."""
    pools = {p: draw(st.lists(parts(p), min_size=1, max_size=4)) for p in PART_IDS}
    size = draw(st.integers(0, 40))
    results = []
    for number in range(size):
        chosen = []
        for part_id in PART_IDS:
            shared = draw(st.sampled_from(pools[part_id]))
            chosen.append(shared._replace() if draw(st.booleans()) else shared)
        held = tuple(chosen)
        results.append(
            ResultDigest(
                "demo",
                StudentDigest(f"s{number // 2:03d}", draw(st.sampled_from(["", "Ann"]))),
                "graded",
                None,
                sum(p.points for p in held),
                draw(st.sampled_from([3.0, 0.0])),
                0.0,
                held,
                f"f{number % 2}.yaml",
                variant=draw(st.sampled_from([*VARIANTS, None, "unknown"])),
            )
        )
    return results


@settings(max_examples=200, deadline=None)
@given(classes())
def test_columns_give_the_plain_walks_numbers(results: list[ResultDigest]) -> None:
    table = class_columns(results, PART_IDS)
    assert table is not None
    assert shared_answers_of(table) == shared_rare_answers(results)
    assert _queue(table) == review_queue(results)
    for column, flags in zip(table.columns, table.waiting, strict=True):
        assert flags == _waiting_flags(column)
    by_variant = variant_statistics_of(table, GIVENS.get, ("n", "m"))
    assert repr(by_variant) == repr(variant_statistics(results, GIVENS.get, ("n", "m")))


def test_results_without_the_sheets_parts_in_order_have_no_columns() -> None:
    first = PartDigest("q1", Status.CORRECT, 1.0, 1.0, 1.0)
    second = PartDigest("q2", Status.CORRECT, 1.0, 1.0, 1.0)

    def result(*held: PartDigest) -> ResultDigest:
        return ResultDigest("demo", StudentDigest("s"), "graded", None, 1.0, 2.0, 0.0, held, None)

    assert class_columns([result(first, second)], ("q1", "q2")) is not None
    assert class_columns([result(second, first)], ("q1", "q2")) is None
    assert class_columns([result(first)], ("q1", "q2")) is None


def _wrong(part_id: str, value: float) -> PartDigest:
    return PartDigest(part_id, Status.INCORRECT, 0.0, 0.0, 1.0, submitted=str(value), value=value)


def _right(part_id: str) -> PartDigest:
    return PartDigest(part_id, Status.CORRECT, 1.0, 1.0, 1.0, value=1.0)


def _file(student: str, file: str, *held: PartDigest, variant: str | None = None) -> ResultDigest:
    return ResultDigest(
        "demo", StudentDigest(student), "graded", None, 1.0, 3.0, 0.0, held, file, variant=variant
    )


def test_pairs_of_the_same_students_keep_the_order_a_walk_meets_them() -> None:
    # Two files each for ann and bob. The pair of their f0 files shares rare answers on q2
    # and q3, the pair of their f1 files on q1 and q2: both pairs are (ann, bob) with two
    # parts, so the order the walk met them decides. File by file, f0's q2 comes first
    # (before f1's q1, which a walk column by column would meet first).
    results = [
        _file("ann", "f0", _right("q1"), _wrong("q2", 7.0), _wrong("q3", 8.0)),
        _file("ann", "f1", _wrong("q1", 5.0), _wrong("q2", 6.0), _right("q3")),
        _file("bob", "f0", _right("q1"), _wrong("q2", 7.0), _wrong("q3", 8.0)),
        _file("bob", "f1", _wrong("q1", 5.0), _wrong("q2", 6.0), _right("q3")),
    ]
    table = class_columns(results, PART_IDS)
    assert table is not None
    pairs = shared_answers_of(table)
    assert [[p.part for p in pair.parts] for pair in pairs] == [["q2", "q3"], ["q1", "q2"]]
    assert pairs == shared_rare_answers(results)


def test_a_variants_parts_come_in_the_order_files_first_credit_them() -> None:
    # v1's first file waits for a person on q1: a walk meets q2's credit first, then q1's
    # (from the second file). The class's mean credits come in that order.
    waits = PartDigest("q1", Status.NEEDS_REVIEW, 0.0, 0.0, 1.0)
    results = [
        _file("ann", "f", waits, _right("q2"), _right("q3"), variant="v1"),
        _file("bob", "f", _right("q1"), _right("q2"), _right("q3"), variant="v1"),
    ]
    table = class_columns(results, PART_IDS)
    assert table is not None
    sums = _Sums.of_columns(table, [0, 1])
    assert list(sums.credits) == ["q2", "q3", "q1"]
    plain = _Sums()
    for result in results:
        plain.add(result)
    assert sums.credits == plain.credits
