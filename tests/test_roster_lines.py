"""Roster problems name the line a row starts on, through the console script: a name a
spreadsheet saved over two lines (a line break in the cell) must not move a message to the
next row's line."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_runs import SAMPLES, grader


def test_roster_problems_name_the_line_each_row_starts_on(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "id,name\n"  # line 1
        's1000001,"Ada\nLovelace"\n'  # lines 2-3
        's 1,"Grace\nHopper"\n'  # lines 4-5: not an id
        "s1000002,Alan Turing\n"  # line 6
        "S1000001,Ada again\n",  # line 7: Ada's id once more
        "utf-8",
    )
    code, text = grader(
        "grade", str(klass), "--out", str(tmp_path / "out"), "--roster", str(roster)
    )
    assert code == 2, text
    assert "line 4: 's 1' is not a usable student id" in text, text
    assert "line 7: S1000001 is also on line 2" in text, text


def test_two_students_with_one_lms_id_are_a_roster_problem(tmp_path: Path) -> None:
    """Canvas's user id decides whose row a downloaded file fills: with two roster rows of one
    id (a typo in a merged roster), the first would take the other's files."""
    klass = tmp_path / "class"
    klass.mkdir()
    answers = (SAMPLES / "perfect.yaml").read_text("utf-8")
    (klass / "lovelaceada_12345_67890_answers.yaml").write_text(answers, "utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section\n"
        '"Hopper, Grace",12345,s1000002,,A\n'
        '"Lovelace, Ada",12345,s1000001,,A\n',
        "utf-8",
    )
    out = tmp_path / "out"
    code, text = grader("grade", str(klass), "--out", str(out), "--roster", str(roster))
    assert code == 2, text
    assert "line 3: LMS id 12345 of s1000001 is also on line 2" in text, text
    assert not out.exists()
