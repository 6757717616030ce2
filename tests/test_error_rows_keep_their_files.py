"""Every gradebook row has its student's files, also when files that could not be graded share
a name: through the console script, at one and at two grading processes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_runs import grader


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_two_unreadable_files_of_one_name_each_keep_their_report(tmp_path: Path, jobs: str) -> None:
    klass = tmp_path / "class"
    (klass / "late").mkdir(parents=True)
    (klass / "zero.yaml").write_text("", "utf-8")  # empty: no id, its name stands in
    (klass / "zero.json").write_text('{"assignment": "roofline-1", "answ', "utf-8")
    (klass / "late" / "zero.yaml").write_text("answers: [\n", "utf-8")
    out = tmp_path / "report"
    code, text = grader("grade", str(klass), "--out", str(out), "--jobs", jobs)
    assert code == 1, text
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text("utf-8-sig"))))
    assert sorted(row["file"].rsplit("class/", 1)[1] for row in rows) == [
        "late/zero.yaml",
        "zero.json",
        "zero.yaml",
    ]
    assert len({row["id"] for row in rows}) == 3
    for row in rows:
        assert row["status"] == "ERROR" and row["error"], row
        for written in (f"results/{row['id']}.json", f"feedback/{row['id']}.html"):
            assert (out / written).is_file(), f"{row['file']}: no {written}"
        result = json.loads((out / "results" / f"{row['id']}.json").read_text("utf-8"))
        assert result["file"] == row["file"]  # each file's own result, not another's
    reports = sorted(p.name for p in (out / "feedback").iterdir())
    assert reports == sorted(f"{row['id']}{suffix}" for row in rows for suffix in (".html", ".md"))
