"""Pairs of files that share rare wrong answers: a signal for a person, never a penalty.

Two students who make the same common mistake (multiply-adds counted instead of FLOPs) say
nothing about each other; two who write the same *unusual* wrong value on several parts may
have worked together. A wrong answer is *rare* when few files of the class hold it (at most
:func:`rare_limit` of them); a pair of files is listed when it shares at least
:data:`MIN_SHARED_PARTS` rare wrong answers. Answers carried forward from an earlier mistake are
left out (they follow from that one, and would count it again), and so are answers that are
right, missing, or waiting for a person.

The same value is the same answer whatever its spelling: numbers are compared to four
significant figures, other answers by their text with case and spaces ignored.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from grader.reports.class_columns import ClassColumns
from grader.results import ResultLike, Status

MIN_SHARED_PARTS = 2
"""Rare wrong answers a pair must share to be listed ("the same unusual value on several
parts")."""
RARE_SHARE = 0.02
"""A wrong answer held by at most this share of the class (and never more than
:data:`RARE_MOST` files) is rare."""
RARE_MOST = 5
PAIRS_SHOWN = 50
_WRONG = frozenset({Status.INCORRECT, Status.PARTIAL})


@dataclass(frozen=True)
class SharedPart:
    """One rare wrong answer two files share."""

    part: str
    answer: str
    holders: int  # how many files of the class hold it


@dataclass(frozen=True)
class SharedPair:
    """Two files that share rare wrong answers."""

    first: str  # student id
    second: str
    parts: tuple[SharedPart, ...]


def rare_limit(graded_files: int) -> int:
    """The most files a wrong answer may be held by and still count as rare (at least 2: a
    pair has to share it)."""
    return max(2, min(RARE_MOST, math.floor(graded_files * RARE_SHARE)))


def shared_rare_answers(results: Sequence[ResultLike]) -> tuple[SharedPair, ...]:
    """The pairs of graded files that share rare wrong answers, most shared first (then by
    ids), at most :data:`PAIRS_SHOWN`."""
    graded = sorted(
        (r for r in results if r.status == "graded"), key=lambda r: (r.student.id, r.file or "")
    )
    holders: dict[tuple[str, str], list[int]] = {}
    shown: dict[tuple[str, str], str] = {}
    for index, result in enumerate(graded):
        for part in result.parts:
            if part.status not in _WRONG or part.carried_forward:
                continue
            key = _answer_key(part.value, part.submitted)
            if key is None:
                continue
            holders.setdefault((part.id, key), []).append(index)
            shown.setdefault((part.id, key), _shown(part.submitted))
    return _pairs(graded, list(holders.items()), shown)


def shared_answers_of(table: ClassColumns) -> tuple[SharedPair, ...]:
    """:func:`shared_rare_answers` of the graded results of ``table``, which are sorted by
    student id and file, read off its columns: each distinct part object is keyed once, and
    only the positions of wrong answers are walked."""
    holders: dict[tuple[str, str], list[int]] = {}
    shown: dict[tuple[str, str], str] = {}
    first: dict[tuple[str, str], tuple[int, int]] = {}  # where a plain walk meets each first
    for number, (part_id, column, ids, distinct) in enumerate(
        zip(table.part_ids, table.columns, table.ids, table.distinct, strict=True)
    ):
        keys = {
            key: (part_id, text)
            for key, part in distinct.items()
            if part.status in _WRONG
            and not part.carried_forward
            and (text := _answer_key(part.value, part.submitted)) is not None
        }
        if not keys:
            continue
        keyed = list(map(keys.get, ids))  # each file's answer, None where it holds no such one
        positions = itertools.compress(range(len(keyed)), keyed)
        for index, answer in zip(positions, filter(None, keyed), strict=True):
            found = holders.get(answer)
            if found is None:
                holders[answer] = found = []
                shown[answer] = _shown(column[index].submitted)
                first[answer] = (index, number)
            found.append(index)
    # In the order a walk file by file, part by part, meets the answers: the pairs' ties keep it.
    walked = sorted(holders.items(), key=lambda item: first[item[0]])
    return _pairs(table.graded, walked, shown)


def _pairs(
    graded: Sequence[ResultLike],
    holders: list[tuple[tuple[str, str], list[int]]],
    shown: dict[tuple[str, str], str],
) -> tuple[SharedPair, ...]:
    """The listed pairs from each wrong answer's holders (positions in ``graded``), in the
    order a walk over the files met the answers."""
    limit = rare_limit(len(graded))
    by_pair: dict[tuple[int, int], list[SharedPart]] = {}
    for (part_id, key), found in holders:
        if not 2 <= len(found) <= limit:
            continue
        shared = SharedPart(part_id, shown[(part_id, key)], len(found))
        for pair in itertools.combinations(found, 2):
            by_pair.setdefault(pair, []).append(shared)
    pairs = [
        SharedPair(
            graded[a].student.id,
            graded[b].student.id,
            tuple(sorted(parts, key=lambda p: p.part)),
        )
        for (a, b), parts in by_pair.items()
        if len(parts) >= MIN_SHARED_PARTS
    ]
    pairs.sort(key=lambda p: (-len(p.parts), p.first, p.second))
    return tuple(pairs[:PAIRS_SHOWN])


def _answer_key(value: object, submitted: object) -> str | None:
    """What makes two answers the same: a number to four significant figures, else the
    text without case and spacing; None for nothing to compare."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and math.isfinite(value):
        return f"n:{value:.4g}"
    text = _shown(submitted)
    folded = " ".join(text.lower().split())
    return f"t:{folded}" if folded else None


def _shown(submitted: object) -> str:
    if isinstance(submitted, str):
        return submitted.strip()
    if isinstance(submitted, list):
        return "; ".join(str(item).strip() for item in submitted)
    if isinstance(submitted, dict):
        return "; ".join(f"{k}: {v}" for k, v in sorted(submitted.items()))
    return ""
