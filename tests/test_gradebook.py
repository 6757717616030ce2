"""Gradebook and review CSV (formula neutralisation, ERROR rows, numbers) and TA overrides."""

from __future__ import annotations

import csv
import io
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.escaping import visible
from grader.grading.decisions import Decision, apply_decisions
from grader.reports.common_mistakes import answer_text
from grader.reports.gradebook import GRADEBOOK_COLUMNS, REVIEW_COLUMNS, gradebook_csv, review_csv
from grader.results import Status, Student, SubmissionResult
from grader.run.decision_files import parse_decisions_csv
from grader.run.pipeline import expectations_for, grade_file
from grader.sheets.assignment import Assignment
from grader.spreadsheet import BOM, cell_text

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
FORMULAS = [
    '=HYPERLINK("http://x","click")',
    "@SUM(A1)",
    "+1",
    "-2+3",
    "\tcmd",
    " =1+1",
    "\u00a0=1+1",  # no-break space: some importers trim it, then run the formula
    "\u3000@SUM(A1)",  # ideographic space
    "\u2003\u2009-2+3",  # em and thin spaces
    "\u200b=1+1",  # zero-width space
    "\ufeff+1",  # a byte order mark inside a cell
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# What an importer may trim before it looks for a formula: every Unicode space, zero-width ones.
LEADING_BLANKS = re.compile(r"[\s\u180e\u200b-\u200d\u2060\ufeff]*")


def runnable(cell: str) -> bool:
    """Whether a spreadsheet could take ``cell`` for a formula."""
    return cell[LEADING_BLANKS.match(cell).end() :].startswith(TRIGGERS)  # type: ignore[union-attr]


def read(text: str) -> list[list[str]]:
    """Rows of a CSV as a spreadsheet importer would read them."""
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def rows_by_header(text: str) -> list[dict[str, str]]:
    header, *rows = read(text)
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.fixture(scope="module")
def samples(assignment: Assignment) -> list[SubmissionResult]:
    exp = expectations_for(assignment)
    paths = sorted(SUBMISSIONS.glob("*.y*ml")) + sorted(SUBMISSIONS.glob("*.json"))
    return [grade_file(p, exp).result for p in paths]


@pytest.fixture(scope="module")
def perfect(samples: list[SubmissionResult]) -> SubmissionResult:
    return next(r for r in samples if r.file and r.file.endswith("perfect.yaml"))


def with_student(result: SubmissionResult, student_id: str, name: str) -> SubmissionResult:
    return result.model_copy(update={"student": Student(id=student_id, name=name)})


def with_answers(result: SubmissionResult, answer: str | list[str]) -> SubmissionResult:
    parts = tuple(p.model_copy(update={"submitted": answer}) for p in result.parts)
    return result.model_copy(update={"parts": parts})


def error(student: str, reason: str, assignment: Assignment) -> SubmissionResult:
    return SubmissionResult(
        assignment=assignment.id,
        student=Student(id=student),
        status="error",
        error=reason,
        max_score=assignment.max_score,
        file=f"{student}.yaml",
    )


# --- gradebook --------------------------------------------------------------------------------


def test_gradebook_header_rows_and_numbers(
    assignment: Assignment, samples: list[SubmissionResult]
) -> None:
    text = gradebook_csv(samples, assignment)
    assert "\r\n" in text and text.count("\n") == text.count("\r\n")
    header, *rows = read(text)
    assert header == [*GRADEBOOK_COLUMNS, *assignment.part_ids]
    assert len(rows) == len(samples)
    assert [(r[0], r[2]) for r in rows] == sorted((r[0], r[2]) for r in rows)
    grace = next(r for r in rows_by_header(text) if r["id"] == "s1000002")
    assert (grace["status"], grace["score"], grace["max"], grace["pending review"]) == (
        "GRADED", "18", "26", "0"
    )  # fmt: skip
    assert (grace["q1.a"], grace["q1.b"], grace["q2.b.qkv_projections"]) == ("1", "1", "0.5")


def test_parts_waiting_for_review_have_empty_cells(
    assignment: Assignment, perfect: SubmissionResult
) -> None:
    (row,) = rows_by_header(gradebook_csv([perfect], assignment))
    assert row["pending review"] == "5"
    for part in perfect.parts:
        expected = "" if part.status is Status.NEEDS_REVIEW else row[part.id]
        assert row[part.id] == expected
    assert row["q3.b"] == "" and row["q1.b"] == "2"


def test_error_file_is_an_error_row_not_a_zero(
    assignment: Assignment, perfect: SubmissionResult
) -> None:
    results = [perfect, error("s0", "line 3: not valid YAML", assignment)]
    broken, graded = rows_by_header(gradebook_csv(results, assignment))
    assert (broken["id"], broken["status"], broken["error"]) == (
        "s0",
        "ERROR",
        "line 3: not valid YAML",
    )
    assert broken["score"] == "" and broken["pending review"] == ""
    assert all(broken[part_id] == "" for part_id in assignment.part_ids)
    assert graded["status"] == "GRADED" and graded["error"] == ""


@pytest.mark.parametrize("payload", FORMULAS)
def test_formulas_in_names_are_neutralised(
    assignment: Assignment, perfect: SubmissionResult, payload: str
) -> None:
    hostile = with_student(perfect, payload, payload)
    results = [hostile, error(payload, payload, assignment)]
    rows = rows_by_header(gradebook_csv(results, assignment))
    broken, graded = sorted(rows, key=lambda row: row["status"])
    assert broken["id"] == broken["error"] == graded["id"] == graded["name"] == "'" + payload
    assert (graded["score"], graded["max"], graded["q1.b"]) == ("21", "26", "2")  # never prefixed


@pytest.mark.parametrize("payload", FORMULAS)
def test_formulas_in_answers_are_neutralised(
    assignment: Assignment, perfect: SubmissionResult, payload: str
) -> None:
    rows = rows_by_header(review_csv([with_answers(perfect, payload)], assignment))
    assert rows and all(row["answer"] == "'" + payload for row in rows)
    assert all(row["max points"] in ("1", "2") for row in rows)


@pytest.mark.parametrize(
    ("payload", "shown"),
    [("\rcmd", "<U+000D>cmd"), ("\0x", "<U+0000>x"), ("\u202e=1+1", "<U+202E>=1+1")],
)
def test_hidden_characters_in_cells_are_shown_not_run(
    assignment: Assignment, perfect: SubmissionResult, payload: str, shown: str
) -> None:
    (row,) = rows_by_header(gradebook_csv([with_student(perfect, "s1", payload)], assignment))
    assert row["name"] == shown and not runnable(row["name"])


@settings(max_examples=80, deadline=None)
@given(
    name=st.text(
        st.sampled_from(" \u00a0\u3000\u2003\u200b\ufeff\t\r\0=+-@aé\u202e\u2067")
        | st.characters(exclude_categories=["Cs"]),
        max_size=30,
    )
)
def test_no_text_cell_ever_starts_a_formula(
    assignment: Assignment, perfect: SubmissionResult, name: str
) -> None:
    text = gradebook_csv([with_student(perfect, "s1", name)], assignment)
    (row,) = rows_by_header(text)
    assert row["name"] in (visible(name), "'" + visible(name))
    assert not runnable(row["name"])
    assert not BIDI.intersection(row["name"])


def test_gradebook_is_deterministic(
    assignment: Assignment, samples: list[SubmissionResult]
) -> None:
    shuffled = samples[:]
    random.Random(5).shuffle(shuffled)
    assert gradebook_csv(samples, assignment) == gradebook_csv(shuffled, assignment)
    assert review_csv(samples, assignment) == review_csv(shuffled, assignment)


# --- review sheet and overrides ---------------------------------------------------------------


def test_review_csv_rows(assignment: Assignment, perfect: SubmissionResult) -> None:
    assert read(review_csv([perfect], assignment))[0] == list(REVIEW_COLUMNS)
    named = rows_by_header(review_csv([perfect], assignment))
    assert [r["part"] for r in named] == ["q3.b", "q4.b", "q5.explanation", "q6.advantages"]
    assert all(r["points"] == "" and r["comment"] == "" and r["status"] == "open" for r in named)
    assert named[0]["answer"] == "image: q3-sketch.png"
    assert named[3]["answer"].count(" | ") >= 1  # a list answer, joined
    assert named[0]["suggestion (staff only)"].startswith("Check:")
    assert all(len(r["answer id"]) == 16 for r in named)


def fill_in(review: str, part: str, points: str, comment: str) -> str:
    """What a TA does in a spreadsheet: fill points and comment of one row, save."""
    header, *rows = read(review)
    for row in rows:
        if row[header.index("part")] == part:
            row[header.index("points")] = points
            row[header.index("comment")] = comment
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return BOM + out.getvalue()


def decided(result: SubmissionResult, decisions: list[Decision]) -> SubmissionResult:
    return apply_decisions(result, {d.part: d for d in decisions})


@pytest.mark.parametrize(
    ("points", "status", "score"),
    [("2", Status.CORRECT, 23.0), ("1,5", Status.PARTIAL, 22.5), ("0", Status.INCORRECT, 21.0)],
)
def test_review_round_trip(
    assignment: Assignment, perfect: SubmissionResult, points: str, status: Status, score: float
) -> None:
    filled = fill_in(review_csv([perfect], assignment), "q6.advantages", points, "=good, parallel")
    (decision,) = parse_decisions_csv(filled, "review.csv")
    answer = perfect.part("q6.advantages").answer_id
    assert (decision.student, decision.part, decision.comment) == (
        "s1000001", "q6.advantages", "=good, parallel"
    )  # fmt: skip
    assert (decision.points, decision.answer, decision.source, decision.sheet) == (
        float(points.replace(",", ".")), answer, "review.csv line 5", "roofline-1"
    )  # fmt: skip
    updated = decided(perfect, [decision])
    part = updated.part("q6.advantages")
    assert part.status is status and part.decision is not None
    assert part.decision.comment == "=good, parallel" and not part.decision.stale
    assert (updated.score, updated.pending_review) == (score, 3.0)
    (row,) = [r for r in rows_by_header(gradebook_csv([updated], assignment))]
    assert row["q6.advantages"] == points.replace(",", ".").removesuffix(".0")
    review = rows_by_header(review_csv([updated], assignment))
    assert [(r["part"], r["status"]) for r in review] == [
        ("q3.b", "open"), ("q4.b", "open"), ("q5.explanation", "open"), ("q6.advantages", "decided")
    ]  # fmt: skip
    assert review[-1]["points"] == points.replace(",", ".").removesuffix(".0")
    assert review[-1]["comment"] == "'=good, parallel"  # neutralised, and read back without it
    assert parse_decisions_csv(review_csv([updated], assignment)) == [
        Decision("s1000001", "q6.advantages", decision.points, None, "=good, parallel",
                 answer=answer or "", source="decisions line 5", sheet=assignment.id)
    ]  # fmt: skip


_HOSTILE_TEXT = st.text(
    st.characters(exclude_categories=["Cs"], include_characters=',"\r\n =+-@\t'), max_size=20
)


@settings(max_examples=100, deadline=None)
@given(
    people=st.lists(st.tuples(_HOSTILE_TEXT, _HOSTILE_TEXT, _HOSTILE_TEXT), max_size=4),
    answer=_HOSTILE_TEXT | st.lists(_HOSTILE_TEXT, max_size=3),
)
def test_review_sheet_is_what_the_csv_writer_writes_row_by_row(
    assignment: Assignment,
    perfect: SubmissionResult,
    people: list[tuple[str, str, str]],
    answer: str | list[str],
) -> None:
    # The sheet is joined from pieces the csv module wrote (a student's cells, a part's);
    # written whole, row by row, it must be the same text.
    results = [
        with_answers(with_student(perfect, f"s{i}", name), answer).model_copy(
            update={"file": file or None}
        )
        for i, (name, file, _) in enumerate(people)
    ]
    titles = {part.id: part.title for part in assignment.parts}
    rows = []
    for result in sorted(results, key=lambda r: (r.student.id, r.file or "")):
        for part in result.parts:
            if part.status is Status.NEEDS_REVIEW:
                row = [result.student.id, result.student.name, result.file or "", part.id]
                row += [titles[part.id], str(int(part.max_points)), answer_text(part.submitted)]
                rows.append([*row, part.review or "", "open", "", "", "", part.answer_id or ""])
                rows[-1].append(assignment.id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([[cell_text(cell) for cell in row] for row in [REVIEW_COLUMNS, *rows]])
    assert review_csv(results, assignment) == BOM + out.getvalue()
