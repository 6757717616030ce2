"""Strict JSON reading into the answer tree of :mod:`grader.answer_tree`, as YAML is read.

``json.loads`` does the parsing, with hooks that keep every number as the student's text, keep
duplicate keys (reported with both lines, as for YAML) and mark ``NaN``/``Infinity`` for
refusal. ``json`` reports no positions to its hooks, so a small scanner over the (by then known
valid) text finds the line of every key and value afterwards. The tree is built straight from
``json.loads``' output, with the same checks and messages as a YAML file's (the same text read
as YAML gives the same tree and issues; a test holds them to it).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from grader.input.answer_tree import (
    BadValue,
    LoadIssue,
    Node,
    answered_twice,
    checked_text,
    issue,
    named_issue,
    plain,
)
from grader.input.yaml_strict import ComposeError

# What the line scanner looks at in (already valid) JSON: a line break; a string, with the colon
# after it if it is a key; an opening bracket; a bare word (number, true, false, null, NaN).
# Closing brackets and commas carry no line anyone asks for, so they are skipped.
_TOKEN = re.compile(r'(\n)|"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[{\[]|[^\s{}\[\],:"]+')
_BREAK, _KEY = 1, 2  # the groups of _TOKEN


class _Members(list[tuple[str, Any]]):
    """The members of one JSON object, in order, duplicates kept."""


class _NonFinite(str):
    """``NaN``, ``Infinity`` or ``-Infinity``: valid for ``json``, refused by the grader."""

    __slots__ = ()


def read_json(text: str, *, max_depth: int, max_nodes: int) -> tuple[Node, list[LoadIssue]]:
    """Parse ``text`` into its tree, every scalar as text, every node with its line, and the
    issues of the keys and values left out of it (duplicates, text that cannot be kept).

    Raises:
        ComposeError: For invalid JSON, ``NaN``/``Infinity``, nesting deeper than ``max_depth``,
            more than ``max_nodes`` values; always about the whole file.
    """
    try:
        value = json.loads(
            text,
            object_pairs_hook=_Members,
            parse_constant=_NonFinite,
            parse_int=str,
            parse_float=str,
        )
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (column {error.colno})"
        raise ComposeError(message, error.lineno, whole_file=True) from None
    except RecursionError:
        message = f"nested more than {max_depth} levels deep"
        raise ComposeError(message, None, whole_file=True) from None
    except (ValueError, MemoryError) as error:
        message = f"the file cannot be read ({type(error).__name__})"
        raise ComposeError(message, None, whole_file=True) from None
    if "\n" in text:
        value_lines, key_lines = _token_lines(text)
        builder = _TreeBuilder(iter(value_lines), iter(key_lines), max_depth, max_nodes)
    else:  # one line, as json.dump writes by default: nothing to scan
        builder = _TreeBuilder(itertools.repeat(1), itertools.repeat(1), max_depth, max_nodes)
    tree = builder.value(value, path="", depth=0)
    return tree, builder.issues


def _token_lines(text: str) -> tuple[list[int], list[int]]:
    """1-based lines of every value start and of every key, in document order.

    ``text`` has been parsed by ``json`` already, so strings hold no raw line break and the
    token pattern cannot go wrong; a string is a key exactly when a colon follows it.
    """
    value_lines: list[int] = []
    key_lines: list[int] = []
    line = 1
    for match in _TOKEN.finditer(text):
        group = match.lastindex
        if group == _BREAK:
            line += 1
        elif group == _KEY:
            key_lines.append(line)
            line += match.group(_KEY).count("\n")  # `"key"` and its colon on different lines
        else:
            value_lines.append(line)
    return value_lines, key_lines


class _TreeBuilder:
    """Builds the tree from ``json.loads`` output, taking lines in document order.

    Every value is walked, also one that will be left out (a duplicate, or an entry holding
    bad text), so that the lines stay in step and a file-wide limit is found wherever it is
    broken. Issues come out in the order the YAML tree builder finds them: per mapping, its
    refused keys, then its entries in order, an entry's inner issues before its own; nothing
    from an entry after the first bad text in it, nor from one left out.
    """

    def __init__(
        self, value_lines: Iterator[int], key_lines: Iterator[int], max_depth: int, max_nodes: int
    ) -> None:
        self.value_lines = value_lines
        self.key_lines = key_lines
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes_left = max_nodes
        self.issues: list[LoadIssue] = []  # of the entry being built
        self.bad: BadValue | None = None  # the first bad text in the entry being built

    def value(self, value: object, *, path: str, depth: int) -> Node:
        """The node for ``value``; its line is the next value line (pre-order = text order)."""
        line = next(self.value_lines)
        self._count(line)
        if type(value) is str:  # most values: the student's text, taken as it is
            return Node(value if plain(value) else self._text(value, line), line)
        if isinstance(value, list):  # a list or an object (_Members)
            if depth + 1 > self.max_depth:
                message = f"nested more than {self.max_depth} levels deep"
                raise ComposeError(message, line, path or None, whole_file=True)
            if isinstance(value, _Members):
                return self._mapping(value, path=path, depth=depth + 1, line=line)
            return Node([self.value(item, path=path, depth=depth + 1) for item in value], line)
        return Node(self._text(_scalar_text(value, path, line), line), line)

    def _text(self, text: str, line: int) -> str:
        """Checked text; bad text marks the entry being built as left out."""
        try:
            return checked_text(text, line)
        except BadValue as bad:
            if self.bad is None:
                self.bad = bad
            return ""

    def _count(self, line: int) -> None:
        """Count a key or value (as the YAML composer does); refuse the file past the cap."""
        self.nodes_left -= 1
        if self.nodes_left < 0:
            message = f"the file holds more than {self.max_nodes} keys and values"
            raise ComposeError(message, line, whole_file=True)

    def _entry(self, item: object, *, path: str, depth: int) -> tuple[Node | None, list[LoadIssue]]:
        """An entry's value (None if it is left out for bad text) and its issues (the last
        about that bad text)."""
        outer_issues, outer_bad = self.issues, self.bad
        self.issues, self.bad = [], None
        try:
            node = self.value(item, path=path, depth=depth)
            issues, bad = self.issues, self.bad
        finally:
            self.issues, self.bad = outer_issues, outer_bad
        if bad is None:
            return node, issues
        issues.append(issue(bad.message, bad.line, path, source=bad.source))
        return None, issues

    def _mapping(self, members: _Members, *, path: str, depth: int, line: int) -> Node:
        """A mapping without the keys it cannot keep: a refused key, a key that comes twice
        (all its entries), an entry holding bad text. Runs for every file: the usual entry,
        a plain key with plain text, is handled inline."""
        next_key, next_value = self.key_lines.__next__, self.value_lines.__next__
        refused: list[LoadIssue] = []  # keys that cannot be kept
        entries: list[tuple[str, int, Node | None, Sequence[LoadIssue]]] = []
        troubled = False  # an entry left out or with issues inside
        for key, item in members:
            key_line = next_key()
            if type(item) is str and plain(item) and plain(key):
                value_line = next_value()
                self.nodes_left -= 2
                if self.nodes_left < 0:
                    self._count(key_line if self.nodes_left < -1 else value_line)
                entries.append((key, key_line, Node(item, value_line), ()))
                continue
            self._count(key_line)
            node, issues = self._entry(item, path=f"{path}.{key}" if path else key, depth=depth)
            troubled = troubled or node is None or bool(issues)
            try:
                entries.append((checked_text(key, key_line), key_line, node, issues))
            except BadValue as bad:
                refused.append(issue(f"a key {bad.message}", bad.line, path or None))
        tree = {key: node for key, _, node, _ in entries if node is not None}
        if troubled or refused or len(tree) < len(entries):
            found = refused + [i for _, _, _, issues in entries for i in issues]
            if len({key for key, *_ in entries}) < len(entries):
                tree, found = self._without_duplicates(members, entries, refused, path)
            if self.bad is None:  # after an entry's first bad text, nothing more from it
                self.issues += found
        return Node(tree, line)

    def _without_duplicates(
        self,
        members: _Members,
        entries: list[tuple[str, int, Node | None, Sequence[LoadIssue]]],
        refused: list[LoadIssue],
        path: str,
    ) -> tuple[dict[str, Node], list[LoadIssue]]:
        """The tree and issues of a mapping where a key comes twice: it is reported once, where
        it first came, and none of its entries is kept."""
        lines: dict[str, list[int]] = {}
        for key, key_line, _, _ in entries:
            lines.setdefault(key, []).append(key_line)
        tree: dict[str, Node] = {}
        found = refused
        sources = _sources_of_duplicates(members, lines)
        for key, _, node, issues in entries:
            twice = lines[key]
            if len(twice) == 1:
                found += issues
                if node is not None:
                    tree[key] = node
            elif twice:
                dotted = f"{path}.{key}" if path else key
                twice.sort()
                message = answered_twice(dotted, twice)
                found.append(named_issue(message, twice[1], dotted, source=sources.get(key)))
                lines[key] = []
        return tree, found


def _sources_of_duplicates(members: _Members, lines: dict[str, list[int]]) -> dict[str, str]:
    """The values of each key that comes more than once (``lines``: the lines of each key
    kept), as the text a TA's decision on the part is bound to, one line each."""
    sources: dict[str, list[str]] = {}
    for raw_key, item in members:
        try:
            key = checked_text(raw_key, None)
        except BadValue:
            continue  # a refused key is no entry
        if len(lines.get(key, ())) > 1:
            sources.setdefault(key, []).append(_raw_source(item))
    return {key: "\n".join(texts) for key, texts in sources.items()}


def _raw_source(item: object) -> str:
    """A value as ``json.loads`` gave it, as text (arrays and objects in flow style, every
    member kept): what the YAML reader makes of the same text's nodes."""
    if isinstance(item, _Members):
        return "{" + ", ".join(f"{key}: {_raw_source(value)}" for key, value in item) + "}"
    if isinstance(item, list):
        return "[" + ", ".join(_raw_source(value) for value in item) + "]"
    if isinstance(item, bool):
        return "true" if item else "false"
    if item is None:
        return "null"
    return str(item)


def _scalar_text(value: object, path: str, line: int) -> str:
    """The student's text for a JSON scalar that is not a string (numbers are already text)."""
    if isinstance(value, _NonFinite):
        message = f"{value} is not a number the grader accepts: write the answer as text"
        raise ComposeError(message, line, path or None, whole_file=True)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""  # null: the question is unanswered
    raise ComposeError(f"unexpected JSON value {type(value).__name__}", line, path or None)
