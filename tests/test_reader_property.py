"""The whole reader as a property (issue 10, section 5): every reference answer of the sheet,
written in any notation the grader supports, grades correct; the same value off by more than
the tolerance never does.

The reference values and formulas are the sheet's, worked out by hand (not the solver's
output): 3·3·32 = 288 parameters, 2·56·56·9·32 = 1,806,336 FLOP, 4·128² = 65,536 weights,
3·2·64·128² = 6,291,456, 2·64²·128 = 1,048,576, 64² = 4,096, 2·64·128² = 2,097,152, 64·65/2 =
2,080 scores, 200e12 / 800e9 = 250 and 20e12 / 6000e9 = 10/3 FLOP/byte, (2·32·56·56 + 288)·4 =
803,968 bytes and 1,806,336 / 803,968 FLOP/byte for the convolution, (64·128 + 128² + 64·128)·4
= 131,072 bytes and 2,097,152 / 131,072 = 16 FLOP/byte for one projection.
"""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import PartResult, Status
from grader.sheets.expectations import build_expectations
from grader.sheets.library import load_assignment

# part: (value, factors of a product of the sheet's symbols, or None)
NUMERIC: dict[str, tuple[float, list[str] | None]] = {
    "q1.a": (288, ["C", "K", "K"]),
    "q1.b": (1806336, ["2", "H", "W", "K", "K", "C"]),
    "q2.a": (65536, ["4", "d", "d"]),
    "q2.b.qkv_projections": (6291456, ["3", "2", "L", "d", "d"]),
    "q2.b.attention_scores": (1048576, ["2", "L", "L", "d"]),
    "q2.b.scaling": (4096, ["L", "L"]),
    "q2.b.value_aggregation": (1048576, ["2", "L", "L", "d"]),
    "q2.b.output_projection": (2097152, ["2", "L", "d", "d"]),
    "q2.d.full_scores": (4096, ["L", "L"]),
    "q2.d.causal_scores": (2080, None),
    "q3.a": (250, None),
    "q4.a": (10 / 3, None),
    "q5.conv.bytes": (803968, None),
    "q5.conv.intensity": (1806336 / 803968, None),
    "q5.qkv.bytes": (131072, None),
    "q5.qkv.intensity": (16, None),
}
# Values other than the reference that grade correct (other accepted conventions, mistakes
# with full credit), by hand: 32 biases; padded zeros skipped; the fused and three-separate
# byte models (393,216 and 327,680 bytes; 6,291,456 / 327,680 = 19.2 FLOP/byte).
ALSO_RIGHT: dict[str, list[float]] = {
    "q1.a": [320],
    "q1.b": [1763584, 1806336 + 32 * 56 * 56],
    "q2.a": [65536 + 4 * 128],
    "q2.b.qkv_projections": [6291456 + 3 * 64 * 128],
    "q2.b.output_projection": [2097152 + 64 * 128],
    "q5.qkv.bytes": [393216, 327680],
    "q5.qkv.intensity": [19.2],
}
UNITS: dict[str, list[tuple[str, int]]] = {  # written unit, its size in the part's unit
    "FLOP": [("", 1), ("FLOP", 1), ("FLOPs", 1), ("kFLOP", 1000), ("MFLOP", 10**6)],
    "byte": [("", 1), ("B", 1), ("bytes", 1), ("KiB", 1024), ("kB", 1000)],
    "FLOP/byte": [("", 1), ("FLOP/byte", 1), ("FLOP/B", 1), ("FLOPs/byte", 1)],
    "1": [("", 1)],
}
GROUPING = ["", ",", " ", "\u2009", "'", "."]
REMARKS = [" (as computed)", " - from my working", "; done by hand", " (rounded)"]
VERDICTS = {
    "q5.conv.gpu": "memory-bound",
    "q5.conv.pim": "memory-bound",
    "q5.qkv.gpu": "memory-bound",
    "q5.qkv.pim": "compute-bound",
}
SPELLINGS = {
    "memory-bound": ["memory-bound", "Memory bound", "bandwidth-bound", "memory"],
    "compute-bound": ["compute-bound", "Compute bound", "math-bound", "compute"],
}
GROWTH = ["O(L^2)", "O(L²)", "Θ(L^2)", "quadratic", "O(n^2)", "O(L(L+1)/2)", "L^2/2"]
OPERATIONS = {"exp": ["exp", "exponentials"], "add": ["add", "sum"], "div": ["div", "divisions"]}
COUNTS = {"exp": 4096, "add": 4032, "div": 4096}


