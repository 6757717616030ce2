"""Reading a choice (a verdict such as memory-/compute-bound: a sheet's vocabulary) from a
student's spelling or sentence."""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence

from grader.answers.latex import plain_from_latex
from grader.errors import AnswerFormatError

__all__ = ["WORD_SEPARATORS", "read_choice"]

WORD_SEPARATORS = r"-_‐‑–—,;:!?()\[\]"
"""What the reader reads as a space, as the inside of a regex character class: dashes join words
("memory-bound"); punctuation only separates them ("memory, as in 5a")."""
_DASHES = re.compile(f"[{WORD_SEPARATORS}]")
_NEGATION = re.compile(r"\b(?:not|no|neither|nor|never|isn't|isnt|rather|instead)\b|n't\b")
# A negation right before a choice: "not memory bound", "rather than compute bound".
_NEGATED_BEFORE = re.compile(
    r"\b(?:not|no|never|isn't|isnt|rather than|instead of|neither|nor)\s+$|n't\s+$"
)


def read_choice(text: str, *, choices: Mapping[str, Sequence[str]]) -> str:
    """Map a student's spelling to one of the canonical choices.

    Matching ignores case, hyphens, underscores, extra spaces and a trailing period. A text
    that is not exactly a spelling may still name exactly one choice in a short sentence
    ("memory-bound because ..."), also with the other choice negated ("compute-bound, not
    memory-bound"); one that names several or only negates ("not memory-bound") is refused
    rather than guessed, with the choices it names as its possible readings.

    Args:
        text: The student's answer.
        choices: Canonical choice -> other accepted spellings.

    Returns:
        The canonical choice.

    Raises:
        AnswerFormatError: Unknown, negated, or naming more than one choice.

    Example:
        >>> read_choice("Memory_Bound.", choices={"memory-bound": ["memory"], "compute-bound": []})
        'memory-bound'
    """
    if "\\" in text or "$" in text:  # "$\text{memory-bound}$", pasted as the numbers are
        # a command no reader knows: the text is read as it is
        with contextlib.suppress(AnswerFormatError):
            text = plain_from_latex(text)
    wanted = _choice_key(text)
    if not wanted:
        raise AnswerFormatError("no answer")
    spellings = {
        choice: {_choice_key(s) for s in (choice, *aliases)} for choice, aliases in choices.items()
    }
    exact = [choice for choice, keys in spellings.items() if wanted in keys]
    if len(exact) == 1:
        return exact[0]
    named = [c for c, keys in spellings.items() if any(f" {k} " in f" {wanted} " for k in keys)]
    if len(named) > 1 and len(exact) <= 1:
        # "compute-bound, not memory-bound": one choice only ever negated, the other named
        affirmed = [c for c in named if not _only_negated(wanted, spellings[c])]
        if len(affirmed) == 1:
            return affirmed[0]
    if len(named) > 1 or len(exact) > 1:
        both = named or exact
        raise AnswerFormatError(
            f"'{_short(text)}' names both {' and '.join(both)}: choose one", readings=tuple(both)
        )
    if len(named) == 1 and not _NEGATION.search(wanted):
        return named[0]
    if named:
        raise AnswerFormatError(
            f"'{_short(text)}' is unclear: write just one of: {', '.join(choices)}",
            readings=tuple(choices),
        )
    raise AnswerFormatError(f"'{_short(text)}' is not one of: {', '.join(choices)}")


def _only_negated(wanted: str, keys: set[str]) -> bool:
    """Whether every place ``wanted`` names one of ``keys`` comes right after a negation."""
    padded = f" {wanted} "
    places = [
        match.start()
        for key in keys
        for match in re.finditer(f"(?<= ){re.escape(key)}(?= )", padded)
    ]
    return bool(places) and all(_NEGATED_BEFORE.search(padded, 0, place) for place in places)


@functools.lru_cache(maxsize=4096)
def _choice_key(text: str) -> str:
    # Cached: every call also keys all the spellings of every choice.
    text = unicodedata.normalize("NFKC", text).casefold().strip().removesuffix(".")
    return " ".join(_DASHES.sub(" ", text).split())


def _short(text: str, limit: int = 40) -> str:
    """The student's text for a one-line message: white space collapsed, cut at ``limit``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
