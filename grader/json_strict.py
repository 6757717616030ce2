"""Strict JSON reading into the same node graph as :mod:`grader.yaml_strict`.

``json.loads`` does the parsing, with hooks that keep every number as the student's text, keep
duplicate keys (so ``grader.loading`` can report them with both lines, as for YAML) and mark
``NaN``/``Infinity`` for refusal. ``json`` reports no positions to its hooks, so a small scanner
over the (by then known valid) text finds the line of every key and value afterwards.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from grader.yaml_strict import ComposeError, line_mark

# What the line scanner looks at in (already valid) JSON: a line break; a string, with the colon
# after it if it is a key; an opening bracket; a bare word (number, true, false, null, NaN).
# Closing brackets and commas carry no line anyone asks for, so they are skipped.
_TOKEN = re.compile(r'(\n)|"[^"\\]*(?:\\.[^"\\]*)*"(\s*:)?|[{\[]|[^\s{}\[\],:"]+')
_BREAK, _KEY = 1, 2  # the groups of _TOKEN
_STR = BaseResolver.DEFAULT_SCALAR_TAG


class _Members(list[tuple[str, Any]]):
    """The members of one JSON object, in order, duplicates kept."""


class _NonFinite(str):
    """``NaN``, ``Infinity`` or ``-Infinity``: valid for ``json``, refused by the grader."""

    __slots__ = ()


def read_json(text: str, *, max_depth: int, max_nodes: int) -> Node:
    """Parse ``text`` and build its node graph, every scalar as text, every node with its line.

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
    value_lines, key_lines = _token_lines(text)
    builder = _Builder(iter(value_lines), iter(key_lines), max_depth, max_nodes)
    return builder.node(value, path="", depth=0)


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


class _Builder:
    """Turns ``json.loads`` output into PyYAML nodes, taking lines in document order."""

    def __init__(
        self, value_lines: Iterator[int], key_lines: Iterator[int], max_depth: int, max_nodes: int
    ) -> None:
        self.value_lines = value_lines
        self.key_lines = key_lines
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.nodes_left = max_nodes

    def node(self, value: object, *, path: str, depth: int) -> Node:
        """The node for ``value``; its line is the next value line (pre-order = text order)."""
        line = next(self.value_lines)
        self._count(line)
        if type(value) is str:  # most values: the student's text, taken as it is
            return ScalarNode(_STR, value, line_mark(line))
        if isinstance(value, list) and depth + 1 > self.max_depth:
            message = f"nested more than {self.max_depth} levels deep"
            raise ComposeError(message, line, path or None, whole_file=True)
        if isinstance(value, _Members):
            return self._mapping(value, path=path, depth=depth + 1, line=line)
        if isinstance(value, list):
            children = [self.node(item, path=path, depth=depth + 1) for item in value]
            return SequenceNode(BaseResolver.DEFAULT_SEQUENCE_TAG, children, line_mark(line))
        return ScalarNode(_STR, _text(value, path, line), line_mark(line))

    def _count(self, line: int) -> None:
        """Count a key or value (as the YAML composer does); refuse the file past the cap."""
        self.nodes_left -= 1
        if self.nodes_left < 0:
            message = f"the file holds more than {self.max_nodes} keys and values"
            raise ComposeError(message, line, whole_file=True)

    def _mapping(self, members: _Members, *, path: str, depth: int, line: int) -> MappingNode:
        pairs: list[tuple[Node, Node]] = []
        for key, item in members:
            key_line = next(self.key_lines)
            self._count(key_line)
            key_node = ScalarNode(_STR, key, line_mark(key_line))
            child_path = f"{path}.{key}" if path else key
            pairs.append((key_node, self.node(item, path=child_path, depth=depth)))
        return MappingNode(BaseResolver.DEFAULT_MAPPING_TAG, pairs, line_mark(line))


def _text(value: object, path: str, line: int) -> str:
    """The student's text for a JSON scalar (numbers are already text)."""
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
