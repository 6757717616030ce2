"""Grade one submission: pure, no I/O. (expectations, submission) -> SubmissionResult.

Parts are graded in the sheet's order so that later parts can carry forward the student's own
earlier answers. A part that cannot be read is ``invalid`` with a message naming the part and
its line, and the possible readings the grader found with what each would score; in a class
run (``Expectations.unreadable_to_review``) it also goes to a TA, its points pending. No answer
ever raises out of here.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from grader.answers.numbers import read_number
from grader.errors import AnswerFormatError
from grader.grading import bundled_kinds  # noqa: F401  (the bundled kinds' graders, registered)
from grader.grading.file_context import FileContext
from grader.grading.grade_review import node_text
from grader.grading.graded_kind import grader_for
from grader.grading.outcome import Outcome
from grader.grading.unreadable import Unreadable, invalid_result, scored_readings
from grader.input.answer_tree import Node, is_blank
from grader.input.attachments import sketch_file
from grader.input.fingerprint import NO_ANSWER, answer_fingerprint, refused_fingerprint
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
from grader.sheets.grading_memo import HABITUAL, MEMO_MAX_CHARS, GradingMemo, PlannedPart

MAX_SUBMITTED_CHARS = 500
"""Longest student text copied into a result (longer answers are cut, with a mark)."""

_MAY_WAIT = frozenset({Status.NEEDS_REVIEW, Status.INVALID})


def grade_submission(
    exp: Expectations,
    submission: Submission,
    *,
    variant: str | None = None,
    flags: tuple[str, ...] = (),
) -> SubmissionResult:
    """Grade every part of the assignment for one submission; ``variant`` (the code of the
    variant ``exp`` is) and ``flags`` go into the result as they are (given here, the result
    is made once rather than copied for them)."""
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
    longest = MEMO_MAX_CHARS
    attachments = submission.attachments
    for planned in memo.plan(exp, exp.assignment, exp.answers, exp.slots):
        _, part_id, inputs, numeric, slot, private = planned
        answer = answers.get(part_id)
        result = None
        if answer is not None and part_id not in problems:
            # The usual answer, a line of text graded before: straight from the memo, under
            # the key _grade_part files it under (the same answer on the same line).
            value, line = answer.node
            if type(value) is str and len(value) <= longest and value.strip():
                result = memo.get(key_of(line, slot, value, inputs, own, facts))
                if result is None and private is not None:
                    result = memo.get(key_of(line, private, value, inputs, own, facts))
        if result is None:
            result = _grade_part(planned, answer, problems.get(part_id), exp, own, context)
        if numeric and result.status not in unread:
            own[part_id] = float(result.value)
            # A value right only given an earlier mistake is not right for what follows it.
            facts[part_id] = (
                result.status is correct and not result.carried_forward,
                result.mistake,
            )
        attachment = attachments.get(part_id) if attachments else None
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
        flags=flags,
        variant=variant,
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
    planned: PlannedPart,
    answer: Answer | None,
    problem: Problem | None,
    exp: Expectations,
    own: dict[str, float],
    context: FileContext,
) -> PartResult:
    """Grade one part; problems and unreadable answers become ``invalid``."""
    part = planned.part
    if problem is not None:
        submitted = _submitted(answer.node) if answer else None
        # An answer the reader refused keeps no text: a TA's decision on it is bound to why.
        fingerprint = (
            answer_fingerprint(answer.node) if answer else refused_fingerprint(problem.message)
        )
        return invalid_result(
            part, exp, problem.line, problem.message, submitted, answer_id=fingerprint
        )
    memo = exp.memo
    if answer is None or _is_empty(answer.node):
        line = answer.line if answer else None
        found = memo.get(("missing", planned.slot, line))
        if found is None:
            found = _ungraded(part, exp, Status.MISSING, line, "No answer.", None, NO_ANSWER)
            memo.remember(("missing", planned.slot, line), found)
        assert isinstance(found, PartResult)
        return found
    stand_in = GradingMemo.answer_of(answer.node)
    if stand_in is None:
        outcome, _ = _outcome(part, answer, exp, own, context, ())
        return _graded(part, answer, exp, outcome)
    # Remembered twice: the outcome for any line, and the whole part for this line; in the
    # part's slot shared with alike variants, else in this variant's own (see PartSlots).
    keys = [GradingMemo.answer_key(answer.line, planned.slot, stand_in, planned.inputs, own,
                                   context.facts)]  # fmt: skip
    if planned.private is not None:
        keys.append(GradingMemo.answer_key(answer.line, planned.private, stand_in,
                                           planned.inputs, own, context.facts))  # fmt: skip
    for key in keys:
        found = memo.get(key)
        if found is None and memo.get(GradingMemo.outcome_key(key)) is HABITUAL:
            found = memo.get((*key, context.habit))
        if found is not None:
            assert isinstance(found, PartResult)
            return found
    outcome, filed = _outcome(part, answer, exp, own, context, keys)
    found = _graded(part, answer, exp, outcome)
    key = keys[filed]
    if outcome.shareable:
        memo.remember(key, found)
    else:
        memo.remember((*key, context.habit), found)
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
        fingerprint = _fingerprint(answer.node)
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
        answer_id=_fingerprint(answer.node),
    )


def _fingerprint(node: Node) -> str:
    """:func:`answer_fingerprint` of an answer; a text's is the text's alone (not its line),
    and a class writes the same few texts: each is worked out once."""
    value = node.value
    if isinstance(value, str):
        return _text_fingerprint(value)
    return answer_fingerprint(node)


@functools.lru_cache(maxsize=4096)
def _text_fingerprint(text: str) -> str:
    return answer_fingerprint(Node(text, None))


def _outcome(
    part: Part,
    answer: Answer,
    exp: Expectations,
    own: dict[str, float],
    context: FileContext,
    keys: Sequence[tuple[object, ...]],
) -> tuple[Outcome, int]:
    """The outcome of an answer, and which of ``keys`` (answer keys, see
    :meth:`GradingMemo.answer_key`) it is filed under; one that cannot be read is ``invalid``,
    with its readings.

    With ``keys``, the outcome is remembered for the batch: grading an answer is a pure
    function of the part, the answer and the student's own earlier answers that the part's
    carry-forward rules read, and a class writes the same few answers again and again ("288",
    "memory-bound"). Unreadable answers are remembered as their message. An outcome that
    depends on the rest of the file (its decimal habit) is remembered under the habit too.
    The first key is the part's shared slot; a second, the variant's own, takes the answers
    whose grading reads the variant's symbols (:func:`_alike_in_every_variant`).
    """
    memo = exp.memo
    found: object = None
    filed = 0
    for number, key in enumerate(GradingMemo.outcome_key(k) for k in keys):
        found = memo.get(key)
        if found is HABITUAL:
            found = memo.get((*key, context.habit))
        if found is not None:
            filed = number
            break
    if found is None:
        try:
            found = _dispatch(part, answer.node, exp, own, context)
        except AnswerFormatError as error:
            found = Unreadable(error.message, error.readings)
        except (ArithmeticError, RecursionError, ValueError) as error:  # a bug must not crash
            found = Unreadable(f"could not be read ({type(error).__name__})", ())
        if len(keys) > 1 and not _alike_in_every_variant(part, answer, exp, found):
            filed = 1
        if keys:
            key = GradingMemo.outcome_key(keys[filed])
            if isinstance(found, Outcome) and not found.shareable:
                memo.remember(key, HABITUAL)
                memo.remember((*key, context.habit), found)
            else:
                memo.remember(key, found)
    if isinstance(found, Unreadable):

        def grade(node: Node) -> Outcome:
            return _dispatch(part, node, exp, own, context)

        readings = scored_readings(part, answer.line, found.readings, grade)
        return Outcome(Status.INVALID, 0.0, feedback=found.message, readings=readings), filed
    assert isinstance(found, Outcome)
    return found, filed


def _alike_in_every_variant(
    part: Part, answer: Answer, exp: Expectations, found: Outcome | Unreadable
) -> bool:
    """Whether a numeric answer is read the same whatever the symbols' values: then every
    variant that grades the part alike grades it alike. An expression over the symbols
    (``C*K^2``) has each variant's own value; so may the readings offered for an answer
    that cannot be read, which are graded again."""
    text = answer.node.value
    if not isinstance(text, str) or (isinstance(found, Unreadable) and found.readings):
        return False
    if not exp.symbols:
        return True
    return _reading(text, part, exp.symbols) == _reading(text, part, None)


def _reading(text: str, part: Part, symbols: Mapping[str, float] | None) -> object:
    """A numeric answer as read, or the reason it cannot be (None for any other failure)."""
    try:
        return read_number(
            text, unit=part.unit, symbols=symbols, whole=part.whole_number, both_readings=True
        )
    except AnswerFormatError as error:
        return error.message
    except (ArithmeticError, RecursionError, ValueError):
        return None


def _dispatch(
    part: Part, node: Node, exp: Expectations, own: dict[str, float], context: FileContext
) -> Outcome:
    """The outcome of an answer, by the grader of the part's kind."""
    return grader_for(part.kind)(part, node, exp, own, context)


def _is_empty(node: Node) -> bool:
    """Whether every text in an answer is blank (``map``, not a generator: every list or
    mapping answer of every file is looked at here)."""
    value = node.value
    if isinstance(value, str):
        return is_blank(value)
    return all(map(_is_empty, value if isinstance(value, list) else value.values()))


def _submitted(node: Node) -> str | list[str] | dict[str, str]:
    if isinstance(node.value, str):
        return _cut(node.value)
    if isinstance(node.value, list):
        return [_cut(node_text(child)) for child in node.value[:20]]
    return {k[:60]: _cut(node_text(v)) for k, v in list(node.value.items())[:20]}


def _cut(text: str) -> str:
    return text if len(text) <= MAX_SUBMITTED_CHARS else text[:MAX_SUBMITTED_CHARS] + "…"
