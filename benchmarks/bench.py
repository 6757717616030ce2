"""Benchmark the grader on synthetic classes; prints a Markdown table of medians.

    python benchmarks/bench.py                 # the README's figures (10,000 and 500 files)
    python benchmarks/bench.py --quick         # a smaller smoke run (1,000 and 100 files)

Measures, each as the median of several runs of the real console script in a subprocess:
1. grade-only throughput for N files (`grader grade --no-reports`: results and gradebook),
   against a parse-only baseline that just loads the same files with PyYAML's C loader and
   `json` in one process. Each run writes into a new, empty output folder (every file is
   written); a regrade into the previous run's folder, with nothing changed, is shown too.
2. M files with full HTML/Markdown feedback reports and plots (`grader grade`, 2 jobs).
3. `grader check FILE` wall time for one file.
Synthetic files mix right answers, known mistakes, partial files, hostile input, YAML and JSON.
The project's modules are compiled to bytecode first, as an installed package has them.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

RIGHT = {
    "q1.a": ["288", "32 × 3 × 3", "C*K^2"],
    "q1.b": ["1806336", "2 × 56 × 56 × 3 × 3 × 32", "1.81e6", "1,806,336"],
    "q2.a": ["65536", "4*128^2"],
    "q2.b.qkv_projections": ["6291456", "3*2*64*128*128"],
    "q2.b.attention_scores": ["1048576", "2*L*L*d"],
    "q2.b.scaling": ["4096", "L^2"],
    "q2.b.value_aggregation": ["1048576", "1.05e6"],
    "q2.b.output_projection": ["2097152", "2.1 MFLOP"],
    "q2.d.full_scores": ["4096", "L²"],
    "q2.d.causal_scores": ["2080", "64·65/2"],
    "q2.d.full_complexity": ["O(L^2)", "quadratic"],
    "q2.d.causal_complexity": ["O(L²)", "Θ(L^2)"],
    "q3.a": ["250", "250 FLOP/byte", "2e14/8e11"],
    "q4.a": ["3.33", "10/3"],
    "q5.conv.bytes": ["803968", "785.1 KiB"],
    "q5.conv.intensity": ["2.25", "2,25"],
    "q5.conv.gpu": ["memory-bound"],
    "q5.conv.pim": ["memory bound"],
    "q5.qkv.bytes": ["131072", "128 KiB"],
    "q5.qkv.intensity": ["16", "19.2"],
    "q5.qkv.gpu": ["memory-bound"],
    "q5.qkv.pim": ["compute-bound"],
    "q5.explanation": ["Below the turning point the operation is memory-bound."],
}
WRONG = {
    "q1.b": ["903168", "2 × 54 × 54 × 9 × 32", "1.9e6"],
    "q2.b.qkv_projections": ["2097152", "3145728"],
    "q2.d.causal_scores": ["2016"],
    "q3.a": ["4", "0.004", "500"],
    "q5.conv.gpu": ["compute-bound"],
    "q5.qkv.pim": ["memory-bound"],
}
HOSTILE = ["9**9**9", "__import__('os')", "1,806", "nan", "=HYPERLINK(1)", "10−3"]


def synthetic_answers(rng: random.Random, index: int) -> dict[str, object]:
    """One student's answers: mostly right, some known mistakes, gaps and hostile text."""
    answers: dict[str, object] = {}
    for part, spellings in RIGHT.items():
        roll = rng.random()
        if roll < 0.08:
            continue  # unanswered
        if roll < 0.25 and part in WRONG:
            answers[part] = rng.choice(WRONG[part])
        elif roll < 0.27:
            answers[part] = rng.choice(HOSTILE)
        else:
            answers[part] = rng.choice(spellings)
    answers["q2.c"] = {"exp": "4096", "add": rng.choice(["4032", "4096", "63"]), "div": "4096"}
    answers["q6.advantages"] = ["parallel training", "long-range dependencies"]
    return {
        "assignment": "roofline-1",
        "student": {"id": f"s{index:06d}", "name": f"Student {index}"},
        "answers": answers,
    }


