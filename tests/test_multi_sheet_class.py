"""A class that hands in answers to several sheets at once, graded in one run from the console
script: each file against the sheet it names, each sheet's outputs in a folder of their own,
TA decisions routed to their sheet and kept there across regrades, and a folder that holds one
sheet's outputs never taken over by another."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
ROOFLINE = ROOT / "sheets" / "roofline_1" / "samples"
LLM = ROOT / "sheets" / "llm_inference_1" / "samples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def answer(sheet: str, student: str, extra: str = "") -> str:
    return f"assignment: {sheet}\nstudent: {{id: {student}}}\nanswers:\n  q1.a: 1\n{extra}"


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """Both sheets' samples, each sheet's in a folder of its own (as two Moodle exports)."""
    folder = tmp_path / "class"
    shutil.copytree(ROOFLINE, folder / "week1")
    shutil.copytree(LLM, folder / "week2")
    return folder


def ids_in(out: Path) -> set[str]:
    return {row["id"] for row in rows(out / "gradebook.csv")}


def test_each_file_is_graded_against_the_sheet_it_names(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = run("grade", str(mixed), "--out", str(out))
    assert code == 0, text
    week1 = [p for p in (mixed / "week1").iterdir() if p.suffix in (".yaml", ".json")]
    assert len(rows(out / "gradebook.csv")) == len(week1)  # a row per roofline file
    second = out / "llm-inference-1"
    assert ids_in(second) == {f"s200000{n}" for n in range(1, 6)}
    assert not ids_in(out) & ids_in(second)
    for folder, sheet in ((out, "roofline-1"), (second, "llm-inference-1")):
        for result in (folder / "results").glob("*.json"):
            assert json.loads(result.read_text("utf-8"))["assignment"] == sheet
        assert {p.stem for p in (folder / "feedback").glob("*.html")} == ids_in(folder)
        assert (folder / "summary.html").is_file() and (folder / "review.csv").is_file()
        assert {row["sheet"] for row in rows(folder / "review.csv")} <= {sheet}
    assert "LLM Inference on a Roofline (llm-inference-1): 5 file(s)" in text
    assert (out / ".grader-sheet").read_text("utf-8").strip() == "roofline-1"


def test_the_sheet_most_files_name_writes_into_the_output_folder(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for n in range(3):
        (folder / f"b{n}.yaml").write_text(answer("llm-inference-1", f"b{n}"), "utf-8")
    (folder / "a.yaml").write_text(answer("roofline-1", "a"), "utf-8")
    out = tmp_path / "out"
    code, text = run("grade", str(folder), "--out", str(out), "--no-reports")
    assert code == 0, text
    assert ids_in(out) == {"b0", "b1", "b2"}
    assert ids_in(out / "roofline-1") == {"a"}
    # A later run keeps to the folder's sheet, even when most files now name the other one.
    for n in range(3):
        (folder / f"c{n}.yaml").write_text(answer("roofline-1", f"c{n}"), "utf-8")
    code, text = run("grade", str(folder), "--out", str(out), "--no-reports")
    assert code == 0, text
    assert ids_in(out) == {"b0", "b1", "b2"}
    assert ids_in(out / "roofline-1") == {"a", "c0", "c1", "c2"}


def test_one_id_may_answer_both_sheets_but_not_one_sheet_twice(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "one.yaml").write_text(answer("roofline-1", "s42"), "utf-8")
    (folder / "two.yaml").write_text(answer("llm-inference-1", "s42"), "utf-8")
    (folder / "three.yaml").write_text(answer("llm-inference-1", "s7"), "utf-8")
    (folder / "four.yaml").write_text(answer("llm-inference-1", "S7"), "utf-8")
    out = tmp_path / "out"
    code, text = run("grade", str(folder), "--out", str(out), "--no-reports")
    assert code == 1, text  # the two claims of s7 are held for a TA
    assert ids_in(out / "roofline-1") == {"s42"}  # most files name llm-inference-1
    main_sheet = {row["id"]: row for row in rows(out / "gradebook.csv")}
    assert main_sheet["s42"]["status"] == "GRADED"
    held = [row for row in main_sheet.values() if row["status"] == "ERROR"]
    assert len(held) == 2 and all("also claimed by" in row["error"] for row in held)


def test_decisions_reach_their_sheet_and_stay_there(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("grade", str(mixed), "--out", str(out), "--no-reports")
    second = out / "llm-inference-1"
    review = rows(second / "review.csv")
    chosen = next(row for row in review if row["status"] == "open" and row["part"] == "q6.d")
    chosen["points"], chosen["comment"] = "1.5", "batching amortises the weight reads"
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(review[0]))
        writer.writeheader()
        writer.writerow(chosen)
    before = {row["id"]: row["score"] for row in rows(second / "gradebook.csv")}
    code, text = run("grade", str(mixed), "--out", str(out), "--overrides", str(filled))
    assert code == 0, text
    assert "1 new TA decision(s) recorded" in text
    assert not (out / "decisions.csv").exists()  # the roofline sheet got no decision
    ledger = rows(second / "decisions.csv")
    assert [(d["student"], d["part"], d["points"]) for d in ledger] == [
        (chosen["student"], "q6.d", "1.5")
    ]
    student = chosen["student"]
    after = {row["id"]: row["score"] for row in rows(second / "gradebook.csv")}
    assert float(after[student]) == pytest.approx(float(before[student]) + 1.5)
    # Regraded without the file: the decision stays in force.
    code, text = run("grade", str(mixed), "--out", str(out), "--no-reports")
    assert {row["id"]: row["score"] for row in rows(second / "gradebook.csv")} == after


def test_a_decision_for_a_sheet_the_run_does_not_grade_stops_it(
    mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    decisions = tmp_path / "d.csv"
    decisions.write_text("student,part,points,sheet\ns2000001,q6.d,1,roofline-2\n", "utf-8")
    code, text = run("grade", str(mixed), "--out", str(out), "--overrides", str(decisions))
    assert code == 2, text
    assert "d.csv line 2: s2000001 q6.d: sheet 'roofline-2' is not graded" in text
    assert not out.exists()
    # Without the sheet column a decision is about the main sheet, which has no q6.d.
    decisions.write_text("student,part,points\ns2000001,q6.d,1\n", "utf-8")
    code, text = run("grade", str(mixed), "--out", str(out), "--overrides", str(decisions))
    assert code == 2 and "the sheet has no part 'q6.d'" in text, text


def test_a_folder_of_one_sheet_is_not_taken_over_by_another(mixed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("grade", str(mixed), "--out", str(out), "--no-reports")
    before = snapshot(out)
    code, text = run(
        "grade", str(mixed / "week2"), "--out", str(out), "--assignment", "llm-inference-1"
    )
    assert code == 2, text
    assert "holds the outputs of 'roofline-1'" in text
    assert snapshot(out) == before


def test_with_an_assignment_a_file_naming_another_sheet_is_its_error(
    mixed: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, text = run(
        "grade", str(mixed), "--out", str(out), "-a", "llm-inference-1", "--no-reports"
    )
    assert code == 1, text
    assert not (out / "roofline-1").exists()
    errors = [row for row in rows(out / "gradebook.csv") if row["status"] == "ERROR"]
    week1 = [p for p in (mixed / "week1").iterdir() if p.suffix in (".yaml", ".json")]
    assert len(errors) == len(week1)


@pytest.mark.parametrize("seed", [(), ("--seed", "course")])
def test_a_sheet_no_file_names_gets_no_folder(tmp_path: Path, seed: tuple[str, ...]) -> None:
    # Every file names roofline-1: the course's other sheet is loaded, but nothing is graded
    # against it, so nothing (not even an empty folder) is made for it.
    out = tmp_path / "out"
    code, text = run("grade", str(ROOFLINE), "--out", str(out), "--no-reports", *seed)
    assert code == 0, text
    assert not (out / "llm-inference-1").exists()
    assert (out / "gradebook.csv").is_file()
    assert "llm-inference-1" not in text
    # A regrade into the same folder, with reports, leaves it so too.
    code, text = run("grade", str(ROOFLINE), "--out", str(out), *seed)
    assert code == 0, text
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        "feedback",
        "results",
        "sketches",
    ]


@pytest.mark.parametrize("dangling", [False, True])
def test_a_sheet_folder_linked_elsewhere_is_still_refused(
    mixed: Path, tmp_path: Path, dangling: bool
) -> None:
    # The sheet's folder is no longer made before grading: a link in its place (to a folder,
    # or to nothing yet) is refused all the same, and nothing is written through it.
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    if not dangling:
        elsewhere.mkdir()
    (out / "llm-inference-1").symlink_to(elsewhere, target_is_directory=True)
    code, text = run("grade", str(mixed), "--out", str(out), "--no-reports")
    assert code == 2, text
    assert "leads outside" in text
    assert not elsewhere.exists() or list(elsewhere.iterdir()) == []


def test_a_sheet_id_in_another_letter_case_names_that_sheet(tmp_path: Path) -> None:
    # Sheet ids are lower case (docs/adding-a-sheet.md), so `LLM-Inference-1` can only mean
    # llm-inference-1: it was an ERROR row in roofline-1's gradebook ("not 'roofline-1'").
    # A sheet no one has still is one, with the line that names it.
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "a.yaml").write_text(answer("ROOFLINE-1", "a1"), "utf-8")
    (klass / "b.yaml").write_text(answer("roofline-1", "b1"), "utf-8")
    (klass / "c.yaml").write_text(answer("LLM-Inference-1", "c1"), "utf-8")
    (klass / "d.yaml").write_text(answer('" llm-INFERENCE-1 "', "d1"), "utf-8")
    (klass / "e.yaml").write_text(answer("Roofline-9", "e1"), "utf-8")
    out = tmp_path / "out"
    code, text = run("grade", str(klass), "--out", str(out), "--no-reports")
    assert code == 1, text
    by_id = {row["id"]: row for row in rows(out / "gradebook.csv")}
    assert sorted(by_id) == ["a1", "b1", "e1"]
    assert by_id["a1"]["status"] == by_id["b1"]["status"] == "GRADED"
    wrong = (
        "line 1: this file is for assignment 'roofline-9', not 'roofline-1' (no installed sheet"
        " is 'roofline-9': give its sheet folder with -a)"
    )
    assert by_id["e1"]["error"] == wrong
    assert ids_in(out / "llm-inference-1") == {"c1", "d1"}
    for name, graded in (("a", True), ("c", True), ("e", False)):
        code, checked = run("check", str(klass / f"{name}.yaml"))
        assert (code == 0) is graded, checked


@pytest.mark.parametrize("named", ["[llm-inference-1]", "{id: llm-inference-1}"])
def test_an_assignment_that_is_no_text_is_said_to_name_no_sheet(tmp_path: Path, named: str) -> None:
    # A list or mapping names no sheet, so the file is graded against the run's first sheet;
    # it was, without a word, although the student may have meant another one.
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "a.yaml").write_text(answer(named, "a1"), "utf-8")
    note = "line 1: 'assignment' must be one sheet's id as text, not a list or mapping"
    code, checked = run("check", str(klass / "a.yaml"))
    assert code == 0 and f"note: {note}; this file was graded against roofline-1" in checked
    out = tmp_path / "out"
    code, text = run("grade", str(klass), "--out", str(out), "--no-reports")
    assert code == 0, text
    [row] = rows(out / "gradebook.csv")
    assert row["id"] == "a1" and note in row["flags"]


def test_grader_diff_lists_the_changes_of_every_sheet_as_compare_does(tmp_path: Path) -> None:
    # One student per sheet; the llm-inference-1 student's q1.a answer changes, so only that
    # sheet changes. `grade --compare` listed it; `grader diff` read the main folder only and
    # said "No changes".
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "r.yaml").write_text(answer("roofline-1", "r1"), "utf-8")
    (klass / "l.yaml").write_text(answer("llm-inference-1", "l1"), "utf-8")
    (klass / "m.yaml").write_text(answer("roofline-1", "m1"), "utf-8")  # roofline-1 is main
    before, after = tmp_path / "before", tmp_path / "after"
    code, text = run("grade", str(klass), "--out", str(before), "--no-reports")
    assert code == 0, text
    (klass / "l.yaml").write_text(answer("llm-inference-1", "l1").replace("q1.a: 1", "q1.a: n/a"))
    code, compared = run(
        "grade", str(klass), "--out", str(after), "--no-reports", "--compare", str(before)
    )
    assert code == 0, compared
    code, listed = run("diff", str(before), str(after))
    assert code == 0, listed
    assert "roofline-1:\nNo changes" in listed
    [row] = [line for line in listed.splitlines() if line.startswith("| l1 ")]
    assert "q1.a:" in row and "→ missing" in row
    assert row in compared


def test_grader_decisions_lists_the_decisions_of_every_sheet(tmp_path: Path) -> None:
    # A decision on each sheet; `grader decisions OUT` read the main sheet's ledger only, so a
    # TA asking who decided what never saw the other sheet's.
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "r.yaml").write_text(answer("roofline-1", "r1"), "utf-8")
    (klass / "m.yaml").write_text(answer("roofline-1", "m1"), "utf-8")
    (klass / "l.yaml").write_text(answer("llm-inference-1", "l1"), "utf-8")
    decided = tmp_path / "decided.yaml"
    decided.write_text(
        "- {student: r1, part: q6.advantages, points: 1, comment: main sheet}\n"
        "- {student: l1, part: q6.d, points: 1, comment: other sheet, sheet: llm-inference-1}\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, text = run("grade", str(klass), "--out", str(out), "--no-reports",
                     "--overrides", str(decided), "--by", "ta")  # fmt: skip
    assert code == 0, text
    code, listed = run("decisions", str(out))
    assert code == 0, listed
    main, other = listed.split("\n\nllm-inference-1:\n")
    assert main.startswith("roofline-1:\n") and "main sheet" in main and "l1" not in main
    assert "other sheet" in other and "r1" not in other
    code, listed = run("decisions", str(out), "--student", "l1")
    assert code == 0 and "other sheet" in listed and "main sheet" not in listed, listed
