"""Grading a number: right, carried forward, arithmetic slip, close, known mistake, or wrong.

Pure. The order of the checks is the order a careful TA reasons in: is it right (or equally
right under another reasonable convention); does it follow from the student's own earlier
answers; is the expression right but the stated result not; is it close; does it match an
alternative of this part or a generic slip (x2, 1000 vs 1024...).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import replace

from grader.answers.numbers import WORKING_NOTE, NumericAnswer, read_number
from grader.grading.carry_forward import Matcher, carried_forward, inherited_mistake
from grader.grading.compare import (
    is_close,
    is_fair_rounding,
    is_right,
    relative_error,
    round_significant,
    same_number,
)
from grader.grading.file_context import Fact, FileContext
from grader.grading.outcome import Outcome, credited
from grader.results import Status
from grader.sheets.assignment import GradingPolicy, Part
from grader.sheets.expectations import Candidate, Expectations
from grader.sheets.mistakes import GENERIC_TRANSFORMS
from reference.conventions import Conventions
from reference.solution import format_number as fmt

# How many FLOPs a multiply-accumulate is where the sheets count (grading solves them with the
# default conventions): a part's MAC count is its FLOP count divided by this.
FLOPS_PER_MAC = Conventions().flops_per_mac


def grade_number(
    part: Part,
    text: str,
    exp: Expectations,
    own: Mapping[str, float],
    context: FileContext | None = None,
) -> Outcome:
    """Grade a numeric answer; ``own`` holds the student's valid earlier numeric answers and
    ``context`` how they were graded and how the file writes numbers.

    Raises:
        AnswerFormatError: the text cannot be read as a number in the part's unit.
    """
    answer = read_number(
        text, unit=part.unit, symbols=exp.symbols, whole=part.whole_number, both_readings=True
    )
    facts = context.facts if context is not None else {}
    if answer.other is None:
        return _grade_reading(part, answer, exp, own, facts)
    group = answer.ambiguous or ""
    thousands, decimal = group.replace(",", ""), group.replace(",", ".")
    habit = context.habit if context is not None else None
    if habit is not None:
        chosen = answer.other if habit == "decimal comma" else answer
        shown = decimal if habit == "decimal comma" else thousands
        note = f"Read '{group}' as {shown}, as your file writes commas elsewhere."
        outcome = _grade_reading(part, chosen, exp, own, facts)
    else:
        first = _grade_reading(part, answer, exp, own, facts)
        second = _grade_reading(part, answer.other, exp, own, facts)
        outcome, shown = (second, decimal) if second.credit > first.credit else (first, thousands)
        note = (
            f"'{group}' can be {thousands} or {decimal} and your file does not settle which;"
            f" graded as {shown}."
        )
    return replace(outcome, feedback=f"{outcome.feedback} {note}".strip(), shareable=False)


def _grade_reading(
    part: Part,
    answer: NumericAnswer,
    exp: Expectations,
    own: Mapping[str, float],
    facts: Mapping[str, Fact],
) -> Outcome:
    """Grade one reading of the answer, with its notes (and its unit turned around, if so)."""
    policy = part.policy(exp.assignment.grading)
    outcome = _judge(part, answer, exp, own, facts, policy)
    notes = " ".join(
        note
        for note in answer.notes
        if note != WORKING_NOTE or outcome.status is not Status.CORRECT  # no news when right
    )
    if answer.inverted is not None:
        conversion = (
            f"You gave {answer.inverted}, the inverse of {part.unit}; turned around it is"
            f" {fmt(answer.value)} {part.unit}."
        )
        if outcome.status is Status.CORRECT and not outcome.carried_forward:
            outcome = credited(
                policy.inverted_unit_credit,
                value=answer.value,
                mistake="inverted_unit",
                feedback=f"{conversion} The question asks for {part.unit}.",
            )
        else:
            outcome = replace(
                credited(outcome.credit * policy.inverted_unit_credit, value=answer.value),
                mistake=outcome.mistake or "inverted_unit",
                feedback=f"{conversion} {outcome.feedback}",
                carried_forward=outcome.carried_forward,
            )
    return _with_note(outcome, notes)


def _judge(
    part: Part,
    answer: NumericAnswer,
    exp: Expectations,
    own: Mapping[str, float],
    facts: Mapping[str, Fact],
    policy: GradingPolicy,
) -> Outcome:
    """The outcome of the value read: right, carried forward, a slip, a known mistake, close,
    or wrong, in the order a careful TA reasons in."""
    rtol = policy.count_rtol if part.kind == "count" else policy.real_rtol

    def right(target: float) -> bool:
        return is_right(
            answer.value,
            target,
            rtol=rtol,
            min_figures=policy.min_rounding_figures,
            significant_figures=answer.significant_figures,
            rounding=answer.rounding,
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
            rounding=answer.rounding,
        )

    note = _disagreement_note(answer, rtol, policy, whole=part.whole_number)
    if any(right(float(v)) for v in exp.accepted[part.id] if isinstance(v, int | float)):
        if answer.macs:
            return _flops_labelled_macs(answer, note)
        return Outcome(Status.CORRECT, 1.0, answer.value, feedback=("Right. " + note).strip())
    expected = float(exp.expected(part.id))  # type: ignore[arg-type]
    # Lazily, in order: the first check that recognises the answer decides. A recognised
    # mistake, here or carried from an earlier part, comes before "close" because it says
    # more (2,016 scores is "diagonal left out", not "check your arithmetic").
    checks: tuple[Callable[[], Outcome | None], ...] = (
        lambda: carried_forward(part, answer, exp, own, facts, policy, right),
        lambda: inherited_mistake(part, exp, facts, policy, right, answer.value),
        lambda: _slip(answer, expected, policy, rtol),
        lambda: _counted_macs(exp.alternatives[part.id], answer, expected, right),
        lambda: _known(exp.alternatives[part.id], answer, matches_mistake),
        lambda: _generic(policy, expected, answer, matches_mistake),
        lambda: _close(answer, expected, policy, measured=part.kind == "real"),
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
        feedback=(
            f"Not right: {_size_hint(answer.value, expected)} {direction}, and not a "
            f"mistake the grader knows. {note}"
        ).strip(),
        # How far off, with the student's own value, would give the expected value away.
        hint=f"Not right: {direction}, and not a mistake the grader knows. {note}".strip(),
    )


def _size_hint(value: float, expected: float) -> str:
    error = relative_error(value, expected)
    if error < 0.5:
        return f"about {round(error * 100)}%"
    if value == 0 or expected == 0 or (value < 0) != (expected < 0):
        return "far"
    ratio = max(abs(value / expected), abs(expected / value))
    return f"about {fmt(round(ratio, 1))} times"


def _disagreement_note(
    answer: NumericAnswer, rtol: float, policy: GradingPolicy, *, whole: bool
) -> str:
    """A note when the student's own expression does not give the result they wrote, unless
    the result is that value fairly rounded (3.33 for 10/3, 65k for 65,536 is no
    disagreement), that value in FLOPs when it counts MACs, or, on a part whose value is a
    whole number (``whole``), that value rounded up or down to one (``b ≥ 162.1 → 163``: the
    smallest whole batch)."""
    expression = answer.expression_value
    if expression is None:
        return ""
    # Working labelled as MACs before a result that is not ("903,168 MACs = 1,806,336 FLOPs")
    # converts the count, a MAC being FLOPS_PER_MAC FLOPs: that result follows from it too.
    converted = answer.expression_macs and not answer.macs
    follows = (expression, expression * FLOPS_PER_MAC) if converted else (expression,)
    figures = answer.significant_figures
    minimum = policy.min_rounding_figures
    if any(
        is_fair_rounding(answer.value, value, figures, rtol=rtol, min_figures=minimum)
        for value in follows
    ):
        return ""
    if whole and answer.value in (math.floor(expression), math.ceil(expression)):
        return ""
    computed, written = _distinct(expression, answer.value)
    return (
        f"Note: your expression evaluates to {computed}, not the {written} you wrote; the "
        "stated result is what is graded."
    )


def _distinct(first: float, second: float) -> tuple[str, str]:
    """Both numbers with as many digits as it takes to tell them apart."""
    if fmt(first) != fmt(second):
        return fmt(first), fmt(second)
    for figures in range(5, 17):
        shown = _with_figures(first, figures), _with_figures(second, figures)
        if shown[0] != shown[1]:
            return shown
    return fmt(first), fmt(second)


def _with_figures(value: float, figures: int) -> str:
    if value == 0 or not math.isfinite(value):
        return fmt(value)
    decimals = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    shown = f"{value:,.{decimals}f}"
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def _with_note(outcome: Outcome, note: str) -> Outcome:
    if not note:
        return outcome
    hint = None if outcome.hint is None else f"{outcome.hint} {note}".strip()
    return replace(outcome, feedback=f"{outcome.feedback} {note}".strip(), hint=hint)


def _slip(
    answer: NumericAnswer, expected: float, policy: GradingPolicy, rtol: float
) -> Outcome | None:
    """Right working (``expr = result``, ``expr ≈ result``) judged with its stated result.

    The working is right when its value is the expected one, or within what the rounding of
    its numbers allows (``2048 × 402.7 MFLOP``). Then a stated result that gives the
    working's value as a TA takes it (rounded, or cut off as ``65k`` for 65,536, to at least
    ``min_rounding_figures`` figures) is right; any other is a slip at ``slip_credit``, one
    that rounds the value too far named as such.
    """
    expression = answer.expression_value
    minimum = policy.min_rounding_figures
    if expression is None or not is_right(
        expression, expected, rtol=rtol, min_figures=minimum, rounding=answer.expression_rounding
    ):
        return None
    figures = answer.significant_figures
    if is_fair_rounding(answer.value, expression, figures, rtol=rtol, min_figures=minimum):
        # "4·L·d = 33.5 M", "4 × 128² = 65k": the right working, its value abbreviated
        return Outcome(Status.CORRECT, 1.0, answer.value, feedback="Right.")
    written = fmt(answer.value)
    # "4 × 128² = 60k": the working's value rounded or cut off to the figures written, fewer
    # than the part takes (with as many, it would have been fair just above)
    if figures is not None and is_fair_rounding(
        answer.value, expression, figures, rtol=0.0, min_figures=min(figures, minimum)
    ):
        problem = f"rounds it too far: give at least {minimum} significant figures"
    else:
        problem = "is not its value, rounded or cut off: an arithmetic slip"
    return credited(
        policy.slip_credit,
        value=answer.value,
        mistake="arithmetic_slip",
        feedback=(
            f"Your expression is right (it evaluates to {fmt(expression)}), but the result "
            f"you wrote, {written}, {problem}."
        ),
        # what the right expression evaluates to is the expected value
        hint=f"Your expression is right, but the result you wrote, {written}, {problem}.",
    )


def _flops_labelled_macs(answer: NumericAnswer, note: str) -> Outcome:
    """A right FLOP count labelled as MACs (``1.8 MMAC`` for 1,806,336 FLOP).

    Decided: a labelling slip, full credit with a note, not a count off by a factor 2. The
    number can only come from charging 2 FLOPs per multiply-accumulate, so the student counted
    what the part asks for (FLOPs) and named its unit wrongly; the sheet's MAC mistake ("you
    counted multiply-adds") is about the count, which is right here. So the grader treats
    ``1.8 MFLOPS`` for a count (read as FLOP, with a note), and ``FLOP/b`` for an intensity.
    """
    label = (
        "Right: your number is the FLOP count, but its unit is FLOP, not MAC. One "
        "multiply-accumulate is 2 FLOPs, so as a count of MACs it would be twice the work."
    )
    return Outcome(Status.CORRECT, 1.0, answer.value, feedback=f"{label} {note}".strip())


def _counted_macs(
    candidates: tuple[Candidate, ...], answer: NumericAnswer, expected: float, right: Matcher
) -> Outcome | None:
    """A value labelled as MACs (``67M MACs``) that is the part's MAC count: the sheet's
    alternative of that value (counting multiply-adds), with its credit and feedback.

    The label says what the number counts, so the MAC count is recognised as a right answer
    is, to ``min_rounding_figures``; a bare number needs one figure more to be diagnosed as a
    mistake (``_judge``'s ``matches_mistake``). Alternatives that are the MAC count of
    something else (one matrix of two, the other padding) are still diagnosed from the number
    alone.
    """
    macs = expected / FLOPS_PER_MAC
    if not answer.macs or not right(macs):
        return None
    return _known(candidates, answer, lambda value: same_number(value, macs))


def _close(
    answer: NumericAnswer, expected: float, policy: GradingPolicy, *, measured: bool
) -> Outcome | None:
    figures = answer.significant_figures
    # "0.5 ms" for 460.8 µs is 8.5 % off, but it is the right value rounded to one figure: a
    # TA says "rounded too far", not "wrong". Only for a measured (real) quantity: a count
    # such as a batch of 200 for 163 is no rounding a student makes.
    too_coarse = (
        measured
        and figures is not None
        and figures < policy.min_rounding_figures
        and same_number(answer.value, round_significant(expected, figures))
    )
    near = is_close(answer.value, expected, rtol=policy.close_rtol)
    if not near and not too_coarse:
        return None
    off = relative_error(answer.value, expected) * 100
    # How far off, with the student's own value, gives the expected value away: the hint
    # says only that it is within the part's window.
    within = f"within {policy.close_rtol:.0%}"
    if figures is not None and figures < policy.min_rounding_figures:
        rounding = (
            f"rounded too far: give at least {policy.min_rounding_figures} significant figures."
        )
        feedback = f"Close ({off:.1f}% off) but {rounding}"
        hint = f"Close ({within}) but {rounding}" if near else f"Close but {rounding}"
    else:
        advice = "not right: check your arithmetic or rounding."
        feedback = f"Close ({off:.1f}% off) but {advice}"
        hint = f"Close ({within}) but {advice}"
    return credited(
        policy.close_credit, value=answer.value, mistake="close", feedback=feedback, hint=hint
    )


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
                hint=candidate.hint,
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
                hint=transform.hint,
            )
    return None
