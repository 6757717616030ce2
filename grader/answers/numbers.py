"""Reading a numeric answer as a careful TA reads it: number, unit, shown work, remark.

The grading engine calls :func:`read_number` (and :func:`~grader.choices.read_choice`,
:func:`~grader.growth_classes.read_complexity`, re-exported here); it returns the value in the
part's unit or raises :class:`~grader.errors.AnswerFormatError` with a one-line message for the
student. Nothing is guessed silently: a reading that depends on something the text does not
settle comes back with both readings for the grader to settle, or is refused with them.

What a student may write, and who reads it:

* digits with thousands separators or a decimal comma: :mod:`grader.digit_grouping`
  (``1,806,336``, ``2,25``, ``1.806.336``; ``3,333`` has two readings);
* arithmetic, scientific notation and implicit products: :mod:`grader.expression`
  (``2 × 56 × 56``, ``2.5·10^2``, ``2 L^2 d``, ``L(L+1)/2``);
* a quotient of two quantities with their units (``200 TFLOP/s / 800 GB/s``):
  :mod:`grader.quantity_quotient`;
* units: :mod:`grader.units` (``1.8 MFLOP``, ``785.1 KiB``; ``FLOPS`` for a count is read as
  FLOP with a note; ``byte/FLOP`` for FLOP per byte is turned around and marked);
* the quantity's name before its value (``b = 163``, ``b ≥ 163``, ``b ≈ 163``): left out, and
  so is a lower bound's sign or words without the name (``≥ 14.7 ms``, ``at least 163``);
* a unit per what the value is for (``16 KiB/token``, ``384 MiB/layer``): the value; a rate for
  a time per token (``68 tokens/s``) is turned around and marked as an inverted unit, and a rate
  after the time (``14.7 ms → 68 tokens/s``) is left out;
* a range (``160-170``, ``between 150 and 160``) is refused as one, not read as a difference;
* a word in parentheses after a term is its label (``2·d·d_ff (up) + 2·d_ff·d (down)``);
* a count times a quantity (``201.3M params × 2 B``, ``32 × 939.5 MB / 2.039 TB/s``), each
  factor read on its own, when the text reads only as that;
* ``B`` before a word that counts things on a plain count is a billion (``0.2 B params``);
* shown work, ``expr = result`` (also ``≈``, ``~``, ``->``, ``→``, ``, so``, and
  ``result (= expr)``, also after a result with its unit: ``16 FLOP/B (≈ b)``):
  the result is the graded value; the expression's value is kept so the engine can tell a slip
  from a wrong method. A side without a unit is in the part's unit; working that does not read
  is skipped with a note;
* a remark after the value (``1024 (one multiply per score)``): :mod:`grader.remarks`; it is
  tried only when the whole text does not read, and the answer notes that it was skipped;
* LaTeX pasted from notes (``2 \\cdot 10^{6}``, ``\\frac{L(L+1)}{2}``): :mod:`grader.latex`
  rewrites it first.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace

from grader.answers.choices import read_choice
from grader.answers.digit_grouping import ungroup
from grader.answers.expression import MAX_LENGTH, evaluate
from grader.answers.growth_classes import read_complexity
from grader.answers.implicit_products import is_symbol_run
from grader.answers.latex import plain_from_latex
from grader.answers.quantity_quotient import DIVISION, read_quantity_quotient
from grader.answers.remarks import (
    has_word,
    leading_words,
    paren_depths,
    remark_cuts,
    trailing_group,
)
from grader.answers.rounding_bounds import Rounding, rounding_bounds
from grader.answers.significant_figures import significant_figures
from grader.answers.units import WrongDimension, convert, split_number_unit
from grader.errors import AnswerFormatError

__all__ = ["NumericAnswer", "read_choice", "read_complexity", "read_number"]

REMARK_NOTE = "The remark after the value was not graded."
LEADING_NOTE = "The words before the value were not graded."
WORKING_NOTE = "Your working before '=' could not be read; the result after it is graded."


@dataclass(frozen=True)
class NumericAnswer:
    """A numeric answer as read, in the part's unit.

    Attributes:
        value: The graded value (the stated result when the student wrote ``expr = result``).
        expression_value: The value of ``expr`` in ``expr = result``; None without shown work.
        significant_figures: Of the stated number when it is a plain (possibly rounded) number;
            None for an expression with operators, which is treated as exact.
        text: The stripped original text.
        notes: Short sentences on how an unusual notation was read, for the feedback.
        inverted: The quantity as written when its unit was the inverse of the part's
            (``0.004 byte/FLOP``); ``value`` is then that quantity turned around.
        other: The answer with an ambiguous digit group read the other way (``3,333`` as
            3.333), when neither the part nor the text settles it; None otherwise.
        ambiguous: That digit group as written.
        expression_macs: The working (``expression_value``) was labelled as a count of MACs
            (``903,168 MACs = 1,806,336 FLOPs``).
        rounding: The values ``value`` may stand for, given the rounded literals it was
            computed from (``2048 × 402.7 MFLOP``), in the part's unit; None when no literal
            shows a rounding.
        expression_rounding: The same for ``expression_value``.
        macs: The graded value was labelled as a count of multiply-accumulates
            (``67M MACs``) on a FLOP count: it is that count, as written.
    """

    value: float
    expression_value: float | None
    significant_figures: int | None
    text: str
    notes: tuple[str, ...] = ()
    inverted: str | None = None
    other: NumericAnswer | None = None
    ambiguous: str | None = None
    rounding: Rounding | None = None
    expression_rounding: Rounding | None = None
    macs: bool = False
    expression_macs: bool = False


# A lower bound written without the quantity's name ("≥ 14.7 ms", "at least 163") gives its
# value as "t ≥ 14.7 ms" and "b ≥ 163" do: the questions ask for the bound itself.
_APPROXIMATELY = re.compile(
    r"^(?:[≈~≃=≥⩾]|>=|(?i:about|approximately|approx\.?|roughly|around|ca\.|at\s+least)"
    r"(?=[\s\d.+\-(]))\s*"
)
# "b = 163", "b ≥ 163", "b ≈ 163", "b_min = 163": the name of the quantity before its value is no
# working (b = 16 would "disagree" with 163); a bound written with ≥ gives its value the same way.
_NAME_BEFORE_VALUE = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*(?:=|≥|>=|⩾|≈|~|≃)\s*(?=[^=\s])")
# "expr = result", also "≈", and an arrow from working to result ("903,168 MAC -> 1,806,336"),
# and the words that say the same before a number ("b ≥ 162.1, so 163").
_SIDE_SEPARATOR = re.compile(r"[=≈~≃≅]+>?|->|→|⇒|,?\s*\b(?i:so|hence|thus|therefore)\b(?=\s*\d)")
_PLAIN_NUMBER_TEXT = re.compile(r"[+-]?[\d.,'’\u00a0\u2009\u202f ]*\d(?:[eE][+-]?\d+)?")
_DIGIT_START = re.compile(r"[~≈]?\s*\d")
_OPERATOR_END = frozenset("+-*/^(×·⋅∗÷−–")
_WHOLE_NOISE = 1e-9
# Entries are short texts and small results; a class of thousands repeats far fewer answers.
_CACHE_SIZE = 4096


def read_number(
    text: str,
    *,
    unit: str,
    symbols: Mapping[str, float] | None = None,
    whole: bool = False,
    both_readings: bool = False,
) -> NumericAnswer:
    """Read a numeric answer, with optional unit, shown work and remark, in the part's unit.

    Args:
        text: The student's answer, e.g. ``"2 × 56 × 56 × 3 × 3 × 32 = 1,811,072"``.
        unit: The part's unit (``"FLOP"``, ``"byte"``, ``"FLOP/byte"``, ``"FLOP/s"``,
            ``"byte/s"`` or ``"1"``); a number without a unit is in this unit.
        symbols: Values of the sheet's symbols that expressions may use (``L``, ``d``, ...).
        whole: The part's value is a whole number (a count, a byte total): ``65,536`` is then
            65536, since 65.536 is no count.
        both_readings: Return an ambiguous digit group's two readings (``other``) for the
            caller to settle, instead of refusing it.

    Returns:
        The answer read; see :class:`NumericAnswer`.

    Raises:
        AnswerFormatError: Empty, malformed, ambiguous, or a unit of the wrong kind.

    Example:
        >>> read_number("2 × 56 × 56 × 3 × 3 × 32 = 1,811,072", unit="FLOP").value
        1811072.0
    """
    stripped = text.strip()
    if not stripped:
        raise AnswerFormatError("no answer")
    if len(stripped) > MAX_LENGTH:
        raise AnswerFormatError(f"answer is too long (more than {MAX_LENGTH} characters)")
    # LaTeX pasted from notes ("2 \cdot 10^{6}") is read as the arithmetic it typesets.
    readable = plain_from_latex(stripped).strip()
    if not readable:
        raise AnswerFormatError("no answer")
    # The symbols' values are part of the key: the same text means another number elsewhere.
    items = tuple(symbols.items()) if symbols else ()
    if symbols and 0 in symbols.values():
        # 0.0 and -0.0 are one key but may give answers of different sign: not cached.
        answer = _read_stripped.__wrapped__(readable, unit, items, whole)
    else:
        answer = _read_stripped(readable, unit, items, whole)
    if readable != stripped:
        answer = replace(answer, text=stripped)
    if answer.other is not None and not both_readings:
        group = answer.ambiguous or ""
        thousands, decimal = group.replace(",", ""), group.replace(",", ".")
        raise AnswerFormatError(
            f"'{group}' is ambiguous: write {thousands} or {decimal}",
            readings=(stripped.replace(group, thousands, 1), stripped.replace(group, decimal, 1)),
        )
    return answer


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _read_stripped(
    stripped: str, unit: str, symbols: tuple[tuple[str, float], ...], whole: bool
) -> NumericAnswer:
    """:func:`read_number` after its cheap checks, cached: answers repeat a lot across a class.

    Only answers are cached (the answer is frozen, so sharing it is safe); a refusal raises
    afresh each time, through the caches of :mod:`grader.expression` and :mod:`grader.units`.
    """
    names = dict(symbols)
    if _MAY_BE_RANGE.search(stripped):
        _refuse_a_range(stripped)
    if stripped[-1] in ")）":
        shown = _shown_work_in_parentheses(stripped, unit, names, whole)
        if shown is not None:
            return shown
    try:
        return _read_text(stripped, unit, names, whole)
    except AnswerFormatError as error:
        rescued = _read_per_item(stripped, unit, names, whole)
        if rescued is None:
            rescued = _read_with_remark(stripped, unit, names, whole)
        if rescued is None:
            rescued = _read_after_words(stripped, unit, names, whole)
        if rescued is None:
            rescued = _read_without_labels(stripped, unit, names, whole)
        if rescued is None:
            raise error from None
        return rescued


# "160–170", "between 150 and 160", "150 to 160 sequences": a range, where the question asks for
# one value. Read as arithmetic, "160-170" was -10 ("far too low"); a TA sees a range. Only a
# difference of two plain numbers that would come out negative is taken for a range ("4096-64"
# stays arithmetic), and "to" or "between ... and" always.
_MAY_BE_RANGE = re.compile(r"[-–—]|\bto\b|(?i:between)")
_RANGE = re.compile(
    r"(?:[≈~]|(?i:about|approx\.?|roughly|around|ca\.|between))?\s*(?P<low>\d[\d.,]*)\s*"
    r"(?P<sign>[-–—]|(?i:to|and))\s*(?P<high>\d[\d.,]*)(?:\s*(?P<rest>[^\W\d].*))?"
)


def _refuse_a_range(text: str) -> None:
    """Raise for a range of two values (see ``_RANGE``); return for anything else."""
    found = _RANGE.fullmatch(text)
    if found is None:
        return
    low, high = (_plain_value(found.group(key)) for key in ("low", "high"))
    if found.group("sign").casefold() == "and" and not text[:1].isalpha():
        return  # "and" alone makes a range only after "between"
    if low is None or high is None or (found.group("sign") in "-–—" and low >= high):
        return
    raise AnswerFormatError(f"'{_short(text)}' is a range: give one value")


def _plain_value(number: str) -> float | None:
    try:
        return float(number)
    except ValueError:
        return None  # grouped or with a decimal comma: not a plain range


def _read_text(text: str, unit: str, names: Mapping[str, float], whole: bool) -> NumericAnswer:
    """The answer ``text`` as a whole: its sides, the last one stated. Working before ``=``
    that does not read (``200 TFLOP/s / 800 GB/s = 250``) is skipped with a note: the stated
    result is what is graded."""
    sides = _split_sides(_ascii_digits(_without_name(_APPROXIMATELY.sub("", text, count=1), names)))
    stated = _read_side(sides[-1], unit, names, whole, text)
    if len(sides) == 1:
        return replace(stated, text=text)
    readings = []
    for side in sides[:-1]:
        try:
            readings.append(_read_side(side, unit, names, whole, text))
        except AnswerFormatError:
            continue
    if not readings:
        return replace(stated, text=text, notes=(*stated.notes, WORKING_NOTE))
    readings.append(stated)
    expression = readings[0].value
    if stated.other is not None:
        # "… = 803,968": the student's own expression says which reading they meant.
        for candidate in (stated, stated.other):
            if math.isclose(candidate.value, expression, rel_tol=1e-9):
                stated = replace(candidate, other=None, ambiguous=None)
                break
    notes = tuple(dict.fromkeys(note for side in readings for note in side.notes))
    return replace(
        stated,
        expression_value=expression,
        expression_rounding=readings[0].rounding,
        expression_macs=readings[0].macs,
        notes=notes,
        text=text,
    )


def _without_name(text: str, names: Mapping[str, float]) -> str:
    """``text`` without the name of the quantity before its value (``b = 163``); a product
    of symbols (``Ld = 8192``) is working and stays."""
    named = _NAME_BEFORE_VALUE.match(text)
    if named is None or is_symbol_run(named.group("name"), names):
        return text
    return text[named.end() :]


# "16 KiB/token", "0.46 ms/token", "384 MiB/layer": the unit divided by what the value is for
# says what a question already asks (per token, one layer); the value is the answer. Only the
# things the questions count by: a unit over anything else is still refused.
_PER_ITEM = re.compile(
    r"(?P<head>.*?[^\W\d_])\s*/\s*"
    r"(?i:tokens?|tok|tkn|sequences?|seqs?|layers?|steps?|prompts?|images?|img|samples?)\.?"
)
# "68 tokens/s" for a time per token: the rate the time bound gives, written the other way up
# (a lower bound on the time is an upper bound on the rate: "≤ 68 tokens/s").
_ITEMS_PER_SECOND = re.compile(
    r"(?:≤|<=|⩽|(?i:at\s+most|up\s+to)\s)?\s*(?P<head>.*?)\s*(?i:tokens?|tok|steps?)\s*/\s*"
    r"(?:s|sec|second)\.?"
)

# The rate itself, as a number alone ("~68", "2,170"): "14.7 ms → 68 tokens/s" states a time.
_PLAIN_RATE = re.compile(r"(?:[≈~]|(?i:about|approx\.?|roughly|around|ca\.))?\s*[\d.,\s]*\d")

# "14.7 ms → 68 tokens/s", "14.7 ms, i.e. 68 tokens/s": a time and the rate it comes to. The
# rate is no result of working that gave 14.7 (68 is no arithmetic slip): the time is graded.
_RATE_AFTER_TIME = re.compile(
    r"(?P<time>.*?[^\W\d_])\s*(?:→|->|⇒|=|≈|~|,|;|(?i:,?\s*i\.?\s*e\.?,?|so|or))\s*"
    r"(?:≤|<=|⩽)?\s*[≈~]?\s*[\d.,\s]*\d\s*(?i:tokens?|tok|steps?)\s*/\s*(?:s|sec|second)\.?"
)
RATE_NOTE = "The rate after the time was not graded."


def _read_per_item(
    text: str, unit: str, names: Mapping[str, float], whole: bool
) -> NumericAnswer | None:
    """``16 KiB/token`` as ``16 KiB``, and ``68 tokens/s`` for a time as ``1/68 s`` turned
    around (the grader gives such an answer the credit of an inverted unit), or None."""
    if "/" not in text:  # the usual answer: nothing to look at
        return None
    converted = _RATE_AFTER_TIME.fullmatch(text) if unit == "s" else None
    if converted is not None:  # "14.7 ms → 68 tokens/s": the time, then the rate it gives
        try:
            answer = _read_text(converted.group("time"), unit, names, whole)
        except AnswerFormatError:
            return None
        return replace(answer, text=text, notes=(*answer.notes, RATE_NOTE))
    per_item = _PER_ITEM.fullmatch(text)
    if per_item is not None:
        try:
            answer = _read_text(per_item.group("head"), unit, names, whole)
        except AnswerFormatError:
            return None
        return replace(answer, text=text)
    rate = _ITEMS_PER_SECOND.fullmatch(text)
    if rate is None or unit != "s" or not _PLAIN_RATE.fullmatch(rate.group("head")):
        return None
    try:
        per_second = _read_text(rate.group("head"), "1", names, whole=False)
    except AnswerFormatError:
        return None
    if per_second.value <= 0 or per_second.other is not None:
        return None
    return NumericAnswer(
        1 / per_second.value,
        None,
        per_second.significant_figures,
        text,
        notes=(),
        inverted=text,
    )


def _read_with_remark(
    text: str, unit: str, names: Mapping[str, float], whole: bool
) -> NumericAnswer | None:
    """The answer before a remark (``1024 (one multiply per score)``), or None."""
    for cut in remark_cuts(text, names):
        head = text[: cut.position].rstrip(" \t,;-–—")
        if cut.kind == "group":
            inside = text[cut.position :].strip()[1:-1].strip()
            try:  # "0.25 (kFLOP/byte)": a unit in parentheses, not a remark
                return replace(_read_text(f"{head} {inside}", unit, names, whole), text=text)
            except AnswerFormatError:
                pass
        try:
            answer = _read_text(head, unit, names, whole)
        except AnswerFormatError:
            continue
        return replace(answer, text=text, notes=(*answer.notes, REMARK_NOTE))
    return None


def _read_after_words(
    text: str, unit: str, names: Mapping[str, float], whole: bool
) -> NumericAnswer | None:
    """The answer after words that introduce it (``There are 288 parameters``), or None."""
    start = leading_words(text, names)
    if start is None:
        return None
    rest = text[start:]
    answer: NumericAnswer | None
    try:
        answer = _read_text(rest, unit, names, whole)
    except AnswerFormatError:
        answer = _read_with_remark(rest, unit, names, whole)  # "... 288 parameters (no bias)"
    if answer is None:
        return None
    notes = tuple(note for note in answer.notes if note != REMARK_NOTE)
    return replace(answer, text=text, notes=(*notes, LEADING_NOTE))


# "2 × d × d_ff (up) + 2 × d_ff × d (down)", "2·L·d (QK^T) + 2·L·d (AV)", "3 (Q, K, V) × ...": a
# word in parentheses names a term. No digit inside: "(L+1)" and "(d/h)" are arithmetic.
_LABEL = re.compile(r"\s*\((?P<inside>[^()\d]*)\)")
LABEL_NOTE = "The labels in parentheses were not graded."


def _is_label(inside: str, names: Mapping[str, float]) -> bool:
    """A word (``up``, ``AV``), or letters listed with commas (``Q, K, V``): a comma without
    digits is no arithmetic, whatever the letters are."""
    return has_word(inside, names) or ("," in inside and any(c.isalpha() for c in inside))


def _read_without_labels(
    text: str, unit: str, names: Mapping[str, float], whole: bool
) -> NumericAnswer | None:
    """The answer with the labels of its terms left out, or None (no label, or still no
    reading)."""
    if "(" not in text:
        return None
    unlabelled = _LABEL.sub(
        lambda found: " " if _is_label(found.group("inside"), names) else found.group(), text
    ).strip()
    if unlabelled == text or not unlabelled:
        return None
    try:
        answer = _read_text(unlabelled, unit, names, whole)
    except AnswerFormatError:
        return None
    return replace(answer, text=text, notes=(*answer.notes, LABEL_NOTE))


def _shown_work_in_parentheses(
    text: str, unit: str, names: Mapping[str, float], whole: bool
) -> NumericAnswer | None:
    """``4096 (= 64·64)`` or ``4096 (64 × 64)``: a result and its working, read as
    ``64·64 = 4096``. Without ``=`` only when both are about the same number (else the
    juxtaposition is a product: ``2 (L·d)``)."""
    found = trailing_group(text)
    if found is None or has_word(found[1], names):
        return None
    head, inside = found
    marked = inside[:1] in ("=", "≈", "~")
    # A result with its unit is read only with its working marked ("16 FLOP/B (≈ b)"): without
    # the mark, "2 B (d)" could as well be a product.
    if not _PLAIN_NUMBER_TEXT.fullmatch(head) and not (marked and _DIGIT_START.match(head)):
        return None
    working = inside.lstrip("=≈~ ") if marked else inside
    if not working:
        return None
    try:
        answer = _read_text(f"{working} = {head}", unit, names, whole)
    except AnswerFormatError:
        return None
    expression = answer.expression_value
    if not marked and not (expression and abs(expression - answer.value) <= 0.05 * abs(expression)):
        return None
    return replace(answer, text=text)


def _ascii_digits(text: str) -> str:
    """Full-width and other decimal digits as ASCII (superscripts are not decimal: kept)."""
    if text.isascii():  # the usual case: nothing to convert
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def _split_sides(text: str) -> list[str]:
    sides = [side.strip() for side in _SIDE_SEPARATOR.split(text)]
    if not sides[0]:
        raise AnswerFormatError("nothing before '='")
    if not all(sides):
        raise AnswerFormatError("nothing after '='")
    return sides


def _read_side(
    side: str, unit: str, names: Mapping[str, float], whole: bool, text: str
) -> NumericAnswer:
    """One side of ``expr = result``, in the part's unit, with its other reading if any; a
    product of a count and a quantity (``201.3M params × 2 B``) when it reads only as that."""
    try:
        return _read_plain_side(side, unit, names, whole, text)
    except AnswerFormatError as error:
        total = _read_sum(side, unit, names, whole) if "+" in side else None
        if total is not None:
            return total
        if not any(sign in side for sign in _PRODUCT_SIGNS):
            raise
        product = _read_product(side, unit, names, whole, 0)
        if product is None:
            raise error from None
        return product


# "402.7 MB + 536.9 MB", "402.7 MB + 16 × 33.55 MB" (the weights and the caches): a sum of
# quantities, each with its unit, which the reader of one number and one unit at the end cannot
# split. Each term is read on its own (a count times a quantity too), in the part's unit.
_EXPONENT_SIGN = re.compile(r"[\d.][eE]$")


def _read_sum(
    side: str, unit: str, names: Mapping[str, float], whole: bool
) -> NumericAnswer | None:
    """``side`` as a sum of terms each read in ``unit`` (each a whole number where the sum
    is), or None when it is not one."""
    levels = paren_depths(side)
    cuts = [
        position
        for position, char in enumerate(side)
        if char == "+" and not levels[position] and not _EXPONENT_SIGN.search(side[:position])
    ]
    ends = zip([-1, *cuts], [*cuts, len(side)], strict=True)
    terms = [side[start + 1 : end].strip() for start, end in ends]
    if not cuts or not all(terms):
        return None
    # every term a quantity with its unit: a bare number among them is no quantity to add
    if not all(_has_unit(term, names) for term in terms):
        return None
    read: list[NumericAnswer] = []
    for term in terms:
        try:
            answer = _read_side(term, unit, names, whole, term)
        except AnswerFormatError:
            return None
        if answer.other is not None or answer.inverted:
            return None  # a term with two readings, or turned around: no sum a TA would add
        read.append(answer)
    value = math.fsum(answer.value for answer in read)
    if not math.isfinite(value):
        return None
    notes = tuple(dict.fromkeys(note for answer in read for note in answer.notes))
    return NumericAnswer(value, None, None, side, notes, rounding=_sum_rounding(read))


def _has_unit(term: str, names: Mapping[str, float]) -> bool:
    try:
        return bool(split_number_unit(term, names)[1])
    except AnswerFormatError:
        return False


def _sum_rounding(terms: list[NumericAnswer]) -> Rounding | None:
    """The bounds of a sum from its terms' (an exact term is its value)."""
    bounded = [term.rounding for term in terms if term.rounding is not None]
    if not bounded:
        return None
    low = math.fsum(term.rounding.low if term.rounding else term.value for term in terms)
    high = math.fsum(term.rounding.high if term.rounding else term.value for term in terms)
    return Rounding(low, high, min(rounding.figures for rounding in bounded))


