"""Shared fixtures: the bundled assignment solved once, and a way to grade answers inline."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping

import pytest

from grader.grading.grade import grade_submission
from grader.input.submission import parse_submission
from grader.results import SubmissionResult
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations, build_expectations
from grader.sheets.library import load_assignment

GradeAnswers = Callable[[Mapping[str, object]], SubmissionResult]


@pytest.fixture(scope="session", autouse=True)
def _fresh_caches_under_mutation_testing() -> Iterator[None]:
    """Under mutmut, empty the project's function caches before the tests run.

    mutmut forks each mutant's test run from a process whose clean run filled the caches
    (unit factors, parsed numbers...): a mutant inside a cached function would never run.
    """
    if "MUTANT_UNDER_TEST" in os.environ:
        for name, module in list(sys.modules.items()):
            if name.split(".")[0] in ("grader", "reference"):
                for value in list(vars(module).values()):
                    clear = getattr(value, "cache_clear", None)
                    if callable(clear):
                        clear()
    yield


@pytest.fixture(scope="session")
def assignment() -> Assignment:
    return load_assignment("roofline-1")


@pytest.fixture(scope="session")
def expectations(assignment: Assignment) -> Expectations:
    return build_expectations(assignment)


@pytest.fixture(scope="session")
def grade_answers(assignment: Assignment, expectations: Expectations) -> GradeAnswers:
    """Grade a JSON answer file whose answers are given by dotted part id."""

    def grade(answers: Mapping[str, object]) -> SubmissionResult:
        document = {"assignment": "roofline-1", "student": {"id": "s1"}, "answers": answers}
        data = json.dumps(document).encode()
        submission = parse_submission(data, assignment, fmt="json", name="s1.json")
        return grade_submission(expectations, submission)

    return grade
