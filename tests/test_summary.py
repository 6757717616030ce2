"""Class summary: Markdown and HTML escape student text, render every section, deterministic."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined

from grader.reports.stats import ClassStatistics, class_statistics
from grader.reports.summary import (
    _environment,
    escape_markdown,
    summary_html,
    summary_markdown,
    summary_table,
)
from grader.results import PartResult, Status, Student, SubmissionResult
from grader.run.pipeline import expectations_for, grade_file
from grader.sheets.assignment import Assignment

SUBMISSIONS = Path(__file__).resolve().parent.parent / "sheets" / "roofline_1" / "samples"
IMG = "<img src=x onerror=alert(1)>"
LINK = "Bob](javascript:alert(1)) <script>x</script> | col"
SVG = (
    '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5"/></svg>'
)


@pytest.fixture(scope="module")
def samples(assignment: Assignment) -> list[SubmissionResult]:
    exp = expectations_for(assignment)
    paths = sorted(SUBMISSIONS.glob("*.y*ml")) + sorted(SUBMISSIONS.glob("*.json"))
    return [grade_file(p, exp).result for p in paths]


def hostile(assignment: Assignment, name: str, answer: str) -> list[SubmissionResult]:
    """A student whose name and answers are hostile, one waiting for review, one error."""
    parts = [
        PartResult(
            id=p.id,
            status=Status.NEEDS_REVIEW if p.needs_review else Status.INCORRECT,
            credit=0.0,
            points=0.0,
            max_points=p.points,
            submitted=answer,
            mistake=None if p.needs_review else answer,
        )
        for p in assignment.parts
    ]
    pending = sum(p.max_points for p in parts if p.status is Status.NEEDS_REVIEW)
    student = Student(id=name, name=name)
    return [
        SubmissionResult(
            assignment=assignment.id,
            student=student,
            status="graded",
            max_score=assignment.max_score,
            pending_review=pending,
            parts=tuple(parts),
            file=f"{name}.yaml",
        ),
        SubmissionResult(
            assignment=assignment.id,
            student=student,
            status="error",
            error=f"line 2: {name}\n{answer}",
            max_score=assignment.max_score,
            file=f"{name}.json",
        ),
    ]


def stats_for(results: list[SubmissionResult], assignment: Assignment) -> ClassStatistics:
    return class_statistics(results, assignment)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words 42", "plain words 42"),
        ("a\\b", "a\\\\b"),
        ("`code`", "\\`code\\`"),
        ("*_{}[]()#+-.!<>~|", "".join("\\" + c for c in "*_{}[]()#+-.!<>~|")),
        ("two\nlines\r\nhere\rnow", "two lines here now"),
        ("bell\x07", "bell\\<U\\+0007\\>"),
        (LINK, "Bob\\]\\(javascript:alert\\(1\\)\\) \\<script\\>x\\</script\\> \\| col"),
    ],
)
def test_escape_markdown_table(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize("name", [IMG, LINK])
def test_markdown_escapes_student_text(assignment: Assignment, name: str) -> None:
    markdown = summary_markdown(stats_for(hostile(assignment, name, LINK), assignment), assignment)
    assert escape_markdown(name) in markdown
    unescaped = re.sub(r"\\.", "", markdown)  # what is left once every escape pair is gone
    for raw in ("<", ">", "](", "["):
        assert raw not in unescaped
    assert unescaped.count("`") == 6  # only our own fence around the histogram
    for line in markdown.splitlines():
        if line.startswith("|"):
            # Each table keeps its column count: 3, 5 or 11 columns, whatever the data.
            pipes = len(re.findall(r"(?<!\\)\|", line))
            assert pipes in (4, 6, 12), (pipes, line)


@pytest.mark.parametrize("name", [IMG, LINK])
def test_html_escapes_student_text(assignment: Assignment, name: str) -> None:
    page = summary_html(stats_for(hostile(assignment, name, IMG), assignment), assignment)
    assert "<img" not in page and "<script" not in page.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    if name == LINK:
        assert "Bob](javascript:alert(1)) &lt;script&gt;x&lt;/script&gt; | col" in page


def test_html_is_self_contained(assignment: Assignment, samples: list[SubmissionResult]) -> None:
    page = summary_html(stats_for(samples, assignment), assignment)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert 'name="viewport"' in page and "@media print" in page
    for external in ("<script", "<link", "src=", "url(", "http://", "https://", "@import"):
        assert external not in page.lower()


def test_roofline_svg_is_embedded_without_prolog(assignment: Assignment) -> None:
    stats = stats_for([], assignment)
    page = summary_html(stats, assignment, roofline_svg=SVG)
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">' in page
    assert "<?xml" not in page and "<!DOCTYPE svg" not in page
    assert "<svg" not in summary_html(stats, assignment)


def test_roofline_svg_labels_never_refuse_a_drawing(assignment: Assignment) -> None:
    # What an SVG writer may make of a legend label "x onload=1 <img onerror=...>": text, a comment
    # and an attribute value, all inert.
    svg = (
        '<svg aria-label="x onload=1"><!-- x onload=1 <img src=x onerror=alert(1)> -->'
        "<text>x onload=1 &lt;img src=x onerror=alert(1)&gt; javascript:x</text></svg>"
    )
    page = summary_html(stats_for([], assignment), assignment, roofline_svg=svg)
    assert "<text>x onload=1 &lt;img" in page and "<!--" not in page


@pytest.mark.parametrize(
    "svg",
    [
        "<p>not a drawing</p>",
        "<svg><script>alert(1)</script></svg>",
        '<svg onload="alert(1)"></svg>',
        '<svg><a href="javascript:alert(1)">x</a></svg>',
        '<svg><a xlink:href=" JavaScript:alert(1)">x</a></svg>',
        "<svg><foreignObject><div>x</div></foreignObject></svg>",
        "<svg><SCRIPT>alert(1)</SCRIPT></svg>",
        "<svg><style><script>alert(1)</script></style></svg>",
    ],
)
def test_roofline_svg_with_script_is_refused(assignment: Assignment, svg: str) -> None:
    with pytest.raises(ValueError, match="roofline_svg"):
        summary_html(stats_for([], assignment), assignment, roofline_svg=svg)


def test_every_section_is_rendered(assignment: Assignment, samples: list[SubmissionResult]) -> None:
    results = [*samples, *hostile(assignment, "s9", "x")]
    stats = stats_for(results, assignment)
    markdown = summary_markdown(stats, assignment)
    page = summary_html(stats, assignment)
    for heading in (
        "Score distribution",
        "Parts",
        "Review queue",
        "Files that could not be graded",
    ):
        assert f"## {heading}" in markdown
        assert f"<h2>{heading}</h2>" in page
    assert markdown.count("█") > 0 and "```text" in markdown
    for part in assignment.parts:
        assert escape_markdown(part.id) in markdown
        assert part.id in page
    assert "macs\\_not\\_flops" in markdown and "macs_not_flops" in page
    assert "s1000002" in markdown  # example of the macs mistake
    assert "line 2: s9 x" in markdown  # error reason, on one line


def test_empty_class_renders(assignment: Assignment) -> None:
    stats = stats_for([], assignment)
    assert "No file could be graded." in summary_markdown(stats, assignment)
    page = summary_html(stats, assignment)
    assert "Nothing is waiting for a TA." in page and "Every file was graded." in page


def test_rendering_is_deterministic(
    assignment: Assignment, samples: list[SubmissionResult]
) -> None:
    shuffled = samples[:]
    random.Random(11).shuffle(shuffled)
    one, two = stats_for(samples, assignment), stats_for(shuffled, assignment)
    assert summary_markdown(one, assignment) == summary_markdown(two, assignment)
    assert summary_html(one, assignment) == summary_html(two, assignment)
    assert summary_table(one) == summary_table(two)


def test_terminal_table(assignment: Assignment, samples: list[SubmissionResult]) -> None:
    table = summary_table(stats_for(samples, assignment))
    header = table.splitlines()[0]
    for column in (
        "part",
        "mean credit",
        "% correct",
        "% missing",
        "discrimination",
        "top mistake",
    ):
        assert column in header
    assert len(table.splitlines()) == 2 + len(assignment.parts)
    assert "macs_not_flops (" in table


def test_terminal_table_accounts_for_every_answer(
    assignment: Assignment, samples: list[SubmissionResult]
) -> None:
    # A sketch part waiting for a TA read "0 0 0 0 14" (correct ... missing): where the rest
    # of the class was, and why its mean credit was 0, the terminal did not say.
    table = summary_table(stats_for(samples, assignment))
    lines = table.splitlines()
    header = lines[0].split("  ")
    assert "% review" in lines[0]
    for line in lines[2 : 2 + len(assignment.parts)]:
        cells = line.split()
        shares = [int(cell) for cell in cells[2:8]]  # correct ... review, after the mean
        assert 97 <= sum(shares) <= 103, (line, header)
    sketch = next(line for line in lines if line.startswith("q3.b "))
    assert int(sketch.split()[7]) > 0  # the samples' sketches wait for a TA


def test_terminal_table_strips_control_characters(assignment: Assignment) -> None:
    table = summary_table(stats_for(hostile(assignment, "s1", "\x1b[2J"), assignment))
    assert "\x1b" not in table


def test_environments_escape_and_fail_loudly() -> None:
    html = _environment("html")
    assert html.autoescape is True and html.undefined is StrictUndefined
    assert _environment("markdown").undefined is StrictUndefined


# Characters that could hide or reorder text (bidirectional controls; control characters
# other than the line breaks and tab that a table cell turns into spaces): shown as code points.
HIDDEN = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}
HIDDEN |= set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.sampled_from(
            "aZ9 ,:;/?=%$'\"^@\\`*_{}[]()#+-.!<>~|&\r\n\t\v\x85\u2028é\x00\x1b\u202e\u2067\u200b"
        )
    )
)
def test_escape_markdown_matches_its_definition(text: str) -> None:
    one_line = re.sub(r"[\r\n\v\f\u0085\u2028\u2029\t]+", " ", text)
    one_line = "".join(
        f"<U+{ord(c):04X}>" if c in HIDDEN else c if c.isprintable() else " " for c in one_line
    )
    # ":" before "/" too: a bare URL must not become a link where Markdown is linkified.
    expected = re.sub(r"([\\`*_{}\[\]()#+\-.!<>~|&]|:(?=/))", r"\\\1", one_line)
    assert escape_markdown(text) == expected
