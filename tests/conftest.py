"""Shared fixtures: the bundled assignment solved once, and a way to grade answers inline."""

from __future__ import annotations

import inspect
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import SubmissionResult
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.grading_memo import GradingMemo
from grader.sheets.library import load_assignment

GradeAnswers = Callable[[Mapping[str, object]], SubmissionResult]


TESTS = Path(__file__).resolve().parent

# No test reads a pool another run stored (or leaves one in the user's cache): tests that patch
# how a pool is built must see it built. tests/test_pool_cache.py turns the cache on itself.
os.environ["ROOFLINE_GRADER_CACHE"] = "off"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under mutmut, let every session make its parametrize ids afresh.

    mutmut runs several pytest sessions in one process (stats, clean run, forced failure) and
    forks each mutant's run from it, naming the tests by id. pytest 9 keeps the ids it made
    from an ``ids=`` argument on the mark, and escapes them again in the next session: an id
    with a non-ASCII character (``2 × 56``, ``128²``) is ``\\xd7`` in the first session and
    ``\\\\xd7`` in the next, so the test mutmut names is "not found" (pytest exits 4). A
    pattern run then stops at its clean run; in a full run the forked run of a mutant that
    such a test covers fails before any test runs, and a failed run counts as killed.
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        _forget_generated_parametrize_ids()


def _forget_generated_parametrize_ids() -> None:
    """Drop the ids an earlier session stored on the parametrize marks of imported tests."""
    for module in list(sys.modules.values()):
        if not str(getattr(module, "__file__", None) or "").startswith(str(TESTS)):
            continue
        holders: list[object] = [module]
        for value in vars(module).values():
            if inspect.isfunction(value):
                holders.append(value)
            elif inspect.isclass(value):
                holders.append(value)
                holders += [v for v in vars(value).values() if inspect.isfunction(v)]
        for holder in holders:
            for mark in getattr(holder, "pytestmark", None) or ():
                source = getattr(mark, "_param_ids_from", None)
                if source is not None:
                    object.__setattr__(source, "_param_ids_generated", None)


def _clear_function_caches() -> None:
    """Empty every function cache of the project's modules (``functools.cache``/``lru_cache``)."""
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("grader", "reference"):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def _remember_nothing(self: GradingMemo, key: object, value: object) -> None:
    """``GradingMemo.remember`` while mutmut links tests to functions: nothing is filed."""


@pytest.fixture(scope="session", autouse=True)
def _fresh_caches_under_mutation_testing() -> Iterator[None]:
    """Under mutmut, empty the project's function caches before the tests run.

    mutmut forks each mutant's test run from a process whose clean run filled the caches
    (unit factors, parsed numbers...): a mutant inside a cached function would never run.
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        _clear_function_caches()
    yield


@pytest.fixture(autouse=True)
def _every_test_calls_what_it_tests_while_mutmut_collects_stats(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While mutmut records which tests call each function (``MUTANT_UNDER_TEST=stats``), a
    test must not be answered by what an earlier test left in a cache or a grading memo.

    A mutant is tested only by the tests recorded as calling its function. The expectations
    fixtures live for the session, and their memo (``Expectations.memo``) hands a test the
    outcome an earlier test graded: the second test never calls the grading functions, is not
    recorded, and what only it checks (the hint of a close answer, say) goes unchecked. So,
    while the calls are recorded, caches are emptied before each test and the memo files
    nothing. A mutant's own run needs neither: whatever its tests remember there was worked
    out under that mutant, after the caches were emptied at the start of the session.
    """
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        _clear_function_caches()
        monkeypatch.setattr(GradingMemo, "remember", _remember_nothing)


@pytest.fixture(scope="session")
def assignment() -> Assignment:
    return load_assignment("roofline-1")


@pytest.fixture(scope="session")
def expectations(assignment: Assignment) -> Expectations:
    return build_expectations(assignment)


def answers_grader(assignment: Assignment, expectations: Expectations) -> GradeAnswers:
    """A function that grades a JSON answer file of ``assignment`` whose answers are given by
    dotted part id."""

    def grade(answers: Mapping[str, object]) -> SubmissionResult:
        document = {"assignment": assignment.id, "student": {"id": "s1"}, "answers": answers}
        data = json.dumps(document).encode()
        submission = parse_submission(data, assignment, fmt="json", name="s1.json")
        return grade_submission(expectations, submission)

    return grade


@pytest.fixture(scope="session")
def grade_answers(assignment: Assignment, expectations: Expectations) -> GradeAnswers:
    """Grade a JSON answer file of roofline-1 whose answers are given by dotted part id."""
    return answers_grader(assignment, expectations)
