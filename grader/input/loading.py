"""Read an untrusted answer file into a tree of text leaves with 1-based line numbers.

Nothing in a student's file is ever executed or typed: YAML goes through the strict composers of
:mod:`grader.yaml_strict` (via :mod:`grader.yaml_salvage`, which also rescues the readable keys
of a broken file), JSON through :mod:`grader.json_strict`, and both end here as :class:`Node`
trees whose leaves are the student's exact text. Every problem comes back as a
:class:`LoadIssue`; :func:`load_answer_bytes` never raises for any input. The limits and their
reasons are in ``research/reliability.md`` §1 and §7.

How to read a result: ``tree is None`` means the file is unreadable (every part invalid). Otherwise
each issue with a ``key`` says that this key's answer was dropped from the tree (duplicate, broken
syntax, bad characters); the other keys are fine.
"""

from __future__ import annotations

import codecs
import pathlib
from dataclasses import dataclass
from typing import cast

from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.nodes import Node as YamlNode

from grader.input.answer_tree import (
    MAX_SCALAR_CHARS,
    BadValue,
    LoadIssue,
    Node,
    answered_twice,
    checked_text,
    issue,
    named_issue,
    plain,
)
from grader.input.json_strict import read_json
from grader.input.student_files import Boundary, Unreadable, read_student_file
from grader.input.yaml_lines import read_line_yaml
from grader.input.yaml_salvage import read_yaml
from grader.input.yaml_strict import ComposeError

MAX_BYTES = 256 * 1024  # checked on the bytes, before parsing: pure PyYAML is slow on big files
MAX_DEPTH = 16  # nested lists/mappings; PyYAML and json hit RecursionError around 500-1000
MAX_NODES = 5_000  # keys and values in one file
# Read at every call, so that tests can compare the line reader with the full readers.
USE_LINE_READER = True
TOP_LEVEL_MESSAGE = "the top level must be a mapping of question → answer"
EMPTY_MESSAGE = (
    "the file is empty (or holds only comments): write your answers in it, starting from"
    " `grader template`"
)
SPREADSHEET_MESSAGE = (
    "this is a spreadsheet export (CSV), not an answer file: write your answers as"
    " `question: answer` lines, starting from `grader template`"
)


@dataclass(frozen=True)
class LoadResult:
    """The tree read from a file and the problems found on the way."""

    tree: Node | None  # the top-level mapping (None if nothing could be read)
    issues: tuple[LoadIssue, ...]  # empty if the file loaded cleanly


def load_answer_file(path: pathlib.Path, *, within: Boundary | None = None) -> LoadResult:
    """Load ``path``: ``.json`` as JSON, anything else (``.yaml``, ``.yml``, ...) as YAML.

    At most ``MAX_BYTES + 1`` bytes are read, so a huge file costs nothing; an unreadable path
    (missing, a directory, a FIFO, no permission, a link leading out of ``within``) gives an
    issue instead of an exception (see :func:`grader.student_files.read_student_file`).
    """
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    data = read_student_file(path, MAX_BYTES + 1, within=within)
    if isinstance(data, Unreadable):
        return _unreadable(data.reason, None)
    return load_answer_bytes(data, fmt=fmt)


def load_answer_bytes(data: bytes, *, fmt: str) -> LoadResult:
    """Load an answer file's bytes; ``fmt`` is ``"yaml"`` or ``"json"``.

    Raises:
        ValueError: Only for an unknown ``fmt`` (a bug in the caller, not a student's doing).
    """
    if fmt not in ("yaml", "json"):
        raise ValueError(f"unknown answer file format {fmt!r}")
    try:
        text = _decode(data)
    except ComposeError as error:
        return _unreadable(error.message, error.line, error.key)
    try:
        if not text.strip():
            return _unreadable(EMPTY_MESSAGE, None)
        if fmt == "json":
            loaded = _json_result(*read_json(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES))
        elif USE_LINE_READER and (tree := read_line_yaml(text)) is not None:
            loaded = LoadResult(tree, ())
        else:
            loaded = _result(*read_yaml(text, max_depth=MAX_DEPTH, max_nodes=MAX_NODES))
    except ComposeError as error:
        loaded = _unreadable(error.message, error.line, error.key)
    except Exception as error:  # the contract: no student file may ever raise
        return _unreadable(f"internal error while reading the file ({type(error).__name__})", None)
    if loaded.tree is None and looks_like_spreadsheet(text):
        return _unreadable(SPREADSHEET_MESSAGE, None)
    return loaded


