"""`grader grade` on a class: outputs, determinism, bad files, ids, overrides, kills."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sheets" / "roofline_1" / "samples"


def grade(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["grade", *args])
    return result.exit_code, result.stdout + result.stderr


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture()
def klass(tmp_path: Path) -> Path:
    folder = tmp_path / "class"
    shutil.copytree(SAMPLES, folder)
    return folder


def test_grade_writes_every_output(klass: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, text = grade(str(klass), "--out", str(out))
    assert code == 0, text
    students = {p.stem for p in (out / "results").glob("*.json")}
    assert len(students) == 9
    assert {p.name for p in (out / "feedback").iterdir()} == {
        f"{s}{ext}" for s in students for ext in (".html", ".md")
    }
    for name in ("gradebook.csv", "review.csv", "summary.md", "summary.html"):
        assert (out / name).stat().st_size > 0
    rows = list(csv.DictReader((out / "gradebook.csv").read_text("utf-8-sig").splitlines()))
    assert len(rows) == 9
    assert "9 graded, 0 could not be graded" in text


def test_same_inputs_give_byte_identical_outputs(klass: Path, tmp_path: Path) -> None:
    first, second, parallel = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    grade(str(klass), "--out", str(first))
    grade(str(klass), "--out", str(second))
    grade(str(klass), "--out", str(parallel), "--jobs", "2")
    assert digest(first) == digest(second) == digest(parallel)


def test_a_broken_file_gets_an_error_row_and_exit_1(klass: Path, tmp_path: Path) -> None:
    (klass / "zz-broken.yaml").write_bytes(b"\xff\xfe\x00 not yaml")
    (klass / "zz-list.yaml").write_text("- 1\n", "utf-8")
    out = tmp_path / "out"
    code, text = grade(str(klass), "--out", str(out))
    assert code == 1
    rows = list(csv.DictReader((out / "gradebook.csv").read_text("utf-8-sig").splitlines()))
    errors = [r for r in rows if r["status"] == "ERROR"]
    assert len(errors) == 2 and all(r["error"] for r in errors)
    assert len(rows) == 11
    assert "2 could not be graded" in text


def test_duplicate_and_hostile_ids_never_escape_or_overwrite(klass: Path, tmp_path: Path) -> None:
    (klass / "aa-copy.yaml").write_text(
        "student: {id: S1000001, name: Mallory}\nanswers: {q1: {a: 1}}\n", "utf-8"
    )  # Ada's id, other case, in a file that sorts first
    (klass / "evil.yaml").write_text(
        "student: {id: ../../etc/passwd}\nanswers: {q1: {a: 1}}\n", "utf-8"
    )
    out = tmp_path / "out"
    code, _ = grade(str(klass), "--out", str(out))
    assert code == 1
    written = [p.resolve() for p in out.rglob("*")]
    assert all(p.is_relative_to(out.resolve()) for p in written)
    assert not (tmp_path / "etc").exists()
    # Neither file takes the id: both are held for a TA, each under its own file name.
    assert not (out / "results" / "s1000001.json").exists()
    held = {
        name: json.loads((out / "results" / f"{name}.json").read_text("utf-8"))
        for name in ("aa-copy", "perfect")
    }
    assert "also claimed by 'perfect.yaml'" in held["aa-copy"]["error"]
    assert "also claimed by 'aa-copy.yaml'" in held["perfect"]["error"]
    rows = list(csv.DictReader((out / "gradebook.csv").read_text("utf-8-sig").splitlines()))
    reasons = " ".join(r["error"] for r in rows)
    assert "invalid student id" in reasons and str(klass) not in reasons


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_duplicate_ids_hold_every_claimant_in_any_number_of_jobs(
    klass: Path, tmp_path: Path, jobs: str
) -> None:
    # With --jobs, each file's process writes its files before anyone knows the id is
    # contested: whatever was written under a contested id must go.
    duplicates = {
        "zz-same.yaml": "s1000001",  # perfect.yaml's id, same spelling
        "zz-case.yaml": "S1000001",  # same id in other case
        "zz-taken.yaml": "s1000002",  # Grace's id: held under its file name, zz-taken ...
        "zzz.yaml": "zz-taken",  # ... which this later file claims first (it keeps it)
    }
    for name, student in duplicates.items():
        (klass / name).write_text(
            f"student: {{id: {student}, name: Mallory}}\nanswers: {{q1: {{a: '1'}}}}\n", "utf-8"
        )
    out = tmp_path / "out"
    code, text = grade(str(klass), "--out", str(out), "--jobs", jobs)
    assert code == 1, text
    results = {p.stem: json.loads(p.read_text("utf-8")) for p in (out / "results").iterdir()}
    held = {
        "perfect": ["zz-same.yaml", "zz-case.yaml"],
        "zz-same": ["perfect.yaml", "zz-case.yaml"],
        "zz-case": ["perfect.yaml", "zz-same.yaml"],
        "macs-instead-of-flops": ["zz-taken.yaml"],
        "zz-taken-2": ["macs-instead-of-flops.yaml"],
    }
    for name, others in held.items():
        assert results[name]["status"] == "error", name
        for other in others:
            assert repr(other) in results[name]["error"], (name, other)
    assert results["zz-taken"]["status"] == "graded"
    assert results["zz-taken"]["student"]["name"] == "Mallory"
    graded = {f"s100000{i}" for i in range(3, 10)}
    assert set(results) == graded | set(held) | {"zz-taken"}
    feedback = {p.name for p in (out / "feedback").iterdir()}
    assert feedback == {f"{s}{ext}" for s in results for ext in (".html", ".md")}


def test_overrides_from_review_csv_and_compare(klass: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    grade(str(klass), "--out", str(first))
    review = (first / "review.csv").read_text("utf-8-sig").splitlines()
    table = list(csv.DictReader(review))
    target = next(r for r in table if r["student"] == "s1000001" and r["part"] == "q6.advantages")
    target["points"], target["comment"] = "2", "two clear advantages"
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    code, text = grade(
        str(klass), "--out", str(second), "--overrides", str(filled), "--compare", str(first)
    )
    assert code == 0, text
    before = json.loads((first / "results" / "s1000001.json").read_text("utf-8"))
    after = json.loads((second / "results" / "s1000001.json").read_text("utf-8"))
    assert after["score"] == before["score"] + 2
    assert "two clear advantages" in (second / "feedback" / "s1000001.html").read_text("utf-8")
    assert "s1000001" in text and "q6.advantages" in text
    assert "s1000001" in (second / "regrade-diff.md").read_text("utf-8")
    diff = CliRunner().invoke(main, ["diff", str(first), str(second)])
    assert diff.exit_code == 0 and "s1000001" in diff.stdout
    assert "s1000002" not in diff.stdout  # unchanged students are not listed


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert grade(str(empty), "--out", str(tmp_path / "o"))[0] == 2
    assert grade(str(SAMPLES), "--out", str(tmp_path / "o"), "--assignment", "nope")[0] == 2


def _copies(folder: Path, count: int) -> Path:
    """A class of ``count`` copies of one sample under their own ids."""
    folder.mkdir()
    source = (SAMPLES / "macs-instead-of-flops.yaml").read_text("utf-8")
    for index in range(count):
        (folder / f"k{index:04d}.yaml").write_text(
            source.replace("s1000002", f"k{index:04d}"), "utf-8"
        )
    return folder


def _wait_for_results(out: Path, count: int) -> None:
    """Wait (a minute at most) until ``count`` students' result files are written."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        done = len(list((out / "results").glob("*.json"))) if (out / "results").is_dir() else 0
        if done >= count:
            return
        time.sleep(0.01)


