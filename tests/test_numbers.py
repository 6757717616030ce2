"""Reading numeric answers, choices and complexity classes."""

from __future__ import annotations

import contextlib
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bounds import time_bound
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.answers.numbers import NumericAnswer, read_choice, read_complexity, read_number
from grader.answers.rounding_bounds import Rounding, rounding_bounds
from grader.errors import AnswerFormatError

SHEET = {"L": 64.0, "d": 128.0, "C": 32.0, "H": 56.0, "W": 56.0, "K": 3.0}
ROOT = Path(__file__).resolve().parents[1]

# text, part unit, value, expression value, significant figures
READ = [
    ("1806336", "FLOP", 1806336.0, None, 7),
    ("1,806,336", "FLOP", 1806336.0, None, 7),
    ("1 806 336", "FLOP", 1806336.0, None, 7),
    ("1\u2009806\u2009336", "FLOP", 1806336.0, None, 7),  # thin space
    ("1\u202f806\u202f336", "FLOP", 1806336.0, None, 7),  # narrow no-break space
    ("1\u00a0806\u00a0336", "FLOP", 1806336.0, None, 7),  # no-break space
    ("1'806'336", "FLOP", 1806336.0, None, 7),
    ("1’806’336", "FLOP", 1806336.0, None, 7),
    ("1,806,336.5", "FLOP", 1806336.5, None, 8),
    ("1 806", "1", 1806.0, None, 4),  # a space is never a decimal mark
    ("-1,806,336", "FLOP", -1806336.0, None, 7),
    ("2,25", "FLOP/byte", 2.25, None, 3),
    ("12,5", "1", 12.5, None, 3),
    ("0,804", "1", 0.804, None, 3),  # a thousands group never follows a lone 0
    ("1,8", "1", 1.8, None, 2),
    ("1 806,5", "1", 1806.5, None, 5),
    ("2.5e2", "1", 250.0, None, 2),
    ("2.5E+2", "1", 250.0, None, 2),
    ("2.5·10^2", "1", 250.0, None, 2),
    ("2.5 x 10^2", "1", 250.0, None, 2),
    ("2.5×10²", "1", 250.0, None, 2),
    ("10^6", "1", 1e6, None, 1),
    ("2 × 56 × 56 × 3 × 3 × 32", "FLOP", 1806336.0, None, None),
    ("4*128^2", "1", 65536.0, None, None),
    ("64·65/2", "1", 2080.0, None, None),
    ("2*L*L*d", "FLOP", 1048576.0, None, None),
    ("2*H*W*C*K*K", "FLOP", 1806336.0, None, None),
    ("2e14/8e11", "FLOP/byte", 250.0, None, None),
    ("10/3", "1", 10 / 3, None, None),
    ("128²", "1", 16384.0, None, None),
    ("10−3", "1", 7.0, None, None),
    ("−5", "1", -5.0, None, 1),
    ("４２", "1", 42.0, None, 2),
    ("1.8 MFLOP", "FLOP", 1.8e6, None, 2),
    ("1.8MFLOP", "FLOP", 1.8e6, None, 2),
    ("1,8 MFLOP", "FLOP", 1.8e6, None, 2),
    ("785.1 KiB", "byte", 803942.4, None, 4),
    ("0.804 MB", "byte", 804000.0, None, 3),
    ("250 FLOP/B", "FLOP/byte", 250.0, None, 2),
    ("200 TFLOP/s", "FLOP/s", 2e14, None, 1),
    ("200 TFLOPs", "FLOP/s", 2e14, None, 1),
    ("2,25 FLOP/byte", "FLOP/byte", 2.25, None, 3),
    ("2e14/8e11 FLOP/byte", "FLOP/byte", 250.0, None, None),
    ("2*L*L*d FLOP", "FLOP", 1048576.0, None, None),
    ("2 x 10^6 FLOP", "FLOP", 2e6, None, 1),
    ("288 parameters", "1", 288.0, None, 3),
    ("1.8 M", "FLOP", 1.8e6, None, 2),
    ("1.05 G", "FLOP/s", 1.05e9, None, 3),
    ("1.806.336", "FLOP", 1806336.0, None, 7),  # German thousands
    ("1.806.336,5", "FLOP", 1806336.5, None, 8),
    ("1.806,5", "FLOP", 1806.5, None, 5),
    ("1.8 MFLOPS", "FLOP", 1.8e6, None, 2),  # FLOPS as the plural, with a note
    ("2L", "FLOP", 128.0, None, None),
    ("2 d", "FLOP", 256.0, None, None),
    ("2 L^2 d", "FLOP", 1048576.0, None, None),
    ("2 L^2 d FLOP", "FLOP", 1048576.0, None, None),
    ("3 · 2Ld²", "FLOP", 6291456.0, None, None),
    ("L(L+1)/2", "1", 2080.0, None, None),
    ("4096 (= 64·64)", "1", 4096.0, 4096.0, 4),  # a result and its working
    ("4096 (64 × 64)", "1", 4096.0, 4096.0, 4),
    ("2 (L·d)", "1", 16384.0, None, None),  # not the same number: a product
    # shown work
    ("2 × 56 × 56 × 3 × 3 × 32 = 1,811,072", "FLOP", 1811072.0, 1806336.0, 7),
    ("64·65/2 ≈ 2080", "1", 2080.0, 2080.0, 3),
    ("64·65/2 ~ 2080", "1", 2080.0, 2080.0, 3),
    ("2*56*56*9*32 = 1.81 MFLOP", "FLOP", 1.81e6, 1806336.0, 3),
    ("1806336 FLOP = 1.81 MFLOP", "FLOP", 1.81e6, 1806336.0, 3),
    ("2*L*L*d = 1,048,576 FLOP", "FLOP", 1048576.0, 1048576.0, 7),
    ("2e14/8e11 = 250", "FLOP/byte", 250.0, 250.0, 2),
    ("64*65/2 = 2080 = 2.08e3", "1", 2080.0, 2080.0, 3),
    ("≈ 2.25", "FLOP/byte", 2.25, None, 3),
    ("~2080", "1", 2080.0, None, 3),
    ("about 2080", "1", 2080.0, None, 3),
    ("= 2080", "1", 2080.0, None, 3),
    # significant figures
    ("1.8", "1", 1.8, None, 2),
    ("1.81e6", "1", 1.81e6, None, 3),
    ("1,806,000", "1", 1806000.0, None, 4),
    ("250", "1", 250.0, None, 2),
    ("250.", "1", 250.0, None, 3),
    ("2.50", "1", 2.5, None, 3),
    ("0.804", "1", 0.804, None, 3),
    ("0", "1", 0.0, None, 1),
]

