"""A backstop per file: grading that runs longer than a few seconds ends as an error result.

Grading never should take that long (every parser is bounded), but a batch must finish whatever
a file holds. POSIX only, in a process's main thread (``SIGALRM``); elsewhere grading is
unbounded.

A batch installs a watchdog once (:func:`alarm_installed`, :func:`install_alarm`): a periodic
timer whose handler ends the file being graded once it has run over its budget. Each file then
only notes when it started, which costs no system call; arming and disarming a one-shot timer
around every file would cost two. A file over budget ends within a fifth of the
budget after it. Outside a batch, :func:`grade_with_budget` installs it for the one file.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator
from pathlib import Path

from grader.input.student_files import Boundary
from grader.run.pipeline import Graded, file_error, grade_file
from grader.run.watchdog import WATCHDOG as _WATCHDOG
from grader.run.watchdog import TimedOut as _TimedOut
from grader.sheets.expectations import Expectations
from grader.sheets.sheet_set import SheetSet

TIME_BUDGET_SECONDS = 5.0
"""Backstop per file: grading that runs longer (it never should) ends as an error result."""


def grade_with_budget(
    path: Path,
    sheets: Expectations | SheetSet,
    seconds: float,
    *,
    within: Boundary | None = None,
    student: str | None = None,
) -> Graded:
    """Grade one file under a wall-clock budget (POSIX main thread; elsewhere unbounded);
    ``within`` and ``student`` as for :func:`grader.run.pipeline.grade_file`.

    Outside a batch, the watchdog is installed for this one file."""
    if _WATCHDOG.installed:
        return _watched(path, sheets, seconds, within, student)
    with alarm_installed():
        if not _WATCHDOG.installed:  # not the main thread, or no SIGALRM (Windows)
            return grade_file(path, sheets, within=within, student=student)
        return _watched(path, sheets, seconds, within, student)


def _watched(
    path: Path,
    sheets: Expectations | SheetSet,
    seconds: float,
    within: Boundary | None,
    student: str | None,
) -> Graded:
    watchdog = _WATCHDOG
    watchdog.arm(seconds)
    watchdog.budget = seconds
    watchdog.started = time.monotonic()
    try:
        return grade_file(path, sheets, within=within, student=student)
    except _TimedOut:
        exp = sheets if isinstance(sheets, Expectations) else sheets.main
        return Graded(file_error(exp, path, f"grading timed out after {seconds:g} s"), None)
    finally:
        watchdog.started = None


@contextlib.contextmanager
def alarm_installed() -> Iterator[None]:
    """Install the watchdog for a batch (not a timer per file); everything is put back after."""
    try:
        previous = signal.signal(signal.SIGALRM, _WATCHDOG.alarm)
    except (ValueError, AttributeError):
        yield  # no budget here: grade_with_budget grades unbounded
        return
    _WATCHDOG.installed = True
    try:
        yield
    finally:
        _WATCHDOG.installed = False
        _WATCHDOG.stop()
        signal.signal(signal.SIGALRM, previous)


def install_alarm() -> None:
    """Install the watchdog for the rest of this process (a grading process's whole life).

    Forked processes do not inherit their parent's timers: each arms its own."""
    _WATCHDOG.tick = None
    with contextlib.suppress(ValueError, AttributeError):
        signal.signal(signal.SIGALRM, _WATCHDOG.alarm)
        _WATCHDOG.installed = True
