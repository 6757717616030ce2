"""Grading single answers: what is right, what earns partial credit and why, what is invalid.

Expected values in these tables come from the sheet by hand (1,806,336 = 2·56·56·9·32 FLOP;
903,168 MACs; 54·54 outputs with valid padding ...), not from the solver.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import Status
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations
from tests.conftest import GradeAnswers

RIGHT = [
    ("q1.a", "288"),
    ("q1.a", "32 × 3 × 3"),
    ("q1.a", "C*K^2"),
    ("q1.a", "288 parameters"),
    ("q1.b", "1806336"),
    ("q1.b", "1,806,336"),
    ("q1.b", "1 806 336"),
    ("q1.b", "2 × 56 × 56 × 3 × 3 × 32"),
    ("q1.b", "2 x 56 x 56 x 3 x 3 x 32 = 1,806,336"),
    ("q1.b", "1.8 MFLOP"),  # visibly rounded to 2 figures
    ("q1.b", "1.81e6"),
    ("q1.b", "1,806,000"),
    ("q1.b", "1.806336 MFLOPs"),
    ("q2.a", "4*128^2"),
    ("q2.a", "4·128²"),
    ("q2.b.qkv_projections", "3 × 2 × 64 × 128 × 128"),
    ("q2.b.attention_scores", "2*L*L*d"),
    ("q2.b.scaling", "L^2"),
    ("q2.b.value_aggregation", "1.05e6"),
    ("q2.b.output_projection", "2.097 MFLOP"),
    ("q2.d.full_scores", "L²"),
    ("q2.d.causal_scores", "64·65/2"),
    ("q2.d.causal_scores", "L*(L+1)/2"),
    ("q2.d.full_complexity", "O(L^2)"),
    ("q2.d.full_complexity", "Θ(L²)"),
    ("q2.d.causal_complexity", "quadratic"),
    ("q2.d.causal_complexity", "O(n^2)"),
    ("q2.d.causal_complexity", "≈ L²/2"),
    ("q3.a", "250"),
    ("q3.a", "250 FLOP/byte"),
    ("q3.a", "2e14 / 8e11 = 250 FLOP/B"),
    ("q3.a", "2e14/8e11"),
    ("q4.a", "3.33"),
    ("q4.a", "3.3"),  # rounding-consistent with 10/3
    ("q4.a", "10/3"),
    ("q4.a", "3,33 FLOP/B"),
    ("q5.conv.bytes", "803968"),
    ("q5.conv.bytes", "785.1 KiB"),
    ("q5.conv.bytes", "0.804 MB"),
    ("q5.conv.intensity", "2,25"),
    ("q5.conv.intensity", "2.2"),
    ("q5.conv.intensity", "1806336/803968"),
    ("q5.qkv.bytes", "131072"),
    ("q5.qkv.bytes", "393216"),  # three separate projections: equally right
    ("q5.qkv.bytes", "327680"),  # fused, X read once: equally right
    ("q5.qkv.bytes", "128 KiB"),
    ("q5.qkv.intensity", "16"),
    ("q5.qkv.intensity", "19.2"),  # fused byte model
    ("q5.conv.gpu", "memory-bound"),
    ("q5.conv.pim", "memory bound"),
    ("q5.conv.pim", "Memory"),
    ("q5.qkv.gpu", "bandwidth-bound"),
    ("q5.qkv.pim", "compute-bound"),
    ("q5.qkv.pim", "math-bound"),
    ("q5.qkv.pim", "compute"),
]


@pytest.mark.parametrize(("part_id", "text"), RIGHT)
def test_right_answers_get_full_credit(
    grade_answers: GradeAnswers, part_id: str, text: str
) -> None:
    part = grade_answers({part_id: text}).part(part_id)
    assert (part.status, part.credit, part.points) == (Status.CORRECT, 1.0, part.max_points), (
        part.feedback
    )


PARTIAL = [
    # (part, answer, credit, mistake tag, a word the feedback must contain)
    ("q1.b", "903168", 0.5, "macs_not_flops", "multiply-adds"),
    ("q1.b", "56 × 56 × 9 × 32", 0.5, "macs_not_flops", "multiply-adds"),
    ("q1.b", "2 × 54 × 54 × 9 × 32", 0.5, "valid_padding", "54 x 54"),
    ("q1.b", "54 × 54 × 9 × 32", 0.25, "valid_padding_macs", "54 x 54"),
    ("q1.b", "56 × 56 × 32 × 17", 0.75, "first_add_not_counted", "2K²-1"),
    ("q1.b", "2 × 56 × 56 × 3 × 3 × 32 = 1,811,072", 0.75, "arithmetic_slip", "slip"),
    ("q1.b", "2.5e6", 0.0, None, "Not right"),
    ("q1.b", "1.9e6", 0.0, None, "Not right"),  # 2 figures are not enough to diagnose a mistake
    ("q1.a", "320", 1.0, "bias_counted", "bias"),
    ("q1.a", "32*32*3*3", 0.25, "standard_conv_params", "standard convolution"),
    ("q2.a", "3*128*128", 0.5, "three_matrices", "W_O"),
    ("q2.b.qkv_projections", "2 × 64 × 128 × 128", 0.5, "one_projection", "one projection"),
    ("q2.b.qkv_projections", "3145728", 0.5, "macs_not_flops", "multiply-adds"),
    ("q2.b.attention_scores", "524288", 0.5, "macs_not_flops", "multiply-adds"),
    ("q2.b.scaling", "64*128", 0.75, "scaled_queries", "scores"),
    ("q2.d.causal_scores", "64*63/2", 0.75, "diagonal_excluded", "diagonal"),
    ("q2.d.causal_scores", "2048", 0.75, "half_of_full", "L(L+1)/2"),
    ("q2.d.causal_complexity", "O(L)", 0.0, "wrong_growth_class", "constant factor"),
    ("q3.a", "0.004", 0.0, "reciprocal", "reciprocal"),
    ("q3.a", "4", 0.0, "swapped_with_prefix", "swapped"),
    ("q3.a", "500", 0.5, "doubled", "twice"),
    ("q3.a", "2000", 0.25, "times_8", "bits"),
    ("q3.a", "244", 0.5, "binary_prefix", "1024"),  # 250 / 1.024
    ("q3.a", "256", 0.5, "binary_prefix", "1024"),
    ("q3.a", "25", 0.25, "power_of_ten", "power of ten"),
    ("q3.a", "247", 0.5, "close", "Close"),
    ("q3.a", "240", 0.5, "binary_prefix", "1024"),  # within 1 % of 250 / 1.024²
    ("q5.conv.bytes", "(32*56*56 + 288)*4", 0.5, "output_write_forgotten", "output"),
    ("q5.conv.bytes", "200992", 0.25, "elements_not_bytes", "bytes"),
    ("q5.conv.intensity", "8.99", 0.25, "elements_not_bytes", "bytes"),
    ("q5.qkv.bytes", "32768", 0.25, "elements_not_bytes", "bytes"),
    ("q5.conv.pim", "compute-bound", 0.0, "wrong_side_of_ridge", "turning point"),
]


@pytest.mark.parametrize(("part_id", "text", "credit", "mistake", "word"), PARTIAL)
def test_known_mistakes_get_their_credit_and_feedback(
    grade_answers: GradeAnswers,
    part_id: str,
    text: str,
    credit: float,
    mistake: str | None,
    word: str,
) -> None:
    part = grade_answers({part_id: text}).part(part_id)
    assert part.credit == credit, part.feedback
    assert part.mistake == mistake
    assert word.lower() in part.feedback.lower()
    assert part.points == pytest.approx(credit * part.max_points)
    expected_status = (
        Status.CORRECT if credit == 1 else Status.PARTIAL if credit > 0 else Status.INCORRECT
    )
    assert part.status is expected_status


INVALID = [
    ("q1.b", "1.8 MFLOP/s", "rate"),
    ("q3.a", "250 GB", "FLOP per byte"),
    ("q1.b", "9**9**9", "too large"),
    ("q1.b", "4000000**4000000", "too large"),
    ("q1.b", "__import__('os').getcwd()", "not allowed"),
    ("q1.b", "open('/etc/hostname').read()", "not allowed"),
    ("q1.b", "nan", "finite"),
    ("q1.b", "1e400", "too large"),
    ("q1.b", "1/0", "zero"),
    ("q1.b", "2 3", "the group '3' has 1 digit,"),
    ("q1.b", "1+" * 150 + "1", "too long"),
    ("q5.conv.gpu", "maybe", "memory-bound"),
    ("q5.conv.gpu", "memory-bound and compute-bound", "both"),
    ("q2.d.full_complexity", "fast", "growth class"),
    ("q2.c", "4096", "each operation"),
]


@pytest.mark.parametrize(("part_id", "text", "fragment"), INVALID)
def test_unreadable_answers_are_invalid_with_part_and_message(
    grade_answers: GradeAnswers, part_id: str, text: str, fragment: str
) -> None:
    result = grade_answers({part_id: text, "q4.a": "3.33"})
    part = result.part(part_id)
    assert part.status is Status.INVALID
    assert part.points == 0
    assert part.feedback.startswith(part_id)
    assert fragment.lower() in part.feedback.lower(), part.feedback
    # the rest of the file is still graded
    assert result.part("q4.a").status is Status.CORRECT


def test_missing_parts_are_missing_not_wrong(grade_answers: GradeAnswers) -> None:
    result = grade_answers({"q1.a": "288", "q1.b": ""})
    assert result.part("q1.b").status is Status.MISSING
    assert result.part("q2.a").status is Status.MISSING
    assert result.score == 1


def test_stated_result_is_graded_and_disagreement_is_noted(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q3.a": "200e12/800e9 = 260"}).part("q3.a")
    assert part.mistake == "arithmetic_slip"
    assert part.value == 260
    assert "250" in part.feedback


def test_softmax_counts_both_models_and_per_key_credit(grade_answers: GradeAnswers) -> None:
    stable = {"max": "4032", "sub": "4096", "exp": "4096", "add": "4032", "div": "4096"}
    basic_n = {"exponentials": "4096", "sum": "4096", "divisions": "4096"}
    for counts in (stable, basic_n):
        part = grade_answers({"q2.c": counts}).part("q2.c")
        assert part.status is Status.CORRECT, part.feedback
    # per row instead of the whole matrix for exp (the assignment's per_row: half credit), add
    # right, div missing: (0.5 + 1 + 0) / 3
    part = grade_answers({"q2.c": {"exp": "64", "add": "4032"}}).part("q2.c")
    assert part.status is Status.PARTIAL
    assert part.credit == pytest.approx(1.5 / 3)
    assert "one row" in part.feedback and "div: missing" in part.feedback


@pytest.mark.parametrize(
    ("max_count", "add_count"),
    # L = 64 rows of 64 scores. The maximum: 63 comparisons from the first score, 64 from minus
    # infinity; the sum: 63 additions from the first term, 64 from zero. Any pairing is right.
    [("4032", "4032"), ("4096", "4032"), ("4032", "4096"), ("4096", "4096")],
)
def test_softmax_maximum_and_sum_may_each_start_from_their_identity(
    grade_answers: GradeAnswers, max_count: str, add_count: str
) -> None:
    counts = {"max": max_count, "sub": "4096", "exp": "4096", "add": add_count, "div": "4096"}
    part = grade_answers({"q2.c": counts}).part("q2.c")
    assert part.status is Status.CORRECT, part.feedback


def test_a_softmax_maximum_off_by_more_than_its_start_is_not_right(
    grade_answers: GradeAnswers,
) -> None:
    counts = {"max": "4095", "sub": "4096", "exp": "4096", "add": "4032", "div": "4096"}
    part = grade_answers({"q2.c": counts}).part("q2.c")
    assert part.status is Status.PARTIAL
    assert part.credit == pytest.approx(4 / 5)  # every count right but the maximum's
    assert "max" in part.feedback


def test_softmax_unknown_operation_is_invalid(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q2.c": {"exp": "4096", "tanh": "1"}}).part("q2.c")
    assert part.status is Status.INVALID
    assert "tanh" in part.feedback


def test_error_carried_forward_from_macs(grade_answers: GradeAnswers) -> None:
    # q1.b in MACs (903,168); intensity computed from it: 903,168 / 803,968 = 1.1234
    result = grade_answers(
        {"q1.b": "903168", "q5.conv.bytes": "803968", "q5.conv.intensity": "1.1234"}
    )
    part = result.part("q5.conv.intensity")
    assert part.carried_forward
    assert part.credit == 1.0
    assert "q1.b" in part.feedback


def test_no_carry_forward_without_an_earlier_mistake(grade_answers: GradeAnswers) -> None:
    # q1.b right: 1.1234 is then just MACs over bytes, a known mistake of this part
    result = grade_answers(
        {"q1.b": "1806336", "q5.conv.bytes": "803968", "q5.conv.intensity": "1.1234"}
    )
    part = result.part("q5.conv.intensity")
    assert not part.carried_forward
    assert part.mistake == "macs_not_flops"


def test_invalid_earlier_answers_are_not_carried(grade_answers: GradeAnswers) -> None:
    result = grade_answers(
        {"q1.b": "1,806 3", "q5.conv.bytes": "803968", "q5.conv.intensity": "1.1234"}
    )
    assert not result.part("q5.conv.intensity").carried_forward


def test_verdict_carried_forward_from_own_ridge(grade_answers: GradeAnswers) -> None:
    # own GPU turning point 4 (peak and bandwidth swapped): 16 > 4 makes QKV compute-bound
    result = grade_answers({"q3.a": "4", "q5.qkv.intensity": "16", "q5.qkv.gpu": "compute-bound"})
    part = result.part("q5.qkv.gpu")
    assert part.carried_forward and part.credit == 1.0
    wrong = grade_answers({"q3.a": "4", "q5.qkv.intensity": "16", "q5.qkv.gpu": "memory-bound"})
    # memory-bound is right against the reference ridge of 250 even though the ridge was wrong
    assert wrong.part("q5.qkv.gpu").status is Status.CORRECT


def test_free_text_and_sketches_need_review(grade_answers: GradeAnswers) -> None:
    result = grade_answers(
        {
            "q6.advantages": ["training is parallel over positions", "no vanishing gradients"],
            "q5.explanation": "below the turning point means memory-bound",
        }
    )
    advantages = result.part("q6.advantages")
    assert advantages.status is Status.NEEDS_REVIEW and advantages.points == 0
    assert advantages.review and "parallel training" in advantages.review
    assert "Not found: hardware efficiency" in advantages.review
    assert result.pending_review == 3


def test_score_and_max_score(grade_answers: GradeAnswers) -> None:
    result = grade_answers({"q1.a": "288", "q1.b": "903168"})
    assert result.max_score == 26
    assert result.score == 1 + 1


# --- Remembered outcomes: a batch grades each distinct answer once ---------------------------

_SPELLINGS: dict[str, list[object]] = {}
for _part_id, _text, *_rest in [*RIGHT, *PARTIAL, *INVALID]:
    _SPELLINGS.setdefault(_part_id, []).append(_text)
_SPELLINGS["q2.c"] = [{"exp": "4096", "add": "4032", "div": "4096"}, {"exp": "64", "add": "x"}]
_SPELLINGS["q6.advantages"] = [["parallel training", "long-range"], "parallel"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(
        st.sampled_from(sorted(_SPELLINGS)),
        st.integers(0, 20),
        max_size=len(_SPELLINGS),
    )
)
def test_remembered_outcomes_never_change_a_result(
    answers: dict[str, int], assignment: Assignment, expectations: Expectations
) -> None:
    # Earlier examples leave the memo full of outcomes (and of whole parts at given lines);
    # the same file graded with an empty memo must come out the same, field for field. One
    # answer per line, so that the same answer moves between lines from file to file.
    chosen = {p: _SPELLINGS[p][i % len(_SPELLINGS[p])] for p, i in answers.items()}
    document = {"assignment": "roofline-1", "student": {"id": "s1"}, "answers": chosen}
    data = json.dumps(document, indent=1).encode()

    def graded() -> dict[str, object]:
        submission = parse_submission(data, assignment, fmt="json", name="s1.json")
        return grade_submission(expectations, submission).model_dump()

    warm = graded()
    expectations.memo.clear()
    assert graded() == warm