REJECTED = [
    ("", "FLOP", "no answer"),
    ("   ", "FLOP", "no answer"),
    ("1,806", "FLOP", "'1,806' is ambiguous: write 1806 or 1.806"),
    ("1,000", "FLOP", "'1,000' is ambiguous: write 1000 or 1.000"),
    ("1,806 FLOP", "FLOP", "ambiguous"),
    ("1,806,33", "FLOP", "the group '33' has 2 digits"),
    ("1,806 336", "FLOP", "cannot read '1,806 336': it mixes"),
    ("1.5.2", "1", "more than one decimal mark"),
    ("1806,336,000", "1", "a thousands group has at most three"),
    ("2 K", "1", "'2 K' is ambiguous: K is a symbol of the sheet and also a unit"),
    # the answer is quoted whole up to 40 characters, else its first 39 and an ellipsis
    ("1+" * 18 + "22 K", "1", f"'{'1+' * 18}22 K' is ambiguous: K is a symbol"),
    ("1+" * 19 + "2 K", "1", f"'{'1+' * 19}2…' is ambiguous: K is a symbol"),
    ("1/2 L", "1", "ambiguous"),
    ("2*q", "FLOP", "unknown symbol 'q'; allowed: C, H, K, L, W, d"),
    ("q", "FLOP", "unknown symbol 'q'"),
    ("nan", "FLOP", "not a finite number"),
    ("inf", "FLOP", "not a finite number"),
    ("1e400", "FLOP", "number too large"),
    ("1/0", "FLOP", "division by zero"),
    ("2 § 3", "1", "unexpected character '§'"),
    ("5 $ GB", "byte", "unexpected character '$'"),
    ("1.8 MFLOP/s", "FLOP", "'MFLOP/s' is a rate (FLOP per second)"),
    ("2 MB", "FLOP/byte", "this question wants an arithmetic intensity"),
    ("5 mb", "byte", "did you mean MB?"),
    ("288 parameters", "FLOP", "plain count"),
    ("=", "1", "nothing before '='"),
    ("5 =", "1", "nothing after '='"),
    ("2*56 = ", "FLOP", "nothing after '='"),
    ("1.8 furlongs", "byte", "unknown unit 'furlongs'"),
]

