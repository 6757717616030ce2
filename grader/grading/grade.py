"""Grade one submission: pure, no I/O. (expectations, submission) -> SubmissionResult.

Parts are graded in the sheet's order so that later parts can carry forward the student's own
earlier answers. A part that cannot be read is ``invalid`` with a message naming the part and
its line, and the possible readings the grader found with what each would score; in a class
run (``Expectations.unreadable_to_review``) it also goes to a TA, its points pending. No answer
ever raises out of here.
"""

from __future__ import annotations

from grader.errors import AnswerFormatError
from grader.grading import bundled_kinds  # noqa: F401  (the bundled kinds' graders, registered)
from grader.grading.file_context import FileContext
from grader.grading.grade_review import node_text
from grader.grading.graded_kind import grader_for
from grader.grading.outcome import Outcome
from grader.grading.unreadable import Unreadable, invalid_result, scored_readings
from grader.input.answer_tree import Node, is_blank
from grader.input.attachments import sketch_file
from grader.input.fingerprint import NO_ANSWER, answer_fingerprint
from grader.input.student_files import shown_name
from grader.input.submission import Answer, Problem, Submission
from grader.results import (
    PartResult,
    Status,
    Student,
    SubmissionResult,
    awaits_person,
)
from grader.sheets.assignment import Part
from grader.sheets.expectations import Expectations
from grader.sheets.grading_memo import HABITUAL, MEMO_MAX_CHARS, GradingMemo, OwnInputs

MAX_SUBMITTED_CHARS = 500
"""Longest student text copied into a result (longer answers are cut, with a mark)."""

_MAY_WAIT = frozenset({Status.NEEDS_REVIEW, Status.INVALID})


def grade_submission(exp: Expectations, submission: Submission) -> SubmissionResult:
    """Grade every part of the assignment for one submission."""
    own: dict[str, float] = {}
    answers = submission.answers
    context = FileContext(answers)
    facts = context.facts
    parts = []
    problems = submission.part_problems()
    memo = exp.memo
    key_of = GradingMemo.answer_key
    unread = (Status.INVALID, Status.MISSING)
    correct = Status.CORRECT
    for part, part_id, inputs, numeric in memo.plan(exp.assignment, exp.answers):
        answer = answers.get(part_id)
        result = None
        if answer is not None and part_id not in problems:
            # The usual answer, a line of text graded before: straight from the memo, under
            # the key _grade_part files it under (the same answer on the same line).
            value, line = answer.node
            if type(value) is str and len(value) <= MEMO_MAX_CHARS and value.strip():
                result = memo.get(key_of(line, part_id, value, inputs, own, facts))
        if result is None:
            result = _grade_part(part, inputs, answer, problems.get(part_id), exp, own, context)
        if numeric and result.status not in unread:
            own[part_id] = float(result.value)
            # A value right only given an earlier mistake is not right for what follows it.
            facts[part_id] = (
                result.status is correct and not result.carried_forward,
                result.mistake,
            )
        attachment = submission.attachments.get(part_id)
        if attachment is not None and answer is not None:
            # Remembered parts know the file's name, not what it holds: bind to the content.
            fingerprint = answer_fingerprint(answer.node, attachment.digest)
            copy = sketch_file(attachment)
            result = result.model_copy(update={"answer_id": fingerprint, "attachment": copy})
        parts.append(result)
    score = round(sum([p.points for p in parts]), 4)
    # Only a part that needs review or is invalid may wait: the predicate decides for those.
    may_wait = _MAY_WAIT
    pending = sum([p.max_points for p in parts if p.status in may_wait and awaits_person(p)])
    return SubmissionResult(
        assignment=exp.assignment.id,
        student=submission.student,
        status="graded",
        score=score,
        max_score=exp.max_score,
        pending_review=pending,
        parts=tuple(parts),
        file=shown_name(submission.path) if submission.path else None,
    )


def error_result(
    exp_assignment_id: str, max_score: float, student_id: str, error: str, file: str | None = None
) -> SubmissionResult:
    """The result of a file that could not be graded at all (never a silent 0)."""
    return SubmissionResult(
        assignment=exp_assignment_id,
        student=Student(id=student_id),
        status="error",
        error=error,
        max_score=max_score,
        file=file,
    )


