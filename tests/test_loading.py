"""Tests for grader.loading: untrusted answer files in, text trees or issues out, never a crash.

Each hostile input of research/reliability.md §1 is a row here, next to the nearest input that
must still load. The tests run on both YAML paths: with libyaml's event parser as the fast path
(when PyYAML has it) and with the pure-Python composer alone.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bounds import time_bound
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, SequenceNode
from yaml.nodes import Node as YamlNode

from grader.input import loading, yaml_fast
from grader.input.answer_tree import MAX_SCALAR_CHARS, LoadIssue, Node
from grader.input.loading import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    TOP_LEVEL_MESSAGE,
    LoadResult,
    load_answer_bytes,
    load_answer_file,
)
from grader.input.yaml_fast import FastPathDeclined, SyntaxRejected, compose_fast
from grader.input.yaml_salvage import SALVAGE_MAX_CHARS
from grader.input.yaml_strict import NodeBudget, compose_yaml

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"

SAMPLE_YAML = """\
assignment: roofline-1
student: {id: s1234567, name: Ada Lovelace}
answers:
  q1: {a: 3*3*32, b: 2 × 56 × 56 × 3 × 3 × 32}
  q2:
    a: 4*128^2
    b: {qkv_projections: 6291456, attention_scores: 2*L*L*d, scaling: 4096,
        value_aggregation: 1.05e6, output_projection: 2 MFLOP}
    c: {exp: 4096, add: 4032, div: 4096, max: 4032, sub: 4096}
    d: {full_scores: L^2, causal_scores: 64·65/2, full_complexity: O(L^2),
        causal_complexity: quadratic}
  q3: {a: 250 FLOP/byte, b: {image: q3-sketch.png}}
  q5:
    conv: {bytes: 785.1 KiB, intensity: "2,25", gpu: memory-bound, pim: memory bound}
    qkv: {bytes: 131072, intensity: 16, gpu: memory-bound, pim: compute-bound}
    explanation: The intensity is below the turning point of ...
  q6: {advantages: [parallel training, long-range dependencies]}
"""

SAMPLE_JSON = """\
{
  "assignment": "roofline-1",
  "student": {"id": "s1234567", "name": "Ada Lovelace"},
  "answers": {
    "q1": {"a": "3*3*32", "b": 288},
    "q2": {"a": 65536, "b": {"scaling": 4096, "value_aggregation": 1.05e6}},
    "q5": {"conv": {"intensity": "2,25", "gpu": "memory-bound"}},
    "q6": {"advantages": ["parallel training", "long-range dependencies"]}
  }
}
"""


@pytest.fixture(scope="module", autouse=True, params=["lines", "libyaml", "python"])
def yaml_engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the module's tests on one YAML path; module scope keeps Hypothesis tests allowed.

    ``lines``: as the grader runs (the line reader first, then libyaml); ``libyaml``: without
    the line reader; ``python``: the pure-Python composer alone.
    """
    if request.param != "python" and not yaml_fast.USE_LIBYAML:
        pytest.skip("PyYAML is installed without libyaml")
    saved = yaml_fast.USE_LIBYAML, loading.USE_LINE_READER
    yaml_fast.USE_LIBYAML = request.param != "python"
    loading.USE_LINE_READER = request.param == "lines"
    yield request.param
    yaml_fast.USE_LIBYAML, loading.USE_LINE_READER = saved


BILLION_LAUGHS = "a0: &a0 [lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)


def load_yaml(text: str) -> LoadResult:
    return load_answer_bytes(text.encode(), fmt="yaml")


def load_json(text: str) -> LoadResult:
    return load_answer_bytes(text.encode(), fmt="json")


def plain(node: Node | None) -> Any:
    """The tree as plain Python data (for comparisons)."""
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {key: plain(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [plain(child) for child in node.value]
    return node.value


def lines(node: Node) -> Any:
    """The tree with each value replaced by its line (for comparisons)."""
    if isinstance(node.value, dict):
        return {key: (child.line, lines(child)) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [(child.line, lines(child)) for child in node.value]
    return node.line


def check_invariants(result: LoadResult) -> None:
    """What every result promises, whatever the input."""
    assert isinstance(result, LoadResult)
    for issue in result.issues:
        assert isinstance(issue, LoadIssue)
        assert issue.message and "\n" not in issue.message and "\r" not in issue.message
        assert "internal error" not in issue.message
        issue.message.encode("utf-8")  # never a lone surrogate: the report writer must cope
        assert issue.line is None or issue.line >= 1
    if result.tree is not None:
        assert isinstance(result.tree.value, dict)
        _check_node(result.tree, depth=1)
    else:
        assert result.issues


def _check_node(node: Node, depth: int) -> None:
    assert isinstance(node.line, int) and node.line >= 1
    assert depth <= MAX_DEPTH + 1
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            assert isinstance(key, str)
            key.encode("utf-8")
            _check_node(child, depth + 1)
    elif isinstance(node.value, list):
        for child in node.value:
            _check_node(child, depth + 1)
    else:
        assert isinstance(node.value, str)
        node.value.encode("utf-8")


# --- YAML: every scalar stays the student's text ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "loaded"),
    [
        ("yes", "yes"),  # safe_load: True
        ("Yes", "Yes"),
        ("off", "off"),  # safe_load: False
        ("1:30", "1:30"),  # safe_load: 90 (base 60)
        ("017", "017"),  # safe_load: 15 (octal)
        ("0x1F", "0x1F"),  # safe_load: 31
        ("2.5e2", "2.5e2"),
        ("2.5e+2", "2.5e+2"),  # safe_load: 250.0
        (".nan", ".nan"),  # safe_load: nan
        (".inf", ".inf"),
        ("2024-01-05", "2024-01-05"),  # safe_load: datetime.date
        ("1_000", "1_000"),  # safe_load: 1000
        ("~", "~"),  # safe_load: None
        ("null", "null"),
        ("", ""),  # `q1:` with nothing: unanswered
        ("288", "288"),
        ("'2,25'", "2,25"),
        ('"4096"', "4096"),
        ("2 × 56 × 56 × 3 × 3 × 32", "2 × 56 × 56 × 3 × 3 × 32"),
        ("785.1 KiB", "785.1 KiB"),
        ("#5", ""),  # a comment: the YAML grammar says the answer is empty
    ],
)
def test_yaml_scalars_stay_text(written: str, loaded: str) -> None:
    result = load_yaml(f"q1: {written}\nq2: ok\n")
    assert result.issues == ()
    assert plain(result.tree) == {"q1": loaded, "q2": "ok"}


def test_yaml_keys_are_text_so_no_answer_vanishes() -> None:
    # safe_load gives {1: 'b'}: yes -> True == 1, so the answer "a" vanishes.
    result = load_yaml("1: a\nyes: b\ntrue: c\n1.0: d\n~: e\n")
    assert result.issues == ()
    assert plain(result.tree) == {"1": "a", "yes": "b", "true": "c", "1.0": "d", "~": "e"}


def test_sample_yaml_loads_with_true_lines() -> None:
    result = load_yaml(SAMPLE_YAML)
    assert result.issues == ()
    assert result.tree is not None
    tree = plain(result.tree)
    assert tree["student"] == {"id": "s1234567", "name": "Ada Lovelace"}
    assert tree["answers"]["q2"]["b"]["value_aggregation"] == "1.05e6"
    assert tree["answers"]["q5"]["conv"]["intensity"] == "2,25"
    assert tree["answers"]["q6"]["advantages"] == ["parallel training", "long-range dependencies"]
    answers = lines(result.tree)["answers"][1]
    found = {key: line for key, (line, _) in answers.items()}
    assert found == {"q1": 4, "q2": 6, "q3": 12, "q5": 14, "q6": 17}  # q2's value starts on line 6
    assert answers["q2"][1]["b"][0] == 7


def test_flow_mapping_comma_splits_as_the_grammar_says() -> None:
    # Documented trap: the template tells students to quote; the loader returns the grammar.
    assert plain(load_yaml("a: {q1: 2,25}\n").tree) == {"a": {"q1": "2", "25": ""}}


def test_byte_order_mark_is_fine() -> None:
    result = load_answer_bytes(b"\xef\xbb\xbfq1: 1\n", fmt="yaml")
    assert (plain(result.tree), result.issues) == ({"q1": "1"}, ())


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("q1: [is it 5?]\n", {"q1": ["is it 5?"]}),
        ("q1: {a: why?, b?: 2}\n", {"q1": {"a": "why?", "b?": "2"}}),
        ("q1: [a ? b, c]\n", {"q1": ["a ? b", "c"]}),
    ],
)
def test_a_question_mark_inside_a_flow_collection_is_part_of_the_text(
    text: str, tree: object, yaml_engine: str
) -> None:
    result = load_answer_bytes(text.encode("utf-8"), fmt="yaml")
    assert (plain(result.tree), result.issues) == (tree, ())


