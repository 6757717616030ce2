"""Decision files a TA passes with ``--overrides`` that no reader should choke on, through the
console script: each ends as one message with the file (and line where there is one), exit 2,
nothing graded or written, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cli_runs import SAMPLES, grader


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        # Nested deeper than the YAML composer's recursion reaches.
        ("deep.yaml", "[" * 5000, "deep.yaml: not valid YAML (nested too deeply)"),
        ("deep-map.yaml", "{a: " * 5000, "deep-map.yaml: not valid YAML (nested too deeply)"),
    ],
    ids=["lists", "mappings"],
)
def test_a_decision_file_nested_too_deeply_is_one_message(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass)
    decisions = tmp_path / name
    decisions.write_text(text, "utf-8")
    out = tmp_path / "report"
    code, output = grader("grade", str(klass), "--out", str(out), "--overrides", str(decisions))
    assert code == 2, output
    assert "Traceback" not in output and message in output, output
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        # A TA changed their mind in the file and left both values: which one stands is not
        # for the reader to guess (the last one was taken without a word).
        (
            "twice.yaml",
            "- {student: s1000001, part: q3.b, points: 1, points: 0}\n",
            "twice.yaml line 1: points given twice",
        ),
        (
            "twice-block.yaml",
            "- student: s1000001\n  part: q3.b\n  comment: fine\n  comment: not fine\n"
            "  points: 1\n",
            "twice-block.yaml line 1: comment given twice",
        ),
        (
            "twice-part.yaml",
            "s1000001:\n  q3.b: {points: 1, credit: 0.5, points: 0}\n",
            "twice-part.yaml line 2: points given twice",
        ),
        # Two columns of one meaning that disagree (a comment column added next to ours).
        (
            "columns.csv",
            "student,part,points,comment,comments\ns1000001,q3.b,1,fine,not fine\n",
            "columns.csv line 2: two comment columns hold different values",
        ),
        (
            "ids.csv",
            "id,student,part,points\ns1000001,s1000002,q3.b,1\n",
            "ids.csv line 2: two student columns hold different values",
        ),
    ],
    ids=["flow mapping", "block mapping", "nested", "csv columns", "csv ids"],
)
def test_a_decision_that_says_one_thing_twice_is_refused(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass)
    decisions = tmp_path / name
    decisions.write_text(text, "utf-8")
    out = tmp_path / "report"
    code, output = grader("grade", str(klass), "--out", str(out), "--overrides", str(decisions))
    assert code == 2, output
    assert "Traceback" not in output and message in output, output
    assert not out.exists()


def test_columns_of_one_meaning_that_agree_are_one_decision(tmp_path: Path) -> None:
    klass = tmp_path / "class"
    shutil.copytree(SAMPLES, klass)
    decisions = tmp_path / "agree.csv"
    decisions.write_text("id,student,part,points,comment\ns1000001,s1000001,q3.b,0,,\n", "utf-8")
    out = tmp_path / "report"
    code, output = grader("grade", str(klass), "--out", str(out), "--overrides", str(decisions))
    assert code == 0, output
    ledger = (out / "decisions.csv").read_text("utf-8-sig").splitlines()
    assert len(ledger) == 2 and ledger[1].startswith("s1000001,q3.b,0,")
