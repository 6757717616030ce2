"""Notation a careful TA reads (issue 10, section 1), graded end to end: each rule with what it
still refuses side by side, and the message then given.

Expected values come from the sheet by hand: 2·64·64·128 = 1,048,576 score FLOPs, 64·65/2 =
2,080 causal scores, 200e12 / 800e9 = 250 FLOP/byte, 20e12 / 6000e9 = 3.33, 16 FLOP/byte for
the projections (2·64·128·128 FLOP over (64·128 + 128·128 + 64·128)·4 bytes).
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from grader.results import Status
from tests.conftest import GradeAnswers

# (id, answers, part, status, credit, words the feedback must hold)
READ = [
    # a remark after the value
    (
        "remark in parentheses",
        {"q2.b.scaling": "4096 (one multiply per score)"},
        "q2.b.scaling",
        Status.CORRECT,
        1.0,
        "remark after the value was not graded",
    ),
    (
        "remark after the unit in parentheses",
        {"q3.a": "250 FLOP/byte (peak / bandwidth)"},
        "q3.a",
        Status.CORRECT,
        1.0,
        "remark",
    ),
    (
        "remark after a dash",
        {"q4.a": "3.3 FLOP/B - the PIM ridge"},
        "q4.a",
        Status.CORRECT,
        1.0,
        "remark",
    ),
    (
        "approximately, and a remark with %",
        {"q5.qkv.intensity": "~16 (about 6% of the ridge)"},
        "q5.qkv.intensity",
        Status.CORRECT,
        1.0,
        "remark",
    ),
    (
        "words after the unit",
        {"q5.qkv.bytes": "131072 B per projection"},
        "q5.qkv.bytes",
        Status.CORRECT,
        1.0,
        "remark",
    ),
    (
        "remark after a semicolon",
        {"q2.d.full_scores": "4096; one per pair of tokens"},
        "q2.d.full_scores",
        Status.CORRECT,
        1.0,
        "remark",
    ),
    (
        "remark after working and result",
        {"q2.c": "exp: 64·64 (one per score), add: 4032, div: 4096"},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "arithmetic in parentheses is arithmetic",
        {"q2.d.full_scores": "2 × (32 × 64) "},
        "q2.d.full_scores",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "a result and its working in parentheses",
        {"q2.d.full_scores": "4096 (= 64·64)"},
        "q2.d.full_scores",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    # implicit multiplication
    (
        "2 L^2 d",
        {"q2.b.attention_scores": "2 L^2 d"},
        "q2.b.attention_scores",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "L(L+1)/2",
        {"q2.d.causal_scores": "L(L+1)/2"},
        "q2.d.causal_scores",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "2(L·d)·d",
        {"q2.b.output_projection": "2(L·d)·d"},
        "q2.b.output_projection",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "3 · 2Ld²",
        {"q2.b.qkv_projections": "3 · 2Ld²"},
        "q2.b.qkv_projections",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    ("4 d^2", {"q2.a": "4 d^2"}, "q2.a", Status.CORRECT, 1.0, "Right."),
    ("a run of symbols", {"q1.b": "2 HW K^2 C"}, "q1.b", Status.CORRECT, 1.0, "Right."),
    (
        "implicit product with a slip",
        {"q2.a": "4 d^2 = 65530"},
        "q2.a",
        Status.PARTIAL,
        0.75,
        "arithmetic slip",
    ),
    (
        "an arrow from working to result",
        {"q1.b": "56*56*9*32 MACs = 903,168 MACs -> 1,806,336 FLOPs"},
        "q1.b",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "operations counted on a FLOP count",
        {"q2.b.scaling": "L^2 = 4096 multiplications"},
        "q2.b.scaling",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "working that does not read, a result that is wrong",
        {"q3.a": "200T / 800G = 25"},
        "q3.a",
        Status.PARTIAL,
        0.25,
        "Your working before '=' could not be read; the result after it is graded.",
    ),
    # digit grouping
    ("one comma group on a count", {"q2.a": "65,536"}, "q2.a", Status.CORRECT, 1.0, "Right."),
    (
        "one comma group on a byte total",
        {"q5.conv.bytes": "803,968"},
        "q5.conv.bytes",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    ("German thousands", {"q1.b": "1.806.336"}, "q1.b", Status.CORRECT, 1.0, "Right."),
    (
        "a dot group on a count",
        {"q2.a": "65.536"},
        "q2.a",
        Status.CORRECT,
        1.0,
        "dot as thousands separator",
    ),
    (
        "unsettled: both readings, the one a TA picks",
        {"q4.a": "3,333"},
        "q4.a",
        Status.CORRECT,
        1.0,
        "'3,333' can be 3333 or 3.333 and your file does not settle which",
    ),
    (
        "settled by the file's decimal commas",
        {"q4.a": "3,333", "q5.conv.intensity": "2,25"},
        "q4.a",
        Status.CORRECT,
        1.0,
        "Read '3,333' as 3.333, as your file writes commas",
    ),
    # 3333 is 3.333 with the wrong power of ten: that mistake's credit
    (
        "settled by the file's thousands commas",
        {"q4.a": "3,333", "q1.b": "1,806,336"},
        "q4.a",
        Status.PARTIAL,
        0.25,
        "Read '3,333' as 3333",
    ),
    (
        "settled by the student's own expression",
        {"q4.a": "20e12/6000e9 = 3,333"},
        "q4.a",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    # FLOPS for a count; a unit of the inverse dimension
    (
        "FLOPS on a count",
        {"q1.b": "1.8 MFLOPS"},
        "q1.b",
        Status.CORRECT,
        1.0,
        "FLOPS means FLOP per second",
    ),
    (
        "FLOPS per byte",
        {"q3.a": "250 FLOPS/byte"},
        "q3.a",
        Status.CORRECT,
        1.0,
        "FLOPS means FLOP per second",
    ),
    (
        "byte per FLOP",
        {"q3.a": "0.004 byte/FLOP"},
        "q3.a",
        Status.PARTIAL,
        0.5,
        "You gave 0.004 byte/FLOP, the inverse of FLOP/byte; turned around it is 250 FLOP/byte",
    ),
    (
        "byte per kFLOP",
        {"q5.qkv.intensity": "62.5 B/kFLOP"},
        "q5.qkv.intensity",
        Status.PARTIAL,
        0.5,
        "turned around it is 16 FLOP/byte",
    ),
    # a growth class inside a sentence
    (
        "a class in a sentence",
        {"q2.d.causal_complexity": "also O(L^2), about half as many"},
        "q2.d.causal_complexity",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "a word class in a sentence",
        {"q2.d.full_complexity": "quadratic - every pair of tokens"},
        "q2.d.full_complexity",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "'constant factor' names no class",
        {"q2.d.causal_complexity": "O(L^2) (the constant factor 1/2 does not matter)"},
        "q2.d.causal_complexity",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "the same class twice",
        {"q2.d.causal_complexity": "L(L+1)/2, so O(L²) like the full mask"},
        "q2.d.causal_complexity",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    # operation counts on one line
    (
        "counts after the numbers",
        {"q2.c": "4096 exp, 4032 add, 4096 div"},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "counts with =",
        {"q2.c": "exp=4096; add=4032; div=4096"},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "counts as one text",
        {"q2.c": "exp: 4096, add: 4032, div: 4096"},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "counts with aliases and grouping",
        {"q2.c": "4,096 exponentials and 4,032 sums; 4096 divisions"},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "counts as a list",
        {"q2.c": ["exp: 4096", "add: 4096", "div: 4096"]},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    # the template's optional fields left empty
    (
        "optional counts left empty",
        {"q2.c": {"exp": "4096", "add": "4032", "div": "4096", "max": "", "sub": ""}},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    (
        "optional counts written as null",
        {"q2.c": {"exp": "4096", "add": "4032", "div": "4096", "max": "~", "sub": "-"}},
        "q2.c",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    # a number word is a multiplier, as for a TA (6.29 million rounds 6,291,456)
    (
        "a number word",
        {"q2.b.qkv_projections": "6.29 million"},
        "q2.b.qkv_projections",
        Status.CORRECT,
        1.0,
        "Right.",
    ),
    # a sketch answered with words
    (
        "a sketch in words",
        {"q3.b": "log-log axes, slope 800 GB/s up to the roof at 250"},
        "q3.b",
        Status.NEEDS_REVIEW,
        0.0,
        "This part asks for a sketch as an image file",
    ),
    (
        "a sketch in words, as a mapping",
        {"q4.b": {"image": "drawn on paper, handed in"}},
        "q4.b",
        Status.NEEDS_REVIEW,
        0.0,
        "your description is passed to a TA",
    ),
]

# (id, answers, part, words of the message): what a TA could not read either
REFUSED = [
    (
        "a remark that hides no value",
        {"q2.b.scaling": "one multiply per score"},
        "q2.b.scaling",
        "unknown symbol",
    ),
    (
        "a word after a number is no remark",
        {"q2.b.qkv_projections": "6.29 zillion"},
        "q2.b.qkv_projections",
        "unknown unit 'zillion'",
    ),
    ("two numbers side by side", {"q2.a": "4 16384"}, "q2.a", "the group '16384' has 5 digits"),
    (
        "a product right after /",
        {"q2.d.causal_scores": "L(L+1)/2 L"},
        "q2.d.causal_scores",
        "a product right after '/' is ambiguous",
    ),
    (
        "a symbol that is also a prefix",
        {"q1.a": "32 K"},
        "q1.a",
        "K is a symbol of the sheet and also a unit",
    ),
    ("a grouping no reader settles", {"q1.b": "1,806,33"}, "q1.b", "the group '33' has 2 digits"),
    ("a rate for a count", {"q1.b": "1.8 MFLOP/s"}, "q1.b", "is a rate (FLOP per second)"),
    (
        "parameters for a FLOP count",
        {"q1.b": "1806336 parameters"},
        "q1.b",
        "'parameters' is a plain count; this question wants a count of FLOP",
    ),
    (
        "two growth classes",
        {"q2.d.full_complexity": "O(L^2) for full, O(L) for causal"},
        "q2.d.full_complexity",
        "names 2 growth classes, O(L^2) and O(L): give one",
    ),
    (
        "a negated class",
        {"q2.d.causal_complexity": "not O(L), it is quadratic"},
        "q2.d.causal_complexity",
        "unclear",
    ),
    (
        "counts without names",
        {"q2.c": "4096, 4032, 4096"},
        "q2.c",
        "write the count of each operation type",
    ),
    (
        "an unknown operation on one line",
        {"q2.c": "exp: 4096, tanh: 12"},
        "q2.c",
        "write the count of each operation type",
    ),
]


@pytest.mark.parametrize(
    ("answers", "part_id", "status", "credit", "words"),
    [pytest.param(*row[1:], id=row[0]) for row in READ],
)
def test_notation_a_ta_reads(
    grade_answers: GradeAnswers,
    answers: Mapping[str, object],
    part_id: str,
    status: Status,
    credit: float,
    words: str,
) -> None:
    part = grade_answers(answers).part(part_id)
    assert (part.status, part.credit) == (status, credit), part.feedback
    assert words in part.feedback
    assert part.submitted is not None  # the remark is kept in what was submitted


@pytest.mark.parametrize(
    ("answers", "part_id", "words"), [pytest.param(*row[1:], id=row[0]) for row in REFUSED]
)
def test_what_stays_unreadable_says_why(
    grade_answers: GradeAnswers, answers: Mapping[str, object], part_id: str, words: str
) -> None:
    part = grade_answers(answers).part(part_id)
    assert part.status is Status.INVALID
    assert part.points == 0
    assert part.feedback.startswith(f"{part_id} (line ")
    assert words in part.feedback


def test_the_remark_stays_in_what_was_submitted(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q3.a": "250 FLOP/byte (peak / bandwidth)"}).part("q3.a")
    assert part.submitted == "250 FLOP/byte (peak / bandwidth)"
    assert part.value == 250


def test_an_inverted_unit_is_carried_forward_turned_around(grade_answers: GradeAnswers) -> None:
    # 0.25 byte/FLOP is a ridge of 4 FLOP/byte (peak and bandwidth swapped: no credit there);
    # the projections' 16 FLOP/byte is above the student's own ridge: compute-bound follows.
    result = grade_answers(
        {"q3.a": "0.25 byte/FLOP", "q5.qkv.intensity": "16", "q5.qkv.gpu": "compute-bound"}
    )
    ridge = result.part("q3.a")
    assert ridge.value == 4 and ridge.status is Status.INCORRECT
    assert "turned around it is 4 FLOP/byte" in ridge.feedback
    verdict = result.part("q5.qkv.gpu")
    assert verdict.carried_forward and verdict.credit == 1.0
    assert "turning point (4)" in verdict.feedback


def test_an_inverted_unit_credit_comes_from_the_assignment(
    grade_answers: GradeAnswers,
) -> None:
    part = grade_answers({"q3.a": "4 byte/kFLOP"}).part("q3.a")
    assert part.mistake == "inverted_unit"
    assert part.credit == 0.5  # roofline-1.yaml: grading.inverted_unit_credit


def test_a_sketch_in_words_is_no_missing_file(grade_answers: GradeAnswers) -> None:
    result = grade_answers({"q3.b": "a log-log plot, the ridge at 250"})
    part = result.part("q3.b")
    assert "not found" not in part.feedback
    assert part.review is not None and "Answered in words" in part.review
    assert result.pending_review == 1
    # a file name still names a file, which must be there
    named = grade_answers({"q3.b": "roofline.png"}).part("q3.b")
    assert named.status is Status.INVALID and "not found" in named.feedback


def test_the_per_row_mistake_is_stated_once_with_its_credit(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q2.c": {"exp": "64", "add": "63", "div": "64"}}).part("q2.c")
    assert part.credit == 0.5  # roofline-1.yaml: per_row, credit 0.5 for each count
    assert part.mistake == "per_row"
    assert part.feedback.count("one row") == 1
    assert part.feedback.startswith("exp, add, div: ")
    mixed = grade_answers({"q2.c": {"exp": "4096", "add": "63", "div": "7"}}).part("q2.c")
    assert mixed.credit == pytest.approx((1 + 0.5 + 0) / 3)
    assert "Right: exp." in mixed.feedback and "div: 7 is not right" in mixed.feedback
    assert mixed.mistake == "operation_counts"


def test_no_count_right_says_so_without_right_none(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q2.c": {"exp": "1", "add": "2", "div": "3"}}).part("q2.c")
    assert part.credit == 0 and "Right:" not in part.feedback
    assert "exp: 1 is not right" in part.feedback
