"""A TA's decision on an answer the reader refused is bound to the refused text itself.

Text that cannot be read as an answer (a broken entry, a value too long, a part answered
twice) is in no answer tree, so a decision on it used to be bound to the reason alone: a
student who resubmitted other broken text that broke the same way kept the old points. Now the
TA is shown the refused text (review sheet, result) and the decision is bound to it: other text
makes it stale (the part waits for a person again), the same text, moved or re-indented, keeps
it, and the ledger never loses it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_runs import grader

from grader.input.fingerprint import refused_fingerprint
from grader.input.loading import load_answer_bytes
from grader.input.submission import build_submission
from grader.sheets.library import load_assignment

BOM = "\ufeff"


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8").removeprefix(BOM))))


def review_row(out: Path, part: str) -> dict[str, str]:
    (row,) = [row for row in rows_of(out / "review.csv") if row["part"] == part]
    return row


def decide(out: Path, part: str, points: str, filled: Path) -> None:
    """The TA fills in points for ``part`` on the review sheet (and nothing else)."""
    rows = [row for row in rows_of(out / "review.csv") if row["part"] == part]
    for row in rows:
        row["points"] = points
    with filled.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def grade(folder: Path, out: Path, *extra: str) -> None:
    code, output = grader("grade", str(folder), "--out", str(out), "--no-reports", *extra)
    assert code == 0, output


def points_of(out: Path, student: str, part: str) -> tuple[str, float | None]:
    result = json.loads((out / "results" / f"{student}.json").read_text("utf-8"))
    (found,) = [p for p in result["parts"] if p["id"] == part]
    decision = found["decision"]
    return found["status"], (None if decision is None or decision["stale"] else found["points"])


BROKEN = """\
assignment: roofline-1
student:
  id: ana
