"""The exception hierarchy.

Exceptions are for whole-file and whole-run failures (click-style: each carries its exit code).
A bad *answer* never raises out of the grader: it becomes a part with status ``invalid``.
"""

from __future__ import annotations


class GraderError(Exception):
    """Base class of every error the grader reports to a user; carries the exit code."""

    exit_code = 1

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is not None:
            return f"line {self.line}: {self.message}"
        return self.message


class UsageError(GraderError):
    """A command-line option or argument is wrong (exit 2)."""

    exit_code = 2


class AssignmentError(GraderError):
    """The assignment file is malformed; stops before anyone is graded (exit 2)."""

    exit_code = 2


class OutputError(GraderError):
    """The output folder cannot be written (read-only, full, no permission): exit 2, with one
    line naming the folder and the reason. Files already written stay whole."""

    exit_code = 2


class SubmissionError(GraderError):
    """A student's file cannot be read at all (exit 1 for that file; the batch goes on)."""

    exit_code = 1


class AnswerFormatError(ValueError):
    """One answer cannot be read (unit of the wrong dimension, malformed number, ...).

    Raised by the pure parsers; the grader turns it into an ``invalid`` part whose message is
    ``str(error)``. The message is written for a student and never contains a traceback.

    Attributes:
        message: One line for the student.
        readings: Texts the answer may have meant (``"3*K"`` and ``"3e3"`` for ``3 K``), each
            readable on its own; a TA who looks at the answer is shown what each would score.
    """

    def __init__(self, message: str, *, readings: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.readings = readings