_CELL_SEPARATORS = (",", ";", "\t")


def looks_like_spreadsheet(text: str) -> bool:
    """Whether ``text`` reads as rows of cells (a CSV export): its first lines split into the
    same number of cells, two or more, by one separator."""
    rows = [line for line in text.splitlines()[:5] if line.strip()]
    if len(rows) < 2:
        return False
    for separator in _CELL_SEPARATORS:
        counts = {row.count(separator) for row in rows}
        if len(counts) == 1 and counts.pop() >= 1 and ":" not in rows[0]:
            return True
    return False


def _decode(data: bytes) -> str:
    """Check size and encoding: strict UTF-8 (a BOM allowed), or UTF-16 or UTF-32 that starts
    with its BOM (Windows PowerShell 5.1 writes `grader template > answers.yaml` so: the BOM
    says which without a guess); no NUL."""
    if len(data) > MAX_BYTES:
        message = f"the file is larger than {MAX_BYTES // 1024} KiB"
        raise ComposeError(message, None, whole_file=True)
    encoding = _encoding_of_bom(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, "replace").count("\n") + 1
        message = f"the file is not {_ENCODING_NAMES[encoding]} text: save it with UTF-8 encoding"
        raise ComposeError(message, line, whole_file=True) from None
    nul = text.find("\0")
    if nul >= 0:
        message = "the file contains a NUL character: save it as UTF-8 text"
        raise ComposeError(message, text.count("\n", 0, nul) + 1, whole_file=True)
    # One at the start was UTF-8's own and is gone; one further on would silently become part
    # of a key or an answer (pasted from another file), so it is refused.
    bom = text.find("\ufeff")
    if bom >= 0:
        message = (
            "the file contains an invisible byte-order mark (U+FEFF) in the middle: delete it "
            "(retype the start of this line) and save again"
        )
        raise ComposeError(message, text.count("\n", 0, bom) + 1, whole_file=True)
    return text


_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}


