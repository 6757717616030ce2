"""Strict YAML reading: PyYAML's pure-Python pipeline with every risky feature refused.

The loader stops at PyYAML's *representation graph* (``yaml.nodes.Node``). There is no
constructor at all, so no tag can ever choose a Python class, and with ``BaseResolver`` nothing is
typed implicitly: every scalar stays the student's text (``yes``, ``1:30``, ``017``, ``.nan``).
``grader.loading`` turns the graph into its own tree. The C loader is not used because its composer
cannot be hooked; speed does not matter under the 256 KiB cap.

When a file (of at most 64 KiB) has a syntax error, :func:`read_yaml` salvages what it can: it
splits the text at ``key:`` lines, reads each chunk alone at its true line numbers, and does the
same one indentation level inside a broken block such as ``answers:`` (``reliability.md`` §2.4).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from yaml.composer import Composer
from yaml.error import Mark, MarkedYAMLError, YAMLError
from yaml.events import AliasEvent, CollectionStartEvent, NodeEvent, ScalarEvent, StreamEndEvent
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

Pair = tuple[Node, Node]


class ComposeError(Exception):
    """A file or a part of it cannot be read.

    Attributes:
        message: One line for a student, without the line number and without the key.
        line: 1-based line of the problem, if known.
        key: Dotted path of the key concerned, if known (``answers.q2``).
        whole_file: True if nothing of the file may be used (salvage must not be tried).
    """

    def __init__(
        self, message: str, line: int | None, key: str | None = None, *, whole_file: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.key = key
        self.whole_file = whole_file


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
            raise _OverBudget(message, line, whole_file=True)


class _OverBudget(ComposeError):
    """The budget of one pass is spent."""


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
        line = first_line + len(_LINE_BREAK.findall(text, 0, error.position)) + 1
        message = f"character U+{error.character:04X} is not allowed in an answer file"
        raise ComposeError(message, line, whole_file=True) from None
    except (YAMLError, RecursionError, ValueError, MemoryError) as error:
        message = f"the file cannot be read ({type(error).__name__})"
        raise ComposeError(message, None, whole_file=True) from None


def _describe(error: MarkedYAMLError) -> str:
    """One line for a student from PyYAML's problem and context."""
    problem = error.problem or error.context or "syntax error"
    if "'\\t'" in problem:
        return "tab character: indent with spaces"
    problem = problem.replace("'<stream end>'", "the end of the text")
    if error.problem and error.context and error.context_mark and not isinstance(error, _Refused):
        problem += f" ({error.context} that starts on line {error.context_mark.line + 1})"
    return problem


def read_yaml(
    text: str, *, max_depth: int, max_nodes: int
) -> tuple[Node | None, list[ComposeError]]:
    """Compose ``text``, salvaging the readable keys if the whole document cannot be read.

    Returns:
        The root node (a synthetic mapping after salvage; None if nothing was readable) and
        one error per chunk that could not be read.

    Raises:
        ComposeError: If the file cannot be read and salvage is impossible or not allowed.
    """
    _check_flow_nesting(text)
    try:
        return compose_yaml(text, max_depth=max_depth, budget=NodeBudget(max_nodes)), []
    except ComposeError as error:
        if error.whole_file or len(text) > SALVAGE_MAX_CHARS:
            raise
        original = error
    # Each chunk costs about two units more than its keys and values; the tree is capped later.
    salvage = _Salvage(_split_lines(text), max_depth, NodeBudget(3 * max_nodes))
    try:
        found = salvage.run(0, len(salvage.lines), indent=0, path="", level=0)
    except _OverBudget:
        message = f"too much of the file is broken to read it part by part: {original.message}"
        raise ComposeError(message, original.line, original.key, whole_file=True) from None
    if found is None:
        raise original
    pairs, failures = found
    if not failures:
        # PyYAML rejected the whole text, so never return it as clean.
        failures = [ComposeError(original.message, original.line)]
    if not pairs:
        return None, failures
    return MappingNode(BaseResolver.DEFAULT_MAPPING_TAG, pairs, pairs[0][0].start_mark), failures


