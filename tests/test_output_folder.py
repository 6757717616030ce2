"""The output folder of ``grader grade``: one run at a time, never inside what is graded, a
clear line and exit 2 when it cannot be written (what was written stays whole), and no
grading process left behind when the run is killed."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bounds import time_bound
from cli_runs import ROOT, SAMPLES, as_nobody, grader, shared_folder, unprivileged

fcntl = pytest.importorskip("fcntl", reason="flock is POSIX")
LOCK = ".grader.lock"


def small_class(folder: Path) -> Path:
    klass = folder / "class"
    klass.mkdir()
    for name in ("perfect.yaml", "perfect.json", "broken-syntax.yaml", "q3-sketch.png"):
        shutil.copy(SAMPLES / name, klass / name)
    return klass


def copies(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = (SAMPLES / "macs-instead-of-flops.yaml").read_text("utf-8")
    for index in range(count):
        (folder / f"s{index:05d}.yaml").write_text(text.replace("s1000002", f"s{index:05d}"))
    return folder


@contextlib.contextmanager
def held_lock(out: Path, holder: str) -> Iterator[None]:
    """The output folder's lock, held by this process as another run would hold it."""
    out.mkdir(parents=True, exist_ok=True)
    handle = os.open(out / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.write(handle, holder.encode())
        yield
    finally:
        os.close(handle)


def test_a_second_run_into_a_held_folder_stops_at_once_naming_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = "pid 4242 on grading-host, started 2025-01-31 09:00:00, command: grader grade a"
    with held_lock(out, holder):
        start = time.perf_counter()
        code, output = grader("grade", str(small_class(tmp_path)), "--out", str(out))
        assert time.perf_counter() - start < time_bound(5)
    assert code == 2 and "another grader run" in output and holder in output, output
    assert sorted(p.name for p in out.iterdir()) == [LOCK]  # nothing written


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK).write_text("pid 4242 on grading-host, started 2025-01-31 09:00:00", "utf-8")
    code, output = grader("grade", str(small_class(tmp_path)), "--out", str(out))
    assert code == 0, output
    assert "did not finish (pid 4242 on grading-host" in output
    assert (out / "gradebook.csv").is_file() and not (out / LOCK).exists()


@pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="POSIX signals")
def test_two_real_runs_into_one_folder(tmp_path: Path) -> None:
    klass, out = small_class(tmp_path), tmp_path / "out"
    first = subprocess.Popen(
        [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(lambda: f"pid {first.pid} " in _text(out / LOCK) or first.poll() is not None, 30)
        assert first.poll() is None, "the first run ended before it was seen holding the lock"
        os.kill(first.pid, signal.SIGSTOP)  # holding the lock, for as long as the test needs
        code, output = grader("grade", str(klass), "--out", str(out))
        assert code == 2 and f"pid {first.pid} " in output, output
    finally:
        os.kill(first.pid, signal.SIGCONT)
        first.communicate(timeout=time_bound(30))
    assert first.returncode == 0 and (out / "gradebook.csv").is_file()


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return ""


def _wait_for(condition: object, seconds: float) -> None:
    deadline = time.monotonic() + time_bound(seconds)
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.mark.parametrize("inside", ["out-in-input", "out-is-input", "input-in-out", "file-in-out"])
def test_an_output_folder_overlapping_what_is_graded_is_refused(
    tmp_path: Path, inside: str
) -> None:
    klass = small_class(tmp_path)
    given, out = {
        "out-in-input": (klass, klass / "report"),
        "out-is-input": (klass, klass),
        "input-in-out": (klass, tmp_path),
        "file-in-out": (klass / "perfect.yaml", klass),
    }[inside]
    before = sorted(klass.rglob("*"))
    code, output = grader("grade", str(given), "--out", str(out))
    assert code == 2 and "--out" in output and "Traceback" not in output, output
    assert len(output.strip().splitlines()) == 1
    assert sorted(klass.rglob("*")) == before  # nothing written, nothing graded


def test_a_read_only_output_folder_is_one_line_and_exit_2() -> None:
    if unprivileged():
        pytest.skip(str(unprivileged()))
    with shared_folder() as root:
        klass = small_class(root)
        for path in [klass, *klass.iterdir()]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        (root / "locked").mkdir(mode=0o555)
        code, output = as_nobody("grade", "class", "--out", "locked/out", "--no-reports", cwd=root)
        assert code == 2 and output.strip() == "grader: error: cannot write to locked/out: " + (
            "Permission denied"
        ), output
        (root / "earlier").mkdir()
        (root / "earlier").chmod(0o777)
        code, output = as_nobody("grade", "class", "--out", "earlier", "--no-reports", cwd=root)
        assert code == 0, output
        before = {p: p.read_bytes() for p in (root / "earlier").rglob("*") if p.is_file()}
        for path in (root / "earlier").rglob("*"):
            path.chmod(0o555 if path.is_dir() else 0o444)
        (root / "earlier").chmod(0o555)
        code, output = as_nobody("grade", "class", "--out", "earlier", "--no-reports", cwd=root)
        assert code == 2 and len(output.strip().splitlines()) == 1, output
        assert "cannot write to earlier" in output
        after = {p: p.read_bytes() for p in (root / "earlier").rglob("*") if p.is_file()}
        assert after == before


CHECK_WHOLE = """
import json, pathlib, sys
out = pathlib.Path(sys.argv[1])
files = [p for p in out.rglob("*.json")]
for path in files:
    json.loads(path.read_text("utf-8"))
print("whole:", len(files))
"""


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0 or not shutil.which("unshare"),
    reason="a small file system to fill needs root and unshare (a private tmpfs mount)",
)
def test_a_full_output_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    klass, disk = copies(tmp_path / "class", 300), tmp_path / "disk"
    disk.mkdir()
    grade = f"{sys.executable} -m grader grade {klass} --out {disk}/out --no-reports"
    script = (
        f"mount -t tmpfs -o size=200k tmpfs {disk} || exit 77\n"
        f"cd {ROOT}; {grade}; code=$?\n"
        f"{sys.executable} -c '{CHECK_WHOLE}' {disk}/out || exit 78\n"
        "exit $code\n"
    )
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=time_bound(120),
        check=False,
    )
    if done.returncode == 77:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        f"grader: error: cannot write to {disk}/out: No space left on device"
    )
    assert int(done.stdout.split("whole:")[1]) > 0  # some were written, each whole


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; its reaper is not ours


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="Linux /proc")
def test_killing_the_main_process_ends_the_grading_processes(tmp_path: Path) -> None:
    klass, out = copies(tmp_path / "class", 1500), tmp_path / "out"
    command = [sys.executable, "-m", "grader", "grade", str(klass), "--out", str(out), "-j", "2"]
    main = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:

        def grading() -> bool:
            workers[:] = _children(main.pid)
            return len(workers) >= 2 and len(list((out / "results").glob("*.json"))) > 20

        _wait_for(grading, 60)
    finally:
        main.kill()
        main.wait()
    deadline = time.monotonic() + time_bound(3)
    while any(map(_running, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in workers if _running(pid)]
    for pid in alive:  # do not leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == [], "grading processes outlived the main process"
    written = list((out / "results").glob("*.json"))
    assert all(json.loads(p.read_text("utf-8")) for p in written)  # whole