def _encoding_of_bom(data: bytes) -> str:
    """The encoding a file's byte-order mark names: UTF-32 or UTF-16 (the codec reads the
    mark and its byte order), else UTF-8 (with or without its own mark)."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"  # before UTF-16: UTF-32's little-endian mark starts with UTF-16's
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"


def _result(root: YamlNode | None, failures: list[ComposeError]) -> LoadResult:
    """Turn the node graph into the tree, adding the issues found on the way."""
    issues = [
        issue(failure.message, failure.line, failure.key, failure.inside, failure.source)
        for failure in failures
    ]
    if root is None and failures:
        return LoadResult(None, tuple(issues))
    if root is None:
        return _unreadable(EMPTY_MESSAGE, None)
    if not isinstance(root, MappingNode):
        return _unreadable(TOP_LEVEL_MESSAGE, _line(root))
    # A broken chunk whose key also loaded elsewhere is a duplicate too.
    broken = {failure.key: failure.line or 0 for failure in failures if failure.key}
    builder = _TreeBuilder(broken)
    tree = builder.mapping(root, path="")
    issues.extend(builder.issues)
    issues.sort(key=lambda issue: issue.line or 0)
    return LoadResult(tree, tuple(issues))


def _json_result(tree: Node, issues: list[LoadIssue]) -> LoadResult:
    if not isinstance(tree.value, dict):
        return _unreadable(TOP_LEVEL_MESSAGE, tree.line)
    issues.sort(key=lambda issue: issue.line or 0)
    return LoadResult(tree, tuple(issues))


class _TreeBuilder:
    """Builds :class:`Node` trees, dropping duplicate keys and unusable text with an issue."""

    def __init__(self, broken: dict[str, int]) -> None:
        self.broken = broken  # dotted key -> line of a chunk that failed to load
        self.issues: list[LoadIssue] = []
        self.nodes = 0

    def mapping(self, node: MappingNode, *, path: str) -> Node:
        """A mapping with every key present once; repeated keys are all dropped.

        This runs for every key and value of every file: the usual case (a text key, a text
        value) is handled inline (``plain`` and ``_counted`` written out), the rest by
        :meth:`value` and :func:`_text_of`.
        """
        pairs = node.value
        keys: list[tuple[str, int, YamlNode]] = []
        bulk = self.nodes + len(pairs) <= MAX_NODES  # then no key can reach the cap
        if bulk:
            self.nodes += len(pairs)
        for key_node, value_node in pairs:
            mark = key_node.start_mark
            line = mark.line + 1 if mark else None
            if not bulk:
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    raise _too_many(line)
            key = key_node.value
            if not (
                type(key_node) is ScalarNode
                and key.isascii()
                and key.isprintable()  # no NUL, no control character (see checked_text)
                and len(key) <= MAX_SCALAR_CHARS
            ):
                try:
                    key = _text_of(key_node, line)
                except BadValue as bad:
                    self.issues.append(issue(f"a key {bad.message}", bad.line, path or None))
                    continue
            keys.append((key, line or 0, value_node))
        if len({key for key, _, _ in keys}) < len(keys) or self.broken:
            return Node(self._entries(keys, path), _line(node))  # a key twice: the slow way
        tree: dict[str, Node] = {}
        for key, _, value_node in keys:
            text = value_node.value
            if (
                type(value_node) is ScalarNode
                and text.isascii()
                and text.isprintable()
                and len(text) <= MAX_SCALAR_CHARS
            ):
                mark = value_node.start_mark
                line = mark.line + 1 if mark else None
                self.nodes += 1
                if self.nodes > MAX_NODES:
                    raise _too_many(line)
                tree[key] = Node(text, line)
                continue
            dotted = f"{path}.{key}" if path else key
            try:
                tree[key] = self.value(value_node, path=dotted)
            except BadValue as bad:
                self.issues.append(issue(bad.message, bad.line, dotted, source=bad.source))
        return Node(tree, _line(node))

    def _counted(self, node: YamlNode) -> int | None:
        """Count a key or value and return its line; salvage may gather more than one parse
        would allow, so the tree is capped here too."""
        mark = node.start_mark
        line: int | None = mark.line + 1 if mark else None
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _too_many(line)
        return line

    def _entries(self, keys: list[tuple[str, int, YamlNode]], path: str) -> dict[str, Node]:
        """The entries of a mapping where a key may come twice (or broke in a salvaged chunk)."""
        entries: dict[str, list[tuple[int, YamlNode]]] = {}
        for key, line, value_node in keys:
            entries.setdefault(key, []).append((line, value_node))
        tree: dict[str, Node] = {}
        broken = self.broken
        for key, occurrences in entries.items():
            dotted = f"{path}.{key}" if path else key
            if len(occurrences) > 1 or dotted in broken:
                lines = [line for line, _ in occurrences]
                if dotted in broken:
                    lines.append(broken[dotted])
                lines.sort()
                message = answered_twice(dotted, lines)
                source = "\n".join(_source_of(value) for _, value in occurrences)
                self.issues.append(named_issue(message, lines[1], dotted, source=source))
                continue
            try:
                tree[key] = self.value(occurrences[0][1], path=dotted)
            except BadValue as bad:
                self.issues.append(issue(bad.message, bad.line, dotted, source=bad.source))
        return tree

    def value(self, node: YamlNode, *, path: str) -> Node:
        """Any value; its depth was bounded when the graph was composed."""
        line = self._counted(node)
        kind = type(node)
        if kind is ScalarNode:
            text = node.value
            return Node(text if plain(text) else _text_of(node, line), line)
        if kind is MappingNode:
            return self.mapping(cast(MappingNode, node), path=path)
        if kind is SequenceNode:
            return Node([self.value(item, path=path) for item in node.value], line)
        raise BadValue("is not a YAML value the grader knows", line)  # never, from our composers


def _too_many(line: int | None) -> ComposeError:
    return ComposeError(
        f"the file holds more than {MAX_NODES} keys and values", line, whole_file=True
    )


def _source_of(node: YamlNode) -> str:
    """A value that is left out, as its text (lists and mappings in flow style): what a TA's
    decision on it is bound to. Its depth was bounded when the graph was composed."""
    if isinstance(node, ScalarNode):
        return str(node.value)
    if isinstance(node, SequenceNode):
        return "[" + ", ".join(_source_of(item) for item in node.value) + "]"
    if isinstance(node, MappingNode):
        pairs = (f"{_source_of(key)}: {_source_of(value)}" for key, value in node.value)
        return "{" + ", ".join(pairs) + "}"
    return ""


def _text_of(node: YamlNode, line: int | None) -> str:
    """The text of a scalar at ``line``, refused if it could not be shown or written safely."""
    if not isinstance(node, ScalarNode):
        raise BadValue("must be plain text, not a list or mapping", line)
    return checked_text(str(node.value), line)


def _line(node: YamlNode) -> int | None:
    return node.start_mark.line + 1 if node.start_mark else None


def _unreadable(message: str, line: int | None, key: str | None = None) -> LoadResult:
    return LoadResult(None, (issue(message, line, key),))
