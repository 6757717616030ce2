"""The TA loop from the console script: grade, decide in the review sheet, regrade as often as
needed, a second round, a resubmission; and the guarantees: no decision is ever lost, every
problem with the decisions stops the run before anything is written."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout + result.stderr


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def fill(review: Path, target: Path, decisions: Mapping[tuple[str, str], tuple[str, str]]) -> Path:
    """What a TA does in a spreadsheet: fill points and comments of some rows, save as."""
    table = rows(review)
    for row in table:
        chosen = decisions.get((row["student"], row["part"]))
        if chosen is not None:
            row["points"], row["comment"] = chosen
    with target.open("w", newline="", encoding="utf-8-sig") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return target


def score(out: Path, student: str) -> str:
    (row,) = [r for r in rows(out / "gradebook.csv") if r["id"] == student]
    return row["score"]


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def klass(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    shutil.copytree(SAMPLES, folder)
    return folder


@pytest.fixture()
def graded(klass: Path, tmp_path: Path) -> Path:
    out = tmp_path / "report"
    code, text = run("grade", str(klass), "--out", str(out))
    assert code == 0, text
    return out


def test_decisions_survive_every_regrade_and_a_second_round(
    klass: Path, graded: Path, tmp_path: Path
) -> None:
    before = float(score(graded, "s1000001"))
    # Round 1: the TA fills in the review sheet the run wrote and passes that very file back.
    fill(
        graded / "review.csv",
        graded / "review.csv",
        {
            ("s1000001", "q6.advantages"): ("2", "two clear advantages"),
            ("s1000001", "q3.b"): ("1", ""),
        },
    )
    code, text = run(
        "grade", str(klass), "--out", str(graded), "--overrides", str(graded / "review.csv"),
        "--by", "ta1",
    )  # fmt: skip
    assert code == 0, text
    assert "2 new TA decision(s) recorded" in text
    assert float(score(graded, "s1000001")) == before + 3
    ledger = rows(graded / "decisions.csv")
    assert [(r["part"], r["points"], r["by"]) for r in ledger] == [
        ("q3.b", "1", "ta1"), ("q6.advantages", "2", "ta1")
    ]  # fmt: skip
    assert all(len(r["answer"]) == 16 and r["at"] for r in ledger)
    # The same command again, and a plain regrade: nothing is lost, nothing is added.
    for extra in (["--overrides", str(graded / "review.csv")], []):
        code, text = run("grade", str(klass), "--out", str(graded), *extra)
        assert code == 0, text
        assert float(score(graded, "s1000001")) == before + 3
        assert rows(graded / "decisions.csv") == ledger
    sheet = rows(graded / "review.csv")
    decided = [(r["student"], r["part"], r["points"]) for r in sheet if r["status"] == "decided"]
    assert decided == [("s1000001", "q3.b", "1"), ("s1000001", "q6.advantages", "2")]
    assert sheet[-1]["status"] == "decided"  # open items first, decided ones below
    # Round 2 on the new sheet: another part; the first round's decisions stay.
    second = fill(
        graded / "review.csv", tmp_path / "round2.csv", {("s1000001", "q4.b"): ("0.5", "")}
    )
    code, text = run("grade", str(klass), "--out", str(graded), "--overrides", str(second))
    assert code == 0, text
    assert len(rows(graded / "decisions.csv")) == 3
    assert float(score(graded, "s1000001")) == before + 3.5
    report = (graded / "feedback" / "s1000001.html").read_text("utf-8")
    assert "two clear advantages" in report and "TA decision: TA decision" not in report
    code, listing = run("decisions", str(graded))
    assert code == 0 and "two clear advantages" in listing and "ta1" in listing


def test_conflicts_and_bad_decisions_stop_before_anything_is_written(
    klass: Path, graded: Path, tmp_path: Path
) -> None:
    first = fill(graded / "review.csv", tmp_path / "first.csv", {("s1000001", "q3.b"): ("1", "")})
    assert run("grade", str(klass), "--out", str(graded), "--overrides", str(first))[0] == 0
    kept = snapshot(graded)
    # A different decision on the same answer: a conflict, listed, and nothing changes.
    changed = fill(
        graded / "review.csv", tmp_path / "changed.csv", {("s1000001", "q3.b"): ("0", "no")}
    )
    code, text = run("grade", str(klass), "--out", str(graded), "--overrides", str(changed))
    assert code == 2
    assert "changed.csv line" in text and "conflicts with 1 point" in text
    assert "--replace-decisions" in text and "Traceback" not in text
    assert snapshot(graded) == kept
    # Many problems in two files: every one of them, with file and line; nothing written.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "student,part,points\ns1000001,q3.b,5\ns1000001,q9.z,1\ns1000002,q4.b,lots\n", "utf-8"
    )
    unbalanced = tmp_path / "unbalanced.csv"
    unbalanced.write_text('student,part,points,comment\ns1000001,q4.b,1,"open\n', "utf-8")
    code, text = run(
        "grade", str(klass), "--out", str(graded), "--overrides", str(bad),
        "--overrides", str(unbalanced),
    )  # fmt: skip
    assert code == 2
    for fragment in (
        "bad.csv line 2: s1000001 q3.b: 5 points, but the part is worth 1 point",
        "bad.csv line 3: s1000001 q9.z: the sheet has no part",
        "bad.csv line 4: points 'lots' is not a number",
        "unbalanced.csv line",
        "quote left open",
    ):
        assert fragment in text, text
    assert snapshot(graded) == kept
    # The TA says so: the later decision replaces the earlier, which stays in the history.
    code, text = run(
        "grade",
        str(klass),
        "--out",
        str(graded),
        "--overrides",
        str(changed),
        "--replace-decisions",
    )
    assert code == 0, text
    history = rows(graded / "decisions.csv")
    assert [r["points"] for r in history if r["part"] == "q3.b"] == ["1", "0"]
    code, listing = run("decisions", str(graded), "--all", "--part", "q3.b")
    assert "replaced" in listing and "in force" in listing


def test_overrides_given_twice_are_both_applied(klass: Path, graded: Path, tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("s1000001: {q3.b: 1}\n", "utf-8")
    two = tmp_path / "two.csv"
    two.write_text("student,part,points,comment\ns1000002,q3.b,0.5,faint\n", "utf-8")
    code, text = run(
        "grade", str(klass), "--out", str(graded), "--overrides", str(one), "--overrides", str(two)
    )
    assert code == 0, text
    parts = {(r["student"], r["part"]) for r in rows(graded / "decisions.csv")}
    assert parts == {("s1000001", "q3.b"), ("s1000002", "q3.b")}
    # A YAML decision names no answer: it is bound to the answer it was first applied to.
    assert all(len(r["answer"]) == 16 for r in rows(graded / "decisions.csv"))


def test_a_resubmitted_answer_goes_back_to_review_with_the_old_decision_shown(
    klass: Path, graded: Path, tmp_path: Path
) -> None:
    filled = fill(
        graded / "review.csv", tmp_path / "r.csv", {("s1000001", "q6.advantages"): ("2", "good")}
    )
    assert run("grade", str(klass), "--out", str(graded), "--overrides", str(filled))[0] == 0
    decided_score = float(score(graded, "s1000001"))
    answers = klass / "perfect.yaml"
    text = answers.read_text("utf-8")
    assert "Any two tokens" in text
    answers.write_text(text.replace("Any two tokens", "Every two tokens"), "utf-8")
    code, output = run("grade", str(klass), "--out", str(graded), "--compare", str(tmp_path))
    assert code in (0, 2)  # --compare of a folder without results is a usage error
    code, output = run("grade", str(klass), "--out", str(graded))
    assert code == 0, output
    (row,) = [r for r in rows(graded / "gradebook.csv") if r["id"] == "s1000001"]
    assert row["q6.advantages"] == ""  # pending again, not the old 2 points on a new answer
    assert float(row["score"]) == decided_score - 2
    (stale,) = [
        r
        for r in rows(graded / "review.csv")
        if r["part"] == "q6.advantages" and r["student"] == "s1000001"
    ]
    assert (
        stale["status"] == "stale"
        and "Earlier decision on another answer" in stale["suggestion (staff only)"]
    )
    report = (graded / "feedback" / "s1000001.html").read_text("utf-8")
    assert "for your earlier answer" in report
    # A decision on the new answer is no conflict.
    renewed = fill(
        graded / "review.csv", tmp_path / "r2.csv", {("s1000001", "q6.advantages"): ("1", "")}
    )
    code, output = run("grade", str(klass), "--out", str(graded), "--overrides", str(renewed))
    assert code == 0, output
    assert float(score(graded, "s1000001")) == decided_score - 1


@pytest.mark.parametrize(
    "refused",
    [
        "1+" * 6000 + "1",  # longer than an answer may be: the reader refuses it
        "[288",  # a syntax error, salvaged: the part alone is unreadable
    ],
    ids=["too-long", "broken-syntax"],
)
def test_a_decision_on_a_refused_answer_is_stale_once_the_student_resubmits(
    tmp_path: Path, refused: str
) -> None:
    """An answer the reader refuses (too long, broken syntax) goes to a TA with no text to
    show; the TA's points are still for that answer only: a readable answer submitted later
    goes back to review showing the old decision, never takes its points."""
    klass = tmp_path / "class"
    klass.mkdir()
    answers = klass / "s5.yaml"
    answers.write_text(
        f"student: {{id: s5}}\nanswers:\n  q1:\n    a: {refused}\n    b: 7\n", "utf-8"
    )
    out = tmp_path / "report"
    code, output = run("grade", str(klass), "--out", str(out))
    assert code == 0, output
    (row,) = [r for r in rows(out / "review.csv") if r["part"] == "q1.a"]
    assert row["status"] == "open" and row["answer id"]  # the decision will be bound to it
    filled = fill(out / "review.csv", tmp_path / "r.csv", {("s5", "q1.a"): ("1", "kind")})
    code, output = run("grade", str(klass), "--out", str(out), "--overrides", str(filled))
    assert code == 0, output
    assert rows(out / "gradebook.csv")[0]["q1.a"] == "1"
    answers.write_text("student: {id: s5}\nanswers:\n  q1:\n    a: 999\n    b: 7\n", "utf-8")
    code, output = run("grade", str(klass), "--out", str(out))
    assert code == 0, output
    assert rows(out / "gradebook.csv")[0]["q1.a"] == ""  # pending again, not the old point
    (stale,) = [r for r in rows(out / "review.csv") if r["part"] == "q1.a"]
    assert stale["status"] == "stale" and "Earlier decision" in stale["suggestion (staff only)"]


def test_the_regrade_diff_names_the_decision_behind_a_change(
    klass: Path, graded: Path, tmp_path: Path
) -> None:
    filled = fill(graded / "review.csv", tmp_path / "r.csv", {("s1000009", "q3.b"): ("1", "neat")})
    second = tmp_path / "second"
    code, text = run(
        "grade", str(klass), "--out", str(second), "--overrides", str(filled), "--by", "ta7",
        "--compare", str(graded),
    )  # fmt: skip
    assert code == 0, text
    diff = (second / "regrade-diff.md").read_text("utf-8")
    assert "s1000009" in diff and "TA decision by ta7" in diff and "neat" in diff


def test_decisions_for_students_nobody_submitted_are_warned_about(
    klass: Path, graded: Path, tmp_path: Path
) -> None:
    ghost = tmp_path / "ghost.csv"
    ghost.write_text("student,part,points\nnobody,q3.b,1\n", "utf-8")
    code, text = run("grade", str(klass), "--out", str(graded), "--overrides", str(ghost))
    assert code == 0
    assert "warning: decision for nobody q3.b (ghost.csv line 2) matched no graded student" in text


def test_the_ledger_never_shrinks_even_when_another_sheet_is_graded(
    klass: Path, graded: Path, tmp_path: Path
) -> None:
    filled = fill(graded / "review.csv", tmp_path / "r.csv", {("s1000001", "q3.b"): ("1", "")})
    assert run("grade", str(klass), "--out", str(graded), "--overrides", str(filled))[0] == 0
    (klass / "perfect.yaml").unlink()  # the student's file is gone from this run
    code, text = run("grade", str(klass), "--out", str(graded))
    assert code == 0, text
    assert len(rows(graded / "decisions.csv")) == 1
    assert "matched no graded student" in text
    damaged = graded / "decisions.csv"
    damaged.write_bytes(b"\xff\xfe garbage")
    code, text = run("grade", str(klass), "--out", str(graded))
    assert code == 2 and "ledger cannot be read" in text
    assert damaged.read_bytes() == b"\xff\xfe garbage"  # left for the TA to restore


def test_results_record_who_decided(klass: Path, graded: Path, tmp_path: Path) -> None:
    filled = fill(graded / "review.csv", tmp_path / "r.csv", {("s1000001", "q3.b"): ("1", "ok")})
    run("grade", str(klass), "--out", str(graded), "--overrides", str(filled), "--by", "ta9")
    result = json.loads((graded / "results" / "s1000001.json").read_text("utf-8"))
    (part,) = [p for p in result["parts"] if p["id"] == "q3.b"]
    assert part["decision"]["by"] == "ta9" and part["decision"]["comment"] == "ok"
    assert part["status"] == "correct" and not part["decision"]["stale"]
