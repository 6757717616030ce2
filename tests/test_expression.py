"""The safe arithmetic evaluator: spellings students use, and hostile input (reliability §3)."""

from __future__ import annotations

import ast
import math
import re
import time
from collections.abc import Callable

import pytest
from bounds import time_bound
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.answers import expression
from grader.answers.expression import evaluate, normalise
from grader.errors import AnswerFormatError

SHEET = {"L": 64.0, "d": 128.0, "C": 32.0, "H": 56.0, "W": 56.0, "K": 3.0}
TIME_BOUND = 1.0  # seconds; every row below actually takes well under a millisecond


def timed(call: Callable[[], object]) -> tuple[object, float]:
    """Run ``call``; return its result (or the AnswerFormatError it raised) and the seconds."""
    start = time.perf_counter()
    try:
        result: object = call()
    except AnswerFormatError as error:
        result = error
    return result, time.perf_counter() - start


ACCEPTED = [
    ("2 × 56 × 56 × 3 × 3 × 32", 1806336.0),
    ("2*64*128^2", 2097152.0),  # ^ is a power, not XOR (simpleeval/sympy give 16386)
    ("128²", 16384.0),  # not 1282, the NFKC trap
    ("2·3", 6.0),
    ("2⋅3", 6.0),
    ("2∗3", 6.0),
    ("6÷4", 1.5),
    ("10−3", 7.0),  # U+2212 minus
    ("10–3", 7.0),  # en dash
    ("−5", -5.0),
    ("+5", 5.0),
    ("2e14/8e11", 250.0),
    ("64*65/2", 2080.0),
    ("64·65/2", 2080.0),
    ("2 x 56", 112.0),
    ("2 X 56", 112.0),
    ("2x56", 112.0),
    ("2.5 x 10^2", 250.0),
    ("2.5·10^2", 250.0),
    ("2.5×10²", 250.0),
    ("10^2", 100.0),
    ("2.5e2", 250.0),
    ("2.5E+2", 250.0),
    ("2.5e-1", 0.25),
    (".5", 0.5),
    ("5.", 5.0),
    ("2⁻¹", 0.5),
    ("10¹⁰", 1e10),
    ("2³", 8.0),
    ("10^-3", 0.001),
    ("2^3^2", 512.0),  # right-associative, as in mathematics
    ("４２", 42.0),  # full-width digits
    ("（１＋２）＊３", 9.0),  # full-width parentheses and operators
    ("  42  ", 42.0),
    ("1e308", 1e308),
    ("1e-400", 0.0),  # underflow is harmless
]

ACCEPTED_WITH_SYMBOLS = [
    ("2*L*L*d", 1048576.0),
    ("L^2", 4096.0),
    ("L²*d", 524288.0),
    ("2 x L", 128.0),
    ("L x L x d", 524288.0),
    ("L*(L+1)/2", 2080.0),
    ("2*H*W*C*K*K", 1806336.0),
    # implicit products, as in textbooks
    ("2L", 128.0),
    ("2 L^2 d", 1048576.0),
    ("L(L+1)/2", 2080.0),
    ("2(L·d)", 16384.0),
    ("3 · 2Ld²", 6291456.0),
    ("4 d^2", 65536.0),
    ("2 CHW", 200704.0),  # every letter a symbol: their product
    ("(L+1)(L-1)", 4095.0),
    ("(L+1) d", 8320.0),
    ("d(L+1)/2", 4160.0),
    ("(1/2) L", 32.0),
    ("L/(2d)", 0.25),
    ("2(3)", 6.0),
]

REJECTED = [
    ("", "no answer"),
    ("   ", "no answer"),
    ("2 § 3", "unexpected character '§'"),
    ("5 $ GB", "unexpected character '$'"),
    ("2,25", "unexpected ','"),
    ("1,000", "unexpected ','"),
    ("1/0", "division by zero"),
    ("0^-1", "division by zero"),
    ("1e400", "number too large"),
    ("1e200*1e200", "number too large"),
    ("nan", "'nan' is not a finite number"),
    ("inf", "'inf' is not a finite number"),
    ("Infinity", "not a finite number"),
    ("(-8)^(1/3)", "not a real number"),
    ("q", "unknown symbol 'q'"),
    ("2 3", "write 2*3"),
    ("L 2", "missing operator between 'L' and '2'"),
    ("(L+1)2", "missing operator"),
    ("1/2 L", "a product right after '/' is ambiguous: write 1/2*L or 1/(2*L)"),
    ("L/2d", "write L/2*d or L/(2*d)"),
    ("2 q", "unknown symbol 'q'"),
    ("Lq", "unknown symbol 'Lq'"),
    ("lambda: 0", "is not allowed"),
    ("1 if 2 else 3", "is not allowed"),
    ("a.b", "is not allowed"),
    ("[1, 2]", "unexpected ','"),
    ("[1]", "is not allowed"),
    ("1 < 2", "is not allowed"),
    ("2//3", "operator"),
    ("2%3", "operator"),
    ("~5", "operator"),
    ("'abc'", "is not a number"),
    ("1_000", "is not a number"),
    ("1j", "is not a number"),
    ("True", "is not a number"),
    ("0x1F", "unknown symbol 'F'"),
    ("1½", "unexpected character '½'"),
    ("2₂", "unexpected character '₂'"),
    ("(2", "unbalanced parentheses"),
    ("2*", "cannot read"),
    ("x", "unknown symbol 'x'"),
]

