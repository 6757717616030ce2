"""Files whose wrong answers are another variant's right ones (a signal for a TA)."""

from __future__ import annotations

from grader.reports.borrowed_variants import MIN_MATCHES, borrowed_variants
from grader.results import PartDigest, ResultDigest, Status, StudentDigest

RIGHT, WRONG = Status.CORRECT, Status.INCORRECT


def part(part_id: str, value: float, status: Status, carried: bool = False) -> PartDigest:
    return PartDigest(part_id, status, 0.0, 0.0, 1.0, value=value, carried_forward=carried)


def result(student: str, variant: str, *parts: PartDigest) -> ResultDigest:
    return ResultDigest(
        "demo", StudentDigest(student), "graded", None, 0.0, 5.0, 0.0, parts, None,
        variant=variant,
    )  # fmt: skip


# Variant A's right answers are 10, 20, 30, 40, 50 (q1..q5); variant B's are 11, 21, ...
SOURCE = result("ann", "A", *(part(f"q{i}", 10.0 * i, RIGHT) for i in range(1, 6)))


def test_wrong_answers_that_are_another_variants_right_ones_are_flagged() -> None:
    copied = result("bob", "B", *(part(f"q{i}", 10.0 * i, WRONG) for i in range(1, 4)))
    notes = borrowed_variants([SOURCE, copied])
    assert list(notes) == [1]
    assert "3 answers (q1, q2, q3) are right for variant A" in notes[1]
    assert "own B (0 right)" in notes[1]


def test_fewer_matches_than_the_minimum_are_not_a_signal() -> None:
    few = result("bob", "B", *(part(f"q{i}", 10.0 * i, WRONG) for i in range(1, MIN_MATCHES)))
    assert borrowed_variants([SOURCE, few]) == {}


def test_a_file_mostly_right_for_its_own_variant_is_not_flagged() -> None:
    # Three right for B (11, 21, 31 are B's), then four of A's values: 4 < 2 x 3.
    own = [part(f"q{i}", 10.0 * i + 1, RIGHT) for i in range(1, 4)]
    borrowed = [part(f"q{i}", 10.0 * i, WRONG) for i in range(4, 6)]
    borrowed += [part("q6", 60.0, WRONG), part("q7", 70.0, WRONG)]
    source = result("ann", "A", *(part(f"q{i}", 10.0 * i, RIGHT) for i in range(1, 8)))
    assert borrowed_variants([source, result("bob", "B", *own, *borrowed)]) == {}


def test_only_what_the_class_got_right_first_hand_counts_as_right() -> None:
    carried = result("ann", "A", *(part(f"q{i}", 10.0 * i, RIGHT, True) for i in range(1, 6)))
    copied = result("bob", "B", *(part(f"q{i}", 10.0 * i, WRONG) for i in range(1, 6)))
    assert borrowed_variants([carried, copied]) == {}


def test_the_same_variant_is_never_a_signal() -> None:
    twin = result("bob", "A", *(part(f"q{i}", 10.0 * i, WRONG) for i in range(1, 6)))
    assert borrowed_variants([SOURCE, twin]) == {}
