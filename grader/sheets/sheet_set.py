"""The sheets a run grades against: one main sheet (the TA's ``--assignment``, else the one
the class's files name most) and the other installed sheets a file may name, each solved once.

A file is graded against the sheet it names, when that is one of the run's; any other file
(one that names none, or a sheet the run does not grade) against the main sheet, where a
mismatch becomes that file's error result. With ``--assignment`` the run grades that sheet
only, so a file naming another one is such an error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from grader.sheets.expectations import Expectations
from grader.sheets.variant_expectations import VariantBook


@dataclass(frozen=True)
class SheetSet:
    """The solved sheets of a run, by id; ``main`` first.

    Attributes:
        main: what a file that names no sheet of the run is graded against.
        others: every other sheet a file may select by naming its id.
        books: the variants of each sheet that gives every student their own (by sheet id);
            a file of such a sheet is graded against its student's variant.
    """

    main: Expectations
    others: Mapping[str, Expectations] = field(default_factory=dict)
    books: Mapping[str, VariantBook] = field(default_factory=dict)

    @property
    def main_id(self) -> str:
        return self.main.assignment.id

    def of(self, sheet_id: str | None) -> Expectations:
        """The expectations a file naming ``sheet_id`` is graded against."""
        if sheet_id is None or sheet_id == self.main_id:
            return self.main
        return self.others.get(sheet_id, self.main)

    def book_of(self, sheet_id: str) -> VariantBook | None:
        """The variants of a sheet, when its students each have their own."""
        return self.books.get(sheet_id)

    def graded_against(self, sheet_id: str, variant: str | None) -> Expectations:
        """What a result of ``sheet_id`` graded against variant ``variant`` (its code, as
        the result records it) was graded against."""
        book = self.books.get(sheet_id)
        if book is None or variant is None:
            return self.of(sheet_id)
        return book.expectations(book.by_code(variant))

    def __iter__(self) -> Iterator[Expectations]:
        yield self.main
        yield from self.others.values()

    @property
    def ids(self) -> tuple[str, ...]:
        return (self.main_id, *self.others)


def one_sheet(exp: Expectations) -> SheetSet:
    """A run of one sheet (``grader check``, ``--assignment``, Gradescope)."""
    return SheetSet(exp)
