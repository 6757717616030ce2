"""YAML that people write (issue 10, section 2): tabs, salvage that blames the broken line,
parts whose text is there never "missing", messages that say what to do, and a file that
cannot be graded at all showing its reason everywhere it is reported."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from cli_runs import grader
from click.testing import CliRunner
from markupsafe import escape

from grader.cli import main
from grader.escaping import escape_markdown
from grader.input.answer_tree import Node
from grader.input.loading import load_answer_bytes
from grader.input.yaml_tabs import soften_tabs
from grader.reports.gradebook import BOM, gradebook_csv
from grader.reports.report import feedback_html, feedback_markdown
from grader.results import Status, SubmissionResult
from grader.run.pipeline import grade_bytes
from grader.sheets.expectations import Expectations


def tree(text: str) -> Any:
    loaded = load_answer_bytes(text.encode(), fmt="yaml")
    assert not loaded.issues, loaded.issues
    return plain(loaded.tree)


def plain(node: Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {key: plain(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [plain(child) for child in node.value]
    return node.value


def graded(text: str, exp: Expectations, name: str = "s1.yaml") -> SubmissionResult:
    return grade_bytes(text.encode(), exp, fmt="yaml", name=name).result


# --- tabs ---------------------------------------------------------------------------------

# (id, text with tabs, the same text with spaces): a tab that is not indentation is a space
TABS = [
    ("after a value", "q1: 288\t\n", "q1: 288 \n"),
    ("after a colon", "q1:\t288\n", "q1: 288\n"),
    ("inside a line", "q1: 2\t×\t144\n", "q1: 2 × 144\n"),
    ("in a flow mapping", "q1: {a:\t288,\tb: 5}\n", "q1: {a: 288, b: 5}\n"),
    ("before a comment", "q1: 288\t# mine\n", "q1: 288 # mine\n"),
    ("nested", "q1:\n  a:\t288\n  b: 5\t\n", "q1:\n  a: 288\n  b: 5 \n"),
    ("in a list", "q6:\n  - parallel\ttraining\n", "q6:\n  - parallel training\n"),
]


@pytest.mark.parametrize(
    ("with_tabs", "with_spaces"), [pytest.param(*row[1:], id=row[0]) for row in TABS]
)
def test_a_tab_that_is_not_indentation_is_white_space(with_tabs: str, with_spaces: str) -> None:
    assert tree(with_tabs) == tree(with_spaces)


def test_a_quoted_tab_is_kept() -> None:
    assert tree("q1: 'a\tb'\nq2: \"c\td\"\n") == {"q1": "a\tb", "q2": "c\td"}
    assert soften_tabs("q1: 'it''s\ta'\t\n") == "q1: 'it''s\ta' \n"


def test_a_tab_as_indentation_names_the_line_and_the_rest_is_read(
    expectations: Expectations,
) -> None:
    text = "answers:\n  q1:\n    a: 288\n  q3:\n\ta: 250\n  q4:\n    a: 3.33\n"
    result = graded(text, expectations)
    broken = result.part("q3.a")
    assert broken.status is Status.INVALID
    assert broken.feedback == "q3.a (line 5): this line is indented with a tab: indent with spaces"
    assert result.part("q3.b").status is Status.MISSING  # never written: not blamed
    assert result.part("q1.a").status is Status.CORRECT
    assert result.part("q4.a").status is Status.CORRECT


# --- salvage blames the broken line's key ---------------------------------------------------


def test_salvage_blames_the_key_on_the_broken_line(expectations: Expectations) -> None:
    text = "answers:\n  q1:\n    a: 288\n    b: peak/bw: 250\n  q3:\n    a: 250\n"
    result = graded(text, expectations)
    assert result.part("q1.a").status is Status.CORRECT  # the line before is fine
    colon = result.part("q1.b")
    assert colon.status is Status.INVALID and colon.line == 4
    assert "a colon (:) inside an answer: put the answer in quotes" in colon.feedback


def test_a_key_indented_differently_is_read_with_a_note(expectations: Expectations) -> None:
    text = "answers:\n  q1:\n    a: 288\n   b: 1806336\n  q3: {a: 250}\n"
    loaded = load_answer_bytes(text.encode(), fmt="yaml")
    assert [(i.line, i.key) for i in loaded.issues] == [(4, None)]
    assert "indented differently from the keys around it; read as q1.b" in loaded.issues[0].message
    result = graded(text, expectations)
    assert result.part("q1.a").status is Status.CORRECT
    assert result.part("q1.b").status is Status.CORRECT


# `a:288`, the space after the colon forgotten: YAML reads the line as the text "a:288", which
# breaks the mapping around it; the parser then points at a neighbour, never at this line.
GLUED = [
    (
        "last key of its block",
        "answers:\n  q1:\n    a: 288\n    b:1806336\n  q3: {a: 250}\n",
        "q1.b",
        4,
    ),
    (
        "first key of its block",
        "answers:\n  q1:\n    a:288\n    b: 1806336\n  q3: {a: 250}\n",
        "q1.a",
        3,
    ),
    (
        "between comments, as in the template",
        "answers:\n  q1:\n    # q1.a\n    a: 288\n    # q1.b\n    b:2 × 56 × 56 × 3 × 3 × 32\n"
        "    # end\n  q3:\n    a: 250\n",
        "q1.b",
        6,
    ),
    (
        "a flow mapping after the colon",
        "answers:\n  q1:\n    a: 288\n    b: 1806336\n  q2:\n    c:{exp: 4096, add: 4032,"
        " div: 4096}\n    a: 4*128^2\n  q3: {a: 250}\n",
        "q2.c",
        6,
    ),
]


@pytest.mark.parametrize(
    ("text", "glued", "line"), [pytest.param(*row[1:], id=row[0]) for row in GLUED]
)
def test_a_key_without_a_space_after_its_colon_is_read_with_a_note_on_its_own_line(
    expectations: Expectations, text: str, glued: str, line: int
) -> None:
    loaded = load_answer_bytes(text.encode(), fmt="yaml")
    assert [i.line for i in loaded.issues] == [line]
    assert "no space after the colon" in loaded.issues[0].message
    result = graded(text, expectations)
    # every answer is read, the neighbours of the line are not blamed
    for part in ("q1.a", "q1.b", "q3.a", glued):
        assert result.part(part).status is Status.CORRECT, (part, result.part(part).feedback)
    assert result.part(glued).line == line


def test_a_top_level_key_without_a_space_after_its_colon_is_read_with_a_note(
    expectations: Expectations,
) -> None:
    text = "assignment:roofline-1\nstudent: {id: s1}\nanswers:\n  q1: {a: 288}\n"
    loaded = load_answer_bytes(text.encode(), fmt="yaml")
    assert [(i.line, "no space after the colon" in i.message) for i in loaded.issues] == [(1, True)]
    assert plain(loaded.tree)["assignment"] == "roofline-1"


def test_a_glued_key_alone_under_its_group_is_named(tmp_path: Path) -> None:
    # valid YAML: `a:250` is the text of q3, so there is no syntax error to salvage
    path = tmp_path / "s1.yaml"
    path.write_text("answers:\n  q1: {a: 288}\n  q3:\n    a:250\n", encoding="utf-8")
    code, out = grader("check", str(path))
    assert code == 0
    assert "q3.a                            missing" in out
    assert (
        "note: line 4: q3 has parts a, b: answer each under it, with a space after the colon"
        " of 'a:'" in out
    )


def test_a_list_item_without_a_space_after_its_dash_is_named(expectations: Expectations) -> None:
    # `-parallel: ...` is a key to YAML; the next item (`- ...`) then breaks that mapping
    text = (
        "answers:\n  q1: {a: 288}\n  q6:\n    advantages:\n      -parallel: no recurrence\n"
        "      - long range: direct attention\n"
    )
    part = graded(text, expectations).part("q6.advantages")
    assert part.status is Status.INVALID
    assert "the item on line 5 has no space after its '-'" in part.feedback
    assert "<block end>" not in part.feedback


def test_the_last_list_item_without_a_space_after_its_dash_is_named(
    expectations: Expectations,
) -> None:
    text = (
        "answers:\n  q1: {a: 288}\n  q6:\n    advantages:\n      - no recurrence\n"
        "      -long range\n"
    )
    part = graded(text, expectations).part("q6.advantages")
    assert part.status is Status.INVALID
    assert "the item on line 6 has no space after its '-'" in part.feedback
    assert "could not find expected" not in part.feedback


def test_a_line_of_text_without_a_key_is_named(expectations: Expectations) -> None:
    text = "answers:\n  q1:\n    a: 288\n    see my notes\n    b: 1806336\n  q3: {a: 250}\n"
    result = graded(text, expectations)
    part = result.part("q1.a")
    assert part.status is Status.INVALID
    assert "line 4 holds text without a key" in part.feedback
    assert "could not find expected" not in part.feedback
    assert result.part("q3.a").status is Status.CORRECT


def test_a_glued_key_whose_value_is_broken_too_says_both(expectations: Expectations) -> None:
    text = 'answers:\n  q1:\n    a: 288\n    b:"1806336\n  q3: {a: 250}\n'
    result = graded(text, expectations)
    broken = result.part("q1.b")
    assert broken.status is Status.INVALID and broken.line == 4
    assert "no space after the colon" in broken.feedback
    assert "not closed" in broken.feedback
    assert result.part("q1.a").status is Status.CORRECT
    assert result.part("q3.a").status is Status.CORRECT


def test_a_web_address_is_not_taken_for_a_key(expectations: Expectations) -> None:
    # `http://...` on a line of its own in a broken block is no key with its space forgotten
    text = "answers:\n  q1:\n    a: 288\n    http://example.org\n    b: 1806336\n"
    loaded = load_answer_bytes(text.encode(), fmt="yaml")
    assert all("no space after the colon" not in i.message for i in loaded.issues)


def test_only_the_parts_written_in_a_broken_value_are_blamed(expectations: Expectations) -> None:
    result = graded(
        "answers:\n  q1: {a: 288}\n  q2: {a: [65536, d: {full_scores: 4096}\n", expectations
    )
    statuses = {p.id: p.status for p in result.parts if p.id.startswith("q2")}
    assert statuses.pop("q2.a") is Status.INVALID
    assert statuses.pop("q2.d.full_scores") is Status.INVALID
    assert set(statuses.values()) == {Status.MISSING}  # q2.b, q2.c, ... were never written
    assert "the '[' opened on line 3 is not closed" in result.part("q2.a").feedback


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("&x 288", "anchors (&name) are not allowed: write the value out"),
        ("*x", "aliases (*name) are not allowed: write the value out"),
        ("!!int 288", "tags such as !!int are not allowed: put the answer in quotes"),
    ],
)
def test_a_value_the_strict_rules_refuse_is_invalid_not_missing(
    expectations: Expectations, value: str, words: str
) -> None:
    result = graded(f"answers:\n  q1:\n    a: {value}\n    b: 1806336\n", expectations)
    part = result.part("q1.a")
    assert part.status is Status.INVALID and part.line == 3
    assert words in part.feedback and "No answer" not in part.feedback
    assert result.part("q1.b").status is Status.CORRECT


# --- a file that cannot be graded at all ----------------------------------------------------

WHOLE_FILE = [
    ("empty file", "", "the file is empty"),
    ("comments only", "# answers\n# to come\n", "the file is empty (or holds only comments)"),
    ("spreadsheet export", "student,q1.a,q1.b\ns1,288,1806336\n", "spreadsheet export (CSV)"),
    (
        "answers as a list",
        "student: {id: s1}\nanswers: [288, 1806336]\n",
        "no answer could be read: 'answers' must be a mapping",
    ),
    (
        "unknown parts only",
        "student: {id: s1}\nquestion1: 288\nquestion2: 5\n",
        "no answer could be read: unknown part 'question1' ignored (and 1 more problem)",
    ),
]


@pytest.mark.parametrize(
    ("text", "reason"), [pytest.param(*row[1:], id=row[0]) for row in WHOLE_FILE]
)
def test_a_file_that_cannot_be_graded_shows_its_reason_everywhere(
    expectations: Expectations, assignment: Any, text: str, reason: str, tmp_path: Path
) -> None:
    result = graded(text, expectations)
    assert result.status == "error" and reason in (result.error or "")
    assert not result.parts  # never a column of "No answer."
    book = list(csv.DictReader(io.StringIO(gradebook_csv([result], assignment).removeprefix(BOM))))
    assert book[0]["status"] == "ERROR" and reason in book[0]["error"]
    assert reason in json.loads(result.model_dump_json())["error"]
    assert str(escape(reason)) in feedback_html(result, expectations)
    assert escape_markdown(reason) in feedback_markdown(result, expectations)
    path = tmp_path / "s1.yaml"
    path.write_text(text, encoding="utf-8")
    shown = CliRunner().invoke(main, ["check", str(path)]).output.splitlines()
    assert reason in shown[1] and shown[1].startswith("NOT GRADED")


def test_an_untouched_template_is_graded_as_all_missing(expectations: Expectations) -> None:
    result = graded(
        "assignment: roofline-1\nstudent: {id: s1}\nanswers:\n  q1:\n    a:\n", expectations
    )
    assert result.status == "graded"
    assert {p.status for p in result.parts} == {Status.MISSING}


def test_a_sketch_named_inside_a_sentence_is_told_to_name_the_file_only(tmp_path: Path) -> None:
    (tmp_path / "roofline.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")
        + bytes.fromhex("1f15c4890000000d49444154789c63f8cfc0f01f0005000201a1b0b3e7")
        + bytes.fromhex("0000000049454e44ae426082")
    )
    path = tmp_path / "s1.yaml"
    path.write_text("answers:\n  q1: {a: 288}\n  q3:\n    b: see attached roofline.png\n", "utf-8")
    code, out = grader("check", str(path))
    assert code == 0, out
    shown = " ".join(out.split())  # the table wraps the message over lines
    assert "image file 'see attached roofline.png' not found next to the answer file" in shown
    assert "write only the file's name: {image: roofline.png}" in shown


TABBED = [
    # (id, text, the tabbed part, its line): a key line indented with a tab (an editor's Tab
    # key) among keys indented with spaces; YAML gives the tab no width.
    ("dotted keys", "answers:\n  q1.a: 288\n  q1.b: 1806336\n\tq3.a: 250\n", "q3.a", 4),
    (
        "nested, tab then spaces",
        "answers:\n  q1:\n    a: 288\n\t  b: 1806336\n  q3:\n    a: 250\n",
        "q1.b",
        4,
    ),
    ("the first key", "answers:\n\tq1.a: 288\n  q1.b: 1806336\n  q3.a: 250\n", "q1.a", 2),
]


@pytest.mark.parametrize(
    ("text", "tabbed", "line"), [pytest.param(*row[1:], id=row[0]) for row in TABBED]
)
def test_a_key_indented_with_a_tab_is_read_with_a_note_on_its_own_line(
    expectations: Expectations, text: str, tabbed: str, line: int
) -> None:
    # The key above it used to be blamed ("indented with a tab") and the key itself shown as
    # missing: neither is what the student wrote.
    loaded = load_answer_bytes(text.encode(), fmt="yaml")
    assert [(i.line, "indented with a tab" in i.message) for i in loaded.issues] == [(line, True)]
    result = graded(text, expectations)
    for part in ("q1.a", "q1.b", "q3.a"):
        assert result.part(part).status is Status.CORRECT, (part, result.part(part).feedback)
    assert result.part(tabbed).line == line


def test_a_tab_indented_line_below_a_key_that_opens_a_block_is_not_guessed_at(
    expectations: Expectations,
) -> None:
    # `q3:` then a tab: the line may be meant inside q3 or beside it; the part is blamed, with
    # the tab named, and its neighbours are read.
    text = "answers:\n  q1: {a: 288}\n  q3:\n\ta: 250\n  q4: {a: 3.33}\n"
    result = graded(text, expectations)
    assert result.part("q3.a").status is Status.INVALID
    assert "tab" in result.part("q3.a").feedback
    assert result.part("q1.a").status is Status.CORRECT
    assert result.part("q4.a").status is Status.CORRECT


def test_a_tab_indented_key_whose_value_is_broken_too_says_both(
    expectations: Expectations,
) -> None:
    text = "answers:\n  q1.a: 288\n\tq2.a: [65536\n  q3.a: 250\n"
    result = graded(text, expectations)
    broken = result.part("q2.a")
    assert broken.status is Status.INVALID and broken.line == 3
    assert "indented with a tab" in broken.feedback and "not closed" in broken.feedback
    assert result.part("q1.a").status is Status.CORRECT
    assert result.part("q3.a").status is Status.CORRECT
