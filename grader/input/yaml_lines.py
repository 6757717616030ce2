"""The plainest YAML answer files, read line by line, or declined.

Nearly every answer file is a few block mappings of one-line answers, perhaps a list or two:
the shape ``grader template`` writes. For those, walking the lines gives the very tree that
composing the file with libyaml and converting its node graph gives (:mod:`grader.loading`),
in a fraction of the time, which matters when a class of thousands is graded.

:func:`read_line_yaml` reads only what it can vouch for and declines (returns None) anything
else, so that the full readers decide, and word every error, as before:

- block mappings whose keys are plain names (letters, digits, ``_ . -``), each key once, each
  at the indentation of its mapping; block lists of one-line items (also at the indentation of
  the key that holds them, as YAML allows);
- scalars on one line: plain (not starting with an indicator, no ``: `` inside, a `` #``
  starts a comment), single-quoted, double-quoted without a backslash; a comment after them;
- blank and comment lines anywhere; LF or CRLF line breaks.

Declined: tabs, lone CRs, flow collections, block scalars, anchors, aliases, tags, directives,
document markers, multi-line scalars, a list item that holds a mapping or list, a key twice,
any character that is not printable, and files long or deep enough to near the loader's
limits. Tests compare this reader with the full one on generated texts.
"""

from __future__ import annotations

import re

from grader.input.answer_tree import MAX_SCALAR_CHARS, BadValue, Node, checked_text, plain
from grader.input.yaml_strict import MAX_OPEN_BRACKETS_PER_LINE

# Well below the loader's limits (5,000 keys and values, 16 levels): a line holds at most two
# nodes, so a file this reader takes can never reach them.
_MAX_LINES = 2_000
_MAX_DEPTH = 8
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]{0,199}):(?: +|$)")
# A plain scalar may not start with one of these (YAML's indicators); "-" may, before a
# non-space ("-3"), and is taken there; "?" and ":" may too in YAML but are left to the loader.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# The usual line, ``key: answer``, with an answer that needs no closer look: printable ASCII,
# no indicator first, neither ``:`` nor ``#`` inside (so no comment, no mapping in it).
_PLAIN_FIRST = "".join(chr(code) for code in range(0x21, 0x7F) if chr(code) not in _INDICATORS)
_PLAIN_REST = "".join(chr(code) for code in range(0x20, 0x7F) if chr(code) not in ":#")
_SIMPLE_ENTRY = re.compile(
    f"( *)([A-Za-z0-9_][A-Za-z0-9_.-]{{0,199}}): +([{re.escape(_PLAIN_FIRST)}]"
    f"(?:[{re.escape(_PLAIN_REST)}]{{0,{MAX_SCALAR_CHARS - 3}}}[{re.escape(_PLAIN_FIRST)}])?) *"
)


class _Declined(Exception):
    """The text holds something this reader does not vouch for."""


def read_line_yaml(text: str) -> Node | None:
    """The tree of ``text`` (a decoded answer file), or None when this reader declines it."""
    # Past this many, the loader looks for a line that opens too many (and refuses it).
    if text.count("[") + text.count("{") > MAX_OPEN_BRACKETS_PER_LINE:
        return None
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None  # a lone CR is a line break of its own in YAML
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if len(lines) > _MAX_LINES:
        return None
    try:
        return _read(lines)
    except _Declined:
        return None


