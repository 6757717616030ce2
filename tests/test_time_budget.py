"""The per-file backstop: grading that runs too long becomes an error result, not a hang."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest

from grader import time_budget
from grader.expectations import Expectations
from grader.pipeline import Graded

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGALRM is POSIX only")


def slow(path: Path, exp: Expectations) -> Graded:
    time.sleep(2)
    raise AssertionError("the budget should have stopped this")


def test_a_file_over_budget_becomes_an_error_result(
    expectations: Expectations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time_budget, "grade_file", slow)
    before = signal.getsignal(signal.SIGALRM)
    start = time.perf_counter()
    result = time_budget.grade_with_budget(Path("s1.yaml"), expectations, 0.05)
    assert time.perf_counter() - start < 1
    assert result.status == "error" and result.error == "grading timed out after 0.05 s"
    assert signal.getsignal(signal.SIGALRM) is before  # handler put back


def test_the_handler_installed_for_a_batch_serves_every_file(
    expectations: Expectations, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time_budget, "grade_file", slow)
    before = signal.getsignal(signal.SIGALRM)
    with time_budget.alarm_installed():
        for name in ("a.yaml", "b.yaml"):
            result = time_budget.grade_with_budget(Path(name), expectations, 0.05)
            assert result.error == "grading timed out after 0.05 s"
            assert result.student.id == Path(name).stem
    assert signal.getsignal(signal.SIGALRM) is before
