"""The answer-file JSON Schema against the grader's own readers: every spelling of a choice the
reader accepts validates, the misspellings it refuses do not; an answer left empty, which the
grader reads as not answered, is flagged; a part the sheet does not have is flagged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.answers.choices import read_choice
from grader.errors import AnswerFormatError
from grader.reports.template import answer_schema
from grader.results import Status
from grader.sheets.library import load_assignment

jsonschema = pytest.importorskip("jsonschema")

ASSIGNMENT = load_assignment("roofline-1")
VALIDATOR = jsonschema.Draft202012Validator(answer_schema(ASSIGNMENT))
CHOICE_PART = "q5.conv.gpu"
VOCABULARY = ASSIGNMENT.vocabulary(ASSIGNMENT.part(CHOICE_PART))
SPELLINGS = sorted({s for choice, others in VOCABULARY.items() for s in (choice, *others)})


def _file(answers: dict[str, Any]) -> dict[str, Any]:
    return {"assignment": ASSIGNMENT.id, "student": {"id": "s1"}, "answers": answers}


def _choice_file(text: object) -> dict[str, Any]:
    return _file({"q5": {"conv": {"gpu": text}}})


def _reader_accepts(text: str) -> bool:
    try:
        read_choice(text, choices=VOCABULARY)
    except AnswerFormatError:
        return False
    return True


def test_the_vocabulary_is_the_sheets_and_not_trivial() -> None:
    assert {"memory-bound", "compute-bound"} <= set(VOCABULARY)
    assert len(SPELLINGS) > 10


def test_a_choice_part_lists_its_spellings_on_hover() -> None:
    described = answer_schema(ASSIGNMENT)["$defs"][CHOICE_PART]  # type: ignore[index]
    assert all(spelling in described["description"] for spelling in SPELLINGS)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_the_vocabulary_validates(spelling: str) -> None:
    for text in (spelling, spelling.upper(), spelling.title(), f" {spelling}. "):
        assert _reader_accepts(text), text
        assert VALIDATOR.is_valid(_choice_file(text)), text


def _respelt(spelling: str, draw: st.DrawFn) -> str:
    """``spelling`` as students vary it: letter case, and a separator run between its words."""
    separators = st.text(alphabet=" -_–—,;:\t", min_size=1, max_size=3)
    words = spelling.replace("-", " ").split()
    out = words[0]
    for word in words[1:]:
        out += draw(separators) + word
    return "".join(c.upper() if draw(st.booleans()) else c for c in out)


@st.composite
def student_choices(draw: st.DrawFn) -> str:
    """A spelling, varied, perhaps inside a short sentence, perhaps ending in a period."""
    core = _respelt(draw(st.sampled_from(SPELLINGS)), draw)
    words = st.sampled_from(["it", "is", "because", "the", "GPU", "5a", "(see", "above)", "x"])
    before = draw(st.lists(words, max_size=3))
    after = draw(st.lists(words, max_size=3))
    text = " ".join([*before, core])
    if after:
        text += draw(st.sampled_from([" ", ", ", " - "])) + " ".join(after)
    return text + draw(st.sampled_from(["", ".", " .", "  "]))


@settings(max_examples=300, deadline=None)
@given(student_choices())
def test_whatever_the_reader_accepts_validates(text: str) -> None:
    if _reader_accepts(text):
        assert VALIDATOR.is_valid(_choice_file(text)), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="memorycpbundh -_.,", max_size=20))
def test_random_text_the_reader_accepts_validates(text: str) -> None:
    if _reader_accepts(text):
        assert VALIDATOR.is_valid(_choice_file(text)), text


@settings(max_examples=100, deadline=None)
@given(
    spelling=st.sampled_from(SPELLINGS),
    wrapper=st.sampled_from(["$\\text{%s}$", "\\text{%s}", "$\\mathrm{%s}$", "\\(\\textrm{%s}\\)"]),
)
def test_a_verdict_the_reader_accepts_in_latex_validates(spelling: str, wrapper: str) -> None:
    # The grader rewrites LaTeX before reading a choice; the editor's pattern cannot, and must
    # not flag what the grader accepts.
    text = wrapper % spelling.replace("-", "\\text{-}" if "mathrm" in wrapper else "-")
    if _reader_accepts(text):
        assert VALIDATOR.is_valid(_choice_file(text)), text


REFUSED = [
    "memroy-bound",
    "memorybound",
    "comptue-bound",
    "cpu-bound",
    "io-bound",
    "mem",
    "bound",
    "",
    "   ",
    5,
]


@pytest.mark.parametrize("text", REFUSED, ids=repr)
def test_a_sample_of_what_the_reader_refuses_does_not_validate(text: object) -> None:
    if isinstance(text, str):
        assert not _reader_accepts(text)
    else:  # YAML reads 5 as a number; the grader reads it as the text "5"
        assert not _reader_accepts(str(text))
    assert not VALIDATOR.is_valid(_choice_file(text))


def test_a_sentence_naming_one_choice_validates_like_the_reader_reads_it() -> None:
    assert _reader_accepts("the memory")
    assert VALIDATOR.is_valid(_choice_file("the memory"))


def test_the_refused_messages_point_at_the_part() -> None:
    errors = list(VALIDATOR.iter_errors(_choice_file("memroy-bound")))
    assert [list(e.absolute_path) for e in errors] == [["answers", "q5", "conv", "gpu"]] * len(
        errors
    )


# Empty answers: flagged by the schema, read by the grader as not answered.
EMPTY = [
    ("number left blank", {"q1": {"a": ""}}, "q1.a"),
    ("number as null", {"q1": {"a": None}}, "q1.a"),
    ("choice blank", {"q5": {"conv": {"gpu": " "}}}, "q5.conv.gpu"),
    ("operation counts as {}", {"q2": {"c": {}}}, "q2.c"),
    ("required operation blank", {"q2": {"c": {"exp": ""}}}, "q2.c"),
    ("image as {}", {"q3": {"b": {}}}, "q3.b"),
    ("image path blank", {"q3": {"b": {"image": ""}}}, "q3.b"),
    ("text list empty", {"q6": {"advantages": []}}, "q6.advantages"),
    ("text list of blanks", {"q6": {"advantages": ["", None]}}, "q6.advantages"),
    ("text as {}", {"q6": {"advantages": {}}}, "q6.advantages"),
    ("group as {}", {"q1": {}}, "q1.a"),
    ("group as null", {"q1": None}, "q1.a"),
]


@pytest.mark.parametrize(
    ("answers", "part_id"), [(a, p) for _, a, p in EMPTY], ids=[n for n, _, _ in EMPTY]
)
def test_an_empty_answer_is_flagged_and_graded_as_missing(
    answers: dict[str, Any], part_id: str, tmp_path: Path
) -> None:
    assert not VALIDATOR.is_valid(_file(answers))
    import json

    from grader.run.pipeline import expectations_for, grade_file

    path = tmp_path / "s1.json"
    path.write_text(json.dumps(_file(answers)), encoding="utf-8")
    graded = grade_file(path, expectations_for(ASSIGNMENT))
    assert graded.result.status == "graded"
    assert {p.id: p.status for p in graded.result.parts}[part_id] is Status.MISSING


def test_answers_given_where_empty_ones_are_refused_validate() -> None:
    answers = {
        "q1": {"a": 288},
        "q2": {"c": {"exp": 1, "add": 2, "div": 3, "max": ""}},  # optional ones may stay blank
        "q3": {"b": {"image": "sketch.png"}},
        "q6": {"advantages": ["parallel over tokens", ""]},
    }
    assert list(VALIDATOR.iter_errors(_file(answers))) == []


@pytest.mark.parametrize(
    "answers",
    [{"q7": {"a": 1}}, {"q1": {"c": 1}}, {"q1.c": 1}, {"q5": {"conv": {"cpu": "memory"}}}],
    ids=repr,
)
def test_a_part_the_sheet_does_not_have_is_flagged(answers: dict[str, Any]) -> None:
    errors = list(VALIDATOR.iter_errors(_file(answers)))
    assert errors
    assert all("not allowed" in e.message or "does not match" in e.message for e in errors)
