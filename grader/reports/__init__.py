"""Outputs built from results: what a student may see (reveal), feedback reports and plots, class
statistics and summary, gradebook, LMS imports, the review page and sheet.
"""

__all__ = [
    "check_view",
    "common_mistakes",
    "decisions_view",
    "gradebook",
    "lms_exports",
    "plot_marks",
    "plots",
    "regrade",
    "report",
    "reveal",
    "review_page",
    "roofline_background",
    "solution_view",
    "stats",
    "summary",
    "template",
]
