"""The Moodle worksheet's ``Last modified (grade)``, through the console script: Moodle keeps a
grade changed in Moodle after that time, so a time in the future (a student's zip can set any
modification time) must not stand there, or the next import would overwrite a TA's later
change in Moodle."""

from __future__ import annotations

import csv
import datetime
import io
import os
from pathlib import Path

from cli_runs import SAMPLES, grader


def test_a_file_time_in_the_future_is_not_the_grades_last_change(tmp_path: Path) -> None:
    moodle = tmp_path / "moodle"
    for folder, student in (("Ada Lovelace_101", "s1000001"), ("Eve Later_102", "s1000002")):
        (moodle / f"{folder}_assignsubmission_file_").mkdir(parents=True)
        answers = (SAMPLES / "perfect.yaml").read_text("utf-8").replace("s1000001", student)
        (moodle / f"{folder}_assignsubmission_file_" / "answers.yaml").write_text(answers)
    honest = datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC).timestamp()
    future = datetime.datetime(2300, 1, 1, tzinfo=datetime.UTC).timestamp()
    os.utime(moodle / "Ada Lovelace_101_assignsubmission_file_" / "answers.yaml", (honest,) * 2)
    os.utime(moodle / "Eve Later_102_assignsubmission_file_" / "answers.yaml", (future,) * 2)
    roster = tmp_path / "worksheet.csv"
    roster.write_text(
        "Identifier,Full name,Email address,ID number\n"
        "Participant 101,Ada Lovelace,ada@x,s1000001\n"
        "Participant 102,Eve Later,eve@x,s1000002\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, text = grader("grade", str(moodle), "--out", str(out), "--roster", str(roster))
    assert code == 0, text
    sheet = (out / "moodle-grades.csv").read_text("utf-8-sig")
    times = {
        r["Identifier"]: r["Last modified (grade)"] for r in csv.DictReader(io.StringIO(sheet))
    }
    assert times == {"Participant 101": "2026-11-30 09:15:00 UTC", "Participant 102": ""}
