"""LaTeX as students paste it from their notes into an answer: ``2 \\cdot 10^{6}``,
``$L^{2}$``, ``\\frac{L(L+1)}{2}``, ``1\\,806\\,336``, ``2{,}25``, ``250\\ \\mathrm{FLOP/B}``.

A TA reads these as the arithmetic they typeset. :func:`plain_from_latex` rewrites the few
commands that typeset arithmetic, numbers and units into the notation the other readers know
(``×``, ``·``, ``÷``, ``≈``, parentheses, spaces); a text without a backslash, a dollar or a
brace comes back unchanged. Any other command (``\\sqrt``, ``\\log``) is refused by name: the
readers evaluate no functions, and a silently dropped command would change the value.

What is rewritten:

* ``$ … $``, ``\\( … \\)`` and ``\\[ … \\]``: the delimiters are dropped (dollars only
  when they pair up);
* ``\\cdot``, ``\\times``, ``\\div``, ``\\approx``, ``\\simeq``, ``\\sim``: ``·``, ``×``, ``÷``,
  ``≈``, ``≈``, ``~``; ``\\Theta``, ``\\Omega``, ``\\mu``: ``Θ``, ``Ω``, ``µ``; ``\\left`` and
  ``\\right`` vanish (their parenthesis stays);
* ``\\frac{a}{b}`` (also ``\\dfrac``, ``\\tfrac``): ``(a)/(b)``;
* ``\\text{…}``, ``\\mathrm{…}``, ``\\mathcal{…}`` and their kin: what is inside (a unit, the
  O of a growth class);
* ``\\,``, ``\\;``, ``\\:``, ``\\ `` and ``\\quad``: a space (``1\\,806\\,336`` is digit grouping);
  ``\\!``: nothing;
* ``^{…}``: ``^(…)``; ``_{…}``: ``_…`` (``d_{ff}`` is the symbol ``d_ff``); ``{,}``: a decimal
  comma (German typesetting); any other brace: a parenthesis.

As in TeX, spaces after a command word are not part of the text (``\\cdot 3``).
"""

from __future__ import annotations

import re

from grader.errors import AnswerFormatError

__all__ = ["plain_from_latex"]

_MARKS = frozenset("\\${}")
_WORD_COMMAND = re.compile(r"[A-Za-z]+")
_SYMBOLS = {
    "cdot": "·",
    "times": "×",
    "div": "÷",
    "approx": "≈",
    "simeq": "≈",
    "sim": "~",
    "Theta": "Θ",
    "Omega": "Ω",
    "mu": "µ",
    "left": "",
    "right": "",
    "quad": " ",
    "qquad": " ",
}
# Commands whose one braced argument is plain text, a unit or a letter to keep.
_WRAPPERS = frozenset(
    {"text", "textrm", "textit", "mathrm", "mathit", "mathbf", "mathcal", "mathsf", "operatorname"}
)
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})
_SPACING = {",": " ", ";": " ", ":": " ", " ": " ", "!": ""}
# Math delimiters \( \) \[ \] and a line break \\ separate nothing a reader needs.
_DELIMITERS = frozenset("()[]\\")
_DECIMAL_COMMA = "{,}"


def plain_from_latex(text: str) -> str:
    """``text`` with its LaTeX rewritten as the readers' notation (unchanged without any).

    Raises:
        AnswerFormatError: A command that typesets no arithmetic the readers know
            (``\\sqrt``), a ``\\frac`` without its two braced arguments, or braces that do
            not pair up.

    Example:
        >>> plain_from_latex(r"$\\frac{200 \\cdot 10^{12}}{800 \\cdot 10^{9}}$")
        '(200 ·10^(12))/(800 ·10^(9))'
    """
    if not _MARKS.intersection(text):
        return text
    return _Rewriter(text.replace(_DECIMAL_COMMA, ",")).rest()


class _Rewriter:
    """A left-to-right reading of one text; a braced group is read by the same rules."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._at = 0
        # Math delimiters come in pairs; a lone $ ("5 $ GB") is left for the reader to refuse.
        self._dollars_pair = text.count("$") % 2 == 0

    def rest(self, closing: str = "") -> str:
        """The text up to ``closing`` (consumed), or to its end when there is none, rewritten.

        Braces must pair up, as parentheses must for the evaluator: a brace closed silently
        could change what is grouped.
        """
        out: list[str] = []
        while self._at < len(self._text):
            char = self._text[self._at]
            self._at += 1
            if char == closing:
                return "".join(out)
            if char == "\\":
                out.append(self._command())
            elif char == "$" and self._dollars_pair:
                continue
            elif char == "{":
                out.append(f"({self.rest('}')})")
            elif char == "}":
                raise AnswerFormatError("unbalanced braces: a '}' closes nothing")
            elif char in "^_" and self._peek() == "{":
                self._at += 1
                inner = self.rest("}")
                out.append(f"^({inner})" if char == "^" else "_" + "".join(inner.split()))
            else:
                out.append(char)
        if closing:
            raise AnswerFormatError("unbalanced braces: a '{' is never closed")
        return "".join(out)

    def _peek(self) -> str:
        return self._text[self._at : self._at + 1]

    def _command(self) -> str:
        word = _WORD_COMMAND.match(self._text, self._at)
        if word is None:  # a control symbol: \, \; \! \( \\ ...
            symbol = self._peek()
            self._at += len(symbol)
            if symbol in _SPACING:
                return _SPACING[symbol]
            if symbol in _DELIMITERS:
                return " " if symbol == "\\" else ""
            raise AnswerFormatError(f"cannot read '\\{symbol}' here: write plain arithmetic")
        name = word.group()
        self._at = word.end()
        while self._peek().isspace():  # TeX skips the spaces after a command word
            self._at += 1
        if name in _SYMBOLS:
            return _SYMBOLS[name]
        if name in _WRAPPERS:
            return self._group(name) if self._peek() == "{" else ""
        if name in _FRACTIONS:
            numerator = self._group(name)
            denominator = self._group(name)
            return f"({numerator})/({denominator})"
        raise AnswerFormatError(
            f"the LaTeX command '\\{name}' cannot be graded: write the arithmetic with"
            " + - * / ^ and parentheses"
        )

    def _group(self, name: str) -> str:
        while self._peek().isspace():
            self._at += 1
        if self._peek() != "{":
            raise AnswerFormatError(f"'\\{name}' needs its arguments in braces: \\{name}{{a}}{{b}}")
        self._at += 1
        return self.rest("}")
