"""Grade one submission: pure, no I/O. (expectations, submission) -> SubmissionResult.

Parts are graded in the sheet's order so that later parts can carry forward the student's own
earlier answers. A part that cannot be read is ``invalid`` with a message naming the part and
its line, and the possible readings the grader found with what each would score; in a class
run (``Expectations.unreadable_to_review``) it also goes to a TA, its points pending. No answer
ever raises out of here.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from grader.answer_tree import Node, is_blank
from grader.assignment import Part
from grader.errors import AnswerFormatError
from grader.expectations import Expectations
from grader.file_context import FileContext
from grader.grade_numeric import grade_number
from grader.grade_other import grade_choice, grade_complexity, grade_for_review, node_text
from grader.operation_counts import grade_op_counts
from grader.outcome import Outcome
from grader.results import (
    SENT_TO_REVIEW,
    PartResult,
    Reading,
    Status,
    Student,
    SubmissionResult,
    awaits_person,
    readings_text,
)
from grader.submission import Answer, Problem, Submission, image_path, names_a_file

MAX_SUBMITTED_CHARS = 500
"""Longest student text copied into a result (longer answers are cut, with a mark)."""

MEMO_MAX_CHARS = 200
"""Longest answer (characters of text) whose outcome is remembered for the rest of the batch."""
MEMO_MAX_ENTRIES = 20_000
"""Remembered outcomes kept at most (the memo starts over when full: memory stays bounded)."""

_MAY_WAIT = frozenset({Status.NEEDS_REVIEW, Status.INVALID})
_HABITUAL = object()
"""In the memo in place of an outcome that depends on the file's decimal habit: the outcome is
then filed under its key and the habit (there are three)."""


def grade_submission(exp: Expectations, submission: Submission) -> SubmissionResult:
    """Grade every part of the assignment for one submission."""
    own: dict[str, float] = {}
    answers = submission.answers
    context = FileContext(answers)
    facts = context.facts
    parts = []
    problems = submission.part_problems()
    memo = exp.memo
    unread = (Status.INVALID, Status.MISSING)
    correct = Status.CORRECT
    for part, part_id, (values_of, facts_of), numeric in _plan(exp):
        answer = answers.get(part_id)
        result = None
        if answer is not None and part_id not in problems:
            # The usual answer, a line of text graded before: straight from the memo, under
            # the key _grade_part files it under (the same answer on the same line).
            value, line = answer.node
            if type(value) is str and len(value) <= MEMO_MAX_CHARS and value.strip():
                if values_of or facts_of:  # the key _own_key makes, written out
                    result = memo.get(
                        (
                            "part",
                            line,
                            part_id,
                            value,
                            *map(own.get, values_of),
                            *map(facts.get, facts_of),
                        )
                    )
                else:
                    result = memo.get(("part", line, part_id, value))
        if result is None:
            result = _grade_part(part, answer, problems.get(part_id), exp, own, context)
        if numeric and result.status not in unread:
            own[part_id] = float(result.value)
            facts[part_id] = (result.status is correct, result.mistake)
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
        file=str(submission.path) if submission.path else None,
    )


Inputs = tuple[tuple[str, ...], tuple[str, ...]]
"""Of a part: the earlier parts whose values grading it reads, and those whose grading (right
or not, the mistake found) it reads."""


def _own_key(
    inputs: Inputs, own: dict[str, float], facts: dict[str, tuple[bool, str | None]]
) -> tuple[object, ...]:
    """What grading a part may read of the student's earlier parts: the values and how they
    were graded (part of every memo key of a part with inputs)."""
    return (*map(own.get, inputs[0]), *map(facts.get, inputs[1]))


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
    context: FileContext,
) -> PartResult:
    """Grade one part; problems and unreadable answers become ``invalid``."""
    if problem is not None:
        submitted = _submitted(answer.node) if answer else None
        return _invalid(part, exp, problem.line, problem.message, submitted)
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
        outcome = _outcome(part, answer, exp, own, context, None)
        return _graded(part, answer, exp, outcome)
    # Remembered twice: the outcome for any line, and the whole part for this line.
    inputs = _own_inputs(exp)[part.id]
    if inputs[0] or inputs[1]:
        key: tuple[object, ...] = (part.id, answer_key, *_own_key(inputs, own, context.facts))
    else:
        key = (part.id, answer_key)
    found = memo.get(("part", answer.line, *key))  # flat: one tuple to make and hash
    if found is None and memo.get(("outcome", key)) is _HABITUAL:
        found = memo.get(("part", answer.line, *key, context.habit))
    if found is None:
        outcome = _outcome(part, answer, exp, own, context, key)
        found = _graded(part, answer, exp, outcome)
        if outcome.shareable:
            _remember(memo, ("part", answer.line, *key), found)
        else:
            _remember(memo, ("part", answer.line, *key, context.habit), found)
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


def _invalid(
    part: Part,
    exp: Expectations,
    line: int | None,
    message: str,
    submitted: str | list[str] | dict[str, str] | None,
    readings: tuple[Reading, ...] = (),
) -> PartResult:
    """An answer that cannot be read: 0 points, or in a class run a TA's to decide."""
    feedback = _where(part.id, line, message)
    result = _ungraded(part, exp, Status.INVALID, line, feedback, submitted)
    if not exp.unreadable_to_review:
        return result.model_copy(update={"readings": readings}) if readings else result
    review = f"Could not be read: {message.rstrip('.')}. {readings_text(readings, part.points)}"
    return result.model_copy(
        update={
            "feedback": f"{SENT_TO_REVIEW} {feedback}",
            "review": review,
            "readings": readings,
            "sent_to_review": True,
        }
    )


