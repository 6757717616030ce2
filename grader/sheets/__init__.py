"""The sheet model: an assignment's givens, parts and grading policy, solving it, and everything
grading compares against (expectations), with the catalogue of generic mistakes.
"""

__all__ = [
    "assignment",
    "expectations",
    "mistakes",
    "solving",
]
