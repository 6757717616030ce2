"""A sheet's texts for one set of givens: feedback, mistake explanations, rubric items,
verdict notes and plot labels are written with placeholders (``{H} x {W} outputs``) and
filled in once, when the expectations for those givens are built, so that everything
downstream (grading, reports, the review page) reads plain text that is true for the givens
graded against.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from grader.errors import AssignmentError
from grader.sheets.assignment import Assignment
from grader.sheets.formulas import FormulaError, Value
from grader.sheets.placeholders import render
from grader.sheets.solvers import formula_values
from grader.sheets.solving import GivenValue, given_text
from reference.solution import Solution


class SheetTexts:
    """The names a sheet's placeholders may read (givens, symbols, every part's expected
    value) for one set of givens, and how a given named on its own is shown."""

    def __init__(
        self, assignment: Assignment, givens: Mapping[str, GivenValue], solution: Solution
    ) -> None:
        self.assignment = assignment
        self.givens = givens
        values = formula_values(assignment, givens)
        values.update(
            {
                part_id: value if isinstance(value, str) else float(value)
                for part_id, value in solution.answers.items()
                if isinstance(value, int | float | str) and not isinstance(value, bool)
            }
        )
        self.values: dict[str, Value] = values

    def text(self, template: str) -> str:
        """One text with its placeholders filled in.

        Raises:
            AssignmentError: a placeholder reads an unknown name or cannot be evaluated.
        """
        try:
            return render(template, self.values, self._given)
        except FormulaError as error:
            raise AssignmentError(
                f"sheet {self.assignment.id}: {template[:60]!r}: {error}"
            ) from None

    def _given(self, name: str) -> str | None:
        return given_text(self.assignment, self.givens, name) if name in self.givens else None


def rendered_sheet(assignment: Assignment, texts: SheetTexts) -> Assignment:
    """The sheet with every text that may hold placeholders filled in.

    Raises:
        AssignmentError: a placeholder cannot be filled in.
    """
    data = assignment.model_dump(exclude_defaults=True)
    for part in data.get("parts", []):
        for alternative in part.get("alternatives", []):
            alternative["feedback"] = _filled(alternative["feedback"], texts)
        for mistake in part.get("item_mistakes", []):
            mistake["feedback"] = texts.text(mistake["feedback"])
        if "mistake_feedback" in part:
            part["mistake_feedback"] = {
                key: _filled(value, texts) for key, value in part["mistake_feedback"].items()
            }
        if "rubric" in part:
            part["rubric"] = [_filled_item(item, texts) for item in part["rubric"]]
    for rule in data.get("carry_forward", {}).values():
        verdict = rule.get("verdict")
        if verdict and "feedback" in verdict:
            verdict["feedback"] = _filled(verdict["feedback"], texts)
    roofline = data.get("plots", {}).get("roofline")
    if roofline:
        for operation in roofline.get("operations", []):
            operation["label"] = texts.text(operation["label"])
    filled = Assignment.model_validate(data)
    return filled.at(assignment.folder) if assignment.folder is not None else filled


def _filled(feedback: Any, texts: SheetTexts) -> Any:
    if isinstance(feedback, dict):
        return {level: texts.text(text) for level, text in feedback.items()}
    return texts.text(feedback)


def _filled_item(item: Any, texts: SheetTexts) -> Any:
    if isinstance(item, dict):
        return {**item, "item": texts.text(item["item"])}
    return texts.text(item)