def write_class(
    folder: Path,
    count: int,
    seed: int = 1,
    adjust: Callable[[dict[str, object]], None] | None = None,
) -> None:
    """``count`` answer files, every third one JSON, one in 50 syntactically broken;
    ``adjust`` changes each document before it is written."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        document = synthetic_answers(rng, index)
        if adjust is not None:
            adjust(document)
        if index % 3 == 2:
            (folder / f"s{index:06d}.json").write_text(json.dumps(document, ensure_ascii=False))
            continue
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        if index % 50 == 49:
            text = text.replace("q3.a:", "q3.a: [", 1)  # broken syntax
        (folder / f"s{index:06d}.yaml").write_text(text, encoding="utf-8")


def write_variant_class(folder: Path, count: int, course_seed: str, seed: int = 1) -> None:
    """``count`` answer files as :func:`write_class` writes them (as many gaps, mistakes,
    hostile answers and broken files), but each student answers with the numbers of their
    own variant of the sheet under ``course_seed``: what a class with variants hands in."""
    from grader.run.selftest import reference_answers
    from grader.sheets.library import load_assignment
    from grader.sheets.variant_expectations import VariantBook

    book = VariantBook(load_assignment("roofline-1"), course_seed)

    def own_numbers(document: dict[str, object]) -> None:
        student = document["student"]
        answers = document["answers"]
        assert isinstance(student, dict) and isinstance(answers, dict)
        own = reference_answers(book.expectations(book.of_student(str(student["id"]))))
        for part in answers:
            if part in own and answers[part] in RIGHT.get(part, ()):
                answers[part] = own[part]  # a right answer is right for their numbers

    write_class(folder, count, seed, own_numbers)


def parse_only(folder: Path) -> float:
    """Seconds to load every file with PyYAML's C loader or json (the baseline)."""
    start = time.perf_counter()
    for path in sorted(folder.iterdir()):
        data = path.read_bytes()
        try:
            if path.suffix == ".json":
                json.loads(data)
            else:
                yaml.load(data, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    return time.perf_counter() - start


def timed(command: list[str]) -> float:
    """Wall time of a command, started once earlier runs' writes have reached the disk (they
    would otherwise be flushed during this one and charged to it)."""
    if hasattr(os, "sync"):
        os.sync()
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - start


def median_of(runs: int, measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(runs))


def cold(grader: str, folder: Path, root: Path, *options: str) -> Callable[[], float]:
    """A measurement that grades ``folder`` into a new output folder each time."""
    outputs = itertools.count()

    def measure() -> float:
        out = root / f"out-{next(outputs)}"
        return timed([grader, "grade", str(folder), "--out", str(out), *options])

    return measure


def console_script() -> str:
    """The ``grader`` script installed next to this Python. Found on the PATH instead, it may
    be a version manager's shim (pyenv's runs bash and pyenv first: 50 ms a run here), which
    is no part of the tool."""
    beside = Path(sys.executable).with_name("grader")
    if beside.is_file():
        return str(beside)
    return shutil.which("grader") or sys.exit("install the project first: pip install -e .")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="files for throughput")
    parser.add_argument("--report-files", type=int, default=500, help="files with reports")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="1,000 and 100 files")
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where the classes and outputs go (default: the system's temporary folder; "
        "/dev/shm keeps the disk out of the figures)",
    )
    args = parser.parse_args()
    if args.quick:
        args.files, args.report_files = 1000, 100
    grader = console_script()
    project = Path(__file__).resolve().parent.parent
    compileall.compile_dir(project / "grader", quiet=1)
    compileall.compile_dir(project / "reference", quiet=1)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        root = Path(tmp)
        big, small = root / "class-big", root / "class-small"
        write_class(big, args.files)
        write_class(small, args.report_files, seed=2)
        big_v, small_v = root / "class-big-variants", root / "class-small-variants"
        write_variant_class(big_v, args.files, "bench")
        write_variant_class(small_v, args.report_files, "bench", seed=2)
        baseline = median_of(args.runs, lambda: parse_only(big))
        no_reports = ("--no-reports", "--jobs")
        grade_1 = median_of(args.runs, cold(grader, big, root, *no_reports, "1"))
        grade_2 = median_of(args.runs, cold(grader, big, root, *no_reports, "2"))
        again = [grader, "grade", str(big), "--out", str(root / "out-0"), *no_reports, "2"]
        regrade = median_of(args.runs, lambda: timed(again))
        reports = median_of(args.runs, cold(grader, small, root, "--jobs", "2"))
        # Every student on their own variant (a course seed): each distinct variant is solved
        # once per process, and answers are remembered per variant.
        variants = ("--seed", "bench")
        grade_v = median_of(args.runs, cold(grader, big_v, root, *variants, *no_reports, "2"))
        reports_v = median_of(args.runs, cold(grader, small_v, root, *variants, "--jobs", "2"))
        one = next(small.glob("*.yaml"))
        check = statistics.median(
            timed([grader, "check", str(one)]) for _ in range(max(5, args.runs))
        )
        # A student's check in a course with variants: the sheet's pool is built first.
        one_v = next(small_v.glob("*.yaml"))
        check_v = statistics.median(
            timed([grader, "check", str(one_v), *variants]) for _ in range(max(5, args.runs))
        )
    files, target = f"{args.files:,} files", "baseline (target ≤ 2x)"
    rows = [
        ("parse-only baseline (C YAML loader + json, 1 process)", files, baseline, "1.0x"),
        ("grade, no reports, --jobs 1", files, grade_1, f"{grade_1 / baseline:.1f}x {target}"),
        ("grade, no reports, --jobs 2", files, grade_2, f"{grade_2 / baseline:.1f}x {target}"),
        (
            "regrade, nothing changed, --jobs 2",
            files,
            regrade,
            f"{regrade / baseline:.1f}x baseline",
        ),
        (
            "grade, no reports, --jobs 2, a variant per student",
            files,
            grade_v,
            f"{grade_v / baseline:.1f}x {target}",
        ),
        (
            "grade with HTML reports and plots, --jobs 2",
            f"{args.report_files:,} files",
            reports,
            "target < 10 s",
        ),
        (
            "grade with reports and plots, --jobs 2, a variant per student",
            f"{args.report_files:,} files",
            reports_v,
            "target ≤ 3 s",
        ),
        ("grader check FILE", "1 file", check, "target < 0.5 s"),
        ("grader check FILE, with its student's variant", "1 file", check_v, "target < 0.5 s"),
    ]
    print("| measurement | size | median | against target |")
    print("|---|---|---|---|")
    for name, size, seconds, against in rows:
        print(f"| {name} | {size} | {seconds:.2f} s | {against} |")


if __name__ == "__main__":
    main()
