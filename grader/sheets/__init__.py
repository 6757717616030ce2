"""The sheet model: what a sheet folder says (givens, parts, grading policy, vocabularies,
plots), finding and checking sheets (each problem at its line), their formulas and text
placeholders, solving them, and everything grading compares against (expectations), with the
catalogue of generic mistakes; per-student variants (the declared values, the pool, the
student's code, the expectations solved once per variant, which variants grade a part alike,
and the pool kept between runs).
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
    "part_signature",
    "placeholders",
    "pool_cache",
    "sheet_lines",
    "sheet_set",
    "sheet_texts",
    "solvers",
    "solving",
    "variant_codes",
    "variant_expectations",
    "variant_values",
    "variants",
]
