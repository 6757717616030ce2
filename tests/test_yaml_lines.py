"""Tests for grader.input.yaml_lines: the line reader gives the full readers' tree, or declines.

The reference is the loader without the line reader (libyaml's composer, then PyYAML's
pure-Python one, whose reading is the grader's definition of YAML). Generated texts mix the
lines students write with every construct the line reader must decline; whatever it takes
must load to the same tree with no issue. Hand-written cases pin what it must take (else it
would be no faster) and trees worked out from the YAML rules.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_loading import _EDITS, _mutate

from grader.input import loading, yaml_fast
from grader.input.answer_tree import MAX_SCALAR_CHARS, Node
from grader.input.loading import LoadResult, load_answer_bytes
from grader.input.yaml_lines import read_line_yaml


def reference(text: str, *, libyaml: bool = True) -> LoadResult:
    """The loader's result for ``text`` without the line reader."""
    saved = loading.USE_LINE_READER, yaml_fast.USE_LIBYAML
    loading.USE_LINE_READER, yaml_fast.USE_LIBYAML = False, libyaml and yaml_fast.USE_LIBYAML
    try:
        return load_answer_bytes(text.encode("utf-8", "surrogatepass"), fmt="yaml")
    finally:
        loading.USE_LINE_READER, yaml_fast.USE_LIBYAML = saved


def agrees(text: str) -> Node | None:
    """The line reader's tree of ``text``, having checked it against the reference."""
    tree = read_line_yaml(text)
    if tree is not None:
        assert reference(text) == LoadResult(tree, ()), text
        assert reference(text, libyaml=False) == LoadResult(tree, ()), text
    return tree


# --- generated texts --------------------------------------------------------------------------

KEYS = st.sampled_from(
    ["q1.a", "q1.b", "answers", "student", "id", "a", "b", "x_1", "q2-c", "1", "<<", "a b",
     "'q'", '"q"', "? q", "-q", "q#", "&a q", "!!str q", "q:", "é", "q.", "~", "yes"]
)  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(
        ["288", "2 × 56 × 56", "1,806", "O(L^2)", "memory-bound", "-3", "- 3", "-", "1.8e6",
         "a: b", "a:b", "a #c", "a#c", "a:", "'it''s'", "'a' b", "'a'#c", "'open", '"x y"',
         '"a\\nb"', '"a" # c', "[1, 2]", "{a: 1}", "&a x", "*a", "!t x", "|", ">", "|-", "%x",
         "@x", "`x`", "?x", "? x", ":x", ",x", "~", "null", "2,25", "x\u202ey", "a\u00a0b",
         "π r²", "10−3", "\u2028", "…", "x  y", "---", "...", "#", "# c", "'", "''", '""',
         "\\frac{1}{2}", "a\tb", "\x85", "\ud800", "\x00", "a\x7fb"]
    ),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text("ab 0:#'\"-,", max_size=8),
)  # fmt: skip


@st.composite
def lines(draw: st.DrawFn) -> str:
    """One line a student might write (or a hostile one)."""
    indent = " " * draw(st.sampled_from([0, 0, 0, 1, 2, 2, 2, 3, 4, 4, 6]))
    kind = draw(st.sampled_from(["entry", "entry", "entry", "key", "item", "comment", "blank",
                                 "marker", "raw"]))  # fmt: skip
    if kind == "entry":
        return f"{indent}{draw(KEYS)}:{draw(st.sampled_from([' ', '  ', '']))}{draw(VALUES)}"
    if kind == "key":
        return f"{indent}{draw(KEYS)}:{draw(st.sampled_from(['', ' ', ' # note', '#x']))}"
    if kind == "item":
        return f"{indent}-{draw(st.sampled_from([' ', '  ', '']))}{draw(VALUES)}"
    if kind == "comment":
        return f"{indent}# {draw(VALUES)}"
    if kind == "blank":
        return indent
    if kind == "marker":
        return draw(st.sampled_from(["---", "...", "--- a", "%YAML 1.1"]))
    return indent + draw(VALUES)


@st.composite
def texts(draw: st.DrawFn) -> str:
    body = draw(st.lists(lines(), min_size=1, max_size=14))
    trailing = " " * draw(st.integers(0, 2))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(line + trailing for line in body)
    return text + draw(st.sampled_from(["", "\n", "\r\n", "\n\n"]))


