"""The sheet model: what a sheet folder says (givens, parts, grading policy, vocabularies,
plots), finding and checking sheets, their formulas and text placeholders, solving them, and
everything grading compares against (expectations), with the catalogue of generic mistakes.
"""

__all__ = [
    "assignment",
    "checks",
    "expectations",
    "formulas",
    "library",
    "mistakes",
    "placeholders",
    "sheet_set",
    "sheet_texts",
    "solvers",
    "solving",
]
