"""The decisions ledger for the terminal (``grader decisions``): who decided what, and when."""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from grader.escaping import terminal_safe
from grader.grading.decisions import Decision
from grader.spreadsheet import plain_number, points_text


def ledger_table(
    history: Sequence[Decision],
    *,
    student: str | None = None,
    part: str | None = None,
    show_all: bool = False,
) -> str:
    """The decisions in force (or, with ``show_all``, every one with what replaced it).

    Rows in the order the decisions were taken; ``--student`` and ``--part`` filter.
    """
    if not history:
        return "No TA decisions recorded yet."
    in_force = {d.key: d for d in history}
    rows = []
    for decision in history:
        current = in_force[decision.key] is decision
        if not (show_all or current):
            continue
        if student is not None and decision.student.lower() != student.lower():
            continue
        if part is not None and decision.part != part:
            continue
        given = (
            points_text(decision.points)
            if decision.points is not None
            else f"credit {plain_number(decision.credit or 0.0)}"
        )
        row = [decision.student, decision.part, given, decision.comment, decision.by]
        row += [decision.at, decision.answer or "(not yet bound)", decision.source]
        if show_all:
            row.append("in force" if current else "replaced")
        rows.append([terminal_safe(str(cell)) for cell in row])
    if not rows:
        return "No TA decision matches."
    headers = ["student", "part", "decision", "comment", "by", "at", "answer", "from"]
    if show_all:
        headers.append("")
    return tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
