"""Running many files: listing, batches in processes, time budget, atomic writes, the output
folder's lock, the decisions ledger, class grading end to end, Gradescope.
"""

__all__ = [
    "atomic",
    "batch",
    "class_grading",
    "class_sheets",
    "decision_files",
    "gradescope",
    "gradescope_zip",
    "output_folder",
    "outputs",
    "parent_watch",
    "pipeline",
    "sheet_choice",
    "sketches",
    "time_budget",
]
