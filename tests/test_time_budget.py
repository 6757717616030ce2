"""The per-file backstop: grading that runs too long becomes an error result, not a hang."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest
from bounds import time_bound

from grader.run import time_budget
from grader.run.pipeline import Graded
from grader.sheets.expectations import Expectations

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGALRM is POSIX only")


def slow(path: Path, exp: Expectations, *, within: object = None, student: object = None) -> Graded:
    time.sleep(2)
    raise AssertionError("the budget should have stopped this")


def test_a_file_over_budget_becomes_an_error_result(
    expectations: Expectations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time_budget, "grade_file", slow)
    before = signal.getsignal(signal.SIGALRM)
    start = time.perf_counter()
    result = time_budget.grade_with_budget(Path("s1.yaml"), expectations, 0.05).result
    assert time.perf_counter() - start < time_bound(1)
    assert result.status == "error" and result.error == "grading timed out after 0.05 s"
    assert signal.getsignal(signal.SIGALRM) is before  # handler put back


def test_the_handler_installed_for_a_batch_serves_every_file(
    expectations: Expectations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time_budget, "grade_file", slow)
    before = signal.getsignal(signal.SIGALRM)
    with time_budget.alarm_installed():
        for name in ("a.yaml", "b.yaml"):
            result = time_budget.grade_with_budget(Path(name), expectations, 0.05).result
            assert result.error == "grading timed out after 0.05 s"
            assert result.student.id == Path(name).stem
    assert signal.getsignal(signal.SIGALRM) is before


def test_the_watchdog_ends_only_the_file_over_budget(
    expectations: Expectations, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = time_budget.grade_file

    def quick_or_slow(
        path: Path, exp: Expectations, *, within: object = None, student: object = None
    ) -> Graded:
        if path.stem == "slow":
            return slow(path, exp)
        time.sleep(0.03)  # under the budget, with ticks on the way
        return real(path, exp)

    monkeypatch.setattr(time_budget, "grade_file", quick_or_slow)
    with time_budget.alarm_installed():
        first = time_budget.grade_with_budget(Path("fast.yaml"), expectations, 0.1).result
        timed_out = time_budget.grade_with_budget(Path("slow.yaml"), expectations, 0.1).result
        time.sleep(0.3)  # between files the ticks go on, and end nothing
        last = time_budget.grade_with_budget(Path("fast.yaml"), expectations, 0.1).result
    assert timed_out.error == "grading timed out after 0.1 s"
    assert first.error != timed_out.error and last.error == first.error
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the timer is stopped after


def test_work_outside_the_budget_stops_the_files_clock() -> None:
    from grader.run.watchdog import WATCHDOG, outside_budget

    saved = WATCHDOG.started
    try:
        WATCHDOG.started = 100.0  # a file being graded, started at t = 100 s
        with outside_budget():
            assert WATCHDOG.started is None  # the alarm cannot end the file meanwhile
            time.sleep(0.01)
        assert WATCHDOG.started is not None and WATCHDOG.started >= 100.01
        WATCHDOG.started = None  # no file being graded: nothing to stop or restart
        with outside_budget():
            pass
        assert WATCHDOG.started is None
    finally:
        WATCHDOG.started = saved