def _graded(part: Part, answer: Answer, exp: Expectations, outcome: Outcome) -> PartResult:
    if outcome.status is Status.INVALID:
        message = outcome.feedback
        return _invalid(part, exp, answer.line, message, _submitted(answer.node), outcome.readings)
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
        line=answer.line,
        review=outcome.review,
    )


class _Unreadable(NamedTuple):
    """What the memo keeps of an answer that cannot be read."""

    message: str
    readings: tuple[str, ...]


def _outcome(
    part: Part,
    answer: Answer,
    exp: Expectations,
    own: dict[str, float],
    context: FileContext,
    key: object | None,
) -> Outcome:
    """The outcome of an answer; one that cannot be read is ``invalid``, with its readings.

    With a ``key`` (see :func:`_memo_key`), the outcome is remembered for the batch: grading
    an answer is a pure function of the part, the answer and the student's own earlier answers
    that the part's carry-forward rules read, and a class writes the same few answers again
    and again ("288", "memory-bound"). Unreadable answers are remembered as their message.
    An outcome that depends on the rest of the file (its decimal habit) is remembered under
    the habit too.
    """
    memo = exp.memo
    found = memo.get(("outcome", key)) if key is not None else None
    if found is _HABITUAL:
        found = memo.get(("outcome", key, context.habit))
    if found is None:
        try:
            found = _dispatch(part, answer.node, exp, own, context)
        except AnswerFormatError as error:
            found = _Unreadable(error.message, error.readings)
        except (ArithmeticError, RecursionError, ValueError) as error:  # a bug must not crash
            found = _Unreadable(f"could not be read ({type(error).__name__})", ())
        if key is not None and isinstance(found, Outcome) and not found.shareable:
            _remember(memo, ("outcome", key), _HABITUAL)
            _remember(memo, ("outcome", key, context.habit), found)
        elif key is not None:
            _remember(memo, ("outcome", key), found)
    if isinstance(found, _Unreadable):
        readings = _readings(part, answer, found.readings, exp, own, context)
        return Outcome(Status.INVALID, 0.0, feedback=found.message, readings=readings)
    assert isinstance(found, Outcome)
    return found


def _readings(
    part: Part,
    answer: Answer,
    texts: tuple[str, ...],
    exp: Expectations,
    own: dict[str, float],
    context: FileContext,
) -> tuple[Reading, ...]:
    """What each possible reading of an unreadable answer would score."""
    readings = []
    for text in texts:
        try:
            outcome = _dispatch(part, Node(text, answer.line), exp, own, context)
        except (AnswerFormatError, ArithmeticError, RecursionError, ValueError):
            continue
        points = round(outcome.credit * part.points, 4)
        readings.append(
            Reading(text=text, status=outcome.status, points=points, value=outcome.value)
        )
    return tuple(readings)


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


def _plan(exp: Expectations) -> list[tuple[Part, str, Inputs, bool]]:
    """The parts in the sheet's order, each with its id, its own inputs and whether it is
    numeric: worked out once per batch, read for every file."""
    found = exp.memo.get("plan")
    if found is None:
        inputs = _own_inputs(exp)
        found = [(part, part.id, inputs[part.id], part.is_numeric) for part in exp.assignment.parts]
        exp.memo["plan"] = found
    assert isinstance(found, list)
    return found


def _own_inputs(exp: Expectations) -> dict[str, Inputs]:
    """Per part, the earlier parts whose (student's) values grading it may read (the inputs of
    its carry-forward formulas, as ``carry_forward`` finds them, and of its verdict rule) and
    those whose grading it may read (the formulas' inputs again, and the parts whose mistakes
    it may inherit)."""
    found = exp.memo.get("own inputs")
    if found is None:
        found = {}
        for part in exp.assignment.parts:
            rule = exp.assignment.carry_forward.get(part.id)
            formulas: list[str] = []
            values: list[str] = []
            if rule is not None:
                for formula in rule.formulas:
                    formulas += [p for p in exp.answers if p in formula and p not in formulas]
                values = list(formulas)
                if rule.verdict is not None:
                    values += [rule.verdict.intensity, rule.verdict.ridge]
                formulas += [p for p in rule.depends_on if p not in formulas]
            found[part.id] = (tuple(values), tuple(formulas))
        exp.memo["own inputs"] = found
    assert isinstance(found, dict)
    return found


def _dispatch(
    part: Part, node: Node, exp: Expectations, own: dict[str, float], context: FileContext
) -> Outcome:
    if part.kind == "op_counts":
        return grade_op_counts(part, node, exp)
    if part.kind == "image":
        path = image_path(node)
        if path is None:
            raise AnswerFormatError("give the sketch as an image file name: {image: sketch.png}")
        return grade_for_review(part, node, in_words=not names_a_file(path))
    if part.kind == "text":
        return grade_for_review(part, node)
    if not isinstance(node.value, str):
        raise AnswerFormatError("expected a single value here, not a list or mapping")
    if part.is_numeric:
        return grade_number(part, node.value, exp, own, context)
    if part.kind == "choice":
        return grade_choice(part, node.value, exp, own)
    return grade_complexity(part, node.value, exp)


def _where(part_id: str, line: int | None, message: str) -> str:
    return f"{part_id} (line {line}): {message}" if line else f"{part_id}: {message}"


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
