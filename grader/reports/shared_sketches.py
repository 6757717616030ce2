"""Sketches that two students hand in: the same image, byte for byte, in different files.

A class gathered into one folder holds one ``q3-sketch.png`` (the template's name), each
student's copy overwriting the last, while every answer file still names it; a student may
also hand in a classmate's picture. Either way the TA would see one picture as each
student's own. Every checked sketch is kept under its content's digest
(:func:`grader.input.attachments.sketch_file`), so equal digests are equal images: each file
holding one that another student's file holds too gets a note naming the others. A signal
for a TA, never a penalty. One student's one image for two parts (both rooflines on one
plot) is theirs alone and not noted.
"""

from __future__ import annotations

from collections.abc import Sequence

from grader.results import ResultLike

MAX_NAMED = 5
"""Other files named in one note; the rest are counted (a placeholder image a whole class
handed in would otherwise make one note the size of the class)."""


def shared_sketches(results: Sequence[ResultLike], names: Sequence[str]) -> dict[int, str]:
    """The graded files (by position in ``results``) holding a sketch another student's file
    holds too, each with the note for the TA; ``names`` are the files' names as shown."""
    holders: dict[str, list[tuple[int, str]]] = {}  # the copy's name: (file, part)
    for index, result in enumerate(results):
        if result.status != "graded":
            continue
        for part in result.parts:
            if part.attachment:
                holders.setdefault(part.attachment, []).append((index, part.id))
    found: dict[int, list[str]] = {}
    for held in holders.values():
        students = {results[index].student.id.lower() for index, _ in held}
        if len(students) < 2:
            continue
        for index, part_id in held:
            own = results[index].student.id.lower()
            others = sorted({names[i] for i, _ in held if results[i].student.id.lower() != own})
            shown = ", ".join(repr(name) for name in others[:MAX_NAMED])
            if len(others) > MAX_NAMED:
                shown += f" and {len(others) - MAX_NAMED} more"
            note = (
                f"{part_id}: the same image, byte for byte, as in {shown}: one sketch for "
                "two students (a class gathered into one folder, or a copy)"
            )
            if note not in found.setdefault(index, []):
                found[index].append(note)
    return {index: "; ".join(notes) for index, notes in found.items()}