# --- YAML: refused constructs, side by side with what still loads ----------------------------

REFUSED_YAML = [
    # (id, text, words in the message, line, key, the other answer "ok" survives)
    ("exec tag", "q1: !!python/object/apply:os.getcwd []\nok: 1\n", "tags", 1, "q1", True),
    ("int tag", "q1: !!int 3\nok: 1\n", "tags such as !!int", 1, "q1", True),
    ("local tag", "q1: !foo x\nok: 1\n", "tags such as !foo", 1, "q1", True),
    ("bare tag", "q1: ! x\nok: 1\n", "tags", 1, "q1", True),
    ("tag on list", "q1: !!set [a]\nok: 1\n", "tags", 1, "q1", True),
    ("anchor", "q1: &x 5\nok: 1\n", "anchors", 1, "q1", True),
    ("alias", "ok: 1\nq1: *x\n", "aliases", 2, "q1", True),
    ("recursive alias", "q1: &x [1, *x]\nok: 1\n", "anchors", 1, "q1", True),
    ("merge key", "ok: 1\nq1:\n  <<: {a: 1}\n  b: 2\n", "merge keys (<<)", 3, "q1.<<", True),
    ("merge key in flow", "q1: {<<: {a: 1}}\nok: 1\n", "merge keys (<<)", 1, "q1", True),
    ("nested 17 deep", "q1: " + "[" * 17 + "]" * 17 + "\nok: 1\n", "16 levels", 1, "q1", True),
    ("scalar too long", f"q1: {'x' * (MAX_SCALAR_CHARS + 1)}\nok: 1\n", "longer", 1, "q1", True),
    ("lone surrogate", 'ok: 1\nq1: "\\ud800"\n', "surrogate", 2, "q1", True),
    ("escaped NUL", 'ok: 1\nq1: "a\\0b"\n', "NUL", 2, "q1", True),
    (
        "duplicate key",
        "q1: 42\nok: 1\nq1: 43\n",
        "q1 answered twice (lines 1 and 3)",
        3,
        "q1",
        True,
    ),
    ("tab", "ok: 1\nq1: 1\n\tq2: 7\n", "indented with a tab: indent with spaces", 3, "q1", True),
    ("list key", "ok: 1\n? [a, b]\n: c\n", "a key must be plain text", 2, None, True),
    ("two documents", "ok: 1\n---\nq1: 2\n", "more than one YAML document", 2, None, False),
    ("top-level list", "- 1\n- 2\n", TOP_LEVEL_MESSAGE, 1, None, False),
    ("top-level text", "just some text\n", TOP_LEVEL_MESSAGE, 1, None, False),
    ("empty file", "", "the file is empty", None, None, False),
    (
        "comments only",
        "# nothing yet\n",
        "the file is empty (or holds only comments)",
        None,
        None,
        False,
    ),
    ("blank lines only", "\n  \n", "the file is empty", None, None, False),
    (
        "spreadsheet export",
        "student,q1.a,q1.b\ns1,288,1806336\n",
        "spreadsheet export",
        None,
        None,
        False,
    ),
    (
        "spreadsheet export with ;",
        "q1.a;q1.b\n288;1806336\n",
        "spreadsheet export",
        None,
        None,
        False,
    ),
    ("control character", "ok: 1\nq1: a\x01b\n", "U+0001", 2, None, False),
    ("control character at a line start", "ok: 1\n\x01\n", "U+0001", 2, None, False),
    ("long tag handle", f"ok: 1\nq1: !{'h' * 5000}!x 1\n", "tag handle", 2, "q1", True),
    ("too many values", "".join(f"q{i}: x\n" for i in range(MAX_NODES)), "5000", None, None, False),
]