def test_a_killed_run_leaves_whole_files_and_a_rerun_completes(tmp_path: Path) -> None:
    klass, out = _copies(tmp_path / "class", 400), tmp_path / "out"
    command = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _wait_for_results(out, 40)  # kill once some, not all, students are written
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    written = list((out / "results").glob("*.json"))
    assert 0 < len(written) < 400
    for path in written:  # every file there is whole
        assert json.loads(path.read_text("utf-8"))["student"]["id"] == path.stem
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert len(list((out / "results").glob("*.json"))) == 400
    assert not list(out.rglob("*.tmp"))
    clean = tmp_path / "clean"
    subprocess.run([*command[:-1], str(clean)], cwd=ROOT, capture_output=True, check=False)
    assert digest(out) == digest(clean)


def test_class_files_written_in_a_second_process_are_the_same(
    klass: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grader.run import outputs

    here, forked = tmp_path / "here", tmp_path / "forked"
    grade(str(klass), "--out", str(here))
    monkeypatch.setattr(outputs, "FORK_FROM", 0)
    grade(str(klass), "--out", str(forked))
    assert digest(here) == digest(forked)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
def test_a_failed_second_process_is_redone_here(tmp_path: Path) -> None:
    from grader.run.outputs import alongside

    parent, target = os.getpid(), tmp_path / "written"

    def task() -> None:
        if os.getpid() != parent:
            raise SystemExit(3)  # the child fails
        target.write_text("done", "utf-8")

    wait = alongside(task, size=10**6)
    assert not target.exists()  # not run here yet: the child took it
    wait()
    assert target.read_text("utf-8") == "done"


def test_answer_files_come_in_sorted_path_order(tmp_path: Path) -> None:
    from grader.run.pipeline import answer_files

    names = ["a.yaml", "a-b.yaml", "a/x.yaml", "a/b/y.json", "b.yml", "A.json", "a b.yaml"]
    for name in [*names, "z/notes.txt", "sub/.hidden.yaml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    expected = sorted(
        p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json")
    )
    assert answer_files([tmp_path]) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_meanwhile_runs_once_while_grading(klass: Path, tmp_path: Path, jobs: int) -> None:
    from grader.run.batch import StudentFiles, run_batch
    from grader.run.pipeline import answer_files, default_assignment, expectations_for

    files = answer_files([klass])
    graded_before: list[int] = []
    progress: list[int] = []

    def meanwhile() -> None:
        graded_before.append(len(progress))

    outcome = run_batch(
        files,
        expectations_for(default_assignment(None)),
        StudentFiles(tmp_path / "out"),
        jobs=jobs,
        progress=progress.append,
        meanwhile=meanwhile,
    )
    assert len(outcome.results) == len(files) > 2
    assert graded_before == [0]  # once, as the first graded file came in


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
@pytest.mark.parametrize("folder", ["results", "feedback"])
def test_an_output_folder_linked_elsewhere_is_refused_before_grading(
    klass: Path, tmp_path: Path, folder: str
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / folder).symlink_to(elsewhere, target_is_directory=True)
    code, output = grade(str(klass), "--out", str(out))
    assert code == 2
    assert "leads outside" in output and "Traceback" not in output
    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="POSIX process groups")
