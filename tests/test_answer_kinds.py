"""Answer kinds are a registry: every kind a part names is registered with the sheet model and
has a grader; a sheet naming an unknown kind is refused with its file, part and field; and a
sheet folder can bring a kind of its own (``kinds: kinds.py``), used end to end through the
console script: graded, shown in the template, its expected value in the report."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from bounds import time_bound
from cli_runs import grader

from grader.errors import AssignmentError
from grader.grading.graded_kind import grader_for
from grader.reports.report import feedback_markdown
from grader.reports.template import answer_template
from grader.run.pipeline import grade_file
from grader.sheets.answer_kinds import AnswerKind, kind_named, kind_names, register_kind
from grader.sheets.expectations import build_expectations
from grader.sheets.library import bundled_assignment_ids, load_assignment

# Parity of a number: the part's formula gives the number, the student says "even" or "odd".
KINDS_FILE = '''\
"""This sheet's own kind of answer: whether the part's number is even or odd."""

from collections.abc import Mapping

from grader.errors import AnswerFormatError
from grader.grading.file_context import FileContext
from grader.grading.graded_kind import on_one_line, register_graded_kind
from grader.grading.outcome import Outcome, credited
from grader.sheets.answer_kinds import AnswerKind
from grader.sheets.assignment import Part
from grader.sheets.expectations import Expectations


def parity(value: object, part: Part) -> str:
    return "odd" if int(float(str(value))) % 2 else "even"


def grade_parity(
    part: Part, text: str, exp: Expectations, own: Mapping[str, float], context: FileContext
) -> Outcome:
    word = text.strip().lower()
    if word not in ("even", "odd"):
        raise AnswerFormatError("write even or odd")
    right = word == parity(exp.expected(part.id), part)
    return credited(1.0 if right else 0.0, value=word, feedback="Right." if right else "No.")


register_graded_kind(
    AnswerKind("KIND", words="even or odd", examples=lambda part: ("even",), cell=parity),
    on_one_line(grade_parity),
)
'''

SHEET = """\
id: parity-sheet
title: Parity
reveal: answers
kinds: kinds.py
givens:
  x: {value: "3", symbol: x}
parts:
  - {id: q1.a, title: Triple, kind: count, points: 1, formula: "3*x"}
  - {id: q1.b, title: Parity of the triple, kind: KIND, points: 2, formula: "3*x"}
"""


def _sheet_folder(folder: Path, kind: str) -> Path:
    """A sheet folder whose part q1.b is of the kind ``kind``, registered by its kinds.py."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sheet.yaml").write_text(SHEET.replace("KIND", kind), "utf-8")
    (folder / "kinds.py").write_text(KINDS_FILE.replace("KIND", kind), "utf-8")
    return folder