def grouped(integer: int, mark: str) -> str:
    """``integer`` with thousands separated by ``mark`` (dots only where they cannot be a
    decimal point to the reader: two of them or more)."""
    text = f"{integer:,}"
    if mark == "." and text.count(",") < 2:
        return str(integer)
    return text.replace(",", mark) if mark else str(integer)


@st.composite
def number_text(draw: st.DrawFn, value: float, exact: bool) -> str:
    """``value`` as digits: grouped, with a decimal comma or point, or in scientific form."""
    if exact and float(value).is_integer():
        mark = draw(st.sampled_from(GROUPING))
        if draw(st.booleans()) or value < 1000:
            return grouped(int(value), mark)
        mantissa = Decimal(int(value)).normalize()
        exponent = len(str(int(value))) - 1
        digits = str(mantissa.scaleb(-exponent))
        return draw(st.sampled_from([f"{digits}e{exponent}", f"{digits} × 10^{exponent}"]))
    figures = draw(st.integers(4, 8))
    text = f"{value:.{figures}g}"
    if "e" in text:
        text = f"{value:.{max(figures - 1, 0)}f}"
    whole, _, fraction = text.partition(".")
    whole = grouped(int(whole), draw(st.sampled_from(["", ",", " "])))
    if not fraction:
        return whole
    return (
        f"{whole}{draw(st.sampled_from(['.', ',']))}{fraction}"
        if "," not in whole
        else f"{whole}.{fraction}"
    )


@st.composite
def product_text(draw: st.DrawFn, factors: list[str]) -> str:
    """A product of numbers and symbols, with explicit signs or side by side (a number only
    ever explicitly next to a number), symbols repeated as a power or run together."""
    pieces: list[str] = []
    index = 0
    while index < len(factors):
        factor = factors[index]
        if index + 1 < len(factors) and factors[index + 1] == factor and factor.isalpha():
            factor = draw(st.sampled_from([f"{factor}^2", f"{factor}²", f"{factor}**2"]))
            index += 1
        pieces.append(factor)
        index += 1
    text = pieces[0]
    for piece in pieces[1:]:
        signs = ["*", " × ", "·", " · "]
        if piece[0].isalpha():  # a symbol: side by side too ("2 L", "2L", "Ld")
            signs += [" ", ""]
        text += draw(st.sampled_from(signs)) + piece
    return text


@st.composite
def numeric_answer(draw: st.DrawFn, part_id: str, unit: str, value: float) -> str:
    """The value in a notation the grader reads: with a unit and prefix, as a product of the
    sheet's symbols, as shown work, approximately, with a remark after it."""
    reference, factors = NUMERIC[part_id]
    exact = value == reference
    written, size = draw(st.sampled_from(UNITS[unit]))
    if size != 1:
        exactly = Decimal(int(value)) if float(value).is_integer() else Decimal(repr(value))
        number = f"{(exactly / Decimal(size)).normalize():f}"
        if draw(st.booleans()):
            number = number.replace(".", ",")
    else:
        number = draw(number_text(value, exact))
    text = f"{number} {written}".strip()
    if exact and factors is not None and size == 1 and draw(st.booleans()):
        product = draw(product_text(factors))
        text = draw(
            st.sampled_from([product, f"{product} = {text}", f"{product} {written}".strip()])
        )
    elif exact and part_id == "q2.d.causal_scores" and draw(st.booleans()):
        text = draw(st.sampled_from(["L(L+1)/2", "L (L + 1) / 2", f"64·65/2 = {text}"]))
    if draw(st.booleans()):
        text = draw(st.sampled_from(["≈ ", "~", "about ", ""])) + text
    if draw(st.booleans()):
        text += draw(st.sampled_from(REMARKS))
    return text


