"""Outputs built from results: what a student may see (reveal), feedback reports and plots, class
statistics and summary, gradebook, LMS imports, the review page and sheet, the
question sheet, the sheet listing and the self-test's table.
"""

__all__ = [
    "check_view",
    "common_mistakes",
    "decisions_view",
    "fast_writers",
    "givens_view",
    "gradebook",
    "label_layout",
    "lms_exports",
    "log_axes",
    "plot_marks",
    "plots",
    "question_sheet",
    "regrade",
    "report",
    "reveal",
    "review_page",
    "roofline_background",
    "roofline_drawing",
    "roofline_labels",
    "roofline_legend",
    "roofline_strip",
    "roofline_style",
    "selftest_view",
    "shared_answers",
    "sheet_catalogue",
    "solution_view",
    "stats",
    "summary",
    "svg_shapes",
    "template",
]
