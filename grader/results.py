"""Result models: what grading produces and every output is built from (pydantic, frozen)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, Literal, NamedTuple, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from reference.solution import format_number


class Status(StrEnum):
    """Outcome of one part."""

    CORRECT = "correct"
    PARTIAL = "partial"
    INCORRECT = "incorrect"
    INVALID = "invalid"
    MISSING = "missing"
    NEEDS_REVIEW = "needs_review"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TaDecision(_Frozen):
    """A TA's decision on a part, as the result records it (the ledger keeps the history).

    Attributes:
        points: the points the TA gave.
        comment: the TA's comment for the student ("" for none).
        by: who decided; at: when it entered the ledger (ISO 8601, UTC).
        stale: the decision was made on another answer than this one (the student submitted
            again): it is not applied, and the part waits for a person again.
    """

    points: float
    comment: str = ""
    by: str = ""
    at: str = ""
    stale: bool = False


class Reading(_Frozen):
    """One way to read an answer the grader could not read on its own, and what it scores.

    Attributes:
        text: The answer as it would be written unambiguously (``3*K``, ``O(L^2)``).
        status: The status that reading would get.
        points: The points it would get.
        value: What it reads as.
    """

    text: str
    status: Status
    points: float
    value: Any = None


def readings_text(readings: Sequence[Reading], max_points: float) -> str:
    """``Possible readings: 3*K gives incorrect, 0 of 2 points; ...``, or "" for none."""
    if not readings:
        return ""
    worth = f"{format_number(max_points)} point{'' if max_points == 1 else 's'}"
    shown = "; ".join(
        f"{r.text} gives {r.status.value.replace('_', ' ')}, {format_number(r.points)} of {worth}"
        for r in readings
    )
    return f"Possible readings: {shown}."


class PartResult(_Frozen):
    """One part of one student's file, graded.

    Attributes:
        submitted: the student's text as written (None when missing).
        value: what the grader read it as (a number in the part's unit, a choice...).
        expected: the reference value.
        mistake: a machine-readable tag of the recognised mistake (``macs_not_flops``).
        feedback: the whole explanation, as a TA (and ``reveal: answers``) reads it.
        hint: the explanation shown under ``reveal: feedback`` where ``feedback`` would give
            an answer away (an expected value, a formula); None: ``feedback`` is shown.
        carried_forward: credit given because the answer follows from the student's own
            earlier (wrong) answers.
        line: 1-based line of the answer in the student's file.
        review: for parts a person grades, what the grader suggests (rubric items covered);
            for an unreadable answer sent to a TA, why and its possible readings.
        answer_id: a fingerprint of the answer as written (and of the image it names), to
            which a TA's decision is bound (an unanswered part has one too: a decision on it
            goes stale when an answer comes).
        decision: the TA's decision on this part, if any.
        attachment: for an answer naming an image that really is one, where its checked
            copy is, relative to the output folder (``sketches/<digest>.png``).
        readings: for an unreadable answer, the ways it may be read and what each scores.
        sent_to_review: an unreadable (``invalid``) answer waiting for a TA in a class run:
            its points are pending, not 0 (see :func:`awaits_person`).
    """

    id: str
    status: Status
    credit: float
    points: float
    max_points: float
    submitted: str | list[str] | dict[str, str] | None = None
    value: Any = None
    expected: Any = None
    mistake: str | None = None
    carried_forward: bool = False
    feedback: str = ""
    hint: str | None = None
    line: int | None = None
    review: str | None = None
    answer_id: str | None = None
    decision: TaDecision | None = None
    attachment: str | None = None
    readings: tuple[Reading, ...] = ()
    sent_to_review: bool = False


SENT_TO_REVIEW = "Could not be read; a TA will look at it."
"""How the feedback of an unreadable answer sent to a TA begins (until the TA decides)."""


def awaits_person(part: PartLike) -> bool:
    """Whether a person must still decide a part's points, which are pending until then (not
    0): a part people grade (free text, a sketch), or an answer the grader could not read,
    sent to a TA in a class run. The one test for pending totals, the review sheet, the
    summary's queue, reports and the gradebook."""
    return part.status is Status.NEEDS_REVIEW or part.sent_to_review


