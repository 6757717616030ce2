"""The installed sheets as a table (``grader sheets``): id, title, folder, number of parts,
points, whether it draws a roofline, and which one is the course's default.

A sheet that does not load is still listed, with its first problem, so that the listing
itself never fails on a bad sheet (``grader sheet ID`` then shows every problem).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from tabulate import tabulate

from grader.errors import AssignmentError
from grader.sheets.library import bundled_assignment_ids, bundled_sheets, load_bundled_assignment


@dataclass(frozen=True)
class SheetEntry:
    """One installed sheet as the listing shows it."""

    id: str
    title: str
    folder: str
    parts: int
    points: float
    roofline: bool
    default: bool
    problem: str | None = None


def installed_sheets() -> list[SheetEntry]:
    """Every installed sheet, in the course's order (the first is the default)."""
    entries = []
    folders = bundled_sheets()
    for index, sheet_id in enumerate(bundled_assignment_ids()):
        folder = folders[sheet_id].name
        try:
            sheet = load_bundled_assignment(sheet_id)
        except AssignmentError as error:
            first = str(error).splitlines()[0]
            entries.append(SheetEntry(sheet_id, "", folder, 0, 0.0, False, index == 0, first))
            continue
        entries.append(
            SheetEntry(
                sheet.id,
                sheet.title,
                folder,
                len(sheet.parts),
                sheet.max_score,
                sheet.plots.roofline is not None,
                index == 0,
            )
        )
    return entries


def catalogue_table(entries: list[SheetEntry]) -> str:
    """The listing as a plain-text table, one sheet a row, the course's default marked."""
    rows = [
        [
            entry.id,
            entry.title if entry.problem is None else f"NOT LOADED: {entry.problem}",
            entry.folder,
            entry.parts,
            f"{entry.points:g}",
            "yes" if entry.roofline else "no",
            "default" if entry.default else "",
        ]
        for entry in entries
    ]
    table = tabulate(
        rows,
        headers=["Sheet", "Title", "Folder", "Parts", "Points", "Roofline", "Course"],
        disable_numparse=True,
    )
    return table + "\n\nA file that names no sheet is graded against the course's default."


def catalogue_json(entries: list[SheetEntry]) -> list[dict[str, object]]:
    """The listing as JSON-ready objects."""
    return [asdict(entry) for entry in entries]
