"""What the grader cannot read goes to a person (issue 10, section 3).

In a class run every invalid part is a review item (review.csv, the summary's queue, the
student's report), its points pending until a TA decides; in a student's own check it stays
invalid; ``invalid: zero`` in the assignment switches it off. One predicate decides:
``results.awaits_person``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_runs import grader
from click.testing import CliRunner

from grader.cli import main
from grader.grading.decisions import Decision, apply_decisions
from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.reports.gradebook import BOM, gradebook_csv, review_csv
from grader.reports.report import feedback_markdown
from grader.reports.stats import class_statistics
from grader.results import (
    SENT_TO_REVIEW,
    PartDigest,
    Status,
    SubmissionResult,
    awaits_person,
)
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations, build_expectations

# q1.b "2 K FLOP": K is the kernel size and also kilo; q5.conv.gpu names both verdicts;
# q3.a has a unit nobody knows. q1.a is right, q2.a a wrong number (graded, not a review item).
ANSWERS = {
    "q1.a": "288",
    "q1.b": "2 K FLOP",
    "q2.a": "1000",
    "q3.a": "250 flips",
    "q5.conv.gpu": "memory-bound and compute-bound",
}


def graded(
    assignment: Assignment, exp: Expectations, answers: dict[str, object]
) -> SubmissionResult:
    document = {"assignment": "roofline-1", "student": {"id": "s9"}, "answers": answers}
    submission = parse_submission(
        json.dumps(document).encode(), assignment, fmt="json", name="s9.json"
    )
    return grade_submission(exp, submission)


@pytest.fixture(scope="module")
def class_run(assignment: Assignment) -> Expectations:
    return build_expectations(assignment, class_run=True)


@pytest.fixture(scope="module")
def in_class(assignment: Assignment, class_run: Expectations) -> SubmissionResult:
    return graded(assignment, class_run, ANSWERS)


@pytest.mark.parametrize(
    ("status", "sent", "waits"),
    [
        (Status.NEEDS_REVIEW, False, True),  # a sketch, free text
        (Status.INVALID, True, True),  # unreadable, sent to a TA in a class run
        (Status.INVALID, False, False),  # unreadable in a check, or with invalid: zero
        (Status.CORRECT, False, False),
        (Status.INCORRECT, False, False),
        (Status.MISSING, False, False),
    ],
)
def test_one_predicate_decides_what_waits(status: Status, sent: bool, waits: bool) -> None:
    part = PartDigest("q1.b", status, 0.0, 0.0, 2.0, sent_to_review=sent)
    assert awaits_person(part) is waits


def test_in_a_class_run_every_invalid_part_waits_for_a_ta(in_class: SubmissionResult) -> None:
    waiting = [p.id for p in in_class.parts if awaits_person(p)]
    assert waiting == ["q1.b", "q3.a", "q5.conv.gpu"]
    for part_id in waiting:
        part = in_class.part(part_id)
        assert part.status is Status.INVALID and part.sent_to_review
        assert part.points == 0  # pending, not counted
        assert part.feedback.startswith(f"{SENT_TO_REVIEW} {part_id} (line ")
        assert part.review is not None and part.review.startswith("Could not be read: ")
    # 2 + 1 + 0.5 points wait; a wrong answer (q2.a) is graded, not a review item
    assert in_class.pending_review == 3.5
    assert in_class.part("q2.a").status is Status.INCORRECT
    assert in_class.score == 1  # q1.a


def test_candidate_readings_are_data_with_what_each_scores(in_class: SubmissionResult) -> None:
    verdict = in_class.part("q5.conv.gpu")
    readings = {r.text: (r.status, r.points) for r in verdict.readings}
    # the convolution (2.25 FLOP/byte) is far below the GPU's 250: memory-bound
    assert readings == {
        "memory-bound": (Status.CORRECT, 0.5),
        "compute-bound": (Status.INCORRECT, 0.0),
    }
    assert "memory-bound gives correct, 0.5 of 0.5 points" in (verdict.review or "")
    unit = in_class.part("q3.a")
    assert [(r.text, r.status, r.points) for r in unit.readings] == [("250", Status.CORRECT, 1.0)]
    kernel = in_class.part("q1.b")
    # 2*K = 6 FLOP and 2*1000 = 2000 FLOP: neither is 1,806,336
    assert {r.text for r in kernel.readings} == {"2*K FLOP", "2*1000 FLOP"}
    assert {r.status for r in kernel.readings} == {Status.INCORRECT}


def test_a_check_keeps_invalid_at_zero(assignment: Assignment, expectations: Expectations) -> None:
    checked = graded(assignment, expectations, ANSWERS)
    part = checked.part("q3.a")
    assert part.status is Status.INVALID and not part.sent_to_review
    assert not part.feedback.startswith(SENT_TO_REVIEW)
    assert checked.pending_review == 0
    assert part.readings  # still there for whoever looks


def test_invalid_zero_switches_review_off(assignment: Assignment) -> None:
    practice = assignment.model_copy(update={"invalid": "zero"})
    result = graded(practice, build_expectations(practice, class_run=True), ANSWERS)
    assert not any(awaits_person(p) for p in result.parts)
    assert result.pending_review == 0


def test_review_sheet_summary_and_gradebook(
    assignment: Assignment, in_class: SubmissionResult
) -> None:
    rows = list(csv.DictReader(io.StringIO(review_csv([in_class], assignment).removeprefix(BOM))))
    assert [row["part"] for row in rows] == ["q1.b", "q3.a", "q5.conv.gpu"]
    assert rows[1]["answer"] == "250 flips"
    assert rows[1]["suggestion (staff only)"].startswith("Could not be read: unknown unit 'flips'")
    assert "250 gives correct, 1 of 1 point." in rows[1]["suggestion (staff only)"]
    assert rows[1]["points"] == "" and rows[1]["comment"] == ""
    stats = class_statistics([in_class], assignment)
    assert stats.review_queue[0].parts == ("q1.b", "q3.a", "q5.conv.gpu")
    assert stats.review_queue[0].points == 3.5
    book = list(
        csv.DictReader(io.StringIO(gradebook_csv([in_class], assignment).removeprefix(BOM)))
    )
    assert book[0]["q3.a"] == "" and book[0]["q2.a"] == "0"  # pending is empty, never 0
    assert book[0]["pending review"] == "3.5"


def test_the_report_says_a_ta_will_look(
    in_class: SubmissionResult, class_run: Expectations
) -> None:
    report = feedback_markdown(in_class, class_run)
    assert "Could not be read; a TA will look at it" in report
    assert "unreadable, pending TA review" in report
    assert "Possible readings: memory\\-bound gives correct" in report
    assert "\\+3.5 points pending review by a TA" in report


def test_a_ta_decides_an_unreadable_part(
    assignment: Assignment, in_class: SubmissionResult, class_run: Expectations
) -> None:
    decision = Decision("s9", "q3.a", points=1.0, credit=None, comment="250, unit typo")
    decided = apply_decisions(in_class, {"q3.a": decision})
    part = decided.part("q3.a")
    assert (part.status, part.points, part.sent_to_review) == (Status.CORRECT, 1.0, False)
    assert not awaits_person(part)
    assert part.feedback.startswith("q3.a (line ")  # the grader's reason stays, not "a TA will"
    assert decided.score == 2 and decided.pending_review == 2.5
    report = feedback_markdown(decided, class_run)
    assert "**TA decision:** 1 of 1 point\\. 250, unit typo" in report
    assert "TA decision: TA decision" not in report


ROUND_TRIP = """\
assignment: roofline-1
student: {id: s1, name: Ann}
answers:
  q1: {a: 288, b: 1806336}
  q3: {a: 250 flips}
  q5:
    conv: {gpu: memory-bound and compute-bound}
