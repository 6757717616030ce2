"""The worked solution of roofline-1 as text: every formula and substitution states its value.

The values are pinned by hand derivations in ``test_reference_sheet.py``; here the text the
students and TAs read (``grader solve``) is held to them: each formula, with the sheet's
symbols bound to the givens, evaluates to the step's value, and so does each substitution.
The whole text, under every alternative convention, is also pinned in a reviewed golden file
(``tests/golden/solution/roofline-1.json``; regenerate with ``UPDATE_GOLDEN=1`` and review the
diff), so that a changed word or unit shows up too.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
from pathlib import Path

import pytest

from reference.conventions import Conventions
from reference.solution import Solution, Step, format_number
from sheets.roofline_1 import solver as roofline_1
from tests.test_reference_sheet import ALTERNATIVES

GOLDEN = Path(__file__).resolve().parent / "golden" / "solution" / "roofline-1.json"
CASES = [("sheet", Conventions(), {}), *((a[0], a[1], a[2]) for a in ALTERNATIVES)]
CASE_IDS = [c[0] for c in CASES]


def _solve(conventions: Conventions, changes: dict[str, int | float | str]) -> Solution:
    return roofline_1.solve({**roofline_1.SHEET_GIVENS, **changes}, conventions)


def _text(step: Step) -> list[str]:
    return [step.part_id, step.formula, step.substitution, step.unit]


def test_worked_solution_text_is_the_reviewed_one() -> None:
    got = {case_id: [_text(s) for s in _solve(cv, changes).steps] for case_id, cv, changes in CASES}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", "utf-8")
    assert got == json.loads(GOLDEN.read_text("utf-8"))


# --- formulas and substitutions evaluate to the value -------------------------------------------

_NOTE = re.compile(r" \((?:bias|one multiply per score|only taps on real input|q1\.b|"
                   r"per projection|three separate|fused)\)")  # fmt: skip
_ARITHMETIC = re.compile(r"[0-9+\-*/(). ]+")


def _arithmetic(text: str) -> float | None:
    """Value of text that is plain arithmetic (``2 × 56 × (2 × 9 − 1)``), else None."""
    plain = _NOTE.sub("", text).replace("×", "*").replace("−", "-").replace(",", "")
    if not _ARITHMETIC.fullmatch(plain):
        return None
    node = ast.parse(plain, mode="eval").body

    def walk(n: ast.expr) -> float:
        if isinstance(n, ast.Constant) and isinstance(n.value, int | float):
            return n.value
        assert isinstance(n, ast.BinOp), ast.dump(n)
        a, b = walk(n.left), walk(n.right)
        operations = {ast.Add: a + b, ast.Sub: a - b, ast.Mult: a * b}
        return operations.get(type(n.op), a / b if isinstance(n.op, ast.Div) else math.nan)

    return walk(node)


def _symbols(solution: Solution) -> dict[str, float]:
    """The sheet's symbols for a solution: givens, and the earlier results formulas name."""
    g, cv, answers = solution.givens, solution.conventions, solution.answers
    stride = int(g["conv.stride"])
    padding = str(g["conv.padding"])
    size, kernel = int(g["conv.height"]), int(g["conv.kernel"])
    # Output size by hand: 'same' keeps ceil(size / stride); 'valid' fits the kernel inside;
    # an integer p pads p on each side.
    pad = {"same": None, "valid": 0}.get(padding, int(padding) if padding.isdigit() else 0)
    out = -(-size // stride) if pad is None else (size + 2 * pad - kernel) // stride + 1
    return {
        "C": int(g["conv.channels"]),
        "H": size,
        "W": int(g["conv.width"]),
        "K": kernel,
        "H_out": out,
        "W_out": out,
        "L": int(g["attention.seq_len"]),
        "d": int(g["attention.d_model"]),
        "params": float(answers["q1.a"]),  # type: ignore[arg-type]
        "bytes": cv.bytes_per_element or int(g["bytes_per_element"]),
        "peak": float(g["gpu.peak"]),
        "bandwidth": float(g["gpu.bandwidth"]),
    }


def _bind(formula: str, symbols: dict[str, float]) -> str:
    names = sorted(symbols, key=len, reverse=True)
    pattern = re.compile(r"(?<![A-Za-z_])(" + "|".join(names) + r")(?![A-Za-z_])")
    return pattern.sub(lambda m: repr(symbols[m[1]]), formula)


def _numeric_steps(solution: Solution) -> list[Step]:
    return [s for s in solution.steps if isinstance(s.value, int | float) and s.part_id != "q4.a"]


@pytest.mark.parametrize(("conventions", "changes"), [c[1:] for c in CASES], ids=CASE_IDS)
def test_each_formula_in_the_sheets_symbols_gives_its_value(
    conventions: Conventions, changes: dict[str, int | float | str]
) -> None:
    solution = _solve(conventions, changes)
    symbols = _symbols(solution)
    checked = []
    for step in _numeric_steps(solution):
        if step.part_id == "q1.b" and conventions.padding_count == "exact":
            continue  # described, not expanded: only the taps on real input are counted
        if step.part_id.endswith("intensity"):
            continue  # a ratio of two earlier parts, checked below
        value = _arithmetic(_bind(step.formula, symbols))
        assert value is not None, (step.part_id, step.formula)
        assert math.isclose(value, float(step.value), rel_tol=1e-12), (step.part_id, step.formula)  # type: ignore[arg-type]
        checked.append(step.part_id)
    assert len(checked) >= 12, checked


@pytest.mark.parametrize(("conventions", "changes"), [c[1:] for c in CASES], ids=CASE_IDS)
def test_each_substitution_gives_its_value(
    conventions: Conventions, changes: dict[str, int | float | str]
) -> None:
    solution = _solve(conventions, changes)
    for step in _numeric_steps(solution):
        if step.part_id == "q3.a":
            continue  # rates with their units: checked below
        if step.part_id == "q1.b" and conventions.padding_count == "exact":
            continue  # the full count, with a note that only real taps are counted
        value = _arithmetic(step.substitution)
        assert value is not None, (step.part_id, step.substitution)
        assert math.isclose(value, float(step.value), rel_tol=1e-12), (
            step.part_id,
            step.substitution,
        )  # type: ignore[arg-type]


def test_softmax_formula_and_substitution_give_each_count() -> None:
    for cv in (Conventions(), Conventions(softmax_model="basic", softmax_row_additions="n")):
        step = _solve(cv, {}).step("q2.c")
        assert isinstance(step.value, dict)
        formulas = dict(item.split(" ", 1) for item in step.formula.split(", "))
        numbers = dict(item.split(" ", 1) for item in step.substitution.split(", "))
        assert list(formulas) == list(numbers) == list(step.value)
        for op, count in step.value.items():
            assert _arithmetic(_bind(formulas[op], {"L": 64})) == count, (op, formulas[op])
            assert _arithmetic(numbers[op]) == count


@pytest.mark.parametrize(
    ("device", "peak", "bandwidth", "text"),
    [("gpu", 200e12, 800e9, "200 TFLOP/s / 800 GB/s"),
     ("pim", 20e12, 6000e9, "20 TFLOP/s / 6,000 GB/s"),
     ("gpu", 15.7e12, 900e9, "15.7 TFLOP/s / 900 GB/s"),
     # 4 decimals at most: 0.00025 (as a float, a hair above) shows as 0.0003
     ("gpu", 0.25e9, 0.25e6, "0.0003 TFLOP/s / 0.0003 GB/s")],
)  # fmt: skip
def test_ridge_substitution_states_the_rates_in_tera_and_giga(
    device: str, peak: float, bandwidth: float, text: str
) -> None:
    solution = _solve(Conventions(), {f"{device}.peak": peak, f"{device}.bandwidth": bandwidth})
    part = "q3" if device == "gpu" else "q4"
    assert solution.step(f"{part}.a").substitution == text
    sketch = solution.step(f"{part}.b")
    assert f"{device.upper()} roofline" in sketch.formula
    ridge = format_number(peak / bandwidth)
    assert f"below {ridge} FLOP/byte" in sketch.substitution
    assert f"flat roof at {format_number(peak / 1e12)} TFLOP/s" in sketch.substitution


# --- the solution object and the givens it is built from ---------------------------------------


def test_solution_records_what_it_was_solved_for() -> None:
    givens = {**roofline_1.SHEET_GIVENS, "attention.seq_len": 32}
    cv = Conventions(bias=True)
    solution = roofline_1.solve(givens, cv)
    assert solution.assignment == "roofline-1"
    assert solution.givens == givens
    assert solution.conventions is cv
    with pytest.raises(KeyError) as missing:
        solution.step("q9.z")
    assert missing.value.args == ("q9.z",)


@pytest.mark.parametrize(
    ("stride", "padding", "out"),
    [(2, "same", 28), (3, "same", 19), (1, "1", 56), (2, "valid", 27), (1, "0", 54), (1, 2, 58)],
)
def test_stride_and_padding_givens_reach_the_counts(
    stride: int, padding: str | int, out: int
) -> None:
    # 56 x 56 input, 3 x 3 kernel: 'same' gives ceil(56 / stride); 'valid' (56 - 3) // 2 + 1;
    # padding p gives 56 + 2p - 3 + 1.
    answers = _solve(Conventions(), {"conv.stride": stride, "conv.padding": padding}).answers
    assert answers["q1.b"] == 2 * out * out * 9 * 32
    assert answers["q5.conv.bytes"] == (32 * 56 * 56 + 288 + 32 * out * out) * 4


def test_missing_givens_are_all_named_in_order() -> None:
    givens = {k: v for k, v in roofline_1.SHEET_GIVENS.items() if not k.startswith("pim.")}
    message = "missing givens: pim.bandwidth, pim.peak"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        roofline_1.check_givens(givens)


@pytest.mark.parametrize(
    ("name", "bad", "message"),
    [
        ("conv.padding", "-1", "given conv.padding must be same, valid or an integer, not '-1'"),
        (
            "conv.padding",
            "SAME",
            "given conv.padding must be same, valid or an integer, not 'SAME'",
        ),
        ("conv.kernel", 0, "given conv.kernel must be a positive integer, not 0"),
        ("conv.kernel", 2.5, "given conv.kernel must be a positive integer, not 2.5"),
        ("conv.channels", True, "given conv.channels must be a number, not True"),
        ("gpu.peak", 0.0, "given gpu.peak must be a positive number, not 0.0"),
        ("gpu.peak", "200e12", "given gpu.peak must be a positive number, not '200e12'"),
    ],
)
def test_bad_givens_are_refused_with_their_name(name: str, bad: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        roofline_1.check_givens({**roofline_1.SHEET_GIVENS, name: bad})  # type: ignore[dict-item]


def test_rates_below_one_are_still_positive() -> None:
    # A rate of 0.5 byte/s is odd but positive: the check is > 0, not >= 1.
    answers = _solve(Conventions(), {"gpu.bandwidth": 0.5, "gpu.peak": 2}).answers
    assert answers["q3.a"] == 4.0


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (-0.0, "0"),  # a product such as 0 x -1 is -0.0 in floats; a count of none is 0
        (250.0, "250"),
        (-1806336, "-1,806,336"),
        (2.24676, "2.2468"),  # four decimals, rounded
        (0.00004, "0"),  # 0.0000 once rounded: the point goes with the zeros
    ],
)
def test_format_number(value: float, shown: str) -> None:
    assert format_number(value) == shown