# Built here, not taken as fixtures: Hypothesis prints a failing example's arguments.
ASSIGNMENT = load_assignment("roofline-1")
EXPECTATIONS = build_expectations(ASSIGNMENT)


def grade_one(part_id: str, answer: object) -> PartResult:
    document = {"assignment": "roofline-1", "student": {"id": "s1"}, "answers": {part_id: answer}}
    data = json.dumps(document).encode()
    submission = parse_submission(data, ASSIGNMENT, fmt="json", name="s1.json")
    return grade_submission(EXPECTATIONS, submission).part(part_id)


SETTINGS = settings(max_examples=250, deadline=None)


@SETTINGS
@given(data=st.data(), part_id=st.sampled_from(sorted(NUMERIC)))
def test_every_reference_number_in_any_notation_is_right(data: st.DataObject, part_id: str) -> None:
    part = ASSIGNMENT.part(part_id)
    text = data.draw(numeric_answer(part_id, part.unit, NUMERIC[part_id][0]), label="answer")
    result = grade_one(part_id, text)
    assert result.status is Status.CORRECT, (text, result.feedback)


@SETTINGS
@given(
    data=st.data(),
    part_id=st.sampled_from(sorted(NUMERIC)),
    off=st.floats(0.03, 0.45),
    above=st.booleans(),
)
def test_the_same_value_off_by_more_than_the_tolerance_never_is(
    data: st.DataObject,
    part_id: str,
    off: float,
    above: bool,
) -> None:
    part = ASSIGNMENT.part(part_id)
    reference = NUMERIC[part_id][0]
    value = reference * (1 + off if above else 1 - off)
    for right in [reference, *ALSO_RIGHT.get(part_id, [])]:
        assume(abs(value - right) > 0.02 * right)
    text = data.draw(numeric_answer(part_id, part.unit, value), label="answer")
    result = grade_one(part_id, text)
    assert result.status is not Status.CORRECT, (text, result.feedback)


@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_every_reference_verdict_growth_class_and_count_reads(data: st.DataObject) -> None:
    remark = data.draw(st.sampled_from(["", " (below the ridge)", " - see the plot", ", as in 5a"]))
    part_id, verdict = data.draw(st.sampled_from(sorted(VERDICTS.items())))
    answer = data.draw(st.sampled_from(SPELLINGS[verdict])) + remark
    assert grade_one(part_id, answer).status is Status.CORRECT, answer
    growth = data.draw(st.sampled_from(GROWTH))
    sentence = data.draw(st.sampled_from(["{}", "{}" + remark, "also {}, about half as many"]))
    part_id = data.draw(st.sampled_from(["q2.d.full_complexity", "q2.d.causal_complexity"]))
    answer = sentence.format(growth)
    assert grade_one(part_id, answer).status is Status.CORRECT, answer
    names = {op: data.draw(st.sampled_from(spellings)) for op, spellings in OPERATIONS.items()}
    style = data.draw(st.sampled_from(["mapping", "{n}: {c}", "{n}={c}", "{c} {n}"]))
    if style == "mapping":
        counts: object = {names[op]: str(count) for op, count in COUNTS.items()}
    else:
        separator = data.draw(st.sampled_from([", ", "; ", "\n"]))
        counts = separator.join(style.format(n=names[op], c=c) for op, c in COUNTS.items())
    assert grade_one("q2.c", counts).status is Status.CORRECT, counts
