"""Answers written as students write them on paper, graded end to end on both bundled sheets:
what a careful TA reads as right is right, and a known mistake in a notation the grader now
reads gets the mistake's credit and its feedback.

Expected values by hand. roofline-1: C = 32, H = W = 56, K = 3, L = 64, d = 128;
q1.b = 2·56·56·9·32 = 1,806,336 FLOP (903,168 MACs); q2.a = 4·128² = 65,536;
q2.b.qkv_projections = 3·2·64·128² = 6,291,456; value aggregation 2·64·64·128 = 1,048,576;
q2.d.causal_scores = 64·65/2 = 2,080; q3.a = 200e12 / 800e9 = 250 FLOP/byte;
q4.a = 20e12 / 6000e9 = 3.33; q5.conv.intensity = 1,806,336 / 803,968 = 2.2468;
q5.qkv.bytes = (2·64·128 + 128²)·4 = 131,072 byte.

llm-inference-1: d = 4096, d_ff = 16384, L = 2048, b = 16, N = 32; q1.b = 2·d·d_ff =
134,217,728; q1.c = (4d² + 2·d·d_ff)·2 = 402,653,184 byte; q2.b = 2·L·d·2 = 33,554,432 =
2^25 byte; q6.b = (402,653,184 + 16·33,554,432) / 2039e9 s = 939,524,096 / 2039e9 s =
460.8 µs; q6.c = 32 × 460.8 µs = 14.74 ms; q5.a = 312e12 / 2039e9 = 153.0 FLOP/byte;
q5.d: the decode intensity 16·402,653,184 / ((201,326,592 + 16·73,728)·2) is 15.9 at
b = 16 and reaches the ridge 153.0 between b = 162 (152.99...) and b = 163.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from grader.results import Status, SubmissionResult
from grader.run.pipeline import grade_bytes
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import load_assignment
from tests.conftest import GradeAnswers, answers_grader

GradeLlm = Callable[[Mapping[str, object]], SubmissionResult]


@pytest.fixture(scope="module")
def grade_llm() -> GradeLlm:
    """Grade a JSON answer file of llm-inference-1 whose answers are given by dotted part id."""
    assignment = load_assignment("llm-inference-1")
    return answers_grader(assignment, build_expectations(assignment))


# (id, part, answer, status, credit): roofline-1
ROOFLINE = [
    # number words are multipliers, as a TA reads them
    ("million and a unit", "q1.b", "1.81 million FLOPs", Status.CORRECT, 1.0),
    ("about ... million", "q1.b", "about 1.81 million FLOPs", Status.CORRECT, 1.0),
    ("million alone", "q2.b.qkv_projections", "6.29 million", Status.CORRECT, 1.0),
    ("thousand and a count word", "q2.a", "65.5 thousand parameters", Status.CORRECT, 1.0),
    # multiply-accumulates named as such: the count is read, and grading names the mistake
    ("MACs stated after the working", "q1.b", "56*56*9*32 = 903168 MACs", Status.PARTIAL, 0.5),
    ("MAC after a number", "q2.b.value_aggregation", "524288 MAC", Status.PARTIAL, 0.5),
    # LaTeX as students paste it from their notes
    ("cdot", "q1.b", r"2 \cdot 56 \cdot 56 \cdot 3^2 \cdot 32", Status.CORRECT, 1.0),
    ("dollars and times", "q2.b.value_aggregation", r"$1.05\times10^{6}$", Status.CORRECT, 1.0),
    ("braced exponent on a symbol", "q2.b.scaling", "$L^{2}$", Status.CORRECT, 1.0),
    ("frac of a product", "q2.d.causal_scores", r"\frac{L(L+1)}{2}", Status.CORRECT, 1.0),
    (
        "frac of powers of ten",
        "q3.a",
        r"\frac{200 \cdot 10^{12}}{800 \cdot 10^{9}}",
        Status.CORRECT,
        1.0,
    ),
    ("approx", "q5.conv.intensity", r"\approx 2.25", Status.CORRECT, 1.0),
    ("times ten to the", "q5.qkv.bytes", r"1.31 \times 10^{5}", Status.CORRECT, 1.0),
    ("thin spaces as thousands separators", "q1.b", r"1\,806\,336", Status.CORRECT, 1.0),
    ("a decimal comma in braces", "q5.conv.intensity", "2{,}25", Status.CORRECT, 1.0),
    ("a unit in mathrm", "q3.a", r"250\ \mathrm{FLOP/B}", Status.CORRECT, 1.0),
    # a quotient of two quantities, as the worked solution itself writes it
    ("peak over bandwidth", "q3.a", "200 TFLOP/s / 800 GB/s", Status.CORRECT, 1.0),
    ("TFLOPS over TB/s", "q4.a", "20 TFLOPS / 6 TB/s", Status.CORRECT, 1.0),
    ("a quotient stated", "q4.a", "20 TFLOP/s / 6000 GB/s = 3.33 FLOP/B", Status.CORRECT, 1.0),
    ("FLOPs over bytes", "q5.conv.intensity", "1806336 FLOP / 803968 B", Status.CORRECT, 1.0),
    # bandwidth over peak is the ridge turned upside down: the inverse-unit credit
    ("the quotient inverted", "q3.a", "800 GB/s / 200 TFLOP/s", Status.PARTIAL, 0.5),
    # a known mistake written in LaTeX is still that mistake
    ("macs in latex", "q2.b.attention_scores", r"64 \cdot 64 \cdot 128", Status.PARTIAL, 0.5),
    # more as written on paper. q1.b = 2·56·56·9·32 = 1,806,336 (1.8 M to 2 figures), its MAC
    # count 903,168; q2.a = 4·128² = 65,536; q2.b: QKV 6,291,456 (MACs 3,145,728), scores
    # 2·64²·128 = 1,048,576 (MACs 524,288), scaling 64² = 4,096; causal 2,080 (L²/2 = 2,048)
    ("decimal comma and a prefix", "q1.b", "≈ 1,8 MFLOP", Status.CORRECT, 1.0),
    ("German thousands dots", "q1.b", "1.806.336 FLOPs", Status.CORRECT, 1.0),
    ("German million abbreviated", "q1.b", "ca. 1,8 Mio. FLOPs", Status.CORRECT, 1.0),
    ("superscripts on numbers", "q1.b", "2 × 56² × 3² × 32", Status.CORRECT, 1.0),
    # 903,168 MACs are 1,806,336 FLOPs: the count converted, right
    ("MACs converted to FLOPs", "q1.b", "903,168 MACs = 1,806,336 FLOPs", Status.CORRECT, 1.0),
    # the FLOP count labelled MAC: a labelling slip, right with a note (see grade_numeric)
    ("the FLOP count labelled MAC", "q1.b", "1.8 million MACs", Status.CORRECT, 1.0),
    ("parameters named after working", "q1.a", "32 · 3 · 3 = 288 parameters", Status.CORRECT, 1.0),
    ("a chain of working", "q2.a", "4d^2 = 4 × 16384 = 65 536", Status.CORRECT, 1.0),
    # 65,536 cut off to 65k after the right working: how it is said, right
    ("cut off after the working", "q2.a", "4 × 128² = 65k", Status.CORRECT, 1.0),
    # 64k is 64,000, not 65,536 (64 Ki would be): the right working, a slip in the result
    ("binary k after the working", "q2.a", "4 × 128² = 64 k", Status.PARTIAL, 0.75),
    (
        "superscript power of ten",
        "q2.b.qkv_projections",
        "3·(2·L·d²) ≈ 6.29·10⁶",
        Status.CORRECT,
        1.0,
    ),
    # labelled, the MAC count to 2 figures (3.1 M) is the MAC mistake, as 3,145,728 is
    ("MACs to two figures", "q2.b.qkv_projections", "3.1 M MACs", Status.PARTIAL, 0.5),
    ("spaces as separators", "q2.b.attention_scores", "2L²d = 1 048 576", Status.CORRECT, 1.0),
    ("MAC working labelled", "q2.b.attention_scores", "L² · d = 524,288 MACs", Status.PARTIAL, 0.5),
    ("an operation word", "q2.b.scaling", "L^2 = 4096 multiplications", Status.CORRECT, 1.0),
    ("half the full mask", "q2.d.causal_scores", "≈ L²/2 = 2048", Status.PARTIAL, 0.75),
    # q3.a = 250 FLOP/byte, q4.a = 20/6 = 3.33
    ("division sign", "q3.a", "200 TFLOP/s ÷ 800 GB/s = 250 FLOP/B", Status.CORRECT, 1.0),
    ("b for byte in an intensity", "q3.a", "250 FLOP/b", Status.CORRECT, 1.0),
    # 31.25 FLOP per bit is 250 per byte; read as per byte it is 8 times too small
    ("a value right only per bit", "q3.a", "31.25 FLOP/b", Status.PARTIAL, 0.25),
    # turned around, b is the byte too: 0.004 byte/FLOP is 250 FLOP/byte, the inverse's credit
    ("b for byte, turned around", "q3.a", "0.004 b/FLOP", Status.PARTIAL, 0.5),
    ("kilo on an intensity", "q3.a", "0.25 kFLOP/byte", Status.CORRECT, 1.0),
    ("decimal comma intensity", "q4.a", "3,33 FLOP/B", Status.CORRECT, 1.0),
    ("ridge to two figures", "q4.a", "10/3 ≈ 3.3 FLOP/byte", Status.CORRECT, 1.0),
    # q5.conv.bytes = (2·32·56·56 + 32·9)·4 = 803,968 B; 785 KiB = 803,840 B (0.016 % off)
    (
        "bytes with working",
        "q5.conv.bytes",
        "(2·32·56·56 + 32·9) × 4 B = 803,968 B",
        Status.CORRECT,
        1.0,
    ),
    ("KiB rounded", "q5.conv.bytes", "785 KiB", Status.CORRECT, 1.0),
    # 1.806 / 0.804 = 2.2463; 2.2468 to 3 figures is 2.25
    (
        "quotient of rounded quantities",
        "q5.conv.intensity",
        "1.806 MFLOP / 0.804 MB ≈ 2.25 FLOP/B",
        Status.CORRECT,
        1.0,
    ),
    (
        "decimal comma after working",
        "q5.conv.intensity",
        "1806336/803968 = 2,25",
        Status.CORRECT,
        1.0,
    ),
    # q5.qkv.intensity = 2·64·128² / ((2·64·128 + 128²)·4) = 16
    (
        "rounded MFLOP over kB",
        "q5.qkv.intensity",
        "2.1 MFLOP / 131 kB = 16 FLOP/B",
        Status.CORRECT,
        1.0,
    ),
]


@pytest.mark.parametrize(
    ("part_id", "answer", "status", "credit"),
    [pytest.param(*row[1:], id=row[0]) for row in ROOFLINE],
)
def test_roofline_answers_as_written(
    grade_answers: GradeAnswers, part_id: str, answer: str, status: Status, credit: float
) -> None:
    part = grade_answers({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (status, credit), part.feedback
    assert part.submitted == answer  # the student's own text is what they see again


def test_a_number_word_is_never_a_remark(grade_answers: GradeAnswers) -> None:
    # "about" holds letters; it must not let "zillion" pass as a remark after 6.29
    part = grade_answers({"q2.b.qkv_projections": "about 6.29 zillion"}).part(
        "q2.b.qkv_projections"
    )
    assert part.status is Status.INVALID
    assert "zillion" in part.feedback


def test_macs_are_named_as_the_mistake(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q1.b": "903,168 MACs"}).part("q1.b")
    assert part.mistake == "macs_not_flops"
    assert "multiply-adds, not FLOPs" in part.feedback


def test_an_unknown_latex_command_is_named(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q1.a": r"\sqrt{82944}"}).part("q1.a")
    assert part.status is Status.INVALID
    assert r"\sqrt" in part.feedback


def test_the_constant_as_a_noun_is_no_growth_class(grade_answers: GradeAnswers) -> None:
    for answer in ("O(L²), about half the constant", "O(L^2), but with a smaller constant"):
        part = grade_answers({"q2.d.causal_complexity": answer}).part("q2.d.causal_complexity")
        assert (part.status, part.credit) == (Status.CORRECT, 1.0), (answer, part.feedback)
    # "constant" as the class itself is still read, and a second class still refused
    wrong = grade_answers({"q2.d.causal_complexity": "constant"}).part("q2.d.causal_complexity")
    assert wrong.status is Status.INCORRECT
    two = grade_answers({"q2.d.causal_complexity": "O(L^2), or constant"}).part(
        "q2.d.causal_complexity"
    )
    assert two.status is Status.INVALID


def test_a_latex_growth_class(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q2.d.full_complexity": r"$\mathcal{O}(L^{2})$"}).part(
        "q2.d.full_complexity"
    )
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


# (id, part, answer, status, credit): llm-inference-1
LLM = [
    ("sequences as the count word", "q5.d", "163 sequences", Status.CORRECT, 1.0),
    ("subscript in braces", "q1.b", r"2 d \cdot d_{ff}", Status.CORRECT, 1.0),
    ("dollars, times and a unit", "q1.c", r"$4.03 \times 10^{8}$ B", Status.CORRECT, 1.0),
    ("power of two in braces", "q2.b", "2^{25}", Status.CORRECT, 1.0),
    (
        "negative braced exponent and text unit",
        "q6.c",
        r"1.47 \times 10^{-2}\,\text{s}",
        Status.CORRECT,
        1.0,
    ),
    ("billion", "q3.d", "6.44 billion FLOPs", Status.CORRECT, 1.0),
    ("bytes over bandwidth", "q6.b", "939524096 B / 2039 GB/s", Status.CORRECT, 1.0),
    (
        "bytes over bandwidth, stated",
        "q6.b",
        "939,524,096 B / 2,039 GB/s = 461 µs",
        Status.CORRECT,
        1.0,
    ),
    ("peak over bandwidth, the A100", "q5.a", "312 TFLOP/s / 2039 GB/s", Status.CORRECT, 1.0),
    # more as written on paper, by hand: q1.a = 4·4096² = 67,108,864; q1.b = 134,217,728;
    # q1.c = 402,653,184 B (402.65 MB); q2.c = 16·2048·16,384 = 536,870,912 B = 512 MiB
    ("params with a prefix", "q1.a", "4 × 4096² ≈ 67.1 M params", Status.CORRECT, 1.0),
    ("latex power of ten", "q1.b", r"1.34 \cdot 10^{8}", Status.CORRECT, 1.0),
    # 201.3 M × 2 = 402.6 MB, 0.013 % off (the part is a real quantity: 1 %)
    (
        "rounded counts times bytes",
        "q1.c",
        "(67.1M + 134.2M) × 2 B = 402.6 MB",
        Status.CORRECT,
        1.0,
    ),
    ("one figure within 1 %", "q1.c", "≈ 0.4 GB", Status.CORRECT, 1.0),  # 0.66 % off
    ("bytes to KiB", "q2.a", "2 × 4096 × 2 B = 16 KiB", Status.CORRECT, 1.0),
    ("GiB", "q2.c", "0.5 GiB", Status.CORRECT, 1.0),
    # q3.d = 16 × 402,653,184 = 6,442,450,944: 6.4 G to 2 figures, in German
    ("German billion abbreviated", "q3.d", "6,4 Mrd. FLOP", Status.CORRECT, 1.0),
    # 16 × 402.7 M (402.65 M to 402.75 M) = 6.4424 G to 6.4440 G, holding 6.44245 G
    (
        "batch of a rounded intermediate",
        "q3.d",
        "16 × 402.7 MFLOP = 6.44 GFLOP",
        Status.CORRECT,
        1.0,
    ),
    # q4.b = 6,442,450,944 / 405,012,480 = 15.907; 6.44 G / 405 M = 15.90
    (
        "intensity of rounded quantities",
        "q4.b",
        "6.44 GFLOP / 405 MB ≈ 15.9 FLOP/B",
        Status.CORRECT,
        1.0,
    ),
    ("one figure intensity", "q4.d", "≈ 1 FLOP/B", Status.CORRECT, 1.0),  # 0.9995: 0.05 % off
    # q5.a = 312e12 / 2039e9 = 153.02
    (
        "b for byte after a quotient",
        "q5.a",
        "312 TFLOP/s / 2.039 TB/s ≈ 153 FLOP/b",
        Status.CORRECT,
        1.0,
    ),
    ("decimal comma ridge", "q5.a", "153,0 FLOP/B", Status.CORRECT, 1.0),
    ("seqs as the count word", "q5.d", "163 seqs", Status.CORRECT, 1.0),
    # q6.b = 939,524,096 B / 2039 GB/s = 460.8 µs; q6.c = 32 × that = 14.745 ms
    ("a time per token in words", "q6.b", "0.46 ms per token", Status.CORRECT, 1.0),
    ("Greek mu", "q6.b", "460.8 μs", Status.CORRECT, 1.0),
    ("decimal comma ms", "q6.c", "14,7 ms", Status.CORRECT, 1.0),
    ("count times a rounded time", "q6.c", "32 × 0.46 ms = 14.7 ms", Status.CORRECT, 1.0),
    ("about, to two figures", "q6.c", "about 15 ms", Status.CORRECT, 1.0),
]


@pytest.mark.parametrize(
    ("part_id", "answer", "status", "credit"), [pytest.param(*row[1:], id=row[0]) for row in LLM]
)
def test_llm_inference_answers_as_written(
    grade_llm: GradeLlm, part_id: str, answer: str, status: Status, credit: float
) -> None:
    part = grade_llm({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (status, credit), part.feedback


def test_a_quotient_by_zero_says_so(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q3.a": "200 TFLOP/s / 0 GB/s"}).part("q3.a")
    assert part.status is Status.INVALID
    assert "division by zero" in part.feedback


def test_a_quotient_of_the_wrong_dimension_is_not_read_as_one(grade_answers: GradeAnswers) -> None:
    # FLOP / FLOP is no intensity: refused as before, naming the unit it could not read
    part = grade_answers({"q3.a": "200 TFLOP / 800 GFLOP"}).part("q3.a")
    assert part.status is Status.INVALID
    assert "unit" in part.feedback


def test_working_with_bare_prefixes_is_still_skipped(grade_answers: GradeAnswers) -> None:
    # "200T / 800G" has no units: a TA would not guess them, the stated result is graded
    part = grade_answers({"q3.a": "200T / 800G = 250"}).part("q3.a")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0)
    assert part.value == 250


def test_latex_in_double_quotes_is_told_how_to_quote(expectations: Expectations) -> None:
    # YAML reads a backslash in double quotes as an escape: "\cdot" is no escape it knows
    text = 'assignment: roofline-1\nanswers:\n  q1:\n    a: "$C \\cdot K^2$"\n    b: 1806336\n'
    result = grade_bytes(text.encode(), expectations, fmt="yaml", name="s1.yaml").result
    part = result.part("q1.a")
    assert part.status is Status.INVALID and part.line == 4
    assert "single quotes" in part.feedback
    assert result.part("q1.b").status is Status.CORRECT  # the rest of the file is read
    # in single quotes the same answer is read (C·K² = 32·9 = 288)
    fixed = text.replace('"$C \\cdot K^2$"', "'$C \\cdot K^2$'")
    again = grade_bytes(fixed.encode(), expectations, fmt="yaml", name="s1.yaml").result
    assert again.part("q1.a").status is Status.CORRECT


@pytest.mark.parametrize("answer", ["0.5 ms", "500 µs", "5e-4 s", "0.0005"])
def test_one_significant_figure_is_rounded_too_far_not_wrong(
    grade_llm: GradeLlm, answer: str
) -> None:
    # 460.8 µs to one figure is 0.5 ms, 8.5 % off: no unknown mistake, a rounding too coarse
    part = grade_llm({"q6.b": answer}).part("q6.b")
    assert (part.status, part.credit) == (Status.PARTIAL, 0.5), part.feedback
    assert "rounded too far" in part.feedback
    assert "460" not in part.feedback  # the expected value stays hidden
    # 8.5 % off is outside the part's 5 % window: the hint does not claim it is within it
    assert part.hint == "Close but rounded too far: give at least 2 significant figures."


def test_a_one_figure_answer_that_is_not_the_rounding_stays_wrong(
    grade_answers: GradeAnswers,
) -> None:
    # the PIM ridge 3.33 to one figure is 3 (10 % off); 4 is no rounding of it
    rounded = grade_answers({"q4.a": "3"}).part("q4.a")
    assert (rounded.status, rounded.credit) == (Status.PARTIAL, 0.5), rounded.feedback
    wrong = grade_answers({"q4.a": "4"}).part("q4.a")
    assert (wrong.status, wrong.credit) == (Status.INCORRECT, 0.0)


def test_a_count_to_one_figure_is_not_a_rounding(grade_llm: GradeLlm) -> None:
    # a batch of 200 sequences is no rounding of the crossover batch 163: counts are exact
    part = grade_llm({"q5.d": "200"}).part("q5.d")
    assert (part.status, part.credit) == (Status.INCORRECT, 0.0), part.feedback


# The question asks which softmax form the counts are for: students name it before the counts.
# Stable form, L = 64: max 64·63 = 4032, sub 4096, exp 4096, add 4032 (or 4096), div 4096.
@pytest.mark.parametrize(
    "answer",
    [
        "stable softmax: max 4032, sub 4096, exp 4096, add 4032, div 4096",
        "Stable: max 4032, sub 4096, exp 4096, add 4032, div 4096",
        "basic: exp 4096, add 4096, div 4096",
        "numerically stable form - max 4032; sub 4096; exp 4096; add 4032; div 4096",
        "4096 exp + 4032 add + 4096 div",
        "plain softmax: 4096 exp + 4096 add + 4096 div",
    ],
)
def test_softmax_counts_with_the_form_named(grade_answers: GradeAnswers, answer: str) -> None:
    part = grade_answers({"q2.c": answer}).part("q2.c")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


def test_a_plus_inside_a_count_is_arithmetic(grade_answers: GradeAnswers) -> None:
    # 64·63 + 64 = 4096 additions (a sum started from zero): the "+" belongs to the count
    part = grade_answers({"q2.c": "exp: 4096, add: 4032 + 64, div: 4096"}).part("q2.c")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


def test_a_label_that_is_an_operation_is_not_dropped(grade_answers: GradeAnswers) -> None:
    # "tanh:" names no form the sheet knows and no operation: still refused, by name
    part = grade_answers({"q2.c": "exp: 4096, tanh: 12"}).part("q2.c")
    assert part.status is Status.INVALID


@pytest.mark.parametrize(
    "answer", ["2.25 FLOP/B → memory-bound", "1806336 / 803968 -> memory bound, below both ridges"]
)
def test_a_verdict_after_an_arrow_is_a_remark(grade_answers: GradeAnswers, answer: str) -> None:
    part = grade_answers({"q5.conv.intensity": answer}).part("q5.conv.intensity")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert "remark" in part.feedback


def test_an_arrow_before_a_number_is_still_working_to_result(grade_answers: GradeAnswers) -> None:
    # 903,168 MACs -> 1,806,336 FLOP: the result after the arrow is graded
    part = grade_answers({"q1.b": "903,168 MAC -> 1,806,336"}).part("q1.b")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback


@pytest.mark.parametrize("answer", ["b = 163", "b ≥ 163", "b >= 163", "b_min = 163", "b ⩾ 163"])
def test_the_name_of_the_quantity_before_its_value(grade_llm: GradeLlm, answer: str) -> None:
    # "b = 163" names the batch; it is no working whose value (b = 16) disagrees with 163
    part = grade_llm({"q5.d": answer}).part("q5.d")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert part.feedback == "Right.", part.feedback


def test_working_after_the_name_is_still_working(grade_llm: GradeLlm) -> None:
    # q2.a = 2·d·2 = 16,384 bytes; "kv = 2*d*2 = 15000" is a slip in the stated result
    part = grade_llm({"q2.a": "kv = 2*d*2 = 15000"}).part("q2.a")
    assert part.mistake == "arithmetic_slip", part.feedback


@pytest.mark.parametrize("answer", ["TODO", "idk", "??", "n.a.", "don't know"])
def test_words_for_no_answer_are_no_answer(grade_answers: GradeAnswers, answer: str) -> None:
    # not "unknown symbol 'TODO'", and not a TA's time in a class run
    part = grade_answers({"q2.b.scaling": answer}).part("q2.b.scaling")
    assert (part.status, part.points) == (Status.MISSING, 0.0), part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer"),
    [
        ("q1.a", "There are 288 parameters"),
        ("q3.a", "ridge point at 250 FLOPs/byte"),
        ("q3.a", "Ridge: 250 FLOP/B"),
        ("q2.b.scaling", "one multiply per score: 4096"),
        ("q2.b.scaling", "a total of 4096"),
    ],
)
def test_words_before_the_value_are_a_remark(
    grade_answers: GradeAnswers, part_id: str, answer: str
) -> None:
    part = grade_answers({part_id: answer}).part(part_id)
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert "words before the value were not graded" in part.feedback


@pytest.mark.parametrize(
    "answer",
    [
        "half of 4096",
        "twice 2048",
        "more than 4000",
        "not 4096",
        "4 times 1024",
        "up to 4096",
        "order of magnitude 4000",
        "a quarter of 16384",
        "square root of 16777216",
    ],
)
def test_words_that_change_the_value_are_not_left_out(
    grade_answers: GradeAnswers, answer: str
) -> None:
    # 4096 is the right count; "half of 4096" is 2048: a TA reads the words, the grader refuses
    part = grade_answers({"q2.b.scaling": answer}).part("q2.b.scaling")
    assert part.status is Status.INVALID, part.feedback


def test_elements_on_a_byte_count_are_the_elements_mistake(grade_answers: GradeAnswers) -> None:
    # (2·32·56·56 + 288) = 200,992 elements, 4 bytes each: the byte count is 803,968
    part = grade_answers({"q5.conv.bytes": "200992 elements"}).part("q5.conv.bytes")
    assert (part.mistake, part.credit) == ("elements_not_bytes", 0.25), part.feedback
    assert "elements, not bytes" in part.feedback
    assert "Your count of elements is graded as written; the question asks for bytes." in (
        part.feedback
    )


def test_a_bare_prefix_on_a_byte_count_has_no_note_about_elements(
    grade_answers: GradeAnswers,
) -> None:
    # 803,968 bytes written with a bare k: read as 803.968 × 1000, right, with nothing to say
    part = grade_answers({"q5.conv.bytes": "803.968 k"}).part("q5.conv.bytes")
    assert part.status is Status.CORRECT, part.feedback
    assert "elements" not in part.feedback


def test_a_result_cut_off_after_right_working_is_right(grade_llm: GradeLlm) -> None:
    # 4·2048·4096 = 33,554,432: "33.5 M" cuts the fourth figure off instead of rounding (33.6);
    # after the right working that is no arithmetic slip, and no note gives the value away
    part = grade_llm({"q3.e": "4·L·d = 33.5 MFLOP"}).part("q3.e")
    assert (part.status, part.credit) == (Status.CORRECT, 1.0), part.feedback
    assert part.feedback == "Right."
    assert part.hint in (None, "Right.")
    # alone, 33.5 M is also the 2k-1 count (33,488,896) rounded: that reading stands
    alone = grade_llm({"q3.e": "33.5 MFLOP"}).part("q3.e")
    assert alone.mistake == "first_add_not_counted"
    # cut off at four figures it is right alone too, since nothing else rounds to it
    assert grade_llm({"q3.e": "3.355e7"}).part("q3.e").status is Status.CORRECT


def test_a_count_cut_off_at_two_figures_is_only_close(grade_answers: GradeAnswers) -> None:
    # 6,291,456 to two figures is 6.3 M; 6.2 M (1.5 % off) is close, not right
    part = grade_answers({"q2.b.qkv_projections": "6.2 MFLOP"}).part("q2.b.qkv_projections")
    assert (part.status, part.credit) == (Status.PARTIAL, 0.5), part.feedback


@pytest.mark.parametrize(
    ("part_id", "answer", "status"),
    [
        # 16 FLOP/byte is above the PIM ridge 3.33: compute-bound
        ("q5.qkv.pim", "compute-bound, because 16 > 3.33 (not memory-bound)", Status.CORRECT),
        ("q5.qkv.pim", "not memory bound but compute bound", Status.CORRECT),
        ("q5.qkv.pim", "memory-bound, not compute-bound", Status.INCORRECT),
        # both named and neither negated: still refused
        ("q5.qkv.pim", "memory-bound (compute-bound on the GPU)", Status.INVALID),
        ("q5.qkv.pim", "not memory-bound, not compute-bound", Status.INVALID),
    ],
)
def test_a_verdict_with_the_other_one_negated(
    grade_answers: GradeAnswers, part_id: str, answer: str, status: Status
) -> None:
    assert grade_answers({part_id: answer}).part(part_id).status is status


def test_a_product_of_symbols_before_equals_is_working(grade_answers: GradeAnswers) -> None:
    # "LL = 4000": L·L = 4,096 (the full mask's scores) is the student's right working, read
    # and kept; 4000 is not 4,096 rounded to two figures (4,100): an arithmetic slip
    part = grade_answers({"q2.d.full_scores": "LL = 4000"}).part("q2.d.full_scores")
    assert part.mistake == "arithmetic_slip", part.feedback


def test_the_batched_attention_hint_gives_no_intensity_away(grade_llm: GradeLlm) -> None:
    # 16 FLOP/byte is b = 16 times the answer of q4.d (about 1): the batch sharing the cache.
    # Under reveal 'feedback' the hint explains the mistake without the intensity itself.
    part = grade_llm({"q4.d": "16"}).part("q4.d")
    assert part.mistake == "batch_shares_the_cache"
    assert part.hint is not None and "Batching does not help here" in part.hint
    assert "FLOP/byte" not in part.hint and "2 / 2" not in part.hint
    # the answer level says it, readably: 4·2048·4096 / ((2·2048·4096 + 2·4096)·2) = 0.9995
    assert "element of 2 bytes: 0.9995 FLOP/byte" in part.feedback
