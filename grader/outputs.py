"""Writing a batch's outputs: each student's feedback, then the class files.

Built FROM results, never inside grading. Every file goes through the atomic writer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from grader.atomic import write_text_atomic
from grader.batch import BatchOutcome, FeedbackWriter, output_path
from grader.expectations import Expectations
from grader.results import SubmissionResult


def feedback_writer(out_dir: Path, *, reports: bool) -> FeedbackWriter | None:
    """What writes ``feedback/<id>.html`` and ``.md`` for each student (None: no reports).

    A module-level function with its folder bound, so that it can be sent to the grading
    processes, which write each student's files themselves.
    """
    return functools.partial(write_feedback, out_dir) if reports else None


def write_feedback(
    out_dir: Path, result: SubmissionResult, notes: Mapping[str, str], exp: Expectations
) -> None:
    """Write one student's feedback report as HTML and Markdown."""
    from grader.report import feedback_html, feedback_markdown

    student = result.student.id
    write_text_atomic(
        output_path(out_dir, "feedback", student, ".html"),
        feedback_html(result, exp, override_notes=notes),
        durable=False,
        skip_unchanged=True,
    )
    write_text_atomic(
        output_path(out_dir, "feedback", student, ".md"),
        feedback_markdown(result, exp, override_notes=notes),
        durable=False,
        skip_unchanged=True,
    )


def write_class_outputs(
    out_dir: Path, outcome: BatchOutcome, exp: Expectations, *, reports: bool
) -> str:
    """Gradebook, review queue and summary; returns the summary table for the terminal."""
    from grader.gradebook import gradebook_csv, review_csv
    from grader.stats import class_statistics
    from grader.summary import summary_html, summary_markdown, summary_table

    assignment = exp.assignment
    results = sorted(outcome.results, key=lambda r: (r.student.id, r.file or ""))
    write_text_atomic(out_dir / "gradebook.csv", gradebook_csv(results, assignment))
    write_text_atomic(out_dir / "review.csv", review_csv(results, assignment))
    stats = class_statistics(results, assignment)
    write_text_atomic(out_dir / "summary.md", summary_markdown(stats, assignment))
    if reports:
        from grader.plots import class_roofline_svg

        svg = class_roofline_svg(exp, results)
        write_text_atomic(
            out_dir / "summary.html", summary_html(stats, assignment, roofline_svg=svg)
        )
    return summary_table(stats)