def _read(lines: list[str]) -> Node | None:
    """Walk the lines once, keeping the open collections on a stack.

    One loop over lines, every step written out in it: this runs for each line of each
    file of a class, where a call per line would cost as much as the rest.
    """
    root: dict[str, Node] = {}
    # The open collections, outermost first: (indent, mapping or None, list or None).
    stack: list[tuple[int, dict[str, Node] | None, list[Node] | None]] = []
    awaiting: tuple[dict[str, Node], str, int, int] | None = None  # key alone on its line
    tree: Node | None = None
    simple, key_match = _SIMPLE_ENTRY.fullmatch, _KEY.match
    # The indentation and mapping of the innermost open collection, when it is a mapping.
    top_indent, top_mapping = -1, None
    for number, line in enumerate(lines, 1):
        if awaiting is None and (found := simple(line)) is not None:
            spaces, key, value = found.groups()
            if len(spaces) == top_indent and top_mapping is not None:  # the usual line
                if key in top_mapping:
                    raise _Declined  # the loader names both lines
                top_mapping[key] = Node(value, number)
                continue
        if not line.isprintable():
            raise _Declined  # even in a comment: YAML refuses such a file
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        content = content.rstrip(" ")
        item = content[0] == "-" and (len(content) == 1 or content[1] == " ")
        if awaiting is not None:
            mapping, key, at, key_indent = awaiting
            awaiting = None
            if indent > key_indent or (item and indent == key_indent):
                if len(stack) >= _MAX_DEPTH:
                    raise _Declined
                if item:
                    items: list[Node] = []
                    mapping[key] = Node(items, number)
                    stack.append((indent, None, items))
                else:
                    inner: dict[str, Node] = {}
                    mapping[key] = Node(inner, number)
                    stack.append((indent, inner, None))
            else:
                mapping[key] = Node("", at)
        elif tree is None:  # the first line: the top-level mapping starts here
            tree = Node(root, number)
            stack.append((0, root, None))
        while stack[-1][0] > indent:
            stack.pop()
        level, mapping_open, items_open = stack[-1]
        if level != indent:
            # Between two levels, or deeper than the innermost one: a line that would go on
            # with the value above (or an error); only a key alone on its line opens a level.
            raise _Declined
        if items_open is not None and not item:
            stack.pop()  # a list at its key's indentation ends at the next key
            level, mapping_open, items_open = stack[-1]
            if level != indent:
                raise _Declined
        top_mapping = None  # until this line turns out to be a key of a mapping
        if items_open is not None:
            rest = content[1:].lstrip(" ")
            if not rest or rest[0] == "#":
                raise _Declined  # an empty item, or a list or mapping below it
            items_open.append(Node(_scalar(rest, number), number))
            continue
        if item or mapping_open is None:
            raise _Declined
        found = key_match(content)
        if found is None:
            raise _Declined
        key = found.group(1)
        if key in mapping_open:
            raise _Declined
        rest = content[found.end() :]
        if rest and rest[0] != "#":
            mapping_open[key] = Node(_scalar(rest, number), number)
            top_indent, top_mapping = indent, mapping_open
        else:
            awaiting = (mapping_open, key, number, indent)
    if awaiting is not None:
        mapping, key, at, _ = awaiting
        mapping[key] = Node("", at)
    return tree


def _scalar(rest: str, number: int) -> str:
    """The text of a one-line scalar written as ``rest`` (no leading or trailing spaces)."""
    first = rest[0]
    if first == "'":
        end = rest.find("'", 1)
        while end >= 0 and rest.startswith("''", end):
            end = rest.find("'", end + 2)
        if end < 0:
            raise _Declined  # goes on to the next line
        value, after = rest[1:end].replace("''", "'"), rest[end + 1 :]
    elif first == '"':
        end = rest.find('"', 1)
        if end < 0 or "\\" in rest[1:end]:
            raise _Declined
        value, after = rest[1:end], rest[end + 1 :]
    else:
        if first in _INDICATORS and not (first == "-" and len(rest) > 1 and rest[1] != " "):
            raise _Declined
        comment = rest.find(" #")
        value, after = (rest if comment < 0 else rest[:comment].rstrip(" ")), ""
        if ": " in value or value.endswith(":"):
            raise _Declined  # a mapping inside a value: an error the loader words
    if after and not (after[0] == " " and after.lstrip(" ")[0] == "#"):
        raise _Declined  # text after a closing quote
    if plain(value):
        return value
    try:
        return checked_text(value, number)
    except BadValue:
        raise _Declined from None
