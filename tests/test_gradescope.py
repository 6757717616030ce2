"""Gradescope's contract: results.json with score, a test per part, Markdown output."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from cli_runs import SAMPLES, grader

from grader.run.gradescope import gradescope_results, uploader_id, uploader_ids, write_results
from grader.sheets.expectations import Expectations


def test_results_document_for_a_submission(expectations: Expectations, tmp_path: Path) -> None:
    shutil.copy(SAMPLES / "macs-instead-of-flops.yaml", tmp_path / "answers.yaml")
    document = gradescope_results(tmp_path, expectations)
    tests = document["tests"]
    assert len(tests) == len(expectations.assignment.parts)
    assert document["score"] == sum(t["score"] for t in tests)
    assert sum(t["max_score"] for t in tests) == 26
    q1b = next(t for t in tests if t["name"].startswith("q1.b"))
    assert q1b["score"] == 1.0 and q1b["max_score"] == 2 and q1b["status"] == "failed"
    assert "multiply" in q1b["output"] and q1b["visibility"] == "visible"
    out = tmp_path / "results" / "results.json"
    write_results(document, out)
    assert json.loads(out.read_text("utf-8"))["score"] == document["score"]


def test_reveal_none_hides_feedback_until_published(
    expectations: Expectations, tmp_path: Path
) -> None:
    hidden = expectations.assignment.model_copy(update={"reveal": "none"})
    exp = dataclasses.replace(expectations, assignment=hidden)
    shutil.copy(SAMPLES / "macs-instead-of-flops.yaml", tmp_path / "answers.yaml")
    document = gradescope_results(tmp_path, exp)
    assert document["visibility"] == "after_published"
    assert all("multiply" not in t["output"] for t in document["tests"])


def test_reveal_answers_shows_expected_values(expectations: Expectations, tmp_path: Path) -> None:
    shown = expectations.assignment.model_copy(update={"reveal": "answers"})
    exp = dataclasses.replace(expectations, assignment=shown)
    shutil.copy(SAMPLES / "macs-instead-of-flops.yaml", tmp_path / "answers.yaml")
    q1b = next(
        t for t in gradescope_results(tmp_path, exp)["tests"] if t["name"].startswith("q1.b")
    )
    assert "1,806,336" in q1b["output"]


def test_unreadable_or_absent_submission_still_gives_valid_results(
    expectations: Expectations, tmp_path: Path
) -> None:
    assert gradescope_results(tmp_path, expectations)["score"] == 0.0
    (tmp_path / "answers.yaml").write_text("- not a mapping\n", "utf-8")
    document = gradescope_results(tmp_path, expectations)
    assert document["score"] == 0.0 and "could not be graded" in document["output"]


def test_an_upload_with_two_answer_files_names_both(
    expectations: Expectations, tmp_path: Path
) -> None:
    shutil.copy(SAMPLES / "perfect.yaml", tmp_path / "answers.yaml")
    (tmp_path / "old").mkdir()
    shutil.copy(SAMPLES / "macs-instead-of-flops.yaml", tmp_path / "old" / "draft.yml")
    (tmp_path / "roofline-1.schema.json").write_text("{}", "utf-8")  # an editor's, not answers
    document = gradescope_results(tmp_path, expectations)
    assert document["score"] == 0.0 and "tests" not in document
    assert "2 answer files" in document["output"]
    assert "answers\\.yaml" in document["output"] and "old/draft\\.yml" in document["output"]
    assert "schema" not in document["output"]
    (tmp_path / "old" / "draft.yml").unlink()
    assert gradescope_results(tmp_path, expectations)["score"] > 0


def test_the_uploader_is_read_from_gradescopes_metadata_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "submission_metadata.json"
    cases = [
        ({"users": [{"email": "a@x.edu", "id": 3, "name": "A", "sid": " s1 "}]}, "s1"),
        ({"users": [{"sid": 1234567}, {"sid": "s2"}]}, "1234567"),  # a group: the first
        ({"users": [{"email": "a@x.edu", "id": 3, "name": "A"}]}, None),  # no student id
        ({"users": [{"sid": ""}]}, None),
        ({"users": [{"sid": True}]}, None),
        ({"users": [{"sid": "../etc"}]}, None),  # not an id: never used as one
        ({"users": []}, None),
        ({"users": "s1"}, None),
        ([1, 2], None),
    ]
    for document, expected in cases:
        path.write_text(json.dumps(document), "utf-8")
        assert uploader_id(path) == expected, document
    path.write_text("{not json", "utf-8")
    assert uploader_id(path) is None
    assert uploader_id(tmp_path / "absent.json") is None
    # A group: the uploader, then each other member with a student id, once.
    group = [{"sid": "s1"}, {"sid": "bad id"}, {"sid": "S1"}, {"sid": 42}, {"name": "B"}, "x"]
    path.write_text(json.dumps({"users": group}), "utf-8")
    assert uploader_ids(path) == ("s1", "42")
    path.write_text(json.dumps({"users": [{"sid": "bad id"}, {"sid": "s2"}]}), "utf-8")
    assert uploader_ids(path) == ()  # the uploader unknown: the file's own id decides


@pytest.mark.parametrize("kind", ["nested", "folder", "fifo", "not utf-8"])
def test_metadata_that_cannot_name_the_uploader_leaves_the_upload_graded(
    tmp_path: Path, kind: str
) -> None:
    # Whatever lies at the metadata's path, the upload is graded as without metadata (the
    # file's own id decides) and results.json says so: no "internal error", no usage error.
    upload = tmp_path / "submission"
    upload.mkdir()
    shutil.copy(SAMPLES / "perfect.yaml", upload)
    metadata = tmp_path / "submission_metadata.json"
    if kind == "nested":
        metadata.write_text('{"users": ' + "[" * 100_000, "utf-8")
    elif kind == "folder":
        metadata.mkdir()
    elif kind == "fifo":
        os.mkfifo(metadata)
    else:
        metadata.write_bytes(b'{"users": [{"sid": "s\xff"}]}')
    results = tmp_path / "results.json"
    options = ["--submission", str(upload), "--results", str(results)]
    code, output = grader("gradescope", *options, "--metadata", str(metadata), seconds=20)
    document = json.loads(results.read_text("utf-8"))
    without = tmp_path / "without.json"
    absent = str(tmp_path / "absent.json")
    grader("gradescope", "--submission", str(upload), "--results", str(without),
           "--metadata", absent)  # fmt: skip
    assert code == 0, output
    assert document == json.loads(without.read_text("utf-8"))
    assert document["tests"]


def test_an_upload_is_told_what_of_it_is_no_parts_answer(tmp_path: Path) -> None:
    # An answer lost to a quote left open, and an unknown part: `grader check` notes both with
    # their lines; on Gradescope, where the student sees only results.json, q2.a just read as
    # unanswered. The output now carries the same notes (at reveal feedback, the sheet's).
    upload = tmp_path / "submission"
    upload.mkdir()
    (upload / "answers.yaml").write_text(
        "assignment: roofline-1\nstudent: {id: s1}\nanswers:\n  q1:\n    a: 288\n"
        '  "q2.a: 4*128^2\n  q7: 5\n',
        "utf-8",
    )
    code, checked = grader("check", str(upload / "answers.yaml"))
    notes = [line.removeprefix("note: ") for line in checked.splitlines() if "note: " in line]
    assert len(notes) == 2, checked
    results = tmp_path / "results.json"
    code, output = grader("gradescope", "--submission", str(upload), "--results", str(results),
                          "--metadata", str(tmp_path / "absent.json"))  # fmt: skip
    assert code == 0, output
    shown = json.loads(results.read_text("utf-8"))["output"]
    assert "line 6: " in shown and "quote" in shown
    assert "line 7: unknown part 'q7' ignored" in shown
