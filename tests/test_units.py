"""Units: splitting number from unit, and converting with the minimal pint registry (§4)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from bounds import time_bound

from grader.answers import units as _units
from grader.answers.numbers import read_number
from grader.answers.simple_units import simple_factor
from grader.answers.units import split_number_unit, to_unit
from grader.errors import AnswerFormatError

SYMBOLS = {"L", "d", "C", "H", "W", "K"}

CONVERSIONS = [
    # reliability §4 rows
    (1.8, "MFLOPs", "FLOP", 1.8e6),
    (200, "TFLOP/s", "FLOP/s", 2e14),
    (200, "TFLOPS", "FLOP/s", 2e14),
    (200, "TFLOPs", "FLOP/s", 2e14),  # the sheet writes the rate this way
    (250, "FLOPs/byte", "FLOP/byte", 250.0),
    # FLOPS where no rate is wanted: the plural of FLOP (convert() adds a note)
    (1.8, "MFLOPS", "FLOP", 1.8e6),
    (250, "FLOPS/byte", "FLOP/byte", 250.0),
    (250, "FLOPS/B", "FLOP/byte", 250.0),
    (800, "GB/s", "byte/s", 8e11),
    (6000, "GB/s", "byte/s", 6e12),
    (2, "MB", "byte", 2e6),
    (1, "MiB", "byte", 1048576.0),
    (785.1, "KiB", "byte", 803942.4),
    (1, "EB", "byte", 1e18),
    # decided spellings
    (2, "KB", "byte", 2000.0),
    (2, "kB", "byte", 2000.0),
    (8, "kb", "byte", 1000.0),
    (8, "Mb", "byte", 1e6),
    (1, "bytes", "byte", 1.0),
    (1, "Byte", "byte", 1.0),
    (1, "GiB/s", "byte/s", 2.0**30),
    (1, "GB/sec", "byte/s", 1e9),
    (1.8, "MFLOP", "FLOP", 1.8e6),
    (1.8, "M FLOP", "FLOP", 1.8e6),
    (1.8, "MFLOPs", "FLOP", 1.8e6),
    (1.8, "Mflops", "FLOP", 1.8e6),
    (1, "Gflops", "FLOP/s", 1e9),
    (1, "GFLOPs/s", "FLOP/s", 1e9),
    (1, "GFLOP/s", "FLOP/s", 1e9),
    (250, "FLOP/B", "FLOP/byte", 250.0),
    (250, "FLOP/byte", "FLOP/byte", 250.0),
    (250, "flop/byte", "FLOP/byte", 250.0),
    (250, "FLOP per byte", "FLOP/byte", 250.0),
    (250, "FLOPs per byte", "FLOP/byte", 250.0),
    # bare prefixes for any part, count words for plain counts
    (1.8, "M", "FLOP", 1.8e6),
    (2, "k", "byte", 2000.0),
    (1.05, "G", "FLOP/s", 1.05e9),
    (2, "K", "1", 2000.0),
    (288, "parameters", "1", 288.0),
    (288, "params", "1", 288.0),
    (288, "weights", "1", 288.0),
    (4096, "scores", "1", 4096.0),
    (4096, "dot products", "1", 4096.0),
    (10, "operations", "1", 10.0),
    (10, "ops", "1", 10.0),
    (10, "exps", "1", 10.0),
    (10, "elements", "1", 10.0),
    (1.8, "M params", "1", 1.8e6),
    (1.8, "Mparams", "1", 1.8e6),
    (5, "", "FLOP", 5.0),
]

REJECTED = [
    (1.8, "MFLOP/s", "FLOP", "'MFLOP/s' is a rate (FLOP per second)"),
    (1, "GFLOPs/s", "FLOP", "is a rate"),
    (1, "MFLOP", "FLOP/s", "is a count of FLOP; this question wants a rate (FLOP per second)"),
    (1, "GB", "byte/s", "is an amount of data (bytes); this question wants a bandwidth"),
    (1, "B/FLOP", "FLOP/byte", "'B/FLOP' is the inverse of an arithmetic intensity"),
    (1, "B/s", "FLOP/byte", "is a bandwidth (bytes per second)"),
    (1, "FLOP", "1", "this question wants a plain number (no unit)"),
    (1, "ms", "FLOP/s", "is a time"),
    (
        288,
        "parameters",
        "FLOP",
        "'parameters' is a plain count; this question wants a count of FLOP",
    ),
    (1, "mb", "byte", "'mb' is ambiguous: did you mean MB?"),
    (1, "mB", "byte", "did you mean MB?"),
    (1, "mFLOP", "FLOP", "did you mean MFLOP?"),
    (1, "gb", "byte", "unknown unit 'gb' (did you mean GB?)"),
    (1, "furlongs", "byte", "unknown unit 'furlongs'"),
    (1, "L", "FLOP", "unknown unit 'L'"),
    (1, "/", "FLOP", "cannot read the unit"),
    (1, "FLOP/", "FLOP", "cannot read the unit"),
    (1, "s^2", "FLOP", "unexpected character '^'"),
    (1, "FLOP·s⁻¹", "FLOP/s", "unexpected character '⁻'"),
    (1, "B2", "byte", "unexpected character '2'"),
    (1, "B" * 33, "byte", "too long"),
    (1, "FLOP/" * 2000, "FLOP", "too long"),
    (1, "m" * 5000, "FLOP", "too long"),
    (1e300, "PB", "byte", "number too large"),
]

SPLITS = [
    ("2*L*L*d", ("2*L*L*d", "")),
    ("2*L*L*d FLOP", ("2*L*L*d", "FLOP")),
    ("2 MFLOP", ("2", "MFLOP")),
    ("2MFLOP", ("2", "MFLOP")),
    ("2.5e2 FLOP", ("2.5e2", "FLOP")),
    ("2.5E+2 GB/s", ("2.5E+2", "GB/s")),
    ("8e11", ("8e11", "")),
    ("2e14/8e11 FLOP/byte", ("2e14/8e11", "FLOP/byte")),
    ("2 x 10^6 FLOP", ("2 x 10^6", "FLOP")),
    ("2 × 10⁶ FLOP", ("2 × 10⁶", "FLOP")),
    ("64·65/2", ("64·65/2", "")),
    ("1EB", ("1", "EB")),
    ("3e", ("3", "e")),
    ("L² FLOP", ("L²", "FLOP")),
    ("d FLOP", ("d", "FLOP")),
    ("2 x L", ("2 x L", "")),
    ("L x L x d B", ("L x L x d", "B")),
    ("(L+1)*L/2 scores", ("(L+1)*L/2", "scores")),
    ("2*K", ("2*K", "")),
    ("2L", ("2L", "")),  # a product of a number and a symbol
    ("2 L^2 d FLOP", ("2 L^2 d", "FLOP")),
    ("2Ld B", ("2Ld", "B")),  # a run of symbols
    ("2 KB", ("2", "KB")),  # not a run of symbols: B is not one
    ("2 K^2", ("2 K^2", "")),  # the kernel size, squared
    ("2 K d", ("2 K d", "")),
    ("1 806 336 FLOP", ("1 806 336", "FLOP")),
    ("2,25 FLOP/byte", ("2,25", "FLOP/byte")),
    ("5 $ GB", ("5 $", "GB")),
    ("nan", ("", "nan")),
    ("", ("", "")),
]


@pytest.mark.parametrize(("value", "unit_text", "target", "expected"), CONVERSIONS)
def test_conversions(value: float, unit_text: str, target: str, expected: float) -> None:
    assert to_unit(value, unit_text, target) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("value", "unit_text", "target", "fragment"), REJECTED)
def test_rejected_units(value: float, unit_text: str, target: str, fragment: str) -> None:
    start = time.perf_counter()
    with pytest.raises(AnswerFormatError) as caught:
        to_unit(value, unit_text, target)
    assert time.perf_counter() - start < time_bound(1.0)
    assert fragment in caught.value.message


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_number_unit(text: str, expected: tuple[str, str]) -> None:
    assert split_number_unit(text, SYMBOLS) == expected


def test_split_without_symbols_reads_letters_as_unit() -> None:
    assert split_number_unit("2*L*L*d") == ("2*", "L*L*d")


def test_overflowing_number_with_unit_fails_fast() -> None:
    start = time.perf_counter()
    with pytest.raises(AnswerFormatError, match="number too large"):
        read_number("9**9**9 GB", unit="byte")
    assert time.perf_counter() - start < time_bound(1.0)


def test_odd_pint_failures_become_answer_format_errors() -> None:
    for unit_text in ("(", ")", "()", "B)", "*B", "B//", "per", "s per"):
        with pytest.raises(AnswerFormatError):
            to_unit(1.0, unit_text, "byte")


def test_cached_unit_factor_scales_each_value() -> None:
    assert to_unit(2.0, "MFLOP", "FLOP") == 2e6
    assert to_unit(3.0, "MFLOP", "FLOP") == 3e6
    with pytest.raises(AnswerFormatError, match="this question wants"):
        to_unit(3.0, "MFLOP", "FLOP/s")  # the cache keys on the part's unit too
    with pytest.raises(AnswerFormatError, match="number too large"):
        to_unit(1e300, "EFLOP", "FLOP")  # the product is checked for every value


def test_a_refused_unit_raises_afresh_each_time() -> None:
    errors = []
    for _ in range(2):
        with pytest.raises(AnswerFormatError) as caught:
            to_unit(1.0, "MFLOP/s", "FLOP")
        errors.append(caught.value)
    assert errors[0] is not errors[1]
    assert errors[0].message == errors[1].message


@pytest.mark.parametrize("text", ["2 × 56 = 112", " 128² ", "(1+2)/3", "½", "1,806,336"])
def test_text_without_letters_is_all_number(text: str) -> None:
    assert split_number_unit(text, SYMBOLS) == (text.strip(), "")


# --- units read without pint ------------------------------------------------------------------

_PREFIXES = ["", "k", "K", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "m", "µ", "n", "Z"]
_NAMES = ["FLOP", "flop", "Flop", "FLOPS", "FLOPs", "byte", "B", "Byte", "bit", "b", "Bit"]
_NAMES += ["second", "s", "sec", "parsec"]
_TARGETS = ["FLOP", "byte", "FLOP/byte", "FLOP/s", "byte/s"]


def _pint_factor(text: str, target: str) -> float | None:
    """pint's own factor from ``text`` to ``target``, None where it refuses or the dimensions
    differ."""
    try:
        units = _units._parse_units(text, text)
    except AnswerFormatError:
        return None
    wanted = _units._target_units(target)
    if _units._dimensions(units) != _units._dimensions(wanted):
        return None
    return float(_units._registry().Quantity(1.0, units).to(wanted).magnitude)


@pytest.mark.parametrize("target", _TARGETS)
def test_simple_units_give_pints_factor_to_the_last_bit(target: str) -> None:
    read_simply = 0
    for prefix in _PREFIXES:
        for name in _NAMES:
            for per in ["", "/s", "/B", "/byte", "/b", "/ms", "/FLOP", "/KiB", "/sec"]:
                text = f"{prefix}{name}{per}"
                simple = simple_factor(text, target)
                if simple is not None:
                    read_simply += 1
                    assert simple == _pint_factor(text, target), text
    assert read_simply >= 30  # the fast way does read the usual spellings


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("MFLOP", "byte"),  # other dimensions: pint words the error
        ("mFLOP", "FLOP"),  # milli is refused or read by pint, never here
        ("FLOPs", "FLOP/s"),  # read by the dimension the part wants (pint's path)
        ("GB/ms", "byte/s"),  # a prefix below the line
        ("kibiB", "byte"),
        ("MB*s/s", "byte"),
    ],
)
def test_other_units_are_left_to_pint(text: str, target: str) -> None:
    assert simple_factor(text, target) is None


def test_a_class_writing_usual_units_never_imports_pint() -> None:
    code = (
        "import sys\n"
        "from grader.run.pipeline import default_assignment, expectations_for, grade_bytes\n"
        "exp = expectations_for(default_assignment(None))\n"
        "answers = b'answers: {q1.b: 1.8 MFLOP, q5.conv.bytes: 785.1 KiB, q3.a: 250 FLOP/B}'\n"
        "result = grade_bytes(answers, exp, fmt='yaml', name='s1.yaml').result\n"
        "assert result.part('q1.b').status.value == 'correct', result.part('q1.b')\n"
        "assert result.part('q3.a').status.value == 'correct', result.part('q3.a')\n"
        "print('pint' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"