# reliability §3.1 and §3.2, through the reader the engine calls: outcome and time bound
HOSTILE = [
    ("9**9**9", "number too large"),
    ("10**10**10", "number too large"),
    ("(2**64)**(2**64)", "number too large"),
    ("4000000**4000000", "number too large"),
    ("3999999**3999999 * 3999999**3999999", "number too large"),
    ("(10**9999)**9999", "number too large"),
    ("1+" * 100_000 + "1", "too long"),
    ("-" * 100_000 + "1", "too long"),
    ("(" * 5000 + "1" + ")" * 5000, "too long"),
    ("1" * 5000, "too long"),
    ("__import__('os').getcwd()", "function calls are not allowed"),
    ("open('/etc/hostname').read()", "function calls are not allowed"),
    ("while True: pass", "unexpected character ':'"),
    ("[x for x in range(10**7)]", "unexpected character '['"),
    ("10−3", 7.0),
    ("−5", -5.0),
    ("2 § 3", "unexpected character '§'"),
    ("5 $ GB", "unexpected character '$'"),
    ("2,25", 2.25),
    ("1,000", "ambiguous"),
    ("", "no answer"),
    ("1/0", "division by zero"),
    ("1e400", "number too large"),
    ("nan", "not a finite number"),
    ("inf", "not a finite number"),
    ("128²", 16384.0),
    ("9**9**9 GB", "number too large"),
    ("1" * 190, float("1" * 190)),  # a 190-digit literal is still a float
    ("9" * 150 + "**3", "number too large"),
]


@pytest.mark.parametrize(("text", "unit", "value", "expression", "figures"), READ)
def test_read_number(
    text: str, unit: str, value: float, expression: float | None, figures: int | None
) -> None:
    answer = read_number(text, unit=unit, symbols=SHEET)
    assert answer.value == pytest.approx(value, rel=1e-12)
    if expression is None:
        assert answer.expression_value is None
    else:
        assert answer.expression_value == pytest.approx(expression, rel=1e-12)
    assert answer.significant_figures == figures
    assert answer.text == text.strip()


@pytest.mark.parametrize(("text", "unit", "fragment"), REJECTED)
def test_rejected_numbers(text: str, unit: str, fragment: str) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        read_number(text, unit=unit, symbols=SHEET)
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("text", "symbols", "readings"),
    [
        ("2 K", SHEET, ("2*K", "2*1000")),  # the kernel size, or K as a bare kilo
        ("2 K FLOP", SHEET, ("2*K FLOP", "2*1000 FLOP")),  # a unit after it settles nothing
        ("2 s", {"s": 4.0}, ("2*s", "(2) s")),  # a unit that is no prefix: 2 seconds
    ],
)
def test_a_symbol_that_is_also_a_unit_offers_both_readings(
    text: str, symbols: dict[str, float], readings: tuple[str, str]
) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        read_number(text, unit="FLOP", symbols=symbols)
    assert caught.value.readings == readings


@pytest.mark.parametrize(("text", "expected"), HOSTILE, ids=lambda v: repr(v)[:40])
def test_hostile_answers_are_bounded(text: str, expected: float | str) -> None:
    start = time.perf_counter()
    try:
        result: float | AnswerFormatError = read_number(text, unit="1", symbols=SHEET).value
    except AnswerFormatError as error:
        result = error
    assert time.perf_counter() - start < time_bound(1.0)
    if isinstance(expected, float):
        assert result == pytest.approx(expected)
    else:
        assert isinstance(result, AnswerFormatError)
        assert expected in result.message


def test_answer_is_frozen() -> None:
    answer = read_number(" 42 ", unit="1")
    assert answer == NumericAnswer(42.0, None, 2, "42")
    with pytest.raises(AttributeError):
        answer.value = 1.0  # type: ignore[misc]