class Student(_Frozen):
    """Who submitted a file."""

    id: str
    name: str = ""


FILE_NOTE = "file note:"
"""How a flag that is a problem of the file, not of one part, begins (the file's notes: text
no part could hold, an unknown part, a key indented off its mapping)."""


def file_notes(flags: tuple[str, ...]) -> tuple[str, ...]:
    """The file's notes among a result's flags, without their prefix: what the student is
    told of their file beside its parts (the other flags are for TAs)."""
    return tuple(flag[len(FILE_NOTE) :].strip() for flag in flags if flag.startswith(FILE_NOTE))


class SubmissionResult(_Frozen):
    """One answer file, graded (or the reason it could not be): complete, for staff.

    What a student may see of it is :func:`grader.reveal.student_view`; the ``audience``
    field says so in every file written from this model (``results/<id>.json``).

    Attributes:
        channel: who submitted the file according to the submission channel (an LMS folder
            or file name: ``moodle:12345``, ``canvas:67890``), when there is one.
        flags: what a TA must look at: identity problems (the id in the file differs from the
            channel's, the id is not on the roster, the file's variant code names another
            student's variant...), and the file's notes (text that is no part's answer, with
            its line). Staff only.
        variant: the code of the student's own variant the file was graded against (None:
            the sheet's own givens).
    """

    audience: Literal["staff"] = "staff"
    assignment: str
    student: Student
    status: Literal["graded", "error"]
    error: str | None = None
    score: float = 0.0
    max_score: float
    pending_review: float = 0.0
    parts: tuple[PartResult, ...] = ()
    file: str | None = None
    channel: str | None = None
    flags: tuple[str, ...] = ()
    variant: str | None = None

    def part(self, part_id: str) -> PartResult:
        """One part's result (``KeyError`` if absent)."""
        found = find_part(self.parts, part_id)
        if found is None:
            raise KeyError(part_id)
        return found


# --- What the class files read -----------------------------------------------------------
#
# The gradebook, statistics and class plot read a few fields of every result, and a batch
# run in several processes sends every result from its grading process to the one writing
# those files. Pickling a full pydantic result (and its feedback texts) took longer than
# grading it, so results travel as the tuples below; the class files accept either form.


