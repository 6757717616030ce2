"""Units on students' answers: split ``"1.8 MFLOP"`` into number and unit, convert with pint.

pint parses only the *unit* text (never the number: its expression parser has no power limit,
drops unknown characters and deletes commas), on the minimal registry in ``units.txt``, and is
imported only when an answer carries a unit that is not a simple one (the import takes ~0.13 s,
more than grading 500 files): ``MFLOP``, ``KiB``, ``GB/s`` or ``FLOP/B`` (one unit of
``units.txt``, perhaps prefixed, perhaps per an unprefixed one) are read from a table here, to
the same factor pint gives (a test compares every such spelling with pint).

Decisions on spellings a student may reasonably mean two ways (each has a test):

* ``KB`` and ``kB`` are 1000 bytes (SI); ``KiB`` is 1024 bytes. ``b`` is a bit (``Mb`` =
  megabit, ``kb`` = kilobit), ``B`` a byte.
* ``mb`` and ``mB`` (a milli prefix on bits or bytes) are refused as ambiguous ("did you mean
  MB?") instead of being read as a millibit; ``ms``, ``µs`` and ``ns`` remain times.
* ``FLOPS`` (capital S) is the rate, FLOP per second, as in the literature: ``1.8 MFLOPS`` for
  a count is an error that says it is a rate. ``FLOPs``, ``flops`` and ``Flops`` (lower-case
  s) are read by the dimension the part wants: a count for a count part (``1.8 MFLOPs`` =
  1.8e6 FLOP), a rate for a rate part (``200 TFLOPs`` = 2e14 FLOP/s, as the sheet writes it).
* ``FLOP/B``, ``FLOP/byte``, ``FLOPs/byte``, ``flop/byte`` and ``FLOP per byte`` are all FLOP
  per byte; ``per`` is ``/``, and ``×``/``·`` are ``*``.
* A bare SI prefix after a number (``1.8 M``, ``2 k``, ``1.05 G``; also ``K``) is a multiplier,
  for any part. For a plain-count part (unit ``"1"``), count words such as ``parameters`` or
  ``dot products`` are accepted and ignored, also after a prefix (``1.8 M params``).
* Unit text is at most 32 characters of letters, spaces, ``/ * ( )``: no digits or powers.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from grader.errors import AnswerFormatError
from grader.simple_units import simple_factor

if TYPE_CHECKING:
    import pint

__all__ = ["MAX_UNIT_LENGTH", "split_number_unit", "to_unit"]

MAX_UNIT_LENGTH = 32
_DEFINITIONS = Path(__file__).with_name("units.txt")

_BARE_PREFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
_COUNT_WORDS = (
    r"parameters?|params?|weights?|scores?|dot[ -]?products?|operations?|ops|op|exps|exp"
    r"|exponentials?|elements?|entries|entry|values?|multiplications?|mults|additions?|adds"
)
# A plain count: an optional bare prefix and an optional count word ("288 parameters").
_COUNT = re.compile(rf"(?:(?P<prefix>[kKMGTP])\s*)?(?P<word>(?i:{_COUNT_WORDS}))?")
# "1.8 M FLOP" -> "1.8 MFLOP": a prefix written apart from its unit.
_DETACHED_PREFIX = re.compile(r"^(k|K|M|G|T|P|E|Ki|Mi|Gi|Ti)\s+(?=[A-Za-z])")
# FLOP with a lower-case plural s: a count or a rate, whichever the part wants.
_FLOPS_PLURAL = re.compile(
    r"(?<![A-Za-z])(k|K|M|G|T|P|E|Ki|Mi|Gi|Ti)?(?:FLOP|flop|Flop)s(?![A-Za-z])"
)
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

# Characters that may join a sheet symbol to the arithmetic around it (2*L, L², (L+1)).
_OPERATOR_CHARACTERS = frozenset("+-*/^()×·⋅∗∙÷−–=≈~（）＋－＊／＾⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
_OPERAND_END = frozenset(".)）⁰¹²³⁴⁵⁶⁷⁸⁹")
_OPERAND_START = frozenset(".(（")
# The "e" of an exponent: after a digit or a point, before a digit (8e11, 2.e-3).
_EXPONENT = re.compile(r"[\d.][eE][+-]?\d")
# A superset of the characters that can start a word (str.isalpha() or "_"): without any, the
# whole text is arithmetic and the character-by-character scan can be skipped.
_MAY_START_WORD = re.compile(r"[^\W\d]")
_PER = re.compile(r"\s+per\s+")
_LETTERS = re.compile(r"[A-Za-z]+")


def split_number_unit(text: str, symbols: Collection[str] = ()) -> tuple[str, str]:
    """Split an answer into its arithmetic and its unit text.

    The unit starts at the first word that is not the ``e`` of an exponent (``8e11``), the
    ``x`` of a product (``2 x 10^6``) or a sheet symbol used in the arithmetic (a whole word
    at the start or next to an operator, as in ``2*L*L*d``).

    Args:
        text: One side of an answer, e.g. ``"2 x 10^6 FLOP"``.
        symbols: The names the sheet binds (``L``, ``d``, ...).

    Returns:
        ``(number, unit)``, both stripped; ``unit`` is ``""`` when there is none.

    Example:
        >>> split_number_unit("2.5e2 MFLOP/s")
        ('2.5e2', 'MFLOP/s')
        >>> split_number_unit("2*L*L*d FLOP", {"L", "d"})
        ('2*L*L*d', 'FLOP')
    """
    if not _MAY_START_WORD.search(text):
        return text.strip(), ""
    position = 0
    last_word, last_end = "", -1  # the last word read as arithmetic (a symbol or an "x")
    while position < len(text):
        char = text[position]
        if char in "eE" and _is_exponent(text, position):
            position += 1
        elif char.isalpha() or char == "_":
            end = _word_end(text, position)
            previous = last_word if not text[last_end:position].strip() else ""
            if not _is_arithmetic_word(text, position, end, symbols, previous=previous):
                return text[:position].strip(), text[position:].strip()
            last_word, last_end = text[position:end], end
            position = end
        else:
            position += 1
    return text.strip(), ""


def to_unit(value: float, unit_text: str, target: str) -> float:
    """Convert ``value`` written in ``unit_text`` to the part's unit ``target``.

    Args:
        value: The number the student wrote before the unit.
        unit_text: The unit as written (``"MFLOP"``, ``"GB/s"``, ``"params"``); ``""`` means
            the number is already in the part's unit.
        target: The part's unit: ``"FLOP"``, ``"byte"``, ``"FLOP/byte"``, ``"FLOP/s"``,
            ``"byte/s"`` or ``"1"`` for a plain count.

    Returns:
        The value in ``target`` units.

    Raises:
        AnswerFormatError: The unit is unknown, ambiguous, too long, or of another dimension.

    Example:
        >>> to_unit(785.1, "KiB", "byte")
        803942.4
    """
    written = " ".join(unit_text.split()).removesuffix(".").strip()
    if not written:
        return _finite(value)
    return _finite(value * _unit_factor(written, target))


@functools.lru_cache(maxsize=1024)
def _unit_factor(written: str, target: str) -> float:
    """The factor from the unit ``written`` to ``target``, cached: pint takes ~0.1 ms a unit.

    Only factors are cached; a refused unit raises again, with the same message, each time.
    """
    if len(written) > MAX_UNIT_LENGTH:
        shown = written[:MAX_UNIT_LENGTH]
        raise AnswerFormatError(
            f"the unit '{shown}…' is too long (at most {MAX_UNIT_LENGTH} letters)"
        )
    _check_unit_characters(written)
    text = _clean_unit_text(written)
    multiplier = _count_multiplier(text, target)
    if multiplier is not None:
        return multiplier
    _refuse_milli_data(text)
    return _conversion_factor(text, written, target)


def _is_exponent(text: str, position: int) -> bool:
    return bool(_EXPONENT.match(text, max(position - 1, 0)))


def _word_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and (text[end].isalpha() or text[end] == "_"):
        end += 1
    return end


def _is_arithmetic_word(
    text: str, start: int, end: int, symbols: Collection[str], *, previous: str
) -> bool:
    """Whether the word ``text[start:end]`` belongs to the arithmetic, not to the unit.

    ``previous`` is the arithmetic word just before it (only spaces between), else "".
    """
    word = text[start:end]
    before, after = _neighbour(text, start - 1, -1), _neighbour(text, end, 1)
    if word in ("x", "X") and word not in symbols:
        # Neighbours are "" at either end of the text, and "" is in every str: test sets only.
        operand_before = before.isdecimal() or before in _OPERAND_END or previous in symbols
        operand_after = (
            after.isdecimal() or after in _OPERAND_START or _starts_symbol(text, end, symbols)
        )
        return bool(operand_before and operand_after)
    if word not in symbols:
        return False
    return (
        previous in ("x", "X")
        or before == ""
        or before in _OPERATOR_CHARACTERS
        or after in _OPERATOR_CHARACTERS
    )


def _neighbour(text: str, position: int, step: int) -> str:
    """The nearest non-space character from ``position`` in direction ``step``; "" at an end."""
    while 0 <= position < len(text):
        if not text[position].isspace():
            return text[position]
        position += step
    return ""


def _starts_symbol(text: str, position: int, symbols: Collection[str]) -> bool:
    rest = text[position:].lstrip()
    return rest[: _word_end(rest, 0)] in symbols  # "" (no word) is never a symbol


def _clean_unit_text(written: str) -> str:
    """Fold full-width letters and µ, read ``×``/``·`` as ``*``, ``per`` as ``/``, join prefixes."""
    text = unicodedata.normalize("NFKC", written).translate(_UNIT_SIGNS)
    text = _PER.sub("/", " ".join(text.split()))
    return _DETACHED_PREFIX.sub(r"\1", text)


def _count_multiplier(text: str, target: str) -> float | None:
    """The multiplier of a bare prefix or count word, or None when ``text`` is a real unit."""
    match = _COUNT.fullmatch(text)
    if match is None or not text:
        return None
    if match.group("word") and target != "1":
        raise AnswerFormatError(
            f"'{text}' is a plain count; this question wants {_describe_target(target)}"
        )
    prefix = match.group("prefix")
    return _BARE_PREFIXES[prefix] if prefix else 1.0


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


def _conversion_factor(text: str, written: str, target: str) -> float:
    """The factor from the unit ``text`` (``written`` by the student) to ``target``."""
    simple = simple_factor(text, target)  # no pint needed
    if simple is not None:
        return simple
    registry = _registry()
    wanted = _target_units(target)
    units = _parse_units(text, written)
    if _FLOPS_PLURAL.search(text):  # "FLOPs": a count, or a rate where the part wants one
        as_rate = _parse_units(_FLOPS_PLURAL.sub(r"\1FLOPS", text), written)
        if _dimensions(as_rate) == _dimensions(wanted):
            units = as_rate
    if _dimensions(units) != _dimensions(wanted):
        raise AnswerFormatError(
            f"'{written}' is {_describe(units)}; this question wants {_describe(wanted)}"
        )
    try:
        return float(registry.Quantity(1.0, units).to(wanted).magnitude)
    except Exception:  # pint raises outside its own hierarchy on odd input
        raise AnswerFormatError(f"cannot convert '{written}' to {target}") from None


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