"""


def test_round_trip_from_the_console_script(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "s1.yaml").write_text(ROUND_TRIP, encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    done = runner.invoke(main, ["grade", str(folder), "--out", str(out), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    review = (out / "review.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(review.removeprefix(BOM))))
    assert [row["part"] for row in rows] == ["q3.a", "q5.conv.gpu"]
    result = json.loads((out / "results" / "s1.json").read_text("utf-8"))
    assert result["pending_review"] == 1.5
    # the TA fills in points, and grades again with them
    for row in rows:
        row["points"] = "1" if row["part"] == "q3.a" else "0.5"
    filled = tmp_path / "review.csv"
    with filled.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    again = tmp_path / "out2"
    args = ["grade", str(folder), "--out", str(again), "--overrides", str(filled), "--jobs", "1"]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    book = list(csv.DictReader(io.StringIO((again / "gradebook.csv").read_text("utf-8")[1:])))
    assert (book[0]["q3.a"], book[0]["q5.conv.gpu"]) == ("1", "0.5")
    assert (book[0]["score"], book[0]["pending review"]) == ("4.5", "0")
    # nothing open any more: the decided items are listed under their decision
    sheet = list(csv.DictReader(io.StringIO((again / "review.csv").read_text("utf-8")[1:])))
    assert [(r["part"], r["status"], r["points"]) for r in sheet] == [
        ("q3.a", "decided", "1"),
        ("q5.conv.gpu", "decided", "0.5"),
    ]
    # the student's own check still says invalid: fixing the file is the point there
    checked = runner.invoke(main, ["check", str(folder / "s1.yaml")])
    assert "q3.a" in checked.output and "invalid" in checked.output
    assert "a TA will look" not in checked.output


def test_what_a_class_run_could_not_place_in_a_part_is_in_the_gradebook(tmp_path: Path) -> None:
    # Text the reader could not read as any part (a quote left open around a key), an unknown
    # part and a key indented off its mapping: `grader check` notes each with its line; a class
    # run lost them all, so a TA saw q2.a as merely unanswered. They are the file's flags now.
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "b2.yaml").write_text(
        "assignment: roofline-1\nstudent: {id: b2}\nanswers:\n  q1:\n    a: 288\n"
        '  "q2.a: 4*128^2\n  q3:\n    a: 250\n  q7: 5\n',
        "utf-8",
    )
    code, checked = grader("check", str(folder / "b2.yaml"))
    lines = checked.splitlines()
    notes = [line.removeprefix("note: ") for line in lines if line.startswith("note:")]
    assert code == 0 and len(notes) == 2, checked
    assert notes[0].startswith("line 6: ") and "quote" in notes[0]
    assert notes[1] == "line 9: unknown part 'q7' ignored"
    out = tmp_path / "out"
    code, output = grader("grade", str(folder), "--out", str(out))
    assert code == 0, output
    with (out / "gradebook.csv").open(encoding="utf-8-sig") as stream:
        [row] = list(csv.DictReader(stream))
    assert row["flags"] == "; ".join(f"file note: {note}" for note in notes)
    staff = json.loads((out / "results" / "b2.json").read_text("utf-8"))
    assert staff["flags"] == [f"file note: {note}" for note in notes]
    assert "1 file(s) flagged for a TA" in output


@pytest.mark.parametrize("reveal", ["none", "feedback", "answers"])
def test_the_students_report_tells_them_what_of_their_file_no_part_holds(
    tmp_path: Path, reveal: str
) -> None:
    # The class run's feedback is the student's only word on their file: text read as no
    # part (an unknown part, a key indented off its mapping) is listed there, with its line,
    # wherever the report shows feedback, as `grader check` lists it. A TA's flags (here: the
    # id in the file is not the one its name gives) are never shown to the student.
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "c3.yaml").write_text(
        "assignment: roofline-1\nstudent: {id: c3x}\nanswers:\n  q1.a: 288\n"
        "  q9_<b>: 5\n  q2.a: 65536\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(folder), "--out", str(out), "--reveal", reveal)
    assert code == 0, output
    markdown = (out / "feedback" / "c3x.md").read_text("utf-8")
    page = (out / "feedback" / "c3x.html").read_text("utf-8")
    staff = json.loads((out / "results" / "c3x.json").read_text("utf-8"))
    assert any(flag.startswith("file note: line 5: ") for flag in staff["flags"])
    if reveal == "none":  # no feedback at this level: nor notes on the file
        assert "Notes on your file" not in markdown + page
        return
    assert "Notes on your file" in markdown and "Notes on your file" in page
    assert "- line 5: unknown part 'q9\\_\\<b\\>' ignored" in markdown  # escaped for Markdown
    assert "<li>line 5: unknown part &#39;q9_&lt;b&gt;&#39; ignored</li>" in page  # and HTML
    for flag in staff["flags"]:
        if not flag.startswith("file note:"):
            assert flag not in markdown and flag not in page


@pytest.mark.parametrize("parent", ["student", "assignment", "variant"])
@pytest.mark.parametrize("nested", ["answers:\n    q1:\n      a: 288\n", "q1:\n    a: 288\n"])
def test_answers_indented_under_student_are_said_to_be_unread(
    tmp_path: Path, nested: str, parent: str
) -> None:
    # `answers:` (or a question) indented under `student:` is YAML for a key of the student:
    # every answer of the file was silently dropped, and it read as a template left empty
    # (every part missing, no note anywhere). Now it is a problem of the file, with its line.
    folder = tmp_path / "class"
    folder.mkdir()
    # (Under assignment: or variant: too, where the file then names no sheet or code.)
    head = {"student": "assignment: roofline-1\nstudent:\n  id: t2\n",
            "assignment": "student: {id: t2}\nassignment:\n  x: 1\n",
            "variant": "student: {id: t2}\nvariant:\n  x: 1\n"}[parent]  # fmt: skip
    (folder / "t2.yaml").write_text(f"{head}  {nested}", "utf-8")
    code, checked = grader("check", str(folder / "t2.yaml"))
    # The line of what the key holds (the line after it): where the answers are.
    assert code == 1 and "line 5: " in checked and f"under {parent}" in checked, checked
    out = tmp_path / "out"
    code, output = grader("grade", str(folder), "--out", str(out))
    assert code == 1, output
    with (out / "gradebook.csv").open(encoding="utf-8-sig") as stream:
        [row] = list(csv.DictReader(stream))
    assert row["id"] == "t2" and row["status"] == "ERROR"
    assert row["error"].startswith("line 5: ") and f"under {parent}" in row["error"]


def test_a_file_of_many_notes_flags_the_first_few_and_a_count(tmp_path: Path) -> None:
    # Thousands of unknown keys would make thousands of flags: one gradebook cell far past
    # what a spreadsheet holds (32,767 characters in Excel). The first ten, then how many more.
    folder = tmp_path / "class"
    folder.mkdir()
    unknown = "".join(f"  x{n}: 1\n" for n in range(2000))
    (folder / "m.yaml").write_text(
        f"assignment: roofline-1\nstudent: {{id: m}}\nanswers:\n  q1.a: 288\n{unknown}", "utf-8"
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(folder), "--out", str(out), "--no-reports")
    assert code == 0, output
    flags = json.loads((out / "results" / "m.json").read_text("utf-8"))["flags"]
    assert flags[:2] == ["file note: line 5: unknown part 'x0' ignored",
                         "file note: line 6: unknown part 'x1' ignored"]  # fmt: skip
    assert len(flags) == 11 and flags[-1] == "file note: and 1990 more (grader check lists them)"


def test_a_ta_sees_the_text_of_a_part_the_reader_could_not_read(tmp_path: Path) -> None:
    # A TA asked to decide on an answer broken by a YAML slip must see what the student wrote;
    # the review page said "No text." and the sheet's answer column was empty.
    folder = tmp_path / "class"
    folder.mkdir()
    broken = folder / "s1.yaml"
    text = "answers:\n  q1:\n    a: 288\n    b: peak/bw: 1806336\n  q3: {a: 250}\n"
    broken.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, output = grader("grade", str(folder), "--out", str(out))
    assert code == 0, output
    with (out / "review.csv").open(encoding="utf-8-sig") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["part"], row["answer"]) == ("q1.b", "b: peak/bw: 1806336")
    assert "colon" in row["suggestion (staff only)"]
    assert "b: peak/bw: 1806336" in (out / "review.html").read_text("utf-8")
    # the TA's decision holds while the text stays; a changed (still broken) text is new
    decisions = tmp_path / "decisions.yaml"
    decisions.write_text("- {student: s1, part: q1.b, points: 2}\n", encoding="utf-8")
    code, output = grader("grade", str(folder), "--out", str(out), "--overrides", str(decisions))
    assert code == 0, output
    code, output = grader("grade", str(folder), "--out", str(out))
    staff = json.loads((out / "results" / "s1.json").read_text("utf-8"))
    assert staff["score"] == 2 + 1 + 1 and staff["pending_review"] == 0
    broken.write_text(text.replace("1806336", "1806000"), encoding="utf-8")
    code, output = grader("grade", str(folder), "--out", str(out))
    assert code == 0, output
    staff = json.loads((out / "results" / "s1.json").read_text("utf-8"))
    assert staff["pending_review"] == 2  # back to the TA, the old decision shown as stale
    q1b = next(part for part in staff["parts"] if part["id"] == "q1.b")
    assert q1b["submitted"] == "b: peak/bw: 1806000" and q1b["decision"]["stale"] is True
