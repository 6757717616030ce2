"""How a batch's files are cut into tasks (grader.run.work_split): every file in exactly one
task, in order without variants, and with variants the files named after students of one
variant together, so that one process solves the variant and remembers its answers."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.run.work_split import MAX_CHUNK, chunk_size, tasks_of
from grader.sheets.expectations import build_expectations
from grader.sheets.library import load_bundled_assignment
from grader.sheets.sheet_set import SheetSet
from grader.sheets.variant_codes import variant_index
from grader.sheets.variant_expectations import VariantBook

SEED = "split-test"
SHEET = load_bundled_assignment("roofline-1")
PLAIN = SheetSet(build_expectations(SHEET))
WITH_VARIANTS = SheetSet(PLAIN.main, books={SHEET.id: VariantBook(SHEET, SEED)})


def _names(count: int) -> list[str]:
    return [f"/class/sub/s{number:06d}.yaml" for number in range(count)]


def test_the_chunk_size_is_about_eight_tasks_per_process() -> None:
    assert chunk_size(10_000, 2) == MAX_CHUNK  # 10,000 // 16 = 625, capped
    assert chunk_size(800, 2) == 50
    assert chunk_size(3, 2) == 1


def test_without_variants_the_tasks_are_the_files_in_order() -> None:
    tasks = tasks_of(_names(1000), PLAIN, 2)
    assert [len(task) for task in tasks] == [62] * 16 + [8]  # 1000 // 16 = 62 per task
    assert [position for task in tasks for position in task] == list(range(1000))


@settings(max_examples=25, deadline=None)
@given(count=st.integers(1, 3000), jobs=st.integers(2, 4))
def test_with_variants_a_variants_files_share_a_task(count: int, jobs: int) -> None:
    paths = _names(count)
    tasks = tasks_of(paths, WITH_VARIANTS, jobs)
    positions = sorted(position for task in tasks for position in task)
    assert positions == list(range(count))
    chunk = chunk_size(count, jobs)
    assert all(0 < len(task) <= chunk for task in tasks)
    # The variant of each file's student, worked out from the file name on its own.
    pool = len(WITH_VARIANTS.books[SHEET.id].pool)
    by_variant: dict[int, list[int]] = defaultdict(list)
    for position, path in enumerate(paths):
        student = path.rsplit("/", 1)[1].removesuffix(".yaml")
        by_variant[variant_index(SEED, SHEET.id, student, pool)].append(position)
    task_of = {position: number for number, task in enumerate(tasks) for position in task}
    for files in by_variant.values():
        tasks_holding = {task_of[position] for position in files}
        if len(files) <= chunk:
            assert len(tasks_holding) == 1, files
        else:  # a big variant is cut into as few tasks as it needs
            assert len(tasks_holding) == -(-len(files) // chunk)


def test_small_classes_cut_big_variants_too() -> None:
    # 40 files, 4 processes: a task holds 40 // 32 = 1 file, so every file is a task.
    tasks = tasks_of(_names(40), WITH_VARIANTS, 4)
    assert sorted(len(task) for task in tasks) == [1] * 40


def test_names_that_are_no_student_id_go_together_after_the_others() -> None:
    # A file system allows any bytes in a name; decoded, they may not even be encodable.
    odd = ["/class/s\udcff\udcfe.yaml", "/class/../x y.json", "/class/.hidden.yaml"]
    paths = [*_names(20), *odd]
    tasks = tasks_of(paths, WITH_VARIANTS, 2)
    assert sorted(p for task in tasks for p in task) == list(range(23))
    flat = [position for task in tasks for position in task]
    assert flat[-3:] == [20, 21, 22]
