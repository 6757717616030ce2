"""Reading a whole YAML answer file, and salvaging the readable keys of a broken one.

:func:`read_yaml` composes the file with :func:`grader.yaml_fast.compose_fast` (libyaml) and,
whenever that declines, with the pure-Python :func:`grader.yaml_strict.compose_yaml`, whose
messages and lines are the ones students see. When a file (of at most 64 KiB) has a syntax error,
it salvages what it can: it splits the text at ``key:`` lines, reads each chunk alone at its true
line numbers, and does the same one indentation level inside a broken block such as ``answers:``
(``reliability.md`` §2.4). Each chunk goes the fast way when it can (a clean chunk gets the same
graph either way), so that the errors, read by the pure-Python composer, cost the only slow parse.
"""

from __future__ import annotations

from dataclasses import replace

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from grader.input.yaml_chunks import (
    Chunk,
    child_indent,
    chunk_failure,
    indent_of,
    key_chunks,
    key_of,
    split_lines,
)
from grader.input.yaml_fast import FastPathDeclined, SyntaxRejected, compose_fast
from grader.input.yaml_strict import (
    LINE_BREAK,
    ComposeError,
    NodeBudget,
    OverBudget,
    check_flow_nesting,
    compose_yaml,
    line_mark,
)
from grader.input.yaml_tabs import soften_tabs

Pair = tuple[Node, Node]


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
    text = soften_tabs(text)
    check_flow_nesting(text)
    try:
        return compose_fast(text, max_depth=max_depth, max_nodes=max_nodes), []
    except FastPathDeclined:
        pass  # a problem, or a text libyaml may read differently: the reference composer decides
    try:
        return compose_yaml(text, max_depth=max_depth, budget=NodeBudget(max_nodes)), []
    except ComposeError as error:
        if error.whole_file or len(text) > SALVAGE_MAX_CHARS:
            raise
        original = error
    # Each chunk costs about two units more than its keys and values; the tree is capped later.
    salvage = _Salvage(split_lines(text), max_depth, NodeBudget(3 * max_nodes))
    try:
        found = salvage.run(0, len(salvage.lines), indent=0, path="", level=0)
    except OverBudget:
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


# The end of a key: `:` then a space or the line end. Keys are found with `search` and slices,
# not one backtracking pattern, which is quadratic on a long line of spaces.
# Top-level keys, then the keys inside (``answers: {q1: {a, b}}``), down to a part's own key,
# so that a broken line costs only its own part.
_SALVAGE_LEVELS = 4
# Salvage parses a file up to once per level again (benchmarks/README.md has what that costs).
# Answer files are a few KiB; a broken file larger than this is simply unreadable.
SALVAGE_MAX_CHARS = 64 * 1024
# Beyond this many broken parts the first error helps a student more than a list of them.
_SALVAGE_MAX_FAILURES = 50


class _Deferred(Exception):
    """A chunk libyaml rejects, to be salvaged entry by entry before anything else."""


class _NotYet:
    """Marks a block not yet salvaged entry by entry."""


