"""TA decisions: what they are, how they are checked and merged, and how they change a result.

A decision gives one part of one student points (or a credit fraction) and a comment. It is
bound to the answer it was made on (the answer's fingerprint): when the answer changes, the
decision is *stale* and the part goes back to a person, with the old decision shown, instead of
old points landing on a new answer.

Decisions live in a ledger in the output folder (``grader.decision_files``). Every run reads
it, adds the decisions of its ``--overrides`` files, and writes it back with at least what it
read: a decision is never lost, only superseded by a later one for the same part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from grader.results import (
    SENT_TO_REVIEW,
    PartResult,
    Status,
    SubmissionResult,
    TaDecision,
    awaits_person,
)
from grader.sheets.assignment import Assignment
from grader.spreadsheet import points_text

_EPSILON = 1e-9


@dataclass(frozen=True)
class Decision:
    """A TA's decision on one part of one student's answers.

    Attributes:
        student: the student's id (matched ignoring case).
        part: the part id.
        points: the points given; exactly one of ``points`` and ``credit`` is set.
        credit: the fraction of the part's points given.
        comment: for the student.
        by: who decided.
        at: when it entered the ledger (ISO 8601, UTC); empty until it does.
        answer: the fingerprint of the answer it was made on; empty when the TA gave none
            (a hand-written YAML decision): it is then bound to the answer graded in the run
            that first applies it.
        source: where it was read from (``review.csv line 4``), for messages.
        sheet: the id of the sheet it is about; empty for the run's main sheet (a ledger is
            one sheet's: its decisions say none).
    """

    student: str
    part: str
    points: float | None
    credit: float | None
    comment: str = ""
    by: str = ""
    at: str = ""
    answer: str = ""
    source: str = ""
    sheet: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Whose part it decides: (student id in lower case, part id)."""
        return (self.student.lower(), self.part)

    def points_of(self, max_points: float) -> float:
        """The points this decision gives on a part worth ``max_points``."""
        if self.points is not None:
            return self.points
        return (self.credit or 0.0) * max_points

    def same_verdict(self, other: Decision) -> bool:
        """Whether two decisions say the same (points or credit, and comment)."""
        return (self.points, self.credit, self.comment) == (
            other.points,
            other.credit,
            other.comment,
        )


class DecisionProblems(Exception):
    """Decisions that cannot be used; every problem at once, each with where it was read.

    Attributes:
        problems: one line each, naming the file and line.
        readable: the decisions of the file that could be read, so that they too are checked
            (against the sheet) and every problem is reported in one go.
    """

    def __init__(self, problems: Sequence[str], readable: Sequence[Decision] = ()) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)
        self.readable = tuple(readable)


def check_decisions(decisions: Iterable[Decision], assignment: Assignment) -> list[str]:
    """Every problem with ``decisions`` against the sheet, each naming where it was read.

    A decision must name a part of the sheet, give points or credit (not both), and stay
    within 0 and the part's points; numbers must be finite.
    """
    worth = {part.id: part.points for part in assignment.parts}
    problems = []
    for decision in decisions:
        where = f"{decision.source}: " if decision.source else ""
        who = f"{decision.student} {decision.part}"
        if decision.part not in worth:
            problems.append(f"{where}{who}: the sheet has no part {decision.part!r}")
            continue
        if (decision.points is None) == (decision.credit is None):
            problems.append(f"{where}{who}: give points or credit, exactly one of them")
            continue
        value = decision.points if decision.points is not None else decision.credit
        assert value is not None
        if not math.isfinite(value):
            problems.append(f"{where}{who}: {value} is not a number")
        elif value < 0:
            problems.append(f"{where}{who}: {value:g} is negative")
        elif decision.credit is not None and value > 1 + _EPSILON:
            problems.append(f"{where}{who}: credit {value:g} is more than 1 (a fraction)")
        elif decision.points is not None and value > worth[decision.part] + _EPSILON:
            problems.append(
                f"{where}{who}: {points_text(value)}, but the part is worth "
                f"{points_text(worth[decision.part])}"
            )
    return problems


@dataclass(frozen=True)
class Merged:
    """The ledger after adding new decisions.

    Attributes:
        history: every decision ever taken, in the order taken (what the ledger file holds).
        added: how many of ``history`` are new in this run.
    """

    history: tuple[Decision, ...]
    added: int

    def current(self) -> dict[tuple[str, str], Decision]:
        """The decision in force for each (student, part): the latest one."""
        return {decision.key: decision for decision in self.history}


