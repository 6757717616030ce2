"""What each sample answer file is there to show, asserted independently of the golden files."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.results import Status, SubmissionResult
from grader.run.pipeline import grade_file
from grader.sheets.expectations import Expectations

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"


@pytest.fixture(scope="module")
def graded(expectations: Expectations) -> dict[str, SubmissionResult]:
    return {
        p.name: grade_file(p, expectations).result
        for p in sorted(SAMPLES.iterdir())
        if p.suffix in (".yaml", ".json")
    }


def test_perfect_files_lose_nothing(graded: dict[str, SubmissionResult]) -> None:
    for name in ("perfect.yaml", "perfect.json"):
        result = graded[name]
        automatic = [p for p in result.parts if p.status is not Status.NEEDS_REVIEW]
        assert all(p.status is Status.CORRECT for p in automatic), [
            (p.id, p.feedback) for p in automatic if p.status is not Status.CORRECT
        ]
        assert result.score + result.pending_review == result.max_score


def test_macs_instead_of_flops(graded: dict[str, SubmissionResult]) -> None:
    result = graded["macs-instead-of-flops.yaml"]
    for part_id in ("q1.b", "q2.b.qkv_projections", "q2.b.attention_scores"):
        assert result.part(part_id).mistake == "macs_not_flops"
        assert result.part(part_id).credit == 0.5
    intensity = result.part("q5.conv.intensity")
    assert intensity.carried_forward and intensity.credit == 1.0


def test_forgotten_padding(graded: dict[str, SubmissionResult]) -> None:
    result = graded["forgotten-padding.yaml"]
    assert result.part("q1.b").mistake == "valid_padding"
    assert result.part("q5.conv.intensity").carried_forward


def test_decimal_commas_and_units(graded: dict[str, SubmissionResult]) -> None:
    result = graded["decimal-commas-and-units.yaml"]
    right = [p.id for p in result.parts if p.status is Status.CORRECT]
    assert {
        "q1.b",
        "q2.a",
        "q3.a",
        "q4.a",
        "q5.conv.bytes",
        "q5.conv.intensity",
        "q5.qkv.bytes",
        "q5.qkv.intensity",
        "q5.conv.gpu",
        "q5.qkv.pim",
    } <= set(right)
    # "2,097 MFLOP" is 2.097 MFLOP in a file that writes decimal commas elsewhere ("2,25")
    settled = result.part("q2.b.output_projection")
    assert settled.status is Status.CORRECT and "as your file writes commas" in settled.feedback


def test_error_carried_forward(graded: dict[str, SubmissionResult]) -> None:
    result = graded["error-carried-forward.yaml"]
    assert result.part("q5.conv.bytes").status is Status.PARTIAL
    for part_id in ("q5.conv.intensity", "q5.conv.gpu", "q5.conv.pim", "q5.qkv.gpu"):
        assert result.part(part_id).carried_forward, part_id


def test_arithmetic_slips(graded: dict[str, SubmissionResult]) -> None:
    result = graded["arithmetic-slip.yaml"]
    assert result.part("q1.b").mistake == "arithmetic_slip"
    assert result.part("q1.b").credit == 0.75


def test_broken_syntax_keeps_the_rest(graded: dict[str, SubmissionResult]) -> None:
    result = graded["broken-syntax.yaml"]
    assert result.status == "graded"
    assert result.part("q2.a").status is Status.INVALID
    assert "line 6" in result.part("q2.a").feedback
    for part_id in ("q1.a", "q1.b", "q3.a", "q4.a"):
        assert result.part(part_id).status is Status.CORRECT


def test_hostile_input_is_contained(graded: dict[str, SubmissionResult]) -> None:
    result = graded["hostile-input.yaml"]
    for part_id in ("q1.a", "q1.b", "q2.a", "q2.b.qkv_projections", "q3.a", "q4.a"):
        part = result.part(part_id)
        assert part.status is Status.INVALID and part.feedback.startswith(part_id)
        assert part.line is not None and f"line {part.line}" in part.feedback
    assert result.part("q2.d.full_scores").status is Status.CORRECT
