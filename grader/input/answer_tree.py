"""What a loaded answer file becomes, whichever format it came in: a tree of text leaves with
lines, and the issues found on the way, worded the same for YAML and JSON.

:mod:`grader.loading` builds the tree from a YAML node graph, :mod:`grader.json_strict` straight
from ``json.loads``; both use the checks and messages here, so that the same text in either
format gives the same tree and the same issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from grader.escaping import visible

MAX_SCALAR_CHARS = 10_000  # characters in one key or answer
_SHOWN_KEY_CHARS = 60
_MESSAGE_CHARS = 300


class Node(NamedTuple):
    """A loaded value: text leaf, list or mapping; every scalar stays the student's text.

    A named tuple rather than a dataclass: a file makes one per key and value, and these
    are quicker to make."""

    value: str | list[Node] | dict[str, Node]
    line: int | None  # 1-based line where the value starts (None only if truly unknown)


@dataclass(frozen=True)
class LoadIssue:
    """One problem found while loading, written for a student."""

    message: str  # one line; names the key when known: "q1 answered twice (lines 1 and 3)"
    line: int | None  # 1-based
    key: str | None = None  # dotted path of the key concerned, when known ("answers.q2")
    # Keys written inside a broken value of ``key`` ("a" in "q2: {a: [1"): its parts whose
    # text is there; empty when none could be told apart.
    inside: tuple[str, ...] = ()


class BadValue(Exception):
    """One key or value is refused; the mapping entry holding it is dropped."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


NOT_GIVEN = frozenset(
    {"~", "null", "none", "-", "–", "—", "n/a", "na", "n.a.", "?", "??", "???", "tbd", "todo"}
    | {"idk", "don't know", "dont know", "don’t know"}
)
"""What people write for "no answer" (YAML's own null included: every scalar stays text)."""


def is_blank(text: str) -> bool:
    """Whether an answer says nothing: empty, or one of ``NOT_GIVEN``."""
    stripped = text.strip()
    return not stripped or stripped.lower() in NOT_GIVEN


def plain(text: str) -> bool:
    """Text that needs no closer look: printable ASCII (no surrogate, no NUL, no control
    character), not too long."""
    return text.isascii() and text.isprintable() and len(text) <= MAX_SCALAR_CHARS


def checked_text(text: str, line: int | None) -> str:
    """``text`` at ``line``, refused if it could not be shown or written safely, with the
    characters that could hide or reorder what a reader sees shown as code points
    (:func:`grader.escaping.visible`: every output shows the student's text from here).

    Raises:
        BadValue: too long, a NUL character, or a lone surrogate.
    """
    if len(text) > MAX_SCALAR_CHARS:
        raise BadValue(f"is longer than {MAX_SCALAR_CHARS} characters", line)
    if "\0" in text:
        raise BadValue("contains a NUL character", line)
    if text.isascii():  # no surrogate possible, nothing to encode
        return visible(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # An escape such as "\ud800" in JSON or double-quoted YAML; it cannot be written out.
        message = "contains a lone surrogate (\\ud800-\\udfff): type the character itself"
        raise BadValue(message, line) from None
    return visible(text)


def answered_twice(key: str, lines: list[int]) -> str:
    """``q1 answered twice (lines 1 and 3)``; three times and more are counted."""
    times = "twice" if len(lines) == 2 else f"{len(lines)} times"
    shown = ", ".join(str(line) for line in lines[:-1]) + f" and {lines[-1]}"
    if len(lines) > 4:  # keep the message one readable line
        shown = f"{lines[0]}, {lines[1]}, {lines[2]}, … and {lines[-1]}"
    return f"{shown_key(key)} answered {times} (lines {shown})"


def issue(
    message: str, line: int | None, key: str | None, inside: tuple[str, ...] = ()
) -> LoadIssue:
    """An issue whose message starts with the key when it is known (``q2: ...``)."""
    return named_issue(f"{shown_key(key)}: {message}" if key else message, line, key, inside)


def named_issue(
    message: str, line: int | None, key: str | None, inside: tuple[str, ...] = ()
) -> LoadIssue:
    """An issue whose message already names the key; made one printable line.

    Keys and PyYAML messages can hold tabs, newlines or lone surrogates, which would break the
    one-line promise or the report writer; they are shown as escapes, and long text is cut.
    """
    shown = visible(message)
    printable = "".join(char if char.isprintable() else repr(char)[1:-1] for char in shown)
    if len(printable) > _MESSAGE_CHARS:  # PyYAML quotes student text in some messages
        printable = printable[: _MESSAGE_CHARS - 1] + "…"
    return LoadIssue(printable, line, key, inside)


def shown_key(key: str) -> str:
    """A key short enough for a message."""
    return key if len(key) <= _SHOWN_KEY_CHARS else key[: _SHOWN_KEY_CHARS - 1] + "…"