def test_symbols_are_optional() -> None:
    assert read_number("2*3", unit="1").value == 6.0
    with pytest.raises(AnswerFormatError, match="unknown symbol 'L'"):
        read_number("2*L", unit="1")


def _run_python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_pint_is_imported_only_for_a_unit() -> None:
    code = (
        "import sys\n"
        "from grader.answers.numbers import read_number\n"
        "read_number('2 x 56 x 56 = 6 272', unit='FLOP', symbols={'L': 64.0})\n"
        "print('pint' in sys.modules)\n"
        "read_number('1.8 MFLOP', unit='FLOP')\n"  # a simple unit: read without pint
        "print('pint' in sys.modules)\n"
        "read_number('1.8 MFLOPs', unit='FLOP')\n"
        "print('pint' in sys.modules)\n"
    )
    assert _run_python(code).split() == ["False", "False", "True"]


# --- property tests -----------------------------------------------------------------------

UNITS = st.sampled_from(["FLOP", "byte", "FLOP/byte", "FLOP/s", "byte/s", "1"])
ANSWER_ALPHABET = list("0123456789.,'eExX+-*/^()=≈~ ×·−²³⁻¹LdKkMGTiBbFLOPSs/µ_§$\u2009\u00a0")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), UNITS)
def test_arbitrary_text_raises_only_answer_format_error(text: str, unit: str) -> None:
    try:
        answer = read_number(text, unit=unit, symbols=SHEET)
    except AnswerFormatError as error:
        assert error.message
    else:
        assert math.isfinite(answer.value)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(ANSWER_ALPHABET), max_size=40), UNITS)
