"""A review sheet a TA filled in and saved from a spreadsheet program, through the console
script: what Excel and LibreOffice do to it must not move a message to another row, and an
answer id they turned into a number must be named as such, with the way out."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cli_runs import grader

# A free-text answer whose fingerprint (the review sheet's answer id) is 16 decimal digits:
# found by trying numbers at the end of the sentence (about one answer in 1,800 is such).
DIGITS_ONLY_ANSWER = "Memory bound below the ridge 882"
DIGITS_ONLY_ID = "1418870133190877"


def review_rows(out: Path) -> tuple[list[str], list[list[str]]]:
    table = list(csv.reader(io.StringIO((out / "review.csv").read_text("utf-8-sig"))))
    return table[0], table[1:]


def save_as(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_text(buffer.getvalue(), "utf-8")
    return path


def graded_class(tmp_path: Path) -> tuple[Path, Path]:
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "s700.yaml").write_text(
        "assignment: roofline-1\nstudent: {id: s700}\nanswers:\n"
        f"  q5:\n    explanation: {DIGITS_ONLY_ANSWER}\n"
        "  q6:\n    advantages: [parallel training, fewer sequential steps]\n",
        "utf-8",
    )
    out = tmp_path / "report"
    code, text = grader("grade", str(klass), "--out", str(out))
    assert code == 0, text
    return klass, out


def test_a_row_with_a_comment_of_two_lines_is_named_by_its_first_line(tmp_path: Path) -> None:
    klass, out = graded_class(tmp_path)
    header, rows = review_rows(out)
    points, comment = header.index("points"), header.index("comment")
    assert [row[header.index("part")] for row in rows] == ["q5.explanation", "q6.advantages"]
    # Row 1 (lines 2-3 of the file): a comment typed with Alt+Enter, and no number.
    rows[0][points], rows[0][comment] = "lots", "first line\nsecond line"
    rows[1][points] = "1"
    bad = save_as(tmp_path / "filled.csv", header, rows)
    code, text = grader("grade", str(klass), "--out", str(out), "--overrides", str(bad))
    assert code == 2
    assert "filled.csv line 2: points 'lots' is not a number" in text, text
    # A good row after it is recorded with the line it starts on (line 4).
    rows[0][points] = "0.5"
    good = save_as(tmp_path / "filled.csv", header, rows)
    code, text = grader("grade", str(klass), "--out", str(out), "--overrides", str(good))
    assert code == 0, text
    code, listing = grader("decisions", str(out))
    assert "filled.csv line 2" in listing and "filled.csv line 4" in listing, listing


def test_an_answer_id_a_spreadsheet_turned_into_a_number_is_named_with_the_way_out(
    tmp_path: Path,
) -> None:
    klass, out = graded_class(tmp_path)
    header, rows = review_rows(out)
    answer_id, points = header.index("answer id"), header.index("points")
    assert rows[0][answer_id] == DIGITS_ONLY_ID
    # Excel shows the id as 1.41887E+15 and saves it so; LibreOffice writes more digits.
    for saved in ("1.41887E+15", "1.41887013319088E+015", "418870133190877"):
        rows[0][answer_id], rows[0][points] = saved, "1"
        edited = save_as(tmp_path / "edited.csv", header, rows)
        code, text = grader("grade", str(klass), "--out", str(out), "--overrides", str(edited))
        assert code == 2
        assert f"edited.csv line 2: answer id '{saved}' is not one the grader wrote" in text
        assert "read an answer id of digits only as a number" in text, text
        assert "empty that cell" in text
    # The way out the message gives works: the decision is bound to the answer graded now.
    rows[0][answer_id] = ""
    edited = save_as(tmp_path / "edited.csv", header, rows)
    code, text = grader("grade", str(klass), "--out", str(out), "--overrides", str(edited))
    assert code == 0, text
    code, listing = grader("decisions", str(out))
    assert DIGITS_ONLY_ID in listing and "1 point" in listing, listing


def test_an_id_whose_leading_zeros_a_spreadsheet_dropped_is_named_in_the_warning(
    tmp_path: Path,
) -> None:
    klass = tmp_path / "class"
    klass.mkdir()
    for student in ("01234567", "7654321"):
        (klass / f"{student}.yaml").write_text(
            f'assignment: roofline-1\nstudent: {{id: "{student}"}}\nanswers:\n'
            "  q5:\n    explanation: Below the turning point it is memory-bound\n",
            "utf-8",
        )
    out = tmp_path / "report"
    assert grader("grade", str(klass), "--out", str(out))[0] == 0
    header, rows = review_rows(out)
    student, points = header.index("student"), header.index("points")
    for row in rows:
        row[student], row[points] = row[student].lstrip("0"), "1"  # what Excel saves
    edited = save_as(tmp_path / "edited.csv", header, rows)
    code, text = grader("grade", str(klass), "--out", str(out), "--overrides", str(edited))
    assert code == 0, text
    assert (
        "decision for 1234567 q5.explanation (edited.csv line 2) matched no graded student "
        "(is it 01234567, whose leading zeros a spreadsheet dropped?"
    ) in text, text
    # The id without zeros of its own is applied, and named in no warning.
    assert "7654321 q5.explanation" not in text
    gradebook = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text("utf-8-sig"))))
    pending = {row["id"]: row["pending review"] for row in gradebook}
    assert pending == {"01234567": "1", "7654321": "0"}, pending
