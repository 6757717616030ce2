"""Sketches in an LMS download: the LMS renames every file of an upload with the uploader's
prefix (Canvas: ``lovelaceada_4711_99123_q3-sketch.png``; Moodle without folders:
``Ada Lovelace_12345_assignsubmission_file_q3-sketch.png``), while the answer file still
names ``q3-sketch.png``, the name the student gave it. Through the console script."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from cli_runs import SAMPLES, grader


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param("lovelaceada_4711_99123_", id="Canvas"),
        pytest.param("lovelaceada_LATE_4711_99123_", id="Canvas, late"),
        pytest.param("Ada Lovelace_12345_assignsubmission_file_", id="Moodle without folders"),
    ],
)
def test_the_lms_copy_of_a_named_sketch_is_the_sketch(tmp_path: Path, prefix: str) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    shutil.copy(SAMPLES / "perfect.yaml", klass / f"{prefix}answers.yaml")
    # Canvas numbers each file of an upload on its own: the sketch's number may differ.
    image_prefix = prefix.replace("99123", "99124")
    for sketch in ("q3-sketch.png", "q4-sketch.png"):
        shutil.copy(SAMPLES / sketch, klass / f"{image_prefix}{sketch}")
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out))
    assert code == 0, output
    assert "not graded" not in output  # the sketches are part of the graded answer
    result = json.loads((out / "results" / "s1000001.json").read_text("utf-8"))
    parts = {p["id"]: p for p in result["parts"]}
    for part_id, sketch in (("q3.b", "q3-sketch.png"), ("q4.b", "q4-sketch.png")):
        assert parts[part_id]["status"] == "needs_review", parts[part_id]
        copy = out / parts[part_id]["attachment"]
        assert copy.read_bytes() == (SAMPLES / sketch).read_bytes()


def test_another_uploaders_copy_is_never_taken(tmp_path: Path) -> None:
    # Alice names q3-sketch.png but uploaded none; Bob's upload has one. Alice's part stays
    # not found (a TA looks at it); Bob's sketch is Bob's.
    klass = tmp_path / "class"
    klass.mkdir()
    head = (
        "assignment: roofline-1\nstudent: {id: %s}\nanswers:\n  q3: {b: {image: q3-sketch.png}}\n"
    )
    (klass / "smithalice_123_456_answers.yaml").write_text(head % "s0000123", "utf-8")
    (klass / "jonesbob_777_457_answers.yaml").write_text(head % "s0000777", "utf-8")
    shutil.copy(SAMPLES / "q3-sketch.png", klass / "jonesbob_777_458_q3-sketch.png")
    # A name that only ends like Bob's prefix is no copy of Alice's either.
    shutil.copy(SAMPLES / "q3-sketch.png", klass / "smithalice_123_x_q3-sketch.png")
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out))
    assert code == 0, output
    table = {r["student"]: r for r in rows(out / "review.csv")}
    assert "not found next to the answer file" in table["s0000123"]["suggestion (staff only)"]
    bob = json.loads((out / "results" / "s0000777.json").read_text("utf-8"))
    (part,) = [p for p in bob["parts"] if p["id"] == "q3.b"]
    assert part["status"] == "needs_review" and part["attachment"]
    assert "smithalice_123_x_q3-sketch.png" in output
    assert "jonesbob_777_458_q3-sketch.png" not in output