@pytest.mark.parametrize(
    ("text", "words", "line", "key", "others_survive"),
    [pytest.param(*row[1:], id=row[0]) for row in REFUSED_YAML],
)
def test_yaml_refused(
    text: str, words: str, line: int | None, key: str | None, others_survive: bool
) -> None:
    result = load_yaml(text)
    check_invariants(result)
    assert len(result.issues) == 1, result.issues
    issue = result.issues[0]
    assert words in issue.message
    if line is not None:
        assert issue.line == line
    assert issue.key == key
    if key:
        assert issue.message.startswith(key)
    if others_survive:
        assert result.tree is not None
        assert plain(result.tree)["ok"] == "1"
        assert key not in plain(result.tree)
    else:
        assert result.tree is None


ACCEPTED_YAML = [
    # (id, text) the nearest neighbours of the refused rows: these load cleanly.
    ("16 deep", "q1: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"),
    ("scalar at the cap", f"q1: {'x' * MAX_SCALAR_CHARS}\n"),
    ("surrogate pair as character", "q1: 😀\n"),
    ("quoted tag text", "q1: '!!int 3'\n"),
    ("quoted anchor text", "q1: '&x 5'\n"),
    ("document start", "---\nq1: 1\n"),
    ("document start and end", "---\nq1: 1\n...\n"),
    ("same key at two levels", "q1: {q1: 1}\n"),
    ("many values, under the cap", "".join(f"q{i}: x\n" for i in range(MAX_NODES // 2 - 1))),
]


@pytest.mark.parametrize("text", [pytest.param(row[1], id=row[0]) for row in ACCEPTED_YAML])
def test_yaml_accepted(text: str) -> None:
    result = load_yaml(text)
    check_invariants(result)
    assert result.issues == ()
    assert result.tree is not None


def test_yaml_tag_is_never_executed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def spy() -> str:
        calls.append("getcwd")
        return "/"

    monkeypatch.setattr(os, "getcwd", spy)
    result = load_yaml("q1: !!python/object/apply:os.getcwd []\n")
    assert calls == []
    assert result.tree is None


@pytest.mark.parametrize(
    ("text", "tree", "message", "line", "key", "source"),
    [
        (
            "q1: 1\nq1: 2\nq1: 3\nq2: 4\n",
            {"q2": "4"},
            "q1 answered 3 times (lines 1, 2 and 3)",
            2,
            "q1",
            "1\n2\n3",
        ),
        (
            "a:\n  q1: [1, 2]\n  q1: {b: 2}\n",
            {"a": {}},
            "a.q1 answered twice (lines 2 and 3)",
            3,
            "a.q1",
            "[1, 2]\n{b: 2}",
        ),
        (
            "a: {x: 1, x: 2, y: 3}\n",
            {"a": {"y": "3"}},
            "a.x answered twice (lines 1 and 1)",
            1,
            "a.x",
            "1\n2",
        ),
        (
            "q: [{x: 1, x: 2}]\n",
            {"q": [{}]},
            "q.x answered twice (lines 1 and 1)",
            1,
            "q.x",
            "1\n2",
        ),
    ],
)
def test_yaml_duplicate_keys_are_all_dropped(
    text: str, tree: dict[str, Any], message: str, line: int, key: str, source: str
) -> None:
    result = load_yaml(text)
    assert plain(result.tree) == tree  # never one of the answers picked silently
    # every answer given is kept as the text a TA's decision on the part is bound to
    assert result.issues == (LoadIssue(message, line, key, source=source),)


# --- YAML: 1-based lines in syntax errors ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "line"),
    [
        ("{q1: 1,\n q2: [}\n", "q2: expected the node content, but found '}'", 2),  # no salvage
        ("[1, 2\n", "the '[' opened on line 1 is not closed: add ']'", 2),
        ("q: {a: 1\n", "the '{' opened on line 1 is not closed: add '}'", 1),
        ('q: "a\n', "the quote opened on line 1 is not closed", 1),
        ("\tq1: 1\n", "indented with a tab: indent with spaces", 1),
        ('{"q1": 1,\n\t"q2": 2}\n', "indented with a tab: indent with spaces", 2),  # JSON in .yaml
    ],
)
def test_yaml_syntax_error_has_one_based_line(text: str, words: str, line: int) -> None:
    result = load_yaml(text)
    assert result.tree is None
    assert len(result.issues) == 1
    assert words in result.issues[0].message
    assert result.issues[0].line == line


# --- YAML: salvage of the readable keys (reliability §2.4) -----------------------------------

SALVAGE = [
    # (id, text, expected tree, expected [(key, line)] of the issues)
    (
        "flat",
        "q1: 1\nq2: [1, 2\nq3: 3\n",
        {"q1": "1", "q3": "3"},
        [("q2", 2)],
    ),
    (
        "research prototype",
        "q1: ok\nq2: [1, 2\nq3: ok\nq4: : 5\nq5: ok\n",
        {"q1": "ok", "q3": "ok", "q5": "ok"},
        [("q2", 2), ("q4", 4)],
    ),
    (
        "inside answers",
        "assignment: r\nanswers:\n  q1: 1\n  q2: [1, 2\n  q3: {a: 3}\nstudent: s\n",
        {"assignment": "r", "answers": {"q1": "1", "q3": {"a": "3"}}, "student": "s"},
        [("answers.q2", 4)],
    ),
    (
        "inside answers, 4 spaces, comments",
        "answers:  # mine\n    # first\n    q1: 1\n    q2: @\n\n    q3: 3\n",
        {"answers": {"q1": "1", "q3": "3"}},
        [("answers.q2", 4)],
    ),
    (
        "broken child of a top-level answer",
        "q1: 1\nq2:\n  a: 1\n  b: [\n  c: 3\nq3: 3\n",
        {"q1": "1", "q2": {"a": "1", "c": "3"}, "q3": "3"},
        [("q2.b", 4)],
    ),
    (
        "tag and syntax error",
        "q1: !!int 3\nq2: [\nq3: 3\n",
        {"q3": "3"},
        [("q1", 1), ("q2", 2)],
    ),
    (
        "duplicate across chunks",
        "q1: 1\nq2: [\nq1: 2\nq3: 3\n",
        {"q3": "3"},
        [("q1", 3), ("q2", 2)],
    ),
    (
        "broken duplicate",
        "q1: 1\nq3: 3\nq1: [\n",
        {"q3": "3"},
        [("q1", 3), ("q1", 3)],
    ),
    (
        "quoted keys",
        "\"q 1\": 1\nq2: [\n'q3': 3\n",
        {"q 1": "1", "q3": "3"},
        [("q2", 2)],
    ),
    (
        "Windows line ends",
        "q1: 1\r\nq2: [\r\nq3: 3\r\n",
        {"q1": "1", "q3": "3"},
        [("q2", 2)],
    ),
    (
        "old Mac line ends (PyYAML counts them too)",
        "q1: 1\rq2: [\rq3: 3\r",
        {"q1": "1", "q3": "3"},
        [("q2", 2)],
    ),
    (
        "preamble joins the first chunk",
        "%YAML 1.1\n---\n# answers\nq1: 1\nq2: [\n",
        {"q1": "1"},
        [("q2", 5)],
    ),
]


@pytest.mark.parametrize(
    ("text", "tree", "issues"), [pytest.param(*row[1:], id=row[0]) for row in SALVAGE]
)
def test_yaml_salvage_keeps_readable_keys(
    text: str, tree: dict[str, Any], issues: list[tuple[str, int]]
) -> None:
    result = load_yaml(text)
    check_invariants(result)
    assert plain(result.tree) == tree
    assert sorted((i.key or "", i.line or 0) for i in result.issues) == sorted(issues)


def test_yaml_salvage_keeps_true_lines() -> None:
    result = load_yaml("q1: 1\n\nq2: [1, 2\n\n\nq3:\n  a: 3\nanswers:\n  q4: [\n  q5: 5\n")
    assert result.tree is not None
    assert lines(result.tree) == {
        "q1": (1, 1),
        "q3": (7, {"a": (7, 7)}),
        "answers": (10, {"q5": (10, 10)}),
    }
    assert [(i.key, i.line) for i in result.issues] == [("q2", 3), ("answers.q4", 9)]


def test_yaml_salvage_never_rescues_whole_file_problems() -> None:
    result = load_yaml("q1: [\nq2: 2\n---\nq3: 3\n")
    assert result.tree is None
    assert "more than one YAML document" in result.issues[0].message


def test_yaml_salvage_of_nothing_is_unreadable() -> None:
    result = load_yaml("q1: [\nq2: @\n")
    assert result.tree is None
    assert [i.key for i in result.issues] == ["q1", "q2"]


# --- bytes: size, encoding -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize(
    ("data", "words", "line"),
    [
        (b"q1: " + b"x" * MAX_BYTES, "larger than 256 KiB", None),
        (b"q1: 1\nq2: \xff\n", "not UTF-8", 2),
        (b"\xff\xfeq\x00:\x00\n\x00\x00\xd8", "not UTF-16", 2),  # a lone surrogate
        (b"\xff\xfeq\x001", "not UTF-16", 1),  # cut off in a character
        (b"q\x001\x00:\x00", "NUL", 1),  # UTF-16 without BOM
        (b"q1: 1\nq2: a\x00b\n", "NUL", 2),
        (b"q1: \xed\xa0\x80\n", "not UTF-8", 1),  # an encoded lone surrogate
        # A byte-order mark past the start would become part of a key ("\ufeffa" is not "a").
        (b"q1:\n  \xef\xbb\xbfa: 1\n", "byte-order mark (U+FEFF)", 2),
        (b"\xef\xbb\xbfq1: 1\nq2: 5\xef\xbb\xbf\n", "byte-order mark (U+FEFF)", 2),
    ],
)
def test_unreadable_bytes(data: bytes, words: str, line: int | None, fmt: str) -> None:
    result = load_answer_bytes(data, fmt=fmt)
    assert result.tree is None
    assert len(result.issues) == 1
    assert words in result.issues[0].message
    assert result.issues[0].line == line


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_their_mark_read_as_utf8_does(fmt: str, encoding: str) -> None:
    # Windows PowerShell 5.1 writes `grader template > answers.yaml` as UTF-16 with its mark:
    # the mark names the encoding and its byte order, so nothing is guessed.
    text = (
        'q1: 2 × 56²\nq2:\n  a: "Ω"\n' if fmt == "yaml" else '{"q1": "2 × 56²", "q2": {"a": "Ω"}}'
    )
    data = text.encode(encoding)
    if not encoding.endswith(("16", "32")):  # "-le", "-be": Python writes no mark, a file does
        data = "\ufeff".encode(encoding) + data
    result = load_answer_bytes(data, fmt=fmt)
    assert result.issues == ()
    assert plain(result.tree) == {"q1": "2 × 56²", "q2": {"a": "Ω"}}


def test_file_exactly_at_the_size_cap_loads_within_a_second() -> None:
    body = "".join(f"q{i}: {'y' * 100}\n" for i in range(2000))
    text = body + "#" * (MAX_BYTES - len(body) - 1) + "\n"
    assert len(text.encode()) == MAX_BYTES
    start = time.perf_counter()
    result = load_yaml(text)
    assert time.perf_counter() - start < time_bound(1.0)
    assert result.issues == ()
    assert len(plain(result.tree)) == 2000


def test_unknown_format_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="format"):
        load_answer_bytes(b"q1: 1\n", fmt="toml")


