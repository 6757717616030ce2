"""Running many files: listing, batches in processes (and how their files are cut into
tasks), time budget, atomic writes, the output folder's lock, the decisions ledger, class
grading end to end, Gradescope, a sheet's self-test; grading a file against its student's
variant, and the files variants give out.
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
    "selftest",
    "sheet_choice",
    "sketches",
    "time_budget",
    "variant_grading",
    "variant_outputs",
    "watchdog",
    "work_split",
]
