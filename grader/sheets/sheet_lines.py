"""The line of a sheet file a load problem is about, so that its author goes straight to it:
``sheet.yaml:23: part q1.a: formula '2*M*P': ...``.

Problems name where they are by the path of the field (``parts[0] (q1.a): points``, a
pydantic location) or as the sheet's checks word it (``part q1.a: alternative macs: feedback``,
``carry_forward.q1.d: no such part``); both are walked down the file's YAML nodes as far as they
go, and the deepest node found gives the line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PART = re.compile(r"part (\S+): ")
_ALTERNATIVE = re.compile(r"alternative (\S+): ")
_FIELD = re.compile(r"[A-Za-z_]+")
_INDEX = re.compile(r"\[(\d+)\]")


class SheetLines:
    """Lines of the nodes of one sheet file (none when the text does not compose)."""

    def __init__(self, text: str) -> None:
        try:
            self.root: Node | None = yaml.compose(text, Loader=_Composer)
        except yaml.YAMLError:
            self.root = None

    def line(self, path: Sequence[str | int]) -> int | None:
        """The 1-based line of the deepest node on ``path`` (mapping keys, list indexes)."""
        node, line = self.root, None
        for step in path:
            found = _child(node, step)
            if found is None:
                break
            node, line = found
        return line

    def problem_line(self, problem: str) -> int | None:
        """The line a check's problem is about, from how it names its place."""
        part = _PART.match(problem)
        if part is None:
            return self._dotted_line(problem.partition(": ")[0])
        index = self._part_index(part.group(1))
        if index is None:
            return None
        rest = problem[part.end() :]
        alternative = _ALTERNATIVE.match(rest)
        if alternative is not None:
            alternatives = _child(_child_node(self.root, "parts", index), "alternatives")
            if alternatives is not None and isinstance(alternatives[0], SequenceNode):
                for position, item in enumerate(alternatives[0].value):
                    if _scalar(_child_node(item, "name")) == alternative.group(1):
                        inside = _FIELD.match(rest, alternative.end())
                        at: list[str | int] = ["parts", index, "alternatives", position]
                        return self.line([*at, *([inside.group()] if inside else [])])
        field = _FIELD.match(rest)
        path: list[str | int] = ["parts", index]
        if field is not None:
            path.append(field.group())
            inner = _INDEX.match(rest, field.end())
            if inner is not None:
                path.append(int(inner.group(1)))
        return self.line(path)

    def _part_index(self, part_id: str) -> int | None:
        parts = _child(self.root, "parts")
        if parts is None or not isinstance(parts[0], SequenceNode):
            return None
        for index, item in enumerate(parts[0].value):
            if _scalar(_child_node(item, "id")) == part_id:
                return index
        return None

    def _dotted_line(self, place: str) -> int | None:
        """``carry_forward.q1.d``, ``grading.generic_mistakes``: keys may hold dots
        themselves (part ids), so each step takes the longest key that matches."""
        node, line = self.root, None
        steps = place.split(".")
        while steps and isinstance(node, MappingNode):
            for size in range(len(steps), 0, -1):
                found = _child(node, ".".join(steps[:size]))
                if found is not None:
                    node, line = found
                    steps = steps[size:]
                    break
            else:
                break
        return line


def _child(node: Node | None, step: str | int) -> tuple[Node, int] | None:
    """The child ``step`` of a mapping (by key) or a list (by index), with its line."""
    if isinstance(node, MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == step:
                return value, key.start_mark.line + 1
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        item = node.value[step]
        return item, item.start_mark.line + 1
    return None


def _child_node(node: Node | None, *path: str | int) -> Node | None:
    for step in path:
        found = _child(node, step)
        if found is None:
            return None
        node = found[0]
    return node


def _scalar(node: Node | None) -> str | None:
    return node.value if isinstance(node, ScalarNode) else None
