"""Variants through the console script, as a TA and a student use them: ``template
--student``, ``variants --roster``, and ``check`` / ``validate`` of files carrying a code."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
import yaml
from cli_runs import grader

from grader.sheets.library import course_seed, load_assignment
from grader.sheets.solving import resolve_givens, solve_assignment
from grader.sheets.variant_codes import variant_code
from grader.sheets.variants import Variant, variant_overrides, variant_pool

SEED = "cli-tests"


def documented_index(sheet: str, student: str, pool: int) -> int:
    key = f"{SEED}\n{sheet}\n{student.strip().lower()}"
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % pool


def variant_of(sheet: str, student: str) -> tuple[Variant, str]:
    pool = variant_pool(load_assignment(sheet))
    index = documented_index(sheet, student, len(pool))
    return pool[index], variant_code(index, len(pool))


def perfect_answers(sheet: str, variant: Variant) -> dict[str, object]:
    model = load_assignment(sheet)
    answers = solve_assignment(model, resolve_givens(model, variant_overrides(variant))).answers
    return {
        part.id: repr(answers[part.id]) if isinstance(answers[part.id], float) else answers[part.id]
        for part in model.parts
        if not part.needs_review and answers.get(part.id) is not None
    }


def answer_file(folder: Path, student: str, answers: dict[str, object], code: str | None) -> Path:
    document: dict[str, object] = {"assignment": "roofline-1", "student": {"id": student}}
    if code is not None:
        document["variant"] = code
    document["answers"] = answers
    path = folder / f"{student}.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


def test_template_for_a_student_carries_their_code_and_numbers() -> None:
    # a student whose variant's symbols differ from the sheet's own (L = 64, d = 128, C = 32)
    student = next(
        s
        for s in (f"s{n}" for n in range(1000, 1100))
        if variant_of("roofline-1", s)[0].givens["attention.seq_len"] != "64"
        and variant_of("roofline-1", s)[0].givens["attention.d_model"] != "128"
        and variant_of("roofline-1", s)[0].givens["conv.channels"] != "32"
    )
    variant, code = variant_of("roofline-1", student)
    status, output = grader("template", "-a", "roofline-1", "--student", student, "--seed", SEED)
    assert status == 0, output
    loaded = yaml.safe_load(output)
    assert loaded["variant"] == code
    assert loaded["student"]["id"] == student
    header = output.replace("\u00a0", " ")
    for symbol, name in (
        ("L", "attention.seq_len"),
        ("d", "attention.d_model"),
        ("C", "conv.channels"),
    ):
        assert f"{symbol} = {name} ({variant.givens[name]})" in header


def test_template_refuses_a_bad_id_and_variants_without_a_seed() -> None:
    status, output = grader("template", "--student", "../x", "--seed", SEED)
    assert status == 2 and "not a student id" in output and "Traceback" not in output
    if course_seed() is not None:
        pytest.skip("the course file sets a seed")
    status, output = grader("template", "-a", "llm-inference-1", "--student", "s1")
    assert status == 2 and "no course seed" in output and "Traceback" not in output


def test_variants_lists_every_roster_student(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    students = ["s1000001", "S1000002", "ada.l", "x-9"]
    roster.write_text(
        "id,name\n" + "".join(f"{s},Name {n}\n" for n, s in enumerate(students)), "utf-8"
    )
    out = tmp_path / "variants.csv"
    status, output = grader(
        "variants", "llm-inference-1", "--roster", str(roster), "--seed", SEED, "-o", str(out)
    )
    assert status == 0, output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    varied = ["model.n_layers", "layer.n_heads", "inference.context", "inference.batch"]
    assert rows[0] == ["id", "name", "variant", *varied]
    assert [row[0] for row in rows[1:]] == students
    for row in rows[1:]:
        variant, code = variant_of("llm-inference-1", row[0])
        assert row[2] == code
        assert row[3:] == [variant.givens[name] for name in varied]
    # printed when no -o; units as the sheet writes them
    status, printed = grader("variants", "--roster", str(roster), "--seed", SEED)
    assert status == 0
    assert any(" GB/s" in line for line in printed.splitlines()[1:])


def test_variants_of_a_sheet_without_variants_is_a_usage_error(tmp_path: Path) -> None:
    sheet = tmp_path / "plain"
    sheet.mkdir()
    (sheet / "sheet.yaml").write_text(
        "id: plain\ntitle: Plain\ngivens:\n  a: {value: '2', symbol: A}\nparts:\n"
        "  - {id: q1.a, title: A, kind: count, points: 1, formula: '2*A'}\n",
        "utf-8",
    )
    roster = tmp_path / "roster.csv"
    roster.write_text("id\ns1\n", "utf-8")
    status, output = grader("variants", str(sheet), "--roster", str(roster), "--seed", SEED)
    assert status == 2 and "declares no variants" in output and "Traceback" not in output


def test_check_grades_against_the_students_own_variant(tmp_path: Path) -> None:
    variant, code = variant_of("roofline-1", "s1000001")
    path = answer_file(tmp_path, "s1000001", perfect_answers("roofline-1", variant), code)
    status, output = grader("check", str(path), "--seed", SEED, "--json")
    assert status == 0, output
    parts = json.loads(output)["parts"]
    graded = [p for p in parts if p["status"] not in ("missing", "needs_review")]
    assert graded and all(p["status"] == "correct" for p in graded), [
        p["id"] for p in graded if p["status"] != "correct"
    ]
    status, output = grader("check", str(path), "--seed", SEED)
    assert output.startswith(f"Variant {code}: ")
    assert "Note for the TA" not in output


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("s1000003.yaml", ""),  # no assignment line: the course's first sheet
        ("s1000003.yaml", "assignment:\n"),  # left empty, as a student clears it
        ("s1000003.yaml", "assignment: '   '\n"),
        ("s1000003.json", '"assignment": null, '),
        ("s1000003.yaml", "assignment: ~\n"),  # YAML's null, in its spellings
        ("s1000003.yaml", "assignment: Null\n"),
    ],
)
def test_a_file_naming_no_sheet_is_graded_against_its_students_variant(
    tmp_path: Path, name: str, head: str
) -> None:
    """An empty or null ``assignment:`` names no sheet, like a file without the line: the
    file is graded against the course's first sheet, in the student's own variant (not
    against the sheet's own givens, which would mark the student's right numbers wrong)."""
    variant, code = variant_of("roofline-1", "s1000003")
    answers = perfect_answers("roofline-1", variant)
    path = tmp_path / name
    if name.endswith(".json"):
        body = json.dumps({"student": {"id": "s1000003"}, "answers": answers})
        path.write_text("{" + head + body[1:], "utf-8")
    else:
        path.write_text(
            head + yaml.safe_dump({"student": {"id": "s1000003"}, "answers": answers}), "utf-8"
        )
    status, output = grader("check", str(path), "--seed", SEED, "--json")
    assert status == 0, output
    result = json.loads(output)
    assert result["assignment"] == "roofline-1"
    graded = [p for p in result["parts"] if p["status"] not in ("missing", "needs_review")]
    assert graded and all(p["status"] == "correct" for p in graded), [
        p["id"] for p in graded if p["status"] != "correct"
    ]
    status, output = grader("check", str(path), "--seed", SEED)
    assert output.startswith(f"Variant {code}: "), output[:200]


def test_check_of_a_copied_file_grades_its_own_student_and_notes_the_code(
    tmp_path: Path,
) -> None:
    mine, my_code = variant_of("roofline-1", "s1000001")
    # s1000001 hands in answers (and the code) of another variant: a copy
    other = next(v for v in variant_pool(load_assignment("roofline-1")).variants if v != mine)
    other_code = variant_code(other.index, len(variant_pool(load_assignment("roofline-1"))))
    path = answer_file(tmp_path, "s1000001", perfect_answers("roofline-1", other), other_code)
    status, output = grader("check", str(path), "--seed", SEED)
    assert status == 0, output
    assert output.startswith(f"Variant {my_code}: ")
    assert "Note for the TA" in output and other_code in output
    status, output = grader("check", str(path), "--seed", SEED, "--json")
    assert json.loads(output)["score"] < json.loads(output)["max_score"] / 2


def test_check_and_validate_of_a_mistyped_code(tmp_path: Path) -> None:
    variant, code = variant_of("roofline-1", "s1000002")
    typo = code[:-1] + ("A" if code[-1] != "A" else "B")
    path = answer_file(tmp_path, "s1000002", perfect_answers("roofline-1", variant), typo)
    status, output = grader("check", str(path), "--seed", SEED)
    assert status == 0
    assert "mistyped" in output and f"graded against student s1000002's variant {code}" in output
    status, output = grader("validate", str(path), "--seed", SEED)
    assert status == 0, output
    assert "unknown key" not in output


def test_without_a_seed_check_grades_the_sheets_own_givens() -> None:
    if course_seed() is not None:
        pytest.skip("the course file sets a seed")
    sample = Path(__file__).resolve().parent.parent / "sheets/roofline_1/samples/perfect.yaml"
    status, output = grader("check", str(sample), "--json")
    assert status == 0
    result = json.loads(output)
    automatic = [p for p in result["parts"] if p["status"] not in ("needs_review", "missing")]
    assert all(p["status"] == "correct" for p in automatic)


def test_a_file_carrying_a_code_graded_without_a_seed_says_so(tmp_path: Path) -> None:
    """A student or TA who forgets --seed (or passes an empty one) grades files that carry a
    variant code against the sheet's own givens: their own numbers come out wrong. Each
    such result says why, ``check`` prints it, and a class run warns once."""
    if course_seed() is not None:
        pytest.skip("the course file sets a seed")
    variant, code = variant_of("roofline-1", "s1000004")
    klass = tmp_path / "class"
    klass.mkdir()
    path = answer_file(klass, "s1000004", perfect_answers("roofline-1", variant), code)
    answer_file(klass, "s1000005", {"q1": {"a": "288"}}, None)  # no code: nothing to say
    for seed in ([], ["--seed", ""]):
        status, output = grader("check", str(path), *seed)
        assert status == 0, output
        assert f"the file carries {code}, but no course seed is set" in output, output[:300]
        assert "--seed" in output
    status, output = grader("grade", str(klass), "--out", str(tmp_path / "out"))
    assert status == 0, output
    assert "1 file(s) carry a variant code, but no course seed is set" in output, output
    flags = {
        row["id"]: row["flags"]
        for row in csv.DictReader(
            io.StringIO((tmp_path / "out" / "gradebook.csv").read_text("utf-8-sig"))
        )
    }
    assert f"the file carries {code}, but no course seed is set" in flags["s1000004"]
    assert flags["s1000005"] == ""
