"""The fast writers: a result's JSON file and its packed digest, and CSV rows, each made by
joining pieces written once, byte for byte what the plain writers make of the whole.

- JSON: grading remembers whole parts (:mod:`grader.grading.grade`), so across a class the
  same ``PartResult`` objects make up most results. Writing a result is then mostly joining the
  UTF-8 JSON text (and the packed tuple) of parts already seen; the text is byte for byte
  pydantic's ``model_dump_json(indent=2)``. The pieces are kept as bytes: a result's text is
  mostly non-ASCII-bearing feedback, and encoding the whole of it for every file cost more
  than joining it.
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

__all__ = ["CSV_LINE_END", "CsvSegment", "PackedParts", "PartTable", "ResultSerializer"]

CSV_LINE_END = "\r\n"  # RFC 4180

_AFTER_PARTS = '\n  "file": '  # the field pydantic writes after the parts (none is left out)
_PART_INDENT = "    "  # a part's lines inside the parts list
_WITHOUT_PARTS = {"parts"}  # never changed: a constant
_MAX_REMEMBERED = 20_000


PackedParts = tuple[tuple[int, ...], tuple[tuple[int, tuple[Any, ...]], ...]]
"""The parts of a packed result: the number of each part, in order, and (number, fields) of
the parts this serializer had not sent before. Numbers alone let the unpacking side look the
parts up in one pass of C code (see :meth:`PartTable.unpack`)."""


@dataclass
class _Known:
    part: PartResult  # held, so that its id() cannot be reused while it is remembered
    text: bytes  # its lines in a result file, UTF-8
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
        found = _Known(part, (_PART_INDENT + text).encode("utf-8"), next(self._numbers))
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
        return self.json_bytes(result).decode("utf-8")

    def json_bytes(self, result: SubmissionResult) -> bytes:
        """:meth:`json`, UTF-8 encoded: what the file holds, byte for byte."""
        if not result.parts:
            return (result.model_dump_json(indent=2) + "\n").encode("utf-8")
        # The result without its parts, cut where pydantic would have written them: just
        # before the field that follows them. Values are escaped, so the only line breaks in
        # the text are its own, and an indented field name cannot occur inside a value.
        text = result.model_dump_json(indent=2, exclude=_WITHOUT_PARTS)
        cut = text.index(_AFTER_PARTS)
        parts = b",\n".join([known.text for known in self._known_parts(result)])
        return b"".join(
            (
                text[:cut].encode("utf-8"),
                b'\n  "parts": [\n',
                parts,
                b"\n  ],",
                text[cut:].encode("utf-8"),
                b"\n",
            )
        )

    def pack(self, result: SubmissionResult) -> PackedResult:
        """:func:`grader.results.pack`, each part's fields sent only the first time (its
        parts are :data:`PackedParts`).

        Results graded in another process travel as these; in a class most parts are shared,
        so most of a result is a few numbers, which pickle and unpack quickly.
        """
        known = self._known_parts(result)
        new = tuple([(k.number, pack_part(k.part)) for k in known if not k.sent])
        for found in known:
            found.sent = True
        parts: PackedParts = (tuple([k.number for k in known]), new)
        return pack(result, parts)


class PartTable:
    """Unpacks the results that serializers (one per process) packed, in the order packed."""

    def __init__(self) -> None:
        self._parts: dict[int, dict[int, PartDigest]] = {}

    def unpack(self, packed: PackedResult, sender: int) -> ResultDigest:
        """The digest of a result that the serializer known as ``sender`` packed."""
        table = self._parts.get(sender)
        if table is None:
            table = self._parts[sender] = {}
        numbers, new = packed_parts(packed)
        for number, fields in new:
            table[number] = PartDigest._make(fields)
        return unpack(packed, tuple(map(table.__getitem__, numbers)))


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