# PyYAML's line breaks, so that salvage counts lines as PyYAML does.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_FLOW_BRACKET_OR_BREAK = re.compile("[\\[\\]{}]|\r\n|[\r\n\x85\u2028\u2029]")
# PyYAML's scanner keeps one pending key per bracket level opened on the current line and checks
# them all at every token: 100 000 `[` on one line cost 0.2 s per parse, 250 such lines 17 s.
# Real answers never open this many brackets on one line (quoted or not).
_MAX_OPEN_BRACKETS_PER_LINE = 64
# The end of a key: `:` then a space or the line end. Keys are found with `search` and slices,
# not one backtracking pattern, which took 0.1 s on a line of 16 000 spaces (quadratic).
_KEY_END = re.compile(r":(?:[ \t]|$)")
_QUOTED_KEY = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'""")
_NOT_PLAIN_KEY_START = set("#?:,[]{}&*!|>'\"%@`- \t")
_SALVAGE_LEVELS = 2  # top-level keys, then the keys one level in (``answers: {q1, q2}``)
# Salvage parses a file up to once per level again: 3 passes over 256 KiB of short plain words
# took 0.76 s. Answer files are a few KiB; a broken file larger than this is simply unreadable.
SALVAGE_MAX_CHARS = 64 * 1024
# Beyond this many broken parts the first error helps a student more than a list of them.
_SALVAGE_MAX_FAILURES = 50


def _check_flow_nesting(text: str) -> None:
    """Refuse a line that opens more than ``_MAX_OPEN_BRACKETS_PER_LINE`` brackets."""
    depth, line = 0, 1
    for match in _FLOW_BRACKET_OR_BREAK.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > _MAX_OPEN_BRACKETS_PER_LINE:
                raise ComposeError("too many nested brackets on one line", line, whole_file=True)
        elif char in "]}":
            depth = max(depth - 1, 0)
        else:
            depth, line = 0, line + 1


def _split_lines(text: str) -> list[str]:
    """``text`` cut after each PyYAML line break, keeping the breaks."""
    ends = [match.end() for match in _LINE_BREAK.finditer(text)]
    starts = [0, *ends]
    if ends and ends[-1] == len(text):
        starts.pop()
    return [text[start:end] for start, end in zip(starts, [*ends, len(text)], strict=False)]


@dataclass(frozen=True)
class _Chunk:
    """Lines ``start`` to ``end`` (0-based, end excluded) of one key; ``head`` is the key line."""

    start: int
    end: int
    head: int
    key: str
    opens_block: bool  # nothing follows the colon: the value is the indented lines below


class _Salvage:
    """Reads chunks of a broken file one by one, keeping those that load (§2.4).

    Each level (top-level keys, keys one level in) reads every line at most once and has its own
    budget, so salvage costs at most one full parse per level.
    """

    def __init__(self, lines: list[str], max_depth: int, budget: NodeBudget) -> None:
        self.lines = lines
        self.max_depth = max_depth
        self.budgets = [replace(budget) for _ in range(_SALVAGE_LEVELS)]
        self.failed = 0

    def run(
        self, first: int, last: int, *, indent: int, path: str, level: int
    ) -> tuple[list[Pair], list[ComposeError]] | None:
        """Salvage lines ``first`` to ``last`` split at keys indented by ``indent`` spaces.

        Returns None if there is no such key line, so the caller reports the chunk as a whole.
        """
        chunks = _chunks(self.lines, first, last, indent)
        if not chunks:
            return None
        pairs: list[Pair] = []
        failures: list[ComposeError] = []
        for chunk in chunks:
            key = f"{path}.{chunk.key}" if path else chunk.key
            try:
                pairs.extend(self._read(chunk, level))
            except ComposeError as error:
                if error.whole_file:
                    raise
                nested = self._nested(chunk, key, level)
                if nested is None:
                    failures.append(_chunk_failure(error, chunk, key))
                    self._count_failure()
                else:
                    pairs.append(_block_pair(chunk, nested[0]))
                    failures.extend(nested[1])
        return pairs, failures

    def _count_failure(self) -> None:
        """Give up on a file with more broken parts than a student could use feedback on."""
        self.failed += 1
        if self.failed > _SALVAGE_MAX_FAILURES:
            raise _OverBudget(f"more than {_SALVAGE_MAX_FAILURES} broken parts", None)

    def _read(self, chunk: _Chunk, level: int) -> list[Pair]:
        """The key/value pairs of one chunk, read at its true line numbers and depth."""
        budget = self.budgets[level]
        budget.take(chunk.head + 1)
        text = "".join(self.lines[chunk.start : chunk.end])
        root = compose_yaml(
            text, max_depth=self.max_depth, budget=budget, first_line=chunk.start, depth=level
        )
        if not isinstance(root, MappingNode):
            raise ComposeError("this part is not a `key: value` entry", chunk.head + 1)
        pairs: list[Pair] = root.value
        return pairs

    def _nested(
        self, chunk: _Chunk, key: str, level: int
    ) -> tuple[list[Pair], list[ComposeError]] | None:
        """Salvage inside a broken block such as ``answers:``, one indentation level deeper."""
        if not chunk.opens_block or level + 1 >= _SALVAGE_LEVELS:
            return None
        indent = _child_indent(self.lines, chunk.head + 1, chunk.end)
        if indent is None or indent <= _indent_of(self.lines[chunk.head]):
            return None
        return self.run(chunk.head + 1, chunk.end, indent=indent, path=key, level=level + 1)


