"""Grading a growth class in the part's variable (``O(L^2)``, ``quadratic``): constant factors
do not matter, and the sheet's other symbols are constants.
"""

from __future__ import annotations

from collections.abc import Mapping

from grader.answers.numbers import read_complexity
from grader.errors import AnswerFormatError
from grader.grading.file_context import FileContext
from grader.grading.outcome import Outcome, credited
from grader.results import Status
from grader.sheets.assignment import Part, feedback_texts
from grader.sheets.expectations import Expectations

__all__ = ["grade_growth_class"]


def grade_growth_class(
    part: Part,
    text: str,
    exp: Expectations,
    own: Mapping[str, float] | None = None,
    context: FileContext | None = None,
) -> Outcome:
    """A growth class in the part's variable, such as O(L^2); constant factors do not matter."""
    variable = part.variable or "n"
    others = [symbol for symbol in exp.symbols if symbol != variable]
    try:
        chosen = read_complexity(text, variable=variable, constants=others)
    except AnswerFormatError as error:
        raise AnswerFormatError(
            f"{error.message} (write a growth class in {variable}, such as O({variable}), "
            f"O({variable}^3) or linear)",
            readings=error.readings,
        ) from None
    if chosen == exp.expected(part.id):
        return Outcome(Status.CORRECT, 1.0, chosen, feedback="Right.")
    feedback, hint = feedback_texts(
        part.mistake_feedback.get(
            chosen,
            f"{chosen} is not how it grows: work it out for {variable} and for 2{variable}.",
        )
    )
    return credited(0.0, value=chosen, mistake="wrong_growth_class", feedback=feedback, hint=hint)
