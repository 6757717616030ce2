"""Every hostile-input row of shared/research/reliability.md, end to end through grading.

Each file holds one bad thing and a good answer (q4.a: 3.33). Part-level rows must end with
that part invalid (message naming the part and its 1-based line) and q4.a still graded; rows
that make the whole file unreadable must end as an error result with a clear reason. Nothing
may take more than a second.
"""

from __future__ import annotations

import time

import pytest
from bounds import time_bound

from grader.errors import SubmissionError
from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import Status
from grader.sheets.expectations import Expectations

GOOD = "  q4: {a: 3.33}\n"
HEAD = "assignment: roofline-1\nstudent: {id: s1}\nanswers:\n"

# (name, answers section, part expected invalid, its line, message fragment)
PART_ROWS = [
    ("code-exec tag", "  q1: {a: !!python/object/apply:os.getcwd []}\n", "q1.a", 4, "tag"),
    ("custom tag", "  q1: {a: !foo 3}\n", "q1.a", 4, "tag"),
    ("duplicate key", "  q3: {a: 250}\n  q3: {a: 251}\n", "q3.a", 5, "twice"),
    ("flow trap", "  q1: {a: 2,25}\n", "q1.a", 4, ""),
    ("mid-file syntax error", "  q2: {a: [65536\n", "q2.a", 4, "not closed"),
    ("tab indentation", "  q1:\n\t a: 288\n", "q1.a", 5, "tab"),
    ("9**9**9", "  q1: {b: 9**9**9}\n", "q1.b", 4, "too large"),
    ("4000000**4000000", "  q1: {b: 4000000**4000000}\n", "q1.b", 4, "too large"),
    ("(10**9999)**9999", "  q1: {b: (10**9999)**9999}\n", "q1.b", 4, "too large"),
    ("__import__", "  q1: {b: \"__import__('os').getcwd()\"}\n", "q1.b", 4, "not allowed"),
    ("long input", "  q1: {b: " + "1+" * 3000 + "1}\n", "q1.b", 4, "too long"),
    ("unicode minus", "  q2: {b: {scaling: 10−3}}\n", "q2.b.scaling", 4, ""),
    ("nan", "  q3: {a: .nan}\n", "q3.a", 4, "read"),
    ("nan word", "  q3: {a: nan}\n", "q3.a", 4, "finite"),
    ("huge integer", "  q1: {b: " + "9" * 5000 + "}\n", "q1.b", 4, ""),
    ("yes typing", "  q5: {conv: {gpu: yes}}\n", "q5.conv.gpu", 4, "yes"),
    ("1:30 typing", "  q3: {a: 1:30}\n", "q3.a", 4, ""),
    ("billion laughs in a part", "  q1: &a {a: 1}\n", "q1.a", 4, "anchor"),
]

FILE_ROWS = [
    ("empty file", b"", "the file is empty"),
    ("list at top", b"- 1\n- 2\n", "mapping"),
    ("two documents", b"a: 1\n---\nb: 2\n", "document"),
    ("bad utf-8", b"answers:\n  q1: {a: \xff\xfe}\n", "UTF-8"),
    ("NUL byte", b"answers:\n  q1: {a: 1\x00}\n", ""),
    ("huge file", b"answers:\n  q1: {a: " + b"1" * 300_000 + b"}\n", "KiB"),
    ("deep nesting", b"a: " + b"[" * 1000 + b"]" * 1000 + b"\n", ""),
    ("recursive alias", b"a: &x [1, *x]\n", "anchor"),
    (
        "billion laughs",
        b'a0: &a0 ["lol"]\n'
        + b"".join(
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n".encode() for i in range(1, 9)
        ),
        "",
    ),
]


@pytest.mark.parametrize(
    ("answers", "part_id", "line", "fragment"),
    [pytest.param(*row[1:], id=row[0]) for row in PART_ROWS],
)
def test_hostile_answer_is_invalid_and_the_rest_is_graded(
    assignment: object,
    expectations: Expectations,
    answers: str,
    part_id: str,
    line: int,
    fragment: str,
) -> None:
    start = time.perf_counter()
    data = (HEAD + answers + GOOD).encode()
    submission = parse_submission(data, expectations.assignment, fmt="yaml", name="s1.yaml")
    result = grade_submission(expectations, submission)
    assert time.perf_counter() - start < time_bound(1.0)
    part = result.part(part_id)
    if part.status is not Status.INVALID:
        # a few rows are legal YAML whose text is simply a wrong or odd answer; they must
        # never be silently right
        assert part.status in (Status.INCORRECT, Status.PARTIAL), part
    else:
        assert part.feedback.startswith(part_id), part.feedback
        assert f"line {line}" in part.feedback, part.feedback
        assert fragment.lower() in part.feedback.lower(), part.feedback
    assert result.part("q4.a").status is Status.CORRECT


@pytest.mark.parametrize(
    ("data", "fragment"), [pytest.param(*row[1:], id=row[0]) for row in FILE_ROWS]
)
def test_unreadable_file_gives_a_clear_error_quickly(
    expectations: Expectations, data: bytes, fragment: str
) -> None:
    start = time.perf_counter()
    with pytest.raises(SubmissionError) as caught:
        submission = parse_submission(data, expectations.assignment, fmt="yaml", name="s1.yaml")
        # a salvaged file must at least not have graded the broken part
        result = grade_submission(expectations, submission)
        assert all(p.status is not Status.CORRECT for p in result.parts)
        raise SubmissionError("salvaged")
    assert time.perf_counter() - start < time_bound(1.0)
    message = str(caught.value)
    if message != "salvaged":
        assert fragment.lower() in message.lower(), message


JSON_ROWS = [
    ("NaN", b'{"answers": {"q3.a": NaN, "q4.a": "3.33"}}', "NaN"),
    ("duplicate", b'{"answers": {"q4.a": "3.33", "q4.a": "3.4"}}', "twice"),
    ("lone surrogate", b'{"answers": {"q3.a": "\\ud800", "q4.a": "3.33"}}', "surrogate"),
    ("huge integer", b'{"answers": {"q1.b": ' + b"9" * 5000 + b', "q4.a": "3.33"}}', ""),
]


@pytest.mark.parametrize(("data", "fragment"), [pytest.param(*r[1:], id=r[0]) for r in JSON_ROWS])
def test_hostile_json(expectations: Expectations, data: bytes, fragment: str) -> None:
    start = time.perf_counter()
    try:
        submission = parse_submission(data, expectations.assignment, fmt="json", name="s1.json")
    except SubmissionError as error:
        assert fragment.lower() in str(error).lower(), str(error)
        return
    result = grade_submission(expectations, submission)
    assert time.perf_counter() - start < time_bound(1.0)
    assert not any(p.status is Status.CORRECT and p.id != "q4.a" for p in result.parts)
    problems = " ".join(p.feedback for p in result.parts if p.status is Status.INVALID)
    problems += " ".join(p.message for p in submission.problems)
    assert fragment.lower() in problems.lower(), problems
