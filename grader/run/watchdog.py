"""The watchdog of the per-file time budget (see :mod:`grader.run.time_budget`), and a way
to keep work that is not the file's out of its budget.

A file's budget bounds what its contents make the grader do. Solving a sheet for a student's
variant the first time a file needs it is the course's work, bounded by the sheet, and on a
loaded machine it may take a good part of a budget: :func:`outside_budget` stops the file's
clock while it runs.
"""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator
from types import FrameType

_TICKS_PER_BUDGET = 5  # the watchdog looks this many times per budget


class TimedOut(Exception):
    """Raised in the main thread when the file being graded has run over its budget."""


class _Watchdog:
    """What the periodic handler looks at: the file being graded, if any, and its budget."""

    def __init__(self) -> None:
        self.installed = False
        self.tick: float | None = None  # the timer's period while it runs
        self.started: float | None = None  # when the file being graded started
        self.budget = 0.0

    def alarm(self, _signum: int, _frame: FrameType | None) -> None:
        started = self.started
        if started is not None and time.monotonic() - started > self.budget:
            self.started = None  # one exception per file
            raise TimedOut

    def arm(self, seconds: float) -> None:
        """Tick often enough for ``seconds`` (the timer is set again only when it must be)."""
        tick = seconds / _TICKS_PER_BUDGET
        if self.tick is None or self.tick > tick:
            signal.setitimer(signal.ITIMER_REAL, tick, tick)
            self.tick = tick

    def stop(self) -> None:
        if self.tick is not None:
            signal.setitimer(signal.ITIMER_REAL, 0)
            self.tick = None


WATCHDOG = _Watchdog()
"""This process's watchdog (one per process: it owns SIGALRM)."""


@contextlib.contextmanager
def outside_budget() -> Iterator[None]:
    """Work that does not count against the budget of the file being graded (if any)."""
    started = WATCHDOG.started
    if started is None:
        yield
        return
    WATCHDOG.started = None
    begun = time.monotonic()
    try:
        yield
    finally:
        WATCHDOG.started = started + (time.monotonic() - begun)