def test_answer_like_text_raises_only_answer_format_error(text: str, unit: str) -> None:
    try:
        answer = read_number(text, unit=unit, symbols=SHEET)
    except AnswerFormatError as error:
        assert error.message
    else:
        assert math.isfinite(answer.value)
        assert answer.expression_value is None or math.isfinite(answer.expression_value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_repr_of_a_float_reads_back(number: float) -> None:
    assert read_number(repr(number), unit="1").value == number


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_thousands_separated_integers_read_back(number: int) -> None:
    text = f"{number:,}"
    if 1000 <= abs(number) < 1_000_000:
        # One comma and three digits: 1,806 is ambiguous by design.
        with pytest.raises(AnswerFormatError, match="ambiguous"):
            read_number(text, unit="1")
    else:
        assert read_number(text, unit="1").value == number
    assert read_number(text.replace(",", " "), unit="1").value == number
    assert read_number(text.replace(",", "\u2009"), unit="1").value == number


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_thousands_with_a_decimal_point_are_unambiguous(number: int) -> None:
    assert read_number(f"{number:,}.5", unit="1").value == float(f"{number}.5")


# --- choices ------------------------------------------------------------------------------

VERDICTS = {
    "memory-bound": [
        "memory bound",
        "memory",
        "bandwidth-bound",
        "bandwidth bound",
        "mem-bound",
        "memory limited",
        "bandwidth",
    ],
    "compute-bound": [
        "compute bound",
        "compute",
        "math-bound",
        "math bound",
        "compute limited",
        "math limited",
        "flop-bound",
    ],
}

CHOICES = [
    ("memory-bound", "memory-bound"),
    ("Memory-Bound", "memory-bound"),
    ("memory bound", "memory-bound"),
    ("MEMORY_BOUND", "memory-bound"),
    ("memory  bound.", "memory-bound"),
    ("  Memory bound. ", "memory-bound"),
    # the other choice negated: a TA reads the one affirmed (this was refused as naming both)
    ("memory-bound, not compute-bound", "memory-bound"),
    ("not memory bound but compute bound", "compute-bound"),
    ("memory", "memory-bound"),
    ("bandwidth-bound", "memory-bound"),
    ("Bandwidth", "memory-bound"),
    ("mem-bound", "memory-bound"),
    ("memory limited", "memory-bound"),
    ("memory-limited", "memory-bound"),
    ("memory-bound because its intensity is below the ridge", "memory-bound"),
    ("compute-bound", "compute-bound"),
    ("Compute bound.", "compute-bound"),
    ("compute", "compute-bound"),
    ("math-bound", "compute-bound"),
    ("math limited", "compute-bound"),
    ("FLOP-bound", "compute-bound"),
    ("compute_limited", "compute-bound"),
]

CHOICE_ERRORS = [
    ("memory-bound and compute-bound", "names both memory-bound and compute-bound"),
    ("not memory-bound", "unclear"),
    ("it isn't compute bound", "unclear"),
    ("banana", "is not one of: memory-bound, compute-bound"),
    ("", "no answer"),
    ("  .  ", "no answer"),
]


@pytest.mark.parametrize(("text", "expected"), CHOICES)
def test_read_choice(text: str, expected: str) -> None:
    assert read_choice(text, choices=VERDICTS) == expected


@pytest.mark.parametrize(("text", "fragment"), CHOICE_ERRORS)
def test_read_choice_errors(text: str, fragment: str) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        read_choice(text, choices=VERDICTS)
    assert fragment in caught.value.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_read_choice_raises_only_answer_format_error(text: str) -> None:
    with contextlib.suppress(AnswerFormatError):
        assert read_choice(text, choices=VERDICTS) in VERDICTS


# --- complexity ---------------------------------------------------------------------------

COMPLEXITIES = [
    ("O(L^2)", "O(L^2)"),
    ("O(L²)", "O(L^2)"),
    ("O(L**2)", "O(L^2)"),
    ("Θ(L^2)", "O(L^2)"),
    ("Theta(L^2)", "O(L^2)"),
    ("Ω(L^2)", "O(L^2)"),
    ("big O(L^2)", "O(L^2)"),
    ("L^2", "O(L^2)"),
    ("L²", "O(L^2)"),
    ("O(n^2)", "O(L^2)"),
    ("O(N²)", "O(L^2)"),
    ("O(x^2)", "O(L^2)"),
    ("quadratic", "O(L^2)"),
    ("Quadratic in L.", "O(L^2)"),
    ("linear", "O(L)"),
    ("constant", "O(1)"),
    ("cubic", "O(L^3)"),
    ("≈ L²/2", "O(L^2)"),
    ("O(L(L+1)/2)", "O(L^2)"),
    ("L*(L+1)/2", "O(L^2)"),
    ("L(L+1)/2", "O(L^2)"),
    ("0.5 L^2", "O(L^2)"),
    ("L^2/2 + L/2", "O(L^2)"),
    ("O(L^2 d)", "O(L^2)"),
    ("O(L^2 + L d)", "O(L^2)"),
    ("O(L^2) time", "O(L^2)"),
    ("O(1)", "O(1)"),
    ("O(L)", "O(L)"),
    ("O(2L)", "O(L)"),
    ("O(L^3)", "O(L^3)"),
    ("O(L log L)", "O(L log L)"),
    ("n log n", "O(L log L)"),
    ("O(L log_2 L + L)", "O(L log L)"),
    ("O(L^2 log L)", "O(L^2 log L)"),
    ("O(log L)", "O(log L)"),
    ("O(L log^2 L)", "O(L log^2 L)"),
    ("O(L^1.5)", "O(L^1.5)"),
]

COMPLEXITY_ERRORS = [
    ("", "no answer"),
    ("O()", "no answer"),
    ("banana", "unexpected word 'banana'"),
    ("Lorem ipsum", "unexpected word"),
    ("O(L^2) not O(L)", "unclear"),
    ("O(L^2) for full, O(L) for causal", "names 2 growth classes, O(L^2) and O(L)"),
    ("it is not quadratic", "unclear"),
    ("O(n d)", "cannot tell which letter is L"),
    ("O(2^L)", "cannot read"),
    ("O(L - L)", "cannot read"),
    ("O(-L)", "cannot read"),
    ("O(9**9**9)", "cannot read"),
    ("L" * 300, "too long"),
]


@pytest.mark.parametrize(("text", "expected"), COMPLEXITIES)
def test_read_complexity(text: str, expected: str) -> None:
    assert read_complexity(text, variable="L") == expected


@pytest.mark.parametrize(("text", "fragment"), COMPLEXITY_ERRORS)
def test_read_complexity_errors(text: str, fragment: str) -> None:
    start = time.perf_counter()
    with pytest.raises(AnswerFormatError) as caught:
        read_complexity(text, variable="L")
    assert time.perf_counter() - start < time_bound(1.0)
    assert fragment in caught.value.message


def test_complexity_with_declared_constants() -> None:
    assert read_complexity("O(n d)", variable="L", constants="dCHWK") == "O(L)"
    assert read_complexity("O(Ld)", variable="L", constants="dCHWK") == "O(L)"
    assert read_complexity("O(d)", variable="L", constants="dCHWK") == "O(1)"
    assert read_complexity("O(n^2)", variable="N") == "O(N^2)"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("OΘ()Ln^²23 +*/log d.")), max_size=30))
