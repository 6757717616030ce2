"""Grading a choice among the part's words (a memory-/compute-bound verdict): the student's
spelling or sentence is read against the part's vocabulary; with a verdict rule, near the
threshold either side is right, and the student's own earlier values carry the verdict.
"""

from __future__ import annotations

from collections.abc import Mapping

from grader.answers.numbers import read_choice
from grader.grading.file_context import FileContext
from grader.grading.outcome import Outcome, credited
from grader.results import Status
from grader.sheets.assignment import Part, VerdictRule, feedback_texts
from grader.sheets.expectations import Expectations
from reference.solution import format_number as fmt

__all__ = ["grade_choice"]


def grade_choice(
    part: Part,
    text: str,
    exp: Expectations,
    own: Mapping[str, float],
    context: FileContext | None = None,
) -> Outcome:
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
