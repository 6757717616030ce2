"""Error carried forward into a numeric part: answers that follow from the student's own
earlier answers (by the part's formulas) or from an earlier part's known mistake.

A careful TA does not take points twice for one mistake: an intensity computed from the
student's own (wrong) byte count is right given that count, and a byte count that follows the
54 x 54 outputs the student used in q1.b is that mistake again. Earlier answers that were
graded right (another accepted convention, a rounding) are never called wrong here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from grader.answers.numbers import NumericAnswer
from grader.grading.compare import same_number
from grader.grading.file_context import Fact
from grader.grading.outcome import Outcome, credited
from grader.results import Status
from grader.sheets.assignment import GradingPolicy, Part
from grader.sheets.expectations import Expectations, evaluate_formula
from grader.sheets.formulas import FormulaError, names_in
from reference.solution import format_number as fmt

__all__ = ["Matcher", "carried_forward", "inherited_mistake"]

Matcher = Callable[[float], bool]
"""Whether the student's stated value is right for a target value."""


def carried_forward(
    part: Part,
    answer: NumericAnswer,
    exp: Expectations,
    own: Mapping[str, float],
    facts: Mapping[str, Fact],
    policy: GradingPolicy,
    right: Matcher,
) -> Outcome | None:
    """Right when computed from the student's own earlier answers by the part's formulas."""
    rule = exp.assignment.carry_forward.get(part.id)
    if rule is None or not rule.formulas:
        return None
    reference = {pid: float(v) for pid, v in exp.answers.items() if isinstance(v, int | float)}
    for formula in rule.formulas:
        inputs = [name for name in names_in(formula) if name in reference]
        differing = {
            pid: own[pid]
            for pid in inputs
            if pid in own and not same_number(own[pid], reference[pid])
        }
        if not differing:
            continue
        values = {**exp.formula_values, **{pid: own[pid] for pid in inputs if pid in own}}
        try:
            target = evaluate_formula(formula, values)
        except FormulaError:  # the student's own values make it meaningless (a division by 0)
            continue
        if right(target):
            return _from_own_answers(answer, differing, facts, policy)
    return None


def _from_own_answers(
    answer: NumericAnswer,
    differing: Mapping[str, float],
    facts: Mapping[str, Fact],
    policy: GradingPolicy,
) -> Outcome:
    """Credit for an answer that follows from the student's own earlier ones; those graded
    right there (another accepted convention, rounding) are never called wrong here."""
    wrong = {pid: v for pid, v in differing.items() if not (pid in facts and facts[pid][0])}
    if not wrong:
        earlier = ", ".join(f"{pid} = {fmt(v)}" for pid, v in differing.items())
        return Outcome(
            Status.CORRECT,
            1.0,
            answer.value,
            feedback=f"Right: it follows from your own {earlier}, accepted there.",
        )
    earlier = ", ".join(f"{pid} = {fmt(v)}" for pid, v in wrong.items())
    answers, were = ("answer", "was") if len(wrong) == 1 else ("answers", "were")
    return credited(
        policy.carried_forward_credit,
        value=answer.value,
        mistake="carried_forward",
        carried_forward=True,
        feedback=(
            f"Consistent with your own earlier {answers} {earlier}, which {were} not right:"
            " the mistake is counted there, not again here."
        ),
    )


def inherited_mistake(
    part: Part,
    exp: Expectations,
    facts: Mapping[str, Fact],
    policy: GradingPolicy,
    right: Matcher,
    value: float,
) -> Outcome | None:
    """The known mistake of an earlier part this one depends on, carried into this one (bytes
    that follow the 54 x 54 outputs of the student's own q1.b)."""
    for inherited in exp.inherited.get(part.id, ()):
        fact = facts.get(inherited.part)
        if fact is None or fact[1] != inherited.mistake or not right(inherited.value):
            continue
        return credited(
            policy.carried_forward_credit,
            value=value,
            mistake=inherited.mistake,
            carried_forward=True,
            feedback=(
                f"This follows from the mistake in your {inherited.part}. {inherited.feedback}"
                " It is counted there, not again here."
            ),
            hint=None
            if inherited.hint is None
            else (
                f"This follows from the mistake in your {inherited.part}. {inherited.hint}"
                " It is counted there, not again here."
            ),
        )
    return None