# "201.3M params × 2 B", "32,768 elements × 4 B", "32 × 939.5 MB / 2.039 TB/s": a count (a
# number with a prefix or a counted word) times a quantity with its unit, which the reader of
# one number and one unit at the end cannot split. Each factor is read on its own.
_PRODUCT_SIGNS = "×*·⋅∗"
_PRODUCT_DEPTH = 3


def _read_product(
    side: str, unit: str, names: Mapping[str, float], whole: bool, depth: int
) -> NumericAnswer | None:
    """``side`` as a plain count times a quantity in ``unit`` (either order), or None."""
    if depth > _PRODUCT_DEPTH:
        return None
    levels = paren_depths(side)
    for position, char in enumerate(side):
        if char not in _PRODUCT_SIGNS or levels[position]:
            continue
        left, right = side[:position].strip(), side[position + 1 :].strip()
        if not left or not right:
            continue
        for count_text, quantity_text in ((left, right), (right, left)):
            count = _factor(count_text, "1", names, depth)
            quantity = _factor(quantity_text, unit, names, depth) if count else None
            if count is None or quantity is None or quantity.inverted:
                continue
            value = count.value * quantity.value
            if not math.isfinite(value):
                continue
            rounding = _product_rounding(count, quantity)
            return NumericAnswer(value, None, None, side, quantity.notes, rounding=rounding)
    return None