HOSTILE = [
    # §3.1: each must be refused at once, never computed.
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
    ("open('/etc/hostname')", "function calls like 'open(...)' are not allowed"),
    ("while True: pass", "unexpected character ':'"),
    ("[x for x in range(10**7)]", "unexpected character '['"),
    ("(x for x in range(10**7))", "unknown symbol"),
    ("lambda: __import__('os')", "is not allowed"),
    ("().__class__.__bases__", "is not allowed"),
    # Just under the length cap: still bounded by the node cap.
    ("1+" * 99 + "1", "too complex"),
    ("-" * 150 + "1", "too complex"),
    ("(" * 99 + "1" + ")" * 99, 1.0),  # deep but legal
    ("﷽" * 200, None),  # NFKC expands each character to 18: still refused quickly
    ("⑴" * 200, None),
    # §3.2: ordinary spellings, no silent wrong value.
    ("10−3", 7.0),
    ("−5", -5.0),
    ("2 § 3", "unexpected character '§'"),
    ("5 $ GB", "unexpected character '$'"),
    ("2,25", "unexpected ','"),
    ("1,000", "unexpected ','"),
    ("", "no answer"),
    ("1/0", "division by zero"),
    ("1e400", "number too large"),
    ("nan", "not a finite number"),
    ("inf", "not a finite number"),
    ("128²", 16384.0),
    ("2*64*128^2", 2097152.0),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_spellings(text: str, expected: float) -> None:
    assert evaluate(text) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), ACCEPTED_WITH_SYMBOLS)
def test_sheet_symbols(text: str, expected: float) -> None:
    assert evaluate(text, SHEET) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "fragment"), REJECTED)
def test_rejected_with_message(text: str, fragment: str) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        evaluate(text, SHEET)
    assert fragment in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(("text", "expected"), HOSTILE, ids=lambda v: repr(v)[:40])
def test_hostile_input_is_bounded(text: str, expected: float | str | None) -> None:
    result, seconds = timed(lambda: evaluate(text, SHEET))
    assert seconds < time_bound(TIME_BOUND)
    if isinstance(expected, float):
        assert result == pytest.approx(expected)
    else:
        assert isinstance(result, AnswerFormatError)
        assert expected is None or expected in result.message


def test_unknown_symbol_lists_the_allowed_ones() -> None:
    with pytest.raises(AnswerFormatError, match=r"unknown symbol 'q'; allowed: C, H, K, L, W, d"):
        evaluate("2*q", SHEET)


def test_x_is_a_symbol_when_the_sheet_binds_it() -> None:
    assert evaluate("2*x", {"x": 3.0}) == 6.0
    with pytest.raises(AnswerFormatError):
        evaluate("2 x 3", {"x": 3.0})


def test_normalise_rewrites_superscripts_before_nfkc() -> None:
    assert normalise("128²") == "128**(2)"
    assert normalise("2.5 × 10⁻³ − 1") == "2.5 * 10**(-3) - 1"
    assert normalise("４２") == "42"


def test_every_number_is_a_float() -> None:
    assert isinstance(evaluate("2"), float)
    assert isinstance(evaluate("2*L", {"L": 3}), float)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_raises_only_answer_format_error(text: str) -> None:
    try:
        value = evaluate(text, SHEET)
    except AnswerFormatError as error:
        assert error.message
    else:
        assert value == value and abs(value) != float("inf")