def _block_pair(chunk: _Chunk, children: list[Pair]) -> Pair:
    """``key: {salvaged children}`` for a block whose children were salvaged one by one."""
    head = ScalarNode(BaseResolver.DEFAULT_SCALAR_TAG, chunk.key, line_mark(chunk.head + 1))
    mark = children[0][0].start_mark if children else head.start_mark
    return head, MappingNode(BaseResolver.DEFAULT_MAPPING_TAG, children, mark)


def _chunks(lines: list[str], first: int, last: int, indent: int) -> list[_Chunk]:
    """Split lines at `key:` lines with exactly ``indent`` spaces; leading lines join chunk 1."""
    heads: list[tuple[int, str, bool]] = []
    for number in range(first, last):
        line = _LINE_BREAK.sub("", lines[number])
        if _indent_of(line) == indent and (found := _key_of(line[indent:])):
            heads.append((number, *found))
    chunks = []
    for position, (head, key, opens_block) in enumerate(heads):
        start = first if position == 0 else head
        end = heads[position + 1][0] if position + 1 < len(heads) else last
        chunks.append(_Chunk(start, end, head, key, opens_block))
    return chunks


def _key_of(text: str) -> tuple[str, bool] | None:
    """The key of a `key: value` line without its indent, and whether the value is a block.

    Quoted keys lose their quotes but keep their escapes: the key only names a chunk in messages.
    """
    if not text or (text[0] in _NOT_PLAIN_KEY_START and text[0] not in "'\""):
        return None
    quoted = _QUOTED_KEY.match(text)
    if quoted:
        after = len(text) - len(text[quoted.end() :].lstrip(" \t"))
        end = _KEY_END.match(text, after)
    else:
        end = _KEY_END.search(text)
    if end is None:
        return None
    key = quoted.group()[1:-1] if quoted else text[: end.start()].rstrip(" \t")
    if not quoted and (" #" in key or "\t#" in key):
        return None  # the colon is inside a comment
    rest = text[end.end() :].strip()
    return key, not rest or rest.startswith("#")


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _child_indent(lines: list[str], first: int, last: int) -> int | None:
    """Indentation of the first line that holds content (not blank, not a comment)."""
    for line in lines[first:last]:
        content = line.strip()
        if content and not content.startswith("#"):
            return _indent_of(line)
    return None


def _chunk_failure(error: ComposeError, chunk: _Chunk, key: str) -> ComposeError:
    """The chunk's error, named after its key, at its own line if that lies in the chunk."""
    inside = error.line is not None and chunk.head < error.line <= chunk.end
    return ComposeError(error.message, error.line if inside else chunk.head + 1, key)
