"""Class statistics: hand-computed numbers, invariants, determinism."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.reports.common_mistakes import UNRECOGNISED, example_text
from grader.reports.stats import class_statistics, histogram_bin, pearson
from grader.results import PartResult, Status, Student, SubmissionResult
from grader.run.pipeline import expectations_for, grade_file
from grader.sheets.assignment import Assignment
from grader.spreadsheet import plain_number

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"

SMALL = Assignment.model_validate(
    {
        "id": "tiny-1",
        "title": "Tiny sheet",
        "solver": "none",
        "givens": {},
        "parts": [
            {"id": "q1.a", "title": "First", "kind": "count", "points": 2},
            {"id": "q1.b", "title": "Second", "kind": "count", "points": 3},
            {"id": "q2.a", "title": "Essay", "kind": "text", "points": 1},
        ],
    }
)


def part(
    part_id: str,
    credit: float,
    max_points: float,
    status: Status | None = None,
    **extra: object,
) -> PartResult:
    """A part result; the status follows from the credit unless given."""
    if status is None:
        status = (
            Status.CORRECT if credit == 1 else Status.PARTIAL if credit > 0 else Status.INCORRECT
        )
    return PartResult.model_validate(
        {
            "id": part_id,
            "status": status,
            "credit": credit,
            "points": credit * max_points,
            "max_points": max_points,
            **extra,
        }
    )


def result(
    student: str, parts: Sequence[PartResult], *, name: str = "", file: str | None = None
) -> SubmissionResult:
    """A graded result whose score and pending review follow from its parts."""
    return SubmissionResult(
        assignment="tiny-1",
        student=Student(id=student, name=name),
        status="graded",
        score=sum(p.points for p in parts),
        max_score=6,
        pending_review=sum(p.max_points for p in parts if p.status is Status.NEEDS_REVIEW),
        parts=tuple(parts),
        file=file or f"{student}.yaml",
    )


def error(student: str, reason: str = "line 1: not YAML") -> SubmissionResult:
    return SubmissionResult(
        assignment="tiny-1",
        student=Student(id=student),
        status="error",
        error=reason,
        max_score=6,
        file=f"{student}.yaml",
    )


def simple(student: str, a: float, b: float, essay: Status = Status.MISSING) -> SubmissionResult:
    """A tiny-sheet result with credits ``a`` and ``b`` and the essay part in ``essay``."""
    return result(
        student, [part("q1.a", a, 2), part("q1.b", b, 3), part("q2.a", 0.0, 1, status=essay)]
    )


# Hand-computed discrimination of q1.a: its credit x against the rest of the score y.
#   x = [1, 0.5, 0, 1]        mean 0.625, dx = [.375, -.125, -.625, .375], Sxx = 0.6875
#   y = q1.b points [3, 2, 1, 2]   mean 2,   dy = [1, 0, -1, 0],            Syy = 2
#   Sxy = .375 + 0 + .625 + 0 = 1     r = 1 / sqrt(0.6875 * 2) = 1 / sqrt(1.375) = 0.852803
HAND = [
    simple("s1", 1, 1),
    simple("s2", 0.5, 2 / 3),
    simple("s3", 0, 1 / 3),
    simple("s4", 1, 2 / 3),
]


def test_discrimination_matches_hand_computed_pearson() -> None:
    stats = class_statistics(HAND, SMALL)
    q1a, q1b, _ = stats.parts
    assert q1a.discrimination == pytest.approx(0.852803, abs=1e-6)
    # Symmetric here: q1.b's rest is q1.a's points, and scaling does not change r.
    assert q1b.discrimination == pytest.approx(0.852803, abs=1e-6)


@pytest.mark.parametrize(
    ("xs", "ys", "expected"),
    [
        ([1, 2, 3], [2, 4, 6], 1.0),
        ([1, 2, 3], [3, 2, 1], -1.0),
        ([1, 0, 1, 0], [1, 1, 0, 0], 0.0),
        ([1, 1, 1], [1, 2, 3], None),  # zero variance: everyone got it
        ([1, 2, 3], [5, 5, 5], None),
        ([1, 2], [1, 2], None),  # fewer than 3 students
        ([], [], None),
        ([0.1 + 0.2, 0.3, 0.3], [1, 2, 3], None),  # float noise is still a constant
    ],
)
def test_pearson_table(xs: list[float], ys: list[float], expected: float | None) -> None:
    value = pearson(xs, ys)
    if expected is None:
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=1e-12)


def test_discrimination_undefined_for_small_or_uniform_classes() -> None:
    two = class_statistics(HAND[:2], SMALL)
    assert all(p.discrimination is None for p in two.parts)
    everyone_right = class_statistics([simple(f"s{i}", 1, i / 4) for i in range(5)], SMALL)
    assert everyone_right.parts[0].discrimination is None


def test_score_moments_in_points_and_fractions() -> None:
    results = [simple("a", 0, 0), simple("b", 1, 0), simple("c", 1, 1), simple("d", 0.5, 1)]
    scores = class_statistics(results, SMALL).scores  # points 0, 2, 5, 4 of 6
    assert scores.points is not None and scores.fraction is not None
    assert scores.points.mean == pytest.approx(2.75)
    assert scores.points.median == pytest.approx(3.0)
    assert scores.points.std == pytest.approx(
        math.sqrt((2.75**2 + 0.75**2 + 2.25**2 + 1.25**2) / 4)
    )
    assert (scores.points.min, scores.points.max) == (0, 5)
    assert scores.fraction.mean == pytest.approx(2.75 / 6)
    assert scores.fraction.max == pytest.approx(5 / 6)


@pytest.mark.parametrize(
    ("fraction", "expected_bin"),
    [
        (0.0, 0),
        (0.0999, 0),
        (0.1, 1),
        (0.3, 3),
        (0.7, 7),
        (0.6999999999999, 7),
        (0.99, 9),
        (1.0, 9),
    ],
)
def test_histogram_bin_edges(fraction: float, expected_bin: int) -> None:
    assert histogram_bin(fraction) == expected_bin


@settings(max_examples=60, deadline=None)
@given(
    credits=st.lists(
        st.tuples(st.sampled_from([0, 0.25, 0.5, 1]), st.sampled_from([0, 1 / 3, 2 / 3, 1])),
        max_size=30,
    ),
    errors=st.integers(0, 3),
)
def test_histogram_counts_every_graded_file_once(
    credits: list[tuple[float, float]], errors: int
) -> None:
    results = [simple(f"s{i:03d}", a, b) for i, (a, b) in enumerate(credits)]
    results += [error(f"e{i}") for i in range(errors)]
    stats = class_statistics(results, SMALL)
    assert sum(b.count for b in stats.scores.histogram) == stats.graded == len(credits)
    assert len(stats.scores.histogram) == 10
    assert (stats.files, stats.errors) == (len(credits) + errors, errors)
    for p in stats.parts:
        assert sum(p.shares.values()) == pytest.approx(1.0 if credits else 0.0)


def test_counts_errors_and_review_queue_sorted_by_student() -> None:
    results = [
        simple("s3", 1, 1, essay=Status.NEEDS_REVIEW),
        error("s2", "line 4: mapping expected"),
        simple("s1", 0, 1, essay=Status.NEEDS_REVIEW),
        simple("s0", 0, 1),
    ]
    stats = class_statistics(results, SMALL)
    assert (stats.files, stats.graded, stats.errors) == (4, 3, 1)
    assert (stats.students_pending_review, stats.parts_pending_review) == (2, 1 + 1)
    assert [(i.student, i.parts, i.points) for i in stats.review_queue] == [
        ("s1", ("q2.a",), 1),
        ("s3", ("q2.a",), 1),
    ]
    assert [(e.student, e.error) for e in stats.error_files] == [("s2", "line 4: mapping expected")]
    essay = stats.parts[2]
    assert essay.shares[Status.NEEDS_REVIEW] == pytest.approx(2 / 3)
    assert essay.mean_credit == 0.0  # only s0's decided (missing) essay counts


def test_mistakes_counted_without_carried_forward_credit_and_first_example() -> None:
    long_answer = "2 × 56 × 56 × 3 × 3 × 32 " * 8
    parts_by_student: dict[str, dict[str, Any]] = {
        "s2": dict(mistake="macs_not_flops", submitted="56*56*9*32"),
        "s1": dict(mistake="macs_not_flops", submitted=long_answer),
        "s3": dict(mistake="macs_not_flops", carried_forward=True, submitted="x"),
        "s4": dict(carried_forward=True, mistake="carried_forward", submitted="y"),
        "s5": dict(submitted=["a", "b\nc"]),
        "s6": dict(submitted="wrong"),
    }
    results = [
        result(s, [part("q1.a", 0.5 if "mistake" in e else 0.0, 2, **e)])
        for s, e in parts_by_student.items()
    ]
    mistakes = class_statistics(results, SMALL).parts[0].mistakes
    assert [(m.label, m.count, m.example.student) for m in mistakes] == [
        ("incorrect (unrecognised)", 2, "s5"),
        ("macs_not_flops", 2, "s1"),  # s3 carried it forward: credit, not a mistake here
    ]
    assert mistakes[0].tag == UNRECOGNISED and mistakes[0].example.text == "a | b c"
    assert len(mistakes[1].example.text) <= 80 and mistakes[1].example.text.endswith("…")


@pytest.mark.parametrize(
    ("submitted", "text"),
    [
        (None, ""),
        ("  1.8\tMFLOP \n", "1.8 MFLOP"),
        (["one", "two"], "one | two"),
        ({"exp": "4096", "add": "4032"}, "exp: 4096 | add: 4032"),
        ("a\x1b[31mb\u202e", "a [31mb"),
        ("x" * 100, "x" * 79 + "…"),
    ],
)
def test_example_text(submitted: str | list[str] | dict[str, str] | None, text: str) -> None:
    assert example_text(submitted) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.5, "1.5"), (2.0, "2"), (0.25, "0.25"), (0.0, "0"), (26.0, "26"), (1 / 3, "0.333333"),
     (1806336.0, "1806336"), (1e-9, "0"), (0.375, "0.375")],
)  # fmt: skip
def test_plain_number(value: float, text: str) -> None:
    assert plain_number(value) == text


def graded_samples() -> list[SubmissionResult]:
    from grader.sheets.library import load_assignment

    exp = expectations_for(load_assignment("roofline-1"))
    paths = sorted(SUBMISSIONS.glob("*.y*ml")) + sorted(SUBMISSIONS.glob("*.json"))
    return [grade_file(p, exp).result for p in paths]


def test_statistics_of_the_samples_are_deterministic(assignment: Assignment) -> None:
    samples = graded_samples()
    shuffled = samples[:]
    random.Random(3).shuffle(shuffled)
    first = class_statistics(samples, assignment)
    assert first == class_statistics(shuffled, assignment)
    assert repr(first) == repr(class_statistics(list(reversed(samples)), assignment))
    assert first.graded == len(samples)
    macs = next(p for p in first.parts if p.id == "q1.b").mistakes
    assert any(m.tag == "macs_not_flops" and m.example.student == "s1000002" for m in macs)
    assert {i.student for i in first.review_queue} >= {"s1000001"}


@settings(max_examples=40, deadline=None)
@given(st.permutations([*HAND, simple("s5", 0.25, 1), error("s0"), simple("s1", 0, 0)]))
def test_any_order_gives_identical_statistics(results: list[SubmissionResult]) -> None:
    reference = class_statistics(sorted(results, key=lambda r: r.model_dump_json()), SMALL)
    assert repr(class_statistics(results, SMALL)) == repr(reference)


def test_no_results_at_all() -> None:
    stats = class_statistics([], SMALL)
    assert (stats.files, stats.graded, stats.scores.points, stats.scores.fraction) == (
        0,
        0,
        None,
        None,
    )
    assert all(p.mean_credit is None and p.discrimination is None for p in stats.parts)


# A pool of parts for q1.a, shared between results as a batch's digests share them.
_POOL = [
    part("q1.a", 1.0, 2),
    part("q1.a", 0.5, 2, mistake="macs_not_flops", submitted="56*56*9*32"),
    part("q1.a", 0.5, 2, mistake="macs_not_flops", submitted="other text"),
    part("q1.a", 0.0, 2, submitted="wrong"),
    part("q1.a", 0.0, 2, submitted="also wrong"),
    part("q1.a", 1.0, 2, carried_forward=True, mistake="carried_forward", submitted="cf"),
    part("q1.a", 0.0, 2, status=Status.NEEDS_REVIEW, submitted="?"),
]


@settings(max_examples=150, deadline=None)
@given(
    picks=st.lists(
        st.tuples(st.integers(0, len(_POOL) - 1), st.booleans(), st.sampled_from("abc")),
        min_size=1,
        max_size=30,
    )
)
def test_mistakes_and_review_queue_match_a_plain_count(
    picks: list[tuple[int, bool, str]],
) -> None:
    # Results share part objects (or hold equal copies); whatever the sharing, the counts,
    # first examples and review queue are those of a plain walk over the files in order.
    results = []
    for number, (index, copied, name) in enumerate(picks):
        shared = _POOL[index]
        q1a = shared.model_copy() if copied else shared
        parts = [q1a, part("q1.b", 1.0, 3), part("q2.a", 0.0, 1, status=Status.MISSING)]
        results.append(result(f"s{number:03d}", parts, name=name))
    stats = class_statistics(results, SMALL)
    counts: dict[str, int] = {}
    first: dict[str, str] = {}
    for r in results:  # already in (id, file) order
        p = r.parts[0]
        key = (
            None
            if p.carried_forward  # credit for an earlier error, not a mistake of this part
            else p.mistake
            if p.mistake
            else UNRECOGNISED
            if p.status is Status.INCORRECT
            else None
        )
        if key is not None:
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, r.student.id)
    expected = sorted(counts, key=lambda k: (-counts[k], k))
    got = stats.parts[0].mistakes
    assert [(m.tag, m.count, m.example.student) for m in got] == [
        (k, counts[k], first[k]) for k in expected
    ]
    waiting = [r for r in results if r.parts[0].status is Status.NEEDS_REVIEW]
    assert [(i.student, i.name, i.parts, i.points) for i in stats.review_queue] == [
        (r.student.id, r.student.name, ("q1.a",), 2.0) for r in waiting
    ]
