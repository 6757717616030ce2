"""Writing a batch's outputs: each student's feedback, then the class files.

Built FROM results, never inside grading. Every file goes through the atomic writer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.atomic import write_text_atomic
from grader.batch import BatchOutcome, output_path
from grader.expectations import Expectations
from grader.results import SubmissionResult


def student_writer(
    out_dir: Path, exp: Expectations, *, reports: bool
) -> Callable[[SubmissionResult, dict[str, str]], None] | None:
    """A callback writing ``feedback/<id>.html`` and ``.md`` for each graded student."""
    if not reports:
        return None
    from grader.report import feedback_html, feedback_markdown

    def write(result: SubmissionResult, notes: dict[str, str]) -> None:
        student = result.student.id
        write_text_atomic(
            output_path(out_dir, "feedback", student, ".html"),
            feedback_html(result, exp, override_notes=notes),
        )
        write_text_atomic(
            output_path(out_dir, "feedback", student, ".md"),
            feedback_markdown(result, exp, override_notes=notes),
        )

    return write


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