# --- JSON ------------------------------------------------------------------------------------

BIG_INTEGER = "9" * 5000


@pytest.mark.parametrize(
    ("written", "loaded"),
    [
        ("288", "288"),
        ("-0.5", "-0.5"),
        ("1.05e6", "1.05e6"),
        ("1e400", "1e400"),  # json.loads: inf
        (BIG_INTEGER, BIG_INTEGER),  # json.loads: ValueError (4300-digit limit)
        ("true", "true"),
        ("false", "false"),
        ("null", ""),  # unanswered
        ('"2,25"', "2,25"),
        ('"\\ud83d\\ude00"', "😀"),
        ('"\\u00d7"', "×"),
    ],
)
def test_json_scalars_stay_text(written: str, loaded: str) -> None:
    result = load_json(f'{{"q1": {written}, "q2": "ok"}}')
    assert result.issues == ()
    assert plain(result.tree) == {"q1": loaded, "q2": "ok"}


REFUSED_JSON = [
    # (id, text, words, line, key, the other answer "ok" survives)
    ("NaN", '{"ok": 1,\n "q1": NaN}', "NaN", 2, "q1", False),
    ("Infinity", '{"ok": 1, "a": {"q1": Infinity}}', "Infinity", 1, "a.q1", False),
    ("-Infinity", '{"ok": 1, "q1": [-Infinity]}', "-Infinity", 1, "q1", False),
    (
        "duplicate",
        '{"q1": 1,\n "ok": 1,\n "q1": 2}',
        "q1 answered twice (lines 1 and 3)",
        3,
        "q1",
        True,
    ),
    (
        "nested duplicate",
        '{"ok": 1, "a": {"b": 1,\n "b": 2}}',
        "a.b answered twice",
        2,
        "a.b",
        True,
    ),
    ("lone surrogate", '{"ok": 1, "a": {"q3":\n "\\ud800"}}', "surrogate", 2, "a.q3", True),
    ("surrogate key", '{"ok": 1, "a": {"\\udc00": 1}}', "a: a key contains", 1, "a", True),
    ("escaped NUL", '{"ok": 1, "q1": "a\\u0000"}', "NUL", 1, "q1", True),
    ("too long", f'{{"ok": 1, "q1": "{"x" * (MAX_SCALAR_CHARS + 1)}"}}', "longer", 1, "q1", True),
    ("17 deep", '{"ok": 1, "q1": ' + "[" * 16 + "]" * 16 + "}", "16 levels", 1, "q1", False),
    ("trailing comma", '{"ok": 1,\n}', "not valid JSON", 2, None, False),
    ("single quotes", "{'ok': 1}", "not valid JSON", 1, None, False),
    ("100 000 deep", "[" * 100_000 + "]" * 100_000, "16 levels", None, None, False),
    ("top-level list", '[{"ok": 1}]', TOP_LEVEL_MESSAGE, 1, None, False),
    ("empty", "", "the file is empty", None, None, False),
    ("spreadsheet export", "id,q1.a\ns1,288\n", "spreadsheet export", None, None, False),
    (
        "too many values",
        json.dumps({f"q{i}": "x" for i in range(MAX_NODES)}),
        "5000",
        1,
        None,
        False,
    ),
]


