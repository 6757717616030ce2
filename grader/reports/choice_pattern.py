"""A JSON Schema pattern for a choice part: the spellings of its vocabulary as the grader reads
them, so that an editor flags ``memroy-bound`` while the student types.

The grader (:func:`grader.answers.choices.read_choice`) ignores letter case, reads hyphens,
underscores and punctuation as spaces, drops a final period, and accepts a short sentence that
names one choice ("memory-bound, because ..."). The pattern accepts the same: any text with an
accepted spelling as whole words, in any letter case, the words joined by any run of those
separators. It is looser than the grader where a pattern cannot follow it (a sentence that names
both choices, or negates one, still matches) and it spells letters as ASCII case pairs, so a
letter the grader only reaches by Unicode compatibility folding (a full-width ``ｍ``) does not
match; it never refuses a spelling of the vocabulary itself. A text holding a backslash is LaTeX
to the grader (``$\\text{memory-bound}$``), rewritten before it is read; a pattern cannot follow
that, so such a text always matches and the grader decides.

ECMA 262 syntax only (no inline flags, no ``\\A``): editors run it as a JavaScript regex.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from grader.answers.choices import WORD_SEPARATORS

__all__ = ["choice_pattern"]

# What the reader turns into spaces, and white space (after them: "-" stays first in the class).
_SEPARATOR = rf"[{WORD_SEPARATORS}\s]"
_SEPARATORS = re.compile(_SEPARATOR)


def choice_pattern(vocabulary: Mapping[str, Sequence[str]]) -> str:
    """A regex matching every text that names one of ``vocabulary``'s spellings as words.

    Args:
        vocabulary: Canonical choice -> its other accepted spellings.

    Returns:
        The pattern (anchored at both ends).

    Example:
        >>> import re
        >>> pattern = choice_pattern({"memory-bound": ["memory"], "compute-bound": []})
        >>> [bool(re.search(pattern, t)) for t in ("Memory_Bound.", "memroy-bound", "memory")]
        [True, False, True]
    """
    spellings = sorted(
        {_words_pattern(s) for choice, others in vocabulary.items() for s in (choice, *others)}
        - {""},
        key=lambda pattern: (-len(pattern), pattern),  # longest first: fewer backtracks
    )
    if not spellings:
        return "^$(?!)"  # no choices at all: nothing names one
    named = "(?:" + "|".join(spellings) + ")"
    before = rf"(?:[\s\S]*{_SEPARATOR})?"
    after = rf"(?:{_SEPARATOR}[\s\S]*|\s*\.\s*)?"
    latex = r"[\s\S]*\\[\s\S]*"  # any text with a backslash: see the module's note
    return f"^(?:{before}{named}{after}|{latex})$"


def _words_pattern(spelling: str) -> str:
    """One spelling: its words in any letter case, joined by one or more separators."""
    text = unicodedata.normalize("NFKC", spelling).casefold().strip().removesuffix(".")
    words = _SEPARATORS.sub(" ", text).split()
    return f"{_SEPARATOR}+".join(_any_case(word) for word in words)


def _any_case(word: str) -> str:
    out = ""
    for char in word:
        if char.lower() != char.upper():
            out += f"[{char.lower()}{char.upper()}]"
        else:
            out += "\\" + char if char in r"\^$.|?*+()[]{}/" else char
    return out
