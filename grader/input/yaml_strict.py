"""Strict YAML composing: every risky feature refused, every scalar kept as the student's text.

The composers stop at PyYAML's *representation graph* (``yaml.nodes.Node``). There is no
constructor at all, so no tag can ever choose a Python class, and with ``BaseResolver`` nothing is
typed implicitly: every scalar stays the student's text (``yes``, ``1:30``, ``017``, ``.nan``).
``grader.loading`` turns the graph into its own tree.

There are two composers with the same checks. :func:`compose_yaml` is the reference: PyYAML's
pure-Python reader, scanner and parser, hooked where each node starts; its messages and lines are
the ones students see, and salvage (:mod:`grader.yaml_salvage`) reads chunks with it.
:func:`grader.yaml_fast.compose_fast` uses libyaml (what ``CSafeLoader`` is built on), many
times faster. It only ever returns a clean file's graph, the same graph the reference builds: on
any problem, or on a text where the two parsers are known to disagree, it declines and the
reference reads the text again.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from yaml.composer import Composer
from yaml.error import Mark, MarkedYAMLError, YAMLError
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    NodeEvent,
    ScalarEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner
from yaml.tokens import ScalarToken


class ComposeError(Exception):
    """A file or a part of it cannot be read.

    Attributes:
        message: One line for a student, without the line number and without the key.
        line: 1-based line of the problem, if known.
        key: Dotted path of the key concerned, if known (``answers.q2``).
        whole_file: True if nothing of the file may be used (salvage must not be tried).
        inside: Keys written inside the broken value of ``key``, if any (``a`` for
            ``q2: {a: [1``): which of its parts have text there.
        source: The text that could not be read (a broken entry's lines), if known: what a
            TA's decision on it is bound to, and what the TA is shown.
    """

    def __init__(
        self,
        message: str,
        line: int | None,
        key: str | None = None,
        *,
        whole_file: bool = False,
        inside: tuple[str, ...] = (),
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.key = key
        self.whole_file = whole_file
        self.inside = inside
        self.source = source


class _Refused(MarkedYAMLError):
    """A construct the grader refuses inside one value (tag, anchor, alias, nesting)."""

    def __init__(self, problem: str, mark: Mark | None) -> None:
        super().__init__(problem=problem, problem_mark=mark)


@dataclass
class NodeBudget:
    """How many keys and values one pass over a file may compose.

    Salvage parses a file chunk by chunk, so one budget spans all chunks of a pass; each chunk
    attempt costs a unit too, so that thousands of broken one-line keys still finish quickly.
    """

    limit: int
    used: int = 0

    def take(self, line: int | None) -> None:
        """Count one unit; refuse the whole file once the limit is passed."""
        self.used += 1
        if self.used > self.limit:
            message = f"the file holds more than {self.limit} keys and values"
            raise OverBudget(message, line, whole_file=True)


class OverBudget(ComposeError):
    """The budget of one pass is spent."""


@functools.lru_cache(maxsize=4096)  # marks are never changed: one per line serves every file
def line_mark(line: int) -> Mark:
    """A PyYAML mark for a 1-based line (used for nodes that do not come from PyYAML)."""
    return Mark("<answers>", 0, line - 1, 0, None, 0)


class StrictLoader(Reader, Scanner, Parser, Composer, BaseResolver):
    """Composes one YAML document, refusing tags, anchors, aliases, deep nesting and bulk."""

    def __init__(
        self, text: str, *, max_depth: int, budget: NodeBudget, first_line: int, depth: int
    ) -> None:
        """Prepare to read ``text``, which starts at 0-based ``first_line`` and ``depth``."""
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)
        # A salvaged chunk starts at its true line and depth; padding it with newlines instead
        # would make salvage quadratic in the number of lines.
        self.line = first_line
        self.depth = depth
        self.max_depth = max_depth
        self.budget = budget
        # Keys from the root to the value being composed. Popped only on success, so after an
        # error it still names where reading stopped.
        self.path: list[str] = []

    def compose_single(self) -> Node | None:
        """The root node of the only document, or None for an empty file."""
        self.get_event()  # type: ignore[no-untyped-call]  # drop stream start; stub is untyped
        root = None
        if not self.check_event(StreamEndEvent):
            root = self.compose_document()
        if not self.check_event(StreamEndEvent):
            line = self.get_event().start_mark.line + 1  # type: ignore[no-untyped-call]
            message = "the file holds more than one YAML document (a second '---')"
            raise ComposeError(message, line, whole_file=True)
        return root

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        """Compose one value after checking the event that starts it."""
        event: NodeEvent = self.peek_event()  # type: ignore[no-untyped-call]
        mark = _mark_of(event)
        _refuse_features(event, mark)
        if isinstance(parent, MappingNode) and isinstance(index, ScalarNode):
            _refuse_merge_key(index)
        self.budget.take(mark.line + 1 if mark else None)
        # For a mapping value, PyYAML passes the key node as ``index``.
        key = None
        if isinstance(parent, MappingNode) and isinstance(index, ScalarNode):
            key = str(index.value)
        nests = isinstance(event, CollectionStartEvent)
        if nests:
            self.depth += 1
            if self.depth > self.max_depth:
                raise _Refused(f"nested more than {self.max_depth} levels deep", mark)
        if key is not None:
            self.path.append(key)
        node = super().compose_node(parent, index)
        if key is not None:
            self.path.pop()
        if nests:
            self.depth -= 1
        return node

    def scan_plain(self) -> ScalarToken:
        """PyYAML's plain scalar, with YAML 1.2's rule in a flow collection: a ``?`` does not end
        it (``[is it 5?]`` is the one text ``is it 5?``; PyYAML 6 follows YAML 1.1 there). Only
        the set of characters that end a scalar in a flow collection differs from PyYAML's."""
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] = []
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in _BLANK_OR_BREAK
                    or (
                        ch == ":"
                        and self.peek(length + 1)
                        in _BLANK_OR_BREAK + (_FLOW_INDICATORS if self.flow_level else "")
                    )
                    or (self.flow_level and ch in _FLOW_INDICATORS)
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces)
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark) or []
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)


