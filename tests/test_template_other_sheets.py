"""The answer template of sheets other than roofline-1 (``grader template -a SHEET``, run as a
user runs it): its notes and examples come from that sheet (its symbols, its vocabularies,
its parts' kinds and units, a part's own ``example``) and say nothing of roofline-1."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from cli_runs import grader

from grader.reports.template import notation_examples
from grader.sheets.assignment import Part
from grader.sheets.library import load_assignment

# Words of roofline-1 (its id, its its growth class in L, its symbols' expression, its
# devices and operations) that another sheet's template has no business showing.
ROOFLINE_WORDS = ("roofline-1", "roofline_1", "O(L^3)", "2*L*d", "PIM", "depthwise", "convolution")

PIPES = """\
id: pipes-1
title: Pipes
givens:
  pipe.stages: {value: "12", symbol: n}
  link.bandwidth: {value: 50 GB/s, unit: byte/s, symbol: B}
  message.size: {value: 4 MB, unit: byte, symbol: M}
parts:
  - id: q1.a
    title: Transfer time
    kind: real
    unit: s
    points: 1
    formula: M / B
  - id: q1.b
    title: Links between stages
    kind: count
    points: 1
    formula: n * (n - 1)
    example: "3 * 4"
"""


def header(template: str) -> str:
    """The template's leading comment block, as one line."""
    lines = []
    for line in template.splitlines()[1:]:
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(" ".join(lines).split())


def test_llm_inference_template_is_written_from_its_own_sheet() -> None:
    sheet = load_assignment("llm-inference-1")
    status, text = grader("template", "-a", "llm-inference-1")
    assert status == 0, text
    assert text.startswith("# yaml-language-server: $schema=llm-inference-1.schema.json\n")
    for word in ROOFLINE_WORDS:
        assert word.lower() not in text.lower(), word
    notes = header(text)
    # Its choices are its verdict vocabulary's; it asks for no growth class.
    verdicts = " or ".join(sheet.vocabularies["verdict"])
    assert f"Choices: {verdicts}." in notes
    assert not any(part.kind == "complexity" for part in sheet.parts)
    assert "Growth classes" not in notes
    # The expression with symbols is in its own symbols.
    found = re.search(r"Numbers may be expressions: [^.]*?2\*(\w+)\*(\w+)\.", notes)
    assert found and set(found.groups()) <= set(sheet.symbols), notes
    assert yaml.safe_load(text)["assignment"] == "llm-inference-1"


def test_a_yaml_only_sheet_gets_notes_for_what_it_asks_only(tmp_path: Path) -> None:
    folder = tmp_path / "pipes"
    folder.mkdir()
    (folder / "sheet.yaml").write_text(PIPES, "utf-8")
    status, text = grader("template", "-a", str(folder))
    assert status == 0, text
    for word in (*ROOFLINE_WORDS, "memory-bound", "compute-bound", "FLOP", "MiB", "{image:"):
        assert word.lower() not in text.lower(), word
    notes = header(text)
    for absent in ("Choices:", "Growth classes:", "Sketches:", "Free text:"):
        assert absent not in notes  # it has no such part
    # n is its only symbol without a unit: the expression's; s its only unit.
    assert "2*n" in notes and "2*L" not in notes
    assert "With a unit: 12.5 s." in notes
    assert "n = pipe.stages (12)" in notes
    # The part's own example, in its note and among the expressions.
    assert "    # e.g. 3 * 4\n    b:" in text
    assert "3 * 4" in notes
    assert "$schema=pipes-1.schema.json" in text.splitlines()[0]


def test_a_sheet_without_numbers_gets_no_notes_on_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "essay"
    folder.mkdir()
    (folder / "sheet.yaml").write_text(
        "id: essay-1\ntitle: Essay\ngivens: {}\nparts:\n"
        "  - {id: q1.a, title: Why, kind: text, points: 2, rubric: [names a reason]}\n",
        "utf-8",
    )
    status, text = grader("template", "-a", str(folder))
    assert status == 0, text
    notes = header(text)
    assert "Free text:" in notes and "Put an answer in quotes" in notes
    for absent in ("Numbers may be", "With a unit", "stated result", "Symbols you may use"):
        assert absent not in notes
    # A sheet of formulas alone with a part a person grades loads and grades (it once failed
    # with a KeyError: no solver wrote the part's step).
    answers = folder / "s1.yaml"
    answers.write_text(text.replace('id: ""', 'id: "s1"') + "      Because it is.\n", "utf-8")
    status, out = grader("check", "-a", str(folder), str(answers))
    assert status == 0, out
    assert re.search(r"q1\.a\s+\d+\s+pending\s+– / 2", out), out


def test_choice_and_growth_class_examples_are_the_parts_own() -> None:
    choice = Part(
        id="q1.a",
        title="Layout",
        kind="choice",
        points=1,
        choices={"row-major": ("row major",), "column-major": ()},
    )
    assert notation_examples(choice) == ("row-major", "column-major")
    growth = Part(id="q1.b", title="Growth", kind="complexity", points=1, variable="n")
    assert notation_examples(growth) == ("O(n^3)", "cubic")
    own = Part(id="q1.c", title="Count", kind="count", points=1, example="7*6")
    assert notation_examples(own) == ("7*6",)


def _commands(notes: str) -> tuple[list[str], list[str]]:
    """The template's `grader validate ...` and `grader schema ... > FILE` commands, as words."""
    validate = re.search(r"`grader (validate[^`]*)`", notes)
    schema = re.search(r"`grader (schema[^`>]*)>[^`]*`", notes)
    assert validate and schema, notes
    return validate.group(1).split(), schema.group(1).split()


def test_the_templates_commands_work_for_a_sheet_that_is_not_the_default(tmp_path: Path) -> None:
    # `grader schema > llm-inference-1.schema.json` printed roofline-1's schema (the default),
    # under which every part of the student's file was unknown.
    status, text = grader("template", "-a", "llm-inference-1")
    assert status == 0, text
    (tmp_path / "answers.yaml").write_text(text, "utf-8")
    validate, schema = _commands(header(text))
    status, out = grader(*schema, cwd=tmp_path)
    assert status == 0 and json.loads(out)["$id"] == "urn:grader:llm-inference-1:answers"
    status, out = grader(*validate, cwd=tmp_path)
    assert status == 0 and "ok (0 of 24 parts answered" in out, out


def test_the_templates_commands_name_the_folder_of_a_courses_own_sheet(tmp_path: Path) -> None:
    folder = tmp_path / "pipes"
    folder.mkdir()
    (folder / "sheet.yaml").write_text(PIPES, "utf-8")
    status, text = grader("template", "-a", str(folder))
    assert status == 0, text
    (tmp_path / "answers.yaml").write_text(text, "utf-8")
    validate, schema = _commands(header(text))
    assert validate == ["validate", "-a", "pipes", "answers.yaml"]
    status, out = grader(*schema, cwd=tmp_path)  # run beside the sheet's folder
    assert status == 0 and json.loads(out)["$id"] == "urn:grader:pipes-1:answers"
    status, out = grader(*validate, cwd=tmp_path)
    assert status == 0 and "ok (0 of 2 parts answered" in out, out


def test_a_file_for_a_sheet_that_is_not_installed_says_how_to_name_it(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("assignment: pipes-1\nanswers:\n  q1: {a: 1}\n", "utf-8")
    status, out = grader("validate", str(answers))
    assert status == 1
    assert "this file is for assignment 'pipes-1', not 'roofline-1'" in out
    assert "no installed sheet is 'pipes-1': give its sheet folder with -a" in out