@pytest.mark.parametrize(
    ("text", "words", "line", "key", "others_survive"),
    [pytest.param(*row[1:], id=row[0]) for row in REFUSED_JSON],
)
def test_json_refused(
    text: str, words: str, line: int | None, key: str | None, others_survive: bool
) -> None:
    result = load_json(text)
    check_invariants(result)
    assert len(result.issues) == 1, result.issues
    issue = result.issues[0]
    assert words in issue.message
    assert (issue.line, issue.key) == (line, key)
    if others_survive:
        assert plain(result.tree)["ok"] == "1"
    else:
        assert result.tree is None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"q1": ' + "[" * 15 + "]" * 15 + "}", id="16 deep"),
        pytest.param('{\n\t"q1": {\n\t\t"a": 7\n\t}\n}', id="tab-indented"),
        pytest.param('\ufeff{"q1": 1}', id="BOM"),
        pytest.param('{"q1": "\\ud83d\\ude00"}', id="surrogate pair"),
        pytest.param('{"a": {"a": {"a": "a"}}}', id="same key at three levels"),
        pytest.param("{}", id="empty object"),
    ],
)
def test_json_accepted(text: str) -> None:
    result = load_json(text)
    check_invariants(result)
    assert result.issues == ()


def test_json_every_node_has_its_line() -> None:
    text = (
        '{"a": {\n'  # 1
        '    "a": 1,\n'  # 2
        '    "b": [\n'  # 3
        '      "x",\n'  # 4
        '      {"a": "y, \\"z\\": {[", "c":\n'  # 5: a string full of syntax characters
        "        null}\n"  # 6
        "    ]},\n"  # 7
        '  "c":\n'  # 8
        "    42\n"  # 9
        "}\n"
    )
    result = load_json(text)
    assert result.issues == ()
    assert result.tree is not None
    assert result.tree.line == 1
    assert lines(result.tree) == {
        "a": (1, {"a": (2, 2), "b": (3, [(4, 4), (5, {"a": (5, 5), "c": (6, 6)})])}),
        "c": (9, 9),
    }


def test_sample_json_loads() -> None:
    result = load_json(SAMPLE_JSON)
    assert result.issues == ()
    tree = plain(result.tree)
    assert tree["answers"]["q1"]["b"] == "288"
    assert tree["answers"]["q2"]["b"]["value_aggregation"] == "1.05e6"


