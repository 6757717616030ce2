"""TA decisions: reading them strictly, checking them against the sheet, merging them into the
ledger without losing one, binding them to answers, and the ledger file itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.grading.decisions import (
    Decision,
    DecisionProblems,
    apply_decisions,
    check_decisions,
    merge_decisions,
)
from grader.results import Status, SubmissionResult
from grader.run.decision_files import (
    LEDGER_COLUMNS,
    ledger_csv,
    parse_decisions_csv,
    parse_decisions_yaml,
    read_decision_file,
    read_ledger,
    write_ledger,
)
from grader.run.pipeline import grade_file
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
ANSWER = "0123456789abcdef"
OTHER_ANSWER = "fedcba9876543210"


@pytest.fixture(scope="module")
def perfect(expectations: Expectations) -> SubmissionResult:
    return grade_file(SAMPLES / "perfect.yaml", expectations).result


def problems_of(call: object, *args: object) -> tuple[str, ...]:
    with pytest.raises(DecisionProblems) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.problems


# --- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "student,part,points,comment\ns1,q3.b,1,clear\n",
            [Decision("s1", "q3.b", 1.0, None, "clear", source="f line 2")],
            id="plain",
        ),
        pytest.param(
            "\ufeffstudent;part;points;comment\r\ns1;q3.b;0,5;half\r\ns2;q3.b;;\r\n",
            [Decision("s1", "q3.b", 0.5, None, "half", source="f line 2")],
            id="German Excel: BOM, semicolons, decimal comma, an unfilled row",
        ),
        pytest.param(
            "student,part,credit,points,comment\n'=x,q3.b,0.5,,ok\n",
            [Decision("=x", "q3.b", None, 0.5, "ok", source="f line 2")],
            id="credit column, an id our export prefixed",
        ),
        pytest.param(
            "Student ID,Part,Points,Comment,By,Answer ID,Extra\ns1,q4.b,1,,ta2," + ANSWER + ",x\n",
            [Decision("s1", "q4.b", 1.0, None, "", by="ta2", answer=ANSWER, source="f line 2")],
            id="column names in other spellings, who decided, the answer id, unknown columns",
        ),
        pytest.param(
            'student,part,points,comment\ns1,q6.advantages,2,"two, clear\nadvantages"\n\n',
            [
                Decision(
                    "s1", "q6.advantages", 2.0, None, "two, clear\nadvantages", source="f line 2"
                )
            ],
            id="a quoted comment over two lines (named by its first), a blank line",
        ),
    ],
)
def test_decisions_read_from_csv(text: str, expected: list[Decision]) -> None:
    assert parse_decisions_csv(text, "f") == expected


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("student,part,points\ns1,q3.b,lots\n", ["f line 2: points 'lots' is not a number"]),
        ("student,part,points\ns1,q3.b,1\ns1,q4.b,1e400\n", ["f line 3: points '1e400'"]),
        ("student,part,points,credit\ns1,q3.b,1,0.5\n", ["f line 2: give points or credit"]),
        ("student,part,points\n,q3.b,1\n", ["f line 2: student and part are required"]),
        ("student,points\ns1,1\n", ["f line 1: missing column(s): part"]),
        ("student,part,comment\ns1,q3.b,x\n", ["missing column(s): points or credit"]),
        ('student,part,points,comment\ns1,q3.b,1,"never closed\ns2,q4.b,1,x\n',
         ["not valid CSV", "quote left open"]),
        ("student,part,points\ns1,q3.b,1,oops\n", ["f line 2: more cells than the header"]),
        ("student,part,points,answer id\ns1,q3.b,1,../x\n", ["answer id '../x' is not one"]),
        # every problem of a file at once, each with its line
        ("student,part,points\ns1,q3.b,x\ns2,q3.b,y\n",
         ["f line 2: points 'x'", "f line 3: points 'y'"]),
    ],
)  # fmt: skip
def test_bad_csv_names_every_problem_with_its_line(text: str, messages: list[str]) -> None:
    found = " | ".join(problems_of(parse_decisions_csv, text, "f"))
    for message in messages:
        assert message in found, found


def test_decisions_read_from_yaml_list_and_mapping() -> None:
    listed = """\
- {student: "0123", part: q3.b, points: 1, comment: clear sketch}
- {student: s2, part: q6.advantages, credit: 0.5, by: ta2}
- {student: s3, part: q4.b}
"""
    assert parse_decisions_yaml(listed, "d.yaml") == [
        Decision("0123", "q3.b", 1.0, None, "clear sketch", source="d.yaml line 1"),
        Decision("s2", "q6.advantages", None, 0.5, "", by="ta2", source="d.yaml line 2"),
    ]
    mapping = """\
0123: {q3.b: 1, q4.b: "0,5"}
s2:
  q6.advantages: {credit: 1, comment: yes}
