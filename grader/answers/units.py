"""Units on students' answers: split ``"1.8 MFLOP"`` into number and unit, convert with pint.

pint parses only the *unit* text (never the number: its expression parser has no power limit,
drops unknown characters and deletes commas), on the minimal registry in ``units.txt``, and is
imported only when an answer carries a unit that is not a simple one (its import costs more
than grading hundreds of files): ``MFLOP``, ``KiB``, ``GB/s`` or ``FLOP/B`` (one unit of
``units.txt``, perhaps prefixed, perhaps per an unprefixed one) are read from a table here, to
the same factor pint gives (a test compares every such spelling with pint).

Decisions on spellings a student may reasonably mean two ways (each has a test):

* ``KB`` and ``kB`` are 1000 bytes (SI); ``KiB`` is 1024 bytes. ``b`` is a bit (``Mb`` =
  megabit, ``kb`` = kilobit), ``B`` a byte; but under or over the FLOPs of an intensity
  (``153 FLOP/b`` for FLOP per byte) ``b`` is read as a byte, with a note: no one computes
  FLOPs per bit, and a value right only per bit is then 8 times off.
* ``mb`` and ``mB`` (a milli prefix on bits or bytes) are refused as ambiguous ("did you mean
  MB?") instead of being read as a millibit; ``ms``, ``µs`` and ``ns`` remain times.
* ``FLOPS`` (capital S) is the rate, FLOP per second, as in the literature, but it is also
  the common plural: where the part wants no rate (``1.8 MFLOPS`` for a count, ``250
  FLOPS/byte``) it is read as FLOP, with a note that FLOPS means per second. ``FLOPs``,
  ``flops`` and ``Flops`` (lower-case s) are read by the dimension the part wants: a count for a
  count part (``1.8 MFLOPs`` = 1.8e6 FLOP), a rate for a rate part (``200 TFLOPs`` = 2e14
  FLOP/s, as the sheet writes it).
* A unit of the inverse dimension (``0.004 byte/FLOP`` for FLOP per byte) is not unreadable:
  :func:`convert` turns the value around and says so (``inverted``); grading decides what
  that costs. :func:`to_unit` refuses it.
* ``FLOP/B``, ``FLOP/byte``, ``FLOPs/byte``, ``flop/byte`` and ``FLOP per byte`` are all FLOP
  per byte; ``per`` is ``/``, and ``×``/``·`` are ``*``.
* A bare SI prefix after a number (``1.8 M``, ``2 k``, ``1.05 G``; also ``K``) is a multiplier,
  for any part, and so is a number word (``6.29 million``, ``1.81 million FLOPs``, ``6.44
  billion``: short scale, as in English; German notes' ``Tsd.``, ``Mio.`` and ``Mrd.`` too:
  ``1,8 Mio. FLOPs``). For a plain-count part (unit ``"1"``), count words
  such as ``parameters``, ``sequences`` or ``dot products`` are accepted and ignored, also
  after a prefix (``1.8 M params``); for a FLOP count, words that count operations (``4096
  multiplications``, ``1.8 M operations``) are FLOP. So are multiply-accumulates (``903168
  MACs``, ``1.8 MMAC``): the number is read as written and marked as a count of MACs
  (``Conversion.macs``), and grading decides what it is (on a sheet that counts a MAC as 2
  FLOPs, the MAC-count mistake), and so are elements on a byte count
  (``200992 elements``: the elements-for-bytes mistake where the sheet names it).
* Unit text is at most 32 characters of letters, spaces, ``/ * ( )``: no digits or powers.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from grader.answers.simple_units import BARE_PREFIXES, simple_factor, simple_inverse_factor
from grader.answers.unit_boundary import split_number_unit
from grader.errors import AnswerFormatError

if TYPE_CHECKING:
    import pint

__all__ = [
    "MAX_UNIT_LENGTH",
    "Conversion",
    "WrongDimension",
    "convert",
    "split_number_unit",
    "to_unit",
]

MAX_UNIT_LENGTH = 32
_DEFINITIONS = Path(__file__).with_name("units.txt")

# Words that count floating-point operations: on a FLOP count they are FLOP ("4096
# multiplications"); on a plain count, like the other count words, they are ignored.
# Multiply-accumulates (and fused multiply-adds): on a FLOP count the number is read as written
# and marked as a count of MACs, which grading holds against the part's MAC count.
_MAC_WORDS = r"macs?|multiply[ -](?:accumulates?|adds?)|fmas?"
_OPERATION_WORDS = (
    r"operations?|ops|op|multiplications?|multiplies|mults|additions?|adds|divisions?"
    rf"|exps|exp|exponentials?|floating[ -]point operations?|{_MAC_WORDS}"
)
_COUNT_WORDS = (
    r"parameters?|params?|weights?|scores?|dot[ -]?products?|elements?|entries|entry|values?"
    rf"|sequences?|seqs?|{_OPERATION_WORDS}"
)
_OPERATION = re.compile(rf"(?i:{_OPERATION_WORDS})")
_MAC = re.compile(rf"(?i:{_MAC_WORDS})")
_ELEMENTS = re.compile(r"(?i:elements?|entries|entry|values?)")
_ELEMENTS_NOTE = "Your count of elements is graded as written; the question asks for bytes."
# A plain count: an optional bare prefix and an optional count word ("288 parameters").
_COUNT = re.compile(rf"(?:(?P<prefix>[kKMGTP])\s*)?(?P<word>(?i:{_COUNT_WORDS}))?")
# "6.29 million" -> "6.29 M": a number word is the prefix of its size (short scale).
# German notes abbreviate them with a dot: "1,8 Mio. FLOPs", "6,4 Mrd." (Milliarde, 10^9), "65,5
# Tsd."; the German "Billion" (10^12) is left out, as it reads as the English billion.
_NUMBER_WORD = re.compile(
    r"^(thousand|million|billion|trillion|tsd|mio|mrd)(?![A-Za-z])", re.IGNORECASE
)
_NUMBER_WORD_PREFIXES = {
    "thousand": "k",
    "million": "M",
    "billion": "G",
    "trillion": "T",
    "tsd": "k",
    "mio": "M",
    "mrd": "G",
}
# The dot of such an abbreviation is part of the word, not a character of a unit: left out.
_ABBREVIATION_DOT = re.compile(r"^(tsd|mio|mrd)\.", re.IGNORECASE)
# "1.8 M FLOP" -> "1.8 MFLOP": a prefix written apart from its unit.
_DETACHED_PREFIX = re.compile(r"^(k|K|M|G|T|P|E|Ki|Mi|Gi|Ti)\s+(?=[A-Za-z])")
# FLOP with a lower-case plural s: a count or a rate, whichever the part wants.
_FLOPS_PLURAL = re.compile(
    r"(?<![A-Za-z])(k|K|M|G|T|P|E|Ki|Mi|Gi|Ti)?(?:FLOP|flop|Flop)s(?![A-Za-z])"
)
# FLOPS with a capital S, the rate; where the part wants none it is the plural of FLOP.
_FLOPS_CAPITAL = re.compile(r"(?<![A-Za-z])(k|K|M|G|T|P|E|Ki|Mi|Gi|Ti)?FLOPS(?![A-Za-z])")
_FLOPS_NOTE = "FLOPS means FLOP per second; read here as FLOP."
_MILLI_DATA = frozenset({"b", "B", "bit", "bits", "byte", "bytes", "Byte", "Bytes"})
_UNIT_SIGNS = str.maketrans({"×": "*", "·": "*", "⋅": "*", "∗": "*", "∙": "*"})
_UNIT_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZµμ /*()")

_DESCRIPTIONS: dict[frozenset[tuple[str, float]], str] = {
    frozenset(): "a plain number (no unit)",
    frozenset({("[compute]", 1)}): "a count of FLOP",
    frozenset({("[compute]", 1), ("[time]", -1)}): "a rate (FLOP per second)",
    frozenset({("[information]", 1)}): "an amount of data (bytes)",
    frozenset({("[information]", 1), ("[time]", -1)}): "a bandwidth (bytes per second)",
    frozenset({("[compute]", 1), ("[information]", -1)}): "an arithmetic intensity (FLOP per byte)",
    frozenset({("[time]", 1)}): "a time (seconds)",
}

_PER = re.compile(r"\s+per\s+")
_LETTERS = re.compile(r"[A-Za-z]+")


class WrongDimension(AnswerFormatError):
    """A unit that reads, but measures something else than the part (``2 MB`` for FLOP)."""


class Conversion(NamedTuple):
    """A value converted to the part's unit.

    Attributes:
        value: In the part's unit.
        note: One sentence on how an unusual spelling was read (``FLOPS`` as FLOP), or None.
        inverted: The unit was of the inverse dimension (``byte/FLOP`` for FLOP per byte):
            ``value`` is the written value turned around and converted.
    """

    value: float
    note: str | None = None
    inverted: bool = False
    macs: bool = False
    """The unit counts multiply-accumulates (``903168 MACs``, ``1.8 MMAC``) on a FLOP count:
    the value is the number as written, a count of MACs."""


def convert(value: float, unit_text: str, target: str) -> Conversion:
    """Convert ``value`` written in ``unit_text`` to the part's unit ``target``.

    Args:
        value: The number the student wrote before the unit.
        unit_text: The unit as written (``"MFLOP"``, ``"GB/s"``, ``"params"``); ``""`` means
            the number is already in the part's unit.
        target: The part's unit: ``"FLOP"``, ``"byte"``, ``"FLOP/byte"``, ``"FLOP/s"``,
            ``"byte/s"`` or ``"1"`` for a plain count.

    Returns:
        The value in ``target`` units, with a note on the notation where there is one.

    Raises:
        AnswerFormatError: The unit is unknown, ambiguous, too long, or of another dimension.

    Example:
        >>> convert(0.004, "byte/FLOP", "FLOP/byte")
        Conversion(value=250.0, note=None, inverted=True, macs=False)
    """
    written = " ".join(unit_text.split()).removesuffix(".").strip()
    written = _ABBREVIATION_DOT.sub(r"\1", written)
    if not written:
        return Conversion(_finite(value))
    factor, note, inverted, macs = _unit_factor(written, target)
    if not inverted:
        return Conversion(_finite(value * factor), note, macs=macs)
    if value == 0:
        raise AnswerFormatError(f"'{written}' is the inverse of {target}, and 0 cannot be turned")
    return Conversion(_finite(1.0 / (value * factor)), note, inverted=True)


def to_unit(value: float, unit_text: str, target: str) -> float:
    """:func:`convert`'s value, for a unit of the part's own dimension.

    Raises:
        AnswerFormatError: As :func:`convert`, and for a unit of the inverse dimension.

    Example:
        >>> to_unit(785.1, "KiB", "byte")
        803942.4
    """
    converted = convert(value, unit_text, target)
    if converted.inverted:
        wanted = _describe_target(target)
        raise AnswerFormatError(f"'{unit_text.strip()}' is the inverse of {wanted}")
    return converted.value


@functools.lru_cache(maxsize=1024)
def _unit_factor(written: str, target: str) -> tuple[float, str | None, bool, bool]:
    """The factor from the unit ``written`` to ``target``, a note on the notation, whether
    the unit is the inverse of ``target``'s, and whether it counts MACs; cached, since pint is
    slow to convert a unit.

    Only factors are cached; a refused unit raises again, with the same message, each time.
    """
    if len(written) > MAX_UNIT_LENGTH:
        shown = written[:MAX_UNIT_LENGTH]
        raise AnswerFormatError(
            f"the unit '{shown}…' is too long (at most {MAX_UNIT_LENGTH} letters)"
        )
    _check_unit_characters(written)
    text = _clean_unit_text(written)
    counted = _count_multiplier(text, target)
    if counted is not None:
        return counted[0], counted[1], False, counted[2]
    _refuse_milli_data(text)
    as_byte = _bit_as_byte(text, target)
    if as_byte is None:
        return (*_conversion_factor(text, written, target), False)
    factor, note, inverted = _conversion_factor(as_byte, written, target)
    return factor, " ".join(filter(None, (_BIT_AS_BYTE_NOTE, note))), inverted, False


# "153 FLOP/b": b is the bit, but no one computes an intensity per bit; a student who writes
# FLOP/b for one means FLOP per byte (a lower-case B), and a TA reads it so, with a note. The
# b is read as a byte only there, alone under or over the FLOPs of an intensity (also turned
# around: "0.0065 b/FLOP"); a value that is right only per bit is then 8 times off and graded
# so. "bit" written out stays a bit, and so does b in a size or a bandwidth ("384 Mb", "Gb/s").
_LONE_BIT = re.compile(r"(?P<top>.*[^\s/])\s*/\s*b|b\s*/\s*(?P<bottom>[^\s/].*)")
_BIT_AS_BYTE_NOTE = "b is a bit; write B for bytes (read here as a byte)."


def _bit_as_byte(text: str, target: str) -> str | None:
    """``text`` with its lone ``b`` as ``B`` when ``target`` is an intensity (FLOP per byte)
    and ``text`` divides by b or b by something; else None."""
    found = _LONE_BIT.fullmatch(text)
    if found is None or simple_factor(target, "FLOP/byte") is None:
        return None
    if found.group("top") is not None:
        return f"{found.group('top')}/B"
    return f"B/{found.group('bottom')}"


def _clean_unit_text(written: str) -> str:
    """Fold full-width letters and µ, read ``×``/``·`` as ``*``, ``per`` as ``/``, a number word
    as its prefix, join prefixes."""
    text = unicodedata.normalize("NFKC", written).translate(_UNIT_SIGNS)
    text = _PER.sub("/", " ".join(text.split()))
    text = _NUMBER_WORD.sub(lambda word: _NUMBER_WORD_PREFIXES[word.group(1).lower()], text)
    return _DETACHED_PREFIX.sub(r"\1", text)


def _count_multiplier(text: str, target: str) -> tuple[float, str | None, bool] | None:
    """The multiplier of a bare prefix or count word, a note on how it was read and whether
    the word counts MACs on a FLOP count, or None when ``text`` is a real unit."""
    match = _COUNT.fullmatch(text)
    if match is None or not text:
        return None
    word = match.group("word")
    # "200992 elements" for bytes counts elements instead of bytes: read as written, so that
    # grading names that mistake (as "903168 MACs" for FLOP).
    elements_for_bytes = (
        word is not None and target == "byte" and _ELEMENTS.fullmatch(word) is not None
    )
    operations = word is not None and target == "FLOP" and _OPERATION.fullmatch(word) is not None
    if word and target != "1" and not operations and not elements_for_bytes:
        raise WrongDimension(
            f"'{text}' is a plain count; this question wants {_describe_target(target)}"
        )
    prefix = match.group("prefix")
    note = _ELEMENTS_NOTE if elements_for_bytes else None
    macs = operations and _MAC.fullmatch(word) is not None
    return (BARE_PREFIXES[prefix] if prefix else 1.0), note, macs


def _check_unit_characters(written: str) -> None:
    # Checked on the text as written, so the message shows the character the student typed.
    for char in written:
        folded = unicodedata.normalize("NFKC", char).translate(_UNIT_SIGNS)
        if not all(c in _UNIT_CHARACTERS for c in folded):
            shown = char if char.isprintable() else repr(char)[1:-1]
            raise AnswerFormatError(f"unexpected character '{shown}' in the unit '{written}'")


def _refuse_milli_data(text: str) -> None:
    # pint would read "mb" as a millibit; a student who writes it means MB (or Mb).
    for word in _LETTERS.findall(text):
        if word[0] == "m" and (word[1:] in _MILLI_DATA or word[1:].lower().startswith("flop")):
            suggestion = "MB" if word[1:] == "b" else "M" + word[1:]
            raise AnswerFormatError(f"'{word}' is ambiguous: did you mean {suggestion}?")


def _conversion_factor(text: str, written: str, target: str) -> tuple[float, str | None, bool]:
    """The factor from the unit ``text`` (``written`` by the student) to ``target``, a note,
    and whether ``text`` is the inverse of ``target`` (then ``1 / (value * factor)``)."""
    simple = simple_factor(text, target)  # no pint needed
    if simple is not None:
        return simple, None, False
    plural = _FLOPS_CAPITAL.sub(r"\1FLOP", text)
    as_plural = simple_factor(plural, target) if plural != text else None
    if as_plural is not None:
        return as_plural, _FLOPS_NOTE, False
    inverse = simple_inverse_factor(text, target)
    if inverse is not None:
        return inverse, None, True
    registry = _registry()
    wanted = _target_units(target)
    units = _parse_units(text, written)
    note = None
    if _dimensions(units) != _dimensions(wanted) and _FLOPS_PLURAL.search(text):
        as_rate = _parse_units(_FLOPS_PLURAL.sub(r"\1FLOPS", text), written)
        if _dimensions(as_rate) == _dimensions(wanted):
            units = as_rate
    if _dimensions(units) != _dimensions(wanted) and plural != text:
        as_count = _parse_units(plural, written)
        if _dimensions(as_count) == _dimensions(wanted):
            units, note = as_count, _FLOPS_NOTE
    try:
        if _dimensions(units) == _dimensions(wanted):
            return float(registry.Quantity(1.0, units).to(wanted).magnitude), note, False
        if _dimensions(units) == _inverse(_dimensions(wanted)) and _dimensions(units):
            return float(registry.Quantity(1.0, units).to(1 / wanted).magnitude), None, True
    except Exception:  # pint raises outside its own hierarchy on odd input
        raise AnswerFormatError(f"cannot convert '{written}' to {target}") from None
    raise WrongDimension(
        f"'{written}' is {_describe(units)}; this question wants {_describe(wanted)}"
    )


def _inverse(dimensions: frozenset[tuple[str, float]]) -> frozenset[tuple[str, float]]:
    return frozenset((name, -power) for name, power in dimensions)


def _parse_units(text: str, written: str) -> pint.Unit:
    import pint  # already imported by _registry(); this binds the name for the except clause

    try:
        return _registry().parse_units(text)
    except pint.UndefinedUnitError as error:
        raise AnswerFormatError(_unknown_unit_message(error.unit_names)) from None
    except Exception:  # e.g. AssertionError on "/" or "FLOP/"
        raise AnswerFormatError(f"cannot read the unit '{written}'") from None


def _unknown_unit_message(names: str | tuple[str, ...]) -> str:
    # pint names the first unknown unit of the text (a tuple of names; a str before pint 0.24)
    name = names if isinstance(names, str) else names[0]
    message = f"unknown unit '{name}'"
    if name.upper() != name and _parses(name.upper()):
        message += f" (did you mean {name.upper()}?)"
    return message


def _parses(text: str) -> bool:
    try:
        _registry().parse_units(text)
    except Exception:
        return False
    return True


@functools.cache
def _registry() -> pint.UnitRegistry[float]:
    import pint  # here, not at the top: a bare number must not pay for this import

    return pint.UnitRegistry(str(_DEFINITIONS), cache_folder=None)


@functools.cache
def _target_units(target: str) -> pint.Unit:
    # The target comes from the assignment, not from a student: a bad one is a programming error.
    return _registry().parse_units("" if target == "1" else target)


def _dimensions(units: pint.Unit) -> frozenset[tuple[str, float]]:
    return frozenset((str(name), float(power.real)) for name, power in units.dimensionality.items())


def _describe(units: pint.Unit) -> str:
    return _DESCRIPTIONS.get(_dimensions(units), f"measured in {units}")


def _describe_target(target: str) -> str:
    return _describe(_target_units(target))


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise AnswerFormatError("number too large")
    return value
