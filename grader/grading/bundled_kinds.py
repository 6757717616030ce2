"""The graders of the answer kinds the grader ships (the kinds themselves are registered with
the sheet model by :mod:`grader.sheets.bundled_kinds`), one module per family: numbers
(:mod:`~grader.grading.grade_numeric`), choices (:mod:`~grader.grading.grade_choice`), growth
classes (:mod:`~grader.grading.grade_growth_class`), counts by operation type
(:mod:`~grader.grading.operation_counts`) and the kinds a person grades
(:mod:`~grader.grading.grade_review`). Registered on import.
"""

from __future__ import annotations

from grader.grading.grade_choice import grade_choice
from grader.grading.grade_growth_class import grade_growth_class
from grader.grading.grade_numeric import grade_number
from grader.grading.grade_review import grade_sketch, grade_text
from grader.grading.graded_kind import on_one_line, register_grader
from grader.grading.operation_counts import grade_op_counts
from grader.sheets import bundled_kinds as kinds

__all__: list[str] = []

register_grader(kinds.COUNT.name, on_one_line(grade_number))
register_grader(kinds.REAL.name, on_one_line(grade_number))
register_grader(kinds.CHOICE.name, on_one_line(grade_choice))
register_grader(kinds.COMPLEXITY.name, on_one_line(grade_growth_class))
register_grader(kinds.OP_COUNTS.name, grade_op_counts)
register_grader(kinds.TEXT.name, grade_text)
register_grader(kinds.IMAGE.name, grade_sketch)