PLAIN_VALUES = st.sampled_from(
    ["288", "2 × 56 × 56 × 3 × 3 × 32", "1,806", "O(L^2)", "memory-bound", "-3", "1.8e6",
     "2,25", "x  y", "a:b", "a#b", "http://x.org/#a", "~", "null", "yes", "'it''s'", '"q r"',
     "'a' # c", "π r²", "10−3", "50%", "1/2", "(a)", "a, b", "x]", "x}", "a - b", "--x"]
)  # fmt: skip


@st.composite
def plausible_texts(draw: st.DrawFn) -> str:
    """A file shaped as students write them (nested mappings, lists, comments, blank lines,
    quotes, CRLF), then perhaps a line or two made hostile: most are taken, some are near
    misses that must be declined."""
    step = draw(st.sampled_from([1, 2, 2, 4]))
    out: list[str] = []

    def mapping(indent: int, depth: int) -> None:
        for number in range(draw(st.integers(1, 4))):
            key = draw(st.sampled_from(["q1.a", "q1.b", "q2", "id", "name", "x_1", "a-b"]))
            key = f"{key}{number}"
            pad = " " * indent
            if draw(st.integers(0, 6)) == 0:
                out.append(pad + draw(st.sampled_from(["", "# note", "#", "   "])))
            shape = draw(st.sampled_from(["value", "value", "value", "empty", "list", "map"]))
            if shape == "value":
                comment = draw(st.sampled_from(["", "", " # why", "  #"]))
                out.append(f"{pad}{key}: {draw(PLAIN_VALUES)}{comment}")
            elif shape == "empty" or (shape == "map" and depth >= 3):
                out.append(f"{pad}{key}:{draw(st.sampled_from(['', ' ', ' # later']))}")
            elif shape == "list":
                out.append(f"{pad}{key}:")
                item_pad = " " * (indent + draw(st.sampled_from([0, step])))
                for _ in range(draw(st.integers(1, 3))):
                    out.append(f"{item_pad}- {draw(PLAIN_VALUES)}")
            else:
                out.append(f"{pad}{key}:")
                mapping(indent + step, depth + 1)

    mapping(0, 1)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(out)))
        out.insert(at, draw(lines()))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(out) + draw(st.sampled_from(["", newline]))


TEMPLATE_SHAPED = """\
# Answers
assignment: roofline-1
student:
  id: s1234567
  name: Ada Lovelace
answers:
  q1.a: 288
  q1.b: 2 × 56 × 56 × 3 × 3 × 32   # FLOPs
  q2.a: '65536'
  q2.c:
    exp: 4096
    add: "4032"
  q3.a:
  q6.advantages:
  - parallel training
  - long-range dependencies
"""


def edited(edits: list[tuple[str, int, str]]) -> str:
    """The template's shape with characters inserted, deleted or replaced (as a slip of the
    keyboard would, with test_loading's edits): the near misses of a real file."""
    return _mutate(TEMPLATE_SHAPED, edits).decode("utf-8", "surrogatepass")


@settings(max_examples=500, deadline=None)
@given(st.one_of(texts(), plausible_texts(), _EDITS.map(edited)))
def test_a_text_it_takes_loads_to_the_same_tree(text: str) -> None:
    agrees(text)


ANSWER = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E, exclude_characters=":#'\"\\"),
    min_size=1,
    max_size=30,
).filter(lambda text: text.strip() == text and text[0] not in "-?,[]{}&*!|>%@`")


@settings(max_examples=200, deadline=None)
@given(
    answers=st.dictionaries(st.from_regex(r"q[1-6]\.[a-e]", fullmatch=True), ANSWER, max_size=20),
    listed=st.lists(ANSWER, min_size=1, max_size=4),
    indent=st.sampled_from([1, 2, 4]),
    same_level_list=st.booleans(),
)
def test_a_template_shaped_file_is_taken(
    answers: dict[str, str], listed: list[str], indent: int, same_level_list: bool
) -> None:
    # What ``grader template`` writes, filled in: the line reader must take it (or it saves
    # nothing), and give the reference's tree.
    pad = " " * indent
    list_pad = pad + ("" if same_level_list else pad)
    text = (
        "# answers to the roofline sheet\nassignment: roofline-1\nstudent:\n"
        f"{pad}id: s123\n{pad}name: Ada Lovelace\n\nanswers:\n"
        + "".join(f"{pad}{key}: {value}\n" for key, value in answers.items())
        + f"{pad}q6.advantages:\n"
        + "".join(f"{list_pad}- {value}\n" for value in listed)
    )
    tree = agrees(text)
    assert tree is not None
    assert isinstance(tree.value, dict) and isinstance(tree.value["answers"].value, dict)
    assert {key: node.value for key, node in tree.value["answers"].value.items()} == {
        **answers,
        # the header takes lines 1-7, the answers the next ones, then the list's key
        "q6.advantages": [Node(item, 9 + len(answers) + at) for at, item in enumerate(listed)],
    }


