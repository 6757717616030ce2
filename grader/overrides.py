"""TA decisions: read them (the filled-in review CSV, or YAML) and apply them to results.

A TA override replaces the grader's verdict on one part of one student: points (or a credit
fraction) and a comment. Reading is strict about what would silently change a grade (a number
that does not read, both points and credit, points above the maximum, unknown parts) and
lenient about what spreadsheets do to a file (a byte order mark, ``;`` as separator and a
decimal comma from a German Excel, the ``'`` our export put before formula-like text).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from grader.assignment import Assignment
from grader.results import PartResult, Status, SubmissionResult

# Plain decimals only ("1.5", "1,5", ".5", "-1"): what a TA types in a spreadsheet cell.
_NUMBER = re.compile(r"^[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$")
_EPSILON = 1e-9
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
"""First characters that make a spreadsheet run a cell as a formula (OWASP ASVS 1.2.10).

Defined here, below the gradebook in the layers: the gradebook prefixes such cells with ``'``
and this reader takes that ``'`` off again.
"""
# Blanks a spreadsheet's import may trim before it looks for a formula: every Unicode space
# (no-break, ideographic, thin...) and the zero-width ones.
_LEADING_BLANKS = re.compile(r"[\s\u180e\u200b-\u200d\u2060\ufeff]*")


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula: a trigger first, or after blanks.

    >>> [starts_formula(t) for t in ("=1", "\u00a0=1", "\u3000 +1", "\u200b@x", "a=1", "")]
    [True, True, True, True, False, False]
    """
    if text.startswith(FORMULA_TRIGGERS):
        return True
    first = text[:1]
    if not first or first.isalnum():  # nearly every cell: a letter or digit first
        return False
    blanks = _LEADING_BLANKS.match(text)
    return text[blanks.end() if blanks else 0 :].startswith(FORMULA_TRIGGERS)


@dataclass(frozen=True)
class Override:
    """A TA's decision on one part: exactly one of ``points`` and ``credit`` is set."""

    student: str
    part: str
    points: float | None
    credit: float | None
    comment: str = ""

    def __post_init__(self) -> None:
        if (self.points is None) == (self.credit is None):
            raise ValueError(
                f"override for {self.student} {self.part}: give exactly one of points and credit"
            )


def parse_overrides_csv(text: str) -> list[Override]:
    """Overrides from a CSV with ``student, part, points`` (or ``credit``), ``comment``.

    Rows with neither points nor credit are skipped (review rows nobody filled in yet).

    Raises:
        ValueError: a required column is missing, or a row has a bad number, both points and
            credit, or no student/part; the message names the line.
    """
    lines = text.removeprefix("\ufeff").splitlines(keepends=True)
    if not lines:
        return []
    reader = csv.DictReader(lines, delimiter=_delimiter(lines[0]))
    columns = {_clean(name).lower() for name in reader.fieldnames or ()}
    missing = {"student", "part"} - columns
    if missing or not columns & {"points", "credit"}:
        needed = ", ".join(sorted(missing)) if missing else "points or credit"
        raise ValueError(f"override CSV: missing column(s): {needed}")
    overrides = []
    for row in reader:
        fields = {_clean(k).lower(): _clean(v) for k, v in row.items() if isinstance(k, str)}
        override = _override(fields, f"line {reader.line_num}")
        if override is not None:
            overrides.append(override)
    return overrides


def _delimiter(header: str) -> str:
    """``,`` unless the header is split by ``;`` or tabs (Excel in a decimal-comma locale)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _clean(value: Any) -> str:
    """A cell as text: stripped, and without the ``'`` our export put before formula text."""
    text = "" if value is None else str(value).strip()
    if text.startswith("'") and starts_formula(text[1:]):
        return text[1:]
    return text


def _override(fields: Mapping[str, str], where: str) -> Override | None:
    points = _number(fields.get("points", ""), "points", where)
    credit = _number(fields.get("credit", ""), "credit", where)
    if points is None and credit is None:
        return None
    student, part = fields.get("student", ""), fields.get("part", "")
    if not student or not part:
        raise ValueError(f"override {where}: student and part are required")
    if points is not None and credit is not None:
        raise ValueError(f"override {where}: give points or credit, not both")
    return Override(student, part, points, credit, fields.get("comment", ""))


