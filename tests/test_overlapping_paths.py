"""A TA who names a class folder twice, or a folder and a file in it, through the console
script: each answer file is still one student's one row (it would otherwise claim its own id
twice, and the whole class would be held as duplicates of itself)."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pytest
from cli_runs import SAMPLES, grader


def gradebook(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text("utf-8-sig"))))


@pytest.mark.parametrize(
    "given",
    [
        ["class", "class"],
        ["class", "./class"],
        ["class", "class/perfect.yaml"],
        ["class/perfect.yaml", "class"],
        ["class", "alias"],  # a link to the class folder
        ["class", "class/sub"],
    ],
    ids=["twice", "dot", "folder-then-file", "file-then-folder", "alias", "subfolder"],
)
def test_a_file_reached_twice_gets_one_row(tmp_path: Path, given: list[str]) -> None:
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass)
    (klass / "sub").mkdir()
    (klass / "sub" / "late.yaml").write_text(
        "assignment: roofline-1\nstudent: {id: s77}\nanswers: {q1: {a: 288}}\n", "utf-8"
    )
    (tmp_path / "alias").symlink_to("class")
    once = tmp_path / "once"
    assert grader("grade", "class", "--out", str(once), cwd=tmp_path)[0] == 0
    expected = sorted((row["id"], row["status"], row["score"]) for row in gradebook(once))
    out = tmp_path / "report"
    code, text = grader("grade", *given, "--out", str(out), cwd=tmp_path)
    assert code == 0, text
    rows = gradebook(out)
    assert sorted((row["id"], row["status"], row["score"]) for row in rows) == expected
    assert len(expected) == len(
        [p for p in klass.rglob("*") if p.suffix in (".yaml", ".json") and os.path.isfile(p)]
    )
