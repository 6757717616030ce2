"""llm-inference-1 answered as students write on paper: bounds, rates and units per token.

Expected values by hand. d = 4096, d_ff = 16384, L = 2048, b = 16, N = 32, 2 bytes per
element; the A100: 312 TFLOP/s, 2039 GB/s.
q1.c = (4d² + 2·d·d_ff)·2 = 402,653,184 B = 384 MiB; q2.a = 2·d·2 = 16,384 B = 16 KiB
(only K or only V: 8 KiB); q3.a = 2·4d² = 134,217,728 FLOP; q6.a = 402,653,184 +
16·2048·16,384 = 939,524,096 B; q6.b = 939,524,096 / 2039e9 s = 460.8 µs, a rate of
1/460.8 µs = 2170 tokens/s; q6.c = 32 × 460.8 µs = 14.745 ms, 1/14.745 ms = 67.8 tokens/s;
q5.d: the decode intensity reaches the ridge 153.0 between b = 162 and b = 163.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runs import grader

from grader.results import Status
from grader.sheets.expectations import build_expectations
from grader.sheets.library import load_assignment
from tests.conftest import GradeAnswers, answers_grader
from tests.test_notation_as_written import GradeLlm


@pytest.fixture(scope="module")
def grade_llm() -> GradeLlm:
    assignment = load_assignment("llm-inference-1")
    return answers_grader(assignment, build_expectations(assignment))


# (id, part, answer, status, credit, mistake)
AS_WRITTEN = [
    # the question asks for a lower bound: the bound without the quantity's name is its value
    ("bound sign, time", "q6.c", "≥ 14.7 ms", Status.CORRECT, 1.0, None),
    ("bound sign, ascii", "q6.c", ">= 14.7 ms", Status.CORRECT, 1.0, None),
    ("bound sign, microseconds", "q6.b", "≥ 461 µs", Status.CORRECT, 1.0, None),
    ("at least, batch", "q5.d", "at least 163", Status.CORRECT, 1.0, None),
    ("bound sign, batch", "q5.d", "≥ 163", Status.CORRECT, 1.0, None),
    # a bound is still graded by its value
    ("at least a wrong batch", "q5.d", "at least 150", Status.INCORRECT, 0.0, None),
    # a unit per what the value is for
    ("bytes per token", "q2.a", "16 KiB/token", Status.CORRECT, 1.0, None),
    ("bytes per token, grouped", "q2.a", "16,384 B/token", Status.CORRECT, 1.0, None),
    ("FLOP per token", "q3.a", "0.134 GFLOP/token", Status.CORRECT, 1.0, None),
    ("time per token", "q6.b", "0.46 ms/token", Status.CORRECT, 1.0, None),
    ("bound per token", "q6.c", "≥ 14.7 ms/token", Status.CORRECT, 1.0, None),
    ("bytes per layer", "q1.c", "384 MiB/layer", Status.CORRECT, 1.0, None),
    # ... and a mistake per token is still the mistake
    ("K or V, per token", "q2.a", "8 KiB/token", Status.PARTIAL, 0.5, "k_or_v_only_or_elements"),
    # a rate for a time per token: the same bound the other way up, the inverted-unit credit
    ("tokens per second, model", "q6.c", "~68 tokens/s", Status.PARTIAL, 0.5, "inverted_unit"),
    ("rate as an upper bound", "q6.c", "≤ 68 tokens/s", Status.PARTIAL, 0.5, "inverted_unit"),
    ("tokens per second, layer", "q6.b", "2170 tokens/s", Status.PARTIAL, 0.5, "inverted_unit"),
    # an earlier result rounded in the working: q3.c = 2048 × 402,653,184 = 824.634 G; 402.7 M
    # stands for 402.65 M to 402.75 M, so 2048 × 402.7 M stands for 824.627 G to 824.832 G
    ("rounded intermediate", "q3.c", "2048 × 402.7 MFLOP", Status.CORRECT, 1.0, None),
    (
        "rounded intermediate, stated",
        "q3.c",
        "2048 × 402.7 MFLOP ≈ 824.7 GFLOP",
        Status.CORRECT,
        1.0,
        None,
    ),
    ("rounded intermediate, a symbol", "q3.c", "L × 402.7 MFLOP", Status.CORRECT, 1.0, None),
    ("rounded intermediate, power of ten", "q3.c", "2048 × 4.027·10⁸", Status.CORRECT, 1.0, None),
    # 403.7 M is 1 M off 402.65 M, far more than its rounding: 0.26 % off, close
    (
        "intermediate off by more than its rounding",
        "q3.c",
        "2048 × 403.7 MFLOP",
        Status.PARTIAL,
        0.5,
        "close",
    ),
    # 0.40 G (2 figures) stands for 0.395 G to 0.405 G: 808.96 G to 829.44 G; 819.2 G stated
    ("two-figure intermediate", "q3.c", "2048 × 0.40 GFLOP = 819 GFLOP", Status.CORRECT, 1.0, None),
    # counts labelled as multiply-accumulates: q3.a = 134,217,728 FLOP = 67,108,864 MACs
    ("the MAC count labelled MAC", "q3.a", "67M MACs", Status.PARTIAL, 0.5, "macs_not_flops"),
    ("the MAC count, a prefix on MAC", "q3.a", "67 MMAC", Status.PARTIAL, 0.5, "macs_not_flops"),
    # q3.b = 268,435,456 FLOP: that number labelled MAC is a labelling slip
    ("the FLOP count labelled MAC", "q3.b", "268M MACs", Status.CORRECT, 1.0, None),
    # q3.e = 4·2048·4096 = 33,554,432 FLOP; 16.8 M MACs is its MAC count (or the scores only)
    ("MACs of attention", "q3.e", "16.8M MACs", Status.PARTIAL, 0.5, "scores_only_or_macs"),
    # FLOP/b for an intensity: b read as the byte; 19.1 (153.0 / 8) is only right per bit
    ("b for byte, ridge", "q5.a", "153 FLOP/b", Status.CORRECT, 1.0, None),
    ("right only per bit", "q5.a", "19.1 FLOP/b", Status.PARTIAL, 0.25, "divided_by_8"),
    ("bit written out", "q5.a", "19.1 FLOP/bit", Status.CORRECT, 1.0, None),
    # 162.1 rounded up to the smallest whole batch
    ("the crossover rounded up", "q5.d", "b = 162.1 → 163", Status.CORRECT, 1.0, None),
    # KV cache of the batch in decimal MB: 536,870,912 = 512 × 1.024² MB
    ("MB for MiB", "q2.c", "512 MB", Status.PARTIAL, 0.5, "binary_prefix"),
    # a sum of quantities: the weights (402,653,184 B) and the caches (536,870,912 B)
    ("a sum of quantities", "q6.a", "402.7 MB + 536.9 MB", Status.CORRECT, 1.0, None),
    ("a sum with a product", "q6.a", "402.7 MB + 16 × 33.55 MB", Status.CORRECT, 1.0, None),
    ("a sum in MiB", "q6.a", "384 MiB + 512 MiB", Status.CORRECT, 1.0, None),
    # the weights and one sequence's cache (32 MiB): 416 MiB
    (
        "weights and one cache",
        "q6.a",
        "384 MiB + 32 MiB",
        Status.PARTIAL,
        0.5,
        "one_sequence_cache",
    ),
]


@pytest.mark.parametrize(
    ("part_id", "answer", "status", "credit", "mistake"),
    [pytest.param(*row[1:], id=row[0]) for row in AS_WRITTEN],
)
def test_llm_answers_as_written(
    grade_llm: GradeLlm,
    part_id: str,
    answer: str,
    status: Status,
    credit: float,
    mistake: str | None,
) -> None:
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.status, part.credit, part.mistake) == (status, credit, mistake), part.feedback


@pytest.mark.parametrize("answer", ["b ≈ 163", "b ~ 163"])
def test_a_name_before_approximately_is_no_working(grade_llm: GradeLlm, answer: str) -> None:
    # b is a symbol (16): read as working, "b ≈ 163" drew a note that it evaluates to 16
    part = grade_llm({"q5.d": answer}).part("q5.d")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert part.feedback == "Right."


def test_a_wrong_value_after_a_name_says_nothing_about_the_symbol(grade_llm: GradeLlm) -> None:
    part = grade_llm({"q5.d": "b ≈ 153"}).part("q5.d")
    assert part.status is Status.INCORRECT
    assert "evaluates to 16" not in part.feedback


def test_a_rate_is_turned_around_in_the_feedback(grade_llm: GradeLlm) -> None:
    part = grade_llm({"q6.c": "~68 tokens/s"}).part("q6.c")
    assert "turned around it is 0.0147 s" in part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [
        ("q2.a", "16 KiB/head"),  # a unit over something else is still no unit the grader knows
        ("q5.d", "≤ 163"),  # an upper bound is no smallest batch
        ("q6.b", "0 tokens/s"),  # no rate to turn around
    ],
)
def test_what_stays_refused(grade_llm: GradeLlm, part_id: str, answer: str) -> None:
    assert grade_llm({part_id: answer}).part(part_id).status is Status.INVALID


@pytest.mark.parametrize(
    ("part_id", "answer", "credit", "mistake"),
    [
        # 201.3M params × 2 B = 402.6 MB, 0.01 % off 402,653,184 B: it was read as 201.3M and
        # a remark, "you counted parameters, not bytes" (0.25)
        ("q1.c", "201.3M params × 2 B", 1.0, None),
        ("q1.c", "2 B × 201.3M", 1.0, None),
        ("q1.c", "201.3M params × 2 B = 402.7 MB", 1.0, None),
        ("q1.c", "201.3M params × 4 B", 0.25, "fp32_bytes"),  # 805 MB: fp32
        ("q2.a", "2 × 4096 elements × 2 B", 1.0, None),  # 16,384 B
        ("q2.a", "4096 elements × 2 B", 0.5, "k_or_v_only_or_elements"),  # K or V only
        # 32 × 939.5 MB / 2.039 TB/s = 14.74 ms
        ("q6.c", "32 × 939.5 MB / 2.039 TB/s", 1.0, None),
    ],
)
def test_a_count_times_a_quantity(
    grade_llm: GradeLlm, part_id: str, answer: str, credit: float, mistake: str | None
) -> None:
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.credit, part.mistake) == (credit, mistake), part.feedback


def test_a_product_of_two_quantities_of_data_is_no_size(grade_llm: GradeLlm) -> None:
    # MB × MB is no number of bytes: not read as one (neither factor is a count)
    part = grade_llm({"q1.c": "2 MB × 3 MB"}).part("q1.c")
    assert part.credit == 0.0, part.feedback


def test_a_dot_in_a_quotient_of_quantities_is_the_decimal_point(grade_llm: GradeLlm) -> None:
    # 939.5 MB / 2.039 TB/s = 460.8 µs ("2.039" was two readings, and the quotient unread)
    part = grade_llm({"q6.b": "939.5 MB / 2.039 TB/s"}).part("q6.b")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [("q1.a", "0.067 B params"), ("q1.b", "0.134B params"), ("q1.b", "0.13 B parameters")],
)
def test_b_before_a_counted_word_is_a_billion(
    grade_llm: GradeLlm, part_id: str, answer: str
) -> None:
    # q1.a = 4d² = 67,108,864 = 0.067 billion; q1.b = 134,217,728: "0.13 B" is it to 2 figures
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


def test_b_alone_on_a_count_is_still_the_byte(grade_llm: GradeLlm) -> None:
    # the sheet: an upper-case B after a number is the unit byte; a count has no unit of data
    part = grade_llm({"q1.b": "0.134 B"}).part("q1.b")
    assert part.status is Status.INVALID
    assert "bytes" in part.feedback
    # nor is B a billion before a word that counts nothing
    assert grade_llm({"q1.b": "0.134 B zillion"}).part("q1.b").status is Status.INVALID


def test_a_billion_of_the_wrong_count_is_wrong(grade_llm: GradeLlm) -> None:
    # 0.2 B params is the whole layer (201,326,592), not the MLP's 134,217,728
    part = grade_llm({"q1.b": "0.2 B params"}).part("q1.b")
    assert (part.status, part.credit) == (Status.INCORRECT, 0.0), part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [
        ("q5.a", "312 TFLOP/s ÷ 2039 GB/s"),
        ("q5.a", r"$312\,\mathrm{TFLOP/s} \div 2039\,\mathrm{GB/s}$"),
        ("q6.b", "939.5 MB ÷ 2039 GB/s"),  # 939.5e6 / 2039e9 s = 460.8 µs
    ],
)
def test_a_quotient_of_quantities_with_the_division_sign(
    grade_llm: GradeLlm, part_id: str, answer: str
) -> None:
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


@pytest.mark.parametrize(
    "answer",
    ["14.7 ms → 68 tokens/s", "14.7 ms, i.e. 68 tokens/s", "32 × 460.8 µs = 14.7 ms → 68 tok/s"],
)
def test_a_rate_after_the_time_is_no_slip(grade_llm: GradeLlm, answer: str) -> None:
    # 68 tokens/s is 1/14.7 ms: a conversion, not a result that "disagrees" with 14.7 ms
    part = grade_llm({"q6.c": answer}).part("q6.c")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert "slip" not in part.feedback


def test_a_wrong_time_before_its_rate_is_still_the_mistake(grade_llm: GradeLlm) -> None:
    # 32 × 402,653,184 B / 2039 GB/s = 6.32 ms: the weights alone, the caches forgotten
    part = grade_llm({"q6.c": "6.32 ms → 158 tokens/s"}).part("q6.c")
    assert (part.mistake, part.credit) == ("cache_forgotten", 0.5), part.feedback


def test_the_unit_of_the_stated_result_is_no_remark(grade_llm: GradeLlm) -> None:
    # L × 16 KiB = 2048 × 16,384 B = 32 MiB: the cut before "MiB per sequence" (allowed by
    # the working's KiB) graded 32 bytes, "an arithmetic slip" (0.75)
    part = grade_llm({"q2.b": "L × 16 KiB = 32 MiB per sequence"}).part("q2.b")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    # without a unit of its own, the result's words are still no remark (as "6.29 zillion")
    bare = grade_llm({"q2.b": "L × 16 KiB = 32 per sequence"}).part("q2.b")
    assert bare.status is Status.INVALID


@pytest.mark.parametrize(
    ("part_id", "answer", "credit"),
    [
        ("q4.b", "16 FLOP/B (≈ b)", 1.0),  # 15.9 FLOP/byte, about the batch b = 16
        ("q2.a", "16 KiB (= 2·d·2 B)", 1.0),
        ("q2.a", "8 KiB (= d·2 B)", 0.5),  # one of K and V: the mistake, with its working
    ],
)
def test_working_in_parentheses_after_a_result_with_its_unit(
    grade_llm: GradeLlm, part_id: str, answer: str, credit: float
) -> None:
    # was "unbalanced parentheses": the ≈ inside split the text into two sides
    part = grade_llm({part_id: answer}).part(part_id)
    assert part.credit == credit, part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [
        ("q5.d", "160-170"),  # was 160 - 170 = -10, "far too low"
        ("q5.d", "160–170"),
        ("q5.d", "between 160 and 170"),  # was "unknown symbol 'between'"
        ("q5.d", "160 to 170 sequences"),
        ("q6.c", "14-15 ms"),
    ],
)
def test_a_range_is_refused_as_one(grade_llm: GradeLlm, part_id: str, answer: str) -> None:
    part = grade_llm({part_id: answer}).part(part_id)
    assert part.status is Status.INVALID
    assert "is a range: give one value" in part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [("q5.d", "170-7"), ("q6.c", "1.47e-2 s"), ("q2.c", "2^30 - 2^29")],
)
def test_a_difference_is_still_arithmetic(grade_llm: GradeLlm, part_id: str, answer: str) -> None:
    # 170 - 7 = 163; 2^30 - 2^29 = 2^29 = 536,870,912 B
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


@pytest.mark.parametrize("answer", ["b ≥ 162.1, so 163", "162.1, hence 163"])
def test_so_before_the_result_states_it(grade_llm: GradeLlm, answer: str) -> None:
    # the crossover 162.1 rounded up: 163 is the answer, not 162.1 "close" (0.5)
    part = grade_llm({"q5.d": answer}).part("q5.d")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


@pytest.mark.parametrize("answer", ["about 160", "160"])
def test_a_batch_to_two_figures_is_not_the_smallest_batch(grade_llm: GradeLlm, answer: str) -> None:
    # the intensity reaches the ridge between b = 162 and 163: at b = 160 decode is still
    # memory-bound, so 160 is close (1.8 % off), not the answer
    part = grade_llm({"q5.d": answer}).part("q5.d")
    assert (part.status, part.credit) == (Status.PARTIAL, 0.5), part.feedback
    assert "rounded too far" in part.feedback


@pytest.mark.parametrize(
    ("answer", "meant"), [("2*d*dff", "did you mean d_ff?"), ("2 × D × d_ff", "did you mean d?")]
)
def test_a_symbol_spelled_otherwise_is_named(grade_llm: GradeLlm, answer: str, meant: str) -> None:
    part = grade_llm({"q1.b": answer}).part("q1.b")
    assert part.status is Status.INVALID
    assert meant in part.feedback


def test_words_after_a_symbol_are_no_remark(grade_llm: GradeLlm) -> None:
    # 4·L·d_head·h = 4·L·d (right, in d_head, which the sheet asks to write as d/h): it was
    # read as 4·L = 8,192 with "d_head h" a remark, "not a mistake the grader knows" (0)
    part = grade_llm({"q3.e": "4 L d_head h"}).part("q3.e")
    assert part.status is Status.INVALID, part.feedback
    # a unit before the words still makes them a remark
    unit = grade_llm({"q3.e": "4 L d FLOP per token"}).part("q3.e")
    assert (unit.status, unit.credit) == (Status.CORRECT, 1.0), unit.feedback


@pytest.mark.parametrize(
    ("part_id", "answer", "status"),
    [
        ("q5.b", r"$\text{memory-bound}$", Status.CORRECT),
        ("q5.b", r"\text{memory bound}", Status.CORRECT),
        ("q5.c", r"$\mathrm{compute\text{-}bound}$", Status.CORRECT),
        ("q5.c", r"$\text{memory-bound}$", Status.INCORRECT),  # prefill is compute-bound
        ("q5.b", r"memory-bound ($16 \ll 153$)", Status.CORRECT),  # a command no reader knows
        ("q5.b", r"$16 < 153$", Status.INVALID),  # no verdict in it
    ],
)
def test_a_verdict_in_latex(grade_llm: GradeLlm, part_id: str, answer: str, status: Status) -> None:
    assert grade_llm({part_id: answer}).part(part_id).status is status


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [
        ("q3.b", "2 × d × d_ff (up) + 2 × d_ff × d (down)"),  # 4·d·d_ff = 268,435,456
        ("q3.e", "2 × L × d (QK^T) + 2 × L × d (AV)"),  # 4·L·d = 33,554,432
        ("q1.b", "2 (matrices) × d × d_ff"),
    ],
)
def test_labels_of_terms_are_left_out(grade_llm: GradeLlm, part_id: str, answer: str) -> None:
    # was "unknown symbol 'up'" (0): a word in parentheses names the term before it
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert "labels in parentheses were not graded" in part.feedback


def test_a_labelled_mistake_is_still_the_mistake(grade_llm: GradeLlm) -> None:
    # one MLP matrix, labelled: 2·d·d_ff = 134,217,728, half of q3.b
    part = grade_llm({"q3.b": "2 × d × d_ff (up)"}).part("q3.b")
    assert (part.mistake, part.credit) == ("one_matrix_or_macs", 0.5), part.feedback


# roofline-1 (C = 32, H = W = 56, K = 3, L = 64, d = 128): q1.b = 2·56·56·9·32 = 1,806,336;
# q2.b.qkv_projections = 3·2·64·128² = 6,291,456
@pytest.mark.parametrize(
    ("part_id", "answer"),
    [
        ("q2.b.qkv_projections", "3 (Q, K, V) × 2 × 64 × 128²"),
        ("q2.b.qkv_projections", "3 × (2 × 64 × 128 × 128) (Q,K,V)"),
        ("q1.b", "1.8 MFLOPs/image"),
        ("q3.a", "200 TFLOP/s ÷ 800 GB/s"),
    ],
)
def test_roofline_labels_and_units_per_image(
    grade_answers: GradeAnswers, part_id: str, answer: str
) -> None:
    part = grade_answers({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


def test_arithmetic_in_parentheses_is_no_label(grade_answers: GradeAnswers) -> None:
    # L(L+1)/2 = 2,080 (digits inside: arithmetic); 64·65/2 with a label is right too
    for answer in ("L (L+1) / 2", "64 (rows) × 65 / 2"):
        part = grade_answers({"q2.d.causal_scores": answer}).part("q2.d.causal_scores")
        assert (part.status, part.credit) == (Status.CORRECT, 1.0), (answer, part.feedback)


def test_rounding_and_labels_through_the_console_script(tmp_path: Path) -> None:
    # what a student sees with `grader check`: the same credit as above, and the notes
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        "assignment: llm-inference-1\n"
        "student: {id: s1234567}\n"
        "answers:\n"
        "  q3:\n"
        "    a: 67M MACs\n"
        "    c: 2048 × 402.7 MFLOP\n"
        "  q5:\n"
        "    a: 153 FLOP/b\n"
        "    d: b = 162.1 → 163\n"
        "  q6:\n"
        "    a: 402.7 MB + 536.9 MB\n",
        "utf-8",
    )
    code, out = grader("check", "--json", str(answers))
    assert code == 0, out
    parts = {part["id"]: part for part in json.loads(out)["parts"]}
    graded = {pid: (parts[pid]["status"], parts[pid]["credit"]) for pid in parts if pid in GIVEN}
    assert graded == GIVEN
    assert parts["q3.a"]["mistake"] == "macs_not_flops"
    assert "b is a bit; write B for bytes" in parts["q5.a"]["feedback"]
    assert parts["q5.d"]["feedback"] == "Right."


GIVEN = {
    "q3.a": ("partial", 0.5),
    "q3.c": ("correct", 1.0),
    "q5.a": ("correct", 1.0),
    "q5.d": ("correct", 1.0),
    "q6.a": ("correct", 1.0),
}
