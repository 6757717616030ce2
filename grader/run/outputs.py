"""Writing a batch's outputs: each student's feedback, then the class files.

Built FROM results, never inside grading. Every file goes through the atomic writer.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from grader.input.identity import upload_copy_pattern
from grader.input.roster import Enrolled, Roster
from grader.input.student_files import NOT_AN_ANSWER_FILE, NotGraded
from grader.results import ResultLike, SubmissionResult
from grader.run.atomic import write_text_atomic
from grader.run.batch import BatchOutcome, FeedbackWriter, output_path
from grader.run.output_folder import writing_into
from grader.run.parent_watch import end_with_parent
from grader.sheets.assignment import Assignment
from grader.sheets.expectations import Expectations
from grader.sheets.variant_codes import VariantCodeError
from grader.sheets.variant_expectations import VariantBook


def feedback_writer(sheets: Iterable[Expectations], *, reports: bool) -> FeedbackWriter | None:
    """What writes ``feedback/<id>.html`` and ``.md`` for each student (None: no reports).

    A module-level function, so that it can be sent to the grading processes, which write
    each student's files themselves; what all reports of each sheet share is prepared here
    first, once.
    """
    if not reports:
        return None
    from grader.reports.report import prepare

    for exp in sheets:
        prepare(exp)
    return write_feedback


def write_feedback(out_dir: Path, result: SubmissionResult, exp: Expectations) -> None:
    """Write one student's feedback report as HTML and Markdown."""
    from grader.reports.report import feedback_html, feedback_markdown
    from grader.run.sketches import own_sketches

    student = result.student.id
    write_text_atomic(
        output_path(out_dir, "feedback", student, ".html"),
        feedback_html(result, exp, own_sketches(out_dir, result)),
        durable=False,
        skip_unchanged=True,
    )
    write_text_atomic(
        output_path(out_dir, "feedback", student, ".md"),
        feedback_markdown(result, exp),
        durable=False,
        skip_unchanged=True,
    )


def prepare_class_outputs(*, reports: bool) -> None:
    """Import and compile what writing the class files needs, so that a batch can
    do it while its grading processes work."""
    from grader.reports import gradebook, stats  # noqa: F401
    from grader.reports.review_page import prepare as prepare_review_page
    from grader.reports.summary import prepare

    prepare(html=reports)
    prepare_review_page()


def write_class_outputs(
    out_dir: Path,
    outcome: BatchOutcome,
    exp: Expectations,
    *,
    reports: bool,
    roster: Roster | None = None,
    not_graded: Sequence[NotGraded] = (),
    book: VariantBook | None = None,
) -> str:
    """Gradebook (and the LMS imports), review sheet and page, summary (which lists
    ``not_graded``: what under the given paths got no row, and why; and with the sheet's
    variants ``book``, the statistics by variant parameter); returns the summary table for
    the terminal.

    Raises:
        OutputError: a file cannot be written (those written are whole).
    """
    with writing_into(out_dir):
        return _write_class_outputs(out_dir, outcome, exp, reports, roster, not_graded, book)


def _write_class_outputs(
    out_dir: Path,
    outcome: BatchOutcome,
    exp: Expectations,
    reports: bool,
    roster: Roster | None,
    not_graded: Sequence[NotGraded],
    book: VariantBook | None,
) -> str:
    from grader.reports.gradebook import gradebook_csv, review_csv
    from grader.reports.lms_exports import canvas_csv, moodle_csv
    from grader.reports.review_page import review_html
    from grader.reports.stats import class_statistics
    from grader.reports.summary import summary_html, summary_markdown, summary_table

    assignment = exp.assignment
    results = sorted(outcome.results, key=lambda r: (r.student.id, r.file or ""))
    missing = missing_students(results, roster)

    def write_sheets() -> None:
        write_text_atomic(out_dir / "gradebook.csv", gradebook_csv(results, assignment, missing))
        write_text_atomic(out_dir / "review.csv", review_csv(results, assignment))
        write_text_atomic(
            out_dir / "canvas-grades.csv", canvas_csv(results, assignment, roster, missing)
        )
        moodle = moodle_csv(results, assignment, roster)
        if moodle is not None:
            write_text_atomic(out_dir / "moodle-grades.csv", moodle)

    def write_review_page() -> None:
        as_loaded = book.assignment if book is not None else None
        write_text_atomic(out_dir / "review.html", review_html(results, exp, as_loaded=as_loaded))

    # Three similar shares: the spreadsheets, the review page, and the statistics here.
    sheets_written = alongside(write_sheets, size=len(results))
    page_written = alongside(write_review_page, size=len(results))
    write_text_atomic(out_dir / "README.md", folder_guide(assignment, reports=reports))
    stats = class_statistics(results, assignment, _givens_of(book) if book else None)
    write_text_atomic(
        out_dir / "summary.md", summary_markdown(stats, assignment, not_graded=not_graded)
    )
    if reports:
        from grader.reports.plot_text import plot_text
        from grader.reports.plots import class_roofline_svg

        svg = class_roofline_svg(exp, results)
        numbers = plot_text(exp, None, answers=True)
        page = summary_html(
            stats, assignment, roofline_svg=svg, plot_data=numbers, not_graded=not_graded
        )
        write_text_atomic(out_dir / "summary.html", page)
    sheets_written()
    page_written()
    return summary_table(stats)


