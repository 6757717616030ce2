"""The most common mistakes of a class on one part: counted per tag, with an example each.

A *mistake tag* is what a part's grading named (``macs_not_flops``), or "incorrect
(unrecognised)" for a wrong answer no rule explains; the example is the answer of the first file
(in the results' order) that made it. An answer credited as carried forward is not a mistake of
its part: it is credit for following an earlier error, which counts where it was made.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from grader.results import PartLike, ResultLike, Status

EXAMPLE_CHARS = 80
UNRECOGNISED = "incorrect (unrecognised)"


@dataclass(frozen=True)
class Example:
    """One student's answer showing a mistake (text cut to ``EXAMPLE_CHARS``)."""

    student: str
    text: str


@dataclass(frozen=True)
class MistakeCount:
    """How often one mistake tag occurred on a part, and one example of it."""

    tag: str
    count: int
    example: Example

    @property
    def label(self) -> str:
        """The tag as shown to a TA."""
        return self.tag


def mistake_key(part: PartLike) -> str | None:
    """The tag a part counts under, or None (right, unanswered, or carried forward)."""
    if part.carried_forward:
        return None
    if part.mistake:
        return part.mistake
    if part.status is Status.INCORRECT:
        return UNRECOGNISED
    return None


def mistake_counts(
    graded: Sequence[ResultLike], column: Sequence[PartLike]
) -> tuple[MistakeCount, ...]:
    """Mistake tags of one part (``column``: the part of each result in ``graded``) with
    counts, most frequent first; the example is the first file's.

    A class's results share their part objects (one per distinct answer and line, see
    grader.reports.fast_writers), so each distinct object is looked at once.
    """
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    # Where each part object first comes: filled from the end, so the first place wins.
    first_at = dict(zip(map(id, reversed(column)), range(len(column) - 1, -1, -1), strict=True))
    for identity, count in Counter(map(id, column)).items():
        index = first_at[identity]
        key = mistake_key(column[index])
        if key is None:
            continue
        counts[key] = counts.get(key, 0) + count
        if index < first.get(key, len(column)):
            first[key] = index
    ranked = sorted(counts, key=lambda k: (-counts[k], k))
    return tuple(
        MistakeCount(k, counts[k], _example(graded[first[k]], column[first[k]])) for k in ranked
    )


def _example(result: ResultLike, part: PartLike) -> Example:
    return Example(result.student.id, example_text(part.submitted))


def answer_text(submitted: str | list[str] | dict[str, str] | None) -> str:
    """A submitted answer as one string: lists joined with `` | ``, mappings as ``k: v``."""
    if submitted is None:
        return ""
    if isinstance(submitted, list):
        return " | ".join(str(item) for item in submitted)
    if isinstance(submitted, dict):
        return " | ".join(f"{key}: {value}" for key, value in submitted.items())
    return str(submitted)


def example_text(submitted: str | list[str] | dict[str, str] | None) -> str:
    """An answer for a one-line example: control characters to spaces, cut to 80 chars."""
    text = "".join(c if c.isprintable() else " " for c in answer_text(submitted))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > EXAMPLE_CHARS:
        text = text[: EXAMPLE_CHARS - 1].rstrip() + "…"
    return text
