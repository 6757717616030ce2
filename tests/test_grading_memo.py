"""The grading memo: which earlier parts a part's key reads (decided by the formulas' parse, so
``q1.a`` is not read by a formula over ``q1.ab``), its bound, and that a remembered part is the
part graded anew."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from grader.grading.grade import grade_submission
from grader.input.answer_tree import Node
from grader.input.submission import parse_submission
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.grading_memo import MEMO_MAX_CHARS, MEMO_MAX_ENTRIES, GradingMemo, OwnInputs
from grader.sheets.library import load_assignment

# q1.ab's id starts with q1.a's: a text search for "q1.a" in "q1.ab + 1" finds it.
PREFIX_SHEET = """\
id: prefixes
title: Part ids that are prefixes of others
givens:
  x: {value: "3", symbol: x}
carry_forward:
  q1.c: {formulas: ["q1.ab + 1"]}
  q1.d: {formulas: ["q1.a * 10"], depends_on: [q1.ab]}
parts:
  - {id: q1.a, title: A, kind: count, points: 1, formula: "x"}
  - {id: q1.ab, title: AB, kind: count, points: 1, formula: "2*x"}
  - {id: q1.c, title: C, kind: count, points: 1, formula: "q1.ab + 1"}
  - {id: q1.d, title: D, kind: count, points: 1, formula: "q1.a * 10"}
"""


def _expectations(tmp_path: Path) -> Expectations:
    (tmp_path / "sheet.yaml").write_text(PREFIX_SHEET, "utf-8")
    return build_expectations(load_assignment(tmp_path))


def _grade(exp: Expectations, answers: dict[str, str]) -> dict[str, tuple[str, float]]:
    document = {"assignment": "prefixes", "student": {"id": "s1"}, "answers": answers}
    submission = parse_submission(
        json.dumps(document).encode(), exp.assignment, fmt="json", name="s1.json"
    )
    result = grade_submission(exp, submission)
    return {part.id: (part.status.value, part.credit) for part in result.parts}


def test_a_formula_reads_the_parts_its_parse_names_not_their_prefixes(tmp_path: Path) -> None:
    exp = _expectations(tmp_path)
    plan = {
        planned.id: planned.inputs
        for planned in exp.memo.plan(exp, exp.assignment, exp.answers, exp.slots)
    }
    assert plan["q1.c"] == OwnInputs(values=("q1.ab",), graded=("q1.ab",))
    # q1.d's formula reads q1.a only; q1.ab is read for its grading (depends_on), not its value.
    assert plan["q1.d"] == OwnInputs(values=("q1.a",), graded=("q1.a", "q1.ab"))
    assert plan["q1.a"] == plan["q1.ab"] == OwnInputs((), ())


def test_carry_forward_follows_the_part_the_formula_names(tmp_path: Path) -> None:
    exp = _expectations(tmp_path)
    # x = 3: q1.a = 3, q1.ab = 6, q1.c = 7, q1.d = 30. A wrong q1.ab (8) carries into q1.c (9)
    # whatever q1.a says, and a wrong q1.a (4) into q1.d (40) whatever q1.ab says.
    first = _grade(exp, {"q1.a": "3", "q1.ab": "8", "q1.c": "9", "q1.d": "30"})
    second = _grade(exp, {"q1.a": "5", "q1.ab": "8", "q1.c": "9", "q1.d": "50"})
    assert first["q1.c"] == second["q1.c"] == ("correct", 1.0)
    assert first["q1.d"] == ("correct", 1.0) and second["q1.d"] == ("correct", 1.0)
    assert second["q1.a"][0] == "incorrect"


def test_remembered_parts_equal_parts_graded_anew(tmp_path: Path) -> None:
    exp = _expectations(tmp_path)
    answers = {"q1.a": "3", "q1.ab": "8", "q1.c": "9", "q1.d": "31"}
    graded_fresh = _grade(exp, answers)
    assert len(exp.memo) > 0
    assert _grade(exp, answers) == graded_fresh  # from the memo
    exp.memo.clear()
    assert _grade(exp, answers) == graded_fresh


def test_the_memo_stays_bounded() -> None:
    memo = GradingMemo()
    for number in range(MEMO_MAX_ENTRIES + 10):
        memo.remember(("outcome", number), number)
    assert len(memo) <= MEMO_MAX_ENTRIES
    assert memo[("outcome", MEMO_MAX_ENTRIES + 9)] == MEMO_MAX_ENTRIES + 9


def test_the_key_of_an_answer_holds_what_grading_reads() -> None:
    inputs = OwnInputs(values=("q1.a",), graded=("q1.b",))
    own = {"q1.a": 4.0, "q1.b": 2.0}
    facts = {"q1.b": (False, "doubled")}
    key = GradingMemo.answer_key(7, "q1.c", "12", inputs, own, facts)
    assert key == ("part", 7, "q1.c", "12", 4.0, (False, "doubled"))
    assert GradingMemo.answer_key(7, "q1.c", "12", inputs, {"q1.a": 5.0}, facts) != key
    assert GradingMemo.answer_key(8, "q1.c", "12", inputs, own, facts) != key
    none = OwnInputs((), ())
    assert GradingMemo.answer_key(7, "q1.c", "12", none, own, facts) == ("part", 7, "q1.c", "12")
    # The outcome is the same on any line: its key drops the line.
    other_line = GradingMemo.answer_key(9, "q1.c", "12", inputs, own, facts)
    assert GradingMemo.outcome_key(key) == GradingMemo.outcome_key(other_line)
    assert GradingMemo.outcome_key(key) != GradingMemo.outcome_key(("part", 7, "q1.c", "13"))


def _stand_in(node: Node) -> object:
    """The stand-in an answer is remembered under, written plainly (the memo's own is the
    same, unrolled for speed): a text with its line, a list or mapping tagged, with its line."""
    if isinstance(node.value, str):
        return (node.value, node.line)
    if isinstance(node.value, list):
        return ("list", node.line, tuple(_stand_in(child) for child in node.value))
    return ("map", node.line, tuple((k, _stand_in(v)) for k, v in node.value.items()))


def _characters(node: Node) -> int:
    if isinstance(node.value, str):
        return len(node.value)
    if isinstance(node.value, list):
        return sum(_characters(child) for child in node.value)
    return sum(len(k) + _characters(v) for k, v in node.value.items())


_LINE = st.none() | st.integers(1, 500)
_TEXT = st.text(max_size=70)
_NODES = st.recursive(
    st.builds(Node, _TEXT, _LINE),
    lambda inner: (
        st.builds(Node, st.lists(inner, max_size=4), _LINE)
        | st.builds(Node, st.dictionaries(st.text(max_size=30), inner, max_size=4), _LINE)
    ),
    max_leaves=12,
)


@given(node=_NODES)
def test_an_answer_stands_for_itself_until_too_long(node: Node) -> None:
    found = GradingMemo.answer_of(node)
    if isinstance(node.value, str):
        assert found == (node.value if len(node.value) <= MEMO_MAX_CHARS else None)
    elif _characters(node) <= MEMO_MAX_CHARS:
        assert found == _stand_in(node)
    else:
        assert found is None
