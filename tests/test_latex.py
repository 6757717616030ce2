"""LaTeX pasted into answers (grader.answers.latex): what each command becomes, what is refused
by name, and that hostile LaTeX ends in a message, never a traceback.

Values by hand: 2·56·56·9·32 = 1,806,336; 64·65/2 = 2,080 (L = 64); 200e12 / 800e9 = 250;
2^25 = 33,554,432; 4.03e8 byte; 1.47e-2 s = 14.7 ms.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.answers.latex import plain_from_latex
from grader.answers.numbers import read_complexity, read_number
from grader.errors import AnswerFormatError

SHEET = {"L": 64.0, "d": 128.0, "C": 32.0, "H": 56.0, "W": 56.0, "K": 3.0}

REWRITTEN = [
    ("1806336", "1806336"),  # no LaTeX: the very same text
    (r"2 \cdot 3", "2 ·3"),
    (r"2\times10^{6}", "2×10^(6)"),
    (r"a \div b", "a ÷b"),
    (r"\approx 2.25", "≈2.25"),
    ("$L^{2}$", "L^(2)"),
    (r"\frac{L(L+1)}{2}", "(L(L+1))/(2)"),
    (r"\dfrac {1} {2}", "(1)/(2)"),
    (r"1\,806\,336", "1 806 336"),
    ("2{,}25", "2,25"),
    (r"250\ \mathrm{FLOP/B}", "250 FLOP/B"),
    (r"461\,\mu\text{s}", "461 µs"),
    (r"d_{ff}", "d_ff"),
    (r"\left(L \cdot d\right)", "(L ·d)"),
    (r"\(2\cdot3\)", "2·3"),
    (r"\mathcal{O}(L^{2})", "O(L^(2))"),
    (r"\Theta(L^2)", "Θ(L^2)"),
]


@pytest.mark.parametrize(("text", "plain"), REWRITTEN)
def test_rewritten(text: str, plain: str) -> None:
    assert plain_from_latex(text) == plain


READ = [
    (r"2 \cdot 56 \cdot 56 \cdot 3^2 \cdot 32", "FLOP", 1806336.0),
    (r"$\frac{L(L+1)}{2}$", "1", 2080.0),
    (r"\frac{200 \cdot 10^{12}}{800 \cdot 10^{9}}", "FLOP/byte", 250.0),
    (r"2^{25}", "byte", 33554432.0),
    (r"$4.03 \times 10^{8}$ B", "byte", 4.03e8),
    (r"1.47 \times 10^{-2}\,\text{s}", "s", 0.0147),
    (r"14.7\,\mathrm{ms}", "s", 0.0147),
    (r"1\,806\,336 = 2 \cdot 56^2 \cdot 9 \cdot 32", "FLOP", 1806336.0),
]


@pytest.mark.parametrize(("text", "unit", "value"), READ)
def test_read_as_numbers(text: str, unit: str, value: float) -> None:
    answer = read_number(text, unit=unit, symbols=SHEET)
    assert answer.value == pytest.approx(value, rel=1e-12)
    assert answer.text == text  # what the student wrote, not its rewriting


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (r"\sqrt{82944}", r"the LaTeX command '\sqrt' cannot be graded"),
        (r"\log_2 L", r"'\log'"),
        (r"\frac{1}", r"'\frac' needs its arguments in braces"),
        (r"\frac12", r"'\frac' needs its arguments in braces"),
        ("1\\", r"cannot read '\'"),
        ("$$", "no answer"),
        ("$ $", "no answer"),
        ("5 $ GB", "unexpected character '$'"),  # a lone dollar delimits nothing
        (r"\text{}", "no answer"),
        ("{" * 150 + "1", "unbalanced braces"),
        ("{1", "unbalanced braces"),
        ("1}", "unbalanced braces"),
    ],
)
def test_refused_with_a_message(text: str, fragment: str) -> None:
    with pytest.raises(AnswerFormatError) as refused:
        read_number(text, unit="FLOP", symbols=SHEET)
    assert fragment in refused.value.message


def test_a_growth_class_in_latex() -> None:
    assert read_complexity(r"$\mathcal{O}(L^{2})$", variable="L") == "O(L^2)"
    assert read_complexity(r"\Theta(L \cdot d)", variable="L", constants="d") == "O(L)"
    with pytest.raises(AnswerFormatError):
        read_complexity(r"\sqrt{L}", variable="L")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="\\${}^_,.;!() 0123456789LdxfracdotimesO", max_size=60))
def test_latex_like_text_raises_only_answer_format_error(text: str) -> None:
    with contextlib.suppress(AnswerFormatError):
        read_number(text, unit="FLOP", symbols=SHEET)
    with contextlib.suppress(AnswerFormatError):
        read_complexity(text, variable="L")