def merge_decisions(
    ledger: Sequence[Decision],
    batches: Sequence[Sequence[Decision]],
    *,
    replace_decisions: bool = False,
    stamp: str = "",
    by: str = "",
) -> Merged:
    """Add the decisions of each ``--overrides`` file (in order) to the ledger's.

    A decision equal to the one in force is already there (nothing added, so reading the
    same file again changes nothing). A different one on the same answer conflicts, unless
    ``replace_decisions``: then the later one is in force and the earlier stays in the
    history. A decision on another answer than the one in force (the student submitted
    again) is no conflict: it is the decision on the new answer.

    Args:
        stamp: the time written into new decisions (``at``).
        by: who decided, for new decisions that do not say.

    Raises:
        DecisionProblems: conflicts (all of them), unless ``replace_decisions``.
    """
    history = list(ledger)
    current = {decision.key: decision for decision in history}
    conflicts = []
    added = 0
    for batch in batches:
        seen: dict[tuple[str, str], Decision] = {}
        for decision in batch:
            earlier_in_file = seen.get(decision.key)
            if earlier_in_file is not None and not earlier_in_file.same_verdict(decision):
                conflicts.append(_conflict(earlier_in_file, decision))
                continue
            seen[decision.key] = decision
            in_force = current.get(decision.key)
            if in_force is not None and _same_answer(in_force, decision):
                if in_force.same_verdict(decision):
                    continue
                if not replace_decisions:
                    conflicts.append(_conflict(in_force, decision))
                    continue
            new = replace(
                decision,
                at=decision.at or stamp,
                by=decision.by or by,
            )
            history.append(new)
            current[new.key] = new
            added += 1
    if conflicts:
        raise DecisionProblems(
            [
                *conflicts,
                "(to let the later decision replace the earlier, run again with "
                "--replace-decisions)",
            ]
        )
    return Merged(tuple(history), added)


def _same_answer(a: Decision, b: Decision) -> bool:
    """Whether two decisions are about the same answer (unknown counts as the same)."""
    return not a.answer or not b.answer or a.answer == b.answer


def _conflict(earlier: Decision, later: Decision) -> str:
    return (
        f"{later.source or 'a decision'}: {later.student} {later.part}: {_verdict(later)} "
        f"conflicts with {_verdict(earlier)} ({earlier.source or 'the ledger'})"
    )


def _verdict(decision: Decision) -> str:
    given = (
        points_text(decision.points)
        if decision.points is not None
        else f"credit {decision.credit:g}"
    )
    return f"{given}, comment {decision.comment!r}" if decision.comment else given


def bind(decision: Decision, answer: str) -> Decision:
    """The decision bound to the answer it was first applied to (when it named none)."""
    return decision if decision.answer else replace(decision, answer=answer)


def apply_decisions(
    result: SubmissionResult, decisions: Mapping[str, Decision]
) -> SubmissionResult:
    """``result`` with the decisions in force for its student applied, by part id.

    A decision on the part's current answer (or naming none) gives the TA's points; the
    status follows from them (full: correct, some: partial, none: incorrect). A decision on
    another answer is stale: the part waits for a person again, showing the old decision.
    Score and pending points are recomputed. A file that could not be graded is unchanged.
    """
    if result.status != "graded" or not decisions:
        return result
    parts = tuple(
        _decide(part, decisions[part.id]) if part.id in decisions else part for part in result.parts
    )
    return result.model_copy(
        update={
            "parts": parts,
            "score": round(math.fsum(p.points for p in parts), 4),
            "pending_review": math.fsum(p.max_points for p in parts if awaits_person(p)),
        }
    )


def is_stale(decision: Decision, part: PartResult) -> bool:
    """Whether ``decision`` was made on another answer than ``part``'s."""
    return bool(decision.answer) and decision.answer != (part.answer_id or "")


def _decide(part: PartResult, decision: Decision) -> PartResult:
    points = min(max(decision.points_of(part.max_points), 0.0), part.max_points)
    recorded = TaDecision(
        points=points,
        comment=decision.comment,
        by=decision.by,
        at=decision.at,
        stale=is_stale(decision, part),
    )
    if recorded.stale:
        return part.model_copy(
            update={
                "status": Status.NEEDS_REVIEW,
                "credit": 0.0,
                "points": 0.0,
                "decision": recorded,
            }
        )
    if points >= part.max_points - _EPSILON:
        status = Status.CORRECT
    elif points > _EPSILON:
        status = Status.PARTIAL
    else:
        status = Status.INCORRECT
    credit = points / part.max_points if part.max_points > 0 else 1.0
    update: dict[str, object] = {
        "points": points,
        "credit": credit,
        "status": status,
        "decision": recorded,
    }
    if awaits_person(part):
        # What said the part was waiting ("A TA will review your sketch.") is over now; an
        # unreadable answer keeps the grader's reason, the decision is shown next to it.
        kept = part.feedback.removeprefix(SENT_TO_REVIEW).strip() if part.sent_to_review else ""
        update |= {"sent_to_review": False, "feedback": kept}
    return part.model_copy(update=update)