answers:
  q1.a: 288
  q3.a: [250 FLOP/byte
  q4.a: 10/3
"""


def test_a_decision_on_broken_text_holds_for_that_text_only(tmp_path: Path) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    answer = folder / "ana.yaml"
    answer.write_text(BROKEN, encoding="utf-8")
    grade(folder, out)
    row = review_row(out, "q3.a")
    # the TA sees what the student wrote, not an empty answer
    assert "[250 FLOP/byte" in row["answer"]
    decide(out, "q3.a", "1", tmp_path / "filled.csv")
    grade(folder, out, "--overrides", str(tmp_path / "filled.csv"))
    assert review_row(out, "q3.a")["status"] == "decided"
    assert points_of(out, "ana", "q3.a")[1] == 1

    # the same text moved down a line, the answers indented further: the same answer
    moved = BROKEN.replace("  q1.a: 288\n", "  q1.a: 288\n  # my turning point\n")
    answer.write_text(moved.replace("\n  q", "\n    q"), encoding="utf-8")
    grade(folder, out)
    assert review_row(out, "q3.a")["status"] == "decided"

    # other text broken the same way: the decision does not carry over
    answer.write_text(BROKEN.replace("[250 FLOP", "[4 FLOP"), encoding="utf-8")
    grade(folder, out)
    row = review_row(out, "q3.a")
    assert row["status"] == "stale" and row["points"] == ""
    assert "[4 FLOP/byte" in row["answer"]
    assert points_of(out, "ana", "q3.a") == ("needs_review", None)
    gradebook = rows_of(out / "gradebook.csv")[0]
    assert gradebook["pending review"] == "1"

    # ... and is not lost: back to the text it was made on, it holds again
    answer.write_text(BROKEN, encoding="utf-8")
    grade(folder, out)
    assert review_row(out, "q3.a")["status"] == "decided"
    assert [row["part"] for row in rows_of(out / "decisions.csv")] == ["q3.a"]


def test_a_decision_on_a_part_answered_twice_goes_stale_when_either_answer_changes(
    tmp_path: Path,
) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    twice = BROKEN.replace("  q3.a: [250 FLOP/byte\n", "  q3.a: 250\n").replace(
        "  q4.a: 10/3\n", "  q4.a: 10/3\n  q3.a: 4\n"
    )
    (folder / "ana.yaml").write_text(twice, encoding="utf-8")
    grade(folder, out)
    row = review_row(out, "q3.a")
    assert "250" in row["answer"] and "4" in row["answer"]
    feedback = json.loads((out / "results" / "ana.json").read_text("utf-8"))["parts"]
    (q3a,) = [part["feedback"] for part in feedback if part["id"] == "q3.a"]
    assert q3a.endswith("q3.a (line 8): answered twice (lines 6 and 8)")
    decide(out, "q3.a", "0.5", tmp_path / "filled.csv")
    grade(folder, out, "--overrides", str(tmp_path / "filled.csv"))
    assert points_of(out, "ana", "q3.a")[1] == 0.5

    (folder / "ana.yaml").write_text(twice.replace("q3.a: 4", "q3.a: 250"), encoding="utf-8")
    grade(folder, out)
    assert review_row(out, "q3.a")["status"] == "stale"


def test_a_decision_on_a_json_answer_too_long_is_bound_to_its_text(tmp_path: Path) -> None:
    folder, out = tmp_path / "class", tmp_path / "out"
    folder.mkdir()
    essay = "memory bound because " + "the intensity is low " * 600  # over 10,000 characters
    document = {"assignment": "roofline-1", "student": {"id": "bo"}, "answers": {}}
    document["answers"] = {"q1.a": "288", "q5.explanation": essay}
    answer = folder / "bo.json"
    answer.write_text(json.dumps(document), encoding="utf-8")
    grade(folder, out)
    row = review_row(out, "q5.explanation")
    assert row["answer"].startswith("memory bound because the intensity")
    assert len(row["answer"]) < 1000  # shown cut, as every long answer is
    decide(out, "q5.explanation", "1", tmp_path / "filled.csv")
    grade(folder, out, "--overrides", str(tmp_path / "filled.csv"))
    assert review_row(out, "q5.explanation")["status"] == "decided"

    document["answers"]["q5.explanation"] = essay.replace("low", "high", 1)
    answer.write_text(json.dumps(document), encoding="utf-8")
    grade(folder, out)
    assert review_row(out, "q5.explanation")["status"] == "stale"


def source_of(text: str, fmt: str, part: str) -> str | None:
    assignment = load_assignment("roofline-1")
    loaded = load_answer_bytes(text.encode("utf-8", "surrogatepass"), fmt=fmt)
    submission = build_submission(loaded, assignment, path=Path(f"x.{fmt}"))
    return submission.part_problems()[part].source


@pytest.mark.parametrize(
    ("text", "fmt", "part", "source"),
    [
        # a broken flow list: the entry's own lines, without the indent they share
        ("answers:\n  q2.a: [1,\n    2\n  q3.a: 250\n", "yaml", "q2.a", "q2.a: [1,\n  2"),
        # YAML: a key twice, both values, lists in flow style
        ("answers:\n  q2.a: 1\n  q2.a: [x, y]\n", "yaml", "q2.a", "1\n[x, y]"),
        # JSON: a key twice
        ('{"answers": {"q2.a": "1", "q2.a": {"k": "v"}}}', "json", "q2.a", "1\n{k: v}"),
        # a NUL inside a JSON string: the text as it was (shown escaped, bound as it is)
        ('{"answers": {"q2.a": "4\\u0000096"}}', "json", "q2.a", "4\x00096"),
    ],
)
def test_the_refused_text_is_kept_for_the_part(text: str, fmt: str, part: str, source: str) -> None:
    assert source_of(text, fmt, part) == source


def test_refused_text_is_what_the_fingerprint_binds() -> None:
    assert refused_fingerprint("why", "q3.a: [250") == refused_fingerprint("other", "q3.a: [250")
    assert refused_fingerprint("why", "q3.a: [250") != refused_fingerprint("why", "q3.a: [25")
    # without text, the reason is all there is (an unreadable file, say)
    assert refused_fingerprint("why") != refused_fingerprint("other")