def _product_rounding(first: NumericAnswer, second: NumericAnswer) -> Rounding | None:
    """The bounds of the product of two factors from theirs (an exact factor is its value)."""
    if first.rounding is None and second.rounding is None:
        return None
    ends = [
        (f.value, f.value) if f.rounding is None else (f.rounding.low, f.rounding.high)
        for f in (first, second)
    ]
    products = [a * b for a in ends[0] for b in ends[1]]
    figures = min(f.rounding.figures for f in (first, second) if f.rounding is not None)
    return Rounding(min(products), max(products), figures)


def _factor(text: str, unit: str, names: Mapping[str, float], depth: int) -> NumericAnswer | None:
    """One factor of a product, in ``unit``: as one side is read, else as a product itself."""
    try:
        answer = _read_plain_side(text, unit, names, False, text)
    except AnswerFormatError:
        return _read_product(text, unit, names, False, depth + 1)
    return answer if answer.other is None else None


def _read_plain_side(
    side: str, unit: str, names: Mapping[str, float], whole: bool, text: str
) -> NumericAnswer:
    """One side as one number (or expression) and one unit at its end, or a quotient of two
    quantities."""
    number, unit_text = split_number_unit(side, names)
    if any(sign in unit_text for sign in DIVISION) and any(c.isdigit() for c in unit_text):
        quotient = read_quantity_quotient(side, unit, names)
        if quotient is not None:  # "200 TFLOP/s / 800 GB/s": exact, as an expression is
            notes = (quotient.note,) if quotient.note else ()
            inverted = side if quotient.inverted else None
            return NumericAnswer(quotient.value, None, None, side, notes, inverted)
    if not number or number[-1] in _OPERATOR_END:
        # A word where a number or operand belongs ("nan", "open(...)", "2*q"): the
        # evaluator names the problem.
        evaluate(side, names)
        raise AnswerFormatError(f"expected a number, got '{_short(side)}'")
    grouped = ungroup(number)
    first = _valued(grouped.text, unit_text, unit, names, side)
    if grouped.other is None:
        return first
    other = _valued(grouped.other, unit_text, unit, names, side)
    if grouped.mark == ".":
        if whole and not _is_whole(first.value) and _is_whole(other.value):
            note = f"Read '{grouped.ambiguous}' with a dot as thousands separator."
            return replace(other, notes=(*other.notes, note))
        return first
    if whole and not _is_whole(other.value):
        return first  # 65,536 weights: there is no such thing as 65.536 of them
    return replace(first, other=replace(other, text=text), ambiguous=grouped.ambiguous)


