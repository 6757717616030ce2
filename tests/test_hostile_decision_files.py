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
