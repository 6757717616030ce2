"""Item statistics by variant parameter, from invented results worked out by hand."""

from __future__ import annotations

import pytest

from grader.reports.variant_stats import variant_statistics
from grader.results import PartDigest, ResultDigest, Status, StudentDigest

GIVENS = {
    "VA": {"seq_len": "32", "bandwidth": "800 GB/s"},
    "VB": {"seq_len": "64", "bandwidth": "800 GB/s"},
    "VC": {"seq_len": "128", "bandwidth": "600 GB/s"},
}


def result(student: str, variant: str, q1: float, q2: float) -> ResultDigest:
    parts = (
        PartDigest("q1", Status.CORRECT if q1 == 1 else Status.INCORRECT, q1, q1, 1.0),
        PartDigest("q2", Status.CORRECT if q2 == 1 else Status.INCORRECT, q2, q2, 1.0),
    )
    score = q1 + q2
    return ResultDigest(
        "demo", StudentDigest(student), "graded", None, score, 2.0, 0.0, parts, None,
        variant=variant,
    )  # fmt: skip


CLASS = [
    result("a", "VA", 1, 1),
    result("b", "VA", 1, 1),
    result("c", "VB", 1, 0),
    result("d", "VB", 1, 0),
    result("e", "VC", 0, 1),
]


def test_each_value_gets_its_files_mean_score_and_harder_parts() -> None:
    by_given = {p.given: p for p in variant_statistics(CLASS, GIVENS.get, ["seq_len", "bandwidth"])}
    seq = {g.value: g for g in by_given["seq_len"].groups}
    assert list(seq) == ["32", "64", "128"]  # in the order of their numbers
    # Over the class q1 has 4/5 = 0.8, q2 3/5 = 0.6. seq_len 64: q2 0 (0.6 below); 128: q1 0.
    assert (seq["32"].files, seq["32"].mean_score, seq["32"].harder) == (2, 1.0, ())
    assert seq["64"].mean_score == pytest.approx(0.5)
    assert seq["64"].harder == (("q2", 0.0, pytest.approx(0.6)),)
    assert seq["128"].harder == (("q1", 0.0, pytest.approx(0.8)),)
    bandwidth = {g.value: g for g in by_given["bandwidth"].groups}
    assert list(bandwidth) == ["600 GB/s", "800 GB/s"]
    assert bandwidth["800 GB/s"].files == 4 and bandwidth["800 GB/s"].mean_score == 0.75
    # 800 GB/s: q2 has 2/4 = 0.5, only 0.1 below the class: not "clearly harder".
    assert bandwidth["800 GB/s"].harder == ()


def test_a_given_all_files_share_and_unknown_codes_are_left_out() -> None:
    same = {code: {"seq_len": "32"} for code in GIVENS}
    assert variant_statistics(CLASS, same.get, ["seq_len"]) == ()
    assert variant_statistics(CLASS, {}.get, ["seq_len"]) == ()
    assert variant_statistics([], GIVENS.get, ["seq_len"]) == ()