def _valued(
    plain: str, unit_text: str, unit: str, names: Mapping[str, float], side: str
) -> NumericAnswer:
    """``plain`` (digits ungrouped) evaluated and converted from ``unit_text`` to ``unit``."""
    value = evaluate(plain, names)
    figures = significant_figures(plain, names)
    rounding = rounding_bounds(plain, names)
    if not unit_text:
        return NumericAnswer(value, None, figures, side, rounding=rounding)
    try:
        converted = convert(value, unit_text, unit)
    except WrongDimension:
        raise
    except AnswerFormatError as error:  # an unknown unit: the number alone may be the answer
        per_word = _billions(unit_text, unit)
        if per_word is not None:
            scaled = rounding.scaled(1e9 * per_word) if rounding else None
            return NumericAnswer(value * 1e9 * per_word, None, figures, side, rounding=scaled)
        raise AnswerFormatError(error.message, readings=(plain,)) from None
    notes = (converted.note,) if converted.note else ()
    inverted = side if converted.inverted else None
    return NumericAnswer(
        converted.value,
        None,
        figures,
        side,
        notes,
        inverted,
        rounding=_converted_rounding(rounding, unit_text, unit),
        macs=converted.macs,
    )


def _converted_rounding(rounding: Rounding | None, unit_text: str, unit: str) -> Rounding | None:
    """The bounds in the part's unit: each end converted as the value was (turned around
    too, for a unit of the inverse dimension); None where an end does not convert."""
    if rounding is None:
        return None
    try:
        low, high = (convert(end, unit_text, unit) for end in (rounding.low, rounding.high))
    except AnswerFormatError:  # an end of 0 under an inverse unit: no bounds
        return None
    if low.inverted and rounding.low * rounding.high <= 0:
        return None  # turned around, an interval across 0 has no finite ends
    ends = sorted((low.value, high.value))
    return Rounding(ends[0], ends[1], rounding.figures)


# "0.2 B params": before a word that counts things, B is a billion, as in "7B model"; alone on a
# count ("0.2 B") it stays the byte the sheet says it is, and is refused as a unit of data.
_BILLION_BEFORE_WORD = re.compile(r"B\s*(?P<word>[^\W\d_]{2,})")


def _billions(unit_text: str, unit: str) -> float | None:
    """What one of the counted word is worth (1 for ``params``) when ``unit_text`` is B and
    that word on a plain count (``B params``), else None; the caller adds the billion."""
    found = _BILLION_BEFORE_WORD.fullmatch(unit_text) if unit == "1" else None
    if found is None:
        return None
    try:  # the word must be one the sheet's counts use ("params", "sequences")
        return convert(1.0, found.group("word"), unit).value
    except AnswerFormatError:
        return None


def _is_whole(value: float) -> bool:
    return abs(value - round(value)) <= _WHOLE_NOISE * max(abs(value), 1.0)


def _short(text: str, limit: int = 40) -> str:
    """The student's text for a one-line message: white space collapsed, cut at ``limit``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