def test_ctrl_c_stops_soon_says_what_is_left_and_exits_130(tmp_path: Path) -> None:
    klass, out = _copies(tmp_path / "class", 600), tmp_path / "out"
    command = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out)]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the whole group: the grading processes too
    )
    _wait_for_results(out, 40)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "of 600 files" in stderr and "run the same" in stderr
    assert "Traceback" not in stderr
    written = list((out / "results").glob("*.json"))
    assert 0 < len(written) < 600
    for path in written:
        assert json.loads(path.read_text("utf-8"))["student"]["id"] == path.stem
    assert not list(out.rglob("*.tmp"))


def test_a_batch_stopped_early_does_not_grade_the_rest_first(tmp_path: Path) -> None:
    from grader.run.batch import StudentFiles, run_batch
    from grader.run.pipeline import answer_files, default_assignment, expectations_for

    files = answer_files([_copies(tmp_path / "class", 3000)])

    def stop(_files_done: int) -> None:
        raise KeyboardInterrupt

    results = tmp_path / "out" / "results"
    with pytest.raises(KeyboardInterrupt) as stopped:
        run_batch(
            files,
            expectations_for(default_assignment(None)),
            StudentFiles(tmp_path / "out"),
            jobs=2,
            progress=stop,
        )
    written = len(list(results.glob("*.json")))
    time.sleep(1)  # the whole class takes about as long: nothing more may come
    assert len(list(results.glob("*.json"))) == written < 3000
    assert stopped.value is not None  # its traceback is still held, as a caller may hold it
