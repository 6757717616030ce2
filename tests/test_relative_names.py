"""A file's name relative to the folder given on the command line (what the submission
channel is read from and what messages show): the shortcut for a name plainly below its folder
gives exactly what ``os.path.relpath`` gives, for any spelling of either path."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from grader.input.student_files import Boundary
from grader.run.batch import StudentFiles

_PIECE = st.sampled_from(["a", "b", "s1.yaml", ".", "..", "", ".hidden", "x y"])
_PATH = st.tuples(st.booleans(), st.lists(_PIECE, max_size=4)).map(
    lambda found: ("/" if found[0] else "") + "/".join(found[1])
)


@given(folder=_PATH, below=_PATH)
def test_relative_is_relpath(folder: str, below: str) -> None:
    folder = folder or "."
    text = f"{folder}/{below}" if below else folder
    files = StudentFiles(Path("out"), within=Boundary((folder,)))
    holder = files.within.folder_of(text) if files.within else ""
    assert files.relative(text) == os.path.relpath(text, holder)


def test_usual_names() -> None:
    files = StudentFiles(Path("out"), within=Boundary(("class", "/abs/class/")))
    assert files.relative("class/s1.yaml") == "s1.yaml"
    assert files.relative("class/moodle/Ada_1_assignsubmission_file_/a.yaml") == (
        "moodle/Ada_1_assignsubmission_file_/a.yaml"
    )
    assert files.relative("class/./s1.yaml") == "s1.yaml"
    assert files.relative("/abs/class/s2.json") == "s2.json"
    assert files.relative("/abs/class/sub/../s2.json") == "s2.json"
    assert files.relative("class/../s3.yaml") == "../s3.yaml"  # below by its text only
    assert StudentFiles(Path("out")).relative("loose.yaml") == "loose.yaml"