ARITHMETIC = st.text(
    alphabet=st.sampled_from(list("0123456789.eE+-*/^()×·−²³⁻¹ xLd,_")), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(ARITHMETIC)
def test_arithmetic_like_text_raises_only_answer_format_error(text: str) -> None:
    result, seconds = timed(lambda: evaluate(text, SHEET))
    assert seconds < time_bound(TIME_BOUND)
    assert isinstance(result, float | AnswerFormatError)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_repr_of_a_float_reads_back(number: float) -> None:
    assert evaluate(repr(number)) == number


# --- the plain-number fast path and the caches ------------------------------------------------


def parsed(text: str, symbols: dict[str, float] | None = None) -> float:
    """The value by the normalise-parse-walk path alone, bypassing the plain-number shortcut."""
    names = symbols or {}
    return expression._compile(text, frozenset(names))(names)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("288", 288.0),
        ("1806336", 1806336.0),
        ("2.25", 2.25),
        ("0", 0.0),
        ("00", 0.0),  # a Python literal
        ("5.", 5.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("0.1e-2", 0.001),
        ("09.5", 9.5),  # a float literal may start with zeros ...
        ("007", "cannot read '007'"),  # ... an integer may not: the parser words the error
        ("1e400", "number too large"),  # infinite: refused as before
        ("9" * 200, 1e200),  # an int literal, rounded to the nearest float as float() does
        ("1e308", 1e308),
        ("2e308", "number too large"),
    ],
)
def test_plain_numbers_read_as_the_parser_reads_them(text: str, expected: float | str) -> None:
    for read in (evaluate, parsed):
        if isinstance(expected, str):
            with pytest.raises(AnswerFormatError, match=re.escape(expected)):
                read(text)
        else:
            assert read(text) == expected


@given(st.floats(min_value=0, max_value=1e150) | st.integers(0, 10**30))
def test_plain_number_shortcut_gives_the_parsed_value(number: float) -> None:
    for text in (repr(number), f"{number:e}", f"{number:.3f}"):
        assert evaluate(text) == parsed(text)


def test_cached_programs_read_each_callers_symbol_values() -> None:
    assert evaluate("2*L", {"L": 3.0}) == 6.0
    assert evaluate("2*L", {"L": 4.0}) == 8.0
    with pytest.raises(AnswerFormatError, match="unknown symbol 'L'"):
        evaluate("2*L")
    with pytest.raises(AnswerFormatError, match="number too large"):
        evaluate("2*L", {"L": math.inf})
    assert evaluate("2*L", {"L": 5}) == 10.0


def test_cache_keys_on_which_names_the_sheet_binds() -> None:
    assert evaluate("2 x 3") == 6.0  # x is a times sign ...
    with pytest.raises(AnswerFormatError):
        evaluate("2 x 3", {"x": 3.0})  # ... unless the sheet binds x
    with pytest.raises(AnswerFormatError, match=r"allowed: a$"):
        evaluate("q", {"a": 1.0})
    with pytest.raises(AnswerFormatError, match=r"allowed: b$"):
        evaluate("q", {"b": 1.0})


@pytest.mark.parametrize(
    ("text", "symbols", "message"),
    [
        # The first problem in evaluation order wins, as when the tree was walked directly.
        ("1/0 + foo(2)", None, "division by zero"),
        ("foo(2) + 1/0", None, "function calls like 'foo(...)' are not allowed"),
        ("L + q", {"L": math.inf}, "number too large"),
        ("q + L", {"L": math.inf}, "unknown symbol 'q'; allowed: L"),
        ("1/0 + 2**1e10", None, "division by zero"),
        ("2**1e10 + 1/0", None, "number too large"),
        ("1j + 1e200*1e200", None, "'1j' is not a number"),
        ("1e200*1e200 + 1j", None, "number too large"),
        ("(-8)**(1/3) + q", None, "the result is not a real number"),
    ],
)
def test_errors_come_in_evaluation_order(
    text: str, symbols: dict[str, float] | None, message: str
) -> None:
    for _ in range(2):  # the second time from the cache
        with pytest.raises(AnswerFormatError) as caught:
            evaluate(text, symbols)
        assert caught.value.message == message


def test_a_cached_refusal_raises_a_fresh_error_each_time() -> None:
    errors = []
    for _ in range(2):
        with pytest.raises(AnswerFormatError) as caught:
            evaluate("2 § 3 + 17")
        errors.append(caught.value)
    assert errors[0] is not errors[1]
    assert errors[0].message == errors[1].message


def test_running_out_of_stack_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parser's RecursionError depends on the caller's stack depth, not on the text.
    def exhausted(*args: object, **kwargs: object) -> ast.Expression:
        raise RecursionError

    text = "3*(4+5)-6/7"
    monkeypatch.setattr(expression.ast, "parse", exhausted)
    with pytest.raises(AnswerFormatError):
        evaluate(text)
    monkeypatch.undo()
    assert evaluate(text) == pytest.approx(3 * 9 - 6 / 7)
