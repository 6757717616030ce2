"""Grade one submission: pure, no I/O. (expectations, submission) -> SubmissionResult.

Parts are graded in the sheet's order so that later parts can carry forward the student's own
earlier answers. A part that cannot be read is ``invalid`` with a message naming the part and
its line; no answer ever raises out of here.
"""

from __future__ import annotations

from typing import Any

from grader.answer_tree import Node
from grader.assignment import Part
from grader.errors import AnswerFormatError
from grader.expectations import Expectations
from grader.grade_numeric import grade_number
from grader.grade_other import (
    grade_choice,
    grade_complexity,
    grade_for_review,
    grade_op_counts,
    node_text,
)
from grader.outcome import Outcome
from grader.results import PartResult, Status, Student, SubmissionResult
from grader.student_files import shown_name
from grader.submission import Answer, Problem, Submission, image_path

MAX_SUBMITTED_CHARS = 500
"""Longest student text copied into a result (longer answers are cut, with a mark)."""

MEMO_MAX_CHARS = 200
"""Longest answer (characters of text) whose outcome is remembered for the rest of the batch."""
MEMO_MAX_ENTRIES = 20_000
"""Remembered outcomes kept at most (the memo starts over when full: memory stays bounded)."""


def grade_submission(exp: Expectations, submission: Submission) -> SubmissionResult:
    """Grade every part of the assignment for one submission."""
    own: dict[str, float] = {}
    parts = []
    problems = submission.part_problems()
    answers = submission.answers
    memo = exp.memo
    unread = (Status.INVALID, Status.MISSING)
    for part, part_id, inputs, numeric in _plan(exp):
        answer = answers.get(part_id)
        result = None
        if answer is not None and part_id not in problems:
            # The usual answer, a line of text graded before: straight from the memo, under
            # the key _grade_part files it under (the same answer on the same line).
            value, line = answer.node
            if type(value) is str and len(value) <= MEMO_MAX_CHARS and value.strip():
                if inputs:
                    result = memo.get(("part", line, part_id, value, *map(own.get, inputs)))
                else:
                    result = memo.get(("part", line, part_id, value))
        if result is None:
            result = _grade_part(part, answer, problems.get(part_id), exp, own)
        if numeric and result.status not in unread:
            own[part_id] = float(result.value)
        parts.append(result)
    score = round(sum([p.points for p in parts]), 4)
    pending = sum([p.max_points for p in parts if p.status is Status.NEEDS_REVIEW])
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
    answer: Answer | None,
    problem: Problem | None,
    exp: Expectations,
    own: dict[str, float],
) -> PartResult:
    """Grade one part; problems and unreadable answers become ``invalid``."""
    if problem is not None:
        submitted = _submitted(answer.node) if answer else None
        feedback = _where(part.id, problem.line, problem.message)
        return _ungraded(part, exp, Status.INVALID, problem.line, feedback, submitted)
    memo = exp.memo
    if answer is None or _is_empty(answer.node):
        line = answer.line if answer else None
        found = memo.get(("missing", part.id, line))
        if found is None:
            found = _ungraded(part, exp, Status.MISSING, line, "No answer.")
            _remember(memo, ("missing", part.id, line), found)
        assert isinstance(found, PartResult)
        return found
    answer_key = _memo_key(answer.node)
    if answer_key is None:
        outcome = _outcome(part, answer, exp, own, None)
        return _graded(part, answer, exp.expected(part.id), outcome)
    # Remembered twice: the outcome for any line, and the whole part for this line.
    inputs = _own_inputs(exp)[part.id]
    key = (part.id, answer_key, *map(own.get, inputs)) if inputs else (part.id, answer_key)
    found = memo.get(("part", answer.line, *key))  # flat: one tuple to make and hash
    if found is None:
        outcome = _outcome(part, answer, exp, own, key)
        found = _graded(part, answer, exp.expected(part.id), outcome)
        _remember(memo, ("part", answer.line, *key), found)
    assert isinstance(found, PartResult)
    return found


def _ungraded(
    part: Part,
    exp: Expectations,
    status: Status,
    line: int | None,
    feedback: str,
    submitted: str | list[str] | dict[str, str] | None = None,
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
    )


def _graded(part: Part, answer: Answer, expected: Any, outcome: Outcome) -> PartResult:
    return PartResult(
        id=part.id,
        status=outcome.status,
        credit=outcome.credit,
        points=round(outcome.credit * part.points, 4),
        max_points=part.points,
        submitted=_submitted(answer.node),
        value=outcome.value,
        expected=expected,
        mistake=outcome.mistake,
        carried_forward=outcome.carried_forward,
        feedback=outcome.feedback,
        line=answer.line,
        review=outcome.review,
    )


