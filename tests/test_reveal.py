"""Reveal levels: what the student's view holds per level, the commands that show it, the
hints the grader writes, and what a student file cannot change."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
import time
from pathlib import Path

import pytest
import yaml
from bounds import time_bound
from click.testing import CliRunner
from leaks import json_text, leaks, own_of

from grader.cli import main
from grader.errors import AssignmentError
from grader.grading.decisions import Decision, apply_decisions
from grader.reports.reveal import PART_FIELDS, student_view, view_json
from grader.results import SubmissionResult
from grader.run.gradescope import results_document
from grader.run.pipeline import grade_file
from grader.sheets.assignment import REVEAL_LEVELS, RevealLevel
from grader.sheets.expectations import Expectations
from grader.sheets.library import load_assignment
from reference.solution import format_number
from tests.conftest import GradeAnswers

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sheets" / "roofline_1" / "samples"
SHEET = ROOT / "sheets" / "roofline_1" / "sheet.yaml"
MACS = SAMPLES / "macs-instead-of-flops.yaml"  # q1.b = 903,168: MACs counted, half credit
Q1B = format_number(2 * 56 * 56 * 3 * 3 * 32)  # 2 FLOP per MAC, 56 x 56 outputs, 3 x 3 x 32


def at_level(exp: Expectations, level: RevealLevel) -> Expectations:
    assignment = exp.assignment.model_copy(update={"reveal": level})
    return dataclasses.replace(exp, assignment=assignment)


def sheet_at(folder: Path, level: RevealLevel, **changes: object) -> Path:
    """A copy of the bundled sheet with another reveal level (and other top-level fields)."""
    data = yaml.safe_load(SHEET.read_text("utf-8"))
    data.update({"reveal": level, **changes})
    path = folder / f"sheet-{level}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    shutil.copy(SHEET.parent / "solver.py", folder / "solver.py")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def macs(expectations: Expectations) -> SubmissionResult:
    return grade_file(MACS, expectations).result


# ------------------------------------------------------------------------------- the view


@pytest.mark.parametrize("level", REVEAL_LEVELS)
def test_the_view_holds_exactly_the_fields_of_its_level(
    expectations: Expectations, macs: SubmissionResult, level: RevealLevel
) -> None:
    view = student_view(macs, expectations, level)
    document = json.loads(view_json(view))
    assert (document["audience"], document["reveal"]) == ("student", level)
    assert all(set(part) == set(PART_FIELDS[level]) for part in document["parts"])
    hidden = {"value", "feedback", "mistake", "carried_forward", "expected", "review", "solution"}
    hidden -= set(PART_FIELDS[level])
    for part in view.parts:
        assert all(getattr(part, name) is None for name in hidden), (part.id, level)
    assert view.plot == {"none": "hidden", "feedback": "givens", "answers": "answers"}[level]


def test_levels_add_to_each_other(expectations: Expectations, macs: SubmissionResult) -> None:
    none, feedback, answers = (set(PART_FIELDS[level]) for level in REVEAL_LEVELS)
    assert none == {
        "id", "title", "status", "credit", "points", "max_points", "submitted", "line",
        "sent_to_review",
    }  # fmt: skip
    assert none < feedback < answers
    # readings: the student's own text read otherwise, with what each reading scores
    assert feedback - none == {"value", "feedback", "mistake", "carried_forward", "readings"}
    assert answers - feedback == {"expected", "review", "solution"}


def test_answers_show_the_worked_solution(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    q1b = student_view(macs, expectations, "answers").parts[1]
    assert q1b.id == "q1.b" and q1b.expected == 2 * 56 * 56 * 3 * 3 * 32
    assert q1b.solution is not None
    assert "H" in q1b.solution.formula and "K" in q1b.solution.formula
    assert q1b.solution.worked.endswith(f"= {Q1B} FLOP")
    perfect = grade_file(SAMPLES / "perfect.yaml", expectations).result
    sketch = student_view(perfect, expectations, "answers").part("q3.b")
    assert sketch.review is not None and sketch.review.startswith("Check:")
    assert student_view(perfect, expectations, "feedback").part("q3.b").review is None


def test_feedback_shows_the_hint_and_answers_the_whole_text(
    expectations: Expectations, grade_answers: GradeAnswers
) -> None:
    result = grade_answers({"q2.d.causal_scores": "2016"})  # the diagonal left out
    part = result.part("q2.d.causal_scores")
    assert part.hint is not None and "L(L+1)/2" in part.feedback
    assert student_view(result, expectations, "feedback").part(part.id).feedback == part.hint
    assert student_view(result, expectations, "answers").part(part.id).feedback == (part.feedback)
    assert student_view(result, expectations, "none").part(part.id).feedback is None


def test_a_ta_note_is_shown_at_every_level(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    kept = apply_decisions(macs, {"q1.b": Decision("s1000002", "q1.b", 1.0, None, "kept")})
    for level in REVEAL_LEVELS:
        view = student_view(kept, expectations, level)
        assert view.part("q1.b").ta_note == "1 of 2 points. kept"
        assert "ta_note" not in view_json(view)


def test_an_error_result_has_no_plot(expectations: Expectations, tmp_path: Path) -> None:
    bad = tmp_path / "s1.yaml"
    bad.write_text("- a list\n", "utf-8")
    result = grade_file(bad, expectations).result
    view = student_view(result, expectations, "answers")
    assert view.status == "error" and view.error and view.plot == "hidden" and view.parts == ()


# ----------------------------------------------------------------- hints the grader writes

CODE_BUILT = [
    # (part, answer, in the whole explanation, in the hint, whether the search finds an
    # expected value or formula in the whole one). How far off, with the student's own value,
    # gives the expected value; so does a right expression's value, which the search counts
    # as the student's own (their expression evaluates to it): the hints state neither.
    ("q1.b", "1840000", "1.9% off", "Close (within 5%)", False),
    ("q1.b", "2*56*56*3*3*32 = 1806436", f"evaluates to {Q1B}", "expression is right, but", False),
    ("q1.b", "2500000", "38% too high", "Not right: too high", False),
    ("q3.a", "4", "peak (FLOP/s) / bandwidth (byte/s)", "Peak and bandwidth are swapped", True),
]


@pytest.mark.parametrize(("part_id", "answer", "whole", "hint", "states_it"), CODE_BUILT)
def test_texts_built_in_code_have_a_hint_without_the_answer(
    expectations: Expectations,
    grade_answers: GradeAnswers,
    part_id: str,
    answer: str,
    whole: str,
    hint: str,
    states_it: bool,
) -> None:
    result = grade_answers({part_id: answer})
    part = result.part(part_id)
    assert whole in part.feedback and part.hint is not None and hint in part.hint
    assert whole not in part.hint and "%" not in part.hint.replace("within 5%", "")
    assert Q1B not in part.hint
    own = own_of(result, expectations)
    assert (leaks(part.feedback, expectations, own) != []) is states_it
    assert leaks(part.hint, expectations, own) == []


def test_a_carried_forward_verdict_names_only_the_students_own_numbers(
    expectations: Expectations, grade_answers: GradeAnswers
) -> None:
    """Without a turning point of the student's own, the reference's stands in: the whole
    explanation names it, the hint does not; with both numbers their own, one text serves."""
    alone = grade_answers({"q5.conv.intensity": "300", "q5.conv.gpu": "compute-bound"})
    gpu = alone.part("q5.conv.gpu")
    assert gpu.carried_forward and "(250)" in gpu.feedback
    assert gpu.hint is not None and "own intensity (300)" in gpu.hint
    assert "this device's turning point" in gpu.hint and "250" not in gpu.hint
    both = grade_answers({"q3.a": "4", "q5.conv.intensity": "300", "q5.conv.gpu": "compute-bound"})
    assert both.part("q5.conv.gpu").carried_forward and both.part("q5.conv.gpu").hint is None


# ------------------------------------------------------------------ the assignment file


@pytest.mark.parametrize(
    ("feedback", "accepted"),
    [
        ("one text for both levels", True),
        ({"hint": "a hint", "answer": "the whole text"}, True),
        ({"hint": "a hint"}, False),
        ({"answer": "the whole text"}, False),
        ({"hint": "", "answer": "the whole text"}, False),
        ({"hint": "a", "answer": "b", "reveal": "answers"}, False),
    ],
)
def test_a_feedback_text_is_one_string_or_a_hint_and_an_answer(
    tmp_path: Path, feedback: object, accepted: bool
) -> None:
    data = yaml.safe_load(SHEET.read_text("utf-8"))
    data["parts"][0]["alternatives"][0]["feedback"] = feedback
    data["parts"][16]["mistake_feedback"] = {"O(L)": feedback}
    path = tmp_path / "sheet.yaml"
    path.write_text(yaml.safe_dump(data), "utf-8")
    shutil.copy(SHEET.parent / "solver.py", tmp_path / "solver.py")
    if accepted:
        assert load_assignment(path).parts[0].alternatives[0].feedback is not None
    else:
        with pytest.raises(AssignmentError):
            load_assignment(path)


# -------------------------------------------------------------------------- the commands


@pytest.mark.parametrize("level", REVEAL_LEVELS)
def test_check_shows_what_the_sheets_level_allows(tmp_path: Path, level: RevealLevel) -> None:
    sheet = sheet_at(tmp_path, level)
    code, text = run("check", str(MACS), "-a", str(sheet))
    assert code == 0 and "partial" in text and "1 / 2" in text
    assert ("feedback" in text.splitlines()[3]) is (level != "none")  # the table's header
    assert ("multiply-adds" in text) is (level != "none")
    assert (f"= {Q1B} FLOP" in text) is (level == "answers")
    assert f"(reveal: {level})" in text
    code, out = run("check", str(MACS), "-a", str(sheet), "--json")
    document = json.loads(out)
    assert document["reveal"] == level
    assert ("expected" in document["parts"][1]) is (level == "answers")


ANSWERS = "assignment: roofline-1\nstudent: {id: s1}\nanswers:\n  q1: {b: 903168}\n"
HOSTILE_FILES = {
    # A sheet of the file's choosing, own.yaml, reveals the answers and has the id "own.yaml".
    "a reveal key": "reveal: answers\n" + ANSWERS,
    "a reveal answer": ANSWERS + "  reveal: answers\n",
    "a student's reveal": ANSWERS.replace("{id: s1}", "{id: s1, reveal: answers}"),
    "an assignment's reveal": ANSWERS.replace("roofline-1", "{id: roofline-1, reveal: answers}"),
    "a sheet of its own": ANSWERS.replace("roofline-1", "own.yaml"),
    "a sheet named by path": ANSWERS.replace("roofline-1", "./own.yaml"),
    "a file that never ends": ANSWERS.replace("roofline-1", "/dev/zero"),
}


@pytest.mark.parametrize("name", HOSTILE_FILES)
def test_a_student_file_cannot_raise_the_level(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, expectations: Expectations, name: str
) -> None:
    """Whatever the answer file says, ``grader check`` shows the bundled sheet's level
    (feedback): no expected value, no worked solution, and it ends at once."""
    monkeypatch.chdir(tmp_path)
    sheet_at(tmp_path, "answers", id="own.yaml").rename(tmp_path / "own.yaml")
    answers = tmp_path / "s1.yaml"
    answers.write_text(HOSTILE_FILES[name], "utf-8")
    started = time.perf_counter()
    code, out = run("check", str(answers), "--json")
    assert time.perf_counter() - started < time_bound(2.0)
    assert code == 0
    document = json.loads(out)
    assert document["reveal"] == "feedback"
    assert all("expected" not in part and "solution" not in part for part in document["parts"])
    assert leaks(json_text(out), expectations) == []
    code, out = run("check", str(answers))
    assert code == 0 and Q1B not in out and "(reveal: answers)" not in out


def grade_class(klass: Path, out: Path, *options: str) -> str:
    result = CliRunner().invoke(main, ["grade", str(klass), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def klass(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("klass")
    for name in ("macs-instead-of-flops.yaml", "perfect.yaml", "q3-sketch.png"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    return folder


def test_grade_reveal_overrides_the_level_of_the_reports_only(klass: Path, tmp_path: Path) -> None:
    said = {
        level: grade_class(klass, tmp_path / level, "--reveal", level) for level in REVEAL_LEVELS
    }
    default = grade_class(klass, tmp_path / "default")
    assert "show reveal level 'answers' (--reveal)" in said["answers"]
    assert "show reveal level 'feedback' (the sheet's setting)" in default

    def files(out: Path, folder: str) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((out / folder).iterdir())}

    results = [files(tmp_path / level, "results") for level in REVEAL_LEVELS]
    assert results[0] == results[1] == results[2]  # the staff's results are complete, always
    assert files(tmp_path / "default", "feedback") == files(tmp_path / "feedback", "feedback")
    pages = {
        level: (tmp_path / level / "feedback" / "s1000002.html").read_text("utf-8")
        for level in REVEAL_LEVELS
    }
    assert Q1B not in pages["none"] and Q1B not in pages["feedback"] and Q1B in pages["answers"]
    assert "<svg" not in pages["none"] and "GPU ridge" not in pages["feedback"]
    assert "GPU ridge" in pages["answers"]


def test_staff_outputs_say_they_are_for_staff(klass: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    grade_class(klass, out)
    result = json.loads((out / "results" / "s1000002.json").read_text("utf-8"))
    assert result["audience"] == "staff" and result["parts"][1]["expected"] == 1806336
    assert "For course staff only" in (out / "summary.md").read_text("utf-8")
    assert "for course staff only" in (out / "summary.html").read_text("utf-8")
    guide = (out / "README.md").read_text("utf-8")
    assert "| `feedback/<id>.html`, `.md` | the student `<id>` only |" in guide
    for staff in ("results/<id>.json", "moodle-grades.csv", "sketches/", "decisions.csv"):
        assert f"`{staff}` | staff only |" in guide
    for listed in (
        "gradebook.csv",
        "canvas-grades.csv",
        "review.html",
        "review.csv",
        "summary.html",
    ):
        assert f"`{listed}`" in guide
    rows = csv.DictReader((out / "review.csv").read_text("utf-8-sig").splitlines())
    assert "suggestion (staff only)" in (rows.fieldnames or [])
    code, _ = run("grade", str(klass), "--out", str(out), "--overrides", str(out / "review.csv"))
    assert code == 0  # the renamed column does not stop the TA loop


@pytest.mark.parametrize("level", REVEAL_LEVELS)
def test_gradescope_shows_the_view_of_its_level(
    expectations: Expectations, macs: SubmissionResult, level: RevealLevel
) -> None:
    document = results_document(macs, at_level(expectations, level))
    q1b = next(t for t in document["tests"] if t["name"].startswith("q1.b"))
    assert q1b["score"] == 1.0 and q1b["max_score"] == 2
    assert ("multiply" in q1b["output"]) is (level != "none")
    assert ("Expected:" in q1b["output"] and "Solution:" in q1b["output"]) is (level == "answers")
    assert document["visibility"] == ("after_published" if level == "none" else "visible")
    perfect = grade_file(SAMPLES / "perfect.yaml", expectations).result
    document = results_document(perfect, at_level(expectations, level))
    sketch = next(t for t in document["tests"] if t["name"].startswith("q3.b"))
    assert ("Review notes" in sketch["output"]) is (level == "answers")
