"""The terminal table of ``grader check`` (and the class table of ``grader grade``): parts a TA
has yet to grade show as pending, every mark is explained under the table, and a message does
not repeat the part id and line its row shows."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from grader.cli import main
from grader.reports.check_view import LEGEND, NOT_YET, PENDING
from grader.reports.stats import class_statistics
from grader.reports.summary import (
    LOW_DISCRIMINATION_MARK,
    LOW_DISCRIMINATION_NOTE,
    is_low,
    summary_table,
)
from tests.test_stats import SMALL, part, result  # the statistics tests' builders

SAMPLES = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"


def _check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(path)])
    return result.exit_code, result.stdout


def _row(table: str, part_id: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(f"{part_id} "))


def test_a_part_waiting_for_a_ta_shows_as_pending_without_points() -> None:
    code, out = _check(SAMPLES / "perfect.yaml")  # its sketches and texts wait for a TA
    assert code == 0
    row = _row(out, "q6.advantages")
    assert re.search(rf"\b{PENDING}\b", row) and f"{NOT_YET} / 2" in row
    assert "0 / 2" not in row and "needs review" not in row
    graded = _row(out, "q1.a")
    assert "correct" in graded and "1 / 1" in graded  # graded parts keep their points


def test_every_mark_shown_is_explained_under_the_table() -> None:
    _, out = _check(SAMPLES / "perfect.yaml")
    table, _, below = out.partition("\n\n" + LEGEND[PENDING][:40])
    assert below, "no legend line for 'pending'"
    assert table.index(PENDING) < out.index(LEGEND[PENDING][:40])
    assert f"{NOT_YET} / n" in out.replace("\n", " ")


def test_no_legend_when_nothing_needs_one() -> None:
    _, out = _check(SAMPLES / "macs-instead-of-flops.yaml")
    assert PENDING not in out and NOT_YET not in out
    assert not any(text[:30] in out for text in LEGEND.values())


def test_messages_do_not_repeat_the_part_and_line_of_their_row() -> None:
    code, out = _check(SAMPLES / "hostile-input.yaml")
    assert code == 0
    row = _row(out, "q1.a")
    assert "q1.a (line" not in out and "(line " not in row
    assert row.split()[1].isdigit()  # the line column
    assert "function calls are not allowed" in row


def test_the_line_column_holds_the_answers_own_line(tmp_path: Path) -> None:
    path = tmp_path / "s1.yaml"
    path.write_text("assignment: roofline-1\nanswers:\n  q1:\n\n    a: 2 +* 3\n", "utf-8")
    _, out = _check(path)
    assert _row(out, "q1.a").split()[1] == "5"


def test_the_class_tables_low_discrimination_mark_is_explained() -> None:
    # Those who do well on q1.a get q1.b wrong and the others right: a negative discrimination.
    results = [
        result(f"s{n}", [part("q1.a", a, 2), part("q1.b", 1.0 - a, 3)])
        for n, a in enumerate([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    ]
    stats = class_statistics(results, SMALL)
    assert any(is_low(p.discrimination) for p in stats.parts)
    table = summary_table(stats)
    assert LOW_DISCRIMINATION_MARK in table
    assert LOW_DISCRIMINATION_NOTE in " ".join(table.split())


def test_no_mark_and_no_legend_without_a_low_discrimination() -> None:
    results = [
        result(f"s{n}", [part("q1.a", a, 2), part("q1.b", a, 3)])
        for n, a in enumerate([1.0, 1.0, 0.5, 0.0, 0.0])
    ]
    table = summary_table(class_statistics(results, SMALL))
    assert LOW_DISCRIMINATION_MARK not in table and LOW_DISCRIMINATION_NOTE not in table
