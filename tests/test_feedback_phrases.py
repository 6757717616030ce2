"""Feedback that reads right (issue 10, section 4): no self-contradicting, empty or
self-referring phrase, and the cause named before "close".

Values by hand: 20e12 / 6000e9 = 3.3333; 2·56·56·9·32 = 1,806,336; padded zeros skipped, 166
taps per axis: 2·166²·32 = 1,763,584; valid padding 54 x 54: (32·56·56 + 288 + 32·54·54)·4 =
775,808 bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.grading import grade_numeric
from grader.grading.decisions import Decision, apply_decisions
from grader.reports.check_view import result_table
from grader.reports.report import feedback_html, feedback_markdown
from grader.reports.reveal import student_view
from grader.results import Status, SubmissionResult
from grader.run.pipeline import expectations_for, grade_file
from grader.sheets.expectations import Expectations
from tests.conftest import GradeAnswers

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"

NEVER = [
    re.compile(r"evaluates to ([\d,.]+), not the \1 you wrote"),
    re.compile(r"Right: none"),
    re.compile(r"Compare your steps with the formula"),
    re.compile(r"\+ ?\\?\+?1 points"),
    re.compile(r"TA decision:\W+TA decision"),
    re.compile(r"answer\(s\)"),
]


@pytest.mark.parametrize(
    ("part_id", "text"),
    [
        ("q4.a", "20e12/6000e9 = 3.33"),  # 3.3333 rounded: no note
        ("q4.a", "6000/1800 = 3.3"),
        ("q5.conv.intensity", "1806336/803968 = 2.25"),
        ("q1.b", "2 × 56 × 56 × 3 × 3 × 32 = 1.81e6"),
    ],
)
def test_no_note_for_the_students_own_rounding(
    grade_answers: GradeAnswers, part_id: str, text: str
) -> None:
    part = grade_answers({part_id: text}).part(part_id)
    assert part.status is Status.CORRECT
    assert part.feedback == "Right."


def test_a_real_disagreement_is_noted_with_the_digits_that_differ(
    grade_answers: GradeAnswers,
) -> None:
    part = grade_answers({"q4.a": "20/5 = 3.33"}).part("q4.a")
    assert part.status is Status.CORRECT
    assert "your expression evaluates to 4, not the 3.33 you wrote" in part.feedback
    # numbers that the usual four decimals show alike get the digits that tell them apart
    assert grade_numeric._distinct(0.0000123, 0.0000124) == ("0.0000123", "0.0000124")
    assert grade_numeric._distinct(2.16499, 2.16501) == ("2.16499", "2.16501")


def test_an_earlier_answer_graded_right_is_never_called_wrong(
    grade_answers: GradeAnswers,
) -> None:
    # skipping padded zeros (1,763,584 FLOPs) is accepted in q1.b; the intensity from it is right
    result = grade_answers(
        {"q1.b": "1763584", "q5.conv.bytes": "803968", "q5.conv.intensity": "1763584 / 803968"}
    )
    assert result.part("q1.b").status is Status.CORRECT
    intensity = result.part("q5.conv.intensity")
    assert intensity.status is Status.CORRECT and intensity.credit == 1.0
    assert "not right" not in intensity.feedback
    assert "it follows from your own q1.b = 1,763,584, accepted there" in intensity.feedback


def test_an_earlier_answer_graded_wrong_is_named_alone(grade_answers: GradeAnswers) -> None:
    result = grade_answers(
        {"q1.b": "903168", "q5.conv.bytes": "803968", "q5.conv.intensity": "903168 / 803968"}
    )
    intensity = result.part("q5.conv.intensity")
    assert intensity.carried_forward
    assert "your own earlier answer q1.b = 903,168, which was not right" in intensity.feedback


def test_close_comes_after_the_mistake_carried_from_an_earlier_part(
    grade_answers: GradeAnswers,
) -> None:
    bytes_54 = "(32 × 56 × 56 + 288 + 32 × 54 × 54) × 4"
    carried = grade_answers({"q1.b": "2 × 54 × 54 × 3 × 3 × 32", "q5.conv.bytes": bytes_54})
    part = carried.part("q5.conv.bytes")
    assert (part.mistake, part.carried_forward, part.credit) == ("valid_padding", True, 1.0)
    assert part.feedback.startswith("This follows from the mistake in your q1.b.")
    assert "54 x 54" in part.feedback and "Close" not in part.feedback
    # with a right q1.b the same bytes are no inherited mistake: 3.5% off is "close"
    alone = grade_answers({"q1.b": "1806336", "q5.conv.bytes": bytes_54}).part("q5.conv.bytes")
    assert alone.mistake == "close" and alone.feedback.startswith("Close (3.5% off)")


def test_a_wrong_answer_has_no_empty_advice(grade_answers: GradeAnswers) -> None:
    part = grade_answers({"q1.b": "2.5e6"}).part("q1.b")
    assert part.status is Status.INCORRECT
    assert part.feedback == ("Not right: about 38% too high, and not a mistake the grader knows.")


@pytest.fixture(scope="module")
def samples(expectations: Expectations) -> list[SubmissionResult]:
    class_run = expectations_for(expectations.assignment, class_run=True)
    paths = sorted(SUBMISSIONS.glob("*.y*ml")) + sorted(SUBMISSIONS.glob("*.json"))
    return [grade_file(p, e).result for p in paths for e in (expectations, class_run)]


def test_no_sample_output_holds_a_phrase_that_reads_wrong(
    samples: list[SubmissionResult], expectations: Expectations
) -> None:
    for result in samples:
        texts = [feedback_markdown(result, expectations), feedback_html(result, expectations)]
        texts.append(result_table(student_view(result, expectations)))
        texts += [part.feedback for part in result.parts]
        for text in texts:
            for phrase in NEVER:
                assert not phrase.search(text), (result.file, phrase.pattern)


def test_one_pending_point_is_one_point(
    grade_answers: GradeAnswers, expectations: Expectations
) -> None:
    result = grade_answers({"q3.b": "a log-log plot"})
    assert result.pending_review == 1
    assert "+1 point pending review by a TA" in result_table(student_view(result, expectations))
    assert "\\+1 point pending review by a TA" in feedback_markdown(result, expectations)
    assert "+ 1 point pending review by a TA" in feedback_html(result, expectations)


def test_a_decided_sketch_no_longer_says_a_ta_will_review_it(
    samples: list[SubmissionResult], expectations: Expectations
) -> None:
    perfect = next(r for r in samples if r.file and r.file.endswith("perfect.yaml"))
    assert "A TA will review your sketch." in perfect.part("q3.b").feedback
    decision = Decision(perfect.student.id, "q3.b", points=1.0, credit=None)
    decided = apply_decisions(perfect, {"q3.b": decision})
    assert decided.part("q3.b").feedback == ""
    report = feedback_markdown(decided, expectations)
    row = next(line for line in report.splitlines() if line.startswith("| q3\\.b"))
    assert "A TA will review" not in row and "Review notes" not in row
    assert "**TA decision:** 1 of 1 point" in row
