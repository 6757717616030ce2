"""Running many files: listing, batches in processes, time budget, atomic writes, the output
folder's lock, how a batch's files are cut into tasks, the decisions ledger, class grading end to end, Gradescope, a sheet's self-test;
grading a file against its student's variant, and the files variants give out.
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
