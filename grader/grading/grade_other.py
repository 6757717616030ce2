"""Grading the non-numeric kinds: choices (verdicts), complexities, and the parts a person
grades (free text, sketches), which get a rubric suggestion instead of points. Operation
counts are in :mod:`grader.operation_counts`.
"""

from __future__ import annotations

from collections.abc import Mapping

from grader.answers.numbers import read_choice, read_complexity
from grader.errors import AnswerFormatError
from grader.grading.outcome import Outcome, credited
from grader.input.answer_tree import Node
from grader.results import Status
from grader.sheets.assignment import Part, RubricItem, VerdictRule, feedback_texts
from grader.sheets.expectations import Expectations
from reference.solution import format_number as fmt


def grade_choice(part: Part, text: str, exp: Expectations, own: Mapping[str, float]) -> Outcome:
    """One of the part's choices; with a verdict rule, near the threshold either side is right
    and the student's own earlier values carry the verdict."""
    chosen = read_choice(text, choices=exp.assignment.vocabulary(part))
    expected = exp.expected(part.id)
    rule = exp.assignment.carry_forward.get(part.id)
    verdict = rule.verdict if rule else None
    margin = part.policy(exp.assignment.grading).verdict_margin
    if chosen == expected:
        return Outcome(Status.CORRECT, 1.0, chosen, feedback="Right.")
    if verdict is None:
        feedback, hint = feedback_texts(part.mistake_feedback.get(chosen, "Not right."))
        return credited(0.0, value=chosen, mistake="wrong_choice", feedback=feedback, hint=hint)
    answers = exp.answers
    intensity, ridge = float(answers[verdict.intensity]), float(answers[verdict.ridge])  # type: ignore[arg-type]
    if abs(intensity - ridge) <= margin * ridge:
        return Outcome(
            Status.CORRECT,
            1.0,
            chosen,
            feedback=(
                f"Accepted: the {verdict.value_name} ({fmt(intensity)}) is within {margin:.0%} of "
                f"the {verdict.threshold_name} ({fmt(ridge)}), where either verdict is defensible."
            ),
            hint=(  # both numbers are the reference's
                f"Accepted: {verdict.value_named} is within {margin:.0%} of "
                f"{verdict.threshold_named}, where either verdict is defensible."
            ),
        )
    own_intensity = own.get(verdict.intensity, intensity)
    own_ridge = own.get(verdict.ridge, ridge)
    if (own_intensity, own_ridge) != (intensity, ridge) and own_ridge > 0:
        own_verdict = verdict.below if own_intensity < own_ridge else verdict.above
        near = abs(own_intensity - own_ridge) <= margin * own_ridge
        if chosen == own_verdict or near:
            credit = part.policy(exp.assignment.grading).carried_forward_credit
            return credited(
                credit,
                value=chosen,
                mistake="carried_forward",
                carried_forward=True,
                feedback=(
                    f"Consistent with your own {verdict.value_name} ({fmt(own_intensity)}) "
                    f"and {verdict.threshold_name} ({fmt(own_ridge)}): credit carried "
                    "forward; the mistake is counted where it was made."
                ),
                hint=_own_values_hint(verdict, own),
            )
    feedback, hint = feedback_texts(
        verdict.feedback
        or (
            f"Compare the {verdict.value_name} with the {verdict.threshold_name}: below it, "
            f"{verdict.below}; above it, {verdict.above}."
        )
    )
    return credited(0.0, value=chosen, mistake="wrong_side_of_ridge", feedback=feedback, hint=hint)


def _own_values_hint(verdict: VerdictRule, own: Mapping[str, float]) -> str | None:
    """The carried-forward note naming only the student's own numbers: where the student gave
    no usable value or threshold, the reference's stood in, and its value stays hidden under
    ``reveal: feedback``. None when both numbers are the student's own."""
    intensity_id, ridge_id = verdict.intensity, verdict.ridge
    if intensity_id in own and ridge_id in own:
        return None
    intensity = (
        f"your own {verdict.value_name} ({fmt(own[intensity_id])})"
        if intensity_id in own
        else verdict.value_named
    )
    ridge = (
        f"your own {verdict.threshold_name} ({fmt(own[ridge_id])})"
        if ridge_id in own
        else verdict.threshold_named
    )
    return (
        f"Consistent with {intensity} and {ridge}: credit carried forward; the mistake is "
        "counted where it was made."
    )


def grade_complexity(part: Part, text: str, exp: Expectations) -> Outcome:
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


def grade_for_review(part: Part, node: Node, *, in_words: bool = False) -> Outcome:
    """Free text or a sketch: pending points for a person, with a rubric suggestion.

    ``in_words``: a sketch part answered with a description instead of an image file.
    """
    text = node_text(node)
    items = [
        item if isinstance(item, RubricItem) else RubricItem(item=item) for item in part.rubric
    ]
    if part.kind == "image":
        checklist = "; ".join(item.item for item in items)
        check = f"Check: {checklist}" if checklist else None
        if in_words:
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
    lowered = text.lower()
    covered = [i.item for i in items if any(k.lower() in lowered for k in i.keywords)]
    missing = [i.item for i in items if i.item not in covered]
    review = f"Seems to cover: {'; '.join(covered) or 'nothing recognised'}."
    if missing:
        review += f" Not found: {'; '.join(missing)}."
    return Outcome(
        Status.NEEDS_REVIEW, 0.0, text, feedback="A TA will review this answer.", review=review
    )


def node_text(node: Node) -> str:
    """All text of a node (a list of advantages becomes one line per item)."""
    if isinstance(node.value, str):
        return node.value
    if isinstance(node.value, list):
        return "\n".join(node_text(child) for child in node.value)
    return "\n".join(f"{k}: {node_text(v)}" for k, v in node.value.items())
