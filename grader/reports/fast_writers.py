"""The fast writers: a result's JSON file and its packed digest, and CSV rows, each made by
joining pieces written once, byte for byte what the plain writers make of the whole.

- JSON: grading remembers whole parts (:mod:`grader.grading.grade`), so across a class the
  same ``PartResult`` objects make up most results. Writing a result is then mostly joining the
  JSON text (and the packed tuple) of parts already seen; the text is byte for byte pydantic's
  ``model_dump_json(indent=2)``.
- CSV: a row of the review sheet is a student's cells and a part's cells, each written once by
  the ``csv`` module (:class:`CsvSegment`) and joined with a comma: the line the writer makes
  of the whole row.

``tests/test_fast_writers.py`` holds each equal to its plain writer; the speed-up is measured
by ``benchmarks/bench.py`` (see ``benchmarks/README.md``).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grader.results import (
    PackedResult,
    PartDigest,
    PartResult,
    ResultDigest,
    SubmissionResult,
    pack,
    pack_part,
    packed_parts,
    unpack,
)
from grader.spreadsheet import Cell, cell_text

__all__ = ["CSV_LINE_END", "CsvSegment", "PartRef", "PartTable", "ResultSerializer"]

CSV_LINE_END = "\r\n"  # RFC 4180

_PARTS = '\n  "parts": []'  # how pydantic writes an empty parts list, at its place
_PART_INDENT = "    "  # a part's lines inside the parts list
_MAX_REMEMBERED = 20_000


PartRef = int | tuple[int, tuple[Any, ...]]
"""A part in a packed result: its number if this serializer sent it before, else (number,
fields) the first time."""


@dataclass
class _Known:
    part: PartResult  # held, so that its id() cannot be reused while it is remembered
    text: str
    number: int
    sent: bool = False


class ResultSerializer:
    """Serialises results, remembering the text of every part it has seen and sending each
    part's fields once (see :class:`PartTable`).

    Parts are remembered by identity; memory stays bounded (the memo starts over when full).
    A batch asks for a result's text, then its packed form: the parts are looked up once for
    both (the last result's are kept).
    """

    def __init__(self) -> None:
        self._parts: dict[int, _Known] = {}
        self._numbers = itertools.count()
        self._last: tuple[SubmissionResult | None, list[_Known]] = (None, [])

    def _known(self, part: PartResult) -> _Known:
        text = part.model_dump_json(indent=2).replace("\n", "\n" + _PART_INDENT)
        found = _Known(part, _PART_INDENT + text, next(self._numbers))
        if len(self._parts) >= _MAX_REMEMBERED:
            self._parts.clear()
        self._parts[id(part)] = found
        return found

    def _known_parts(self, result: SubmissionResult) -> list[_Known]:
        last, known = self._last
        if last is not result:
            get = self._parts.get
            known = [get(id(part)) or self._known(part) for part in result.parts]
            self._last = (result, known)
        return known

    def json(self, result: SubmissionResult) -> str:
        """The result as ``results/<id>.json`` holds it (pydantic's indented JSON, and a
        final line break)."""
        if not result.parts:
            return result.model_dump_json(indent=2) + "\n"
        head, found, tail = (
            result.model_copy(update={"parts": ()}).model_dump_json(indent=2).rpartition(_PARTS)
        )
        assert found, "pydantic no longer writes an empty parts list as expected"
        parts = ",\n".join([known.text for known in self._known_parts(result)])
        return f'{head}\n  "parts": [\n{parts}\n  ]{tail}\n'

    def pack(self, result: SubmissionResult) -> PackedResult:
        """:func:`grader.results.pack`, each part's fields sent only the first time.

        Results graded in another process travel as these; in a class most parts are shared,
        so most of a result is a few numbers, which pickle and unpack quickly.
        """
        return pack(result, tuple([_ref(known) for known in self._known_parts(result)]))


def _ref(known: _Known) -> PartRef:
    if known.sent:
        return known.number
    known.sent = True
    return (known.number, pack_part(known.part))


class PartTable:
    """Unpacks the results that serializers (one per process) packed, in the order packed."""

    def __init__(self) -> None:
        self._parts: dict[int, dict[int, PartDigest]] = {}

    def unpack(self, packed: PackedResult, sender: int) -> ResultDigest:
        """The digest of a result that the serializer known as ``sender`` packed."""
        table = self._parts.setdefault(sender, {})
        parts = []
        for ref in packed_parts(packed):
            if type(ref) is int:
                parts.append(table[ref])
            else:
                number, fields = ref
                part = table[number] = PartDigest._make(fields)
                parts.append(part)
        return unpack(packed, tuple(parts))


class CsvSegment:
    """Cells as the CSV text the ``csv`` writer makes of them, without the line end.

    Segments of one row joined with commas are the line the writer makes of the whole row:
    it quotes each field on its own, and only a row of one empty field is special (``""``),
    so a segment has two cells or more."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator=CSV_LINE_END)

    def __call__(self, cells: Sequence[Cell]) -> str:
        assert len(cells) > 1, "a lone empty cell is written differently"
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow([cell_text(cell) for cell in cells])
        return self.buffer.getvalue()[: -len(CSV_LINE_END)]
