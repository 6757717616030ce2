"""Files whose wrong answers are another variant's right ones (a signal for a TA)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

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


def plain_borrowed_variants(results: list[ResultDigest]) -> dict[int, str]:
    """The rule of the module docstring, written plainly: every part's value keyed where it
    is used, no part classified ahead (what borrowed_variants must agree with)."""

    def key(value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return f"{value:.4g}" if math.isfinite(value) else None

    def first_hand_right(p: PartDigest) -> bool:
        return p.status is RIGHT and not p.carried_forward and key(p.value) is not None

    right: dict[tuple[str, str], set[str]] = {}
    for r in results:
        if r.status == "graded" and r.variant is not None:
            for p in r.parts:
                if first_hand_right(p):
                    right.setdefault((p.id, str(key(p.value))), set()).add(r.variant)
    notes = {}
    for index, r in enumerate(results):
        if r.status != "graded" or r.variant is None:
            continue
        own_right = sum(1 for p in r.parts if first_hand_right(p))
        fits: dict[str, list[str]] = {}
        for p in r.parts:
            if p.status in (Status.INCORRECT, Status.PARTIAL) and key(p.value) is not None:
                for other in right.get((p.id, str(key(p.value))), ()):
                    if other != r.variant:
                        fits.setdefault(other, []).append(p.id)
        if fits:
            best = max(sorted(fits), key=lambda v: len(fits[v]))
            count = len(fits[best])
            if count >= MIN_MATCHES and count >= 2 * own_right:
                notes[index] = (
                    f"possible copy: {count} answers ({', '.join(fits[best])}) are right for "
                    f"variant {best}, not for the student's own {r.variant} ({own_right} right); "
                    "graded against the own variant"
                )
    return notes


# Values that key alike or apart: 0.0 and -0.0 are equal but read "0" and "-0"; 1 and 1.0
# and True are equal but True is no number; nan and inf are none; a text is none.
VALUES = st.sampled_from([0.0, -0.0, 1, 1.0, True, 2.00001, 2.0, math.nan, math.inf, "2", None])
PART = st.builds(
    part,
    st.sampled_from(["q1", "q2", "q3", "q4"]),
    VALUES,
    st.sampled_from(list(Status)),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    shared=st.lists(PART, min_size=1, max_size=6),
    files=st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", None]),
            st.lists(st.integers(0, 5), max_size=6),
            st.lists(PART, max_size=3),
        ),
        max_size=12,
    ),
)
def test_agrees_with_the_rule_written_plainly(
    shared: list[PartDigest], files: list[tuple[str | None, list[int], list[PartDigest]]]
) -> None:
    # Most parts are objects shared between files (as a class's are), some are a file's own.
    results = [
        result(f"s{n}", "A", *(shared[i % len(shared)] for i in picks), *own)._replace(
            variant=variant
        )
        for n, (variant, picks, own) in enumerate(files)
    ]
    assert borrowed_variants(results) == plain_borrowed_variants(results)


def test_a_negative_zero_is_not_the_zero_another_variant_got_right() -> None:
    source = result("ann", "A", *(part(f"q{i}", 0.0, RIGHT) for i in range(1, 6)))
    signed = result("bob", "B", *(part(f"q{i}", -0.0, WRONG) for i in range(1, 6)))
    unsigned = result("cy", "B", *(part(f"q{i}", 0.0, WRONG) for i in range(1, 6)))
    assert list(borrowed_variants([source, signed, unsigned])) == [2]