_NOT_YET = _NotYet()


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
        chunks = key_chunks(self.lines, first, last, indent)
        if not chunks:
            return None
        pairs: list[Pair] = []
        failures: list[ComposeError] = []
        for chunk in chunks:
            key = f"{path}.{chunk.key}" if path else chunk.key
            nested: tuple[list[Pair], list[ComposeError]] | _NotYet | None = _NOT_YET
            if chunk.glued or chunk.tabbed:
                if chunk.glued:
                    found_pairs, found_failures = self._read_glued(chunk, key, level)
                else:
                    found_pairs, found_failures = self._read_tabbed(chunk, key, level, indent)
                pairs.extend(found_pairs)
                failures.extend(found_failures)
                continue
            try:
                try:
                    pairs.extend(self._read(chunk, level, defer=True))
                    continue
                except _Deferred:
                    # libyaml rejects this block: when its entries, read one by one, show
                    # where it is broken, that is the answer, and the pure-Python parse of
                    # the whole block (only its error message would be used) is not needed.
                    nested = self._nested(chunk, key, level)
                    if nested is not None and nested[1]:
                        pairs.append(_block_pair(chunk, nested[0]))
                        failures.extend(nested[1])
                        continue
                    pairs.extend(self._read(chunk, level, defer=False, counted=True))
            except ComposeError as error:
                if error.whole_file:
                    raise
                if isinstance(nested, _NotYet):
                    nested = self._nested(chunk, key, level)
                if nested is None:
                    nested = self._split_at(error, chunk, path, level)
                    if nested is not None:
                        pairs.extend(nested[0])
                        failures.extend(nested[1])
                        continue
                    failures.append(chunk_failure(error, chunk, key, self.lines))
                    self._count_failure()
                else:
                    pairs.append(_block_pair(chunk, nested[0]))
                    failures.extend(nested[1])
        return pairs, failures

    def _split_at(
        self, error: ComposeError, chunk: Chunk, path: str, level: int
    ) -> tuple[list[Pair], list[ComposeError]] | None:
        """A chunk broken on a later line that holds a key of its own (``b`` indented
        differently from ``a`` above it): the lines before it are read as the chunk's, and the
        broken line's key is blamed, or read on its own with a note when it can be.
        None when the error is on the chunk's first line or its line holds no key."""
        line = error.line
        if line is None or not chunk.head + 1 < line <= chunk.end:
            return None
        index = line - 1
        text = LINE_BREAK.sub("", self.lines[index])
        found = key_of(text[indent_of(text) :])
        if found is None:
            return None
        try:
            head = Chunk(chunk.start, index, chunk.head, chunk.key, False)
            pairs = self._read(head, level, defer=False)
        except ComposeError as before:
            if before.whole_file:
                raise
            return None
        rest = Chunk(index, chunk.end, index, found[0], found[1])
        key = f"{path}.{found[0]}" if path else found[0]
        self._count_failure()
        try:
            pairs += self._read(rest, level, defer=False)
        except ComposeError as broken:
            if broken.whole_file:
                raise
            return pairs, [chunk_failure(broken, rest, key, self.lines)]
        shown = key.removeprefix("answers.")
        note = f"indented differently from the keys around it; read as {shown}: line it up"
        return pairs, [ComposeError(note, line)]

    def _read_glued(
        self, chunk: Chunk, key: str, level: int
    ) -> tuple[list[Pair], list[ComposeError]]:
        """A `key:value` line, its space forgotten: read as `key: value`, with a note on its
        line; if the value is broken too, the part is blamed with both."""
        head = self.lines[chunk.head]
        colon = indent_of(head) + len(chunk.key)
        mended = f"{head[: colon + 1]} {head[colon + 1 :]}"
        missing = f"no space after the colon of '{chunk.key}:'"
        advice = "write a space after the colon"
        return self._read_mended(chunk, key, level, mended, missing, advice)

    def _read_tabbed(
        self, chunk: Chunk, key: str, level: int, indent: int
    ) -> tuple[list[Pair], list[ComposeError]]:
        """A key line indented with a tab among keys indented with ``indent`` spaces: read
        as one of them, with a note on its line; if its value is broken too, the part is
        blamed with both."""
        mended = " " * indent + self.lines[chunk.head].lstrip(" \t")
        tab = "indented with a tab"
        return self._read_mended(chunk, key, level, mended, tab, "indent it with spaces")

    def _read_mended(
        self, chunk: Chunk, key: str, level: int, mended: str, problem: str, advice: str
    ) -> tuple[list[Pair], list[ComposeError]]:
        """A chunk whose head line is read as ``mended`` (its slip, ``problem``, put right),
        with a note on its line saying so and what to do (``advice``); if the value is broken
        too, the part is blamed with both."""
        lines = list(self.lines[chunk.start : chunk.end])
        lines[chunk.head - chunk.start] = mended
        try:
            pairs = self._read(chunk, level, defer=False, text="".join(lines))
        except ComposeError as error:
            if error.whole_file:
                raise
            self._count_failure()
            broken = ComposeError(f"{problem}, and then: {error.message}", error.line)
            return [], [chunk_failure(broken, chunk, key, self.lines)]
        shown = key.removeprefix("answers.")
        note = f"{problem}; read as {shown}: {advice}"
        return pairs, [ComposeError(note, chunk.head + 1)]

    def _count_failure(self) -> None:
        """Give up on a file with more broken parts than a student could use feedback on."""
        self.failed += 1
        if self.failed > _SALVAGE_MAX_FAILURES:
            raise OverBudget(f"more than {_SALVAGE_MAX_FAILURES} broken parts", None)

    def _read(
        self,
        chunk: Chunk,
        level: int,
        *,
        defer: bool,
        counted: bool = False,
        text: str | None = None,
    ) -> list[Pair]:
        """The key/value pairs of one chunk (or of ``text``, its lines mended), read at its
        true line numbers and depth.

        With ``defer``, a block that libyaml rejects and that could be salvaged entry by entry
        raises ``_Deferred`` instead of being read again by the pure-Python parser.
        """
        budget = self.budgets[level]
        if not counted:
            budget.take(chunk.head + 1)
        if text is None:
            text = "".join(self.lines[chunk.start : chunk.end])
        nests = chunk.opens_block and level + 1 < _SALVAGE_LEVELS
        root = self._compose(text, chunk.start, level, budget, defer=defer and nests)
        if not isinstance(root, MappingNode):
            raise ComposeError("this part is not a `key: value` entry", chunk.head + 1)
        pairs: list[Pair] = root.value
        return pairs

    def _compose(
        self, text: str, first_line: int, level: int, budget: NodeBudget, *, defer: bool
    ) -> Node | None:
        """One chunk's graph: by the fast path if it takes the chunk, else by the reference.

        Most chunks of a broken file are fine, and the fast path gives the same graph for a
        clean text; blank lines in front put it at its true line numbers.
        """
        try:
            root = compose_fast(
                "\n" * first_line + text,
                max_depth=self.max_depth - level,
                max_nodes=budget.limit - budget.used,
            )
        except FastPathDeclined as declined:
            if defer and isinstance(declined, SyntaxRejected):
                raise _Deferred from None
            return compose_yaml(
                text, max_depth=self.max_depth, budget=budget, first_line=first_line, depth=level
            )
        budget.used += _node_count(root)
        return root

    def _nested(
        self, chunk: Chunk, key: str, level: int
    ) -> tuple[list[Pair], list[ComposeError]] | None:
        """Salvage inside a broken block such as ``answers:``, one indentation level deeper."""
        if not chunk.opens_block or level + 1 >= _SALVAGE_LEVELS:
            return None
        indent = child_indent(self.lines, chunk.head + 1, chunk.end)
        if indent is None or indent <= indent_of(self.lines[chunk.head]):
            return None
        return self.run(chunk.head + 1, chunk.end, indent=indent, path=key, level=level + 1)


def _node_count(root: Node | None) -> int:
    """Keys and values in a graph, as a composer's budget counts them."""
    count, stack = 0, [root] if root is not None else []
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return count


def _block_pair(chunk: Chunk, children: list[Pair]) -> Pair:
    """``key: {salvaged children}`` for a block whose children were salvaged one by one."""
    head = ScalarNode(BaseResolver.DEFAULT_SCALAR_TAG, chunk.key, line_mark(chunk.head + 1))
    mark = children[0][0].start_mark if children else head.start_mark
    return head, MappingNode(BaseResolver.DEFAULT_MAPPING_TAG, children, mark)
