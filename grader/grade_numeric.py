"""Grading a number: right, carried forward, arithmetic slip, close, known mistake, or wrong.

Pure. The order of the checks is the order a careful TA reasons in: is it right (or equally
right under another reasonable convention); does it follow from the student's own earlier
answers; is the expression right but the stated result not; is it close; does it match an
alternative of this part or a generic slip (x2, 1000 vs 1024...).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from grader.assignment import GradingPolicy, Part
from grader.compare import is_close, is_right, relative_error, same_number
from grader.errors import AnswerFormatError
from grader.expectations import Candidate, Expectations, evaluate_formula
from grader.mistakes import GENERIC_TRANSFORMS
from grader.numbers import NumericAnswer, read_number
from grader.outcome import Outcome, credited
from grader.results import Status
from reference.solution import format_number as fmt

Matcher = Callable[[float], bool]
"""Whether the student's stated value is right for a target value."""


def grade_number(part: Part, text: str, exp: Expectations, own: Mapping[str, float]) -> Outcome:
    """Grade a numeric answer; ``own`` holds the student's valid earlier numeric answers.

    Raises:
        AnswerFormatError: the text cannot be read as a number in the part's unit.
    """
    answer = read_number(text, unit=part.unit, symbols=exp.symbols)
    policy = part.policy(exp.assignment.grading)
    rtol = policy.count_rtol if part.kind == "count" else policy.real_rtol

    def right(target: float) -> bool:
        return is_right(
            answer.value,
            target,
            rtol=rtol,
            min_figures=policy.min_rounding_figures,
            significant_figures=answer.significant_figures,
        )

    def matches_mistake(target: float) -> bool:
        # Diagnosing a mistake from a rounded number needs one figure more than accepting a
        # right one: 1.9e6 is 1,806,336 badly rounded as much as it is the biased 1,906,688.
        return is_right(
            answer.value,
            target,
            rtol=rtol,
            min_figures=policy.min_rounding_figures + 1,
            significant_figures=answer.significant_figures,
        )

    note = _disagreement_note(answer)
    if any(right(float(v)) for v in exp.accepted[part.id] if isinstance(v, int | float)):
        return Outcome(Status.CORRECT, 1.0, answer.value, feedback=("Right. " + note).strip())
    expected = float(exp.expected(part.id))  # type: ignore[arg-type]
    # Lazily, in order: the first check that recognises the answer decides. A recognised
    # mistake comes before "close" because it says more (2,016 scores is "diagonal left out",
    # not "check your arithmetic"; 128,000 bytes is "1000 vs 1024", not "2.3% off").
    checks: tuple[Callable[[], Outcome | None], ...] = (
        lambda: _carried_forward(part, answer, exp, own, policy, right),
        lambda: _slip(answer, expected, policy, rtol),
        lambda: _known(exp.alternatives[part.id], answer, matches_mistake),
        lambda: _generic(policy, expected, answer, matches_mistake),
        lambda: _close(answer, expected, policy),
    )
    for check in checks:
        outcome = check()
        if outcome is not None:
            return outcome if outcome.mistake == "arithmetic_slip" else _with_note(outcome, note)
    direction = "too high" if answer.value > expected else "too low"
    return Outcome(
        Status.INCORRECT,
        0.0,
        answer.value,
        mistake=None,
        feedback=(
            f"Not right: {_size_hint(answer.value, expected)} {direction}, and not a "
            f"mistake the grader knows. Compare your steps with the formula. {note}"
        ).strip(),
    )


def _size_hint(value: float, expected: float) -> str:
    error = relative_error(value, expected)
    if error < 0.5:
        return f"about {round(error * 100)}%"
    if value == 0 or expected == 0 or (value < 0) != (expected < 0):
        return "far"
    ratio = max(abs(value / expected), abs(expected / value))
    return f"about {fmt(round(ratio, 1))} times"


