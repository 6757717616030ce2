"""One sketch for two students: answer files in one folder that name the same image file
(the template's ``q3-sketch.png``, each student's copy overwriting the last when a class is
gathered into one folder), or byte-identical images, showed the TA the same picture as each
student's own, without a word. Through the console script."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from cli_runs import SAMPLES, grader

HEAD = "assignment: roofline-1\nstudent: {id: %s}\nanswers:\n"


def rows(path: Path) -> dict[str, dict[str, str]]:
    text = path.read_text("utf-8-sig")
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}


def test_a_sketch_two_students_hand_in_is_flagged_for_both(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    (klass / "carol").mkdir(parents=True)
    shutil.copy(SAMPLES / "q3-sketch.png", klass / "q3-sketch.png")
    shutil.copy(SAMPLES / "q3-sketch.png", klass / "carol" / "mine.png")  # a copy, renamed
    shutil.copy(SAMPLES / "q4-sketch.png", klass / "q4-sketch.png")
    for student in ("s7000001", "s7000002"):
        (klass / f"{student}.yaml").write_text(
            HEAD % student + "  q3: {b: {image: q3-sketch.png}}\n", "utf-8"
        )
    (klass / "carol" / "s7000003.yaml").write_text(
        HEAD % "s7000003" + "  q3: {b: {image: mine.png}}\n", "utf-8"
    )
    # One student's one image for two parts (both rooflines on one plot) is theirs alone.
    (klass / "s7000004.yaml").write_text(
        HEAD % "s7000004" + "  q3: {b: q4-sketch.png}\n  q4: {b: q4-sketch.png}\n", "utf-8"
    )
    out = tmp_path / "out"
    code, output = grader("grade", str(klass), "--out", str(out))
    assert code == 0, output
    table = rows(out / "gradebook.csv")
    for student, others in (
        ("s7000001", ("s7000002.yaml", "carol/s7000003.yaml")),
        ("s7000002", ("s7000001.yaml", "carol/s7000003.yaml")),
        ("s7000003", ("s7000001.yaml", "s7000002.yaml")),
    ):
        flags = table[student]["flags"]
        assert "q3.b" in flags and "same image" in flags, flags
        assert all(other in flags for other in others), flags
    assert table["s7000004"]["flags"] == ""
    assert "flagged for a TA" in output
    # Flags are for staff: a student's report never shows them.
    assert "same image" not in (out / "feedback" / "s7000001.html").read_text("utf-8")
