"""What grading one part may read of the rest of the student's file.

Grading a part is a function of its answer, the student's earlier numeric answers (for
carry-forward) and, rarely, of how the file writes numbers elsewhere (``3,333`` is 3.333 in a
file that writes ``2,25``). :class:`FileContext` holds the latter two; the habit is worked out
only when an answer needs it, so that the usual file pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

from grader.answers.digit_grouping import Habit, decimal_habit
from grader.input.answer_tree import Node

__all__ = ["Fact", "FileContext"]


Fact = tuple[bool, str | None]
"""How an earlier numeric part was graded: accepted as right, and the mistake found (a plain
tuple: one is made for every numeric part of every file)."""


class FileContext:
    """The student's earlier results and the file's own habits, for grading its parts.

    Args:
        answers: The file's answers (anything with ``values()`` of objects with a ``node``),
            read only if a habit is asked for.
    """

    __slots__ = ("_answers", "_habit", "facts")

    def __init__(self, answers: Mapping[str, _HasNode]) -> None:
        self._answers = answers
        self._habit: Habit | bool | None = False  # False: not worked out yet
        self.facts: dict[str, Fact] = {}

    @property
    def habit(self) -> Habit | None:
        """How the file writes commas where they are unambiguous (None: it does not say)."""
        if self._habit is False:
            nodes = [answer.node for answer in self._answers.values()]
            self._habit = decimal_habit(_texts(nodes))
        return None if self._habit is True else self._habit


class _HasNode(Protocol):
    @property
    def node(self) -> Node: ...


def _texts(nodes: list[Node]) -> Iterator[str]:
    """Every text leaf under ``nodes``."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        value = node.value
        if isinstance(value, str):
            yield value
        elif isinstance(value, list):
            stack.extend(value)
        else:
            stack.extend(value.values())
