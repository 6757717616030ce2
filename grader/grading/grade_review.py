"""Grading the kinds a person grades: free text and sketches get pending points and a rubric
suggestion for the TA, never points from the grader.
"""

from __future__ import annotations

from collections.abc import Mapping

from grader.errors import AnswerFormatError
from grader.grading.file_context import FileContext
from grader.grading.outcome import Outcome
from grader.input.answer_tree import Node
from grader.input.submission import image_path, names_a_file
from grader.results import Status
from grader.sheets.assignment import Part, RubricItem
from grader.sheets.expectations import Expectations

__all__ = ["grade_sketch", "grade_text", "node_text"]


def grade_text(
    part: Part,
    node: Node,
    exp: Expectations,
    own: Mapping[str, float] | None = None,
    context: FileContext | None = None,
) -> Outcome:
    """Free text: which rubric items it seems to cover, for the TA who grades it."""
    text = node_text(node)
    items = _rubric(part)
    lowered = text.lower()
    covered = [i.item for i in items if any(k.lower() in lowered for k in i.keywords)]
    missing = [i.item for i in items if i.item not in covered]
    review = f"Seems to cover: {'; '.join(covered) or 'nothing recognised'}."
    if missing:
        review += f" Not found: {'; '.join(missing)}."
    return Outcome(
        Status.NEEDS_REVIEW, 0.0, text, feedback="A TA will review this answer.", review=review
    )


def grade_sketch(
    part: Part,
    node: Node,
    exp: Expectations,
    own: Mapping[str, float] | None = None,
    context: FileContext | None = None,
) -> Outcome:
    """A sketch: an image file next to the answer file, with the rubric as the TA's checklist.
    A description in words instead of a file name goes to the TA too, with a note."""
    path = image_path(node)
    if path is None:
        raise AnswerFormatError("give the sketch as an image file name: {image: sketch.png}")
    text = node_text(node)
    checklist = "; ".join(item.item for item in _rubric(part))
    check = f"Check: {checklist}" if checklist else None
    if not names_a_file(path):
        sketch = f"{part.id.split('.')[0]}-sketch.png"
        return Outcome(
            Status.NEEDS_REVIEW,
            0.0,
            text,
            feedback=(
                "This part asks for a sketch as an image file next to your answer file"
                f" ({{image: {sketch}}}); your description is passed to a TA."
            ),
            review=" ".join(filter(None, ["Answered in words, not with an image.", check])),
        )
    return Outcome(
        Status.NEEDS_REVIEW, 0.0, text, feedback="A TA will review your sketch.", review=check
    )


def _rubric(part: Part) -> list[RubricItem]:
    return [item if isinstance(item, RubricItem) else RubricItem(item=item) for item in part.rubric]


def node_text(node: Node) -> str:
    """All text of a node (a list of advantages becomes one line per item)."""
    if isinstance(node.value, str):
        return node.value
    if isinstance(node.value, list):
        return "\n".join(node_text(child) for child in node.value)
    return "\n".join(f"{k}: {node_text(v)}" for k, v in node.value.items())