def test_read_complexity_raises_only_answer_format_error(text: str) -> None:
    with contextlib.suppress(AnswerFormatError):
        assert read_complexity(text, variable="L").startswith("O(")


# --- caches: keyed on everything that changes the result ---------------------------------------


def test_read_number_cache_keys_on_symbol_values() -> None:
    assert read_number("2*L", unit="1", symbols={"L": 3.0}).value == 6.0
    assert read_number("2*L", unit="1", symbols={"L": 4.0}).value == 8.0
    assert read_number(" 2*L ", unit="1", symbols={"L": 4.0}).text == "2*L"
    with pytest.raises(AnswerFormatError, match="unknown symbol 'L'"):
        read_number("2*L", unit="1")


def test_read_number_cache_keys_on_the_unit() -> None:
    assert read_number("2 KiB", unit="byte").value == 2048.0
    with pytest.raises(AnswerFormatError, match="this question wants"):
        read_number("2 KiB", unit="FLOP")


def test_a_refused_number_raises_afresh_each_time() -> None:
    errors = []
    for _ in range(2):
        with pytest.raises(AnswerFormatError) as caught:
            read_number("1,806", unit="FLOP")
        errors.append(caught.value)
    assert errors[0] is not errors[1]
    assert errors[0].message == errors[1].message


def test_read_complexity_cache_keys_on_the_constants() -> None:
    assert read_complexity("O(d^2)", variable="L") == "O(L^2)"  # d read as the student's name for L
    assert read_complexity("O(d^2)", variable="L", constants=("d",)) == "O(1)"
    assert read_complexity("O(d^2)", variable="L", constants={"d"}) == "O(1)"
    assert read_complexity("O(d^2)", variable="n") == "O(n^2)"


def test_signed_zero_symbols_are_not_confused() -> None:
    # 0.0 == -0.0 (and they hash alike), yet the sign reaches the value read.
    assert math.copysign(1, read_number("L", unit="1", symbols={"L": 0.0}).value) == 1
    assert math.copysign(1, read_number("L", unit="1", symbols={"L": -0.0}).value) == -1