# --- files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "tree"),
    [
        ("a.json", '{"q1": 288}', {"q1": "288"}),
        ("a.JSON", '{"q1": 288}', {"q1": "288"}),
        ("a.yaml", "q1: yes", {"q1": "yes"}),
        ("a.yml", "q1: 017", {"q1": "017"}),
        ("a.txt", "q1: 1:30", {"q1": "1:30"}),  # unknown suffix: YAML (JSON text is YAML too)
        ("a", '{"q1": "x"}', {"q1": "x"}),
    ],
)
def test_load_answer_file_picks_the_format(
    tmp_path: pathlib.Path, name: str, content: str, tree: dict[str, str]
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = load_answer_file(path)
    assert (plain(result.tree), result.issues) == (tree, ())


def test_load_answer_file_reports_unreadable_paths(tmp_path: pathlib.Path) -> None:
    missing = load_answer_file(tmp_path / "missing.yaml")
    assert missing.tree is None
    assert missing.issues[0].message == "cannot read file: not found"
    folder = load_answer_file(tmp_path)
    assert folder.issues[0].message.startswith("cannot read file:")


def test_load_answer_file_does_not_read_a_huge_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(1 << 30)  # 1 GiB, sparse
    start = time.perf_counter()
    result = load_answer_file(path)
    assert time.perf_counter() - start < time_bound(0.5)
    assert "larger than 256 KiB" in result.issues[0].message


# --- time bounds on hostile input ------------------------------------------------------------


def _fill(unit: str, head: str = "", size: int = MAX_BYTES) -> str:
    """``head`` then ``unit`` repeated to just under ``size`` bytes."""
    return head + unit * ((size - 100 - len(head.encode())) // len(unit.encode()))


WORDS = "  q: " + "x " * 80 + "\n"
HOSTILE = [
    # (id, format, text, seconds); each must also come back with an issue
    ("billion laughs", "yaml", BILLION_LAUGHS, 0.1),
    ("100 000-deep YAML list", "yaml", "a: " + "[" * 100_000 + "]" * 100_000, 0.1),
    ("100 000-deep JSON list", "json", "[" * 100_000 + "]" * 100_000, 0.1),
    ("20 MB scalar", "yaml", "q1: " + "x" * 20_000_000, 0.1),
    ("20 MB JSON", "json", '{"q1": "' + "x" * 20_000_000 + '"}', 0.1),
    ("deep brackets on many lines", "yaml", ("q: " + "[" * 1000 + "\n") * 250, 1.0),
    ("deep block lists", "yaml", _fill("- "), 1.0),
    ("long flat list", "yaml", _fill("a,", "q: ["), 1.0),
    ("many keys", "yaml", "".join(f"q{i}: x\n" for i in range(MAX_BYTES // 12)), 1.0),
    ("many broken keys", "yaml", "".join(f"q{i}: [\n" for i in range(MAX_BYTES // 12)), 1.0),
    ("long scalar", "yaml", _fill("a ", "q: "), 1.0),
    ("blank lines, broken last", "yaml", _fill("\n", "q: 1") + "q: [", 1.0),
    ("long answers, broken last", "yaml", _fill(WORDS, "a:\n") + "  z: [\n", 1.0),
    ("long JSON list", "json", '{"q": [' + _fill("1,") + "1]}", 1.0),
    # the same at the largest size that is salvaged
    ("salvage: line of spaces", "yaml", "q: [\nx" + " " * (SALVAGE_MAX_CHARS - 100) + "y\n", 1.0),
    ("salvage: broken keys", "yaml", _fill("q: [\n", size=SALVAGE_MAX_CHARS), 1.0),
    ("salvage: broken children", "yaml", _fill('  "\\q": x\n', "a:\n", SALVAGE_MAX_CHARS), 1.0),
    ("salvage: broken blocks", "yaml", _fill('x:\n  "\\q": x\n', size=SALVAGE_MAX_CHARS), 1.0),
    ("salvage: blank lines", "yaml", _fill("\n", "q: 1", SALVAGE_MAX_CHARS) + "q: [", 1.0),
    ("salvage: long answers", "yaml", _fill(WORDS, "a:\n", SALVAGE_MAX_CHARS) + "  z: [\n", 1.0),
]


@pytest.mark.parametrize(
    ("fmt", "text", "seconds"), [pytest.param(*row[1:], id=row[0]) for row in HOSTILE]
)
def test_hostile_input_returns_quickly(fmt: str, text: str, seconds: float) -> None:
    data = text.encode()
    start = time.perf_counter()
    result = load_answer_bytes(data, fmt=fmt)
    elapsed = time.perf_counter() - start
    check_invariants(result)
    assert result.issues
    assert elapsed < time_bound(seconds), f"{elapsed:.3f} s"


# --- properties ------------------------------------------------------------------------------

_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace"]),
        st.integers(min_value=0),
        st.sampled_from(
            [
                *":-[]{},#&*!|>'\"%@`?\t\n \\",
                "x",
                "é",
                "\x00",
                "\ud800",
                "---",
                # Where libyaml and PyYAML disagree on broken files (found by fuzzing salvage):
                "%YAML 1.1\n",
                "\nB, ",
                "\n  q9: [",
            ]
        ),
    ),
    min_size=1,
    max_size=8,
)


def _mutate(text: str, edits: list[tuple[str, int, str]]) -> bytes:
    for operation, where, piece in edits:
        position = where % (len(text) + 1)
        if operation == "insert":
            text = text[:position] + piece + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + len(piece) :]
        else:
            text = text[:position] + piece + text[position + 1 :]
    return text.encode("utf-8", "surrogatepass")


def _timed(data: bytes, fmt: str) -> LoadResult:
    start = time.perf_counter()
    result = load_answer_bytes(data, fmt=fmt)
    assert time.perf_counter() - start < time_bound(1.0)
    check_invariants(result)
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), fmt=st.sampled_from(["yaml", "json"]))
def test_random_bytes_never_raise(data: bytes, fmt: str) -> None:
    _timed(data, fmt)


@settings(max_examples=300, deadline=None)
@given(edits=_EDITS)
def test_mutated_yaml_never_raises(edits: list[tuple[str, int, str]]) -> None:
    _timed(_mutate(SAMPLE_YAML, edits), "yaml")


@settings(max_examples=300, deadline=None)
@given(edits=_EDITS)
def test_mutated_json_never_raises(edits: list[tuple[str, int, str]]) -> None:
    _timed(_mutate(SAMPLE_JSON, edits), "json")


_SAFE_TEXT = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029"),
    max_size=12,
)
_JSON_VALUES = st.recursive(
    _SAFE_TEXT | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(_SAFE_TEXT, children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    tree=st.dictionaries(_SAFE_TEXT, _JSON_VALUES, max_size=5),
    indent=st.sampled_from([None, 0, 2, 4]),
)
def test_json_and_yaml_agree_on_values_and_lines(tree: dict[str, Any], indent: int | None) -> None:
    # JSON text is YAML too: PyYAML's own marks check the JSON line scanner.
    text = json.dumps(tree, indent=indent, ensure_ascii=False)
    from_json = load_json(text)
    from_yaml = load_yaml(text)
    assert from_json.issues == from_yaml.issues == ()
    assert from_json.tree is not None and from_yaml.tree is not None
    assert plain(from_json.tree) == plain(from_yaml.tree)
    assert lines(from_json.tree) == lines(from_yaml.tree)


# Objects as lists of members, so that a key can come twice; leaves that the tree refuses
# (NUL, too long) among the usual ones. Keys stay short: PyYAML wants a flow key under 1024.
_BAD_TEXT = st.sampled_from(["a\0b", "x" * (MAX_SCALAR_CHARS + 1)])
_MEMBER_KEYS = st.sampled_from(["q1", "q2", "a", "é", "k\0"]) | _SAFE_TEXT
_MEMBERS = st.recursive(
    _SAFE_TEXT | _BAD_TEXT | st.integers() | st.booleans(),
    lambda children: (
        st.lists(children, max_size=4).map(tuple)
        | st.lists(st.tuples(_MEMBER_KEYS, children), max_size=4)
    ),
    max_leaves=16,
)


def _json_text(value: Any, indent: int | None, level: int = 0) -> str:
    """JSON for ``value``: a list is an object's members (keys may repeat), a tuple an array."""
    if not isinstance(value, list | tuple):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        items = [
            f"{json.dumps(k, ensure_ascii=False)}: {_json_text(v, indent, level + 1)}"
            for k, v in value
        ]
        opening, closing = "{", "}"
    else:
        items = [_json_text(v, indent, level + 1) for v in value]
        opening, closing = "[", "]"
    if indent is None or not items:
        return opening + ", ".join(items) + closing
    inner, outer = "\n" + " " * indent * (level + 1), "\n" + " " * indent * level
    return opening + inner + ("," + inner).join(items) + outer + closing


@settings(max_examples=300, deadline=None)
@given(
    members=st.lists(st.tuples(_MEMBER_KEYS, _MEMBERS), max_size=5),
    indent=st.sampled_from([None, 2]),
)
def test_json_and_yaml_agree_on_duplicates_and_refused_text(
    members: list[tuple[str, Any]], indent: int | None
) -> None:
    # The JSON tree is built straight from json.loads; the YAML one from a node graph. The
    # same text must give the same tree and the same issues, in the same order.
    text = _json_text(members, indent)
    from_json, from_yaml = load_json(text), load_yaml(text)
    assert from_json.issues == from_yaml.issues
    assert plain(from_json.tree) == plain(from_yaml.tree)
    assert from_json.tree is not None and from_yaml.tree is not None
    assert lines(from_json.tree) == lines(from_yaml.tree)


def test_json_drops_an_entry_after_its_first_bad_text() -> None:
    text = '{"ok": 1,\n "q1": [{"a": 1, "a": 2},\n "\\u0000", {"b": 1, "b": 2}]}'
    result = load_json(text)
    assert [(i.line, i.key) for i in result.issues] == [(2, "q1.a"), (3, "q1")]
    assert plain(result.tree) == {"ok": "1"}
    assert result.issues == load_yaml(text).issues


def test_broken_file_too_large_to_salvage_is_unreadable() -> None:
    result = load_yaml(_fill("q: x\n", "q0: [\n", SALVAGE_MAX_CHARS + 200))
    assert result.tree is None
    assert [(i.line, i.key) for i in result.issues] == [(3, "q0")]  # PyYAML's error line


def test_too_many_broken_parts_make_the_file_unreadable() -> None:
    result = load_yaml("".join(f"q{i}: [\n" if i % 2 else f"q{i}: ok\n" for i in range(200)))
    assert result.tree is None
    assert "too much of the file is broken" in result.issues[0].message


# --- the libyaml fast path against the pure-Python reference ---------------------------------


def fast_path_only(engine: str) -> None:
    """The tests below are about the fast path: run them once, on the libyaml engine."""
    if engine != "libyaml":
        pytest.skip("about the libyaml fast path")


def graph(node: YamlNode | None) -> Any:
    """A composed node as plain data: kind, value and 0-based line, recursively."""
    if node is None:
        return None
    value: Any = node.value
    if isinstance(node, MappingNode):
        value = [(graph(key), graph(item)) for key, item in node.value]
    elif isinstance(node, SequenceNode):
        value = [graph(item) for item in node.value]
    return type(node).__name__, value, node.start_mark.line


DECLINED = "declined"


def fast_graph(text: str) -> Any:
    """The fast path's graph, or DECLINED (then the reference path decides)."""
    try:
        return graph(compose_fast(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES))
    except FastPathDeclined:
        return DECLINED


def check_fast_path_agrees(text: str) -> None:
    """Whatever the fast path accepts, the reference accepts too, with the same graph; both
    ways of the fast path (libyaml's composer, libyaml's events) are checked."""
    for c_composer in (True, False):
        yaml_fast.USE_C_COMPOSER = c_composer
        try:
            fast = fast_graph(text)
        finally:
            yaml_fast.USE_C_COMPOSER = True
        if fast != DECLINED:
            reference = compose_yaml(text, max_depth=MAX_DEPTH, budget=NodeBudget(MAX_NODES))
            assert fast == graph(reference)


@pytest.mark.parametrize("path", sorted(SUBMISSIONS.glob("*.yaml")), ids=lambda p: p.name)
def test_clean_sample_files_take_the_fast_path(path: Path, yaml_engine: str) -> None:
    fast_path_only(yaml_engine)
    text = path.read_text("utf-8")
    if load_yaml(text).issues:
        pytest.skip("a sample with problems is read by the reference path")
    assert fast_graph(text) != DECLINED  # else loading is eight times slower, silently
    assert yaml_fast._composable_in_c(text)  # ... or 2.5 times
    check_fast_path_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "q1: " + "- " * 100_000 + "x\n",  # compact nested lists on one line
        "q1: " + "[\n" * 20_000,  # flow nesting over many lines
        "".join(" " * i + f"k{i}:\n" for i in range(700)),  # block nesting by indentation
        "q1: " + "? " * 50_000 + "x\n",
    ],
    ids=["compact lists", "brackets on lines", "indentation", "complex keys"],
)
def test_deep_nesting_never_reaches_the_c_composer(text: str, yaml_engine: str) -> None:
    # libyaml's composer recurses in C without a limit: such texts must stay on the paths
    # that count depth (or a crash would take the whole batch down).
    fast_path_only(yaml_engine)
    assert not yaml_fast._composable_in_c(text)
    assert load_yaml(text).tree is None or load_yaml(text).issues


# Texts libyaml 0.2.5 reads differently from PyYAML's pure-Python scanner (found by differential
# fuzzing of the two); the fast path must decline each, so the result is the reference one.
LIBYAML_DIFFERS = [
    ("tab after a value", "q1: 1\t\nq2: 2\n"),  # PyYAML: tab error; libyaml: fine
    ("tab in a flow list", "q1: [1,\t2]\n"),
    ("BOM at a line start", "q1: [a,\n\ufeffb]\n"),  # libyaml drops the BOM, PyYAML keeps it
    ("BOM before a list", "q1:\n\ufeff- a\n"),
    ("comment right after |", "q1: |#\n  x\n"),  # PyYAML wants a space before the '#'
    ("comment right after >-", "q1: >-#c\n  x\n"),
    ("omitted flow value, next line", "q1: {a: 1, b:\n }\n"),  # lines of the empty value
    ("omitted value at the very end", "q1: 1\n? q2"),  # libyaml adds a line at the end
    ("bare document start at the end", "---"),
    ("directive", "%YAML 1.2\n---\nq1: 1\n"),
    ("old Mac line ends", "q1: 1\rq2: 2\r"),
    ("Unicode line separator", "q1: 'a\u2028b'\n"),
    # libyaml refuses, the reference reads a key with an empty value (YAML 1.2's flow rule):
    ("colon before a closing brace", "q1: {a:}\n"),
    ("colon before a comma", "q1: [a:, b]\n"),
    ("colon before a closing bracket", "q1: {b: 1, a:}\nq2: [c:]\n"),
]


@pytest.mark.parametrize("text", [pytest.param(row[1], id=row[0]) for row in LIBYAML_DIFFERS])
def test_fast_path_declines_where_libyaml_differs(text: str, yaml_engine: str) -> None:
    fast_path_only(yaml_engine)
    assert fast_graph(text) == DECLINED
    # Declined, not refused: salvage takes libyaml's refusal for a broken block.
    with pytest.raises(FastPathDeclined) as declined:
        compose_fast(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES)
    assert not isinstance(declined.value, SyntaxRejected)
    saved = yaml_fast.USE_LIBYAML
    try:
        yaml_fast.USE_LIBYAML = False
        reference = load_yaml(text)
    finally:
        yaml_fast.USE_LIBYAML = saved
    assert load_yaml(text) == reference


@pytest.mark.parametrize(
    "text",
    [
        "q1:\nq2: 5\n",  # omitted values in block context: both date them at the colon
        "q1: 1\nq2:",  # ... also at the end of a text without a final line break
        "a:\n  - 1\n  - {b: c}\n  - [d]\nc: |\n  text\nd: >-\n  fold\n  ed",
        "q1: 'it''s'\nq2: \"a\\tb \\u00e9\"\nq3: why? because\n",
        "q1: [a?b, is it 5?]\n",  # YAML 1.2: '?' inside a plain scalar of a flow collection
        "q1: {why? not: 1}\n",
        "q1: 1\r\nq2: [a,\r\n b]\r\n",  # Windows line ends
        "---\nq1: 1\n...\n",
        "# only a comment\n",
        "",
    ],
)
def test_fast_path_reads_ordinary_files_like_the_reference(text: str, yaml_engine: str) -> None:
    fast_path_only(yaml_engine)
    assert fast_graph(text) != DECLINED
    check_fast_path_agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "q1: &a 1\n",
        "q1: *a\n",
        "q1: !!int 1\n",
        "q1: [1, 2\n",
        "a: 1\n---\nb: 2\n",
        "q1: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n",
        "".join(f"q{i}: x\n" for i in range(MAX_NODES)),
        "q1: a\x01b\n",
    ],
)
def test_every_problem_is_left_to_the_reference_path(text: str, yaml_engine: str) -> None:
    fast_path_only(yaml_engine)
    # So that messages and lines stay exactly those of the pure-Python composer.
    assert fast_graph(text) == DECLINED