def _answers(folder: Path, answers: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for student, parity in answers.items():
        text = f"assignment: parity-sheet\nstudent: {{id: {student}}}\n"
        text += f"answers:\n  q1: {{a: '9', b: {parity}}}\n"
        (folder / f"{student}.yaml").write_text(text, "utf-8")
    return folder


@pytest.mark.parametrize("sheet_id", bundled_assignment_ids())
def test_every_bundled_part_names_a_kind_with_a_grader(sheet_id: str) -> None:
    for part in load_assignment(sheet_id).parts:
        assert part.answer_kind is kind_named(part.kind)
        assert callable(grader_for(part.kind))


def test_the_bundled_kinds_say_how_they_are_graded() -> None:
    numeric = {name for name in kind_names() if kind_named(name).numeric}
    by_a_person = {name for name in kind_names() if kind_named(name).review}
    assert {"count", "real"} <= numeric and not numeric & {"choice", "text", "image"}
    assert {"text", "image"} <= by_a_person and not by_a_person & numeric
    assert not any(kind_named(name).solved for name in by_a_person)
    assert [name for name in kind_names() if kind_named(name).attached_file] == ["image"]


def test_a_name_is_one_kind() -> None:
    with pytest.raises(ValueError, match="registered already"):
        register_kind(AnswerKind("count", words="something else"))
    register_kind(kind_named("count"))  # the same kind again changes nothing


def test_an_unknown_kind_names_its_file_part_and_field(tmp_path: Path) -> None:
    (tmp_path / "sheet.yaml").write_text(
        SHEET.replace("kinds: kinds.py\n", "").replace("KIND", "parity_unknown"), "utf-8"
    )
    with pytest.raises(AssignmentError) as raised:
        load_assignment(tmp_path)
    message = str(raised.value)
    assert str(tmp_path / "sheet.yaml") in message
    assert "parts[1] (q1.b): kind:" in message
    assert "unknown answer kind 'parity_unknown'" in message and "count" in message


def test_an_unknown_kind_is_exit_2_from_the_console_script(tmp_path: Path) -> None:
    (tmp_path / "sheet.yaml").write_text(
        SHEET.replace("kinds: kinds.py\n", "").replace("KIND", "parity_unknown"), "utf-8"
    )
    code, output = grader("solve", "--assignment", str(tmp_path))
    assert code == 2, output
    assert "parts[1] (q1.b): kind:" in output and "Traceback" not in output


def test_a_missing_kinds_file_is_a_sheet_error(tmp_path: Path) -> None:
    (tmp_path / "sheet.yaml").write_text(SHEET.replace("KIND", "parity_nowhere"), "utf-8")
    code, output = grader("solve", "--assignment", str(tmp_path))
    assert code == 2, output
    assert "kinds.py: the sheet's kinds file is missing" in output
    assert "Traceback" not in output


def test_a_sheet_grades_a_kind_of_its_own_through_the_console_script(tmp_path: Path) -> None:
    sheet = _sheet_folder(tmp_path / "sheet", "parity")
    # x = 3: q1.b's number is 9, odd.
    answers = _answers(tmp_path / "answers", {"s1": "odd", "s2": "even", "s3": "maybe"})
    out = tmp_path / "out"
    # With reports: the sheet has no roofline (no device among its givens), so no plot.
    code, output = grader("grade", str(answers), "--out", str(out), "--assignment", str(sheet))
    assert code == 0, output
    assert "<svg" not in (out / "summary.html").read_text("utf-8")
    report = (out / "feedback" / "s2.md").read_text("utf-8")
    row = next(line for line in report.splitlines() if line.startswith("| q1\\.b"))
    assert row.split(" | ")[-1].startswith("odd — ")  # the kind's cell: 9 is odd

    def part(student: str) -> dict[str, object]:
        result = json.loads((out / "results" / f"{student}.json").read_text("utf-8"))
        found: dict[str, object] = result["parts"][1]
        return found

    assert (part("s1")["status"], part("s1")["points"]) == ("correct", 2.0)
    assert (part("s2")["status"], part("s2")["points"]) == ("incorrect", 0.0)
    assert part("s3")["status"] == "invalid"
    assert "write even or odd" in str(part("s3")["feedback"])

    code, template = grader("template", "--assignment", str(sheet))
    assert code == 0, template
    assert "# q1.b: Parity of the triple (2 points; even or odd)" in template
    assert "# e.g. even" in template


def test_a_kind_of_its_own_shows_its_expected_value_its_way(tmp_path: Path) -> None:
    # In this process: a name no other test registers (the registry is the process's).
    sheet = load_assignment(_sheet_folder(tmp_path / "sheet", "parity_in_process"))
    answers = _answers(tmp_path / "answers", {"s2": "even"})
    exp = build_expectations(sheet)
    result = grade_file(answers / "s2.yaml", exp).result
    assert result.part("q1.b").status.value == "incorrect"
    report = feedback_markdown(result, exp)
    row = next(line for line in report.splitlines() if line.startswith("| q1\\.b"))
    assert row.split(" | ")[-1].startswith("odd — ")  # the kind's cell: 9 is odd
    assert "(2 points; even or odd)" in answer_template(sheet)


def test_a_kinds_file_is_loaded_again_in_a_process_that_unpickles_the_sheet(
    tmp_path: Path,
) -> None:
    # Where grading processes are spawned (not forked), they get the expectations pickled: a
    # new interpreter, which has never seen the sheet's kinds file, must grade with its kind.
    sheet = load_assignment(_sheet_folder(tmp_path / "sheet", "parity_pickled"))
    program = (
        "import pickle, sys\n"
        "exp = pickle.load(sys.stdin.buffer)\n"
        "from grader.grading.graded_kind import grader_for\n"
        "kind = exp.assignment.part('q1.b').answer_kind\n"
        "print(kind.words, callable(grader_for(kind.name)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        input=pickle.dumps(build_expectations(sheet)),
        capture_output=True,
        timeout=time_bound(60),
        check=False,
    )
    assert done.stdout.decode().strip() == "even or odd True", done.stderr.decode()
