"""The fast writers (grader.reports.fast_writers) write byte for byte what the plain writers
do: result files assembled from remembered parts are what pydantic writes, packed digests
unpack to the digest, and CSV segments joined are the row the csv module writes whole."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.grading.decisions import Decision, apply_decisions
from grader.grading.grade import error_result
from grader.reports.fast_writers import CSV_LINE_END, CsvSegment, PartTable, ResultSerializer
from grader.results import PartResult, Status, Student, SubmissionResult, digest
from grader.run.pipeline import grade_bytes, grade_file
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations
from grader.spreadsheet import Cell, Number, cell_text

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"

TEXTS = [
    "288",
    "2 × 56 × 56 × 3 × 3 × 32",
    "1,806",
    "nan",
    "=HYPERLINK(1)",
    "memory bound",
    "O(L²)",
]
# Across examples: graded parts are shared, their text remembered, their fields sent once.
SHARED, SHARED_TABLE = ResultSerializer(), PartTable()
PARTS = ["q1.a", "q1.b", "q3.a", "q5.conv.gpu", "q2.d.full_complexity", "q6.advantages"]


def check(serializer: ResultSerializer, table: PartTable, result: SubmissionResult) -> None:
    assert serializer.json(result) == result.model_dump_json(indent=2) + "\n"
    # Packed with each part's fields sent once, unpacked in order: the digest, whole.
    assert table.unpack(serializer.pack(result), id(serializer)) == digest(result)


def test_samples_errors_and_overrides(expectations: Expectations, assignment: Assignment) -> None:
    serializer, table = ResultSerializer(), PartTable()
    results = [grade_file(path, expectations).result for path in sorted(SAMPLES.iterdir())]
    results.append(error_result("roofline-1", 26.0, "s1", 'a "quoted"\n "parts": [] error'))
    decision = Decision("s1000001", "q6.advantages", 2.0, None, "two clear advantages", by="ta")
    results.append(apply_decisions(results[0], {"q6.advantages": decision}))
    for result in results * 2:  # the second time from remembered parts
        check(serializer, table, result)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(st.sampled_from(PARTS), st.sampled_from(TEXTS) | st.text(max_size=8)),
    name=st.text(max_size=12),
)
def test_any_answers(
    answers: dict[str, str], name: str, expectations: Expectations, assignment: Assignment
) -> None:
    document = {"student": {"id": "s1", "name": name}, "answers": answers}
    data = json.dumps(document, indent=1).encode()
    # Through the pipeline: a file of which nothing can be read is an error result.
    check(SHARED, SHARED_TABLE, grade_bytes(data, expectations, fmt="json", name="s1.json").result)


_CELL = (
    st.none()
    | st.text(max_size=12)
    | st.builds(Number, st.floats(-1e6, 1e6))
    | st.sampled_from(["", '"', ",", "\r\n", "=1+1", " ", 'a"b,c'])
)


@settings(max_examples=200, deadline=None)
@given(segments=st.lists(st.lists(_CELL, min_size=2, max_size=5), min_size=1, max_size=4))
def test_csv_segments_joined_are_the_row_the_csv_writer_writes(segments: list[list[Cell]]) -> None:
    segment = CsvSegment()  # one writer for every segment, as the review sheet uses it
    joined = ",".join(segment(cells) for cells in segments) + CSV_LINE_END
    out = io.StringIO()
    row = [cell_text(cell) for cells in segments for cell in cells]
    csv.writer(out, lineterminator="\r\n").writerow(row)
    assert joined == out.getvalue()


_FLOAT = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(10**6), 10**6)
_PART = st.builds(
    PartResult,
    id=st.text(min_size=1, max_size=12),
    status=st.sampled_from(list(Status)),
    credit=_FLOAT,
    points=_FLOAT,
    max_points=_FLOAT,
    submitted=st.none()
    | st.text(max_size=20)
    | st.lists(st.text(max_size=8), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    value=st.none() | _FLOAT | st.text(max_size=10),
    feedback=st.text(max_size=40),
    hint=st.none() | st.text(max_size=10),
    line=st.none() | st.integers(1, 10**6),
    answer_id=st.none() | st.text(max_size=16),
)
_RESULT = st.builds(
    SubmissionResult,
    assignment=st.text(min_size=1, max_size=12),
    student=st.builds(Student, id=st.text(min_size=1, max_size=12), name=st.text(max_size=12)),
    status=st.sampled_from(["graded", "error"]),
    error=st.none() | st.text(max_size=30),
    score=_FLOAT,
    max_score=_FLOAT,
    pending_review=_FLOAT,
    file=st.none() | st.text(max_size=20),
    channel=st.none() | st.text(max_size=10),
    flags=st.lists(st.text(max_size=20), max_size=2).map(tuple),
    variant=st.none() | st.text(max_size=6),
)


@settings(max_examples=100, deadline=None)
@given(
    heads=st.lists(_RESULT, min_size=1, max_size=4),
    parts=st.lists(_PART, min_size=1, max_size=6),
    picks=st.lists(st.lists(st.integers(0, 5), max_size=6), min_size=4, max_size=4),
)
def test_results_of_shared_parts_are_written_as_pydantic_writes_them(
    heads: list[SubmissionResult], parts: list[PartResult], picks: list[list[int]]
) -> None:
    # Results made of the same part objects, in any order, as a class's are: the bytes joined
    # from remembered fragments are the bytes of the whole, and the digest unpacks whole.
    serializer, table = ResultSerializer(), PartTable()
    for head, chosen in zip(heads * 4, picks, strict=False):
        result = head.model_copy(update={"parts": tuple(parts[i % len(parts)] for i in chosen)})
        written = (result.model_dump_json(indent=2) + "\n").encode("utf-8")
        assert serializer.json_bytes(result) == written
        assert serializer.json(result) == written.decode("utf-8")
        assert table.unpack(serializer.pack(result), 1) == digest(result)
