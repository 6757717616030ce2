"""The sheet model: what a sheet folder says (givens, parts, grading policy, vocabularies,
plots), finding and checking sheets, their formulas and text placeholders, solving them, and
everything grading compares against (expectations), with the catalogue of generic mistakes.
"""

__all__ = [
    "answer_kinds",
    "assignment",
    "bundled_kinds",
    "checks",
    "expectations",
    "formulas",
    "grading_memo",
    "library",
    "mistakes",
    "placeholders",
    "sheet_set",
    "sheet_texts",
    "solvers",
    "solving",
]