def _number(text: str, column: str, where: str) -> float | None:
    """A decimal number (``1.5``, ``1,5``), None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(f"override {where}: {column} {text[:40]!r} is not a number")
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(f"override {where}: {column} {text[:40]!r} is not a number")
    return value


def parse_overrides_yaml(text: str) -> list[Override]:
    """Overrides from YAML: a list of ``{student, part, points|credit, comment}`` mappings, or
    a mapping ``student: {part: points}`` (a part may also map to ``{points|credit, comment}``).

    Read with PyYAML's ``BaseLoader``: every scalar stays text, so an id ``0123`` keeps its
    zero and ``yes`` stays a word; numbers are then read by the same rules as in the CSV.

    Raises:
        ValueError: not YAML, not one of the two shapes, or a bad entry (named by position).
    """
    try:
        # BaseLoader builds no objects and applies no implicit types: all scalars are text.
        data = yaml.load(text, Loader=yaml.BaseLoader)
    except yaml.YAMLError as error:
        raise ValueError(f"override YAML: not valid YAML: {error}") from None
    if data is None or data == "":
        return []
    if isinstance(data, list):
        return [o for i, e in enumerate(data, 1) if (o := _yaml_entry(e, f"entry {i}"))]
    if isinstance(data, dict):
        return list(_yaml_mapping(data))
    raise ValueError(
        "override YAML: expected a list of entries or a mapping student: {part: points}"
    )


def _yaml_entry(entry: Any, where: str) -> Override | None:
    if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
        raise ValueError(f"override YAML {where}: expected student, part, points|credit, comment")
    unknown = set(entry) - {"student", "part", "points", "credit", "comment"}
    if unknown:
        raise ValueError(f"override YAML {where}: unknown key(s) {', '.join(sorted(unknown))}")
    return _override({k: v.strip() for k, v in entry.items()}, where)


def _yaml_mapping(data: dict[Any, Any]) -> Iterable[Override]:
    for student, parts in data.items():
        if not isinstance(parts, dict):
            raise ValueError(f"override YAML {student}: expected a mapping part: points")
        for part, value in parts.items():
            where = f"{student} {part}"
            entry = dict(value) if isinstance(value, dict) else {"points": value}
            override = _yaml_entry({**entry, "student": student, "part": part}, where)
            if override is not None:
                yield override


def apply_overrides(
    result: SubmissionResult, overrides: Sequence[Override], assignment: Assignment
) -> tuple[SubmissionResult, dict[str, str]]:
    """A result with the TA's decisions for its student (id matched ignoring case) applied.

    Each overridden part gets the TA's points (credit x max points, clamped to at least 0),
    status ``correct`` (full points), ``partial`` (some) or ``incorrect`` (none); score and
    pending review are recomputed. A file that could not be graded is returned unchanged.

    Returns:
        The new result, and part id -> ``"TA decision: <comment>"`` for the feedback report.

    Raises:
        ValueError: an override names a part the sheet does not have, gives more points than
            the part is worth, or two overrides disagree on the same part.
    """
    unknown = sorted({o.part for o in overrides} - set(assignment.part_ids))
    if unknown:
        raise ValueError(f"overrides name unknown part(s): {', '.join(unknown)}")
    # Ids are matched ignoring case, as the batch groups them: a TA's spreadsheet may have
    # turned s123 into S123, and two ids differing only in case are refused upstream.
    student = result.student.id.lower()
    mine = _decisions(o for o in overrides if o.student.lower() == student)
    if result.status != "graded" or not mine:
        return result, {}
    parts = tuple(_decide(p, mine[p.id]) if p.id in mine else p for p in result.parts)
    notes = {p.id: _note(mine[p.id], p) for p in parts if p.id in mine}
    updated = result.model_copy(
        update={
            "parts": parts,
            "score": round(math.fsum(p.points for p in parts), 4),
            "pending_review": math.fsum(
                p.max_points for p in parts if p.status is Status.NEEDS_REVIEW
            ),
        }
    )
    return updated, notes


def _decisions(overrides: Iterable[Override]) -> dict[str, Override]:
    """One override per part; repeating the same decision is fine, disagreeing is not."""
    chosen: dict[str, Override] = {}
    for override in overrides:
        earlier = chosen.setdefault(override.part, override)
        if (earlier.points, earlier.credit) != (override.points, override.credit):
            raise ValueError(f"two different overrides for {override.student} {override.part}")
    return chosen


def _decide(part: PartResult, override: Override) -> PartResult:
    points = override.points
    if points is None:
        points = (override.credit or 0.0) * part.max_points
    if points > part.max_points + _EPSILON:
        raise ValueError(
            f"override for {override.student} {part.id}: {points:g} points, "
            f"but the part is worth {part.max_points:g}"
        )
    points = min(max(points, 0.0), part.max_points)
    if points >= part.max_points - _EPSILON:
        status = Status.CORRECT
    elif points > _EPSILON:
        status = Status.PARTIAL
    else:
        status = Status.INCORRECT
    credit = points / part.max_points if part.max_points > 0 else 1.0
    return part.model_copy(update={"points": points, "credit": credit, "status": status})


def _note(override: Override, part: PartResult) -> str:
    if override.comment:
        return f"TA decision: {override.comment}"
    return f"TA decision: {part.points:g} of {part.max_points:g} points"
