"""Pure grading: (expectations, submission) -> result. Each answer kind's grader (registered by
the kind's name, one module per family), tolerance predicates, mistakes carried forward, and TA
decisions applied to results.
"""

__all__ = [
    "bundled_kinds",
    "carry_forward",
    "compare",
    "decisions",
    "file_context",
    "grade",
    "grade_choice",
    "grade_growth_class",
    "grade_numeric",
    "grade_review",
    "graded_kind",
    "operation_counts",
    "outcome",
    "unreadable",
]
