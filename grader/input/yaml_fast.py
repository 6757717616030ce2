"""The fast path of YAML composing: libyaml in C, with the reference's checks, or decline.

:func:`compose_fast` returns the same graph as :func:`grader.yaml_strict.compose_yaml` for a
clean file, or raises :class:`FastPathDeclined` so that the reference reads the text again (and
words any error). It tries two ways, fastest first:

1. libyaml's own composer (``CParser.get_single_node``, Cython). It resolves aliases, takes
   anchors and tags silently and recurses in C with no depth limit, so it only gets texts where
   none of that can happen, checked on the text, and its graph is checked like the events are.
2. libyaml's event parser, composed here with every check as each event arrives: slower than
   1, much faster than the pure-Python reference (benchmarks/README.md has the figures).
"""

from __future__ import annotations

import itertools
import re
from typing import Any, cast

import yaml
from yaml.error import Mark
from yaml.events import (
    CollectionStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import ParserError
from yaml.resolver import BaseResolver
from yaml.scanner import ScannerError

from grader.input.yaml_strict import MERGE_KEY

if yaml.__with_libyaml__:  # False when PyYAML was built without libyaml: Python only, then
    from yaml._yaml import CParser as _CParser

# Read by compose_fast at every call, so tests can run every input through the reference path.
USE_LIBYAML: bool = yaml.__with_libyaml__

# Texts the fast path leaves to the reference without trying (each has a test). Found by
# differential fuzzing of libyaml 0.2.5 against PyYAML's pure-Python scanner, where libyaml
# accepts a text that PyYAML refuses or reads differently:
# - a tab: PyYAML refuses "q1: 1\t" and "[1,\t2]", libyaml skips the tab;
# - a BOM: libyaml skips one at the start of every line, PyYAML only at the start of the text;
# - a block scalar header followed by anything but a space or a break ("|#"): PyYAML wants a
#   space before a comment there.
# The other way round, libyaml refuses what the reference reads: a colon right before a flow
# collection's `,` `]` `}` ("{a:}", "[a:, b]"), a key with an empty value under the reference's
# YAML 1.2 flow rule (grader.yaml_strict.StrictLoader.scan_plain); salvage would take libyaml's
# refusal for a broken block.
# And for simplicity, since answer files hardly ever hold them: line breaks other than LF and
# CRLF (CR, NEL, LS, PS; the end-of-text check below counts LF only) and directives ("%YAML").
_LIBYAML_DIFFERS = re.compile(
    "[\t\ufeff\x85\u2028\u2029]|\r(?!\n)|^%|(?:^| )[|>][-+0-9]*[^-+0-9 \r\n]|:[,\\]}]",
    re.MULTILINE,
)
_LONE_CR = re.compile("\r(?!\n)")
_BAD_BLOCK_HEADER = re.compile("(?:^| )[|>][-+0-9]*[^-+0-9 \r\n]", re.MULTILINE)


def libyaml_may_differ(text: str) -> bool:
    """Whether ``_LIBYAML_DIFFERS`` matches ``text``: the same answer, found with substring
    tests first (a regex with anchors steps through every character of every file)."""
    if any(char in text for char in "\t\ufeff\x85\u2028\u2029"):
        return True
    if "\r" in text and _LONE_CR.search(text):
        return True
    if text.startswith("%") or "\n%" in text:
        return True
    if ":," in text or ":]" in text or ":}" in text:
        return True
    return ("|" in text or ">" in text) and _BAD_BLOCK_HEADER.search(text) is not None


class FastPathDeclined(Exception):
    """The libyaml path does not vouch for this text; the pure-Python path must decide."""


class SyntaxRejected(FastPathDeclined):
    """libyaml found a syntax error (the pure-Python path, which words it, finds it too)."""


def compose_fast(text: str, *, max_depth: int, max_nodes: int) -> Node | None:
    """Compose a whole, clean file with libyaml and the same checks as the reference.

    Only a text that passes every check comes back: any problem (a syntax error, a tag, a
    duplicate document, too many nodes, too deep) declines, so that the pure-Python path reads
    the text again and words the error exactly as it always has.

    Raises:
        FastPathDeclined: The text has a problem, may read differently under libyaml, or
            libyaml is not available.
    """
    if not USE_LIBYAML or libyaml_may_differ(text) or MERGE_KEY in text:
        raise FastPathDeclined  # a merge key is refused, and the reference path words it
    try:
        if USE_C_COMPOSER and _composable_in_c(text):
            return _compose_in_c(text, max_depth, max_nodes)
        return _LibyamlComposer(text, max_depth, max_nodes).document()
    except (ScannerError, ParserError) as error:
        raise SyntaxRejected from error
    except Exception as error:  # libyaml's errors and ours alike: the reference path words them
        raise FastPathDeclined from error


class _Declined(Exception):
    """Raised inside the fast composer; turned into FastPathDeclined by compose_fast."""


class _LibyamlComposer:
    """Builds the graph :class:`StrictLoader` builds, from libyaml's events, or declines.

    The checks are the reference path's: no alias, anchor or tag, at most ``max_depth`` nested
    collections and ``max_nodes`` keys and values, one document. Duplicate keys and scalar
    lengths are checked later, on the graph, by ``grader.loading`` for both paths alike.
    """

    def __init__(self, text: str, max_depth: int, max_nodes: int) -> None:
        # A str, not the bytes: the text was decoded and checked once, in grader.loading.
        self.next_event = _CParser(text).get_event
        self.max_depth = max_depth
        self.nodes_left = max_nodes
        self.last_line = text.count("\n")  # 0-based; only LF and CRLF reach this path

    def document(self) -> Node | None:
        """The root of the only document, or None for a text without one."""
        next_event = self.next_event
        next_event()  # stream start
        if type(next_event()) is StreamEndEvent:  # otherwise the document start
            return None
        root = self.node(next_event(), depth=0, in_flow=False)
        next_event()  # document end
        if type(next_event()) is not StreamEndEvent:
            raise _Declined("a second document")
        return root

    def node(self, event: Event | None, *, depth: int, in_flow: bool) -> Node:
        """The node that ``event`` starts (and its children, for a collection)."""
        self.nodes_left -= 1
        if self.nodes_left < 0:
            raise _Declined("too many nodes")
        kind = type(event)
        if kind is ScalarEvent:
            scalar = cast(ScalarEvent, event)
            if scalar.anchor is not None or scalar.tag is not None:
                raise _Declined("anchor or tag")
            mark = cast(Mark, scalar.start_mark)
            if scalar.style == "" and _misread_plain(scalar.value, mark, in_flow, self.last_line):
                raise _Declined("plain scalar that PyYAML may read differently")
            return ScalarNode(_STR, scalar.value, mark, None, scalar.style or None)
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            return self.collection(cast(CollectionStartEvent, event), depth=depth + 1)
        raise _Declined("alias")

    def collection(self, start: CollectionStartEvent, *, depth: int) -> Node:
        """A mapping or sequence whose start event is ``start``, at nesting level ``depth``."""
        if start.anchor is not None or start.tag is not None:
            raise _Declined("anchor or tag")
        if depth > self.max_depth:
            raise _Declined("too deep")
        in_flow = bool(start.flow_style)
        next_event, node = self.next_event, self.node
        mark = cast(Mark, start.start_mark)
        if type(start) is SequenceStartEvent:
            items: list[Node] = []
            while type(event := next_event()) is not SequenceEndEvent:
                items.append(node(event, depth=depth, in_flow=in_flow))
            return SequenceNode(_SEQ, items, mark, None, start.flow_style)
        pairs: list[tuple[Node, Node]] = []
        while type(event := next_event()) is not MappingEndEvent:
            key = node(event, depth=depth, in_flow=in_flow)
            pairs.append((key, node(next_event(), depth=depth, in_flow=in_flow)))
        return MappingNode(_MAP, pairs, mark, None, start.flow_style)


def _misread_plain(value: str, mark: Mark, in_flow: bool, last_line: int) -> bool:
    """Whether PyYAML may read this plain scalar differently from libyaml (or not at all).

    - An omitted value: libyaml may date it at the next token where PyYAML dates it at the colon,
      in a flow collection ("{a:" then "}" on the next line) and at the end of a text without a
      final line break (libyaml counts one more line there).
    """
    if in_flow:
        return not value
    return not value and mark.line > last_line


_STR = BaseResolver.DEFAULT_SCALAR_TAG
_SEQ = BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP = BaseResolver.DEFAULT_MAPPING_TAG


# --- libyaml's own composer -------------------------------------------------------------------

# The C composer recurses once per nesting level, without a limit (100,000 levels crash the
# process). Flow nesting needs brackets; a block node starts at a column right of its parent's
# (or at the same one, a list in a mapping), so block nesting is bounded by columns: by the
# indentation, plus the compact indicators ("- - - x") of one line. With these bounds no text
# composed in C nests more than about 350 levels, which fits a 256 KiB thread stack.
_MAX_FLOW_BRACKETS = 64
_MAX_INDENT = 120
_DEEP_INDENT = re.compile(f"^ {{{_MAX_INDENT}}}", re.MULTILINE)
_MAX_COMPACT = 8
_COMPACT_CHAIN = re.compile(f"(?:[-?] +){{{_MAX_COMPACT}}}")
_NODE_PROPERTY_CHARS = "&*!"  # anchor, alias, tag
_BEFORE_NODE = "\n-?:,[{"  # what may precede a node's first character (spaces between)

# Read at every call, so that tests can compare the two ways on the same texts.
USE_C_COMPOSER = True


def _composable_in_c(text: str) -> bool:
    """Whether libyaml's composer can take ``text``: bounded nesting, no anchor, alias or tag.

    Cheap substring counts first; the regexes run only on texts those cannot clear.
    """
    if text.count("[") + text.count("{") > _MAX_FLOW_BRACKETS:
        return False
    if " " * _MAX_INDENT in text and _DEEP_INDENT.search(text):
        return False
    compact = text.count("- ") + text.count("? ")
    if compact >= _MAX_COMPACT and _COMPACT_CHAIN.search(text):
        return False
    return not _may_hold_node_property(text)


def _may_hold_node_property(text: str) -> bool:
    """Whether an anchor, alias or tag could begin a node: one of ``&*!`` at a line start or
    after an indicator (``- ? : , [ {``), spaces between. ``2 * 3`` and ``n!`` are fine;
    ``a - *b`` is not, and merely goes the slower way."""
    for char in _NODE_PROPERTY_CHARS:
        at = text.find(char)
        while at >= 0:
            before = at - 1
            while before >= 0 and text[before] == " ":
                before -= 1
            if before < 0 or text[before] in _BEFORE_NODE:
                return True
            at = text.find(char, at + 1)
    return False


if yaml.__with_libyaml__:

    class _NodeComposer(_CParser):
        """libyaml's composer, every node tagged with its kind's default tag (nothing typed)."""

        def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
            return _TAG_OF[kind]

        def descend_resolver(self, parent: Any, index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


def _compose_in_c(text: str, max_depth: int, max_nodes: int) -> Node | None:
    """libyaml's graph of ``text``, checked as :class:`_LibyamlComposer` checks events."""
    root: Node | None = _NodeComposer(text).get_single_node()
    if root is not None:
        _check_graph(root, max_depth, max_nodes, text.count("\n"))
    return root


def _check_graph(root: Node, max_depth: int, max_nodes: int, last_line: int) -> None:
    """Decline a graph the event composer would decline: too many nodes, too deep, or a plain
    scalar PyYAML may read differently. (Tags and aliases cannot occur: ``_composable_in_c``
    sends no text where one could begin a node.)"""
    if _checked(root, 0, False, max_depth, last_line) > max_nodes:
        raise _Declined("too many nodes")


def _checked(node: Node, depth: int, in_flow: bool, max_depth: int, last_line: int) -> int:
    """Check ``node`` at nesting ``depth`` and return how many nodes it holds. Recursion ends
    past ``max_depth``; the usual node, a non-empty block scalar, is handled inline."""
    if type(node) is ScalarNode:
        value = node.value
        if (
            (in_flow or not value)
            and node.style == ""
            and _misread_plain(value, node.start_mark, in_flow, last_line)
        ):
            raise _Declined("plain scalar that PyYAML may read differently")
        return 1
    depth += 1
    if depth > max_depth:
        raise _Declined("too deep")
    inner = bool(cast(CollectionNode, node).flow_style)
    count = 1
    children = node.value if type(node) is SequenceNode else itertools.chain(*node.value)
    for child in children:
        if type(child) is ScalarNode and not inner and child.value:
            count += 1  # a block scalar with text: nothing to check
        else:
            count += _checked(child, depth, inner, max_depth, last_line)
    return count


_TAG_OF: dict[type[Node], str] = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}
