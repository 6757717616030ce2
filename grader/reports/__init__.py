"""Outputs built from results: what a student may see (reveal), feedback reports and plots, class
statistics and summary, gradebook, LMS imports, the review page and sheet.
"""

__all__ = [
    "check_view",
    "common_mistakes",
    "decisions_view",
    "fast_writers",
    "gradebook",
    "label_layout",
    "lms_exports",
    "log_axes",
    "plot_marks",
    "plots",
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
    "shared_answers",
    "solution_view",
    "stats",
    "summary",
    "svg_shapes",
    "template",
]