class PartLike(Protocol):
    """The fields of a part the class files read (``PartResult`` and ``PartDigest`` have them)."""

    @property
    def id(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def credit(self) -> float: ...
    @property
    def points(self) -> float: ...
    @property
    def max_points(self) -> float: ...
    @property
    def submitted(self) -> str | list[str] | dict[str, str] | None: ...
    @property
    def value(self) -> Any: ...
    @property
    def mistake(self) -> str | None: ...
    @property
    def carried_forward(self) -> bool: ...
    @property
    def review(self) -> str | None: ...
    @property
    def answer_id(self) -> str | None: ...
    @property
    def decision(self) -> TaDecision | None: ...
    @property
    def attachment(self) -> str | None: ...
    @property
    def sent_to_review(self) -> bool: ...


class StudentLike(Protocol):
    """Who submitted a file."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...


class ResultLike(Protocol):
    """The fields of a result the class files read."""

    @property
    def assignment(self) -> str: ...
    @property
    def student(self) -> StudentLike: ...
    @property
    def status(self) -> str: ...
    @property
    def error(self) -> str | None: ...
    @property
    def score(self) -> float: ...
    @property
    def max_score(self) -> float: ...
    @property
    def pending_review(self) -> float: ...
    @property
    def parts(self) -> Sequence[PartLike]: ...
    @property
    def file(self) -> str | None: ...
    @property
    def channel(self) -> str | None: ...
    @property
    def flags(self) -> tuple[str, ...]: ...
    @property
    def variant(self) -> str | None: ...


class PartDigest(NamedTuple):
    """A part without its feedback, expected value and line: what the class files read."""

    id: str
    status: Status
    credit: float
    points: float
    max_points: float
    submitted: str | list[str] | dict[str, str] | None = None
    value: Any = None
    mistake: str | None = None
    carried_forward: bool = False
    review: str | None = None
    answer_id: str | None = None
    decision: TaDecision | None = None
    attachment: str | None = None
    sent_to_review: bool = False


class StudentDigest(NamedTuple):
    """Who submitted a file."""

    id: str
    name: str = ""


class ResultDigest(NamedTuple):
    """A result as the class files read it; see :func:`digest`."""

    assignment: str
    student: StudentDigest
    status: Literal["graded", "error"]
    error: str | None
    score: float
    max_score: float
    pending_review: float
    parts: tuple[PartDigest, ...]
    file: str | None
    channel: str | None = None
    flags: tuple[str, ...] = ()
    variant: str | None = None


def digest(result: SubmissionResult) -> ResultDigest:
    """The fields of ``result`` that the gradebook, statistics and class plot read."""
    return unpack(pack(result))


PackedResult = tuple[Any, ...]
"""A result's digest as plain nested tuples: the fields of :class:`ResultDigest` in their
order, the student as :class:`StudentDigest`'s fields, each part as :class:`PartDigest`'s.
What crosses between processes: plain tuples pickle fastest (a named tuple is rebuilt through
Python code), and :func:`unpack` names the fields again on arrival."""

_PACKED_PARTS = ResultDigest._fields.index("parts")


def pack(result: SubmissionResult, parts: tuple[Any, ...] | None = None) -> PackedResult:
    """``digest(result)`` as plain tuples (see :data:`PackedResult`).

    ``parts``, when given, stand for the packed parts (references to shared parts' tuples)."""
    student = result.student
    return (
        result.assignment,
        (student.id, student.name),
        result.status,
        result.error,
        result.score,
        result.max_score,
        result.pending_review,
        tuple(map(pack_part, result.parts)) if parts is None else parts,
        result.file,
        result.channel,
        result.flags,
        result.variant,
    )


def pack_part(p: PartResult) -> tuple[Any, ...]:
    """One part of :func:`pack`: the fields of :class:`PartDigest`, in order."""
    return (
        p.id,
        p.status,
        p.credit,
        p.points,
        p.max_points,
        p.submitted,
        p.value,
        p.mistake,
        p.carried_forward,
        p.review,
        p.answer_id,
        p.decision,
        p.attachment,
        p.sent_to_review,
    )


def packed_parts(packed: PackedResult) -> tuple[Any, ...]:
    """The packed parts of a packed result (what :func:`pack` put there)."""
    parts: tuple[Any, ...] = packed[_PACKED_PARTS]
    return parts


def unpack(packed: PackedResult, parts: tuple[PartDigest, ...] | None = None) -> ResultDigest:
    """The digest that :func:`pack` packed (with ``parts`` when the caller unpacked those)."""
    (
        assignment,
        student,
        status,
        error,
        score,
        max_score,
        pending,
        part_fields,
        file,
        channel,
        flags,
        variant,
    ) = packed  # named as in ResultDigest, in its order
    if parts is None:
        parts = tuple(map(PartDigest._make, part_fields))
    return ResultDigest(
        assignment,
        StudentDigest._make(student),
        status,
        error,
        score,
        max_score,
        pending,
        parts,
        file,
        channel,
        flags,
        variant,
    )


_Part = TypeVar("_Part", bound=PartLike)


def find_part(parts: Iterable[_Part], part_id: str) -> _Part | None:
    """The part with id ``part_id`` among a result's ``parts``, or None."""
    for part in parts:
        if part.id == part_id:
            return part
    return None
