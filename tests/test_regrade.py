"""The regrade diff lists exactly the students whose score or part statuses changed."""

from __future__ import annotations

from grader.reports.regrade import changes_table, compare_results
from grader.results import PartResult, Status, Student, SubmissionResult


def result(student: str, points: float, status: Status = Status.CORRECT) -> SubmissionResult:
    part = PartResult(id="q1.a", status=status, credit=points, points=points, max_points=1)
    return SubmissionResult(
        assignment="roofline-1",
        student=Student(id=student),
        status="graded",
        score=points,
        max_score=1,
        parts=(part,),
    )


def test_only_changed_students_are_listed() -> None:
    old = {"a": result("a", 1), "b": result("b", 0, Status.INCORRECT), "c": result("c", 1)}
    new = {"a": result("a", 1), "b": result("b", 0.5, Status.PARTIAL), "d": result("d", 1)}
    changes = compare_results(old, new)
    assert [c.student for c in changes] == ["b", "c", "d"]
    b = changes[0]
    assert (b.old_score, b.new_score, b.delta) == (0, 0.5, 0.5)
    assert b.parts == ("q1.a: incorrect 0 → partial 0.5",)
    assert changes[1].new_status is None and changes[2].old_status is None
    table = changes_table(changes)
    assert "(absent)" in table and "+0.5" in table


def test_no_changes() -> None:
    same = {"a": result("a", 1)}
    assert compare_results(same, dict(same)) == []
    assert "No changes" in changes_table([])