"""
    assert parse_decisions_yaml(mapping, "d.yaml") == [
        Decision("0123", "q3.b", 1.0, None, "", source="d.yaml line 1"),
        Decision("0123", "q4.b", 0.5, None, "", source="d.yaml line 1"),
        Decision("s2", "q6.advantages", None, 1.0, "yes", source="d.yaml line 3"),
    ]
    assert parse_decisions_yaml("", "d.yaml") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {student: s1, part: q3.b, points: many}", "d line 1: points 'many'"),
        ("- {student: s1, part: q3.b, score: 1}", "unknown key 'score'"),
        ("s1: [1, 2]", "d line 1: s1: expected a mapping part: points"),
        ("just text", "expected a list"),
        ("s1:\n  q3.b: {points: [1]}", "d line 2: points must be plain text"),
        ("- [unclosed", "d line 1: not valid YAML"),
    ],
)
def test_bad_yaml(text: str, message: str) -> None:
    assert message in " | ".join(problems_of(parse_decisions_yaml, text, "d"))


def test_decision_files_by_suffix_and_unreadable_ones(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("student,part,points\ns1,q3.b,1\n", "utf-8")
    (tmp_path / "a.yml").write_text("s1: {q3.b: 1}\n", "utf-8")
    (tmp_path / "latin1.csv").write_bytes(
        "student,part,points,comment\ns1,q3.b,1,é\n".encode("latin-1")
    )
    assert read_decision_file(tmp_path / "a.csv")[0].points == 1.0
    assert read_decision_file(tmp_path / "a.yml")[0].source == "a.yml line 1"
    assert "not UTF-8" in problems_of(read_decision_file, tmp_path / "latin1.csv")[0]
    assert "cannot read" in problems_of(read_decision_file, tmp_path / "missing.csv")[0]
    assert "not a regular file" in problems_of(read_decision_file, tmp_path)[0]


# --- checking against the sheet -------------------------------------------------------------


def test_every_problem_against_the_sheet_at_once(assignment: Assignment) -> None:
    decisions = [
        Decision("s1", "q3.b", 5.0, None, source="r.csv line 2"),  # q3.b is worth 1
        Decision("s1", "q9.z", 1.0, None, source="r.csv line 3"),
        Decision("s1", "q4.b", -1.0, None, source="r.csv line 4"),
        Decision("s1", "q6.advantages", None, 1.5, source="r.csv line 5"),
        Decision("s1", "q5.explanation", float("nan"), None, source="r.csv line 6"),
        Decision("s1", "q3.b", None, None, source="r.csv line 7"),
        Decision("s1", "q6.advantages", 2.0, None, source="r.csv line 8"),  # fine
        Decision("s1", "q3.b", None, 1.0, source="r.csv line 9"),  # fine
    ]
    problems = check_decisions(decisions, assignment)
    assert problems == [
        "r.csv line 2: s1 q3.b: 5 points, but the part is worth 1 point",
        "r.csv line 3: s1 q9.z: the sheet has no part 'q9.z'",
        "r.csv line 4: s1 q4.b: -1 is negative",
        "r.csv line 5: s1 q6.advantages: credit 1.5 is more than 1 (a fraction)",
        "r.csv line 6: s1 q5.explanation: nan is not a number",
        "r.csv line 7: s1 q3.b: give points or credit, exactly one of them",
    ]


# --- merging into the ledger ----------------------------------------------------------------


def decision(
    points: float, *, answer: str = ANSWER, comment: str = "", source: str = ""
) -> Decision:
    return Decision("s1", "q3.b", points, None, comment, answer=answer, source=source)


def test_the_same_decision_again_adds_nothing() -> None:
    first = merge_decisions([], [[decision(1)]], stamp="T1", by="ta1")
    assert first.added == 1 and first.history[0].at == "T1" and first.history[0].by == "ta1"
    again = merge_decisions(first.history, [[decision(1)], [decision(1, answer="")]], stamp="T2")
    assert again.added == 0 and again.history == first.history


def test_a_different_decision_on_the_same_answer_conflicts_unless_replaced() -> None:
    ledger = merge_decisions([], [[decision(1, source="a.csv line 2")]]).history
    later = [decision(0.5, comment="partly", source="b.csv line 4")]
    problems = problems_of(merge_decisions, ledger, [later])
    assert problems[0] == (
        "b.csv line 4: s1 q3.b: 0.5 points, comment 'partly' conflicts with 1 point (a.csv line 2)"
    )
    assert "--replace-decisions" in problems[-1]
    replaced = merge_decisions(ledger, [later], replace_decisions=True, stamp="T3")
    assert [d.points for d in replaced.history] == [1.0, 0.5]  # the earlier one is kept
    assert replaced.current()[("s1", "q3.b")].points == 0.5


def test_two_different_decisions_in_one_file_conflict_even_with_replace() -> None:
    same_file = [decision(1, source="f line 2"), decision(0, source="f line 3")]
    with pytest.raises(DecisionProblems) as caught:
        merge_decisions([], [same_file], replace_decisions=True)
    problems = caught.value.problems
    assert "f line 3" in problems[0] and "(f line 2)" in problems[0]


def test_a_decision_on_a_new_answer_is_no_conflict() -> None:
    ledger = merge_decisions([], [[decision(1)]]).history
    merged = merge_decisions(ledger, [[decision(0, answer=OTHER_ANSWER)]])
    assert merged.added == 1
    assert merged.current()[("s1", "q3.b")].answer == OTHER_ANSWER


def test_student_ids_match_ignoring_case() -> None:
    upper = Decision("S1", "q3.b", 0.0, None, answer=ANSWER)
    assert "conflicts" in problems_of(merge_decisions, [decision(1)], [[upper]])[0]


# --- applying ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("points", "credit", "status", "score_change"),
    [
        (2.0, None, Status.CORRECT, 2.0),
        (None, 0.5, Status.PARTIAL, 1.0),
        (0.0, None, Status.INCORRECT, 0.0),
    ],
)
def test_a_decision_on_the_answer_graded_decides_the_part(
    perfect: SubmissionResult,
    points: float | None,
    credit: float | None,
    status: Status,
    score_change: float,
) -> None:
    answer = perfect.part("q6.advantages").answer_id or ""
    chosen = Decision("s1000001", "q6.advantages", points, credit, "ok", by="ta1", answer=answer)
    updated = apply_decisions(perfect, {"q6.advantages": chosen})
    part = updated.part("q6.advantages")
    assert part.status is status and part.decision is not None and not part.decision.stale
    assert part.decision.by == "ta1" and part.feedback == ""  # no "a TA will review" any more
    assert updated.score == perfect.score + score_change
    assert updated.pending_review == perfect.pending_review - 2


def test_a_decision_on_another_answer_is_stale_and_the_part_waits_again(
    perfect: SubmissionResult,
) -> None:
    stale = Decision("s1000001", "q1.b", 0.0, None, "wrong", answer=OTHER_ANSWER)
    updated = apply_decisions(perfect, {"q1.b": stale})
    part = updated.part("q1.b")
    assert part.status is Status.NEEDS_REVIEW and part.points == 0
    assert part.decision is not None and part.decision.stale and part.decision.comment == "wrong"
    assert updated.pending_review == perfect.pending_review + 2
    assert updated.score == perfect.score - 2


def test_unbound_decisions_apply_and_an_error_result_is_left_alone(
    perfect: SubmissionResult,
) -> None:
    unbound = Decision("s1000001", "q3.b", 1.0, None)
    assert apply_decisions(perfect, {"q3.b": unbound}).part("q3.b").status is Status.CORRECT
    broken = perfect.model_copy(update={"status": "error", "parts": ()})
    assert apply_decisions(broken, {"q3.b": unbound}) is broken


# --- the ledger file ------------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=25)


@settings(max_examples=60, deadline=None)
@given(
    student=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,10}", fullmatch=True),
    comment=_TEXT.map(str.strip),
    by=_TEXT.map(str.strip),
    points=st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 6)),
)
def test_the_ledger_reads_back_what_was_written(
    tmp_path_factory: pytest.TempPathFactory, student: str, comment: str, by: str, points: float
) -> None:
    folder = tmp_path_factory.mktemp("ledger")
    history = [
        Decision(student, "q3.b", points, None, comment, by, "2026-12-01T10:00:00+00:00", ANSWER,
                 "review.csv line 2"),
        Decision(student, "q4.b", None, 0.25, "=formula?", "", "", "", "d.yaml line 1"),
    ]  # fmt: skip
    write_ledger(folder, history)
    assert read_ledger(folder) == history


def test_a_ledger_that_cannot_be_read_stops_the_run(tmp_path: Path) -> None:
    assert read_ledger(tmp_path) == []  # no ledger yet
    (tmp_path / "decisions.csv").write_text("not,a,ledger\n1,2,3\n", "utf-8")
    assert "not a decisions ledger" in problems_of(read_ledger, tmp_path)[0]
    good = ledger_csv([decision(1)])
    (tmp_path / "decisions.csv").write_text(good + '"s2,q3.b,1\n', "utf-8")
    assert "decisions.csv" in problems_of(read_ledger, tmp_path)[0]


def test_a_bad_ledger_row_is_named_by_the_line_it_starts_on(tmp_path: Path) -> None:
    # Row 2's comment spans three lines (a TA's Alt+Enter); row 3, on line 5, was hand-edited
    # to points that are no number. Named by its last line, a TA would look at the wrong row.
    header = ",".join(LEDGER_COLUMNS)
    rows = [
        header,
        f's1,q3.b,1,,"first\nsecond\nthird",ta,2026-12-01T10:00:00+00:00,{ANSWER},r.csv line 2',
        f's2,q3.b,lots,,"why\nbecause",ta,2026-12-01T10:00:00+00:00,{ANSWER},r.csv line 3',
    ]
    (tmp_path / "decisions.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (problem,) = problems_of(read_ledger, tmp_path)
    assert "decisions.csv line 5" in problem and "lots" in problem
