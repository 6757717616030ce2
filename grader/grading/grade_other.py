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
from grader.sheets.assignment import Part, RubricItem, feedback_texts
from grader.sheets.expectations import Expectations
from reference.roofline import COMPUTE_BOUND, MEMORY_BOUND
from reference.solution import format_number as fmt

VERDICT_SPELLINGS: dict[str, list[str]] = {
    MEMORY_BOUND: [
        "memory bound",
        "memory",
        "bandwidth-bound",
        "bandwidth bound",
        "mem-bound",
        "memory limited",
        "memory-limited",
        "bandwidth limited",
        "bandwidth",
    ],
    COMPUTE_BOUND: [
        "compute bound",
        "compute",
        "math-bound",
        "math bound",
        "compute limited",
        "compute-limited",
        "math limited",
        "flop-bound",
        "flops-bound",
    ],
}


def grade_choice(part: Part, text: str, exp: Expectations, own: Mapping[str, float]) -> Outcome:
    """A memory-/compute-bound verdict; near the ridge either is right; errors carry forward."""
    chosen = read_choice(text, choices=VERDICT_SPELLINGS)
    expected = exp.expected(part.id)
    rule = exp.assignment.carry_forward.get(part.id)
    verdict = rule.verdict if rule else None
    margin = part.policy(exp.assignment.grading).verdict_margin
    if chosen == expected:
        return Outcome(Status.CORRECT, 1.0, chosen, feedback="Right.")
    if verdict is None:
        return credited(0.0, value=chosen, feedback="Not right.")
    answers = exp.answers
    intensity, ridge = float(answers[verdict.intensity]), float(answers[verdict.ridge])  # type: ignore[arg-type]
    if abs(intensity - ridge) <= margin * ridge:
        return Outcome(
            Status.CORRECT,
            1.0,
            chosen,
            feedback=(
                f"Accepted: the intensity ({fmt(intensity)}) is within {margin:.0%} of the turning "
                f"point ({fmt(ridge)}), where either verdict is defensible."
            ),
            hint=(  # both numbers are the reference's
                f"Accepted: this operation's intensity is within {margin:.0%} of this device's "
                "turning point, where either verdict is defensible."
            ),
        )
    own_intensity = own.get(verdict.intensity, intensity)
    own_ridge = own.get(verdict.ridge, ridge)
    if (own_intensity, own_ridge) != (intensity, ridge) and own_ridge > 0:
        own_verdict = MEMORY_BOUND if own_intensity < own_ridge else COMPUTE_BOUND
        near = abs(own_intensity - own_ridge) <= margin * own_ridge
        if chosen == own_verdict or near:
            credit = part.policy(exp.assignment.grading).carried_forward_credit
            return credited(
                credit,
                value=chosen,
                mistake="carried_forward",
                carried_forward=True,
                feedback=(
                    f"Consistent with your own intensity ({fmt(own_intensity)}) "
                    f"and turning point ({fmt(own_ridge)}): credit carried "
                    "forward; the mistake is counted where it was made."
                ),
                hint=_own_values_hint(verdict.intensity, verdict.ridge, own),
            )
    return credited(
        0.0,
        value=chosen,
        mistake="wrong_side_of_ridge",
        feedback=(
            "Compare this operation's intensity with this device's own turning point: below it the "
            "operation is memory-bound, above it compute-bound."
        ),
    )


def _own_values_hint(intensity_id: str, ridge_id: str, own: Mapping[str, float]) -> str | None:
    """The carried-forward note naming only the student's own numbers: where the student gave
    no usable intensity or turning point, the reference's stood in, and its value stays
    hidden under ``reveal: feedback``. None when both numbers are the student's own."""
    if intensity_id in own and ridge_id in own:
        return None
    intensity = (
        f"your own intensity ({fmt(own[intensity_id])})"
        if intensity_id in own
        else "this operation's intensity"
    )
    ridge = (
        f"your own turning point ({fmt(own[ridge_id])})"
        if ridge_id in own
        else "this device's turning point"
    )
    return (
        f"Consistent with {intensity} and {ridge}: credit carried forward; the mistake is "
        "counted where it was made."
    )


def grade_complexity(part: Part, text: str, exp: Expectations) -> Outcome:
    """A growth class such as O(L^2); constant factors do not matter."""
    others = [symbol for symbol in exp.symbols if symbol != "L"]
    try:
        chosen = read_complexity(text, constants=others)
    except AnswerFormatError as error:
        raise AnswerFormatError(
            f"{error.message} (write a growth class in L, such as O(L), O(L^3) or linear)",
            readings=error.readings,
        ) from None
    if chosen == exp.expected(part.id):
        return Outcome(Status.CORRECT, 1.0, chosen, feedback="Right.")
    feedback, hint = feedback_texts(
        part.mistake_feedback.get(
            chosen,
            (f"{chosen} is not how the number of scores grows: count them for L and for 2L."),
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
