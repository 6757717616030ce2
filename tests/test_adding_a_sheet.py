"""docs/adding-a-sheet.md is enough to add a sheet: its example sheet, taken from the page as it
is written (the code blocks named `sheet.yaml`, `questions.md`, `samples/...`), passes the
self-test and grades its sample answers through the console script, in a temporary folder; and
the messages and table the page shows are the ones the grader prints."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from cli_runs import grader

DOC = Path(__file__).resolve().parent.parent / "docs" / "adding-a-sheet.md"


def code_blocks() -> list[tuple[str, str]]:
    """The page's fenced code blocks, in order: (info string, text)."""
    blocks: list[tuple[str, str]] = []
    info: str | None = None
    lines: list[str] = []
    for line in DOC.read_text("utf-8").splitlines(keepends=True):
        if line.startswith("```") and info is None:
            info, lines = line[3:].strip(), []
        elif line.rstrip() == "```" and info is not None:
            blocks.append((info, "".join(lines)))
            info = None
        elif info is not None:
            lines.append(line)
    return blocks


def doc_files() -> dict[str, str]:
    """The files the page spells out (blocks such as ```yaml sheet.yaml): name -> text."""
    return {info.split()[1]: text for info, text in code_blocks() if len(info.split()) == 2}


def doc_block_containing(text: str) -> str:
    """The page's block that contains ``text``."""
    return next(block for _info, block in code_blocks() if text in block)


@pytest.fixture()
def sheet(tmp_path: Path) -> Path:
    folder = tmp_path / "matvec_1"
    for name, text in doc_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_the_page_spells_out_a_whole_sheet() -> None:
    assert set(doc_files()) == {
        "sheet.yaml",
        "questions.md",
        "samples/perfect.yaml",
        "samples/macs-and-matrix-only.yaml",
    }


def test_the_example_sheet_passes_its_self_test_as_the_page_shows(sheet: Path) -> None:
    code, out = grader("selftest", "-a", str(sheet))
    assert code == 0, out
    shown = doc_block_containing("passed: all")
    assert shown.strip() in out


def test_the_example_sheet_grades_its_samples(sheet: Path, tmp_path: Path) -> None:
    samples = sheet / "samples"
    # By hand: half of q1.a's 2 points (MACs), three quarters of q1.b's 2 (the matrix only:
    # 2 MiB = 4 x 1024 x 512 bytes), q1.c's 1 point carried forward (0.25 = 524288 / 2 MiB).
    code, out = grader("check", "-a", str(sheet), str(samples / "macs-and-matrix-only.yaml"))
    assert code == 0, out
    assert "Score 3.5 / 5" in out
    macs = r"q1\.a\s+\d+\s+partial\s+1 / 2\s+You counted multiply-adds \(1,024 x 512\)"
    assert re.search(macs, out)
    assert re.search(r"q1\.b\s+\d+\s+partial\s+1\.5 / 2\s+Only the matrix; the two vectors", out)
    assert re.search(r"q1\.c\s+\d+\s+correct\s+1 / 1", out)
    out_dir = tmp_path / "out"
    code, out = grader("grade", "-a", str(sheet), "-o", str(out_dir), str(samples))
    assert code == 0, out
    rows = csv.DictReader(io.StringIO((out_dir / "gradebook.csv").read_text("utf-8-sig")))
    scores = {row["id"]: (row["score"], row["q1.a"], row["q1.b"], row["q1.c"]) for row in rows}
    assert scores == {"s0000001": ("5", "2", "2", "1"), "s0000002": ("3.5", "1", "1.5", "1")}
    result = json.loads((out_dir / "results" / "s0000002.json").read_text("utf-8"))
    mistakes = {part["id"]: part["mistake"] for part in result["parts"]}
    assert mistakes["q1.a"] == "macs_not_flops" and mistakes["q1.b"] == "matrix_only"


def test_the_load_errors_the_page_shows_are_the_graders(sheet: Path) -> None:
    # The page's mistakes: an unknown symbol, a placeholder naming nothing, a rule for no part.
    text = (sheet / "sheet.yaml").read_text("utf-8")
    text = text.replace("formula: 2*M*N\n", "formula: 2*M*P\n")
    text = text.replace("each element is {B} bytes", "each element is {bytes} bytes")
    text = text.replace("  q1.c: {formulas:", "  q1.d: {formulas:")
    (sheet / "sheet.yaml").write_text(text, encoding="utf-8")
    code, out = grader("check", "-a", str(sheet), str(sheet / "samples" / "perfect.yaml"))
    assert code == 2, out
    shown = doc_block_containing("names no given").strip()
    assert out.strip() == shown.replace("sheets/matvec_1/sheet.yaml", str(sheet / "sheet.yaml"))


def test_the_collision_the_page_describes_is_found(sheet: Path) -> None:
    text = (sheet / "sheet.yaml").read_text("utf-8")
    text = text.replace("    kind: count\n    unit: byte\n", "    kind: real\n    unit: byte\n")
    (sheet / "sheet.yaml").write_text(text, encoding="utf-8")
    code, out = grader("selftest", "-a", str(sheet))
    assert code == 1, out
    assert "the reference and matrix_only are both 2.1033e+06" in out
    assert "the reference and matrix_only are both 2.1033e+06" in DOC.read_text()
