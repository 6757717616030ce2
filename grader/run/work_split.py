"""How a batch's files are cut into the tasks its grading processes take, one task at a time.

Without variants, files go in their sorted order, in chunks big enough that the cost of a task
vanishes and small enough that the processes finish together. With variants, what a process
learns grading a file (its variant solved, the answers graded against it) serves only the
files of the same variant, so each task holds the files of whole variants: a variant's files
are graded in one process, which solves it and fills its memo once. Which variant a file has is
known only once it is read (its student id); the file's name is the id in the usual layout
(``s1000001.yaml``), so tasks are made from the names. A guess, nothing more: a file whose
name is not its id is graded just the same, only perhaps in the other process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from grader.input.submission import valid_student_id
from grader.sheets.sheet_set import SheetSet

MAX_CHUNK = 256
"""Most files a task holds when nothing asks for more (a variant's files in one task may)."""


def chunk_size(files: int, jobs: int) -> int:
    """Files per task: about eight tasks per process, at most :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, files // (jobs * 8)))


def tasks_of(paths: Sequence[str], sheets: SheetSet, jobs: int) -> list[list[int]]:
    """The positions in ``paths`` of each task's files, every position in exactly one task."""
    chunk = chunk_size(len(paths), jobs)
    groups = _by_likely_variant(paths, sheets)
    if groups is None:
        return [
            list(range(start, min(start + chunk, len(paths))))
            for start in range(0, len(paths), chunk)
        ]
    tasks: list[list[int]] = []
    current: list[int] = []
    for group in groups:
        # Whole variants per task; a variant with more files than a task holds is cut, so
        # that one big variant cannot leave the other processes idle.
        for start in range(0, len(group), chunk):
            piece = group[start : start + chunk]
            if current and len(current) + len(piece) > chunk:
                tasks.append(current)
                current = []
            current = current + piece
    if current:
        tasks.append(current)
    return tasks


def _by_likely_variant(paths: Sequence[str], sheets: SheetSet) -> list[list[int]] | None:
    """Positions grouped by the variant of the student each file is named after (by the main
    sheet's variants, else another sheet's); None without variants."""
    book = sheets.book_of(sheets.main_id) or next(iter(sheets.books.values()), None)
    if book is None:
        return None
    groups: dict[int, list[int]] = {}
    for position, path in enumerate(paths):
        stem = os.path.splitext(os.path.basename(path))[0]
        # A name that is no student id (any text a file system allows, even undecodable
        # bytes) says nothing about the variant: such files go together, after the others.
        guess = book.of_student(stem).index if valid_student_id(stem) else -1
        groups.setdefault(guess, []).append(position)
    return [groups[index] for index in sorted(groups, key=lambda index: (index < 0, index))]
