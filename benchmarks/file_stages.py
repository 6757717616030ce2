"""CPU per file of each stage of grading a class, in one process, as a grading process does it.

Grades one process's share of a class (every other task of ``grader.run.work_split``, as with
``--jobs 2``) through the batch's own grader (``grader.run.batch._Grader``), then unpacks each
result as the collecting process does, and prints one JSON line per pass: pass 0 as in a real
run (the grading memo empty, each variant solved the first time a file needs it), pass 1 with
everything remembered. Each stage is the CPU time (``time.process_time``) spent in the
function named, in microseconds per file; ``no-load`` is everything but reading the files.

    python benchmarks/file_stages.py /dev/shm/bv10k --seed bench
    python benchmarks/file_stages.py /dev/shm/b10k

Seconds taken at different times are not comparable on a shared machine: compare two
checkouts by running this alternately (``PYTHONPATH=<checkout>``) and dividing each stage by
the ``load`` stage of the same run, which neither changes.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grader.input.student_files import list_class
from grader.reports import fast_writers
from grader.reports.fast_writers import PartTable
from grader.run import batch, pipeline
from grader.run.class_sheets import run_sheets
from grader.run.time_budget import install_alarm
from grader.run.watchdog import WATCHDOG
from grader.run.work_split import tasks_of
from grader.sheets import variant_expectations

_SPENT: dict[str, float] = {}

# (module or class, function name, stage): wherever the grader looks the function up.
_STAGES: list[tuple[Any, str, str]] = [
    (pipeline, "load_answer_file", "load"),
    (pipeline, "build_submission", "submission"),
    (pipeline, "choose_variant", "variant"),
    (variant_expectations, "build_expectations", "solve"),
    (pipeline, "grade_submission", "grade"),
    (batch._Grader, "_identified", "identity"),
    (fast_writers.ResultSerializer, "json", "json"),
    (fast_writers.ResultSerializer, "json_bytes", "json"),
    (fast_writers.ResultSerializer, "pack", "pack"),
    (batch, "write_text_atomic", "write"),
    (batch, "write_bytes_atomic", "write"),
]


def _timed(function: Callable[..., Any], stage: str) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            _SPENT[stage] = _SPENT.get(stage, 0.0) + time.process_time() - began

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a class folder")
    parser.add_argument("--seed", help="the course seed (variants)")
    parser.add_argument("--files", type=int, help="grade at most this many files")
    options = parser.parse_args()
    for owner, name, stage in _STAGES:
        if hasattr(owner, name):  # either checkout's name for a stage
            setattr(owner, name, _timed(getattr(owner, name), stage))
    listing = list_class([options.folder])
    scratch = Path(tempfile.mkdtemp(prefix="file-stages-", dir="/dev/shm"))
    try:
        run = run_sheets(None, listing.files, scratch / "out", reveal=None, seed=options.seed)
        tasks = tasks_of(listing.files, run.sheets, 2)
        files = [listing.files[i] for task in tasks[::2] for i in task][: options.files]
        grader = batch._Grader(run.sheets, batch.StudentFiles(scratch / "out"))
        install_alarm()
        gc.freeze()
        gc.set_threshold(*batch._BATCH_GC_THRESHOLDS)
        table = PartTable()
        for number in range(2):
            out = scratch / f"pass{number}"
            out.mkdir()
            grader.files = batch.StudentFiles(out, within=listing.boundary, fresh=True)
            _SPENT.clear()
            unpacking = 0.0
            began = time.process_time()
            for name in files:
                done = grader(Path(name))
                start = time.process_time()
                table.unpack(done.packed, done.sender)
                unpacking += time.process_time() - start
            total = time.process_time() - began
            figures = {**_SPENT, "unpack": unpacking, "total": total}
            figures["no-load"] = total - figures.get("load", 0.0)
            per_file = {stage: round(1e6 * s / len(files), 1) for stage, s in figures.items()}
            print(json.dumps({"pass": number, "files": len(files), **per_file}))
            shutil.rmtree(out)
    finally:
        WATCHDOG.stop()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
