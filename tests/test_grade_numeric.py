"""Grading one number: the exact feedback of each outcome, and policies other than the sheet's.

The feedback is what a student reads, so it is compared whole. Percentages and ratios are
worked out in the comments from the sheet's values (q1.b = 1,806,336 FLOP, q2.a = 65,536,
q3.a = 250 FLOP/byte, q5.conv.bytes = 803,968 byte). The policy cases load the bundled
assignment with one line changed, to test what the bundled values happen to hide (a rounding
minimum of 2 is also the predicate's default; both carry-forward formulas of q5.qkv read the
same parts).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from grader.grading import grade_numeric
from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import PartResult, Status
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import load_assignment
from tests.conftest import GradeAnswers

BUNDLED = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "sheet.yaml"
UNKNOWN = "and not a mistake the grader knows."
MACS = (
    "You counted multiply-adds, not FLOPs: one multiply-accumulate is 2 FLOPs (a multiply and "
    "an add), so the FLOP count is twice the MAC count."
)
BINARY = (
    "Your answer is off by 1000 vs 1024: decimal (k, M, G) and binary (Ki, Mi, Gi) prefixes "
    "mixed up."
)


def _note(expression: str, stated: str) -> str:
    return (
        f"Note: your expression evaluates to {expression}, not the {stated} you wrote; the "
        "stated result is what is graded."
    )


FEEDBACK = [
    # (part, answer, status, credit, mistake, feedback)
    ("q1.b", "1806336", Status.CORRECT, 1.0, None, "Right."),
    (
        "q1.b",
        # stated 1.8e6 is its own expression rounded to 2 figures: right, and no disagreement
        "2 × 56 × 56 × 3 × 3 × 32 = 1.8e6",
        Status.CORRECT,
        1.0,
        None,
        "Right.",
    ),
    (
        "q1.b",
        "56 × 56 × 9 × 32 × 2 = 903168",  # right expression, wrong result: no note, a slip
        Status.PARTIAL,
        0.75,
        "arithmetic_slip",
        "Your expression is right (it evaluates to 1,806,336), but the result you wrote, "
        "903,168, is not its value, rounded or cut off: an arithmetic slip.",
    ),
    (
        "q3.a",
        "2e14 / 8.01e11 = 260",  # 249.69 is within 1 % of 250: a slip on a real-valued part
        Status.PARTIAL,
        0.75,
        "arithmetic_slip",
        "Your expression is right (it evaluates to 249.6879), but the result you wrote, "
        "260, is not its value, rounded or cut off: an arithmetic slip.",
    ),
    (
        "q1.b",
        "56 × 56 × 9 × 16 = 903168",  # stated value is the MAC count; expression is half that
        Status.PARTIAL,
        0.5,
        "macs_not_flops",
        MACS + " " + _note("451,584", "903,168"),
    ),
    (
        "q1.b",
        "56*56*9*16 = 1.85e6",  # 1,806,336 x 1.024 = 1,849,688: 1000 vs 1024
        Status.PARTIAL,
        0.5,
        "binary_prefix",
        BINARY + " " + _note("451,584", "1,850,000"),
    ),
    ("q1.b", "9.03e5", Status.PARTIAL, 0.5, "macs_not_flops", MACS),  # 903,168 to 3 figures
    # 67,000 / 65,536 - 1 = 2.23 %
    (
        "q2.a",
        "6.7e4",
        Status.PARTIAL,
        0.5,
        "close",
        "Close (2.2% off) but not right: check your arithmetic or rounding.",
    ),
    # 300 is 4.2 % above 288 parameters (12 / 288) but has one significant figure
    (
        "q1.a",
        "3e2",
        Status.PARTIAL,
        0.5,
        "close",
        "Close (4.2% off) but rounded too far: give at least 2 significant figures.",
    ),
    # (2.5e6 - 1,806,336) / 1,806,336 = 38.4 %
    ("q1.b", "2.5e6", Status.INCORRECT, 0.0, None, f"Not right: about 38% too high, {UNKNOWN}"),
    # (1,806,336 - 1.2e6) / 1,806,336 = 33.6 %
    ("q1.b", "1.2e6", Status.INCORRECT, 0.0, None, f"Not right: about 34% too low, {UNKNOWN}"),
    # 7e6 / 1,806,336 = 3.875 -> 3.9 times
    ("q1.b", "7e6", Status.INCORRECT, 0.0, None, f"Not right: about 3.9 times too high, {UNKNOWN}"),
    # 1,806,336 / 1e5 = 18.06 -> 18.1 times
    ("q1.b", "1e5", Status.INCORRECT, 0.0, None, f"Not right: about 18.1 times too low, {UNKNOWN}"),
    # 250 / 0.5 = 500 times
    ("q3.a", "0.5", Status.INCORRECT, 0.0, None, f"Not right: about 500 times too low, {UNKNOWN}"),
    ("q1.b", "0", Status.INCORRECT, 0.0, None, f"Not right: far too low, {UNKNOWN}"),
    ("q1.b", "-1806336", Status.INCORRECT, 0.0, None, f"Not right: far too low, {UNKNOWN}"),
    # two notes on how the answer was read, one after the other after the verdict
    (
        "q1.b",
        "1.8 MFLOPS (rounded)",
        Status.CORRECT,
        1.0,
        None,
        "Right. FLOPS means FLOP per second; read here as FLOP. The remark after the value was "
        "not graded.",
    ),
    # an inverted unit that is not right: the verdict on the turned value, at the inverted
    # unit's fraction of its credit. 1 / 0.002 = 500 FLOP/byte, twice 250: doubled (0.5),
    # times 0.5 = 0.25, and the mistake named is still "doubled"
    (
        "q3.a",
        "0.002 byte/FLOP",
        Status.PARTIAL,
        0.25,
        "doubled",
        "You gave 0.002 byte/FLOP, the inverse of FLOP/byte; turned around it is 500 FLOP/byte. "
        "Your answer is twice the expected value: a factor 2 counted twice?",
    ),
    # 1 / 0.02 = 50 FLOP/byte, 250 / 50 = 5 times too low and no known mistake: the inverted
    # unit is the only mistake to name
    (
        "q3.a",
        "0.02 byte/FLOP",
        Status.INCORRECT,
        0.0,
        "inverted_unit",
        "You gave 0.02 byte/FLOP, the inverse of FLOP/byte; turned around it is 50 FLOP/byte. "
        f"Not right: about 5 times too low, {UNKNOWN}",
    ),
    # an unknown wrong answer keeps the note on its expression
    (
        "q1.b",
        "2*3 = 7",
        Status.INCORRECT,
        0.0,
        None,
        # 1,806,336 / 7 = 258,048 times
        f"Not right: about 258,048 times too low, {UNKNOWN} {_note('6', '7')}",
    ),
]


@pytest.mark.parametrize(
    ("part_id", "text", "status", "credit", "mistake", "feedback"),
    FEEDBACK,
    ids=[f"{f[0]}={f[1]}" for f in FEEDBACK],
)
def test_feedback_of_each_outcome(
    grade_answers: GradeAnswers,
    part_id: str,
    text: str,
    status: Status,
    credit: float,
    mistake: str | None,
    feedback: str,
) -> None:
    part = grade_answers({part_id: text}).part(part_id)
    assert (part.status, part.credit, part.mistake) == (status, credit, mistake)
    assert part.feedback == feedback


@pytest.mark.parametrize(
    ("part_id", "text", "hint"),
    [
        # the hint, shown where the feedback would give the answer away, says only the window
        # (the sheet's close_rtol, 5 %), not how far off the value is
        ("q2.a", "6.7e4", "Close (within 5%) but not right: check your arithmetic or rounding."),
        (
            "q1.a",
            "3e2",
            "Close (within 5%) but rounded too far: give at least 2 significant figures.",
        ),
        # 4 = 1000 / 250: the ridge turned over; the hint does not name the formula
        (
            "q3.a",
            "4",
            "Peak and bandwidth are swapped: check which one the turning point divides by which "
            "(its unit, FLOP/byte, tells).",
        ),
        # a slip: the expression is 1,806,336, the expected value, so the hint leaves it out
        (
            "q1.b",
            "56 × 56 × 9 × 32 × 2 = 903168",
            "Your expression is right, but the result you wrote, 903,168, is not its value, "
            "rounded or cut off: an arithmetic slip.",
        ),
        # 2 x 64 x 128 x 128 is one projection (2 L d d): the sheet's own hint for it
        (
            "q2.b.qkv_projections",
            "2 × 64 × 128 × 128",
            "That is one projection; the question asks for Q, K and V together.",
        ),
        # 2.5e6 is 38 % above 1,806,336 and no known mistake: the hint keeps only the direction
        ("q1.b", "2.5e6", f"Not right: too high, {UNKNOWN}"),
        # close (67,000 is 2.2 % off 65,536), and its expression, 2 x 32,000 = 64,000, is not
        # the 67,000 written: the note comes after the hint too
        (
            "q2.a",
            "2*32000 = 6.7e4",
            "Close (within 5%) but not right: check your arithmetic or rounding. "
            + _note("64,000", "67,000"),
        ),
    ],
)
def test_hint_of_each_outcome_that_has_one(
    grade_answers: GradeAnswers, part_id: str, text: str, hint: str
) -> None:
    assert grade_answers({part_id: text}).part(part_id).hint == hint


def test_a_note_does_not_make_a_hint_where_there_was_none(grade_answers: GradeAnswers) -> None:
    # 903,168 is the MAC count (macs_not_flops, whose feedback gives nothing away: no hint),
    # and its expression, 56 x 56 x 9 x 16 = 451,584, disagrees with it: the note goes into
    # the feedback, which is what reveal: feedback shows when there is no hint
    part = grade_answers({"q1.b": "56 × 56 × 9 × 16 = 903168"}).part("q1.b")
    assert part.mistake == "macs_not_flops"
    assert part.hint is None
    assert part.feedback == MACS + " " + _note("451,584", "903,168")


def test_carried_forward_feedback_names_each_earlier_answer(grade_answers: GradeAnswers) -> None:
    # q1.b in MACs and q5.conv.bytes in elements: 903,168 / 200,992 = 4.4935
    result = grade_answers(
        {"q1.b": "903168", "q5.conv.bytes": "200992", "q5.conv.intensity": "4.4935"}
    )
    part = result.part("q5.conv.intensity")
    assert (part.status, part.credit, part.mistake) == (Status.CORRECT, 1.0, "carried_forward")
    assert part.carried_forward
    assert part.feedback == (
        "Consistent with your own earlier answers q1.b = 903,168, q5.conv.bytes = 200,992, "
        "which were not right: the mistake is counted there, not again here."
    )


# --- the size of a wrong answer -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "hint"),
    [
        (149, 100, "about 49%"),
        (150, 100, "about 1.5 times"),  # from 50 % off on, a ratio
        (50, 100, "about 2 times"),
        (-50, 100, "far"),  # opposite signs
        (50, -100, "far"),
        (-50, -100, "about 2 times"),  # same sign, negative
        (0, 100, "far"),
        (0, -100, "far"),
        (5, 0, "far"),  # expected 0: no ratio
        (-5, 0, "far"),
        (0.5, 1, "about 2 times"),  # a value below 1 is no different
        (1, 0.25, "about 4 times"),  # nor an expected value below 1
        (1.24, 1, "about 24%"),
    ],
)
def test_size_hint(value: float, expected: float, hint: str) -> None:
    assert grade_numeric._size_hint(value, expected) == hint


@pytest.mark.parametrize(
    ("computed", "written", "shown"),
    [
        # the usual four decimals show both as 0; 5 significant figures tell them apart
        (0.0000123, 0.0000124, ("0.0000123", "0.0000124")),
        (-0.0000123, -0.0000124, ("-0.0000123", "-0.0000124")),  # the size of a negative
        # 0 has no significant figures: it stays 0; 1e-9 to 5 figures is 13 decimals, 1.0000e-9
        (0.0, 1e-9, ("0", "0.000000001")),
        # 123,456.7 both with four decimals and with 5 to 10 figures; 11 figures are 5 decimals
        (123456.70001, 123456.70002, ("123,456.70001", "123,456.70002")),
        # 1 and the next float agree to 16 figures: shown as usual, nothing better to show
        (1.0, 1.0000000000000002, ("1", "1")),
        # 5 figures tell them apart (1.2345e-5, 1.2346e-5): not 6, which show more than needed
        (0.0000123451, 0.0000123461, ("0.000012345", "0.000012346")),
        # agree to 15 figures and differ at the 16th (the floats nearest to them do too: the
        # spacing of floats near 1 is 2.2e-16), so the last count tried, 16, tells them apart
        (1.000000000000001, 1.000000000000002, ("1.000000000000001", "1.000000000000002")),
    ],
)
def test_numbers_shown_alike_get_the_digits_that_differ(
    computed: float, written: float, shown: tuple[str, str]
) -> None:
    """In the note about an expression that disagrees with its stated result."""
    assert grade_numeric._distinct(computed, written) == shown


@pytest.mark.parametrize(
    ("value", "figures", "shown"),
    [
        # 2 to 5 figures is 2.0000: the trailing zeros and then the point go
        (2.0, 5, "2"),
        (-2.5, 5, "-2.5"),  # -2.5000
        # 0.000123456: the first figure is at 10^-4, so 5 figures take 4 + 4 = 8 decimals
        (0.000123456, 5, "0.00012346"),
        (0.000123456, 3, "0.000123"),
        # 123,456.7 has 6 figures before the point: never fewer than those, and no decimal
        (123456.7, 5, "123,457"),
        (123456.7, 7, "123,456.7"),
        # no point, so the zeros of the whole number are figures, not padding to strip
        (123500.0, 4, "123,500"),
        (1000.0, 2, "1,000"),
    ],
)
def test_with_figures_shows_that_many_significant_figures(
    value: float, figures: int, shown: str
) -> None:
    assert grade_numeric._with_figures(value, figures) == shown


# --- policies other than the bundled sheet's ---------------------------------------------------


def _grade_with(tmp_path: Path, old: str, new: str, answers: Mapping[str, str]) -> PartResult:
    text = BUNDLED.read_text("utf-8")
    assert old in text
    path = tmp_path / "sheet.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    shutil.copy(BUNDLED.parent / "solver.py", tmp_path / "solver.py")
    assignment = load_assignment(path)
    document = {"assignment": "roofline-1", "student": {"id": "s1"}, "answers": answers}
    submission = parse_submission(
        json.dumps(document).encode(), assignment, fmt="json", name="s1.json"
    )
    result = grade_submission(build_expectations(assignment), submission)
    return result.part(list(answers)[-1])


@pytest.mark.parametrize(
    ("answer", "status", "mistake"),
    [
        ("1.81e6", Status.CORRECT, None),  # 3 figures: enough
        ("1.8e6", Status.PARTIAL, "close"),  # 2 figures: not enough to be right any more
        ("9.03e5", Status.INCORRECT, None),  # a mistake now needs 4 figures
        ("9.032e5", Status.PARTIAL, "macs_not_flops"),
    ],
)
def test_a_rounding_minimum_of_three_figures(
    tmp_path: Path, answer: str, status: Status, mistake: str | None
) -> None:
    part = _grade_with(
        tmp_path, "min_rounding_figures: 2", "min_rounding_figures: 3", {"q1.b": answer}
    )
    assert (part.status, part.mistake) == (status, mistake)


@pytest.mark.parametrize(
    ("minimum", "note"),
    [
        # 9.0e5 is the expression's 903,168 rounded to 2 figures: no disagreement at a
        # minimum of 2, but too few figures to be that value at a minimum of 3
        ("2", ""),
        ("3", " " + _note("903,168", "900,000")),
    ],
)
def test_the_note_on_an_expression_follows_the_rounding_minimum(
    tmp_path: Path, minimum: str, note: str
) -> None:
    part = _grade_with(
        tmp_path,
        "min_rounding_figures: 2",
        f"min_rounding_figures: {minimum}",
        {"q1.b": "56 × 56 × 9 × 32 = 9.0e5"},
    )
    # 9.0e5 (2 figures) is too rounded to be diagnosed as the MAC count (that needs one figure
    # more than the minimum); 1,806,336 / 900,000 = 2.007 -> about 2 times
    assert part.status is Status.INCORRECT
    assert part.feedback == f"Not right: about 2 times too low, {UNKNOWN}{note}"


def test_an_inverted_unit_carried_forward_at_partial_credit_stays_carried_forward(
    tmp_path: Path,
) -> None:
    # q1.b in MACs: 903,168 / 803,968 = 1.1234 FLOP/byte follows from it, written inverted as
    # 803,968 / 903,168 = 0.8902 byte/FLOP (1 / 0.8902 = 1.1233). Carried forward at 0.5,
    # times the inverted unit's 0.5
    answers = {"q1.b": "903168", "q5.conv.bytes": "803968", "q5.conv.intensity": "0.8902 B/FLOP"}
    part = _grade_with(
        tmp_path, "carried_forward_credit: 1.0", "carried_forward_credit: 0.5", answers
    )
    assert (part.status, part.credit, part.mistake) == (Status.PARTIAL, 0.25, "carried_forward")
    assert part.carried_forward
    assert part.feedback == (
        "You gave 0.8902 B/FLOP, the inverse of FLOP/byte; turned around it is 1.1233 FLOP/byte."
        " Consistent with your own earlier answer q1.b = 903,168, which was not right: the "
        "mistake is counted there, not again here."
    )


def test_an_inverted_unit_carried_forward_at_full_credit_stays_carried_forward(
    grade_answers: GradeAnswers,
) -> None:
    # The bundled sheet carries forward at full credit: the intensity that follows from the
    # student's own MAC count (903,168 / 803,968 = 1.1234 FLOP/byte), written inverted as
    # 0.8902 byte/FLOP, loses only the inverted unit's 0.5, and is still marked and explained
    # as carried forward.
    answers = {"q1.b": "903168", "q5.conv.bytes": "803968", "q5.conv.intensity": "0.8902 B/FLOP"}
    part = grade_answers(answers).part("q5.conv.intensity")
    assert (part.status, part.credit) == (Status.PARTIAL, 0.5)
    assert part.carried_forward
    assert part.feedback.startswith(
        "You gave 0.8902 B/FLOP, the inverse of FLOP/byte; turned around it is 1.1233 FLOP/byte."
    )
    assert "Consistent with your own earlier answer q1.b = 903,168" in part.feedback


CONV_FORMULA = 'q5.conv.intensity: {formulas: ["q1.b / q5.conv.bytes"]}'
# q1.b in MACs, q5.conv.bytes right: 903,168 / 803,968 = 1.1234 follows from the second formula
MACS_OVER_BYTES = {"q1.b": "903168", "q5.conv.bytes": "803968", "q5.conv.intensity": "1.1234"}


@pytest.mark.parametrize(
    ("first", "carried_alone"),
    [
        # reads only a right answer: nothing to carry, try the next; alone, 1.1234 is the
        # part's own known mistake
        ("q5.conv.bytes / 100000", False),
        # cannot be evaluated: try the next; alone, it still says the part reads q1.b, so
        # q1.b's mistake (MACs) carries into it
        ("q1.b / (q5.conv.bytes - q5.conv.bytes)", True),
    ],
)
def test_every_carry_forward_formula_is_tried(
    tmp_path: Path, first: str, carried_alone: bool
) -> None:
    rule = f'q5.conv.intensity: {{formulas: ["{first}", "q1.b / q5.conv.bytes"]}}'
    part = _grade_with(tmp_path, CONV_FORMULA, rule, MACS_OVER_BYTES)
    assert (part.mistake, part.carried_forward) == ("carried_forward", True)
    alone = _grade_with(tmp_path, CONV_FORMULA, f'q5.conv.intensity: {{formulas: ["{first}"]}}',
                        MACS_OVER_BYTES)  # fmt: skip
    assert (alone.mistake, alone.carried_forward) == ("macs_not_flops", carried_alone)


# --- one digit group that reads two ways: 1,123 is 1123 or 1.123 --------------------------------


def _unsettled(group: str, shown: str) -> str:
    thousands, decimal = group.replace(",", ""), group.replace(",", ".")
    return (
        f"'{group}' can be {thousands} or {decimal} and your file does not settle which;"
        f" graded as {shown}."
    )


def _consistent(earlier: str) -> str:
    return (
        f"Consistent with your own earlier answer {earlier}, which was not right: the mistake "
        "is counted there, not again here."
    )


@pytest.mark.parametrize(
    ("answers", "feedback"),
    [
        # 1806336 / 1024 = 1764: the thousands reading follows from the student's own wrong
        # q5.conv.bytes; 1.764 is nothing
        (
            {"q1.b": "1806336", "q5.conv.bytes": "1024", "q5.conv.intensity": "1,764"},
            _consistent("q5.conv.bytes = 1,024") + " " + _unsettled("1,764", "1764"),
        ),
        # 903168 / 803968 = 1.1234: the decimal reading follows from the student's MAC count
        (
            {"q1.b": "903168", "q5.conv.bytes": "803968", "q5.conv.intensity": "1,123"},
            _consistent("q1.b = 903,168") + " " + _unsettled("1,123", "1.123"),
        ),
        # a decimal comma elsewhere in the file (3,33 for q4.a) settles it: 1.123, carried
        (
            {
                "q1.b": "903168",
                "q5.conv.bytes": "803968",
                "q4.a": "3,33",
                "q5.conv.intensity": "1,123",
            },
            _consistent("q1.b = 903,168")
            + " Read '1,123' as 1.123, as your file writes commas elsewhere.",
        ),
    ],
)
def test_each_reading_of_a_digit_group_is_carried_forward(
    grade_answers: GradeAnswers, answers: Mapping[str, str], feedback: str
) -> None:
    part = grade_answers(answers).part("q5.conv.intensity")
    assert (part.status, part.credit, part.mistake) == (Status.CORRECT, 1.0, "carried_forward")
    assert part.feedback == feedback


def test_a_digit_group_neither_reading_earns_is_graded_as_thousands(
    grade_answers: GradeAnswers,
) -> None:
    # 2222 / 250 = 8.9 times too high, 2.222 far too low: neither is a known mistake, so the
    # reading an English text means, thousands, is the one graded
    part = grade_answers({"q3.a": "2,222"}).part("q3.a")
    assert (part.status, part.credit) == (Status.INCORRECT, 0.0)
    assert part.feedback == (
        f"Not right: about 8.9 times too high, {UNKNOWN} " + _unsettled("2,222", "2222")
    )


def test_grading_a_number_without_the_file_around_it(expectations: Expectations) -> None:
    # No file context: no earlier answers graded, no decimal habit. 3.333 is right for q4.a
    # (20e12 / 6000e9) and 3333 is a power of ten off (0.25): the better reading is graded,
    # and the outcome depends on this answer alone no more, so no other file may reuse it
    part = expectations.assignment.part("q4.a")
    outcome = grade_numeric.grade_number(part, "3,333", expectations, {})
    assert (outcome.status, outcome.credit) == (Status.CORRECT, 1.0)
    assert outcome.feedback == "Right. " + _unsettled("3,333", "3.333")
    assert outcome.shareable is False
    plain = grade_numeric.grade_number(part, "3.33", expectations, {})
    assert (plain.status, plain.feedback, plain.shareable) == (Status.CORRECT, "Right.", True)


# --- working with rounded numbers, stated results after it, and counts labelled as MACs -------
# llm-inference-1: q3.a + q3.b = 8·4096² + 4·4096·16384 = 402,653,184 FLOP per token, so the
# prefill q3.c = 2048 × 402,653,184 = 824,633,720,832 FLOP and its MAC count is half that,
# 412,316,860,416. 402.7 M stands for 402.65 M to 402.75 M: 2048 times that is 824.6272 G to
# 824.832 G, which holds 824.6337 G; 402.8 M (402.75 M to 402.85 M) gives 824.832 G and more.
SLIP_TOO_FAR = (
    "Your expression is right (it evaluates to 65,536), but the result you wrote, 60,000, rounds"
    " it too far: give at least 2 significant figures."
)
SLIP = "is not its value, rounded or cut off: an arithmetic slip."
LABEL = (
    "Right: your number is the FLOP count, but its unit is FLOP, not MAC. One "
    "multiply-accumulate is 2 FLOPs, so as a count of MACs it would be twice the work."
)


@pytest.fixture(scope="module")
def grade_llm() -> GradeAnswers:
    from tests.conftest import answers_grader

    assignment = load_assignment("llm-inference-1")
    return answers_grader(assignment, build_expectations(assignment))


@pytest.mark.parametrize(
    ("text", "status", "credit", "mistake", "feedback"),
    [
        ("2048 × 402.7 MFLOP", Status.CORRECT, 1.0, None, "Right."),
        ("402.7 MFLOP × 2048", Status.CORRECT, 1.0, None, "Right."),
        ("2048 × 0.4027 GFLOP", Status.CORRECT, 1.0, None, "Right."),
        ("L × 402.7 MFLOP", Status.CORRECT, 1.0, None, "Right."),  # the symbol is exact
        # stated after the working: 824.7296 G to 4 figures is 824.7 G
        ("2048 × 402.7 MFLOP = 824.7 GFLOP", Status.CORRECT, 1.0, None, "Right."),
        ("2048 × 402.7 MFLOP ≈ 825 GFLOP", Status.CORRECT, 1.0, None, "Right."),
        # 402.8 M is off by more than its rounding: only close (0.036 % off)
        (
            "2048 × 402.8 MFLOP",
            Status.PARTIAL,
            0.5,
            "close",
            "Close (0.0% off) but not right: check your arithmetic or rounding.",
        ),
        # ... and a right working's rounding does not make any stated result right
        (
            "2048 × 402.7 MFLOP = 830 GFLOP",
            Status.PARTIAL,
            0.75,
            "arithmetic_slip",
            "Your expression is right (it evaluates to 824,729,600,000), but the result you "
            f"wrote, 830,000,000,000, {SLIP}",
        ),
        # 0.4 G has one figure: it allows too much (0.35 G to 0.45 G) to say anything
        (
            "2048 × 0.4 GFLOP",
            Status.PARTIAL,
            0.5,
            "close",
            "Close (0.7% off) but not right: check your arithmetic or rounding.",
        ),
        # the MAC count from a rounded per-token MAC count (201.3 M for 201,326,592): that
        # mistake, diagnosed through the rounding as a right answer would be
        (
            "2048 × 201.3 MFLOP",
            Status.PARTIAL,
            0.5,
            "macs_not_flops",
            "You counted multiply-adds, not FLOPs (x 2).",
        ),
    ],
)
def test_working_with_a_rounded_intermediate(
    grade_llm: GradeAnswers,
    text: str,
    status: Status,
    credit: float,
    mistake: str | None,
    feedback: str,
) -> None:
    part = grade_llm({"q3.c": text}).part("q3.c")
    assert (part.status, part.credit, part.mistake, part.feedback) == (
        status,
        credit,
        mistake,
        feedback,
    )


@pytest.mark.parametrize(
    ("text", "status", "credit", "mistake", "feedback"),
    [
        # 65,536 cut off to 2 figures (how it is said) or rounded to 2 or 3: right
        ("4 × 128² = 65k", Status.CORRECT, 1.0, None, "Right."),
        ("4 × 128² ≈ 65k", Status.CORRECT, 1.0, None, "Right."),
        ("4·d² = 66k", Status.CORRECT, 1.0, None, "Right."),
        ("4*128^2 = 65.5k", Status.CORRECT, 1.0, None, "Right."),
        # rounded to one figure: the right working, rounded too far
        ("4 × 128² = 60k", Status.PARTIAL, 0.75, "arithmetic_slip", SLIP_TOO_FAR),
        (
            "4 × 128² = 7e4",
            Status.PARTIAL,
            0.75,
            "arithmetic_slip",
            SLIP_TOO_FAR.replace("60,000", "70,000"),
        ),
        # the value kept to 4 figures with its last one changed, and 1000 for 1024: slips
        (
            "4 × 128² = 65530",
            Status.PARTIAL,
            0.75,
            "arithmetic_slip",
            "Your expression is right (it evaluates to 65,536), but the result you wrote, "
            f"65,530, {SLIP}",
        ),
        (
            "4 × 128² = 64k",
            Status.PARTIAL,
            0.75,
            "arithmetic_slip",
            "Your expression is right (it evaluates to 65,536), but the result you wrote, "
            f"64,000, {SLIP}",
        ),
    ],
)
def test_a_stated_result_after_right_working(
    grade_answers: GradeAnswers,
    text: str,
    status: Status,
    credit: float,
    mistake: str | None,
    feedback: str,
) -> None:
    part = grade_answers({"q2.a": text}).part("q2.a")
    assert (part.status, part.credit, part.mistake, part.feedback) == (
        status,
        credit,
        mistake,
        feedback,
    )


def test_a_slip_hint_keeps_the_value_of_the_working_back(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q2.a": "4 × 128² = 60k"}).part("q2.a")
    assert part.hint == (
        "Your expression is right, but the result you wrote, 60,000, rounds it too far: give at"
        " least 2 significant figures."
    )


@pytest.mark.parametrize(
    ("part_id", "text", "status", "credit", "mistake", "feedback"),
    [
        # roofline-1 q1.b: 1,806,336 FLOP = 903,168 MACs
        ("q1.b", "1.8 MMAC", Status.CORRECT, 1.0, None, LABEL),
        ("q1.b", "2·56·56·9·32 MACs", Status.CORRECT, 1.0, None, LABEL),
        ("q1.b", "903168 MACs", Status.PARTIAL, 0.5, "macs_not_flops", MACS),
        # the label says what the number counts: 9.0e5 (2 figures) is the MAC count rounded
        ("q1.b", "9.0e5 MACs", Status.PARTIAL, 0.5, "macs_not_flops", MACS),
        ("q1.b", "0.90 M MACs", Status.PARTIAL, 0.5, "macs_not_flops", MACS),
        ("q1.b", "56·56·9·32 = 0.90M MACs", Status.PARTIAL, 0.5, "macs_not_flops", MACS),
        # ... without the label, 2 figures do not diagnose the mistake (1.9e6 is a bad
        # rounding as much as a mistake): not right, and no mistake the grader knows
        (
            "q1.b",
            "9.0e5",
            Status.INCORRECT,
            0.0,
            None,
            f"Not right: about 2 times too low, {UNKNOWN}",
        ),
        # a MAC count to one figure is rounded too far to be anything
        (
            "q1.b",
            "0.9 MMAC",
            Status.INCORRECT,
            0.0,
            None,
            f"Not right: about 2 times too low, {UNKNOWN}",
        ),
        # the stated result is graded, with the note on the working that does not give it
        (
            "q1.b",
            "56·56·9·32 = 1.8M MACs",
            Status.CORRECT,
            1.0,
            None,
            LABEL + " " + _note("903,168", "1,800,000"),
        ),
        # scaling (4096 FLOP, one multiply per score) has no MAC alternative: labelled half of
        # it is the generic factor 2, diagnosed from its 4 figures as a bare 2048 is
        (
            "q2.b.scaling",
            "2048 MACs",
            Status.PARTIAL,
            0.5,
            "halved",
            "Your answer is half the expected value: a factor 2 missing?",
        ),
    ],
)
def test_a_count_labelled_as_macs(
    grade_answers: GradeAnswers,
    part_id: str,
    text: str,
    status: Status,
    credit: float,
    mistake: str | None,
    feedback: str,
) -> None:
    part = grade_answers({part_id: text}).part(part_id)
    assert (part.status, part.credit, part.mistake, part.feedback) == (
        status,
        credit,
        mistake,
        feedback,
    )


@pytest.mark.parametrize(
    ("part_id", "text", "credit", "mistake"),
    [
        # q3.a = 2·4·4096² = 134,217,728 FLOP: 67M MACs is its MAC count to 2 figures, the
        # first of the part's alternatives; 134M MACs is the FLOP count labelled MAC
        ("q3.a", "67M MACs", 0.5, "macs_not_flops"),
        ("q3.a", "67M", 0.0, None),
        ("q3.a", "134M MACs", 1.0, None),
        # q3.b = 4·4096·16384 = 268,435,456: its MAC count 134,217,728 is the alternative
        # whose feedback names both causes of a half
        ("q3.b", "134M MACs", 0.5, "one_matrix_or_macs"),
        # q3.e = 4·2048·4096 = 33,554,432: MACs or scores only, one value
        ("q3.e", "17M MACs", 0.5, "scores_only_or_macs"),
    ],
)
def test_macs_on_the_llm_sheet(
    grade_llm: GradeAnswers, part_id: str, text: str, credit: float, mistake: str | None
) -> None:
    part = grade_llm({part_id: text}).part(part_id)
    assert (part.credit, part.mistake) == (credit, mistake), part.feedback


def test_a_mac_is_two_flops() -> None:
    assert grade_numeric.FLOPS_PER_MAC == 2


@pytest.mark.parametrize(
    ("text", "feedback"),
    [
        # MACs converted to FLOPs: 903,168 MACs are 1,806,336 FLOPs, which follows; no note
        ("903,168 MACs = 1,806,336 FLOPs", "Right."),
        ("903,168 MACs -> 1.8 MFLOP", "Right."),
        # both labelled MAC: a count of MACs does not double into one of MACs
        ("903,168 MACs = 1,806,336 MACs", LABEL + " " + _note("903,168", "1,806,336")),
        # MAC working and the MAC count stated as a bare number: the MAC mistake, no note
        ("56·56·9·32 MACs = 903,168", MACS),
    ],
)
def test_working_in_macs_before_a_result(
    grade_answers: GradeAnswers, text: str, feedback: str
) -> None:
    assert grade_answers({"q1.b": text}).part("q1.b").feedback == feedback


@pytest.mark.parametrize(
    ("part_id", "text", "feedback"),
    [
        # q5.d is a whole batch: 162.1 rounded up is 163 (right) and 162.7 rounded down is 162
        # (the fused byte model's batch, also right): the working gives them, no note
        ("q5.d", "b ≥ 162.1, so 163", "Right."),
        ("q5.d", "b = 162.1 → 163", "Right."),
        ("q5.d", "b ≥ 162.7, so 162", "Right."),
        # 164 is neither: the note stays (164 is 0.6 % off 163: close)
        (
            "q5.d",
            "b ≥ 162.1, so 164",
            "Close (0.6% off) but not right: check your arithmetic or rounding. "
            + _note("162.1", "164"),
        ),
        # q4.d is no whole number (0.9995 FLOP/byte): 1 from 0.7 is no rounding of it
        ("q4.d", "0.4 + 0.3 = 1", "Right. " + _note("0.7", "1")),
    ],
)
def test_a_whole_number_from_working_rounded_to_it(
    grade_llm: GradeAnswers, part_id: str, text: str, feedback: str
) -> None:
    assert grade_llm({part_id: text}).part(part_id).feedback == feedback


def test_b_in_an_intensity_is_read_as_a_byte_with_a_note(grade_llm: GradeAnswers) -> None:
    # q5.a = 312e12 / 2039e9 = 153.0 FLOP/byte
    part = grade_llm({"q5.a": "153 FLOP/b"}).part("q5.a")
    assert (part.status, part.feedback) == (
        Status.CORRECT,
        "Right. b is a bit; write B for bytes (read here as a byte).",
    )


def test_working_rounded_down_to_a_whole_count_is_no_disagreement(
    grade_answers: GradeAnswers,
) -> None:
    # q2.a is a whole count: 65,535.7 rounded down is 65,535 (not the rounding, 65,536, nor a
    # cut-off, with five figures). The result is wrong (0.0015 % off: close), but it follows
    # from the working: no note that it does not.
    part = grade_answers({"q2.a": "4·128² − 0.3 = 65535"}).part("q2.a")
    assert part.feedback == "Close (0.0% off) but not right: check your arithmetic or rounding."


def test_working_is_held_to_the_parts_own_minimum_of_figures(grade_llm: GradeAnswers) -> None:
    # q5.d takes 3 figures. 1.6 × 102 = 163.2 and 1.6 stands for 1.55 to 1.65: 158.1 to 168.3,
    # which holds the batch 163, but 1.6 has 2 figures, too few here: the working is not right
    # through its rounding, and 163.2 is only close (0.12 % off)
    part = grade_llm({"q5.d": "1.6 × 102 = 163.2"}).part("q5.d")
    assert (part.status, part.feedback) == (
        Status.PARTIAL,
        "Close (0.1% off) but not right: check your arithmetic or rounding.",
    )


@pytest.mark.parametrize("text", ["903 k", "903000", "903,000 FLOP", "0.903 M"])
def test_a_known_mistake_rounded_to_enough_figures_is_recognised(
    grade_answers: GradeAnswers, text: str
) -> None:
    # q1.b's MAC count is 903,168: written with three figures (one more than a right answer
    # needs), a rounded count is still diagnosed as counting multiply-adds, not only "wrong".
    part = grade_answers({"q1.b": text}).part("q1.b")
    assert (part.status, part.mistake, part.credit) == (Status.PARTIAL, "macs_not_flops", 0.5)