# The values working may stand for, given the figures its numbers show (hand-computed ends:
# a literal with a decimal point is any value it is the rounding of; integers are exact).
BOUNDS = [
    ("2048*402.7", (2048 * 402.65, 2048 * 402.75), 4),
    ("402.7*2048", (2048 * 402.65, 2048 * 402.75), 4),  # the order does not matter
    ("2048 × 402.7", (2048 * 402.65, 2048 * 402.75), 4),  # as typeset
    ("2.5e2", (245.0, 255.0), 2),  # the exponent scales the last figure's unit
    ("2.5·10^2", (245.0, 255.0), 2),  # and so does a power of ten written out
    ("4.03e8*2", (2 * 4.025e8, 2 * 4.035e8), 3),
    ("0.50*4", (1.98, 2.02), 2),  # trailing zeros after the point are figures
    (".5*4", (1.8, 2.2), 1),
    ("1.8/0.80", (1.75 / 0.805, 1.85 / 0.795), 2),  # a quotient: its widest ends
    ("10-0.4", (9.55, 9.65), 1),  # a difference takes the other end of what it subtracts
    ("-1.5*2", (-3.1, -2.9), 2),
    ("+1.5", (1.45, 1.55), 2),
    ("1.5^2", (1.45**2, 1.55**2), 2),  # a positive base to a power: monotonic
    ("1.5^(-1)", (1 / 1.55, 1 / 1.45), 2),
    ("(-2)^2*1.5", (5.8, 6.2), 2),  # an exact power of a negative number is exact
    ("2*L*1.5", (2 * 64 * 1.45, 2 * 64 * 1.55), 2),  # symbols are exact
    ("2 L 1.5", None, 0),  # two operands side by side: not read, and no bounds
    ("1.25*12.5", (1.245 * 12.45, 1.255 * 12.55), 3),  # the fewest figures of any literal
    ("1.2*12.5", (1.15 * 12.45, 1.25 * 12.55), 2),  # ... wherever it stands
    ("1.5+2.25", (1.45 + 2.245, 1.55 + 2.255), 2),  # a sum: the sums of the like ends
    ("0.5^2", (0.45**2, 0.55**2), 1),  # a positive base below 1 to a power: monotonic too
    # none: nothing shows a rounding, or the bounds cannot be followed through
    ("4*128^2", None, 0),
    ("2048*402", None, 0),
    ("1e5*2", None, 0),  # an integer in scientific form: exact
    ("1/(0.5-0.5)", None, 0),  # the divisor may be 0
    ("(0.5-0.5)^2", None, 0),  # a base that may be 0 or negative, under a power
    # 1.1 is 1.05 to 1.15 and 1.0 is 0.95 to 1.05: the base's least end is exactly 0, where
    # a power may have no bound (0 to a negative power): not followed through
    ("(1.1-1.0)^2", None, 0),
    ("2.5*y", None, 0),  # a name that is no symbol: no value to bound
    ("2^0.5", None, 0),  # a rounded exponent
    ("(-8)^(1/3)*1.5", None, 0),  # not a real number
    ("1.5*", None, 0),  # not arithmetic
    ("1e400*1.5", None, 0),  # beyond the floats
    ("1.5e999", None, 0),
    ("1.79769e308", None, 0),  # a number whose upper end (1.797695e308) is beyond them
    # a plain number, read without parsing: the same as inside working
    ("2.25", (2.245, 2.255), 3),
    ("250.", (249.5, 250.5), 3),
    ("2.25e-3", (0.002245, 0.002255), 3),
    ("1e5", None, 0),
]


@pytest.mark.parametrize(("text", "ends", "figures"), BOUNDS)
def test_rounding_bounds(text: str, ends: tuple[float, float] | None, figures: int) -> None:
    found = rounding_bounds(text, {"L": 64})
    if ends is None:
        assert found is None
        return
    assert found is not None
    assert (found.low, found.high) == pytest.approx(ends, rel=1e-12)
    assert found.figures == figures


def test_rounding_scales_by_a_positive_factor_only() -> None:
    rounding = Rounding(1.0, 2.0, 3)
    assert rounding.scaled(1e6) == Rounding(1e6, 2e6, 3)
    assert rounding.scaled(1.0) == rounding
    assert rounding.scaled(1e-3) == Rounding(1e-3, 2e-3, 3)  # ms to s, say
    assert rounding.scaled(0.0) is None
    assert rounding.scaled(-1.0) is None
    assert rounding.scaled(math.inf) is None


@pytest.mark.parametrize(
    ("text", "unit", "ends"),
    [
        # converted to the part's unit with the value
        ("2048 × 402.7 MFLOP", "FLOP", (2048 * 402.65e6, 2048 * 402.75e6)),
        ("0.4027 GFLOP", "FLOP", (402.65e6, 402.75e6)),
        ("785.1 KiB", "byte", (785.05 * 1024, 785.15 * 1024)),
        # a unit of the inverse dimension turns the ends around
        ("0.0040 byte/FLOP", "FLOP/byte", (1 / 0.00405, 1 / 0.00395)),
        # a count times a quantity: the product of the factors' ends
        ("201.3M params × 2 B", "byte", (2 * 201.25e6, 2 * 201.35e6)),
        ("2 B × 201.3M", "byte", (2 * 201.25e6, 2 * 201.35e6)),
        ("1.5 × 2.5 MB", "byte", (1.45 * 2.45e6, 1.55 * 2.55e6)),
        ("0.2 B params", "1", (0.15e9, 0.25e9)),  # a billion before a counted word
    ],
)
def test_a_read_answer_carries_its_rounding(
    text: str, unit: str, ends: tuple[float, float]
) -> None:
    rounding = read_number(text, unit=unit).rounding
    assert rounding is not None
    assert (rounding.low, rounding.high) == pytest.approx(ends, rel=1e-12)