def _grade_part(
    part: Part,
    inputs: OwnInputs,
    answer: Answer | None,
    problem: Problem | None,
    exp: Expectations,
    own: dict[str, float],
    context: FileContext,
) -> PartResult:
    """Grade one part; problems and unreadable answers become ``invalid``."""
    if problem is not None:
        submitted = _submitted(answer.node) if answer else None
        fingerprint = answer_fingerprint(answer.node) if answer else None
        return invalid_result(
            part, exp, problem.line, problem.message, submitted, answer_id=fingerprint
        )
    memo = exp.memo
    if answer is None or _is_empty(answer.node):
        line = answer.line if answer else None
        found = memo.get(("missing", part.id, line))
        if found is None:
            found = _ungraded(part, exp, Status.MISSING, line, "No answer.", None, NO_ANSWER)
            memo.remember(("missing", part.id, line), found)
        assert isinstance(found, PartResult)
        return found
    stand_in = GradingMemo.answer_of(answer.node)
    if stand_in is None:
        outcome = _outcome(part, answer, exp, own, context, None)
        return _graded(part, answer, exp, outcome)
    # Remembered twice: the outcome for any line, and the whole part for this line.
    key = GradingMemo.answer_key(answer.line, part.id, stand_in, inputs, own, context.facts)
    found = memo.get(key)
    outcome_key = GradingMemo.outcome_key(key)
    if found is None and memo.get(outcome_key) is HABITUAL:
        found = memo.get((*key, context.habit))
    if found is None:
        outcome = _outcome(part, answer, exp, own, context, outcome_key)
        found = _graded(part, answer, exp, outcome)
        if outcome.shareable:
            memo.remember(key, found)
        else:
            memo.remember((*key, context.habit), found)
    assert isinstance(found, PartResult)
    return found


def _ungraded(
    part: Part,
    exp: Expectations,
    status: Status,
    line: int | None,
    feedback: str,
    submitted: str | list[str] | dict[str, str] | None = None,
    answer_id: str | None = None,
) -> PartResult:
    """A part with no credit that was never graded: unreadable (invalid) or missing."""
    return PartResult(
        id=part.id,
        status=status,
        credit=0.0,
        points=0.0,
        max_points=part.points,
        expected=exp.expected(part.id),
        line=line,
        submitted=submitted,
        feedback=feedback,
        answer_id=answer_id,
    )


def _graded(part: Part, answer: Answer, exp: Expectations, outcome: Outcome) -> PartResult:
    if outcome.status is Status.INVALID:
        message = outcome.feedback
        submitted = _submitted(answer.node)
        fingerprint = answer_fingerprint(answer.node)
        return invalid_result(
            part, exp, answer.line, message, submitted, outcome.readings, fingerprint
        )
    return PartResult(
        id=part.id,
        status=outcome.status,
        credit=outcome.credit,
        points=round(outcome.credit * part.points, 4),
        max_points=part.points,
        submitted=_submitted(answer.node),
        value=outcome.value,
        expected=exp.expected(part.id),
        mistake=outcome.mistake,
        carried_forward=outcome.carried_forward,
        feedback=outcome.feedback,
        hint=outcome.hint,
        line=answer.line,
        review=outcome.review,
        answer_id=answer_fingerprint(answer.node),
    )


def _outcome(
    part: Part,
    answer: Answer,
    exp: Expectations,
    own: dict[str, float],
    context: FileContext,
    key: tuple[object, ...] | None,
) -> Outcome:
    """The outcome of an answer; one that cannot be read is ``invalid``, with its readings.

    With a ``key`` (:meth:`GradingMemo.outcome_key`), the outcome is remembered for the batch:
    grading an answer is a pure function of the part, the answer and the student's own earlier
    answers that the part's carry-forward rules read, and a class writes the same few answers
    again and again ("288", "memory-bound"). Unreadable answers are remembered as their message.
    An outcome that depends on the rest of the file (its decimal habit) is remembered under
    the habit too.
    """
    memo = exp.memo
    found = memo.get(key) if key is not None else None
    if found is HABITUAL and key is not None:
        found = memo.get((*key, context.habit))
    if found is None:
        try:
            found = _dispatch(part, answer.node, exp, own, context)
        except AnswerFormatError as error:
            found = Unreadable(error.message, error.readings)
        except (ArithmeticError, RecursionError, ValueError) as error:  # a bug must not crash
            found = Unreadable(f"could not be read ({type(error).__name__})", ())
        if key is not None and isinstance(found, Outcome) and not found.shareable:
            memo.remember(key, HABITUAL)
            memo.remember((*key, context.habit), found)
        elif key is not None:
            memo.remember(key, found)
    if isinstance(found, Unreadable):

        def grade(node: Node) -> Outcome:
            return _dispatch(part, node, exp, own, context)

        readings = scored_readings(part, answer.line, found.readings, grade)
        return Outcome(Status.INVALID, 0.0, feedback=found.message, readings=readings)
    assert isinstance(found, Outcome)
    return found


def _dispatch(
    part: Part, node: Node, exp: Expectations, own: dict[str, float], context: FileContext
) -> Outcome:
    """The outcome of an answer, by the grader of the part's kind."""
    return grader_for(part.kind)(part, node, exp, own, context)


def _is_empty(node: Node) -> bool:
    if isinstance(node.value, str):
        return is_blank(node.value)
    if isinstance(node.value, list):
        return all(_is_empty(child) for child in node.value)
    return all(_is_empty(child) for child in node.value.values())


def _submitted(node: Node) -> str | list[str] | dict[str, str]:
    if isinstance(node.value, str):
        return _cut(node.value)
    if isinstance(node.value, list):
        return [_cut(node_text(child)) for child in node.value[:20]]
    return {k[:60]: _cut(node_text(v)) for k, v in list(node.value.items())[:20]}


def _cut(text: str) -> str:
    return text if len(text) <= MAX_SUBMITTED_CHARS else text[:MAX_SUBMITTED_CHARS] + "…"