def _outcome(
    part: Part, answer: Answer, exp: Expectations, own: dict[str, float], key: object | None
) -> Outcome:
    """The outcome of an answer; one that cannot be read is ``invalid``, with its line.

    With a ``key`` (see :func:`_memo_key`), the outcome is remembered for the batch: grading
    an answer is a pure function of the part, the answer and the student's own earlier answers
    that the part's carry-forward rules read, and a class writes the same few answers again
    and again ("288", "memory-bound"). Unreadable answers are remembered as their message.
    """
    memo = exp.memo
    found = memo.get(("outcome", key)) if key is not None else None
    if found is None:
        try:
            found = _dispatch(part, answer.node, exp, own)
        except AnswerFormatError as error:
            found = error.message
        except (ArithmeticError, RecursionError, ValueError) as error:  # a bug must not crash
            found = f"could not be read ({type(error).__name__})"
        if key is not None:
            _remember(memo, ("outcome", key), found)
    if isinstance(found, str):
        return Outcome(Status.INVALID, 0.0, feedback=_where(part.id, answer.line, found))
    assert isinstance(found, Outcome)
    return found


def _remember(memo: dict[Any, Any], key: object, value: object) -> None:
    if len(memo) >= MEMO_MAX_ENTRIES:
        memo.clear()  # memory stays bounded, whatever a class writes
    memo[key] = value


def _memo_key(node: Node) -> object | None:
    """A hashable stand-in for an answer (None: too long to remember). A single value stands
    for itself; a list or mapping comes with its lines, which its messages may name."""
    if isinstance(node.value, str):
        return node.value if len(node.value) <= MEMO_MAX_CHARS else None
    budget = [MEMO_MAX_CHARS]

    def frozen(child: Node) -> object:
        value = child.value
        if isinstance(value, str):
            budget[0] -= len(value)
            return (value, child.line)
        if isinstance(value, list):
            return ("list", child.line, tuple(frozen(item) for item in value))
        budget[0] -= sum(len(k) for k in value)
        return ("map", child.line, tuple((k, frozen(v)) for k, v in value.items()))

    key = frozen(node)
    return key if budget[0] >= 0 else None


def _plan(exp: Expectations) -> list[tuple[Part, str, tuple[str, ...], bool]]:
    """The parts in the sheet's order, each with its id, its own inputs and whether it is
    numeric: worked out once per batch, read for every file."""
    found = exp.memo.get("plan")
    if found is None:
        inputs = _own_inputs(exp)
        found = [(part, part.id, inputs[part.id], part.is_numeric) for part in exp.assignment.parts]
        exp.memo["plan"] = found
    assert isinstance(found, list)
    return found


def _own_inputs(exp: Expectations) -> dict[str, tuple[str, ...]]:
    """Per part, the earlier parts whose (student's) values grading it may read: the inputs of
    its carry-forward formulas (as ``grade_numeric`` finds them) and of its verdict rule."""
    found = exp.memo.get("own inputs")
    if found is None:
        found = {}
        for part in exp.assignment.parts:
            rule = exp.assignment.carry_forward.get(part.id)
            inputs: list[str] = []
            if rule is not None:
                for formula in rule.formulas:
                    inputs += [pid for pid in exp.answers if pid in formula and pid not in inputs]
                if rule.verdict is not None:
                    inputs += [rule.verdict.intensity, rule.verdict.ridge]
            found[part.id] = tuple(inputs)
        exp.memo["own inputs"] = found
    assert isinstance(found, dict)
    return found


def _dispatch(part: Part, node: Node, exp: Expectations, own: dict[str, float]) -> Outcome:
    if part.kind == "op_counts":
        return grade_op_counts(part, node, exp)
    if part.kind == "image":
        if image_path(node) is None:
            raise AnswerFormatError("give the sketch as an image file name: {image: sketch.png}")
        return grade_for_review(part, node)
    if part.kind == "text":
        return grade_for_review(part, node)
    if not isinstance(node.value, str):
        raise AnswerFormatError("expected a single value here, not a list or mapping")
    if part.is_numeric:
        return grade_number(part, node.value, exp, own)
    if part.kind == "choice":
        return grade_choice(part, node.value, exp, own)
    return grade_complexity(part, node.value, exp)


def _where(part_id: str, line: int | None, message: str) -> str:
    return f"{part_id} (line {line}): {message}" if line else f"{part_id}: {message}"


def _is_empty(node: Node) -> bool:
    if isinstance(node.value, str):
        return not node.value.strip()
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
