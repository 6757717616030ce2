"""`grader sheets`, `grader sheet`, `grader givens` and `grader selftest`, run as users run them
(the console script in a subprocess), on the bundled sheets and on sheets written here in a
temporary folder (given with -a PATH, as a course author's own sheet is)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from cli_runs import grader

from grader.run.selftest import selftest
from grader.sheets.library import load_assignment

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "sheets"

# A small sheet without a solver or plots: every value is a formula over its givens.
SHEET = """\
id: tiny-1
title: Tiny sheet
givens:
  grid.rows: {value: "12", symbol: R}
  grid.cols: {value: "10", symbol: S}
  link.bandwidth: {value: 50 GB/s, unit: byte/s}
parts:
  - id: q1.a
    title: Cells
    kind: count
    points: 1
    formula: R*S
    alternatives:
      - name: rows_only
        formula: R
        credit: 0.25
        feedback: "{R} is the rows alone; the grid has {R} x {S} cells."
  - id: q1.b
    title: Edges
    kind: count
    points: 1
    formula: R*(S-1) + S*(R-1)
"""
QUESTIONS = """\
# Tiny sheet

A grid of **{R} x {S}** cells behind a link of **{link.bandwidth}**; <b>bold</b> stays text.

1. (a) How many cells? (b) How many edges between neighbours?
"""


def write_sheet(folder: Path, sheet: str = SHEET, questions: str | None = QUESTIONS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sheet.yaml").write_text(sheet, encoding="utf-8")
    if questions is not None:
        (folder / "questions.md").write_text(questions, encoding="utf-8")
    return folder


# ------------------------------------------------------------------------------ grader sheets


def bundled_on_disk() -> dict[str, tuple[str, int]]:
    """id -> (folder, number of parts), read from the sheet files themselves."""
    found = {}
    for path in sorted(BUNDLED.glob("*/sheet.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        found[data["id"]] = (path.parent.name, len(data["parts"]))
    return found


def test_sheets_json_lists_every_bundled_sheet_in_the_course_order() -> None:
    code, out = grader("sheets", "--json")
    assert code == 0, out
    listed = json.loads(out)
    course = yaml.safe_load((BUNDLED / "course.yaml").read_text("utf-8"))["sheets"]
    on_disk = bundled_on_disk()
    assert [entry["id"] for entry in listed][: len(course)] == course
    assert {entry["id"]: (entry["folder"], entry["parts"]) for entry in listed} == on_disk
    assert [entry["id"] for entry in listed if entry["default"]] == [course[0]]
    assert all(entry["problem"] is None for entry in listed)


def test_sheets_table_names_each_sheet_its_folder_and_the_default() -> None:
    code, out = grader("sheets")
    assert code == 0, out
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for sheet_id, (folder, parts) in bundled_on_disk().items():
        assert folder in rows[sheet_id] and f" {parts} " in rows[sheet_id]
    first = yaml.safe_load((BUNDLED / "course.yaml").read_text("utf-8"))["sheets"][0]
    assert rows[first].rstrip().endswith("default")
    assert sum(line.rstrip().endswith("default") for line in rows.values()) == 1


# ------------------------------------------------------------------------------- grader sheet


def test_sheet_markdown_fills_in_the_givens_and_lists_them(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    code, out = grader("sheet", str(folder))
    assert code == 0, out
    assert "A grid of **12 x 10** cells behind a link of **50 GB/s**" in out
    assert "{" not in out
    table = [line for line in out.splitlines() if line.startswith("| `")]
    assert table == [
        "| `grid.rows` | R | 12 |  |",
        "| `grid.cols` | S | 10 |  |",
        "| `link.bandwidth` |  | 50 | GB/s |",
    ]


def test_sheet_of_a_bundled_sheet_leaves_no_placeholder() -> None:
    for sheet_id in bundled_on_disk():
        code, out = grader("sheet", sheet_id)
        assert code == 0, out
        assert not re.search(r"\{[^{}\n]*\}", out), sheet_id
    code, out = grader("sheet", "roofline-1")
    assert "**C = 32** channels" in out and "**800 GB/s**" in out


def test_sheet_html_is_a_standalone_page_with_raw_html_shown_as_text(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    page = tmp_path / "out" / "q.html"
    page.parent.mkdir()
    code, out = grader("sheet", "-a", str(folder), "--format", "html", "-o", str(page))
    assert code == 0, out
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<h1>Tiny sheet</h1>" in html and html.count("<h1") == 1
    assert "<strong>12 x 10</strong>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>" not in html
    assert '<th scope="row"><code>link.bandwidth</code></th>' in html
    assert not re.search(r"<(script|link|img)\b", html)  # nothing fetched, nothing run


def test_sheet_whose_questions_name_a_part_is_refused(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "leaky", questions="The answer is {q1.a}.\n")
    code, out = grader("sheet", str(folder))
    assert code == 2
    assert "questions.md" in out and "q1.a" in out and "Traceback" not in out


def test_sheet_names_the_problem_with_an_unknown_sheet_or_two_sheets() -> None:
    code, out = grader("sheet", "no-such-sheet")
    assert code == 2 and "unknown sheet 'no-such-sheet'" in out
    code, out = grader("sheet", "roofline-1", "-a", "llm-inference-1")
    assert code == 2 and "two sheets" in out


# ------------------------------------------------------------------------------ grader givens


def test_givens_lists_each_given_with_symbol_value_and_unit(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "tiny")
    code, out = grader("givens", "-a", str(folder), "--json")
    assert code == 0, out
    listed = json.loads(out)
    assert [(g["name"], g["symbol"], g["value"], g["unit"]) for g in listed["givens"]] == [
        ("grid.rows", "R", "12", None),
        ("grid.cols", "S", "10", None),
        ("link.bandwidth", None, "50 GB/s", "byte/s"),
    ]
    code, out = grader("givens", "-a", str(folder))
    assert code == 0 and re.search(r"link\.bandwidth\s+50 GB/s\s+byte/s", out)


def test_a_sheet_without_a_solver_lists_no_conventions(tmp_path: Path) -> None:
    # Its values are formulas over the givens: a counting convention changes none of them, so
    # listing the solver's conventions (softmax_model...) told its author they applied.
    folder = write_sheet(tmp_path / "tiny")
    code, out = grader("givens", "-a", str(folder), "--json")
    assert code == 0 and json.loads(out)["conventions"] == []
    code, out = grader("givens", "-a", str(folder))
    assert code == 0 and "softmax_model" not in out
    assert "Conventions: none (the sheet has no solver" in out
    code, out = grader("solve", "-a", str(folder), "--convention", "flops_per_mac=1")
    assert code == 2 and "has no solver" in out and "--convention" in out
    # a sheet with a solver lists them, and takes them
    code, out = grader("givens", "-a", "roofline-1", "--json")
    flops = next(c for c in json.loads(out)["conventions"] if c["name"] == "flops_per_mac")
    assert flops["default"] == "2" and flops["choices"] == ["1", "2"]
    code, out = grader("solve", "-a", "roofline-1", "--convention", "flops_per_mac=1")
    assert code == 0, out


@pytest.mark.parametrize(
    ("old", "new", "shown"),
    [
        pytest.param(
            "    points: 1\n    formula: R*(S-1)",
            "    points: one\n    formula: R*(S-1)",
            "sheet.yaml:21: parts[1] (q1.b): points: Input should be a valid number",
            id="a field's type",
        ),
        pytest.param(
            "    formula: R*S\n",
            "    formla: R*S\n",
            "sheet.yaml:12: parts[0] (q1.a): formla: Extra inputs are not permitted",
            id="a field's name",
        ),
        pytest.param(
            "symbol: R}\n",
            "symbol: R\n",
            "sheet.yaml:5: not valid YAML: did not find expected ',' or '}' (while parsing a"
            " flow mapping on line 4)",
            id="a YAML slip",
        ),
        pytest.param(
            'feedback: "{R} is the rows',
            'feedback: "{T} is the rows',
            "sheet.yaml:17: part q1.a: alternative rows_only: feedback: placeholder {T} names"
            " no given",
            id="a check's problem",
        ),
        pytest.param(
            "    formula: R*(S-1) + S*(R-1)\n",
            "    formula: R*(S-1) + S*(Q-1)\n",
            "sheet.yaml:22: part q1.b: formula 'R*(S-1) + S*(Q-1)': names 'Q'",
            id="a formula",
        ),
    ],
)
def test_a_problem_in_a_sheet_names_its_line(
    tmp_path: Path, old: str, new: str, shown: str
) -> None:
    assert SHEET.count(old) == 1
    folder = write_sheet(tmp_path / "tiny", SHEET.replace(old, new))
    code, out = grader("solve", "-a", str(folder))
    assert code == 2
    (line,) = out.strip().splitlines()
    assert line.startswith(f"grader: error: {folder}/") and shown in line, out


# ---------------------------------------------------------------------------- grader selftest


def test_selftest_of_the_bundled_sheets_passes() -> None:
    code, out = grader("selftest", seconds=180)
    assert code == 0, out
    for sheet_id in bundled_on_disk():
        assert f"Self-test of {sheet_id}" in out
    assert "FAIL" not in out


def test_selftest_of_a_good_sheet_checks_each_part(tmp_path: Path) -> None:
    code, out = grader("selftest", str(write_sheet(tmp_path / "tiny")))
    assert code == 0, out
    row = next(line for line in out.splitlines() if line.startswith("q1.a"))
    assert row.split() == ["q1.a", "ok", "ok", "ok", "ok", "-"]
    assert "passed: all" in out


def test_selftest_fails_on_colliding_alternatives(tmp_path: Path) -> None:
    # S*R is the reference's value, and R+0 the other alternative's: neither can be told apart.
    sheet = SHEET.replace(
        '        feedback: "{R} is the rows alone; the grid has {R} x {S} cells."\n',
        '        feedback: "{R} is the rows alone; the grid has {R} x {S} cells."\n'
        "      - name: rows_again\n        formula: R+0\n        credit: 0.5\n"
        "        feedback: Rows again.\n"
        "      - name: transposed\n        formula: S*R\n        credit: 0.5\n"
        "        feedback: Transposed.\n",
    )
    code, out = grader("selftest", "-a", str(write_sheet(tmp_path / "clash", sheet)))
    assert code == 1, out
    failures = out.split("FAILED:")[1]
    assert "q1.a: distinct:" in failures
    assert "the reference and transposed are both 120" in failures
    assert "rows_only and rows_again are both 12" in failures
    # Each is graded as the first alternative (or the reference) with its value, not itself.
    assert "alternative rows_again: its value 12 is taken as rows_only" in failures
    assert "alternative transposed: its value 120 is taken as no alternative (correct)" in failures
    assert "alternative rows_only" not in failures


def test_selftest_of_a_sheet_with_an_unknown_placeholder_is_a_sheet_error(tmp_path: Path) -> None:
    sheet = SHEET.replace("the grid has {R} x {S} cells", "the grid has {R} x {T} cells")
    code, out = grader("selftest", str(write_sheet(tmp_path / "typo", sheet)))
    assert code == 2, out
    assert "sheet.yaml" in out and "q1.a" in out and "{T}" in out
    assert "Traceback" not in out


def test_selftest_with_other_givens_finds_a_text_that_cannot_render(tmp_path: Path) -> None:
    # Fine for the sheet's own givens (S = 10), a division by zero for S = 1.
    sheet = SHEET.replace("the grid has {R} x {S} cells", "one row in {100/(S-1)} percent")
    folder = write_sheet(tmp_path / "fragile", sheet)
    code, out = grader("selftest", str(folder))
    assert code == 0, out
    code, out = grader("selftest", str(folder), "--set", "grid.cols=1")
    assert code == 1, out
    assert "q1.a: texts: alternative rows_only: feedback:" in out and "100/(S-1)" in out
    code, out = grader("selftest", str(folder), "--set", "grid.colz=1")
    assert code == 2 and "unknown given 'grid.colz'" in out


def test_selftest_library_takes_the_givens_to_check_with(tmp_path: Path) -> None:
    sheet = load_assignment(write_sheet(tmp_path / "tiny"))
    assert selftest(sheet).passed
    # With 1 column the rows alone are the cells: the alternative equals the reference.
    narrow = selftest(sheet, {"grid.cols": "1"})
    assert [(c.part, c.check) for c in narrow.failures] == [
        ("q1.a", "alternative rows_only"),
        ("q1.a", "distinct"),
    ]
    assert narrow.parts == ("q1.a", "q1.b")
    reference = {(c.part, c.check) for c in narrow.checks if c.ok}
    assert {("q1.a", "reference"), ("q1.b", "reference"), ("sheet", "questions")} <= reference


def test_selftest_of_an_unknown_sheet_is_a_usage_error() -> None:
    code, out = grader("selftest", "no-such-sheet")
    assert code == 2 and "unknown sheet" in out


def test_sheet_without_questions_or_with_an_unwritable_output_says_so(tmp_path: Path) -> None:
    folder = write_sheet(tmp_path / "bare", questions=None)
    code, out = grader("sheet", str(folder))
    assert code == 2 and "cannot read the questions" in out and "questions.md" in out
    folder = write_sheet(tmp_path / "tiny")
    target = tmp_path / "no-such-folder" / "q.md"
    code, out = grader("sheet", str(folder), "-o", str(target))
    assert code == 2 and f"cannot write {target}" in out and not target.exists()