def _givens_of(book: VariantBook) -> Callable[[str], Mapping[str, str] | None]:
    def givens(code: str) -> Mapping[str, str] | None:
        try:
            return book.by_code(code).givens
        except VariantCodeError:
            return None

    return givens


def missing_students(results: Sequence[ResultLike], roster: Roster | None) -> list[Enrolled]:
    """Enrolled students no answer file was graded for (none without a roster)."""
    if roster is None:
        return []
    present = {r.student.id.lower() for r in results if r.status == "graded"}
    return [s for s in roster.students if s.id.lower() not in present]


def folder_guide(assignment: Assignment, *, reports: bool) -> str:
    """``README.md`` of an output folder: which files may go to students (only their own
    report), and which are for staff (everything else: complete, with the answers)."""
    reports_line = (
        f"| `feedback/<id>.html`, `.md` | the student `<id>` only | their report, showing what "
        f"reveal level `{assignment.reveal}` allows |\n"
        if reports
        else ""
    )
    return (
        f"# Grading outputs: {assignment.title} ({assignment.id})\n\n"
        "Give each student their own report from `feedback/` and nothing else: every other "
        "file here is for course staff only (it holds the expected values, rubric notes and "
        "the whole class's grades).\n\n"
        "| file | for | what |\n|---|---|---|\n"
        f"{reports_line}"
        "| `results/<id>.json` | staff only | each student's complete result "
        '(`"audience": "staff"`) |\n'
        "| `gradebook.csv`, `canvas-grades.csv`, `moodle-grades.csv` | staff only | the "
        "class's scores (to import into the course's LMS) |\n"
        "| `review.html`, `review.csv`, `sketches/` | staff only | answers a TA grades, with the "
        "rubric suggestions |\n"
        "| `decisions.csv` | staff only | the ledger of every TA decision: keep it |\n"
        f"| `summary.md`{', `summary.html`' if reports else ''} | staff only | the class at a "
        "glance |\n"
    )


FORK_FROM = 1000
"""Classes from this many files write their CSV files in a second process (see alongside)."""


def alongside(task: Callable[[], None], *, size: int) -> Callable[[], None]:
    """Start ``task`` next to the caller; the function returned waits until it is done.

    The class files are independent and take most of a second for 10,000 students, while the
    second core idles once grading is over. A forked child sees the results as they are in
    memory (nothing is copied or pickled). Where forking is not the norm (macOS, Windows), or
    for small classes, the task simply runs first; if the child fails, the task runs again
    here, so that its error (if any) is the caller's.
    """
    if size < FORK_FROM or not sys.platform.startswith("linux"):
        task()
        return lambda: None
    try:
        started_by = functools.partial(_ending_with_parent, task, os.getpid())
        child = multiprocessing.get_context("fork").Process(target=started_by, daemon=True)
        child.start()
    except (OSError, ValueError):
        task()
        return lambda: None

    def wait() -> None:
        child.join()
        if child.exitcode != 0:
            task()

    return wait


def _ending_with_parent(task: Callable[[], None], parent: int) -> None:
    end_with_parent(parent)
    task()


def not_named_by_answers(
    not_graded: Sequence[NotGraded],
    files: Sequence[str],
    results: Sequence[ResultLike],
    assignments: Iterable[Assignment],
) -> list[NotGraded]:
    """``not_graded`` without the image files that answers name: those are part of a graded
    submission (a TA reviews them through the answer), and a class of sketches would
    otherwise bury the files that were really left out. ``results`` are those of ``files``,
    graded against ``assignments``."""
    if not any(entry.reason == NOT_AN_ANSWER_FILE for entry in not_graded):
        return list(not_graded)
    images = {p.id for spec in assignments for p in spec.parts if p.answer_kind.attached_file}
    named: set[str] = set()
    others: dict[str, list[str]] = {}  # the other files of each folder, by their names
    for entry in not_graded:
        if entry.reason == NOT_AN_ANSWER_FILE:
            folder, base = os.path.split(os.path.normpath(entry.path))
            others.setdefault(folder, []).append(base)
    for path, result in zip(files, results, strict=True):
        for part in result.parts:
            if part.id in images:
                value = part.submitted
                name = value.get("image") if isinstance(value, dict) else value
                if isinstance(name, str) and name.strip():
                    folder = os.path.normpath(os.path.dirname(path))
                    named.add(os.path.normpath(os.path.join(folder, name.strip())))
                    # The LMS's copy, renamed with the uploader's prefix, as grading found it.
                    pattern = upload_copy_pattern(os.path.basename(path), name.strip())
                    if pattern is not None:
                        copies = [o for o in others.get(folder, ()) if pattern.fullmatch(o)]
                        if len(copies) == 1:
                            named.add(os.path.join(folder, copies[0]))
    return [
        entry
        for entry in not_graded
        if entry.reason != NOT_AN_ANSWER_FILE or os.path.normpath(entry.path) not in named
    ]
