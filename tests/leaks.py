"""Finding expected values and formulas in what a student sees (a helper of test_reveal.py).

An expected value counts as found in a text when a number there is it in any common notation
(``250``, ``250.0``, ``2.5e2``, ``2.5·10^2``, ``1,806,336``, ``1 806 336``, ``1.8M``,
``1.81e6``, ``1.8 MFLOP``, ``3,33``, ``10/3``) or a rounding of it to at least two significant
figures; a formula (the solver's ``Step.formula``, and the numbers put in, ``Step.substitution``)
when the text spells it with any of ``× x * ·``, powers or repeated factors, in any order of
the factors of a product; a growth class as ``O(L^2)``, ``O(L²)``, ``Θ(L^2)`` or ``quadratic``.

The search reads rendered text (HTML and SVG text, comments and labels; Markdown unescaped;
every string of a JSON document), never a view model, and skips what the student wrote
themselves (:class:`Own`): a number or formula the student wrote is theirs to see.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TypeVar

from grader.answers.numbers import read_number
from grader.sheets.expectations import Expectations

_T = TypeVar("_T")

# ------------------------------------------------------------------------------------ numbers

_GROUPED = r"\d{1,3}(?:(?:,|'|_|\u202f|\u00a0|\u2009| )\d{3})+(?!\d)"
_MANTISSA = rf"\d+,\d{{1,2}}(?!\d)|\d+,\d{{4,}}|(?:{_GROUPED}|\d+)(?:\.\d+)?"
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_EXPONENT = (
    r"\s*(?:[eE]\s*(?P<e>[+\-−]?\d+)"
    r"|[×x·⋅*]\s*10\s*(?:\^|\*\*)\s*\(?(?P<p>[+\-−]?\d+)\)?"
    r"|[×x·⋅*]\s*10(?P<s>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+))"
)
_PREFIX = r"\s?(?P<prefix>Ki|Mi|Gi|Ti|k|K|M|G|T)(?:FLOPs?|FLOPS|flops?|B|bytes?|ops?)?(?![A-Za-z])"
_WORD = r"\s(?P<word>thousand|million|billion)\b"
NUMBER = re.compile(rf"(?<![\w.,])(?P<m>{_MANTISSA})(?:{_EXPONENT})?(?:{_PREFIX}|{_WORD})?(?![\d])")
FRACTION = re.compile(r"(?<![\w.,])(\d+)\s*/\s*(\d+)(?![\w.,])")
PREFIXES = {
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "Ki": 2.0**10,
    "Mi": 2.0**20,
    "Gi": 2.0**30,
    "Ti": 2.0**40,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
}


@dataclass(frozen=True)
class Found:
    """A number in a text: its value, its significant figures (None: exact), how it was
    written, and the binary prefix it was written with (785.1 KiB rounds in KiB)."""

    value: float
    figures: int | None
    text: str
    scale: float = 1.0


def numbers_in(text: str) -> list[Found]:
    """Every number of ``text`` in the notations of the module docstring."""
    found = []
    for match in NUMBER.finditer(text):
        mantissa = match.group("m")
        if re.fullmatch(r"\d+,\d{1,2}|\d+,\d{4,}", mantissa):
            digits = mantissa.replace(",", ".")  # a decimal comma
        else:
            digits = re.sub(r"[,'_\u202f\u00a0\u2009 ]", "", mantissa)
        exponent = match.group("e") or match.group("p")
        if match.group("s"):
            exponent = match.group("s").translate(_SUPERSCRIPTS)
        value = float(f"{digits}e{exponent.replace('−', '-')}" if exponent else digits)
        prefix = match.group("prefix") or match.group("word")
        scale = PREFIXES[prefix] if prefix else 1.0
        binary = scale if prefix and prefix.endswith("i") else 1.0
        found.append(Found(value * scale, _figures(digits), match.group(0), binary))
    for match in FRACTION.finditer(text):
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator:
            found.append(Found(numerator / denominator, None, match.group(0)))
    return found


def _figures(digits: str) -> int:
    """Significant figures as written: ``250`` has 2 (trailing zeros of an integer are not
    counted), ``250.0`` has 4, ``0.0033`` has 2."""
    if "." in digits:
        return len(digits.replace(".", "").lstrip("0")) or 1
    return len(digits.lstrip("0").rstrip("0")) or 1


def is_written_as(found: Found, value: float) -> bool:
    """Whether ``found`` is ``value``, or ``value`` rounded to its (>= 2) significant figures."""
    if value == 0 or not math.isfinite(value):
        return found.value == value
    if math.isclose(found.value, value, rel_tol=1e-9):
        return True
    figures = found.figures
    if figures is None or figures < 2:
        return False
    rounded = float(f"{value / found.scale:.{figures - 1}e}")
    return math.isclose(found.value / found.scale, rounded, rel_tol=1e-9)


# ----------------------------------------------------------------------------------- formulas

# Words in parentheses, no arithmetic: (one multiply per score), (FLOP/s); not (L + 1).
_COMMENT = re.compile(r"\((?=[^()]*[A-Za-z]{3,})[^()×*+\-−^]*\)")
_TRAILING_WORD = re.compile(r"(?<=[\w)²³])\s+[A-Za-z]{3,}$")  # "L² scores" -> "L²"
_OPERATOR = re.compile(r"[×*/+\-−^²³·]")
_FACTOR = r"(?:[a-z_][a-z0-9_]*|\d+(?:\.\d+)?)(?:\^\d+)?"  # L, h_out, 56, 2.5, K^2
_PRODUCT = re.compile(rf"(?<![\w.^*]){_FACTOR}(?:\*{_FACTOR})+(?![\w^*(]|\.\d)")


def normalized(text: str) -> str:
    """Lower case, one multiplication sign (``*``), ``^`` powers, no unit notes, no spaces
    around operators (one between words)."""
    text = _COMMENT.sub("", text)
    text = text.replace("**", "^").replace("²", "^2").replace("³", "^3").replace("−", "-")
    text = re.sub(r"[×·⋅]", "*", text)
    text = re.sub(r"(?<![A-Za-z_])x(?![A-Za-z_])", "*", text)  # 3 x 3, L x d; not max, exp
    text = re.sub(r"\s*([*/+\-^=()<>])\s*", r"\1", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def factors(product: str) -> tuple[str, ...]:
    """The factors of a normalized product, powers written out, in a fixed order."""
    out: list[str] = []
    for factor in product.split("*"):
        base, _, power = factor.partition("^")
        base = base.removesuffix("_out")  # H_out is H under same padding: a common spelling
        out += [base] * (int(power) if power else 1)
    return tuple(sorted(out))


@dataclass(frozen=True)
class Formula:
    """A formula to look for: a product (its factors) or an expression (normalized spellings)."""

    part_id: str
    written: str
    products: frozenset[tuple[str, ...]] = frozenset()
    spellings: frozenset[str] = frozenset()


def formula_of(part_id: str, written: str) -> Formula | None:
    """What to look for of a solver formula; None when it is words, not a formula."""
    core = _TRAILING_WORD.sub("", _COMMENT.sub("", written).strip())
    if not _OPERATOR.search(core) or ":" in core or "," in core:
        return None  # "intensity vs ridge point", "sketch: ...", "max L × (L − 1), sub ..."
    text = normalized(core)
    if re.fullmatch(_PRODUCT.pattern, text):
        return Formula(part_id, written, products=frozenset({factors(text)}))
    implicit = re.sub(r"(?<=[\w)])\*(?=\()", "", text)  # L*(L+1)/2 -> L(L+1)/2
    return Formula(part_id, written, spellings=frozenset({text, implicit}))


def formula_in(formula: Formula, text: str) -> bool:
    """Whether ``text`` (already normalized) spells ``formula``."""
    if any(spelling in text for spelling in formula.spellings):
        return True
    return any(factors(run.group(0)) in formula.products for run in _PRODUCT.finditer(text))


# ---------------------------------------------------------------------------------- the search

GROWTH_WORDS = {1: "linear", 2: "quadratic", 3: "cubic"}


def growth_spellings(value: str) -> set[str]:
    """How a growth class such as ``O(L^2)`` is written, normalized."""
    match = re.fullmatch(r"O\(L\^?(\d*)\)", value.replace("²", "^2"))
    if match is None:
        return {normalized(value)}
    power = int(match.group(1) or 1)
    body = "l" if power == 1 else f"l^{power}"
    spellings = {f"o({body})", f"θ({body})", f"theta({body})", f"ω({body})"}
    if power in GROWTH_WORDS:
        spellings.add(GROWTH_WORDS[power])
    return spellings


@dataclass
class Own:
    """What a student wrote: their numbers, formulas and words are theirs to see."""

    numbers: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def has_number(self, found: Found) -> bool:
        return any(is_written_as(found, value) for value in self.numbers)

    def _normalized(self) -> list[str]:
        return [normalized(text) for text in self.texts]

    def has_formula(self, formula: Formula) -> bool:
        return any(formula_in(formula, text) for text in self._normalized())

    def has_words(self, spelling: str) -> bool:
        return any(spelling in text for text in self._normalized())


def own_of(result: Any, exp: Expectations) -> Own:
    """The student's own texts and numbers of a result (the complete one, as TAs see it):
    every number written, each value read and what each expression evaluates to."""
    own = Own()
    for part in result.parts:
        for text in _strings(part.submitted):
            own.texts.append(text)
            own.numbers += [found.value for found in numbers_in(text)]
            try:
                answer = read_number(
                    text, unit=exp.assignment.part(part.id).unit, symbols=exp.symbols
                )
            except Exception:
                continue
            own.numbers += [answer.value]
            if answer.expression_value is not None:
                own.numbers.append(answer.expression_value)
        value = part.value
        if isinstance(value, str):
            own.texts.append(value)  # what the grader read "quadratic" as: O(L^2)
        elif isinstance(value, dict):
            own.numbers += [float(v) for v in value.values() if isinstance(v, int | float)]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            own.numbers.append(float(value))
    return own


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _per_sheet(compute: Callable[[Expectations], _T]) -> Callable[[Expectations], _T]:
    """``compute`` once per expectations object (they are not hashable: held by identity)."""
    known: dict[int, tuple[Expectations, _T]] = {}

    @functools.wraps(compute)
    def cached(exp: Expectations) -> _T:
        if id(exp) not in known:
            known[id(exp)] = (exp, compute(exp))
        return known[id(exp)][1]

    return cached


@_per_sheet
def expected_numbers(exp: Expectations) -> list[tuple[str, float]]:
    """(part id, value) of every number the sheet expects (counts by type: each count)."""
    numbers = []
    for part_id, value in exp.answers.items():
        if isinstance(value, dict):
            numbers += [(part_id, float(v)) for v in value.values()]
        elif isinstance(value, int | float) and not isinstance(value, bool):
            numbers.append((part_id, float(value)))
    return numbers


@_per_sheet
def expected_formulas(exp: Expectations) -> list[Formula]:
    """The formula and the substitution of every part's worked solution that a number is
    computed by (a formula per operation of counts by type: ``max L × (L − 1), sub L × L``).

    Parts a person grades have a description, not a formula; verdicts and growth classes a
    rule (``intensity vs ridge point``, ``L² scores``): their values are searched instead.
    """
    found = []
    for step in exp.solution.steps:
        if not isinstance(step.value, int | float | dict):
            continue
        pieces = [step.formula]
        if isinstance(step.value, dict):
            pieces = [re.sub(r"^[a-z]+ ", "", p.strip()) for p in step.formula.split(", ")]
        for written in (*pieces, step.substitution):
            formula = formula_of(step.part_id, written)
            if formula is not None:
                found.append(formula)
    return found


def leaks(
    text: str, exp: Expectations, own: Own | None = None, *, structural: Iterable[float] = ()
) -> list[str]:
    """What of the expected answers ``text`` gives away (one line each; empty: nothing).

    ``structural`` numbers (scores, points, lines, counts shown at every level) are skipped.
    """
    own = own or Own()
    skipped = [*structural]
    found = []
    for number in numbers_in(text):
        hits = [
            (pid, value) for pid, value in expected_numbers(exp) if is_written_as(number, value)
        ]
        if not hits or own.has_number(number):
            continue
        if any(is_written_as(number, s) for s in skipped):
            continue
        for part_id, number_value in hits:
            found.append(f"{part_id}: expected {number_value:g} written as {number.text!r}")
    flat = normalized(text)
    for formula in expected_formulas(exp):
        if formula_in(formula, flat) and not own.has_formula(formula):
            found.append(f"{formula.part_id}: formula {formula.written!r}")
    for part_id, value in exp.answers.items():
        if isinstance(value, str) and value.startswith("O("):
            for spelling in growth_spellings(value):
                if spelling in flat and not own.has_words(spelling):
                    found.append(f"{part_id}: growth class {value} written as {spelling!r}")
    return found


# ----------------------------------------------------------------------------- rendered text


class _Visible(HTMLParser):
    """The text of an HTML page or SVG as a reader (or its source) shows it: text nodes,
    comments and the attributes read aloud or shown on hover; not styles or coordinates."""

    SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "content")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skipping += 1
        self.pieces += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.pieces.append(data)

    def handle_comment(self, data: str) -> None:
        self.pieces.append(data)


def html_text(page: str) -> str:
    """The visible text (and comments) of an HTML page, pieces kept apart."""
    parser = _Visible()
    parser.feed(page)
    parser.close()
    return " | ".join(piece.strip() for piece in parser.pieces if piece.strip())


def markdown_text(markdown: str) -> str:
    """Markdown with its backslash escapes undone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def json_text(document: str) -> str:
    """Every string of a JSON document (Markdown in them unescaped), pieces kept apart."""
    return " | ".join(markdown_text(s) for s in _strings(_values(json.loads(document))))


def _values(value: Any) -> Any:
    if isinstance(value, dict):
        return [_values(v) for v in value.values()]
    if isinstance(value, list):
        return [_values(v) for v in value]
    return value