def _disagreement_note(answer: NumericAnswer) -> str:
    if answer.expression_value is None or same_number(answer.expression_value, answer.value):
        return ""
    return (
        f"Note: your expression evaluates to {fmt(answer.expression_value)}, not the "
        f"{fmt(answer.value)} you wrote; the stated result is what is graded."
    )


def _with_note(outcome: Outcome, note: str) -> Outcome:
    if not note:
        return outcome
    return Outcome(
        outcome.status,
        outcome.credit,
        outcome.value,
        outcome.mistake,
        f"{outcome.feedback} {note}".strip(),
        outcome.carried_forward,
        outcome.review,
    )


def _carried_forward(
    part: Part,
    answer: NumericAnswer,
    exp: Expectations,
    own: Mapping[str, float],
    policy: GradingPolicy,
    right: Matcher,
) -> Outcome | None:
    rule = exp.assignment.carry_forward.get(part.id)
    if rule is None or not rule.formulas:
        return None
    reference = {pid: float(v) for pid, v in exp.answers.items() if isinstance(v, int | float)}
    for formula in rule.formulas:
        inputs = [pid for pid in reference if pid in formula]
        differing = {
            pid: own[pid]
            for pid in inputs
            if pid in own and not same_number(own[pid], reference[pid])
        }
        if not differing:
            continue
        values = {**reference, **{pid: own[pid] for pid in inputs if pid in own}}
        try:
            target = evaluate_formula(formula, values)
        except AnswerFormatError:
            continue
        if right(target):
            earlier = ", ".join(f"{pid} = {fmt(v)}" for pid, v in differing.items())
            return credited(
                policy.carried_forward_credit,
                value=answer.value,
                mistake="carried_forward",
                carried_forward=True,
                feedback=(
                    f"Consistent with your own earlier answer(s) {earlier}, which were "
                    "not right: the mistake is counted there, not again here."
                ),
            )
    return None


def _slip(
    answer: NumericAnswer, expected: float, policy: GradingPolicy, rtol: float
) -> Outcome | None:
    expression = answer.expression_value
    if expression is None or not is_right(expression, expected, rtol=rtol):
        return None
    return credited(
        policy.slip_credit,
        value=answer.value,
        mistake="arithmetic_slip",
        feedback=(
            f"Your expression is right (it evaluates to {fmt(expression)}), but the result "
            f"you wrote, {fmt(answer.value)}, is not: an arithmetic slip."
        ),
    )


def _close(answer: NumericAnswer, expected: float, policy: GradingPolicy) -> Outcome | None:
    if not is_close(answer.value, expected, rtol=policy.close_rtol):
        return None
    off = relative_error(answer.value, expected) * 100
    figures = answer.significant_figures
    if figures is not None and figures < policy.min_rounding_figures:
        feedback = (
            f"Close ({off:.1f}% off) but rounded too far: give at least "
            f"{policy.min_rounding_figures} significant figures."
        )
    else:
        feedback = f"Close ({off:.1f}% off) but not right: check your arithmetic or rounding."
    return credited(policy.close_credit, value=answer.value, mistake="close", feedback=feedback)


def _known(
    candidates: tuple[Candidate, ...], answer: NumericAnswer, right: Matcher
) -> Outcome | None:
    for candidate in candidates:
        if isinstance(candidate.value, int | float) and right(float(candidate.value)):
            return credited(
                candidate.credit,
                value=answer.value,
                mistake=candidate.mistake,
                feedback=candidate.feedback,
            )
    return None


def _generic(
    policy: GradingPolicy, expected: float, answer: NumericAnswer, right: Matcher
) -> Outcome | None:
    for mistake in policy.generic_mistakes:
        transform = GENERIC_TRANSFORMS[mistake.name]
        if any(right(c) for c in transform.candidates(expected)):
            return credited(
                mistake.credit,
                value=answer.value,
                mistake=mistake.name,
                feedback=transform.feedback,
            )
    return None
