"""Pairs of files that share rare wrong answers (a signal for a TA, never a penalty)."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from grader.cli import main
from grader.reports.shared_answers import rare_limit, shared_rare_answers
from grader.results import PartDigest, ResultDigest, Status, StudentDigest

PARTS = ("q1", "q2", "q3", "q4")


def part(
    part_id: str,
    value: float | None,
    *,
    status: Status = Status.INCORRECT,
    submitted: str | None = None,
    carried: bool = False,
) -> PartDigest:
    text = submitted if submitted is not None else (f"{value:g}" if value is not None else None)
    return PartDigest(
        part_id, status, 0.0, 0.0, 1.0, submitted=text, value=value, carried_forward=carried
    )


def result(student: str, *parts: PartDigest) -> ResultDigest:
    given = {p.id: p for p in parts}
    every = tuple(given.get(i, part(i, 1.0, status=Status.CORRECT)) for i in PARTS)
    return ResultDigest("demo", StudentDigest(student), "graded", None, 0.0, 4.0, 0.0, every, None)


def klass(extra: list[ResultDigest]) -> list[ResultDigest]:
    """200 files (a wrong answer is rare when at most 4 hold it): everyone right on every
    part, but for the extra files given."""
    right = [result(f"r{i:03}") for i in range(200 - len(extra))]
    return right + extra


def test_a_pair_sharing_two_unusual_wrong_values_is_listed() -> None:
    files = klass(
        [
            result("ann", part("q1", 1.5e6, submitted="1.5e6"), part("q3", 77.0)),
            result("bob", part("q1", 1500000.0, submitted="1 500 000"), part("q3", 77.0)),
            result("cid", part("q1", 1.5e6)),  # only one of the two
        ]
    )
    (pair,) = shared_rare_answers(files)
    assert (pair.first, pair.second) == ("ann", "bob")
    assert [(p.part, p.holders) for p in pair.parts] == [("q1", 3), ("q3", 2)]


def test_a_common_mistake_is_not_a_signal() -> None:
    # 30 files make the same mistake on q1 and q2: common, so no pair is listed.
    common = [result(f"m{i:02}", part("q1", 9.0), part("q2", 8.0)) for i in range(30)]
    assert shared_rare_answers(klass(common)) == ()


def test_carried_forward_right_missing_and_pending_answers_do_not_count() -> None:
    files = klass(
        [
            result("ann", part("q1", 5.0), part("q2", 6.0, carried=True)),
            result("bob", part("q1", 5.0), part("q2", 6.0, carried=True)),
            result("cid", part("q3", None, status=Status.MISSING, submitted="")),
            result("dan", part("q3", None, status=Status.MISSING, submitted="")),
            result("eve", part("q4", 2.0, status=Status.NEEDS_REVIEW, submitted="a text")),
            result("fay", part("q4", 2.0, status=Status.NEEDS_REVIEW, submitted="a text")),
        ]
    )
    assert shared_rare_answers(files) == ()


def test_text_answers_compare_without_case_and_spacing() -> None:
    files = klass(
        [
            result(
                "ann",
                part("q1", None, submitted="Compute  bound"),
                part("q2", None, submitted="O(L)"),
            ),
            result(
                "bob",
                part("q1", None, submitted="compute bound"),
                part("q2", None, submitted="o(l)"),
            ),
        ]
    )
    (pair,) = shared_rare_answers(files)
    assert {p.part for p in pair.parts} == {"q1", "q2"}


def test_the_same_results_in_any_order_give_the_same_pairs() -> None:
    files = klass(
        [result(n, part("q1", 3.0), part("q2", 4.0), part("q4", 1e9)) for n in ("x", "y", "z")]
    )
    expected = shared_rare_answers(files)
    assert [(p.first, p.second) for p in expected] == [("x", "y"), ("x", "z"), ("y", "z")]
    shuffled = list(files)
    random.Random(4).shuffle(shuffled)
    assert shared_rare_answers(shuffled) == expected


def test_rare_means_few_files_of_the_class() -> None:
    # 2 % of the class, at least 2 (a pair) and at most 5.
    assert [rare_limit(n) for n in (0, 10, 149, 150, 200, 250, 10_000)] == [2, 2, 2, 3, 4, 5, 5]


def test_the_class_summary_lists_the_pair(tmp_path: Path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    for student in ("s1", "s2"):
        (folder / f"{student}.yaml").write_text(
            f"assignment: roofline-1\nstudent: {{id: {student}}}\nanswers:\n"
            "  q1.a: 123456\n  q3.a: 31.7 FLOP/byte\n",
            "utf-8",
        )
    for student in ("s3", "s4", "s5"):
        (folder / f"{student}.yaml").write_text(
            f"assignment: roofline-1\nstudent: {{id: {student}}}\nanswers:\n  q1.a: 99\n",
            "utf-8",
        )
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["grade", str(folder), "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    summary = (out / "summary.md").read_text("utf-8")
    section = summary.split("## Files that share rare wrong answers", 1)[1].split("##", 1)[0]
    assert r"| s1, s2 | q1\.a: 123456 (2 files); q3\.a: 31\.7 FLOP/byte (2 files) |" in section
    assert "s3" not in section  # three files share one wrong answer on one part only
    page = (out / "summary.html").read_text("utf-8")
    assert "<code>s1</code>, <code>s2</code>" in page
