"""Units: splitting number from unit, and converting with the minimal pint registry (§4)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from bounds import time_bound

from grader.answers import units as _units
from grader.answers.numbers import read_number
from grader.answers.simple_units import simple_factor, simple_inverse_factor
from grader.answers.units import convert, split_number_unit, to_unit
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
    (1.8, "MFLOP.", "FLOP", 1.8e6),  # a sentence's full stop
    (1.8, "M  FLOP", "FLOP", 1.8e6),
    (250, "FLOP  per  byte", "FLOP/byte", 250.0),
    (1, "µs", "s", 1e-6),
    (2, "ms", "s", 2e-3),
    (1, "Gflops", "FLOP/s", 1e9),
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
    # an "e" is an exponent only after a digit or a point, and before a digit
    ("e2", ("", "e2")),
    ("(2)e3", ("(2)", "e3")),
    ("2.e3 B", ("2.e3", "B")),
    # "x" and "X" are products only between two operands
    ("2 X 3", ("2 X 3", "")),
    ("2 X L", ("2 X L", "")),
    ("(2) x 3", ("(2) x 3", "")),
    ("2 x (3)", ("2 x (3)", "")),
    ("2 x 3 FLOP", ("2 x 3", "FLOP")),
    ("2 x FLOP", ("2", "x FLOP")),
    ("x 3", ("", "x 3")),
    ("2 M 3", ("2", "M 3")),  # a letter between numbers is not a product
    # a symbol right after an operand that ends in a point (2. is a number) is arithmetic
    ("2. L FLOP", ("2. L", "FLOP")),
    # a symbol just before an operator is arithmetic, whatever comes before it
    ("[L^2] FLOP", ("[L^2]", "FLOP")),
    # a comma is neither an operator nor an operand: a symbol after it is no factor of the
    # product, not even right after another symbol, and an "x" after it multiplies nothing
    ("2, L", ("2,", "L")),
    ("L, d", ("L,", "d")),
    ("L, x 3", ("L,", "x 3")),
]


@pytest.mark.parametrize(("value", "unit_text", "target", "expected"), CONVERSIONS)
def test_conversions(value: float, unit_text: str, target: str, expected: float) -> None:
    assert to_unit(value, unit_text, target) == pytest.approx(expected, rel=1e-12)


# Units of the inverse dimension turn the value over. The simple ones (B/FLOP, s/byte) are read
# without pint; these are left to pint, whose reading must turn them over too.
INVERSES = [
    (4, "ns/FLOP", "FLOP/s", 2.5e8),  # 4e-9 s a FLOP: 1 / 4e-9
    (4, "ms/TFLOP", "FLOP/s", 2.5e14),  # 4e-3 s per 1e12 FLOP: 1e12 / 4e-3
    (4, "byte/kFLOP", "FLOP/byte", 250.0),  # 4 bytes per 1000 FLOP
    (0.5, "byte per FLOP", "FLOP/byte", 2.0),
]


@pytest.mark.parametrize(("value", "unit_text", "target", "expected"), INVERSES)
def test_inverse_units_read_by_pint_are_turned_over(
    value: float, unit_text: str, target: str, expected: float
) -> None:
    converted = convert(value, unit_text, target)
    assert converted.inverted
    assert converted.value == pytest.approx(expected, rel=1e-12)


def test_an_inverse_unit_cannot_turn_zero() -> None:
    with pytest.raises(AnswerFormatError) as caught:
        convert(0, "B/FLOP", "FLOP/byte")
    assert caught.value.message == "'B/FLOP' is the inverse of FLOP/byte, and 0 cannot be turned"


def test_a_simple_inverse_unit_scales_by_both_sizes() -> None:
    # 2 KiB a FLOP = 2048 bytes a FLOP: 1/2048 FLOP/byte, 1/2,048,000 kFLOP/byte
    converted = convert(2, "KiB/FLOP", "kFLOP/byte")
    assert converted.inverted
    assert converted.value == pytest.approx(1 / 2_048_000, rel=1e-12)


# FLOPS (capital S, a rate) where a count is wanted, in a unit only pint reads: read as the
# plural of FLOP, with a note. Other units pint reads carry no note.
PINT_NOTES = [
    (2, "GFLOPS/KiB", "FLOP/byte", 2e9 / 1024, "FLOPS means FLOP per second; read here as FLOP."),
    (2, "TFLOPS/GB", "FLOP/byte", 2000.0, "FLOPS means FLOP per second; read here as FLOP."),
    (2, "TFLOPs", "FLOP/s", 2e12, None),  # the plural of FLOP before /s: a rate
    (2, "MFLOPs/ms", "FLOP/s", 2e9, None),
]


@pytest.mark.parametrize(("value", "unit_text", "target", "expected", "note"), PINT_NOTES)
def test_units_read_by_pint_and_their_note(
    value: float, unit_text: str, target: str, expected: float, note: str | None
) -> None:
    converted = convert(value, unit_text, target)
    assert converted.value == pytest.approx(expected, rel=1e-12)
    assert converted.note == note
    assert not converted.inverted


def test_operation_words_are_flop_only_where_flop_is_wanted() -> None:
    assert to_unit(2, "k operations", "FLOP") == 2000.0  # 2 thousand operations
    assert to_unit(3, "multiplications", "FLOP") == 3.0
    with pytest.raises(AnswerFormatError, match="is a plain count; this question wants an amount"):
        to_unit(2, "k operations", "byte")


# Multiply-accumulates on a FLOP count: the number as written, marked as a count of MACs.
MAC_LABELS = [
    (903168, "MACs", "FLOP", 903168.0, True),
    (903168, "MAC", "FLOP", 903168.0, True),
    (1.8, "MMAC", "FLOP", 1.8e6, True),  # a prefix on MAC
    (67, "M MACs", "FLOP", 67e6, True),  # a detached prefix
    (67, "million MACs", "FLOP", 67e6, True),  # a number word
    (3, "FMAs", "FLOP", 3.0, True),  # a fused multiply-add is one MAC
    (3, "multiply accumulates", "FLOP", 3.0, True),
    (3, "macs", "FLOP", 3.0, True),
    # other operations are FLOPs, not MACs
    (3, "multiplications", "FLOP", 3.0, False),
    (2, "k operations", "FLOP", 2000.0, False),
    (1.8, "MFLOP", "FLOP", 1.8e6, False),
    (1.8, "M", "FLOP", 1.8e6, False),  # a bare prefix counts nothing in particular
    # on a plain count the word is ignored, as every count word is: no FLOP count to hold it to
    (288, "MACs", "1", 288.0, False),
]


@pytest.mark.parametrize(("value", "unit_text", "target", "expected", "macs"), MAC_LABELS)
def test_a_count_of_macs_is_marked(
    value: float, unit_text: str, target: str, expected: float, macs: bool
) -> None:
    converted = convert(value, unit_text, target)
    assert (converted.value, converted.macs, converted.inverted) == (expected, macs, False)


# Number words as German notes abbreviate them (short scale for Mrd., the Milliarde), and a
# count word shortened ("seqs"): multipliers and count words as their long forms are.
ABBREVIATED_WORDS = [
    (1.8, "Mio. FLOPs", "FLOP", 1.8e6),
    (1.8, "Mio FLOP", "FLOP", 1.8e6),
    (6.29, "Mio.", "FLOP", 6.29e6),
    (6.29, "mio", "1", 6.29e6),
    (6.4, "Mrd. FLOP", "FLOP", 6.4e9),
    (65.5, "Tsd.", "1", 65.5e3),
    (65.5, "TSD", "1", 65.5e3),
    (163, "seqs", "1", 163.0),
    (1, "seq", "1", 1.0),
]


@pytest.mark.parametrize(("value", "unit_text", "target", "expected"), ABBREVIATED_WORDS)
def test_abbreviated_number_and_count_words(
    value: float, unit_text: str, target: str, expected: float
) -> None:
    assert to_unit(value, unit_text, target) == pytest.approx(expected, rel=1e-12)


def test_the_dot_of_an_abbreviation_only() -> None:
    # a dot after any other word is still no character of a unit
    with pytest.raises(AnswerFormatError, match=r"unexpected character '\.'"):
        to_unit(1.8, "Mil. FLOPs", "FLOP")
    # the German Billion (10^12) is not read: it would be the English billion
    with pytest.raises(AnswerFormatError, match=r"unexpected character '\.'"):
        to_unit(1.8, "Bio. FLOP", "FLOP")
    with pytest.raises(AnswerFormatError, match="unknown unit 'Bio'"):
        to_unit(1.8, "Bio", "FLOP")


BIT_AS_BYTE = "b is a bit; write B for bytes (read here as a byte)."
# "FLOP/b" for an intensity: the b is read as a byte, with a note (a FLOP per bit is no
# intensity anyone computes). Elsewhere b stays the bit, and "bit" written out always is one.
LOWER_CASE_B = [
    (153, "FLOP/b", "FLOP/byte", 153.0, BIT_AS_BYTE, False),
    (153, "flop/b", "FLOP/byte", 153.0, BIT_AS_BYTE, False),
    (153, "FLOPs/b", "FLOP/byte", 153.0, BIT_AS_BYTE, False),
    (153, "FLOP / b", "FLOP/byte", 153.0, BIT_AS_BYTE, False),
    (153, "FLOP per b", "FLOP/byte", 153.0, BIT_AS_BYTE, False),
    (0.153, "kFLOP/b", "FLOP/byte", 153.0, BIT_AS_BYTE, False),
    # both notes where both spellings need one
    (
        153,
        "FLOPS/b",
        "FLOP/byte",
        153.0,
        BIT_AS_BYTE + " FLOPS means FLOP per second; read here as FLOP.",
        False,
    ),
    # the inverse of an intensity, turned around: b is the byte there too, and said so
    (0.004, "b/FLOP", "FLOP/byte", 250.0, BIT_AS_BYTE, True),
    # bit written out is a bit: 153 FLOP per bit are 1224 per byte
    (153, "FLOP/bit", "FLOP/byte", 1224.0, None, False),
    (153, "FLOP/B", "FLOP/byte", 153.0, None, False),
    # b in a size or a bandwidth stays the bit (Mb, Gb/s are units people use)
    (384, "Mb", "byte", 48e6, None, False),
    (2039, "Gb/s", "byte/s", 2039e9 / 8, None, False),
    (8, "b", "byte", 1.0, None, False),
]


@pytest.mark.parametrize(
    ("value", "unit_text", "target", "expected", "note", "inverted"), LOWER_CASE_B
)
def test_lower_case_b_under_flops_is_a_byte(
    value: float, unit_text: str, target: str, expected: float, note: str | None, inverted: bool
) -> None:
    converted = convert(value, unit_text, target)
    assert converted.value == pytest.approx(expected, rel=1e-12)
    assert (converted.note, converted.inverted, converted.macs) == (note, inverted, False)


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


def test_symbols_may_hold_underscores() -> None:
    assert split_number_unit("2*H_out FLOP", {"H_out"}) == ("2*H_out", "FLOP")


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


EXACT_MESSAGES = [
    (1, "mB", "byte", "'mB' is ambiguous: did you mean MB?"),
    (1, "mbit", "byte", "'mbit' is ambiguous: did you mean Mbit?"),
    (1, "mflops", "FLOP", "'mflops' is ambiguous: did you mean Mflops?"),
    (1, "gb", "byte", "unknown unit 'gb' (did you mean GB?)"),
    (1, "xyz", "byte", "unknown unit 'xyz'"),
    (1, "GB xyz", "byte", "unknown unit 'xyz'"),
    (1, "B\x01", "byte", "unexpected character '\\x01' in the unit 'B\x01'"),
    (1, "B\u200b", "byte", "unexpected character '\\u200b' in the unit 'B\u200b'"),
    (1, "B€", "byte", "unexpected character '€' in the unit 'B€'"),
    (1, "B\\", "byte", "unexpected character '\\' in the unit 'B\\'"),
    (1, "FLOP/", "FLOP", "cannot read the unit 'FLOP/'"),
    (1, "(B", "byte", "cannot read the unit '(B'"),
    (1e300, "TB", "byte", "number too large"),
    (1, "params", "FLOP", "'params' is a plain count; this question wants a count of FLOP"),
    (1, "s", "byte", "'s' is a time (seconds); this question wants an amount of data (bytes)"),
    (1, "B*s", "byte", "'B*s' is measured in byte * second; this question wants an amount of "
     "data (bytes)"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "unit_text", "target", "message"), EXACT_MESSAGES)
def test_refused_units_say_why(value: float, unit_text: str, target: str, message: str) -> None:
    with pytest.raises(AnswerFormatError) as caught:
        to_unit(value, unit_text, target)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("text", "target", "factor"),
    [("B", "bit", 8.0), ("KiB", "kB", 1.024), ("kB", "KiB", 0.9765625), ("Mb/s", "kB/s", 125.0)],
)
def test_simple_factor_between_prefixed_units(text: str, target: str, factor: float) -> None:
    # A kibibyte is 1024 bytes, a kilobyte 1000; a megabit 10^6 / 8 = 125,000 bytes.
    assert simple_factor(text, target) == factor


@pytest.mark.parametrize(
    ("text", "target", "factor"),
    [
        # 4 B/FLOP is 0.25 FLOP/byte: 1 / (4 x 1)
        ("B/FLOP", "FLOP/byte", 1.0),
        # 2 KiB/FLOP: 2048 bytes a FLOP, 1 / (2 x 1024 x 1000) kFLOP/byte (sizes multiply)
        ("KiB/FLOP", "kFLOP/byte", 1024.0 * 1000.0),
        # a ratio whose dimensions cancel is its own inverse: nothing to turn over
        ("kB/B", "B/B", None),
        ("B/B", "FLOP/FLOP", None),
        ("FLOP/byte", "FLOP/byte", None),  # the same dimensions, not the inverse
    ],
)
def test_simple_inverse_factor(text: str, target: str, factor: float | None) -> None:
    assert simple_inverse_factor(text, target) == factor


def test_simple_units_are_read_without_pint(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pint() -> None:
        raise AssertionError("pint asked for a simple unit")

    _units._unit_factor.cache_clear()
    monkeypatch.setattr(_units, "_registry", no_pint)
    try:
        assert to_unit(1.8, "MFLOP", "FLOP") == 1.8e6
        assert to_unit(785.1, "KiB", "byte") == 803942.4
        assert to_unit(250, "FLOP/B", "FLOP/byte") == 250.0
        assert to_unit(1.8, "MFLOPS", "FLOP") == 1.8e6  # FLOPS as the plural of FLOP
        inverse = convert(4, "B/FLOP", "FLOP/byte")  # 4 bytes a FLOP: 0.25 FLOP/byte
        assert (inverse.value, inverse.inverted) == (0.25, True)
    finally:
        _units._unit_factor.cache_clear()  # no factor found without pint stays cached


def test_whatever_pint_raises_in_a_conversion_is_an_answer_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # pint's failures are not all documented: one past the dimension check (forced here by
    # calling every unit dimensionless) still ends as a message, not a crash.
    _units._unit_factor.cache_clear()
    monkeypatch.setattr(_units, "_dimensions", lambda units: frozenset())
    try:
        with pytest.raises(AnswerFormatError) as caught:
            to_unit(1, "s", "FLOP")
        assert caught.value.message == "cannot convert 's' to FLOP"
    finally:
        _units._unit_factor.cache_clear()
