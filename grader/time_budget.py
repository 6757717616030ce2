"""A backstop per file: grading that runs longer than a few seconds ends as an error result.

Grading never should take that long (every parser is bounded), but a batch must finish whatever
a file holds. POSIX only, in a process's main thread (``SIGALRM``); elsewhere grading is
unbounded. A batch installs the handler once (:func:`alarm_installed`, :func:`install_alarm`)
and only arms and disarms the timer per file.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from grader.expectations import Expectations
from grader.grade import error_result
from grader.pipeline import grade_file
from grader.results import SubmissionResult

TIME_BUDGET_SECONDS = 5.0
"""Backstop per file: grading that runs longer (it never should) ends as an error result."""


class _TimedOut(Exception):
    pass


def _alarm(_signum: int, _frame: FrameType | None) -> None:
    raise _TimedOut


def grade_with_budget(path: Path, exp: Expectations, seconds: float) -> SubmissionResult:
    """Grade one file under a wall-clock budget (POSIX main thread; elsewhere unbounded)."""
    if signal.getsignal(signal.SIGALRM) is _alarm:  # installed for the whole batch
        return _grade_timed(path, exp, seconds)
    try:
        previous = signal.signal(signal.SIGALRM, _alarm)
    except (ValueError, AttributeError):  # not the main thread, or no SIGALRM (Windows)
        return grade_file(path, exp).result
    try:
        return _grade_timed(path, exp, seconds)
    finally:
        signal.signal(signal.SIGALRM, previous)


def _grade_timed(path: Path, exp: Expectations, seconds: float) -> SubmissionResult:
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return grade_file(path, exp).result
    except _TimedOut:
        assignment = exp.assignment
        return error_result(
            assignment.id,
            assignment.max_score,
            path.stem,
            f"grading timed out after {seconds:g} s",
            str(path),
        )
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextlib.contextmanager
def alarm_installed() -> Iterator[None]:
    """Install the time budget's signal handler once for a batch (not once per file)."""
    try:
        previous = signal.signal(signal.SIGALRM, _alarm)
    except (ValueError, AttributeError):
        yield  # no budget here: grade_with_budget grades unbounded
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGALRM, previous)


def install_alarm() -> None:
    """Install the handler for the rest of this process (a grading process's whole life)."""
    with contextlib.suppress(ValueError, AttributeError):
        signal.signal(signal.SIGALRM, _alarm)