def test_an_exact_answer_has_no_rounding() -> None:
    assert read_number("2 × 56 × 56 × 9 × 32", unit="FLOP").rounding is None
    assert read_number("201326592 params × 2 B", unit="byte").rounding is None
    # turned around, bounds with an end at 0 (0.0 is -0.05 to 0.05), or across it, have no
    # finite ends: none are given
    assert read_number("(0.0 + 0.1) byte/FLOP", unit="FLOP/byte").rounding is None
    assert read_number("(0.5 - 0.45) byte/FLOP", unit="FLOP/byte").rounding is None
    # a positive interval turns around (the inverted test above); a negative one too:
    # 0.1 - 0.3 is -0.3 to -0.1 (0.05 - 0.35, 0.15 - 0.25), turned around -10 to -3.33
    negative = read_number("(0.1 - 0.3) byte/FLOP", unit="FLOP/byte").rounding
    assert negative is not None
    assert (negative.low, negative.high) == pytest.approx((1 / -0.1, 1 / -0.3), rel=1e-12)


def test_working_keeps_its_own_rounding() -> None:
    # "expr = result": the working's bounds are kept apart from the stated result's
    answer = read_number("2048 × 402.7 MFLOP = 824.7 GFLOP", unit="FLOP")
    assert answer.expression_rounding is not None
    assert (answer.expression_rounding.low, answer.expression_rounding.high) == pytest.approx(
        (2048 * 402.65e6, 2048 * 402.75e6), rel=1e-12
    )
    assert answer.rounding is not None
    assert (answer.rounding.low, answer.rounding.high) == pytest.approx(
        (824.65e9, 824.75e9), rel=1e-12
    )
    exact = read_number("4 × 128² = 65k", unit="1")
    assert exact.expression_rounding is None and exact.rounding is None


@pytest.mark.parametrize(
    ("text", "macs"),
    [
        ("903168 MACs", True),
        ("67M MACs", True),
        ("1.8 MMAC", True),
        ("56·56·9·32 = 903,168 MACs", True),  # the stated result's label
        ("903,168 MAC -> 1,806,336", False),  # the label of the working is not the result's
        ("1806336 FLOP", False),
        ("1806336", False),
    ],
)
def test_a_count_labelled_as_macs_is_marked(text: str, macs: bool) -> None:
    assert read_number(text, unit="FLOP").macs is macs


@pytest.mark.parametrize(
    ("text", "unit", "value", "ends"),
    [
        # the weights and the caches, each with its unit: 402.7 MB + 536.9 MB = 939.6 MB, each
        # rounded to 0.05 MB either way
        ("402.7 MB + 536.9 MB", "byte", 939.6e6, (939.5e6, 939.7e6)),
        # a term may be a count times a quantity: 16 × 33.55 MB = 536.8 MB, give or take
        # 16 × 0.005 MB; with 402.7 MB's 0.05 MB, 939.37 MB to 939.63 MB
        ("402.7 MB + 16 × 33.55 MB", "byte", 939.5e6, (939.37e6, 939.63e6)),
        ("384 MiB + 512 MiB", "byte", 939_524_096.0, None),  # exact
        # the sign of an exponent is no sum's: 1e+06 B is one term
        ("1e+06 B + 384 MiB", "byte", 1e6 + 402_653_184, None),
        # a comma group on a byte count is a thousands separator, in a term too
        ("3,333 B + 1 KB", "byte", 4333.0, None),
    ],
)
def test_a_sum_of_quantities(
    text: str, unit: str, value: float, ends: tuple[float, float] | None
) -> None:
    answer = read_number(text, unit=unit, whole=True)  # a byte count, as grading reads it
    assert answer.value == pytest.approx(value, rel=1e-12)
    if ends is None:
        assert answer.rounding is None
    else:
        assert answer.rounding is not None
        assert (answer.rounding.low, answer.rounding.high) == pytest.approx(ends, rel=1e-12)


@pytest.mark.parametrize(
    "text",
    [
        "402.7 MB + 536.9",  # a bare number among quantities: which unit is it in?
        "2 MB + 3 GB/s",  # a bandwidth is no amount of data
        "402.7 MB + ",  # nothing to add
        "0.004 byte/FLOP + 1 MB",  # turned around: no sum a TA would add
    ],
)
def test_what_is_no_sum_of_quantities(text: str) -> None:
    with pytest.raises(AnswerFormatError):
        read_number(text, unit="byte")
