"""What a regrade changed: students whose score or part statuses differ between two runs.

Reads the ``results/*.json`` of two output folders (old and new) and lists every student whose
score or any part's status or points changed, plus students only in one of them, so a TA sees
the effect of a tolerance or rubric change before publishing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tabulate import tabulate

from grader.errors import UsageError
from grader.results import PartResult, SubmissionResult
from reference.solution import format_number


@dataclass(frozen=True)
class Change:
    """One student's change between two runs (None: absent from that run)."""

    student: str
    old_score: float | None
    new_score: float | None
    old_status: str | None
    new_status: str | None
    parts: tuple[str, ...]

    @property
    def delta(self) -> float:
        """New minus old score (absent counts as 0)."""
        return (self.new_score or 0.0) - (self.old_score or 0.0)


def load_results(folder: Path) -> dict[str, SubmissionResult]:
    """Results of an output folder by student id.

    Raises:
        UsageError: the folder has no ``results/`` written by ``grader grade``.
    """
    results_dir = folder / "results"
    if not results_dir.is_dir():
        raise UsageError(f"{folder} has no results/ folder: is it the --out of `grader grade`?")
    loaded = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            result = SubmissionResult.model_validate(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError) as error:
            raise UsageError(f"cannot read {path}: {error}") from None
        loaded[result.student.id] = result
    return loaded


def compare_results(
    old: dict[str, SubmissionResult], new: dict[str, SubmissionResult]
) -> list[Change]:
    """Every student whose score, file status or part status/points changed, sorted by id."""
    changes = []
    for student in sorted(set(old) | set(new)):
        before, after = old.get(student), new.get(student)
        parts = _part_changes(before, after)
        same = (
            before is not None
            and after is not None
            and before.score == after.score
            and before.status == after.status
            and not parts
        )
        if not same:
            changes.append(
                Change(
                    student,
                    before.score if before and before.status == "graded" else None,
                    after.score if after and after.status == "graded" else None,
                    before.status if before else None,
                    after.status if after else None,
                    parts,
                )
            )
    return changes


def _part_changes(
    before: SubmissionResult | None, after: SubmissionResult | None
) -> tuple[str, ...]:
    if before is None or after is None:
        return ()
    old_parts = {p.id: p for p in before.parts}
    changed = []
    for part in after.parts:
        previous = old_parts.get(part.id)
        if previous is None:
            changed.append(f"{part.id}: new part")
        elif (previous.status, previous.points) != (part.status, part.points):
            changed.append(
                f"{part.id}: {previous.status.value} {format_number(previous.points)}"
                f" → {part.status.value} {format_number(part.points)}{_because(part)}"
            )
    return tuple(changed)


def _because(part: PartResult) -> str:
    """The TA decision behind a part's new grade, if one is."""
    decision = part.decision
    if decision is None:
        return ""
    who = f" by {decision.by}" if decision.by else ""
    when = f" ({decision.at})" if decision.at else ""
    if decision.stale:
        return f" (TA decision{who}{when} was on an earlier answer: back to review)"
    comment = f": {decision.comment}" if decision.comment else ""
    return f" (TA decision{who}{when}{comment})"


def _score(score: float | None, status: str | None) -> str:
    if status is None:
        return "(absent)"
    return "ERROR" if score is None else format_number(round(score, 2))


def changes_table(changes: list[Change]) -> str:
    """The changes for the terminal (and the Markdown file: the same pipe table)."""
    if not changes:
        return "No changes: every student's score and part statuses are the same."
    rows = [
        [
            c.student,
            _score(c.old_score, c.old_status),
            _score(c.new_score, c.new_status),
            f"{c.delta:+g}",
            "; ".join(c.parts),
        ]
        for c in changes
    ]
    return tabulate(
        rows,
        headers=["student", "old", "new", "change", "parts changed"],
        tablefmt="github",
        disable_numparse=True,
    )