# --- cases worked out by hand -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        pytest.param(
            "a: 1\nb:\n  c: x y  # note\n  d: 'it''s'\ne: \"q\"\n",
            {"a": ("1", 1), "b": ({"c": ("x y", 3), "d": ("it's", 4)}, 3), "e": ("q", 5)},
            id="nested mapping, comment, both quotes",
        ),
        pytest.param(
            "# head\n\nq6:\n- one\n-   two # why\nq7: -3\n",
            {"q6": ([("one", 4), ("two", 5)], 4), "q7": ("-3", 6)},
            id="list at its key's indentation, then a key",
        ),
        pytest.param(
            "a:\r\n  - x\r\nb:\r\n",
            {"a": ([("x", 2)], 2), "b": ("", 3)},
            id="CRLF; an empty answer at the end is dated at its key",
        ),
        pytest.param(
            "a:   # nothing yet\n\n\nb: 2,25\nc: O(L^2) ×2\n",
            {"a": ("", 1), "b": ("2,25", 4), "c": ("O(L^2) ×2", 5)},
            id="empty answer before blank lines; non-ASCII text",
        ),
        pytest.param(
            "u: http://x.org/a#b\nv: a:b\nw: 50%\n",
            {"u": ("http://x.org/a#b", 1), "v": ("a:b", 2), "w": ("50%", 3)},
            id="colons and hashes that start nothing",
        ),
    ],
)
def test_trees_worked_out_by_hand(text: str, tree: dict[str, object]) -> None:
    def node(shape: object) -> Node:
        value, line = shape  # type: ignore[misc]
        if isinstance(value, dict):
            return Node({key: node(child) for key, child in value.items()}, line)
        if isinstance(value, list):
            return Node([node(child) for child in value], line)
        return Node(value, line)

    # The top-level mapping starts at its first key's line (after comments and blank lines).
    first_key = next(number for number, line in enumerate(text.splitlines(), 1)
                     if line[:1] not in ("", "#"))  # fmt: skip
    assert agrees(text) == Node({key: node(shape) for key, shape in tree.items()}, first_key)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n  b\n",  # a plain answer going on to the next line
        "a:\n  - x\n  c: 1\n",  # a key after a list's items, at their indentation
        "a:\n  - b: 1\n",  # a mapping inside a list item
        "a:\n  -\n",  # an empty item
        "a:\n    b: 1\n  c: 2\n",  # between two levels
        "a: 1\na: 2\n",  # a key twice: the loader names both lines
        "a: [1, 2]\n",  # flow collection
        "a: |\n  x\n",  # block scalar
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: 'open\n  end'\n",  # a quoted answer over two lines
        'a: "x\\ty"\n',  # an escape
        "a: x\rb: y\n",  # a lone CR
        "a:\tx\n",  # a tab
        "--- \na: 1\n",  # a document marker
        "  a: 1\n",  # an indented top level
        "- a\n",  # a list at the top
        "# only a comment\n",
        "a: b: c\n",  # a mapping in a value
        "a: 'x' y\n",  # text after a closing quote
        "a: x\u202ey\n",  # a character that is not printable
        "a: " + "x" * MAX_SCALAR_CHARS + "y\n",  # longer than an answer may be
        "a: x" + "[" * 65 + "\n",  # the loader refuses so many brackets on a line
        "a:\n" + "".join(f"{' ' * (2 * depth)}k{depth}:\n" for depth in range(1, 12)),
    ],
)
def test_what_it_declines(text: str) -> None:
    assert read_line_yaml(text) is None
    # The rows hold at least one YAML construct the reader must leave alone; the loader
    # reads every row all the same (an issue, or a tree where YAML allows it).
    assert reference(text) == reference(text, libyaml=False)


@pytest.fixture(autouse=True)
def _line_reader_on() -> Iterator[None]:
    assert loading.USE_LINE_READER  # the grader's setting, which agrees() compares against
    yield
