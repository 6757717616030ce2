"""Feedback reports: content per reveal mode, escaping of hostile text, error results, speed."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path

import pytest

from grader.grading.decisions import Decision, apply_decisions
from grader.reports.report import _template, escape_markdown, feedback_html, feedback_markdown
from grader.results import Student, SubmissionResult
from grader.run.pipeline import grade_file
from grader.sheets.expectations import Expectations

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
EVIL = "Bob](javascript:alert(1)) <script>x</script> | col\nsecond *line* `code` #1 _x_ ~y~ &amp;"


def graded(name: str, exp: Expectations) -> SubmissionResult:
    return grade_file(SUBMISSIONS / name, exp).result


def revealing(exp: Expectations, reveal: str) -> Expectations:
    assignment = exp.assignment.model_copy(update={"reveal": reveal})
    return dataclasses.replace(exp, assignment=assignment)


def poisoned(result: SubmissionResult) -> SubmissionResult:
    """Hostile text everywhere a student (or a message quoting one) can put it."""
    parts = tuple(
        part.model_copy(update={"submitted": EVIL, "feedback": f"'{EVIL}' is wrong"})
        if part.id == "q1.a"
        else part.model_copy(update={"submitted": {"exp": EVIL}})
        if part.id == "q2.c"
        else part
        for part in result.parts
    )
    return result.model_copy(
        update={"student": Student(id="s1|x", name=EVIL), "parts": parts, "file": EVIL}
    )


@pytest.fixture(scope="module")
def macs(expectations: Expectations) -> SubmissionResult:
    return graded("macs-instead-of-flops.yaml", expectations)


@pytest.fixture(scope="module")
def error_result(
    expectations: Expectations, tmp_path_factory: pytest.TempPathFactory
) -> SubmissionResult:
    path = tmp_path_factory.mktemp("bad") / "list-not-mapping.yaml"
    path.write_text("- 1\n", encoding="utf-8")
    result = grade_file(path, expectations).result
    assert result.status == "error"
    return result


# ----------------------------------------------------------------------------------- content


def test_html_has_title_student_score_rows_and_plot(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    page = feedback_html(macs, expectations)
    for expected in (
        "Performance Modeling and Roofline Analysis",
        "roofline-1",
        "Grace Hopper",
        "s1000002",
        "18</span>",
        "/ 26 points",
        "partial credit",
        "macs_not_flops",
        "carried forward",
        "q5.conv.intensity",
        "Depthwise convolution, arithmetic intensity",
        "903168 / 803968",
        "line 16",
    ):
        assert expected in page, expected
    assert page.count('<tr class="part ') == len(macs.parts)
    assert page.count("<svg") == 1 and 'class="student-marks"' in page


def test_html_is_self_contained_and_phone_ready(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    page = feedback_html(macs, expectations)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media screen and (max-width: 720px)" in page and "@media print" in page
    for external in ("<link", "<script", " src=", "@import", "url(http", "<img"):
        assert external not in page, external
    assert re.findall(r"https?://[^\"' ]+", page) == [
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    ]


def test_pending_review_and_review_notes(expectations: Expectations) -> None:
    perfect = graded("perfect.yaml", expectations)
    page = feedback_html(perfect, expectations)
    assert "+ 5 points pending review by a TA" in page
    assert "pending TA review" in page and "q3-sketch.png" in page
    # The rubric notes are the answer to a part a TA grades: shown only with the answers.
    assert "Review notes:" not in page and "Check:" not in page
    shown = feedback_html(perfect, revealing(expectations, "answers"))
    assert "Review notes:</strong> Check: axes log-log" in shown
    markdown = feedback_markdown(perfect, expectations)
    assert "\\+5 points pending review by a TA" in markdown and "Review notes" not in markdown


def test_ta_decision_is_shown_in_every_mode(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    comment = "Kept at half: <b>MACs</b> are not FLOPs."
    decision = Decision("s1000002", "q1.b", 1.0, None, comment, by="ta1")
    kept = apply_decisions(macs, {"q1.b": decision})
    for reveal in ("none", "feedback", "answers"):
        exp = revealing(expectations, reveal)
        page = feedback_html(kept, exp)
        assert "TA decision:</strong> 1 of 2 points. Kept at half: &lt;b&gt;MACs&lt;/b&gt;" in page
        assert "TA decision: TA decision" not in page
        markdown = feedback_markdown(kept, exp)
        assert "TA decision:" in markdown and "\\<b\\>MACs\\</b\\>" in markdown


# ------------------------------------------------------------------------------ reveal modes


def test_reveal_answers_shows_expected_values_with_units(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    exp = revealing(expectations, "answers")
    page = feedback_html(macs, exp)
    assert "1,806,336 FLOP" in page and "2.2468 FLOP/byte" in page
    assert "<dt>max</dt><dd>4,032</dd>" in page  # q2.c: counts by operation
    assert "O(L^2)" in page and "graded by a TA" in page
    markdown = feedback_markdown(macs, exp)
    assert "1,806,336 FLOP" in markdown and "| Expected |" in markdown


def test_reveal_answers_shows_the_worked_solution_and_says_what_is_released(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    exp = revealing(expectations, "answers")
    page = feedback_html(macs, exp)
    assert '<span class="formula">2 × H_out × W_out × K × K × C</span>' in page
    assert "2 × 56 × 56 × 3 × 3 × 32 = 1,806,336 FLOP" in page
    assert "Expected values are shown with the worked solution" in page
    markdown = feedback_markdown(macs, exp)
    assert "1,806,336 FLOP — 2 × H\\_out" in markdown
    for level, said in (("none", "feedback on the answers is not released"),
                        ("feedback", "expected values are not released")):  # fmt: skip
        assert said in feedback_html(macs, revealing(expectations, level))
        assert said in feedback_markdown(macs, revealing(expectations, level))


def test_reveal_feedback_hides_expected_values(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    assert expectations.assignment.reveal == "feedback"
    page = feedback_html(macs, expectations)
    markdown = feedback_markdown(macs, expectations)
    for text in (page, markdown):
        assert "1,806,336" not in text and "Expected" not in text
        assert "You counted multiply" in text


def test_reveal_none_shows_only_status_and_points(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    exp = revealing(expectations, "none")
    page = feedback_html(macs, exp)
    markdown = feedback_markdown(macs, exp)
    for text in (page, markdown):
        assert "You counted multiply-adds" not in text and "macs" + "_not_flops" not in text
        assert "carried forward" not in text and "1,806,336" not in text
        assert "Feedback</th>" not in text and "| Feedback |" not in text
        assert "partial credit" in text and "1 / 2" in text


# ------------------------------------------------------------------------------- error files


def test_error_result_explains_and_has_no_table(
    expectations: Expectations, error_result: SubmissionResult
) -> None:
    page = feedback_html(error_result, expectations)
    assert "could not be graded" in page
    assert "the top level must be a mapping" in page
    assert "<table" not in page and "<svg" not in page
    markdown = feedback_markdown(error_result, expectations)
    assert "could not be graded" in markdown and "the top level must be a mapping" in markdown
    assert "|" not in markdown


# ---------------------------------------------------------------------------------- escaping


def test_hostile_student_name_is_escaped_in_html(expectations: Expectations) -> None:
    hostile = graded("hostile-input.yaml", expectations)
    page = feedback_html(hostile, expectations)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img src=x" not in page
    assert "__import__(&#39;os&#39;).getcwd()" in page  # submitted text, escaped


def test_hostile_text_everywhere_is_inert_in_html(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    page = feedback_html(poisoned(macs), revealing(expectations, "answers"))
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'href="javascript' not in page


def test_hostile_student_name_is_escaped_in_markdown(expectations: Expectations) -> None:
    hostile = graded("hostile-input.yaml", expectations)
    markdown = feedback_markdown(hostile, expectations)
    assert "\\<img src=x onerror=alert\\(1\\)\\>" in markdown
    assert re.search(r"(?<!\\)<", markdown) is None


def test_markdown_injection_cannot_break_the_table_or_link(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    clean = feedback_markdown(macs, expectations)
    markdown = feedback_markdown(poisoned(macs), expectations)
    assert markdown.count("\n") == clean.count("\n")  # no line break smuggled in
    table = [line for line in markdown.splitlines() if line.startswith("|")]
    columns = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert columns == {6}  # 5 columns in every row, whatever the cells hold
    for pattern in (r"(?<!\\)<", r"(?<!\\)\]\(", r"(?<!\\)`", r"(?<!\\)\*line"):
        assert re.search(pattern, markdown) is None, pattern
    assert "Bob\\]\\(javascript:alert\\(1\\)\\) \\<script\\>x\\</script\\> \\| col" in markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("[x](y)", "\\[x\\]\\(y\\)"),
        ("line1\nline2\r\nline3", "line1 line2 line3"),
        ("\\`*_{}[]()#+-.!<>~|", "\\\\\\`\\*\\_\\{\\}\\[\\]\\(\\)\\#\\+\\-\\.\\!\\<\\>\\~\\|"),
        ("plain text", "plain text"),
        ("&amp; &", "\\&amp; \\&"),  # no entity survives
    ],
)
def test_escape_markdown(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


# ------------------------------------------------------------------------------------- speed


def test_template_is_compiled_once() -> None:
    assert _template() is _template()


def test_timing_of_500_html_reports(
    expectations: Expectations, macs: SubmissionResult, capsys: pytest.CaptureFixture[str]
) -> None:
    """Printed, not asserted: a TA renders a class of 500 with plots in seconds."""
    perfect = graded("perfect.yaml", expectations)
    results = [macs, perfect] * 250
    feedback_html(macs, expectations)  # the shared plot is drawn once, outside the timing
    start = time.perf_counter()
    pages = [feedback_html(result, expectations) for result in results]
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        size = len(pages[0])
        print(f"\n500 HTML feedback reports with plots: {elapsed:.2f} s ({size:,} bytes each)")
    assert len(pages) == 500


def test_a_sheet_without_devices_gets_no_plot(
    expectations: Expectations, macs: SubmissionResult
) -> None:
    givens = {k: v for k, v in expectations.givens.items() if not k.endswith(".peak")}
    page = feedback_html(macs, dataclasses.replace(expectations, givens=givens))
    assert "<svg" not in page and "Grace Hopper" in page