_BLANK_OR_BREAK = "\0 \t\r\n\x85\u2028\u2029"
_FLOW_INDICATORS = ",[]{}"  # what ends a plain scalar in a flow collection (PyYAML adds "?")


def _mark_of(event: NodeEvent) -> Mark | None:
    """The event's start (always a pure-Python mark here; the stubs also allow the C one)."""
    return event.start_mark if isinstance(event.start_mark, Mark) else None


def _refuse_features(event: NodeEvent, mark: Mark | None) -> None:
    """Refuse aliases, anchors and every explicit tag (``!!python/...``, ``!!int``, ``!x``)."""
    if isinstance(event, AliasEvent):
        raise _Refused("aliases (*name) are not allowed: write the value out", mark)
    if event.anchor is not None:
        raise _Refused("anchors (&name) are not allowed: write the value out", mark)
    tag = event.tag if isinstance(event, (ScalarEvent, CollectionStartEvent)) else None
    if tag is not None:
        shown = tag.replace("tag:yaml.org,2002:", "!!")[:40]
        raise _Refused(f"tags such as {shown} are not allowed: put the answer in quotes", mark)


MERGE_KEY = "<<"
"""YAML 1.1's merge key: PyYAML's safe loader merges the mapping it names into this one; the
grader refuses it, as it refuses the anchors and aliases it works with, rather than keep ``<<``
as an ordinary key."""


def _refuse_merge_key(key: ScalarNode) -> None:
    """Refuse a plain ``<<`` key (a quoted one is an ordinary key, an unknown part)."""
    if key.value == MERGE_KEY and key.style is None:
        raise _Refused("merge keys (<<) are not allowed: write the keys out", key.start_mark)


def compose_yaml(
    text: str, *, max_depth: int, budget: NodeBudget, first_line: int = 0, depth: int = 0
) -> Node | None:
    """Compose ``text`` (a whole file, or a salvaged chunk of it at its true line and depth).

    Raises:
        ComposeError: For every problem, including the exceptions PyYAML lets through that are
            not ``YAMLError`` (``RecursionError``, ``ValueError``, ``MemoryError``).
    """
    loader: StrictLoader | None = None
    try:
        loader = StrictLoader(
            text, max_depth=max_depth, budget=budget, first_line=first_line, depth=depth
        )
        return loader.compose_single()
    except MarkedYAMLError as error:
        key = ".".join(loader.path) if loader and loader.path else None
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise ComposeError(_describe(error), line, key) from None
    except ReaderError as error:
        line = first_line + len(LINE_BREAK.findall(text, 0, error.position)) + 1
        message = f"character U+{error.character:04X} is not allowed in an answer file"
        raise ComposeError(message, line, whole_file=True) from None
    except (YAMLError, RecursionError, ValueError, MemoryError) as error:
        message = f"the file cannot be read ({type(error).__name__})"
        raise ComposeError(message, None, whole_file=True) from None