_YAML_PIECES = st.sampled_from(
    [
        *":-[]{},#&*!|>'\"%@`?\t\n \\",
        ": ",
        "- ",
        "? ",
        "\r\n",
        "\r",
        "\ufeff",
        "\u2028",
        "x",
        "é",
        "---",
    ]
)


@settings(max_examples=500, deadline=None)
@given(edits=_EDITS)
def test_fast_path_agrees_on_mutated_files(
    edits: list[tuple[str, int, str]], yaml_engine: str
) -> None:
    fast_path_only(yaml_engine)
    check_fast_path_agrees(_mutate(SAMPLE_YAML, edits).decode("utf-8", "surrogatepass"))


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_YAML_PIECES | st.text(max_size=3), max_size=30).map("".join))
def test_fast_path_agrees_on_yaml_like_text(text: str, yaml_engine: str) -> None:
    fast_path_only(yaml_engine)
    check_fast_path_agrees(text)


# The fast path's text checks are hand-written for speed; each agrees with a plain regex.
_NODE_PROPERTY_ORACLE = re.compile(r"(?:^|[-?:,\[{])[ ]*[&*!]", re.MULTILINE)


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_YAML_PIECES | st.text(max_size=3), max_size=40).map("".join))
def test_fast_text_checks_agree_with_their_regexes(text: str, yaml_engine: str) -> None:
    fast_path_only(yaml_engine)
    assert yaml_fast.libyaml_may_differ(text) == bool(yaml_fast._LIBYAML_DIFFERS.search(text))
    assert yaml_fast._may_hold_node_property(text) == bool(_NODE_PROPERTY_ORACLE.search(text))


