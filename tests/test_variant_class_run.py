"""A class with per-student variants of both sheets, graded in one run from the console script:
every student against their own numbers, their reports showing their own variant, the summary
broken down by variant parameter, and a file that carries a classmate's numbers flagged for a
TA (never penalised beyond what its own variant gives)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.run.selftest import reference_answers
from grader.sheets.library import load_assignment
from grader.sheets.variant_expectations import VariantBook

SEED = "test-course-2026"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def rows(path: Path) -> dict[str, dict[str, str]]:
    table = csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline=""))
    return {row["id"]: row for row in table}


def book(sheet: str) -> VariantBook:
    return VariantBook(load_assignment(sheet), SEED, class_run=True)


def answer_file(folder: Path, sheet: str, student: str, answers: dict[str, object]) -> Path:
    path = folder / f"{sheet}-{student}.json"
    content = {"assignment": sheet, "student": {"id": student}, "answers": answers}
    path.write_text(json.dumps(content), "utf-8")
    return path


def own_answers(variants: VariantBook, student: str) -> dict[str, object]:
    """The right answers of the student's own variant (what the sheet's solver gives for
    the givens their variant sets; that solver is checked against hand derivations and
    independent counting loops elsewhere: here it only stands in for a diligent student)."""
    return reference_answers(variants.expectations(variants.of_student(student)))


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("class")
    roofline, llm = book("roofline-1"), book("llm-inference-1")
    for student in ("r1", "r2", "r3", "r4"):
        answer_file(folder, "roofline-1", student, own_answers(roofline, student))
    for student in ("m1", "m2"):
        answer_file(folder, "llm-inference-1", student, own_answers(llm, student))
    # r5 hands in r1's answers under their own id (r1's variant is another one).
    answer_file(folder, "roofline-1", "r5", own_answers(roofline, "r1"))
    out = tmp_path_factory.mktemp("out") / "report"
    code, text = run("grade", str(folder), "--out", str(out), "--seed", SEED)
    assert code == 0, text
    return out, text


def statuses(result: dict[str, object]) -> dict[str, str]:
    parts = result["parts"]
    assert isinstance(parts, list)
    return {part["id"]: part["status"] for part in parts}


def test_every_student_is_graded_against_their_own_variant(graded: tuple[Path, str]) -> None:
    out, _ = graded
    for sheet, folder, students in (
        ("roofline-1", out, ("r1", "r2", "r3", "r4")),
        ("llm-inference-1", out / "llm-inference-1", ("m1", "m2")),
    ):
        variants = book(sheet)
        for student in students:
            result = json.loads((folder / "results" / f"{student}.json").read_text("utf-8"))
            assert result["variant"] == variants.code(variants.of_student(student))
            answered = own_answers(variants, student)
            got = statuses(result)
            assert {got[part] for part in answered} == {"correct"}, (student, got)


def test_a_file_with_a_classmates_numbers_is_flagged_not_moved(graded: tuple[Path, str]) -> None:
    out, _ = graded
    roofline = book("roofline-1")
    assert roofline.of_student("r1").index != roofline.of_student("r5").index  # the premise
    row = rows(out / "gradebook.csv")["r5"]
    assert float(row["score"]) < float(rows(out / "gradebook.csv")["r1"]["score"])
    other = roofline.code(roofline.of_student("r1"))
    own = roofline.code(roofline.of_student("r5"))
    assert f"right for variant {other}, not for the student's own {own}" in row["flags"]
    result = json.loads((out / "results" / "r5.json").read_text("utf-8"))
    assert result["variant"] == own and any("possible copy" in f for f in result["flags"])
    assert not rows(out / "gradebook.csv")["r1"]["flags"]


def test_reports_show_each_students_own_numbers(graded: tuple[Path, str]) -> None:
    out, _ = graded
    roofline = book("roofline-1")
    variant = roofline.of_student("r2")
    page = (out / "feedback" / "r2.html").read_text("utf-8")
    assert f"Graded against your variant {roofline.code(variant)}" in page
    for name, text in variant.givens.items():
        assert f"{name} = {text}" in page
    assert "possible copy" not in (out / "feedback" / "r5.html").read_text("utf-8")


def test_the_summary_breaks_the_class_down_by_variant_parameter(graded: tuple[Path, str]) -> None:
    out, _ = graded
    summary = (out / "summary.md").read_text("utf-8")
    assert "## By variant" in summary
    roofline = book("roofline-1")
    students = ("r1", "r2", "r3", "r4", "r5")
    values = {roofline.of_student(s).givens["attention.seq_len"] for s in students}
    if len(values) > 1:  # a parameter all five share has nothing to compare
        assert "### attention\\.seq\\_len" in summary
    # the class's roofline is drawn once, with the sheet's own givens: it says so
    page = (out / "summary.html").read_text("utf-8")
    assert "Drawn with the sheet's own givens" in page


def test_without_a_seed_nobody_has_a_variant(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    answer_file(folder, "roofline-1", "r1", {"q1.a": 1})
    out = tmp_path / "out"
    code, text = run("grade", str(folder), "--out", str(out), "--no-reports")
    assert code == 0, text
    result = json.loads((out / "results" / "r1.json").read_text("utf-8"))
    assert result["variant"] is None and "## By variant" not in (out / "summary.md").read_text()


def test_gradescope_grades_the_upload_against_its_students_variant(tmp_path: Path) -> None:
    roofline = book("roofline-1")
    upload = tmp_path / "submission"
    upload.mkdir()
    answer_file(upload, "roofline-1", "r7", own_answers(roofline, "r7"))
    results = tmp_path / "results.json"
    args = ("gradescope", "--submission", str(upload), "--results", str(results))
    code, text = run(*args, "--seed", SEED)
    assert code == 0, text
    document = json.loads(results.read_text("utf-8"))
    code_r7 = roofline.code(roofline.of_student("r7"))
    assert f"Graded against your variant {code_r7}." in document["output"]
    answered = own_answers(roofline, "r7")
    tests = {t["name"].split(":")[0]: t for t in document["tests"]}
    assert all(tests[p]["score"] == tests[p]["max_score"] for p in answered)
    # Without the seed the same upload is graded against the sheet's own givens.
    run(*args)
    plain = json.loads(results.read_text("utf-8"))
    assert "variant" not in plain["output"] and plain["score"] < document["score"]


def test_gradescope_grades_a_copied_file_as_the_uploaders(tmp_path: Path) -> None:
    """A file copied from a friend, their id left in it, is graded against the uploader's own
    variant (Gradescope's metadata says who uploaded), not the friend's, and the output says
    so; without metadata the file's own id decides, as before."""
    roofline = book("roofline-1")
    friend, uploader = next(
        (a, b)
        for a in (f"g{i}" for i in range(200))
        for b in (f"h{i}" for i in range(200))
        if roofline.of_student(a).index != roofline.of_student(b).index
    )
    upload = tmp_path / "submission"
    upload.mkdir()
    answer_file(upload, "roofline-1", friend, own_answers(roofline, friend))
    metadata = tmp_path / "submission_metadata.json"
    users = [{"email": f"{uploader}@example.edu", "id": 1, "name": "Up Loader", "sid": uploader}]
    metadata.write_text(json.dumps({"id": 7, "users": users}), "utf-8")
    results = tmp_path / "results.json"
    args = ("gradescope", "--submission", str(upload), "--results", str(results), "--seed", SEED)
    code, text = run(*args, "--metadata", str(metadata))
    assert code == 0, text
    copied = json.loads(results.read_text("utf-8"))
    assert (
        f"Graded against your variant {roofline.code(roofline.of_student(uploader))}."
        in (copied["output"])
    )
    assert (
        f"This file names student `{friend}`; it is graded as the uploader's" in (copied["output"])
    )
    assert "no student id (SID)" not in copied["output"]
    run(*args, "--metadata", str(tmp_path / "absent.json"))
    own = json.loads(results.read_text("utf-8"))
    assert (
        f"Graded against your variant {roofline.code(roofline.of_student(friend))}."
        in (own["output"])
    )
    assert own["score"] > copied["score"]  # the friend's numbers are not the uploader's
    # Only the file's claim chose the variant (Gradescope knows no SID of the uploader, as in
    # a course that never imported them): the output says so, for staff to check.
    users = [{"email": f"{uploader}@example.edu", "id": 1, "name": "Up Loader", "sid": ""}]
    metadata.write_text(json.dumps({"id": 7, "users": users}), "utf-8")
    run(*args, "--metadata", str(metadata))
    claimed = json.loads(results.read_text("utf-8"))["output"]
    assert f"graded against the variant of the student it names (`{friend}`)" in claimed


def test_gradescope_grades_a_group_upload_as_the_member_the_file_names(tmp_path: Path) -> None:
    """A group upload: Gradescope's first user uploaded, but the file names another member,
    whose numbers the group used: it is graded against that member's variant, without the
    note for a copied file; a file naming someone outside the group is still the uploader's."""
    roofline = book("roofline-1")
    uploader, member, outsider = next(
        (a, b, c)
        for a in (f"u{i}" for i in range(200))
        for b in (f"m{i}" for i in range(200))
        for c in (f"o{i}" for i in range(200))
        if len({roofline.of_student(x).index for x in (a, b, c)}) == 3
    )
    metadata = tmp_path / "submission_metadata.json"
    users = [{"sid": uploader}, {"sid": "not an id!"}, {"sid": member.upper()}]
    metadata.write_text(json.dumps({"id": 8, "users": users}), "utf-8")
    for named, graded_as in ((member, member), (outsider, uploader)):
        upload = tmp_path / f"submission-{named}"
        upload.mkdir()
        answer_file(upload, "roofline-1", named, own_answers(roofline, named))
        results = tmp_path / f"results-{named}.json"
        code, text = run("gradescope", "--submission", str(upload), "--results", str(results),
                         "--seed", SEED, "--metadata", str(metadata))  # fmt: skip
        assert code == 0, text
        output = json.loads(results.read_text("utf-8"))["output"]
        expected = roofline.code(roofline.of_student(graded_as))
        assert f"Graded against your variant {expected}." in output, named
        assert ("it is graded as the uploader's" in output) == (graded_as == uploader)


def test_feedback_texts_hold_the_students_own_numbers(tmp_path: Path) -> None:
    """The explanation of a known mistake is written with the student's own givens, in a
    class run as in ``check`` (a class run once rendered its variants' texts from the sheet's
    own givens: "the 32 biases" for a student whose layer has 16 channels)."""
    variants = book("roofline-1")
    student = next(
        s
        for s in (f"b{i}" for i in range(500))
        if variants.of_student(s).givens["conv.channels"] != "32"
    )
    givens = variants.of_student(student).givens
    channels, kernel = int(givens["conv.channels"]), int(givens["conv.kernel"])
    folder = tmp_path / "class"
    folder.mkdir()
    with_bias = channels * kernel * kernel + channels  # the weights and one bias per channel
    path = answer_file(folder, "roofline-1", student, {"q1": {"a": str(with_bias)}})
    code, output = run("grade", str(folder), "--out", str(tmp_path / "out"), "--seed", SEED)
    assert code == 0, output
    result = json.loads((tmp_path / "out" / "results" / f"{student}.json").read_text("utf-8"))
    (part,) = [p for p in result["parts"] if p["id"] == "q1.a"]
    assert part["mistake"] == "bias_counted"
    assert f"with the {channels} biases counted" in part["feedback"], part["feedback"]
    code, output = run("check", str(path), "--seed", SEED, "--json")
    (alone,) = [p for p in json.loads(output)["parts"] if p["id"] == "q1.a"]
    assert alone["feedback"] == part["hint"]  # what the student sees, alone and in the class


def test_the_review_page_shows_no_other_variants_numbers_as_a_parts_rubric(
    tmp_path: Path,
) -> None:
    """A rubric written over the givens (the PIM roofline's roof) differs per variant: in a
    class of variants the review page does not head a part with the sheet's own numbers (a
    TA would check a student's sketch against another roof); each item's note holds the
    student's own rubric."""
    variants = book("roofline-1")
    student = next(
        s
        for s in (f"p{i}" for i in range(500))
        if variants.of_student(s).givens["pim.peak"] != "20 TFLOP/s"  # the sheet's own
    )
    own_peak = variants.of_student(student).givens["pim.peak"]
    folder = tmp_path / "class"
    folder.mkdir()
    sketch = Path(__file__).resolve().parent.parent / "sheets/roofline_1/samples/q4-sketch.png"
    (folder / "q4-sketch.png").write_bytes(sketch.read_bytes())
    answer_file(folder, "roofline-1", student, {"q4": {"b": {"image": "q4-sketch.png"}}})
    code, output = run("grade", str(folder), "--out", str(tmp_path / "out"), "--seed", SEED)
    assert code == 0, output
    page = (tmp_path / "out" / "review.html").read_text("utf-8")
    assert f"meeting the roof ({own_peak})" in page  # the student's own, in the item's note
    assert "meeting the roof (20 TFLOP/s)" not in page
