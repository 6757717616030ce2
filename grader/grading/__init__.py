"""Pure grading: (expectations, submission) -> result. The kinds of answer, tolerance predicates,
mistakes carried forward, and TA decisions applied to results.
"""

__all__ = [
    "carry_forward",
    "compare",
    "decisions",
    "file_context",
    "grade",
    "grade_numeric",
    "grade_other",
    "operation_counts",
    "outcome",
    "unreadable",
]