@pytest.mark.parametrize(
    ("text", "property_found"),
    [
        ("q1: *a\n", True),
        ("q1: &a x\n", True),
        ("q1: !!str x\n", True),
        ("*a: 1\n", True),
        ("q1: [x, *a]\n", True),
        ('{"q1":*a}\n', True),
        ("q1:\n  - *a\n", True),
        ("q1: 2 * 3\n", False),
        ("q1: 3*2*64\n", False),
        ("q1: n! ways & more\n", False),
    ],
)
def test_node_properties_are_found_where_a_node_can_start(
    text: str, property_found: bool, yaml_engine: str
) -> None:
    fast_path_only(yaml_engine)
    assert yaml_fast._may_hold_node_property(text) is property_found


@settings(max_examples=300, deadline=None)
@given(edits=_EDITS)
@example(  # found by Hypothesis: libyaml refused "{a:}" in a block salvage then split wrongly
    edits=[
        ("insert", 0, ":"),
        ("insert", 2090, ":"),
        ("insert", 148940082, ":"),
        ("replace", 73_580_786_559, "-"),
        ("insert", 2090, ":"),
        ("insert", 1_015_655_717_565_476, ":"),
    ]
)
def test_broken_files_salvage_the_same_on_both_paths(
    edits: list[tuple[str, int, str]], yaml_engine: str
) -> None:
    # Salvage reads the clean chunks of a broken file the fast way: what it keeps, the issues
    # and their lines must be those of the pure-Python path alone.
    fast_path_only(yaml_engine)
    data = _mutate(SAMPLE_YAML, edits)
    fast = load_answer_bytes(data, fmt="yaml")
    yaml_fast.USE_LIBYAML = False
    try:
        reference = load_answer_bytes(data, fmt="yaml")
    finally:
        yaml_fast.USE_LIBYAML = True
    assert fast == reference