def _describe(error: MarkedYAMLError) -> str:
    """One line for a student from PyYAML's problem and context: what went wrong and, for the
    usual mistakes, what to do."""
    problem = error.problem or error.context or "syntax error"
    if "'\\t'" in problem:
        return "this line is indented with a tab: indent with spaces"
    if "found '<block mapping start>'" in problem:
        return (
            "this line is indented differently from the keys around it: line up the keys of"
            " one level"
        )
    if problem.startswith("found unknown escape character"):
        # LaTeX ("\cdot", "\,") in double quotes: YAML reads the backslash as an escape
        return (
            "a backslash inside double quotes starts an escape (\\n, \\t) in YAML: write an"
            " answer with backslashes (LaTeX) in single quotes, like a: '2 \\cdot 3', or"
            " without quotes"
        )
    if problem.startswith("expected <block end>, but found '-'") and _dash_glued(error):
        # `-parallel: x` is a key to YAML; the next `- item` then breaks its mapping
        line = error.context_mark.line + 1 if error.context_mark else "above"
        return (
            f"the item on line {line} has no space after its '-': write each item of a list"
            " as - and a space, then the text"
        )
    if problem == "could not find expected ':'" and error.context_mark is not None:
        # a line at a key's place that is no `key: value` (nor, ending a list, a `- item`)
        line = error.context_mark.line + 1
        if _starts_glued_dash(error.context_mark):
            return (
                f"the item on line {line} has no space after its '-': write each item of a"
                " list as - and a space, then the text"
            )
        return (
            f"line {line} holds text without a key: write it after its part's key (a: ...),"
            " or indent it further to continue the answer above"
        )
    if problem == "mapping values are not allowed here":
        return 'a colon (:) inside an answer: put the answer in quotes, like a: "peak/bw: 250"'
    context = error.context or ""
    if error.context_mark and context == "while scanning a quoted scalar":
        return (
            f"the quote opened on line {error.context_mark.line + 1} is not closed: end the"
            " answer with the same quote"
        )
    if error.context_mark and context.startswith("while parsing a flow"):
        opening = "{" if "mapping" in context else "["
        closing = "}" if opening == "{" else "]"
        if problem.startswith(f"expected ',' or '{closing}'"):
            return (
                f"the '{opening}' opened on line {error.context_mark.line + 1} is not closed:"
                f" add '{closing}', or put an answer that holds '{opening}' in quotes"
            )
    problem = problem.replace("'<stream end>'", "the end of the text")
    if error.problem and error.context and error.context_mark and not isinstance(error, _Refused):
        problem += f" ({error.context} that starts on line {error.context_mark.line + 1})"
    return problem


def _dash_glued(error: MarkedYAMLError) -> bool:
    """Whether the mapping the error is in starts with a dash and no space (`-parallel: x`)."""
    context = error.context or ""
    return context.startswith("while parsing a block mapping") and _starts_glued_dash(
        error.context_mark
    )


def _starts_glued_dash(mark: object) -> bool:
    """Whether the text at ``mark`` is a dash and then no space: an item's space forgotten."""
    if not isinstance(mark, Mark) or mark.buffer is None:
        return False
    start = mark.buffer[mark.pointer : mark.pointer + 2]
    return len(start) == 2 and start[0] == "-" and start[1] not in _BLANK_OR_BREAK


# PyYAML's line breaks, so that lines are counted as PyYAML counts them.
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_FLOW_BRACKET_OR_BREAK = re.compile("[\\[\\]{}]|\r\n|[\r\n\x85\u2028\u2029]")
# PyYAML's scanner keeps one pending key per bracket level opened on the current line and checks
# them all at every token: quadratic in the brackets of a line (see benchmarks/README.md).
# Real answers never open this many brackets on one line (quoted or not).
MAX_OPEN_BRACKETS_PER_LINE = 64


def check_flow_nesting(text: str) -> None:
    """Refuse a line that opens more than ``MAX_OPEN_BRACKETS_PER_LINE`` brackets."""
    if text.count("[") + text.count("{") <= MAX_OPEN_BRACKETS_PER_LINE:
        return  # not even all of them on one line would be too many: no need to look
    depth, line = 0, 1
    for match in _FLOW_BRACKET_OR_BREAK.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_OPEN_BRACKETS_PER_LINE:
                raise ComposeError("too many nested brackets on one line", line, whole_file=True)
        elif char in "]}":
            depth = max(depth - 1, 0)
        else:
            depth, line = 0, line + 1
